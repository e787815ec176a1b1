"""General rules for pages made by other people's tools: markup, tables, HTML inside Markdown.

Each bad case here is written in the shape of a real page the importer once
misread (the held-out batch of tests/fixtures/real/SOURCES.md): a firecrawl
capture of a search view, a Korean briefing saved as HTML, a Chinese daily
with bracketed titles, a cv-arxiv-daily README of tables, a Jekyll index with
HTML tables. The properties check the rules behind the fixes on any page:
markup never reaches a title, and tables, HTML blocks and headings never
become papers unless they carry a paper.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker import sources
from tracker.library import Library
from tracker.models import normalize_title
from tracker.sources import markup
from tracker.sources.parsed import DigestError, DoubtfulDigestError, ParsedPaper
from tracker.sources.title_check import markup_in


def _parse(text: str, name: str = "page.md", fmt: str = sources.AUTO) -> sources.Parsed:
    return sources.parse_bytes(text.encode(), name, fmt)


def _titles(parsed: sources.Parsed) -> list[str]:
    return [p.title for p in parsed.digest.papers]


def _by_id(parsed: sources.Parsed) -> dict[str | None, ParsedPaper]:
    return {p.arxiv_id: p for p in parsed.digest.papers}


def _import(tmp_path: Path, data_dir: Path, name: str, text: str, *, date: str) -> Library:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    lib = Library.open(data_dir)
    lib.import_file(path, date=date)
    return lib


# -- a firecrawl capture of a search view -------------------------------------------------

FIRECRAWL = """\
---
url: https://huggingface.co/papers?q=source%20citations
retrieved: 2026-10-02
command: firecrawl scrape https://huggingface.co/papers?q=source%20citations --only-main-content
title: Daily Papers - Hugging Face
---
Get trending papers in your email inbox!

# Daily Papers

Oct 2

[101](https://huggingface.co/login?next=%2Fpapers%2F2606.00683)

### [OCC-RAG: Optimal Cognitive Core for Faithful Question Answering](https://huggingface.co/papers/2606.00683)

[Recent progress in language models has been defined by scale. We introduce a family of small\\\\
models built for faithful question answering over the given passages.](https://huggingface.co/papers/2606.00683)

[![occ-ai](https://cdn-avatars.huggingface.co/occ.png)OCC](https://huggingface.co/occ-ai)

·

May 29[6](https://huggingface.co/papers/2606.00683#community)

[-](https://huggingface.co/login?next=%2Fpapers%2F2502.20581)

### [The Noisy Path from Source to Citation: Measuring How Scholars Engage\\  with Past Research](https://huggingface.co/papers/2502.20581)

[Academic citations are widely used for evaluating research. We measure how faithfully\\\\
citing papers keep the claims of the papers they cite.](https://huggingface.co/papers/2502.20581)

[- ![](https://cdn-avatars.huggingface.co/a.png)\\\\
- 3 authors](https://huggingface.co/papers/2502.20581)

·

Feb 27, 2025

[-](https://huggingface.co/login?next=%2Fpapers%2F2402.03003)

### [\\[Citation needed\\] Data usage and citation practices in medical imaging\\  conferences](https://huggingface.co/papers/2402.03003)

[Medical imaging papers often do not say which data they used. We count how often they do.](https://huggingface.co/papers/2402.03003)

·

Feb 5, 2024
"""


def test_firecrawl_escaped_line_break_is_a_space_not_a_backslash() -> None:
    """Bad case: 38 titles kept firecrawl's 'Engage\\  with'."""
    titles = _titles(_parse(FIRECRAWL))
    assert titles[1] == (
        "The Noisy Path from Source to Citation: Measuring How Scholars Engage with Past Research"
    )
    assert not any("\\" in title for title in titles)


def test_escaped_brackets_in_link_text_are_part_of_the_title() -> None:
    """Bad case: '[\\[Citation needed\\] Data usage …](…)' lost its '[Citation needed]'."""
    assert _titles(_parse(FIRECRAWL))[2] == (
        "[Citation needed] Data usage and citation practices in medical imaging conferences"
    )


def test_capture_day_in_front_matter_dates_the_page() -> None:
    """Bad case: 'retrieved: 2026-10-02' (front matter) was not the year of 'Oct 2'."""
    parsed = _parse(FIRECRAWL)
    assert [(s.label, s.date) for s in parsed.digest.sections] == [("Oct 2", "2026-10-02")]
    # The papers' own dates take the page's year where they print none.
    assert [p.published for p in parsed.digest.papers] == ["2026-05-29", "2025-02-27", "2024-02-05"]


def test_a_link_to_the_previous_day_gives_the_pages_year() -> None:
    """Bad case: 'Oct 2' above '[Previous](…/papers/date/2026-10-01)' stayed without a year."""
    text = (
        FIRECRAWL.split("---\n", 2)[2]
        + "\n[Previous](https://huggingface.co/papers/date/2026-10-01)\n"
    )
    parsed = _parse(text)
    assert [(s.label, s.date) for s in parsed.digest.sections] == [("Oct 2", "2026-10-02")]


def test_abstract_given_as_a_link_to_the_same_paper_is_its_abstract() -> None:
    """Bad case: '[abstract…](same paper link)' under the title was taken for a field."""
    papers = _by_id(_parse(FIRECRAWL))
    assert papers["2606.00683"].abstract == (
        "Recent progress in language models has been defined by scale. We introduce a family of "
        "small models built for faithful question answering over the given passages."
    )
    assert papers["2402.03003"].abstract.startswith("Medical imaging papers often")
    assert papers["2606.00683"].upvotes == 101


# -- a briefing saved as HTML ---------------------------------------------------------------

BRIEFING = """\
<!DOCTYPE html>
<html><head><title>arXiv Daily Briefing — 2026-04-18</title></head><body>
<h1>📄 arXiv Daily Briefing — 2026-04-18 (금)</h1>
<h2>💡 오늘의 인사이트</h2>
<h3>1. VLA가 구조적 추론기로 진화 중이다</h3>
<p>오늘 나온 <a href="https://arxiv.org/abs/2604.14732">WAV model</a>은 world model로 계획을 세우고,
<a href="https://arxiv.org/abs/2604.14125">HiVLA</a>는 planner와 action expert를 나눕니다.
두 논문 모두 행동 예측을 넘어섭니다.</p>
<h2>📄 논문별 요약</h2>
<h4 class="bucket">🤖 Robot Learning · 2편</h4>
<div class="paper"><div class="paper-line1">📄 <a href="https://arxiv.org/abs/2604.14732"><strong>World-Value-Action Model: Implicit Planning for Vision-Language-Action Systems</strong></a> <span class="badge">RO</span></div>
<div class="paper-authors">👥 Runze Li, Hongyin Zhang et al.</div>
<p>VLA 시스템에 implicit planning을 도입하는 프레임워크입니다. 미래 상태를 예측합니다.</p></div>
<div class="paper"><div class="paper-line1">📄 <a href="https://arxiv.org/abs/2604.14125"><strong>HiVLA: A Visual-Grounded-Centric Hierarchical Embodied Manipulation System</strong></a> <span class="badge">CV/RO</span></div>
<p>VLM planner와 diffusion action expert를 분리합니다. 추론 능력을 지킵니다.</p></div>
<h4 class="bucket">🚗 Autonomous Driving · 1편</h4>
<div class="paper"><div class="paper-line1">📄 <a href="https://arxiv.org/abs/2604.14454"><strong>CooperDrive: Enhancing Driving Decisions Through Cooperative Perception</strong></a> <span class="badge">CV/RO</span></div>
<p>가벼운 object-level 공유만으로 연동됩니다. 각 차량은 자체 스택을 유지합니다.</p></div>
</body></html>
"""


def test_card_link_with_emphasis_and_a_badge_is_the_papers_title() -> None:
    """Bad case: '📄 [**Title**](abs) CV' cards were never read; bucket headings became rows."""
    parsed = _parse(BRIEFING, "briefing.html")
    assert _titles(parsed) == [
        "World-Value-Action Model: Implicit Planning for Vision-Language-Action Systems",
        "HiVLA: A Visual-Grounded-Centric Hierarchical Embodied Manipulation System",
        "CooperDrive: Enhancing Driving Decisions Through Cooperative Perception",
    ]
    assert [(s.label, s.date) for s in parsed.digest.sections] == [("Apr 18", "2026-04-18")]


def test_short_link_texts_in_prose_never_win_over_the_card_title() -> None:
    """Bad case: 'WAV model' (the same id, linked in a paragraph) is not a title."""
    titles = _titles(_parse(BRIEFING, "briefing.html"))
    assert "WAV model" not in titles and "HiVLA" not in titles


def test_a_short_title_link_gives_way_to_a_bold_one_for_the_same_paper() -> None:
    text = (
        "# Notes, Oct 7, 2024\n\n[WAV model](https://arxiv.org/abs/2604.14732)\n\n"
        "## Papers\n\n📄 [**World-Value-Action Model: Implicit Planning**]"
        "(https://arxiv.org/abs/2604.14732) RO\n\nIt plans in a latent space. It works.\n"
    )
    assert _titles(_parse(text)) == ["World-Value-Action Model: Implicit Planning"]


def test_a_heading_over_cards_of_its_own_is_never_a_paper() -> None:
    """Bad case: 'Autonomous Driving · 2편' (a bucket of cards) became a junk row."""
    titles = _titles(_parse(BRIEFING, "briefing.html"))
    assert not any("편" in title or "인사이트" in title for title in titles)


# -- a Chinese daily with bracketed titles --------------------------------------------------

BRACKETED = """\
今日的 Hugging Face Daily Papers 展现了智能体方向的强劲发展势头。

---

### 1. **[EvoArena: Tracking Memory Evolution for Robust LLM Agents in Dynamic Environments]**
- **论文链接**: [https://huggingface.co/papers/2606.13681](https://huggingface.co/papers/2606.13681)
- **研究机构/作者**: 研究团队
- **核心痛点与创新点**: 动态环境对 LLM 智能体提出了巨大挑战。本论文提出了 EvoArena 框架。

---

### 2. **[InterleaveThinker: Reinforcing Agentic Interleaved Generation]**
- **链接**: [https://huggingface.co/papers/2606.13679](https://huggingface.co/papers/2606.13679)
- **核心痛点与创新点**: 传统的交错式多模态生成通常会面临图文不匹配的问题。
"""


def test_brackets_around_a_whole_title_that_link_nowhere_are_not_part_of_it() -> None:
    """Bad case: '### N. **[Title]**' was imported with its brackets."""
    parsed = _parse(BRACKETED)
    assert _titles(parsed) == [
        "EvoArena: Tracking Memory Evolution for Robust LLM Agents in Dynamic Environments",
        "InterleaveThinker: Reinforcing Agentic Interleaved Generation",
    ]
    assert [p.arxiv_id for p in parsed.digest.papers] == ["2606.13681", "2606.13679"]


# -- Markdown tables of papers (the cv-arxiv-daily README) ----------------------------------

ARXIV_DAILY = """\
## Updated on 2023.01.18

<details>
  <summary>Table of Contents</summary>
  <ol>
    <li><a href=#NLP>NLP</a></li>
    <li><a href=#Legal-NLP>Legal NLP</a></li>
  </ol>
</details>

## NLP

|Publish Date|Title|Authors|PDF|Code|
|---|---|---|---|---|
|**2023-01-17**|**On the State of German (Abstractive) Text Summarization**|Dennis Aumiller et.al.|[2301.07095v1](http://arxiv.org/abs/2301.07095v1)|null|
|**2022-12-30**|**TA-DA: Topic-Aware Domain Adaptation for Scientific Keyphrase Identification**|Răzvan-Alexandru Smădu et.al.|[2301.06902v1](http://arxiv.org/abs/2301.06902v1)|**[link](https://github.com/x/y)**|
|**2023-01-12**|**Counterfactual Explanations for Concepts in $\\mathcal{ELH}$**|Leonie Nora Sieger et.al.|[2301.05109v1](http://arxiv.org/abs/2301.05109v1)|null|

<p align=right>(<a href=#updated-on-20230118>back to top</a>)</p>

## Legal NLP

|Publish Date|Title|Authors|PDF|Code|
|---|---|---|---|---|
|**2023-01-12**|**Counterfactual Explanations for Concepts in $\\mathcal{ELH}$**|Leonie Nora Sieger et.al.|[2301.05109v1](http://arxiv.org/abs/2301.05109v1)|null|
|**2023-01-05**|**A Legal Question Answering Dataset**|Ada Lovelace et.al.|[2301.02000v1](http://arxiv.org/abs/2301.02000v1)|null|
"""
ARXIV_DAILY_TITLES = [
    "On the State of German (Abstractive) Text Summarization",
    "TA-DA: Topic-Aware Domain Adaptation for Scientific Keyphrase Identification",
    "Counterfactual Explanations for Concepts in $\\mathcal{ELH}$",
    "A Legal Question Answering Dataset",
]


def test_markdown_tables_of_papers_are_read_by_their_columns() -> None:
    """Bad case: a cv-arxiv-daily README was refused, or with --date read as junk rows."""
    parsed = _parse(ARXIV_DAILY, "README.md")
    assert _titles(parsed) == ARXIV_DAILY_TITLES  # a row repeated in a second table is one paper
    assert [(s.label, s.date) for s in parsed.digest.sections] == [("Jan 18", "2023-01-18")]
    first = parsed.digest.papers[0]
    assert (first.arxiv_id, first.authors, first.published) == (
        "2301.07095",
        ("Dennis Aumiller",),
        "2023-01-17",
    )


def test_tables_of_papers_imported_with_date_give_no_junk(tmp_path: Path, data_dir: Path) -> None:
    """Bad case: with --date forced, 83 junk rows (table rows, <details>, headers)."""
    lib = _import(tmp_path, data_dir, "README.md", ARXIV_DAILY, date="2023-01-18")
    assert sorted(p.title for p in lib.papers) == sorted(ARXIV_DAILY_TITLES)


def test_a_table_that_is_not_a_list_of_papers_gives_no_paper() -> None:
    text = (
        "# Daily Papers, Oct 7, 2024\n\n"
        "### [Pointer Networks](https://huggingface.co/papers/1506.03134)\n\n"
        "We introduce a neural architecture that learns to point. It works well.\n\n"
        "| Metric | Score | Notes |\n|---|---|---|\n"
        "| Accuracy on sorting | 0.93 | better than a sequence model |\n"
        "| Convex hull | [see the paper](https://huggingface.co/papers/1506.03134) | fine |\n"
    )
    assert _titles(_parse(text)) == ["Pointer Networks"]


# -- HTML inside Markdown (a Jekyll index) --------------------------------------------------

JEKYLL = """\
---
layout: default
title: arXiv 中文要点汇总 - cs.CL - 2025-08-26
---

# cs.CL（2025-08-26）

📊 共 **2** 篇论文

<h2 id="pillar">🔬 支柱九：具身大模型 (2 篇)</h2>

<table>
<thead>
<tr><th>#</th><th>题目</th><th>一句话要点</th><th>⭐</th></tr>
</thead>
<tbody>
<tr>
  <td>1</td>
  <td><a href="./papers/250818673v2-tailored-teaching.html">Tailored Teaching with Balanced Difficulty</a></td>
  <td>提出基于平衡难度的定制教学方法</td>
  <td><button data-arxiv-id="2508.18673v2" onclick="toggleFavorite(this, '2508.18673v2', 'Tailored Teaching with Balanced Difficulty')">☆</button></td>
</tr>
<tr>
  <td>2</td>
  <td><a href="./papers/250819475v2-automatic-question.html">Automatic Question & Answer Generation Using Generative Large Language Model (LLM)</a></td>
  <td>提出基于生成大语言模型的自动化问答生成方法</td>
  <td><button data-arxiv-id="2508.19475v2">☆</button></td>
</tr>
</tbody>
</table>

[返回主页](../../index.html)
"""


def test_html_tables_inside_markdown_are_read_as_tables() -> None:
    """Bad case: titles in <table> cells of a Markdown page were never found (refused)."""
    parsed = _parse(JEKYLL, "index.md")
    assert _titles(parsed) == [
        "Tailored Teaching with Balanced Difficulty",
        "Automatic Question & Answer Generation Using Generative Large Language Model (LLM)",
    ]
    assert [p.arxiv_id for p in parsed.digest.papers] == ["2508.18673", "2508.19475"]
    assert [(s.label, s.date) for s in parsed.digest.sections] == [("Aug 26", "2025-08-26")]


def test_html_inside_markdown_imported_with_date_gives_no_markup_rows(
    tmp_path: Path, data_dir: Path
) -> None:
    """Bad case: with --date forced, 45 rows of <tr>/<td>/<h2> markup."""
    lib = _import(tmp_path, data_dir, "index.md", JEKYLL, date="2025-08-26")
    titles = [p.title for p in lib.papers]
    assert len(titles) == 2
    assert not any(markup_in(title) for title in titles)


def _table_digest(rows: int, good: int = 0) -> str:
    """A plain page (no paper links) whose title blocks are table rows and HTML cells."""
    blocks = ["Aug 25"]
    for n in range(1, good + 1):
        blocks += [
            f"A Good Paper Title Number {n}",
            f"Its abstract, number {n}. It reads as prose.",
        ]
    for n in range(1, rows + 1):
        blocks += [
            f"| Paper Title Number {n} | 0.9{n} |",
            f"An abstract sentence about paper {n}. It is long enough to read as prose, really.",
            f"<td>Paper Title In A Cell {n}</td>",
            f"Another abstract for the cell {n}. It also reads as prose here.",
        ]
    return "\n\n".join(blocks) + "\n"


def test_a_text_page_whose_titles_carry_markup_is_refused_even_with_date(
    tmp_path: Path, data_dir: Path
) -> None:
    """Bad case: the plain-text reader stored table rows and <td> cells as papers."""
    path = tmp_path / "table.txt"
    path.write_text(_table_digest(3), encoding="utf-8")
    lib = Library.open(data_dir)
    with pytest.raises(DoubtfulDigestError) as err:
        lib.import_file(path, date="2024-08-25")
    message = str(err.value)
    assert "table.txt" in message and "markup" in message and "\n" not in message
    assert not lib.papers


def test_a_few_marked_up_titles_are_skipped_and_said_the_rest_imported() -> None:
    parsed = _parse(_table_digest(1, good=4), "mostly.txt")
    assert _titles(parsed) == [f"A Good Paper Title Number {n}" for n in range(1, 5)]
    skipped = [str(w) for w in parsed.digest.warnings if "table row's pipes" in str(w)]
    assert skipped == [
        "line 19: skipped '| Paper Title Number 1 | 0.91 |': it holds a table row's pipes, "
        "not a title of a paper",
        # "<td>…</td>" on its own is an HTML block: read as the table cell it is.
        "line 23: skipped '| Paper Title In A Cell 1 |': it holds a table row's pipes, "
        "not a title of a paper",
    ]


def test_headings_without_abstracts_are_refused_even_with_date(
    tmp_path: Path, data_dir: Path
) -> None:
    """A documentation page read by the plain-text reader: headings, no abstract under them."""
    text = (
        "Hub documentation\n\nPaper Pages\n\n"
        "Paper pages allow people to find artifacts related to a paper such as models and "
        "datasets. They also let authors claim their papers.\n\n"
        "Linking a Paper to a model\n\nClaiming authorship to a Paper\n\n"
        "Frequently asked questions\n\nControlling which Paper pages show in your profile\n\n"
        "Visit your settings and pick the papers you want. Hidden ones stay hidden.\n\n"
        "API docs\n\nJoin the Hugging Face community\n"
    )
    path = tmp_path / "docs.md"
    path.write_text(text, encoding="utf-8")
    lib = Library.open(data_dir)
    with pytest.raises(DoubtfulDigestError):
        lib.import_file(path, date="2026-08-21")
    assert not lib.papers


# -- properties -------------------------------------------------------------------------------

_WORDS = st.sampled_from(
    [
        "Attention", "Sparse", "Routers", "Long", "Context", "Agents", "Memory", "Diffusion",
        "Graph", "Tokens", "Vision", "Language", "Model", "Scaling", "Laws", "Tiny", "Robust",
        "Learning", "Planning", "3D", "N_0", "A*", "(ICLR)", "[Citation", "needed]", "C++", "100%",
        "x_1", "&", "|", "<think>", "\\", "$\\mathcal{O}$"
    ]
)  # fmt: skip
# A title opens with a word, a bracket or TeX (a leading "📄 " or "- " is the page's),
# and is not all in brackets ("**[Title]**": brackets a page puts around a title).
_TITLE = (
    st.lists(_WORDS, min_size=3, max_size=10)
    .map(" ".join)
    .filter(
        lambda t: (
            markup_in(t) is None
            and sum(c.isalpha() for c in t) >= 8
            and (t[0].isalpha() or t[0] in "[($")
            and t[-1] not in "|&\\"
            and not (t[0] == "[" and t[-1] == "]")
        )
    )
)


def _escape(title: str) -> str:
    """A title as a Markdown writer puts it inside a link's brackets."""
    out = []
    for char in title:
        out.append("\\" + char if char in "\\[]*_`" else char)
    return "".join(out)


@st.composite
def _linked_pages(draw: st.DrawFn) -> tuple[str, list[str]]:
    titles = draw(st.lists(_TITLE, min_size=1, max_size=5, unique_by=normalize_title))
    lines = ["# Daily Papers", "", "Oct 7, 2024", ""]
    for number, title in enumerate(titles):
        pid = f"2410.{number + 1:05d}"
        shown = _escape(title)
        if draw(st.booleans()):
            shown = f"**{shown}**"
        if draw(st.booleans()) and " " in shown:  # wrapped by the converter
            head, _, tail = shown.partition(" ")
            shown = head + draw(st.sampled_from(["\\  ", "\n", "\\\n"])) + tail
        lines += [f"### [{shown}](https://huggingface.co/papers/{pid})", ""]
        lines += ["It does one thing. It does it well.", ""]
    return "\n".join(lines) + "\n", titles


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_linked_pages())
def test_link_titles_read_as_the_page_shows_them(page_and_titles: tuple[str, list[str]]) -> None:
    """Escapes, emphasis and converter line breaks inside link text never reach a title."""
    text, titles = page_and_titles
    assert _titles(_parse(text)) == titles


_CELL = st.one_of(
    st.sampled_from(
        [
            "0.93", "**bold**", "`code`", "[link](https://example.com)", "—", "null",
            "[2410.00001v1](http://arxiv.org/abs/2410.00001v1)", "<b>x</b>", "✅", "",
            "a longer sentence that says something. And another one.",
        ]
    ),
    st.lists(_WORDS, min_size=1, max_size=4).map(" ".join),
)  # fmt: skip
_HEADER = st.sampled_from(["Metric", "Score", "Notes", "#", "Category", "Paper IDs", "Links"])


@st.composite
def _tables(draw: st.DrawFn) -> str:
    width = draw(st.integers(min_value=2, max_value=5))
    header = draw(st.lists(_HEADER, min_size=width, max_size=width))
    rows = draw(st.lists(st.lists(_CELL, min_size=width, max_size=width), max_size=6))
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * width]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


_HTML_BLOCK = st.sampled_from(
    [
        "<details>\n<summary>Table of Contents</summary>\n<ol>\n<li><a href=#a>Agents</a></li>\n</ol>\n</details>",
        '<div align="center">\n<img src="logo.png">\n<h2>Paper Digest Of The Day</h2>\n</div>',
        "<table>\n<tr><td>1</td><td>Some Cell Text Here</td></tr>\n</table>",
        '<p align=right>(<a href=#top>back to top</a>)</p>',
        "<h3>Research Topics Worth Watching</h3>",
    ]
)  # fmt: skip


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_linked_pages(), st.lists(st.one_of(_tables(), _HTML_BLOCK), max_size=4), st.data())
def test_tables_and_html_blocks_that_are_not_papers_add_no_paper(
    page_and_titles: tuple[str, list[str]], extras: list[str], data: st.DataObject
) -> None:
    """Tables of other things and HTML blocks around the cards: the cards' papers, nothing else."""
    text, titles = page_and_titles
    blocks = text.split("\n\n")
    for extra in extras:
        at = data.draw(st.integers(min_value=1, max_value=len(blocks)))
        blocks.insert(at, extra)
    parsed = _parse("\n\n".join(blocks))
    assert _titles(parsed) == titles


_SOUP = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "\n", "\n\n", "|", " | ", "|---|---|", "<td>", "</td>", "<tr>", "<table>",
                "<h2>", "</h2>", "<details>", "**", "__", "\\", "\\ ", "[", "](", ")",
                "https://arxiv.org/abs/2410.05258", "### ", "- ", "Title Of A Paper",
                "An abstract sentence. Another sentence.", "Oct 7", "&amp;", "`",
            ]
        ),
        _WORDS,
    ),
    max_size=60,
)  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_SOUP, st.sampled_from([sources.AUTO, "text", "arxiv", "html"]))
def test_markup_never_reaches_a_title(pieces: list[str], fmt: str) -> None:
    """Any mix of tables, HTML, links, emphasis and escapes, read as any format."""
    try:
        parsed = _parse("".join(pieces), "soup.md", fmt)
    except DigestError as err:
        assert "\n" not in str(err)
        return
    for paper in parsed.digest.papers:
        assert markup_in(paper.title) is None, paper.title
        assert paper.title == " ".join(paper.title.split())


def test_inline_text_shows_what_markdown_shows() -> None:
    assert markup.inline_text("**N\\_0-VTLA**") == "N_0-VTLA"
    assert markup.inline_text("Engage\\  with") == "Engage  with"
    assert markup.inline_text("tracing\\\\\nknowledge") == "tracing\nknowledge"
    assert markup.inline_text("\\[Citation needed\\]") == "[Citation needed]"
    assert markup.inline_text("Pad\\'e and Na\\\"ive") == "Pad\\'e and Na\\\"ive"  # TeX accents
