"""A reading list's items: a paper's link, then what its writer thinks of it.

Found by trying the importer as a new user (2026-12-04): of five items
``- [Title](…/papers/ID) <comment>`` only the two with a short comment were
imported, two were skipped as having "no title" and the fifth was dropped
without a word (its link was taken for part of the text of the item above).
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tracker import sources

LIST = """\
# Reading list 2025-10-15

- [Attention Is All You Need](https://huggingface.co/papers/1706.03762) — the transformer paper
- [BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding](https://huggingface.co/papers/1810.04805) by Devlin et al.
- [Language Models are Few-Shot Learners](https://huggingface.co/papers/2005.14165) (NeurIPS 2020)
- [Denoising Diffusion Probabilistic Models](https://huggingface.co/papers/2006.11239) - 👍 12
- [Mamba: Linear-Time Sequence Modeling with Selective State Spaces](https://huggingface.co/papers/2312.00752): must read, very fast.
"""


def _parse(text: str) -> sources.Parsed:
    return sources.parse_bytes(text.encode(), "list.md")


def test_each_item_is_its_paper_under_its_link_text() -> None:
    parsed = _parse(LIST)
    assert [(p.title, p.arxiv_id) for p in parsed.digest.papers] == [
        ("Attention Is All You Need", "1706.03762"),
        (
            "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding",
            "1810.04805",
        ),
        ("Language Models are Few-Shot Learners", "2005.14165"),
        ("Denoising Diffusion Probabilistic Models", "2006.11239"),
        ("Mamba: Linear-Time Sequence Modeling with Selective State Spaces", "2312.00752"),
    ]
    assert not parsed.digest.warnings


def test_a_sentence_that_runs_on_from_a_link_is_no_entry() -> None:
    page = (
        "# Notes 2025-10-15\n\n"
        "- [Attention Is All You Need](https://huggingface.co/papers/1706.03762)\n"
        "- [Pointer Networks for Sequence Prediction](https://huggingface.co/papers/1506.03134)\n"
        "- [Mamba](https://huggingface.co/papers/2312.00752) shows that state spaces scale\n"
    )
    parsed = _parse(page)
    assert [p.title for p in parsed.digest.papers] == [
        "Attention Is All You Need",
        "Pointer Networks for Sequence Prediction",
    ]
    assert any("2312.00752" in str(w) for w in parsed.digest.warnings)  # skipped, and said


def test_a_link_inside_another_papers_text_is_skipped_and_said_where() -> None:
    page = (
        "# Reading list 2025-10-15\n\n"
        "- [Attention Is All You Need](https://huggingface.co/papers/1706.03762)\n"
        "- [Denoising Diffusion Probabilistic Models](https://huggingface.co/papers/2006.11239)\n"
        "  We build on [the Mamba paper](https://huggingface.co/papers/2312.00752) here.\n"
    )
    parsed = _parse(page)
    assert len(parsed.digest.papers) == 2
    (warning,) = [str(w) for w in parsed.digest.warnings]
    assert "2312.00752" in warning
    assert "Denoising Diffusion Probabilistic Models" in warning and "line 4" in warning


_WORD = st.sampled_from(
    ["Sparse", "Attention", "Models", "Learning", "Graph", "Neural", "Scaling", "Vision", "Robust"]
)
_TITLE = st.lists(_WORD, min_size=3, max_size=9, unique=True).map(" ".join)
_COMMENT = st.tuples(
    st.sampled_from([" — ", " – ", " - ", ": ", " (", ", ", " by "]),
    st.lists(
        st.sampled_from(["must", "read", "great", "2020", "et", "al.", "👍", "12"]), max_size=6
    ),
).map(lambda sep_words: sep_words[0] + " ".join(sep_words[1]))


@given(st.lists(st.tuples(_TITLE, _COMMENT), min_size=1, max_size=8, unique_by=lambda t: t[0]))
def test_any_reading_list_gives_every_paper_by_its_link_text(
    items: list[tuple[str, str]],
) -> None:
    lines = ["# Reading list 2025-10-15", ""]
    for n, (title, comment) in enumerate(items):
        lines.append(f"- [{title}](https://huggingface.co/papers/2501.{n + 10000:05d}){comment}")
    parsed = _parse("\n".join(lines) + "\n")
    assert [p.title for p in parsed.digest.papers] == [title for title, _ in items]
