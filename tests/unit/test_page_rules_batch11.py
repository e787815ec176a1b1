"""General rules learnt from the held-out batch 2026-12-03k.

Each bad case is an excerpt written here in the shape of a real page the
importer misread (tests/fixtures/real/SOURCES.md); titles and ids are made
up. A day's page with nothing on it ("Papers for 2026-08-22", "No papers
found for this day.") names a day, not a paper, and is refused; a blog post
whose front matter's title names the day it lists beats its template's stale
``date:``; and a scraper's JSON (``{"timestamp": …, "items": [{"title",
"description", "url"}]}``) is dated by its timestamp with each description as
the paper's abstract.
"""

from __future__ import annotations

import json

import pytest

from tracker import sources
from tracker.sources.parsed import DigestError

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
