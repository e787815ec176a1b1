"""More general rules for pages by other people's tools, from the held-out batch 2026-12-03b.

Each bad case is written in the shape of a real page the importer misread
(tests/fixtures/real/SOURCES.md): an arXiv keyword bot's report listing its
papers as one heading per line.
"""

from __future__ import annotations

from tracker import sources


def _titles(text: str, name: str = "page.md") -> list[str]:
    return [p.title for p in sources.parse_bytes(text.encode(), name).digest.papers]


HEADING_LIST = """# The Latest Daily Papers - Date: 2025-02-22
## Other Papers
### **[A Chain-of-Thought Subspace Meta-Learning for Few-shot Captioning](http://arxiv.org/abs/2502.13942v1)**
### **[Why Safeguarded Ships Run Aground? Aligned Models Anchor Safety](http://arxiv.org/abs/2502.13944v1)**
### **[IP-Composer: Semantic Composition of Visual Concepts](http://arxiv.org/abs/2502.13951v1)**
### **[Neurosymbolic artificial intelligence via large language models](http://arxiv.org/abs/2502.13953v1)**
"""


def test_consecutive_headings_each_linking_a_paper_are_each_a_paper() -> None:
    """Bad case: every second heading was joined to the one above as a wrapped title."""
    assert _titles(HEADING_LIST) == [
        "A Chain-of-Thought Subspace Meta-Learning for Few-shot Captioning",
        "Why Safeguarded Ships Run Aground? Aligned Models Anchor Safety",
        "IP-Composer: Semantic Composition of Visual Concepts",
        "Neurosymbolic artificial intelligence via large language models",
    ]


WRAPPED_HEADING = """# Daily Papers 2026-06-29

### Efficient Memory Management for Large Language Model Serving with
### PagedAttention

[arXiv](https://arxiv.org/abs/2309.06180)

High throughput serving of large language models requires batching. We propose PagedAttention.

### Attention Is All You Need

[arXiv](https://arxiv.org/abs/1706.03762)

The dominant sequence transduction models are based on recurrent networks. We propose a new one.
"""


def test_a_title_wrapped_over_two_heading_lines_is_still_joined() -> None:
    assert _titles(WRAPPED_HEADING)[0] == (
        "Efficient Memory Management for Large Language Model Serving with PagedAttention"
    )


MATCHES = """# arXiv Papers Matching Your Keywords
# Processed on: Tue, 15 Apr 2025 17:35:57 +0200

Match 1:
  Title: A Survey of Frontiers in LLM Reasoning: Inference Scaling, Learning to
  Link: https://arxiv.org/abs/2504.09037

Match 2:
  Title: Artificial Intelligence (AI) and the Relationship between Agency,
  Link: https://arxiv.org/abs/2504.08853

Match 3:
  Title: Can LLMs Assist Expert Elicitation for Probabilistic Causal Modeling?
  Link: https://arxiv.org/abs/2504.10397
"""


def test_records_of_labelled_fields_give_their_title_and_link() -> None:
    """Bad case: a keyword filter's 'Title:' / 'Link:' records were refused as not a digest."""
    parsed = sources.parse_bytes(MATCHES.encode(), "arxiv_matches.txt")
    assert [(p.title, p.arxiv_id, p.abstract) for p in parsed.digest.papers] == [
        # Cut where the producer cut them, trailing comma and all: never completed.
        (
            "A Survey of Frontiers in LLM Reasoning: Inference Scaling, Learning to",
            "2504.09037",
            "",
        ),
        ("Artificial Intelligence (AI) and the Relationship between Agency,", "2504.08853", ""),
        ("Can LLMs Assist Expert Elicitation for Probabilistic Causal Modeling?", "2504.10397", ""),
    ]  # "Match 2:" is the next record's number, not an abstract
    assert [s.date for s in parsed.digest.sections] == ["2025-04-15"]


def test_a_title_field_without_a_paper_link_in_its_block_is_no_paper() -> None:
    page = MATCHES.replace(
        "  Link: https://arxiv.org/abs/2504.10397", "  Link: https://example.com/x"
    )
    titles = _titles(page, "arxiv_matches.txt")
    assert "Can LLMs Assist Expert Elicitation for Probabilistic Causal Modeling?" not in titles
    assert len(titles) == 2


HEADINGS_WITH_LINKS = """# 20260127
[![Visitors](https://visitor-badge.laobi.icu/badge?page_id=x)](https://github.com/x/y)

## 1. `cs.AI` - 一种高效的仿昆虫视觉点目标导航方法 [PDF](https://arxiv.org/pdf/2601.16806), [HTML](https://arxiv.org/abs/2601.16806)
### Authors
Lu Yihe,Barbara Webb
### Background
本文开发了一种基于昆虫视觉导航的新颖代理模型。本文将点目标导航任务与昆虫视觉导航做类比。
## 2. `cs.AI` - SycoEval-EM：模拟临床会诊中大型语言模型逢迎性评估 [PDF](https://arxiv.org/pdf/2601.16529), [HTML](https://arxiv.org/abs/2601.16529)
### Authors
Dongshen Peng,Yi Wang
### Background
大型语言模型在临床决策支持方面显示出潜力。研究者开发了一个多代理模拟框架。
## 3. `cs.AI` - LATTLE: LLM Attention Transplant for Tabular Data [PDF](https://arxiv.org/pdf/2511.06161), [HTML](https://arxiv.org/abs/2511.06161)
### Background
跨领域知识迁移学习较为困难。本文提出一种新方法。
"""


def test_a_heading_beside_its_papers_links_is_the_title_and_a_compact_day_heading_dates_it() -> (
    None
):
    """Bad case: '## N. `cs.AI` - Title [PDF](…), [HTML](…)' headings gave no paper and
    the page was refused; '# 20260127' named no day."""
    parsed = sources.parse_bytes(HEADINGS_WITH_LINKS.encode(), "analyzed.md")
    assert [(p.title, p.arxiv_id) for p in parsed.digest.papers] == [
        ("一种高效的仿昆虫视觉点目标导航方法", "2601.16806"),
        ("SycoEval-EM：模拟临床会诊中大型语言模型逢迎性评估", "2601.16529"),
        ("LATTLE: LLM Attention Transplant for Tabular Data", "2511.06161"),
    ]
    assert [s.date for s in parsed.digest.sections] == ["2026-01-27"]


FIELD_HEADINGS = """# [Learning Things Quickly From Few Examples](https://arxiv.org/abs/1901.00001)
### Authors: Ada Lovelace, Alan Turing
### Comments: arXiv admin note: substantial text overlap with [arXiv:1808.01340](https://arxiv.org/abs/1808.01340)
We learn things quickly. It works well.

# [Another Paper About Other Things](https://arxiv.org/abs/1901.00002)
### Authors: Grace Hopper
Other things are studied. They are interesting.
"""


def test_a_field_heading_linking_another_paper_is_no_paper() -> None:
    titles = [
        p.title for p in sources.parse_bytes(FIELD_HEADINGS.encode(), "x.md", "text").digest.papers
    ]
    assert titles == [
        "Learning Things Quickly From Few Examples",
        "Another Paper About Other Things",
    ]


VAULT_NOTE = """---
date: 2026-05-13
tags: [daily-papers, auto-generated]
---

# 今日锐评

今天 12 篇全靠 HF Trending 撑场。

## 分流表

| 等级 | 论文 |
|------|------|
| 🔥 必读 | [[CapVector]]（VLA 参数空间能力迁移） |
| ⏪ 再推 | [[MolmoAct2]]（2026-05-09 推过）· [[HumanNet]]（2026-05-12 推过） |

### 1. CapVector: Learning Transferable Capability Vectors in Parametric Space
- **作者**: Wenxuan Song, Han Zhao
- **链接**: [arXiv](https://arxiv.org/abs/2605.10903) | [PDF](https://arxiv.org/pdf/2605.10903)
- **核心方法**: 两阶段流程。先提取能力向量，再迁移。

### 2. MolmoAct2: Action Reasoning Models for Real-world Deployment
- **链接**: [arXiv](https://arxiv.org/abs/2605.09999) | [PDF](https://arxiv.org/pdf/2605.09999)
- 📒 **已有笔记**: [[MolmoAct2]]
"""


def test_obsidian_note_links_are_never_titles_and_front_matter_dates_the_page() -> None:
    """Bad case: the table of [[wikilinks]] gave four junk papers, and without them a
    date in a table cell ('2026-05-09 推过') took the place of the front matter's date."""
    parsed = sources.parse_bytes(VAULT_NOTE.encode(), "2026-05-13-论文推荐.md")
    assert [p.title for p in parsed.digest.papers] == [
        "CapVector: Learning Transferable Capability Vectors in Parametric Space",
        "MolmoAct2: Action Reasoning Models for Real-world Deployment",
    ]
    assert [s.date for s in parsed.digest.sections] == ["2026-05-13"]


ARCHIVE_INDEX = """# arXiv Papers Index

- **Last Updated**: 2026-01-12 16:33:57

## By Field

### CS-CV (91 papers)

- [RoboVIP: Multi-View Video Generation with Visual Identity Prompting](/cs/cv/2601.05241-robovip-multi-view-video-generation-with-v.md) - arXiv:2601.05241
- [Pixel-Perfect Visual Geometry Estimation](/cs/cv/2601.05246-pixel-perfect-visual-geometry-estimation.md) - arXiv:2601.05246
- [Clinical Data Goes MEDS? Let's OWL make sense of it](/cs/lg/2601.04164-clinical-data-goes-meds.md) - arXiv:2601.04164
"""


def test_links_to_an_archives_own_page_of_a_paper_carry_its_id() -> None:
    """Bad case (held-out batch 2026-12-03c): '[Title](/cs/cv/ID-slug.md) - arXiv:ID' list
    entries were not papers, and a one-paper day '1. [title](#/…/ID v1-slug)' was refused."""
    parsed = sources.parse_bytes(ARCHIVE_INDEX.encode(), "index.md")
    assert [(p.title, p.arxiv_id) for p in parsed.digest.papers] == [
        ("RoboVIP: Multi-View Video Generation with Visual Identity Prompting", "2601.05241"),
        ("Pixel-Perfect Visual Geometry Estimation", "2601.05246"),
        ("Clinical Data Goes MEDS? Let's OWL make sense of it", "2601.04164"),
    ]
    assert [s.date for s in parsed.digest.sections] == ["2026-01-12"]
    day = (
        "# 日报 · 2017-06-12\n\n- 论文数量：1\n\n## 论文列表\n"
        "1. [attention is all you need](#/201706/12/1706.03762v1-attention-is-all-you-need)\n"
    )
    parsed = sources.parse_bytes(day.encode(), "README.md")
    assert [(p.title, p.arxiv_id) for p in parsed.digest.papers] == [
        ("attention is all you need", "1706.03762")
    ]
    assert [s.date for s in parsed.digest.sections] == ["2017-06-12"]


def test_a_link_to_a_page_with_a_number_in_its_name_is_no_paper() -> None:
    """Only an arXiv-shaped id followed by a slug names a paper's page."""
    page = ARCHIVE_INDEX.replace(
        "/cs/lg/2601.04164-clinical-data-goes-meds.md", "/posts/2026-01-04-notes.md"
    )
    page = page.replace(" - arXiv:2601.04164", "")
    titles = [p.title for p in sources.parse_bytes(page.encode(), "index.md").digest.papers]
    assert "Clinical Data Goes MEDS? Let's OWL make sense of it" not in titles


LIKES_RANKING = """---
title: Hugging Face Daily Papers - 2025-12-19
date: 2025-12-19 09:15:00 +0900
---

# Hugging Face Daily Papers - 2025-12-19

## 📊 좋아요 순위

1. **Kling-Omni Technical Report** - 👍 103
   - 기관: Kling Team
   - [HF 페이지](https://huggingface.co/papers/2512.16776)
   - [논문 링크](https://arxiv.org/abs/2512.16776)
   - Abstract: We present Kling-Omni, a generalist generative framework. It synthesizes videos.

2. **LLaDA2.0: Scaling Up Diffusion Language Models to 100B** - 👍 50
   - 기관: Ant Group
   - [HF 페이지](https://huggingface.co/papers/2512.15745)
   - [논문 링크](https://arxiv.org/abs/2512.15745)
   - Abstract: This paper presents LLaDA2.0. It scales diffusion language models.
"""


def test_a_bold_list_item_above_its_papers_label_links_is_the_title() -> None:
    """Bad case (held-out batch 2026-12-03c): the link label 'HF 페이지' became a paper and
    the bold titles were lost."""
    parsed = sources.parse_bytes(LIKES_RANKING.encode(), "2025-12-19-daily-papers.md")
    papers = parsed.digest.papers
    assert [(p.title, p.arxiv_id) for p in papers] == [
        ("Kling-Omni Technical Report", "2512.16776"),
        ("LLaDA2.0: Scaling Up Diffusion Language Models to 100B", "2512.15745"),
    ]
    assert papers[0].abstract == (
        "We present Kling-Omni, a generalist generative framework. It synthesizes videos."
    )
    assert [s.date for s in parsed.digest.sections] == ["2025-12-19"]


ONE_PAPER = """---
title: "Observations and Remedies for Large Language Model Bias"
arxiv_id: "2601.05184"
publication_date: 2026-01-08
url: "https://arxiv.org/abs/2601.05184"
---

# Observations and Remedies for Large Language Model Bias

## Metadata

- **arXiv ID**: [2601.05184](https://arxiv.org/abs/2601.05184)
- **Published**: 2026-01-08
- **Collected**: 2026-01-10

## Abstract

Synthetic data trains future models. This creates a self-consuming loop.
"""


def test_a_papers_page_is_dated_by_when_it_was_collected_not_by_the_paper() -> None:
    """Bad case (held-out batch 2026-12-03c): refused as naming no day."""
    parsed = sources.parse_bytes(ONE_PAPER.encode(), "2601.05184-observations.md")
    [paper] = parsed.digest.papers
    assert (paper.title, paper.arxiv_id, paper.published) == (
        "Observations and Remedies for Large Language Model Bias",
        "2601.05184",
        "2026-01-08",
    )
    assert [s.date for s in parsed.digest.sections] == ["2026-01-10"]


SUMMARY = """# Daily Paper Summary: 2026-02-11

## Title: Attention Is All You Need
**Authors:** Ashish Vaswani, et al.

### Summary
This foundational paper introduces the Transformer architecture. It replaces recurrence.

[Read Paper](https://arxiv.org/abs/1706.03762)"""


def test_a_title_label_in_a_heading_and_a_read_paper_link_make_one_clean_paper() -> None:
    """Bad case (held-out batch 2026-12-03c): 'Read Paper' became the paper, the
    'Title:'-labelled heading was lost."""
    parsed = sources.parse_bytes(SUMMARY.encode(), "2026-02-11_summary.md")
    assert [(p.title, p.arxiv_id) for p in parsed.digest.papers] == [
        ("Attention Is All You Need", "1706.03762")
    ]
    assert [s.date for s in parsed.digest.sections] == ["2026-02-11"]


# A research assistant's topic note (written for this test after the shape of
# Linwei94/Linwei-Daily, held-out batch 2026-12-03d): numbered bold titles (two
# spaces at their ends, a Markdown line break) over bullets whose link is a bare
# URL after a label, and a Hugging Face section that names one of the same
# papers by a short label, and a model.
TOPIC_NOTE = """\
# Daily Paper Notes - 2026-02-26

## 今日主题

`Diffusion Language Model (dLLM)` 的最新进展。

## arXiv 最新相关论文

1. **LLaDA 2.1: Faster Diffusion Language Models at Inference Time**\x20\x20
   - 日期：2026-02（arXiv:2602.08676）\x20\x20
   - 链接：https://arxiv.org/abs/2602.08676\x20\x20
   - 摘要：一句中文摘要。

2. **FOCUS: Online Cache Updates for Diffusion Language Model Inference**\x20\x20
   - 日期：2026-01（arXiv:2601.23278）\x20\x20
   - 链接：https://arxiv.org/abs/2601.23278\x20\x20
   - 摘要：另一句中文摘要。

## Hugging Face 最新相关内容

1. **Hugging Face Papers: LLaDA 2.1**\x20\x20
   - 链接：https://huggingface.co/papers/2602.08676\x20\x20
   - 亮点：一句话。

2. **Hugging Face Models: GSAI-ML/LLaDA-8B-Instruct**\x20\x20
   - 链接：https://huggingface.co/GSAI-ML/LLaDA-8B-Instruct\x20\x20
   - 亮点：一句话。

## 建议阅读顺序

1. `LLaDA 2.1`（先看最新总体方向）\x20\x20
2. `FOCUS`（补齐工程效率）
"""


def test_a_bold_item_over_a_bare_link_field_is_the_title() -> None:
    """Bad case: '1. **Title**' over '- 链接：https://arxiv.org/abs/ID' was refused."""
    parsed = sources.parse_bytes(TOPIC_NOTE.encode(), "2026-02-26.md")
    assert [(p.title, p.arxiv_id) for p in parsed.digest.papers] == [
        ("LLaDA 2.1: Faster Diffusion Language Models at Inference Time", "2602.08676"),
        ("FOCUS: Online Cache Updates for Diffusion Language Model Inference", "2601.23278"),
    ]
    assert [s.date for s in parsed.digest.sections] == ["2026-02-26"]
