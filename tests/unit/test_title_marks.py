"""Titles keep the characters that look like markup; counts printed beside a title are not part of it.

Bad cases from the held-out batch 2026-12-03b (tests/fixtures/real/SOURCES.md):
``S*: Test Time Scaling for Code Generation`` was stored as ``S: …``,
``FaSTA^*: …`` as ``FaSTA^: …`` and ``V_{0.5}: …`` as ``V{0.5}: …`` (every
asterisk and underscore was taken for emphasis), and a Vietnamese digest's
``## 1. Title *(175 votes)*`` headings gave titles ending in ``(175 votes)``.
"""

from __future__ import annotations

from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from tracker import sources
from tracker.sources.emphasis import shown_text


def _titles(text: str, name: str = "page.md") -> list[str]:
    return [p.title for p in sources.parse_bytes(text.encode(), name).digest.papers]


MARKED_TITLES = """# The Latest Daily Papers - Date: 2025-02-22

### **[S*: Test Time Scaling for Code Generation](http://arxiv.org/abs/2502.14382v1)**
- **Summary**: S* is a hybrid test-time scaling framework for code generation.

### **[FaSTA^*: Fast-Slow Toolpath Agent with Subroutine Mining](https://huggingface.co/papers/2506.20911)**
- **Summary**: A neurosymbolic agent for multi-turn image editing.

### **[N\\_0-VTLA: A **Bold** Claim about *Everything*](https://arxiv.org/abs/2502.10001)**
- **Summary**: Escapes and real emphasis inside a title.
"""


def test_asterisks_and_carets_of_a_title_are_kept_and_emphasis_goes() -> None:
    assert _titles(MARKED_TITLES) == [
        "S*: Test Time Scaling for Code Generation",
        "FaSTA^*: Fast-Slow Toolpath Agent with Subroutine Mining",
        "N_0-VTLA: A Bold Claim about Everything",
    ]


def test_an_underscore_before_a_brace_in_an_html_title_is_kept() -> None:
    page = (
        "<!DOCTYPE html><html><head><title>HF Papers 2026-03-12</title></head><body>"
        '<div class="date">2026-03-12</div>'
        '<h2 class="paper-title"><a href="https://huggingface.co/papers/2603.10848">'
        "V_{0.5}: Generalist Value Model as a Prior for Sparse RL Rollouts</a></h2>"
        "<p>We propose V_{0.5}, which fuses a prior with sparse rollouts. It is fast.</p>"
        '<h2 class="paper-title"><a href="https://huggingface.co/papers/2603.10001">'
        "Another Paper Title Here</a></h2><p>An abstract. Two sentences.</p>"
        "</body></html>"
    )
    assert _titles(page, "day.html") == [
        "V_{0.5}: Generalist Value Model as a Prior for Sparse RL Rollouts",
        "Another Paper Title Here",
    ]


def test_shown_text_follows_markdowns_emphasis_rules() -> None:
    assert shown_text("**bold** and *it* and ***both*** and __under__") == (
        "bold and it and both and under"
    )
    assert shown_text("S*: scaling") == "S*: scaling"  # between a letter and a colon
    assert shown_text("A^*: search") == "A^*: search"
    assert shown_text("V_{0.5} and snake_case") == "V_{0.5} and snake_case"
    assert shown_text("**cut at the line end") == "cut at the line end"  # a run at a word edge
    assert shown_text("cut at the start**") == "cut at the start"
    assert shown_text("x*y*z") == "xyz"  # a pair inside a word is emphasis
    # A lone run of any length between two characters is shown, not dropped:
    # dropping it joined '0[]' and 'Title' into one word (hypothesis, CI of stop 25).
    assert shown_text("0[]**Title:") == "0[]**Title:"


_MARKED = st.text(st.sampled_from("ab ^*_:{}.-"), max_size=30)


@given(_MARKED)
def test_shown_text_only_removes_marks(text: str) -> None:
    shown = shown_text(text)
    removed = Counter(text) - Counter(shown)
    assert not Counter(shown) - Counter(text)  # nothing added
    assert set(removed) <= {"*", "_"}  # only emphasis marks go
    if "*" not in text and "_" not in text:
        assert shown == text


@given(st.text(st.sampled_from("abcXYZ09:.{}-^"), min_size=1, max_size=12))
def test_a_lone_asterisk_between_two_characters_is_shown(rest: str) -> None:
    text = "S*" + rest
    assert shown_text(text) == text


VOTED = """# 🤗 Daily Hugging Face Paper Digest - 2026-01-13

## 1. BabyVision: Visual Reasoning Beyond Language *(156 votes)*

**Link:** [arXiv](https://arxiv.org/abs/2601.06521)

A benchmark of visual reasoning that needs no language. It has two parts.

## 2. PaCoRe: Learning to Scale Test-Time Compute (1,024 upvotes)

**Link:** [arXiv](https://arxiv.org/abs/2601.05593)

Parallel coordinated reasoning at test time. It scales.
"""


def test_a_vote_count_after_a_title_is_not_part_of_it() -> None:
    assert _titles(VOTED) == [
        "BabyVision: Visual Reasoning Beyond Language",
        "PaCoRe: Learning to Scale Test-Time Compute",
    ]


def test_a_title_that_is_about_votes_keeps_its_words() -> None:
    page = VOTED.replace(
        "PaCoRe: Learning to Scale Test-Time Compute (1,024 upvotes)",
        "Counting Votes (in Elections)",
    )
    assert _titles(page)[1] == "Counting Votes (in Elections)"


def test_tex_math_in_a_title_is_left_as_written() -> None:
    """Bad case (held-out batch 2026-12-03d): 'Yb$_3$Fe$_5$O$_{12}$' was stored as
    'Yb$_3$Fe$5$O${12}$' (the underscores of two math spans paired as emphasis)."""
    assert shown_text("Yb$_3$Fe$_5$O$_{12}$") == "Yb$_3$Fe$_5$O$_{12}$"
    assert shown_text("**Sr$_2$CuO$_{3+δ}$ films**") == "Sr$_2$CuO$_{3+δ}$ films"
    assert shown_text("$a*b*c$ and *it*") == "$a*b*c$ and it"
    # A converter's backslash escapes are undone inside math as everywhere else.
    assert shown_text("Yb$-$Fe and $\\\\mathcal{O}_\\*$") == "Yb$-$Fe and $\\mathcal{O}_*$"
    # Dollars that do not close a span (a space before the second) are no math.
    assert shown_text("costs $5 and _x_ and $6") == "costs $5 and x and $6"


_MATH = st.text(st.sampled_from("ab_*{}0123^"), min_size=1, max_size=10)


@given(st.lists(st.tuples(st.sampled_from(["Yb", "Fe", "O", " and "]), _MATH), max_size=4))
def test_math_spans_are_kept_whatever_their_marks(parts: list[tuple[str, str]]) -> None:
    text = "".join(f"{word}${math}$" for word, math in parts) + "Z"
    assert shown_text(text) == text


GARNET_TABLE = """## Updated on 2021.11.09

### Magnetism

|Publish Date|Title|Authors|PDF|Code|
|---|---|---|---|---|
|**2021-11-08**|**A neutron study of the Yb$-$Fe coupling in Yb$_3$Fe$_5$O$_{12}$**|A. Author et.al.|[2111.04001v1](http://arxiv.org/abs/2111.04001v1)|null|
|**2021-11-07**|**Another Paper About Garnets**|B. Author et.al.|[2111.04002v1](http://arxiv.org/abs/2111.04002v1)|null|
"""


def test_tex_math_in_a_table_title_is_kept() -> None:
    assert _titles(GARNET_TABLE) == [
        "A neutron study of the Yb$-$Fe coupling in Yb$_3$Fe$_5$O$_{12}$",
        "Another Paper About Garnets",
    ]
