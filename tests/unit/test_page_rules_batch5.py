"""General rules learnt from the held-out batch 2026-12-03e (tests/fixtures/real/SOURCES.md).

Each bad case is an excerpt written here in the shape of a real page the
importer misread; the titles are made up. What they share: the importer must
be more careful, never less: a counter is no title, a short name in a
summary table is the paper named above it again, and an essay with section
headings is no digest.
"""

from __future__ import annotations

import pytest

from tracker import sources
from tracker.sources.parsed import DigestError


def _titles(text: str, name: str = "page.md") -> list[str]:
    return [p.title for p in sources.parse_bytes(text.encode(), name).digest.papers]


# A generated HTML day page: each card is headed by a counter, the title is the
# bold line under it, the link a bare PDF URL after a label.
COUNTER_CARDS = """<html><head><title>2026-08-20 Papers</title></head><body>
<h1>2026-08-20 Papers</h1>
<h2>Paper 1</h2>
<p><strong>Sparse Lanterns: Routing Light Through Mixture Layers</strong></p>
<p><strong>Published: </strong>2026-08-18</p>
<p><strong>Link: </strong><a href="http://arxiv.org/pdf/2608.11111">http://arxiv.org/pdf/2608.11111</a></p>
<ol><li><strong>Topic:</strong> The paper studies routing in mixture layers for vision models.</li></ol>
<h2>Paper 2</h2>
<p><strong>Quiet Gradients Make Loud Agents</strong></p>
<p><strong>Published: </strong>2026-08-17</p>
<p><strong>Link: </strong><a href="http://arxiv.org/pdf/2608.22222">http://arxiv.org/pdf/2608.22222</a></p>
<ol><li><strong>Topic:</strong> The paper studies gradient noise in agent training loops.</li></ol>
</body></html>
"""


def test_a_counter_heading_is_no_title_the_bold_line_under_it_is() -> None:
    """Bad case: 'Paper 1' and 'Paper 2' were stored as the papers' titles."""
    digest = sources.parse_bytes(COUNTER_CARDS.encode(), "day.html").digest
    assert [(p.title, p.arxiv_id) for p in digest.papers] == [
        ("Sparse Lanterns: Routing Light Through Mixture Layers", "2608.11111"),
        ("Quiet Gradients Make Loud Agents", "2608.22222"),
    ]
    assert not any(p.abstract.startswith("Sparse Lanterns") for p in digest.papers)


@pytest.mark.parametrize("counter", ["Paper 3", "paper #3", "论文 3", "Article 12", "No. 4"])
def test_a_counter_is_never_a_title(counter: str) -> None:
    from tracker.sources.page.shapes import title_of

    assert title_of(counter, heading=True) is None


# An agent's Chinese daily post: numbered headings, only some papers link arXiv
# (others a project page and code), then a summary table of short names.
SHORT_NAMES = """---
title: "Daily AI Papers - 2026年3月16日"
date: 2026-03-16
---

## 论文详解

### 1. LampCache: Reusing Indices Across Sparse Attention Layers
**作者**: A. Author, B. Author
**链接**: [arXiv:2603.10001](https://arxiv.org/abs/2603.10001) | [代码](https://github.com/x/lampcache)

**核心创新**:
LampCache 复用相邻层的索引。

---

### 2. Spatial-TTR: Streaming Spatial Reasoning with Test-Time Routing
**作者**: C. Author
**链接**: [项目页](https://example.github.io/spatial-ttr/) | [代码](https://github.com/x/spatial-ttr)

**核心创新**:
流式空间推理。

---

### 3. Budget-Aware Value Tree Search for Tool Agents
**作者**: D. Author
**链接**: [arXiv:2603.10003](https://arxiv.org/abs/2603.10003)

**核心创新**:
预算感知的树搜索。

---

### 4. Automatic Generation of Fast Simulation Environments
**作者**: E. Author
**链接**: [arXiv:2603.10004](https://arxiv.org/abs/2603.10004)

**核心创新**:
自动生成环境。

---

## 总结

| 论文 | 主题 | 核心贡献 |
|------|------|----------|
| LampCache | 高效 LLM | 跨层索引复用 |
| Spatial-TTR | 具身智能 | 测试时路由 |
| BAVT | Agentic AI | 预算感知树搜索 |
| Auto Sim Envs | AI Infra | 自动生成环境 |
"""


def test_short_names_in_a_summary_table_are_not_new_papers() -> None:
    """Bad case: 'LampCache', 'BAVT' and 'Auto Sim Envs' became papers of their own."""
    titles = _titles(SHORT_NAMES)
    assert "LampCache" not in titles
    assert "BAVT" not in titles
    assert "Auto Sim Envs" not in titles
    assert "Spatial-TTR" not in titles


def test_a_numbered_heading_among_linked_papers_is_a_paper_without_an_arxiv_link() -> None:
    """Bad case: the paper that links only its project page and code was skipped."""
    assert _titles(SHORT_NAMES) == [
        "LampCache: Reusing Indices Across Sparse Attention Layers",
        "Spatial-TTR: Streaming Spatial Reasoning with Test-Time Routing",
        "Budget-Aware Value Tree Search for Tool Agents",
        "Automatic Generation of Fast Simulation Environments",
    ]


def test_a_short_name_is_matched_only_to_the_paper_it_abbreviates() -> None:
    from tracker.sources.page.short_names import abbreviates

    assert abbreviates("BAVT", "Budget-Aware Value Tree Search for Tool Agents")
    assert abbreviates("Auto Sim Envs", "Automatic Generation of Fast Simulation Environments")
    assert abbreviates("LampCache", "LampCache: Reusing Indices Across Sparse Attention Layers")
    assert abbreviates("MV-GRPO", "From Sparse to Dense: Multi-View GRPO for Flow Models")
    assert not abbreviates("BAVT", "Automatic Generation of Fast Simulation Environments")
    assert not abbreviates("Sparse Attention", "Quiet Gradients Make Loud Agents")
    assert not abbreviates(
        "Budget-Aware Value Tree Search for Tool Agents",
        "Budget-Aware Value Tree Search for Tool Agents",
    )


# A bot's weekly essay: front matter with a date, section headings over
# paragraphs and numbered bold topics; no paper title, link or id anywhere.
ESSAY = """---
layout: post
title: "Weekly Report - July 20 to July 24, 2026"
date: 2026-07-25
---

### Executive Summary

This week's research highlights a convergence of multimodal learning and embodied intelligence. What excites me most is how models integrate vision, language and action into one framework.

At the same time, the week's papers reveal persistent challenges in temporal reasoning and efficient fine-tuning of large models.

---

### Technical Trends Analysis

A clear trend this week is the focus on multimodal learning, particularly for embodied agents and video understanding. I have been impressed by temporal and spatial reasoning.

---

### Key Innovations and Breakthroughs

Among the week's contributions, a few stand out as particularly innovative:

1. **Graph Retrieval for Multimodal Reasoning**: This framework integrates graph-based reasoning with retrieval. I see this as a significant step.

2. **Delta Distillation for Model Efficiency**: This technique enables efficient fine-tuning of large models.

---

### Future Directions

Based on this week's research, I foresee several key directions for the field:

- **Long-horizon memory**: agents that remember across episodes.

---

### Conclusion

This week's research shows a field that is maturing quickly. I look forward to next week.
"""


def test_an_essay_with_section_headings_and_no_paper_is_refused() -> None:
    """Bad case: its twelve headings and lead-in lines were imported as papers."""
    with pytest.raises(DigestError):
        sources.parse_bytes(ESSAY.encode(), "weekly.md")


def test_a_line_ending_in_a_colon_is_never_a_title() -> None:
    from tracker.sources.text.blocks import TITLE, make_block
    from tracker.sources.text.lines import Line, classify_line

    line = classify_line("Among the week's contributions, a few stand out as innovative:", 1, {})
    assert isinstance(line, Line)
    assert make_block([line]).kind != TITLE


# A Gemini-summarised archive day: one table, the title cell ends with where to
# read the paper, and a long title wraps inside its cell onto an indented line.
WRAPPED_TABLE = """

## Papers for 2025-10-29

| Title | Authors | Summary |
|-------|---------|---------|
| Lantern Routing for Sparse Mixtures (Read more on [arXiv](https://arxiv.org/abs/2510.11111) or [HuggingFace](https://huggingface.co/papers/2510.11111))| A. Author, B. Author | This paper routes tokens by lanterns. |
| Quiet Gradients: Training Loud Agents Without Noise for Scalable
  Generalist Tool Use (Read more on [arXiv](https://arxiv.org/abs/2510.22222) or [HuggingFace](https://huggingface.co/papers/2510.22222))|  | This paper trains agents quietly. |
| Dense Lamps Are All You Need (Read more on [arXiv](https://arxiv.org/abs/2510.33333) or [HuggingFace](https://huggingface.co/papers/2510.33333))|  | This paper lights dense lamps. |
"""


def test_a_link_tail_after_a_title_in_a_table_is_not_part_of_it() -> None:
    """Bad case: '(Read more on arXiv or HuggingFace)' was kept in every title."""
    assert _titles(WRAPPED_TABLE)[0] == "Lantern Routing for Sparse Mixtures"


def test_a_table_row_wrapped_inside_its_title_cell_is_one_row() -> None:
    """Bad case: the table ended at the wrapped row; it and every row after it were lost."""
    digest = sources.parse_bytes(WRAPPED_TABLE.encode(), "29.md").digest
    assert [(p.title, p.arxiv_id) for p in digest.papers] == [
        ("Lantern Routing for Sparse Mixtures", "2510.11111"),
        (
            "Quiet Gradients: Training Loud Agents Without Noise for Scalable Generalist Tool Use",
            "2510.22222",
        ),
        ("Dense Lamps Are All You Need", "2510.33333"),
    ]
    assert digest.papers[1].abstract == "This paper trains agents quietly."


def test_a_parenthesis_in_a_title_cell_that_is_not_links_stays() -> None:
    text = WRAPPED_TABLE.replace(
        "Dense Lamps Are All You Need (Read more on [arXiv](https://arxiv.org/abs/2510.33333) or "
        "[HuggingFace](https://huggingface.co/papers/2510.33333))",
        "Dense Lamps (DL) Are All You Need (Read more on [arXiv](https://arxiv.org/abs/2510.33333))",
    )
    assert _titles(text)[2] == "Dense Lamps (DL) Are All You Need"
