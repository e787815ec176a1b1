"""General rules learnt from the held-out batch 2026-12-03l.

Each bad case is an excerpt written here in the shape of a real page the
importer misread (tests/fixtures/real/SOURCES.md); titles and ids are made
up. A week's page of HTML cards inside Markdown (``<h3>`` title, ``Paper
Link`` to the paper) is dated by its range ``April 22-28, 2025`` (its first
day, with the year); ``Paper Link`` is what a link is, never a title, and a
card of the same template whose ``Paper Link`` goes to a lab's PDF is a
paper without an id. The same site's index of weeks (``### Week 17: …`` over
a blurb and ``Read More``) is refused, with or without ``--date``. A chat
bot's message gives each paper as ``[arXiv:ID](…)[Submitted on …]`` with the
bold title on the next line and the authors, unlabelled, under it. A Jekyll
post about one paper names it only in its front matter (``title:``,
``arxiv_id:``).
"""

from __future__ import annotations

import pytest

from tracker import sources
from tracker.sources import dates
from tracker.sources.page.shapes import title_of
from tracker.sources.parsed import DigestError


def _parsed(text: str, name: str) -> sources.Parsed:
    return sources.parse_bytes(text.encode(), name)


def _card(title: str, url: str, blurb: str, label: str = "Paper Link") -> str:
    return f"""      <div class="paper-card">
        <div class="paper-card-header">
          <h3>{title}</h3>
          <div class="paper-card-meta">
            <span class="paper-authors">Anonymous</span>
            <a href="{url}" class="paper-link" target="_blank">{label}</a>
          </div>
        </div>
        <div class="paper-card-content">
          <p>{blurb}</p>
        </div>
      </div>
"""


WEEK = (
    """<link rel="stylesheet" href="/assets/css/weekly-papers.css">

<div class="weekly-paper-container">
  <div class="weekly-paper-header">
    <span class="weekly-paper-date">April 22-28, 2025</span>
    <h1 class="weekly-paper-title">Week 17: Advances in Reasoning</h1>
  </div>

  <div class="weekly-paper-content">
    <section class="weekly-paper-section">
      <h2>Research Highlights</h2>
"""
    + _card(
        "Does Feedback Teach Models to Plan?",
        "https://arxiv.org/abs/2504.11111",
        "This paper asks whether feedback improves planning or only sampling, and finds the latter.",
    )
    + "\n"
    + _card(
        "Values Seen in Real Conversations",
        "https://assets.example-lab.com/values-paper.pdf",
        "Presents a large study of the values an assistant shows in real conversations with users.",
    )
    + "\n"
    + _card(
        "Tiny Planners",
        "https://arxiv.org/abs/2504.22222",
        "Shows that very small models can plan when they are trained on the right curriculum.",
    )
    + """    </section>
  </div>
</div>
"""
)


def test_a_weeks_html_cards_in_markdown() -> None:
    parsed = _parsed(WEEK, "week17.md")
    [section] = parsed.digest.sections
    assert section.date == "2025-04-22"  # the range's first day, with the range's year
    papers = list(section.papers)
    assert [(p.title, p.arxiv_id) for p in papers] == [
        ("Does Feedback Teach Models to Plan?", "2504.11111"),
        # The same card's "Paper Link" to a lab's PDF: a paper without an id, linked there.
        ("Values Seen in Real Conversations", None),
        ("Tiny Planners", "2504.22222"),
    ]
    assert papers[1].url == "https://assets.example-lab.com/values-paper.pdf"
    assert "values an assistant shows" in papers[1].abstract


def test_a_link_labelled_unlike_the_cards_own_is_no_paper() -> None:
    # "Slides" to a PDF is not the template's "Paper Link": that card stays out.
    week = WEEK.replace(
        'values-paper.pdf" class="paper-link" target="_blank">Paper Link',
        'values-slides.pdf" class="paper-link" target="_blank">Slides',
    )
    papers = list(_parsed(week, "week17.md").digest.papers)
    assert [p.title for p in papers] == [
        "Does Feedback Teach Models to Plan?",
        "Tiny Planners",
    ]


@pytest.mark.parametrize("label", ["Paper Link", "PDF URL", "Link to the paper", "paper link"])
def test_what_a_link_is_is_no_title(label: str) -> None:
    assert title_of(label) is None


def test_a_range_of_days_is_its_first_day_with_the_year() -> None:
    for text, iso in [
        ("April 22-28, 2025", "2025-04-22"),
        ("April 28 – May 4, 2025", "2025-04-28"),
        ("Apr 1–7 2025", "2025-04-01"),
    ]:
        found = dates.find_date(text)
        assert found is not None and found.iso == iso and found.span, text
    one = dates.find_date("April 22, 2025")
    assert one is not None and not one.span


def test_a_compiled_day_beats_the_range_a_weekly_covers() -> None:
    page = """# Weekly Digest — April 14–20, 2026

Compiled: Tuesday, April 21, 2026

## [Alpha Paper: One Thing Done Well](https://arxiv.org/abs/2604.11111)

We do one thing well, and we show it at length in this paper.

## [Beta Paper: Another Thing Done Better](https://arxiv.org/abs/2604.22222)

We do another thing better than the alpha paper did, as we show.
"""
    [section] = _parsed(page, "weekly.md").digest.sections
    assert section.date == "2026-04-21"


INDEX = """<div class="weekly-papers-index">
  <h1>Weekly AI Papers</h1>
  <p>Stay updated with the latest AI research papers, curated and summarized weekly.</p>
  <h2>2025</h2>
"""
for _week, _days in [
    (17, "April 22-28"),
    (16, "April 15-21"),
    (15, "April 8-14"),
    (14, "April 1-7"),
]:
    INDEX += f"""  <div class="week-card">
    <span class="week-date">{_days}, 2025</span>
    <div class="week-tags"><span>LLMs</span> <span>Agents</span></div>
    <h3>Week {_week}: Advances in Agents and Reasoning, Part {_week}</h3>
    <p>This week's research highlights progress in reasoning and agents, with several new benchmarks.</p>
    <a href="/content/research/weekly-papers/2025/week{_week}/">Read More</a>
  </div>
"""
INDEX += "</div>\n"


def test_an_index_of_weeks_is_refused_even_with_a_date() -> None:
    with pytest.raises(DigestError, match="section headings"):
        _parsed(INDEX, "weekly-papers.md")


MESSAGE = """# 📡 Daily GW arXiv Digest - 2026-02-24
**Found 3 gravitational wave papers**

[arXiv:2602.11111](https://arxiv.org/abs/2602.11111)[Submitted on 24 Feb 2026]
**There and back again -- Loops as a selection principle**
Ann Lee, Nils A. Nilsson, Bo Thakur
Subjects: **gr-qc**; hep-th

---

[arXiv:2602.22222](https://arxiv.org/abs/2602.22222) (replaced) [Submitted on 24 Feb 2026]
**Rethinking mass transfer: a framework for binaries. II. Orbital evolution**
A. Parkos, S. Toon
Subjects: **astro-ph.SR**

---

[arXiv:2602.33333](https://arxiv.org/abs/2602.33333)[Submitted on 24 Feb 2026]
**Detection prospects of solar $g$-modes with LISA**
Aman Awasthi
Subjects: **gr-qc**

---

📊 **Summary**: 2 New • 1 Replacement
"""


def test_a_chat_message_titles_each_id_link_by_the_bold_line_under_it() -> None:
    [section] = _parsed(MESSAGE, "mattermost.md").digest.sections
    assert section.date == "2026-02-24"
    papers = list(section.papers)
    assert [(p.title, p.arxiv_id) for p in papers] == [
        ("There and back again -- Loops as a selection principle", "2602.11111"),
        # A part's number ("II.") ends no sentence: the title is no prose.
        ("Rethinking mass transfer: a framework for binaries. II. Orbital evolution", "2602.22222"),
        ("Detection prospects of solar $g$-modes with LISA", "2602.33333"),
    ]
    # An unlabelled line of names under the title is the authors.
    assert papers[0].authors == ("Ann Lee", "Nils A. Nilsson", "Bo Thakur")
    assert papers[1].authors == ("A. Parkos", "S. Toon")


POST = """---
layout: paper
title: "Higgs Spaces"
title_ja: "Higgs空間"
authors: "Ann Bruzzo, Mia Graffeo"
arxiv_id: "2605.11111v1"
arxiv_submitted: "2026-05-27"
published: true
---

## 書誌情報

- **arXiv:** [arXiv:2605.11111v1](https://arxiv.org/abs/2605.11111v1)
- **著者:** Ann Bruzzo, Mia Graffeo

## 要約

Higgs束の部分束を調べる。本論文はその構造を明らかにする。

## 背景と問題設定

滑らかな多様体上のHiggs束はベクトル束である。
"""


def test_a_post_about_one_paper_named_in_its_front_matter() -> None:
    papers = list(_parsed(POST, "2605.11111.md").digest.papers)
    assert [(p.title, p.arxiv_id) for p in papers] == [("Higgs Spaces", "2605.11111")]
