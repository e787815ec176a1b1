"""General rules learnt from the held-out batches 2026-12-03f and 2026-12-03g.

Each bad case is an excerpt written here in the shape of a real page the
importer misread (tests/fixtures/real/SOURCES.md); titles and ids are made
up. What they share: a line with no id and no title evidence is never a
title. A topic heading over a paper's own heading is not the paper; a row of
button links names where a paper is, not what it is called; a translated
title gives way to the original printed under it; a ``#`` in a saved page's
text is text; and a Markdown document that names no paper is refused.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker import sources
from tracker.sources.parsed import DigestError


def _papers(text: str, name: str = "page.md") -> list[sources.parsed.ParsedPaper]:
    return list(sources.parse_bytes(text.encode(), name).digest.papers)


def _titles(text: str, name: str = "page.md") -> list[str]:
    return [p.title for p in _papers(text, name)]


# A summary written by a coding agent: a topic heading over each paper's own
# heading, the paper's link a bare URL in a field.
TOPIC_OVER_PAPER = """# arXiv quant-ph 新着まとめ（2026-08-20）

本日の新規投稿は約51件。

---

## 🔬 ハードウェア開発（極低温インフラ）

### A Pocket Cryostat for Quick Device Checks
- **著者**: Ada One, Bo Two
- **リンク**: https://arxiv.org/abs/2608.11111
- **要約**: 小型の冷凍機の論文です。

---

## 📡 量子センシング（臨界性メトロロジー）

### Critical Spins Make Sharper Magnetometers
- **著者**: Cy Three
- **リンク**: https://arxiv.org/abs/2608.22222
- **要約**: センサーの論文です。

### 補足

- 他にも冷凍機の投稿がありました。
"""


def test_a_topic_heading_over_a_papers_heading_is_not_the_paper() -> None:
    papers = _papers(TOPIC_OVER_PAPER)
    assert [p.title for p in papers] == [
        "A Pocket Cryostat for Quick Device Checks",
        "Critical Spins Make Sharper Magnetometers",
    ]
    assert [p.arxiv_id for p in papers] == ["2608.11111", "2608.22222"]


def test_a_heading_holding_its_papers_link_itself_stays_the_card() -> None:
    # The same two levels, but the paper's link sits under the outer heading and
    # the inner headings are the card's parts: the outer heading is the paper.
    page = """# Daily 2026-08-20

## A Pocket Cryostat for Quick Device Checks
[arXiv](https://arxiv.org/abs/2608.11111)

### Summary
A small fridge for testing qubits quickly, in a day instead of a week.

## Critical Spins Make Sharper Magnetometers
[arXiv](https://arxiv.org/abs/2608.22222)

### Summary
A sensor that beats the standard quantum limit near a critical point.
"""
    assert _titles(page) == [
        "A Pocket Cryostat for Quick Device Checks",
        "Critical Spins Make Sharper Magnetometers",
    ]


# One paper's page of a translation site: a translated heading, the original
# title under it, and a row of buttons to the paper (PDF, arXiv, HF page).
TRANSLATED_PAPER_PAGE = """<!DOCTYPE html>
<html lang="zh-TW"><head><title>長序列基準 — Papers 繁中</title></head><body>
<a href="../../2026-02-25/index.html">← 2026-02-25 論文列表</a>
<h1>長序列基準：命令列代理的初步研究</h1>
<div class="en-title">Long Bench: A First Study of Command-Line Agents</div>
<div class="meta"><span>Ada One, Bo Two</span>
<span>arXiv: <a href="https://arxiv.org/abs/2602.11111">2602.11111</a></span></div>
<div class="links">
<a href="https://arxiv.org/pdf/2602.11111">PDF 原文</a>
<a href="https://arxiv.org/abs/2602.11111">arXiv</a>
<a href="https://huggingface.co/papers/2602.11111">HF 頁面</a>
</div>
<h2>摘要</h2>
<p>近期的進展使得代理能夠執行複雜的工作流程。</p>
</body></html>
"""


def test_a_button_after_a_label_button_is_never_a_title() -> None:
    papers = _papers(TRANSLATED_PAPER_PAGE, "paper.html")
    assert [p.title for p in papers] == ["Long Bench: A First Study of Command-Line Agents"]
    assert papers[0].arxiv_id == "2602.11111"


def test_a_short_title_link_before_its_buttons_stays_a_title() -> None:
    page = """# Papers of 2026-08-20

[GeoWorld](https://arxiv.org/abs/2608.11111) [PDF](https://arxiv.org/pdf/2608.11111)

Geometric world models that keep track of the shape of a scene over time.

[Fast Lanes](https://arxiv.org/abs/2608.22222) [PDF](https://arxiv.org/pdf/2608.22222)

A routing method for mixture layers that keeps the busy experts apart.
"""
    assert _titles(page) == ["GeoWorld", "Fast Lanes"]


# A translation site's day page: each card's link shows the translated title,
# the original follows; the translated abstract opens with a literal "# …".
TRANSLATED_DAY_PAGE = """<!DOCTYPE html>
<html lang="zh-TW"><head><title>2026-02-27 — Papers 繁中</title></head><body>
<h1 class="page-title">2026-02-27</h1>
<p>2 篇論文</p>
<div class="paper-card">
<div class="meta"><span>2602.11111</span><span>▲ 1</span></div>
<div class="title"><a href="../paper/2602.11111/index.html">全能代理：邁向原生全模態</a></div>
<div class="title-en">Omni Agents: Towards Native Omni-Modal Assistants</div>
<div class="abstract"># 論文摘要翻譯

人類智能自然地將全模態感知與推理相互交織。</div>
<div class="links"><a href="https://arxiv.org/abs/2602.11111">arXiv</a></div>
</div>
<div class="paper-card">
<div class="meta"><span>2602.22222</span><span>▲ 2</span></div>
<div class="title"><a href="../paper/2602.22222/index.html">幾何世界模型</a></div>
<div class="title-en">Geometric World Models</div>
<div class="abstract"># 論文摘要翻譯

世界模型的構建構成了基礎性挑戰。</div>
<div class="links"><a href="https://arxiv.org/abs/2602.22222">arXiv</a></div>
</div>
</body></html>
"""


def test_a_translated_title_gives_way_to_the_original_under_it() -> None:
    parsed = sources.parse_bytes(TRANSLATED_DAY_PAGE.encode(), "day.html").digest
    assert [p.title for p in parsed.papers] == [
        "Omni Agents: Towards Native Omni-Modal Assistants",
        "Geometric World Models",
    ]
    assert [s.date for s in parsed.sections] == ["2026-02-27"]


def test_a_hash_in_a_saved_pages_text_is_no_heading() -> None:
    from tracker.sources import html_page

    markdown = html_page.to_markdown("<html><body><div># Summary\n\nText.</div></body></html>")
    assert "\n# Summary" not in "\n" + markdown
    assert "Summary" in markdown


@given(st.lists(st.text(alphabet="# \n\tab論文-*>1.", max_size=30), min_size=1, max_size=5))
def test_no_text_of_a_saved_page_becomes_a_heading(texts: list[str]) -> None:
    from tracker.sources import html_page

    body = "".join(f"<div>{text}</div><p>{text}</p>" for text in texts)
    markdown = html_page.to_markdown(f"<html><body>{body}</body></html>")
    assert not any(re.match(r"\s*#{1,6}(?:\s|$)", line) for line in markdown.split("\n"))


def test_a_saved_pages_own_headings_stay_headings() -> None:
    from tracker.sources import html_page

    markdown = html_page.to_markdown("<html><body><h2># 2 Results</h2><div># x</div></body></html>")
    assert markdown.split("\n")[:3] == ["## # 2 Results", "", "\\# x"]


def test_an_author_line_under_a_translated_title_is_not_the_original() -> None:
    page = """# 2026-02-27 論文

### 1. 幾何世界模型
Ada One, Bo Two
[arXiv](https://arxiv.org/abs/2602.22222)

世界模型的構建構成了基礎性挑戰，我們提出新的方法。
"""
    assert _titles(page) == ["幾何世界模型"]


# The README of a digest bot: month headings over lists of links to day
# files, then setup steps with a fenced example. It names no paper.
BOT_README = """# Daily arXiv Digest (LLM-enhanced)

## About

This tool will daily crawl [https://arxiv.org](https://arxiv.org) and summarize new papers.

## Contents

- [2025-04-25](contents/2025-04-25.md)
- [2025-04-24](contents/2025-04-24.md)

## How to use

This repo will daily crawl arXiv papers about **cs.HC, cs.CL**, and summarize them.
Otherwise, you can directly use this repo.

**Instructions:**

1. Fork this repo to your own account
2. Go to: your-own-repo -> Settings -> Secrets and variables -> Actions
3. Go to Secrets. Create two repository secrets:

   ```markdown
   The user is a student in computer science who is interested in language.

   She has a background in deep learning and has published several papers.
   ```

4. Go to Variables. Create the following repository variables.
By default, this action will automatically run every day
You can modify it in `.github/workflows/run.yml`

## Related tools

This project is based on another digest bot, with custom changes.
"""


def test_a_markdown_document_naming_no_paper_is_refused() -> None:
    with pytest.raises(DigestError, match="document"):
        sources.parse_bytes(BOT_README.encode(), "README.md")


# The day file a summary bot writes when it found nothing: a digest's heading,
# status headings and a numbered list of bold reasons.
EMPTY_DAY = """# 每日 ArXiv 論文智慧摘要: 2025-06-12

> 📊 本日共處理 0 篇論文

---

## 📢 系統狀態

✅ 系統運行正常
⚠️ 本日沒有找到符合條件的新論文

### 可能原因

1. **週末或假日** - arXiv 通常在工作日發布新論文
2. **搜尋條件過於嚴格** - 可能需要調整關鍵字或類別設定
3. **網路連線問題** - 無法正常存取 arXiv API

## 📊 本日統計

- **論文總數**: 0
"""


def test_a_bots_empty_day_is_refused() -> None:
    with pytest.raises(DigestError):
        sources.parse_bytes(EMPTY_DAY.encode(), "2025-06-12.md")
