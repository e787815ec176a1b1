"""General rules learnt from the held-out batch 2026-12-03j.

Each bad case is an excerpt written here in the shape of a real page the
importer misread (tests/fixtures/real/SOURCES.md); titles and ids are made
up. A docsify digest links each key paper as cells set apart by spaced bars
(``[**ShortName** | 中文一句话 | ShortName: The Full Title](/day/papers/ID.md)``):
the title is the cell that is neither a translation, nor cut, nor the short
name of another cell. Its sidebar links the same papers as ``ShortName |
中文一句话`` only: a name and a one-liner are no title, so the sidebar, with
nothing else, is refused. Its other papers stand in a table whose header
calls the title column ``论文全名`` (the full title) beside a ``简称`` (short
name) column: that column gives the titles, with or without an id.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker import sources
from tracker.sources.page.shapes import title_of
from tracker.sources.parsed import DigestError


def _parsed(text: str, name: str = "page.md") -> sources.Parsed:
    return sources.parse_bytes(text.encode(), name)


DAY = """# 2026-04-22 视觉论文日报

共 **4** 篇，重点 **2** 篇

## 重点论文

### 三维重建

- [**MeshKit** | 统一网格理解 | MeshKit: Unifying Mesh Understanding and Generation](/2026-04-22/papers/2604.11111.md)
- [**Quick Decoding...** | 让视频生成更快 | Quick Decoding for Autoregressive Video Generation](/2026-04-22/papers/2604.22222.md)

## [全量简报](/2026-04-22/briefs.md)

| 简称 | 简介 | 领域 | 论文全名 | Votes |
|------|------|------|----------|------:|
| [**Accurate and...**](/2026-04-22/briefs.md?id=accurate-and) | 深度学习提升精度 | 计算化学 | Accurate and Scalable Exchange with Deep Learning | 2 |
| [**TEMPO**](/2026-04-22/briefs.md?id=tempo) | 测试时训练 | 自然语言处理 | TEMPO: Scaling Test-time Training for Reasoning Models |  |
"""

SIDEBAR = """- [**2026-04-22 日报**](/2026-04-22/)

  - **三维重建**
    - [MeshKit | 统一网格理解](/2026-04-22/papers/2604.11111.md)
    - [Quick Decoding... | 让视频生成更快](/2026-04-22/papers/2604.22222.md)
    - [SmartCrafter | 自动优化摄影图像](/2026-04-22/papers/2604.33333.md)
  - [**全量简报 (2 篇)**](/2026-04-22/briefs.md)
    - [Accurate and... | 深度学习提升精度](/2026-04-22/briefs.md?id=accurate-and)
    - [Contrastive Attribution in the Wild | 分析失败原因](/2026-04-22/briefs.md?id=contrastive)
"""


def test_a_link_of_short_name_one_liner_and_title_is_titled_by_the_title() -> None:
    papers = list(_parsed(DAY).digest.papers)
    assert [p.title for p in papers[:2]] == [
        "MeshKit: Unifying Mesh Understanding and Generation",
        "Quick Decoding for Autoregressive Video Generation",
    ]
    assert [p.arxiv_id for p in papers[:2]] == ["2604.11111", "2604.22222"]


def test_a_table_whose_header_names_the_full_title_gives_its_papers() -> None:
    parsed = _parsed(DAY)
    assert [p.title for p in parsed.digest.papers] == [
        "MeshKit: Unifying Mesh Understanding and Generation",
        "Quick Decoding for Autoregressive Video Generation",
        "Accurate and Scalable Exchange with Deep Learning",
        "TEMPO: Scaling Test-time Training for Reasoning Models",
    ]
    assert [s.date for s in parsed.digest.sections] == ["2026-04-22"]


def test_a_sidebar_of_short_names_and_one_liners_is_refused() -> None:
    with pytest.raises(DigestError) as refused:
        _parsed(SIDEBAR, "_sidebar.md")
    # It names papers, so it is not "a format paper-tracker does not read".
    assert refused.value.message == (
        "_sidebar.md: it links 3 papers but names none of them by a title (the first, "
        "at line 4: 'MeshKit | 统一网格理解'), so nothing was imported; import the page "
        "that lists the titles, or `tracker fetch` the day"
    )


@pytest.mark.parametrize(
    ("text", "title"),
    [
        # the title among a name and a translation
        ("**Vox** | 语音合成 | Vox: Speech at Scale", "Vox: Speech at Scale"),
        # the title first, then the one-liner
        ("Vox: Speech at Scale | 语音合成", "Vox: Speech at Scale"),
        # a name and a one-liner only: no title
        ("Vox | 语音合成", None),
        ("Tryon 1.0 | 稳健的虚拟试衣", None),
        # a cut name beside a one-liner: no title
        ("Speech at... | 语音合成", None),
        # one bar and no translation: the text as it stands (a title may hold a bar)
        ("Speech Synthesis at Scale | A Survey", "Speech Synthesis at Scale | A Survey"),
        # three cells that are no name, translation or cut title of each other: unsure
        ("Speech at Scale | Vision at Scale | Text at Scale", None),
    ],
)
def test_the_title_among_spaced_bar_cells(text: str, title: str | None) -> None:
    assert title_of(text) == title


_LATIN = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=9)


@given(
    name=_LATIN,
    rest=st.lists(_LATIN, min_size=3, max_size=8),
    gloss=st.text(alphabet="统一网格理解生成视频", min_size=2, max_size=12),
)
def test_a_short_name_its_gloss_and_its_title_in_any_order_give_the_title(
    name: str, rest: list[str], gloss: str
) -> None:
    name = name.capitalize()
    title = f"{name}: " + " ".join(rest)
    for cells in (
        [f"**{name}**", gloss, title],
        [title, gloss, name],
        [gloss, title],
    ):
        assert title_of(" | ".join(cells)) == title
    assert title_of(f"{name} | {gloss}") is None
