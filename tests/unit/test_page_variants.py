"""A page passed through one more tool reads the same: no change may bring a junk row.

The corpus measures pages as they were found; the next page a user pastes is
the same kind of page after one more tool (``python -m benchmarks.corpus_variants``
lists the changes: Windows line ends, navigation around it, pandoc's wrapping
at 72 columns, ``__bold__``, reference links, other bullets and indentation).
Each change of each page (the seeds always; the real corpus with
``$TRACKER_REAL_CORPUS``) must give no row that is not one of the page's
titles, and but for the wrap and the reference links (which may cost titles
or get the page refused) exactly the same titles.

The rules below were found that way, each with an excerpt in the shape of the
page that showed it (titles and ids made up); each failed before.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from benchmarks.corpus import CORPUS_ENV, DEFAULT_CORPUS
from benchmarks.corpus_variants import CHANGES, compare, pages, wrap
from tracker import sources

_CORPUS = Path(os.environ.get(CORPUS_ENV) or DEFAULT_CORPUS)
_PAGES = list(pages(_CORPUS if _CORPUS.is_dir() else None))
# Changes after which a page may read fewer titles (or be refused), never junk.
_MAY_LOSE = frozenset({"wrap72", "reflinks"})


@pytest.mark.parametrize("change", list(CHANGES))
def test_no_change_of_a_real_page_brings_a_junk_row(change: str) -> None:
    outcomes = [o for page in _PAGES if (o := compare(page, change)) is not None]
    assert [(o.page, o.junk) for o in outcomes if o.junk] == []
    if change not in _MAY_LOSE:
        assert [(o.page, o.lost, o.mangled, o.refused) for o in outcomes] == []


def _titles(text: str) -> list[str]:
    return [p.title for p in sources.parse_bytes(text.encode(), "page.md").digest.papers]


# A Korean daily list: bold title items over their links (lim4349's shape).
KOREAN = """# 2025-12-19 Daily Papers

1. **Stereo Pilot: Learning Unified and Efficient Stereo Conversion via Generative Priors** - 👍 31
   - 기관: HKUST
   - [HF 페이지](https://huggingface.co/papers/2512.16915)
   - [논문 링크](https://arxiv.org/abs/2512.16915)
   - Abstract: The rapid growth of stereoscopic displays has led to demand.

2. **Seed Dance: A Native Audio-Visual Joint Generation Foundation Model** - 👍 29
   - 기관: ByteDance
   - [HF 페이지](https://huggingface.co/papers/2512.13507)
   - [논문 링크](https://arxiv.org/abs/2512.13507)
   - Abstract: Recent strides in video generation have paved the way.
"""
KOREAN_TITLES = [
    "Stereo Pilot: Learning Unified and Efficient Stereo Conversion via Generative Priors",
    "Seed Dance: A Native Audio-Visual Joint Generation Foundation Model",
]


def test_a_bold_title_wrapped_over_two_lines_is_one_title() -> None:
    wrapped = wrap(KOREAN)
    assert "via\n   Generative Priors** - 👍 31" in wrapped  # pandoc's shape
    assert _titles(wrapped) == KOREAN_TITLES


def test_bold_written_with_underscores_is_bold() -> None:
    assert _titles(KOREAN.replace("**", "__")) == KOREAN_TITLES


def test_a_link_labelled_hf_page_is_never_a_title() -> None:
    # With the bold titles gone, the page's only link texts are its labels.
    plain = KOREAN.replace("**", "")
    assert "HF 페이지" not in _titles(plain)


# A Chinese newsletter: a translated heading, the original title, the links' label in bold.
NEWSLETTER = """# 2025-01-22 每日论文

### 1. 专家级多学科视频理解评估

**原文标题：** Measuring Expert-Level Multi-Discipline Video Understanding

**摘要：**
我们介绍了一个全面的专家级多学科基准。

**论文链接：** [HuggingFace](https://huggingface.co/papers/2501.12380) | [arXiv](https://arxiv.org/abs/2501.12380)
"""


def test_a_bold_label_over_a_wrapped_row_of_links_is_not_a_title() -> None:
    wrapped = NEWSLETTER.replace(" | [arXiv]", " |\n[arXiv]")
    assert _titles(wrapped) == ["Measuring Expert-Level Multi-Discipline Video Understanding"]
    # The colon outside the bold marks: the same label (the check _entry makes too).
    outside = wrapped.replace("**论文链接：**", "**论文链接**:")
    assert _titles(outside) == ["Measuring Expert-Level Multi-Discipline Video Understanding"]


# A weekly report: bold headlines over list items that give the paper by its id only,
# and a list of bold ids with their quoted titles (vojtechw's shape).
WEEKLY = """# Weekly digest

**Compiled:** Tuesday, April 21, 2026

## Notable Updates

**♾️ All-order structure of static gravitational interactions at high order** — A closed-form formula for computing static post-Newtonian corrections at any odd order.

- [2604.14134](https://arxiv.org/abs/2604.14134) — Brunello, Mandal, Mastrolia, Patil, Pegorin, Smith, Steinhoff
- Quality: 8/10 | Relevance: 9/10

## Papers That Failed Critical Review

1. **2604.13684** — Juraev, Tursunov, Stuchlik, Kolos, Galtsov — "Precision tests of analytical tail-term approximations for radiation reaction"
   - Quality: 5/10 | FAIL — Narrow scope
"""
WEEKLY_TITLES = [
    "All-order structure of static gravitational interactions at high order",
    "Precision tests of analytical tail-term approximations for radiation reaction",
]


def test_a_headline_and_a_bold_id_item_wrapped_by_pandoc_are_read() -> None:
    wrapped = wrap(WEEKLY)
    assert "at high\norder** — A closed-form" in wrapped  # the bold span wrapped
    assert _titles(wrapped) == WEEKLY_TITLES
    # The dash ending a line, its sentence on the next ones.
    dash = wrapped.replace("at high\norder** — A closed-form", "at high order** —\nA closed-form")
    assert _titles(dash) == WEEKLY_TITLES


# A plain-text copy of a search page: titles over bare links, abstracts wrapped at 72.
TEXT_PAGE = """Daily Papers - Hugging Face

Mar 25, 2026

Streaming Translation as Efficiently as Offline

https://huggingface.co/papers/2504.09570

When the complete source sentence is provided, Large Language Models
(LLMs) perform excellently in offline machine translation even with a
simple prompt "Translate the following sentence from [src lang] into
[tgt lang]:". However, in many real scenarios, the source tokens arrive
in a streaming manner and simultaneous machine translation is required.
"""


def test_a_wrapped_sentence_that_starts_with_brackets_and_a_colon_is_no_reference() -> None:
    # '[tgt lang]:". However, …' at the start of a line is prose, not a link's definition
    # (read as one, it cut the abstract, and its first lines were taken for a title).
    papers = list(sources.parse_bytes(TEXT_PAGE.encode(), "page.md").digest.papers)
    assert [p.title for p in papers] == ["Streaming Translation as Efficiently as Offline"]
    assert '[tgt lang]:". However, in many real scenarios' in papers[0].abstract


# A Vietnamese digest as an older pandoc wrote it: underlined headings, autolinks.
SETEXT = """Daily Paper Digest - 2026-01-13
===============================

1\\. Watching and Searching: A Video Research Benchmark for Agentic Reasoning
---------------------------------------------------------------------------

**Tác giả:** Chengwen Liu, Xiaomin Yu

Link: <https://huggingface.co/papers/2601.11111>

### I. Main Problem:
Vấn đề cốt lõi là sự thiếu hụt các benchmark.

### II. Main Idea:
Bài báo đề xuất VideoDR.

2\\. Teaching Robots to Fold Laundry with Tactile Feedback
-------------------------------------------------------

**Tác giả:** Ada Example

Link: <https://huggingface.co/papers/2601.22222>

### I. Main Problem:
Gấp quần áo là khó.
"""


def test_setext_headings_and_autolinks_read_as_their_atx_and_bare_forms() -> None:
    atx = (
        SETEXT.replace(
            "Daily Paper Digest - 2026-01-13\n===============================",
            "# Daily Paper Digest - 2026-01-13\n",
        )
        .replace("Reasoning\n" + "-" * 75, "Reasoning\n")
        .replace("Feedback\n" + "-" * 55, "Feedback\n")
        .replace("1\\. Watching", "## 1\\. Watching")
        .replace("2\\. Teaching", "## 2\\. Teaching")
        .replace(
            "<https://huggingface.co/papers/2601.11111>", "https://huggingface.co/papers/2601.11111"
        )
        .replace(
            "<https://huggingface.co/papers/2601.22222>", "https://huggingface.co/papers/2601.22222"
        )
    )
    expected = [
        "Watching and Searching: A Video Research Benchmark for Agentic Reasoning",
        "Teaching Robots to Fold Laundry with Tactile Feedback",
    ]
    assert _titles(atx) == expected
    assert _titles(SETEXT) == expected
    parsed = sources.parse_bytes(SETEXT.encode(), "page.md")
    assert [p.arxiv_id for p in parsed.digest.papers] == ["2601.11111", "2601.22222"]
    assert [s.date for s in parsed.digest.sections] == ["2026-01-13"]


def test_a_heading_closed_with_hashes_does_not_keep_them() -> None:
    closed = SETEXT.replace(
        "1\\. Watching and Searching: A Video Research Benchmark for Agentic Reasoning\n"
        + "-" * 75,
        "## 1\\. Watching and Searching: A Video Research Benchmark for Agentic Reasoning ##",
    )
    assert _titles(closed)[0] == (
        "Watching and Searching: A Video Research Benchmark for Agentic Reasoning"
    )


# A rendered table copied from a browser: its cells set apart by tabs.
TABBED = """Daily Papers

Mar 25, 2026

Title\tAuthors\tSummary
Folding Laundry with Tactile Robots\tAda Example\tWe fold laundry. It works.

Streaming Translation as Efficiently as Offline

When the complete source sentence is provided, language models translate well. We
propose a new paradigm for streaming input.
"""


def test_a_row_of_tab_separated_cells_is_never_a_title() -> None:
    titles = _titles(TABBED)
    assert "Title Authors Summary" not in titles
    assert "Streaming Translation as Efficiently as Offline" in titles
    assert not any("\t" in t or "Ada Example" in t for t in titles)


# A bot's page as a browser copies it: each paper's fields on lines of their own.
FIELDS = """Daily Papers

Mar 25, 2026

Streaming Translation as Efficiently as Offline

arXiv:2504.09570v1 Announce Type: cross

Category: cs.CL Published: 2026-03-24 Score: 4.5

When the complete source sentence is provided, language models translate well. We
propose a new paradigm for streaming input.

Score: 8/10
"""


def test_labelled_numbers_days_and_announce_types_are_fields_not_titles() -> None:
    papers = list(sources.parse_bytes(FIELDS.encode(), "page.txt").digest.papers)
    assert [p.title for p in papers] == ["Streaming Translation as Efficiently as Offline"]
    assert papers[0].arxiv_id == "2504.09570"


def test_a_short_label_led_by_a_pictograph_is_a_section_not_a_paper() -> None:
    text = FIELDS.replace(
        "Streaming Translation",
        "📊 Statistics\n\nTotal papers seen this week across every field we track.\n\nStreaming Translation",
    )
    assert _titles(text.replace("page.md", "page.txt")) == [
        "Streaming Translation as Efficiently as Offline"
    ]
    # A math sign leading a name stays: "∆-SQIsign" is a title.
    assert "∆-SQIsign: A New Signature Scheme" in _titles(
        FIELDS.replace(
            "Streaming Translation as Efficiently as Offline", "∆-SQIsign: A New Signature Scheme"
        )
    )


# A bot's summaries as a browser copies them: labelled parts under each title.
SUMMARIES = """Daily Papers

Mar 25, 2026

Streaming Translation as Efficiently as Offline

We translate streams of text as well as whole sentences. It works in practice.

Keywords: streaming, translation, language models

Method: We feed the source tokens as they arrive and decode with a wait policy.

Rigorous and Critical Evaluation:

The method is simple. Its evaluation covers four language pairs and two domains.

Teaching Robots to Fold Laundry with Touch

We fold laundry with tactile sensing. Towels and shirts both fold well.
"""


def test_labelled_summary_parts_are_never_titles() -> None:
    papers = list(sources.parse_bytes(SUMMARIES.encode(), "page.txt").digest.papers)
    assert [p.title for p in papers] == [
        "Streaming Translation as Efficiently as Offline",
        "Teaching Robots to Fold Laundry with Touch",
    ]
    assert "Method: We feed the source tokens" in papers[0].abstract
