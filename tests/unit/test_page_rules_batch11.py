"""General rules learnt from the held-out batch 2026-12-03k.

Each bad case is an excerpt written here in the shape of a real page the
importer misread (tests/fixtures/real/SOURCES.md); titles and ids are made
up. A day's page with nothing on it ("Papers for 2026-08-22", "No papers
found for this day.") names a day, not a paper, and is refused; a blog post
whose front matter's title names the day it lists beats its template's stale
``date:``; and a scraper's JSON (``{"timestamp": …, "items": [{"title",
"description", "url"}]}``) is dated by its timestamp with each description as
the paper's abstract. A bot's insight report names each paper by a bare id in
a ``**论文ID:** 2508.03694v1`` field (no link anywhere), scores it after its
title (``(评分: 7.5)``), says when it summarised it (``**总结时间:** …``, the
page's only day) and sets the paper's own sections (``#### 研究背景和问题``)
at the level of the paper's heading: the sections are the abstract, the
score and the bot's fields are no part of the paper. A briefing of working
papers with no arXiv id at all numbers its papers' headings and sets the
authors' byline (``A & B · venue · date``) under each: those are its papers.
"""

from __future__ import annotations

import json

import pytest

from tracker import sources
from tracker.sources.page.shapes import title_of
from tracker.sources.parsed import DigestError


def _parsed(text: str, name: str) -> sources.Parsed:
    return sources.parse_bytes(text.encode(), name)


EMPTY_DAY = """<!DOCTYPE html><html><body>
<nav><a href="/daily-papers">Daily Papers</a> <button>Past Days▼</button></nav>
<main><h1>Papers for <!-- -->2026-08-22</h1>
<p>No papers found for this day.</p>
<a href="/daily-papers">← Back to Today</a></main>
</body></html>
"""


def test_a_day_page_with_no_papers_is_refused() -> None:
    with pytest.raises(DigestError):
        sources.parse_bytes(EMPTY_DAY.encode(), "empty-day.html")


def test_a_heading_naming_the_papers_of_a_day_dates_the_page() -> None:
    page = EMPTY_DAY.replace(
        "<p>No papers found for this day.</p>",
        "<h2>Folding Laundry with Tactile Robots</h2><p>We fold laundry with touch. It works "
        "well on towels and shirts alike.</p>",
    )
    parsed = sources.parse_bytes(page.encode(), "day.html")
    assert [p.title for p in parsed.digest.papers] == ["Folding Laundry with Tactile Robots"]
    assert [s.date for s in parsed.digest.sections] == ["2026-08-22"]


HEXO = """---
title: HuggingFace Papers 2025-07-06
date: 2019-06-18
author: someone
tags: [HuggingFace, Papers]
---

> 数据来源：[HuggingFace Papers](https://huggingface.co/papers)

## Latest Papers

### 1. [Navigating Reasoning for Web Agents](https://huggingface.co/papers/2507.11111)

We navigate the web with a reasoning agent. It finds what others miss.

### 2. [Scene Reconstruction with Video Diffusion](https://huggingface.co/papers/2507.22222)

We reconstruct scenes from videos. The scenes keep their language labels.
"""


def test_a_front_matter_title_naming_the_day_beats_a_stale_date_field() -> None:
    parsed = sources.parse_bytes(HEXO.encode(), "post.md")
    assert [s.date for s in parsed.digest.sections] == ["2025-07-06"]
    # Without a day in the title, the date field is the page's day, as before.
    plain = HEXO.replace("title: HuggingFace Papers 2025-07-06", "title: HuggingFace Papers")
    assert [s.date for s in sources.parse_bytes(plain.encode(), "post.md").digest.sections] == [
        "2019-06-18"
    ]


SCRAPED = {
    "timestamp": "2025-07-06T13:10:22.628Z",
    "totalItems": 2,
    "items": [
        {
            "id": "hf-0-1751807338809",
            "title": "Navigating Reasoning for Web Agents",
            "description": "We navigate the web with a reasoning agent. It finds what others miss.",
            "url": "https://huggingface.co/papers/2507.11111",
            "source": "HuggingFace Papers",
            "timestamp": "2025-07-06T13:08:58.809Z",
            "metadata": {"authors": ["Ada Example"], "arxivId": "2507.11111"},
        },
        {
            "id": "hf-1-1751807338810",
            "title": "Scene Reconstruction with Video Diffusion",
            "description": "We reconstruct scenes from videos.",
            "url": "https://huggingface.co/papers/2507.22222",
            "source": "HuggingFace Papers",
            "timestamp": "2025-07-06T13:08:58.810Z",
            "metadata": {"authors": ["Bo Example"], "arxivId": "2507.22222"},
        },
    ],
}


def test_a_scrapers_json_is_dated_by_its_timestamp_with_descriptions_as_abstracts() -> None:
    parsed = sources.parse_bytes(json.dumps(SCRAPED, indent=2).encode(), "scraped.json")
    papers = list(parsed.digest.papers)
    assert [s.date for s in parsed.digest.sections] == ["2025-07-06"]
    assert [p.arxiv_id for p in papers] == ["2507.11111", "2507.22222"]
    assert papers[0].abstract.startswith("We navigate the web")


REPORT = """# ArXiv每日洞察报告

## 总体概述

今日论文集中在**长序列生成**与可控性建模。

## 分主题详细分析

### 主题一：长视频生成

#### 1. LongClip: Guided Controllable Ultra-Long Video Generation (评分: 7.5)

**论文ID:** 2508.01111v1
**总结时间:** 2025-08-06 17:03:41
**总结类型:** structured_analysis

#### 研究背景和问题
该研究致力于解决超长视频生成中的时间一致性问题。

#### 主要方法和创新点
作者提出了一个端到端的自回归框架。

---

### 主题二：动作识别

#### 1. TrajTok: Relational Trajectory Tokens for Few-Shot Action Recognition (评分: 4.5)

**论文ID:** 2508.02222v2
**总结时间:** 2025-08-06 17:03:41
**总结类型:** structured_analysis

#### 研究背景和问题
该研究聚焦于少样本动作识别任务。

#### 主要方法和创新点
作者将轨迹点转化为语义感知的关系化token。

---

## 未来研究方向

1. **多模态长时程生成架构**：结合语言控制信号。
"""


def test_a_reports_bare_ids_scores_sections_and_summary_time() -> None:
    parsed = _parsed(REPORT, "insight-report.md")
    [section] = parsed.digest.sections
    assert section.date == "2025-08-06"  # from the 总结时间 fields, the page's only day
    titles = [p.title for p in section.papers]
    assert titles == [
        "LongClip: Guided Controllable Ultra-Long Video Generation",
        "TrajTok: Relational Trajectory Tokens for Few-Shot Action Recognition",
    ]
    first, second = section.papers
    assert (first.arxiv_id, second.arxiv_id) == ("2508.01111", "2508.02222")
    # Each paper's own sections, at its heading's level, are its abstract; the
    # bot's fields are not, and the page's closing section is no paper's.
    assert "时间一致性" in first.abstract and "端到端" in first.abstract
    assert "少样本" in second.abstract and "关系化token" in second.abstract
    assert "总结类型" not in first.abstract and "structured_analysis" not in first.abstract
    assert "未来研究方向" not in second.abstract and "多模态长时程" not in second.abstract


def test_a_heading_that_comes_once_still_ends_the_last_card() -> None:
    page = """# Picks

### Alpha Paper: One Thing Done Well

Paper ID: 2508.01111

We do one thing well, and we show it at length here.

### Beta Paper: Another Thing Done Better

Paper ID: 2508.02222

We do another thing better than the alpha paper did.

### About this list

Made by a bot every morning; write to us with feedback.
"""
    parsed = _parsed(page, "picks.md")
    papers = list(parsed.digest.papers)
    assert [p.arxiv_id for p in papers] == ["2508.01111", "2508.02222"]
    assert "bot every morning" not in papers[1].abstract


@pytest.mark.parametrize(
    ("heading", "title"),
    [
        ("Some Method for Things (评分: 7.5)", "Some Method for Things"),
        ("Some Method for Things (Score: 8/10)", "Some Method for Things"),
        ("Some Method for Things [score 9]", "Some Method for Things"),
        # A number in parentheses that is no score stays: it may be the title's own.
        ("Some Method for Things (2025)", "Some Method for Things (2025)"),
    ],
)
def test_a_score_after_a_title_is_no_part_of_it(heading: str, title: str) -> None:
    assert title_of(heading, heading=True) == title


BRIEFING = """<!DOCTYPE html><html><head><title>理论论文简报 · 2026-08-21</title></head><body>
<header><h1>理论论文简报</h1><p>2026年8月21日 · 第四期 · 3 篇 working paper</p></header>
<nav><ol>
<li><a href="#p1">Lee：披露越晚冲击越大</a></li>
<li><a href="#p2">Smith：公告越准，融券费越高</a></li>
<li><a href="#p3">Du：市价单保证竞争</a></li>
</ol></nav>
<article id="p1"><h2>1. A Theory of Disclosure Schedules</h2>
<p><button>☆ 想精读</button></p>
<p class="authors">Ann B. Lee &amp; Iván Moreno · Stanford GSB WP 4000 · 2025年4月</p>
<h3>问了什么</h3><p>公司不是选说不说，是选什么时候说，这篇文章给出了完整的模型与结论。</p>
<p class="links"><a href="https://papers.ssrn.com/abstract=5000001">SSRN 5000001</a></p>
</article>
<article id="p2"><h2>2. Public Signals and the Lending Market</h2>
<p class="authors">Kevin Smith, Jo Park and Snehal Banerjee · 2025年2月28日</p>
<h3>问了什么</h3><p>公告前后，融券费、股价、谁在空，怎么一起动，这里有详细的讨论和推导。</p>
</article>
<article id="p3"><h2>3. Market Order Designs</h2>
<p class="authors">Songzi Du · NBER w31000</p>
<h3>问了什么</h3><p>市价单保证竞争，但不保证信息进入价格，作者用一个大市场模型说明了这一点。</p>
</article>
</body></html>
"""


def test_numbered_headings_over_bylines_are_papers_without_ids() -> None:
    parsed = _parsed(BRIEFING, "briefing.html")
    [section] = parsed.digest.sections
    assert section.date == "2026-08-21"
    assert [(p.title, p.authors) for p in section.papers] == [
        ("A Theory of Disclosure Schedules", ("Ann B. Lee", "Iván Moreno")),
        ("Public Signals and the Lending Market", ("Kevin Smith", "Jo Park", "Snehal Banerjee")),
        ("Market Order Designs", ("Songzi Du",)),
    ]
    assert "什么时候说" in section.papers[0].abstract
    assert "Stanford GSB" not in section.papers[0].abstract  # the byline is a field


@pytest.mark.parametrize(
    "page",
    [
        # A blog's posts over bylines, not numbered: posts, not papers.
        BRIEFING.replace("<h2>1. ", "<h2>").replace("<h2>2. ", "<h2>").replace("<h2>3. ", "<h2>"),
        # Numbered points with no byline: a listicle.
        BRIEFING.replace('<p class="authors">', '<p class="x">是').replace(" · ", "，"),
    ],
    ids=["unnumbered", "no-bylines"],
)
def test_headings_without_numbers_or_bylines_are_no_papers(page: str) -> None:
    with pytest.raises(DigestError):
        _parsed(page, "briefing.html")
