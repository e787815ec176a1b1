"""General rules learnt from the held-out batch 2026-12-03i.

Each bad case is an excerpt written here in the shape of a real page the
importer misread (tests/fixtures/real/SOURCES.md); titles and ids are made
up. What they share: a page names its papers in ways a note-taking app or a
converter has, and the importer must read those or refuse, never guess. A
note's front matter names its paper better than its first section heading;
an Obsidian ``[[ID]]`` link names a paper as surely as an arxiv.org link; a
bilingual table (``标题 / Title``) gives the untranslated half of a title;
``Untitled Document`` is no paper's title; a labelled ``Compiled:`` day beats
a heading's week range; and a bold headline over a list item linking only
the paper's id, or a bold id with a quoted title, names that paper.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker import sources
from tracker.sources import title_check
from tracker.sources.page.tables import original_half
from tracker.sources.parsed import DigestError, ParsedPaper


def _parsed(text: str, name: str = "page.md") -> sources.Parsed:
    return sources.parse_bytes(text.encode(), name)


# A note on one paper in an Obsidian vault: its title in the front matter,
# then summaries and sections; the first heading is a section of the note.
NOTE = """---
title: "Cooling Qubits with Small Fridges"
authors:
  - Ada Example
arxiv_id: "2607.11111"
date: 2026-07-21
url: https://arxiv.org/abs/2607.11111
---

> **一句话总结：** 用小冰箱冷却量子比特。

> **TL;DR:** Small fridges cool qubits faster than large ones.

## 核心贡献

- **更快：** 小冰箱更快。

## Key Contributions

- **Faster.** Small fridges are faster.
"""


def test_a_note_on_one_paper_is_titled_by_its_front_matter() -> None:
    parsed = _parsed(NOTE)
    papers = list(parsed.digest.papers)
    assert [p.title for p in papers] == ["Cooling Qubits with Small Fridges"]
    assert papers[0].arxiv_id == "2607.11111"
    assert parsed.digest.sections[0].date == "2026-07-21"


# An Obsidian daily digest: papers named only by "[[ID]]" links to their notes,
# in numbered headings and in a bilingual table of all papers.
WIKI = """---
title: "Daily arXiv Digest — 2026-07-21"
date: 2026-07-21
---

# Daily arXiv Digest — 2026-07-21

## 今日必读 / Must Read Today

### 1. [[2607.22222]] — Measuring Patience in Language Models

> **推荐理由：** 很重要。

## All Papers

| ID | 标题 / Title | 主题 / Topic |
|---|---|---|
| [[2607.11111]] | Cooling Qubits with Small Fridges / 用小冰箱冷却量子比特 | 量子 |
| [[2607.22222]] | Patience in LMs / 语言模型的耐心 | 评测 |
| [[2607.33333|Sparse Spins]] | Sparse Spins near a Critical Point / 临界点附近的稀疏自旋 | 物理 |
"""


def test_obsidian_id_links_name_papers() -> None:
    parsed = _parsed(WIKI)
    papers = {p.arxiv_id: p.title for p in parsed.digest.papers}
    assert papers == {
        "2607.22222": "Measuring Patience in Language Models",
        "2607.11111": "Cooling Qubits with Small Fridges",
        "2607.33333": "Sparse Spins near a Critical Point",
    }
    assert [s.date for s in parsed.digest.sections] == ["2026-07-21"]


@pytest.mark.parametrize(
    ("cell", "kept"),
    [
        ("Cooling Qubits / 冷却量子比特", "Cooling Qubits"),
        ("冷却量子比特 / Cooling Qubits", "Cooling Qubits"),
        ("Input / Output Scheduling for GPUs", "Input / Output Scheduling for GPUs"),
        ("A / B Testing / Revisited", "A / B Testing / Revisited"),
    ],
)
def test_a_bilingual_cell_keeps_its_untranslated_half(cell: str, kept: str) -> None:
    assert original_half(cell) == kept


_LATIN = st.text(
    st.characters(
        whitelist_categories=("Lu", "Ll", "Nd"), max_codepoint=0x24F, whitelist_characters=" -:/"
    ),
    min_size=1,
    max_size=40,
)


@given(text=_LATIN)
def test_a_cell_without_a_translation_is_left_whole(text: str) -> None:
    assert original_half(text) == text


# ar5iv's page of a paper whose conversion failed: the page's title is the id and a
# placeholder, its body an error sentence.
AR5IV = """<!DOCTYPE html><html><head>
<title>[2309.99999] Untitled Document</title>
<meta property="og:title" content="Untitled Document">
<link rel="canonical" href="https://ar5iv.labs.arxiv.org/html/2309.99999">
</head><body>
<div>Conversion to HTML had a Fatal error and exited abruptly. This document may be
truncated or damaged.</div>
<a href="/log/2309.99999">Conversion<br>report</a>
<a href="https://arxiv.org/abs/2309.99999">View&nbsp;original<br>on&nbsp;arXiv</a><a href="/html/2309.99998">►</a>
</body></html>
"""


def test_a_page_titled_untitled_document_is_refused() -> None:
    with pytest.raises(DigestError, match="placeholder such as 'Untitled Document'"):
        _parsed(AR5IV, "paper.html")


@pytest.mark.parametrize(
    "title",
    ["Untitled Document", "[2309.99999] Untitled Document", "Untitled", "No title", "(untitled)"],
)
def test_a_placeholder_is_no_title(title: str) -> None:
    warning = title_check.skipped_title(ParsedPaper(title=title, abstract="", line=3))
    assert warning is not None
    assert "placeholder" in warning.message


@pytest.mark.parametrize(
    "title",
    ["Untitled: Learning Without Labels", "Untitled Spaces in Topology", "No Title Left Behind"],
)
def test_a_title_that_starts_with_untitled_is_kept(title: str) -> None:
    assert title_check.skipped_title(ParsedPaper(title=title, abstract="", line=3)) is None


# An agent's weekly digest: the heading names the week it covers, a labelled line
# the day it was compiled; papers as bold headlines over a bullet linking the id,
# and rejected candidates as bold bare ids with their titles quoted.
WEEKLY = """# 📜 ArXiv Weekly Digest — April 14–20, 2026

**Compiled:** Tuesday, April 21, 2026
**Pool:** ~541 papers

## Reading Priority

### Must-Read

**♾️ Cooling Qubits with Small Fridges** — A closed-form formula for cooling, shown on seven fridges.

- [2604.11111](https://arxiv.org/abs/2604.11111) — Example, Sample
- Quality: 8/10 | Relevance: 9/10
- [Full report](2026-04-21/02_Example_2604.11111)

🌀 **Sparse Spins near a Critical Point (v2 update)** — Updated version of a 2025 paper.

- [2509.22222v2](https://arxiv.org/abs/2509.22222) — Other, Person

## Papers That Failed Critical Review

1. **2604.33333** — Juraev, Tursunov — "Precision Tests of Tail Terms in Schwarzschild"
   - Quality: 5/10 | FAIL — Narrow scope

2. **2604.44444** — Wang, Wei — "Topologically Equivalent Orbits in EMRI Systems"
   - Quality: 5/10 | FAIL — Exotic background

## Thematic Trends This Week

The updated paper (2509.22222v2) and the fridge paper (2604.11111) show a trend.
"""


def test_a_labelled_day_beats_the_week_a_heading_names() -> None:
    parsed = _parsed(WEEKLY)
    assert [s.date for s in parsed.digest.sections] == ["2026-04-21"]


def test_bold_headlines_over_id_links_and_bold_ids_with_quoted_titles_are_papers() -> None:
    papers = {p.arxiv_id: p.title for p in _parsed(WEEKLY).digest.papers}
    assert papers == {
        "2604.11111": "Cooling Qubits with Small Fridges",
        "2509.22222": "Sparse Spins near a Critical Point (v2 update)",
        "2604.33333": "Precision Tests of Tail Terms in Schwarzschild",
        "2604.44444": "Topologically Equivalent Orbits in EMRI Systems",
    }


# Bold phrases in prose and a bold id without a quoted title are not papers.
NOT_HEADLINES = """# Notes — 2026-04-21

We liked **this idea** — it is neat, says [2604.11111](https://arxiv.org/abs/2604.11111).

- [2604.22222](https://arxiv.org/abs/2604.22222) — a paper we cite

1. **2604.33333** — Juraev, Tursunov
"""


def test_a_bold_phrase_in_prose_or_a_bare_bold_id_is_no_title() -> None:
    try:
        papers = list(_parsed(NOT_HEADLINES).digest.papers)
    except DigestError:
        return  # refused: nothing stored
    titles = {p.title for p in papers}
    assert not titles & {"this idea", "2604.33333", "Juraev, Tursunov"}
    assert "2604.33333" not in {p.arxiv_id for p in papers}
