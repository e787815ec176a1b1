"""General rules learnt from the held-out batch 2026-12-03m.

Each bad case is an excerpt written here in the shape of a real page the
importer misread (tests/fixtures/real/SOURCES.md); titles and ids are made
up. A site's home page lists its notes as ``| [🦎 LEMUR](papers/lemur) | 一言
|`` rows: a nickname linking the site's own page is no title. A scraper's JSON
says when it ran in ``fetched_at``. A day's page of one paper heads it ``## 🎓
<Title> (2025-06-18)``: the date after the title is the paper's, the heading no
day's, and the emoji no part of the title. A dashboard's ``## HackerNews``
section, whose posts are bold links and one of which cites arXiv, is no paper.
``[Link](http://arxiv.org/abs/…)`` names no title.
"""

from __future__ import annotations

import json

import pytest

from tracker import sources
from tracker.sources.page.shapes import title_of
from tracker.sources.parsed import DigestError


def _parsed(text: str, name: str) -> sources.Parsed:
    return sources.parse_bytes(text.encode(), name)


INDEX = """---
layout: default
title: Home
---

# arXiv AI Papers

検索・推薦系のAI論文サマリー

## 2026-02-02 注目論文

### 📚 cs.IR（情報検索）

| 論文 | 一言 |
|------|------|
| [🛒 Shop Distill](papers/shop-distill) | **WWW'26**: EC検索を低レイテンシ蒸留 |
| [🕸️ A2RAG](papers/a2rag-graph) | 適応型GraphRAGでRecall+10pt |
| [🦎 LEMUR](papers/lemur-multivec) | マルチベクトル検索を1桁高速化 |

### 🗣️ cs.CL（自然言語処理）

| 論文 | 一言 |
|------|------|
| [🔄 Self-Improving Pretrain](papers/self-improving) | 事前学習時RLで安全性+36% |
| [📈 Scaling Embeddings](papers/scaling-embeddings) | 埋め込みスケーリングを分析 |
"""


def test_a_table_of_nicknames_linking_the_sites_own_notes_is_refused() -> None:
    with pytest.raises(DigestError):
        _parsed(INDEX, "index.md")


def test_a_table_row_with_an_id_keeps_its_short_title() -> None:
    page = INDEX
    for n, slug in enumerate(["shop-distill", "a2rag-graph", "lemur-multivec", "self-improving"]):
        page = page.replace(f"(papers/{slug})", f"(https://arxiv.org/abs/2602.1111{n})")
    papers = list(_parsed(page, "index.md").digest.papers)
    # With an id, a short title is the paper's own; the row with none stays out.
    assert [(p.title, p.arxiv_id) for p in papers] == [
        ("Shop Distill", "2602.11110"),
        ("A2RAG", "2602.11111"),
        ("LEMUR", "2602.11112"),
        ("Self-Improving Pretrain", "2602.11113"),
    ]


def test_a_scrapers_json_is_dated_by_fetched_at() -> None:
    items = [
        {
            "id": f"2511.2269{n}",
            "title": f"A Model Number {n} For Images",
            "summary": "We present a model and show it works well on many benchmarks.",
        }
        for n in range(3)
    ]
    data = json.dumps({"papers": items, "fetched_at": "2025-12-06T17:54:01.246598+00:00"})
    [section] = _parsed(data, "trending.json").digest.sections
    assert section.date == "2025-12-06"
    assert len(section.papers) == 3


DAY = """## 🎓 Nabla-Q: Effective and Efficient 3D Diffusion Alignment with Rewards (2025-06-18)

- 🇬🇧 Nabla-Q is a reinforcement learning framework that improves 3D diffusion models.
- 🇯🇵 3Dビジョンにおいて、高品質な3D資産を生成することは長年の課題です。
- タグ：#3DVision #DiffusionModels
- 🔗 [http://arxiv.org/abs/2506.15684v1](http://arxiv.org/abs/2506.15684v1)
---
"""


def test_a_papers_heading_with_its_own_date_after_it() -> None:
    papers = list(_parsed(DAY, "2025-06-22.md").digest.papers)
    assert [(p.title, p.arxiv_id) for p in papers] == [
        ("Nabla-Q: Effective and Efficient 3D Diffusion Alignment with Rewards", "2506.15684")
    ]


def test_a_day_heading_is_still_a_day() -> None:
    page = DAY.replace("## 🎓 Nabla-Q", "## Daily Papers (2025-06-22)\n\n### 🎓 Nabla-Q").replace(
        " (2025-06-18)", ""
    )
    [section] = _parsed(page, "day.md").digest.sections
    assert section.date == "2025-06-22"


DASHBOARD = """# AI Dashboard

## HackerNews: "ai"

**[Everyone here hates the new thing](https://news.ycombinator.com/item?id=1)**

⬆️ 950 • 💬 1056 • 2d ago • [blog.example.com](https://blog.example.com/post)

**[A study of attention sinks](https://news.ycombinator.com/item?id=2)**

⬆️ 690 • 💬 653 • 2d ago • [arXiv.org](https://arxiv.org/abs/2512.04047)

## HuggingFace Papers: 🔥 Trending

**[Z-Model: An Efficient Image Generation Foundation Model](https://huggingface.co/papers/2511.22699)**

We present an efficient model for image generation and show that it matches larger ones.

**[Decoupled Distillation: Guidance as the Spear, Matching as the Shield](https://huggingface.co/papers/2511.22677)**

We study distillation for diffusion models and explain why guidance helps the student.
"""


def test_a_section_of_posts_citing_a_paper_is_no_paper() -> None:
    papers = list(_parsed(DASHBOARD, "dashboard-2025-12-06.md").digest.papers)
    assert [p.arxiv_id for p in papers] == ["2511.22699", "2511.22677"]


@pytest.mark.parametrize("label", ["Link", "link", "Links"])
def test_link_is_no_title(label: str) -> None:
    assert title_of(label) is None


def test_a_name_with_a_title_naming_a_site_is_a_title() -> None:
    # Hypothesis found it: "arxiv" among a title's words made it a link label.
    assert title_of("Aaa: aaa aaa arxiv") == "Aaa: aaa aaa arxiv"
    assert title_of("arXiv Page") is None


PASTED = """<!DOCTYPE html><html lang="ja"><head><title>2025-06-22</title></head><body>
<h1>2025-06-22</h1>
<p>## 🎓 Nabla-Q: Effective and Efficient 3D Diffusion Alignment with Rewards (2025-06-18)</p>
<p>- 🇬🇧 Nabla-Q is a reinforcement learning framework that improves 3D diffusion models with
rewards and reaches better results in fewer steps than finetuning does.</p>
</body></html>
"""


def test_markdown_pasted_unrendered_into_a_saved_page() -> None:
    [section] = _parsed(PASTED, "2025-06-22.html").digest.sections
    assert section.date == "2025-06-22"
    [paper] = section.papers
    # The heading's marks shown as text, the pictograph and the paper's own day
    # are no part of its title.
    assert paper.title == "Nabla-Q: Effective and Efficient 3D Diffusion Alignment with Rewards"
    assert "reinforcement learning framework" in paper.abstract
