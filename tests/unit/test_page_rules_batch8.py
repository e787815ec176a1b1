"""General rules learnt from the held-out batch 2026-12-03h.

Each bad case is an excerpt written here in the shape of a real page the
importer misread (tests/fixtures/real/SOURCES.md); titles and ids are made
up. What they share: on a page whose papers carry ids, a line is a title only
where the page sets a paper off. A bold field line (``**Track**: …``) names a
paper's track, not the paper; a plain-text report's ``[1] Title`` over its
indented ``URL:`` field is the paper, and the headings of its summary are
not; the page's day is its ``Date:`` line, not a paper's ``Published:`` one;
and a day that names its papers only by id and tag is refused.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tracker import sources
from tracker.sources import title_check
from tracker.sources.page.shapes import title_of
from tracker.sources.parsed import DigestError, ParsedPaper


def _parsed(text: str, name: str = "page.md") -> sources.Parsed:
    return sources.parse_bytes(text.encode(), name)


def _titles(text: str, name: str = "page.md") -> list[str]:
    return [p.title for p in _parsed(text, name).digest.papers]


# A briefing written by a coding agent: a table of papers, then a section per
# paper whose first line is its fields in bold labels, one of them its link.
BOLD_FIELDS = """# 📚 AI/LLM 논문 데일리 브리핑 - 2026-03-27

## 📝 상세 분석

### 1. Why Do Small Fridges Cool Qubits Faster?

**트랙**: Quantum Hardware | **링크**: [arXiv](https://arxiv.org/abs/2603.11111)

📋 Problem Definition

작은 냉동기가 왜 더 빨리 식는지 분석한다.

### 2. Sparse but Critical: Spins Near a Critical Point

**Track:** Sensing | **Link:** [arXiv](https://arxiv.org/abs/2603.22222)

📋 Problem Definition

임계점 근처의 스핀이 더 민감한 이유를 다룬다.
"""


def test_a_bold_field_line_names_a_track_not_a_paper() -> None:
    parsed = _parsed(BOLD_FIELDS)
    papers = list(parsed.digest.papers)
    assert [p.title for p in papers] == [
        "Why Do Small Fridges Cool Qubits Faster?",
        "Sparse but Critical: Spins Near a Critical Point",
    ]
    assert [p.arxiv_id for p in papers] == ["2603.11111", "2603.22222"]
    assert parsed.digest.sections[0].date == "2026-03-27"


_LABEL = st.text(
    st.characters(whitelist_categories=("Lu", "Ll", "Lo")), min_size=2, max_size=12
).filter(lambda s: s.strip() == s)
_VALUE = st.text(
    st.characters(whitelist_categories=("Lu", "Ll", "Lo"), whitelist_characters=" /"),
    min_size=3,
    max_size=30,
).filter(lambda s: s.strip() == s and any(c.isalpha() for c in s))


@given(label=_LABEL, value=_VALUE, colon_inside=st.booleans())
# Found by hypothesis on 2026-12-03: '论文标题' ("paper title") is an original-title label;
# its value took the English heading's place, with the next field in it.
@example(label="论文标题", value="AAA", colon_inside=False)
def test_no_bold_label_and_its_value_is_ever_a_title(
    label: str, value: str, colon_inside: bool
) -> None:
    bold = f"**{label}:**" if colon_inside else f"**{label}**:"
    page = (
        "# Briefing 2026-03-27\n\n"
        "### 1. Why Do Small Fridges Cool Qubits Faster?\n\n"
        f"{bold} {value} | **Link**: [arXiv](https://arxiv.org/abs/2603.11111)\n\n"
        "We look at why a small fridge cools a qubit faster than a big one does.\n\n"
        "### 2. Critical Spins Make Sharper Magnetometers\n\n"
        f"{bold} {value} | **Link**: [arXiv](https://arxiv.org/abs/2603.22222)\n\n"
        "Spins near a critical point sense small fields better than free spins.\n"
    )
    assert _titles(page) == [
        "Why Do Small Fridges Cool Qubits Faster?",
        "Critical Spins Make Sharper Magnetometers",
    ]


# The same briefing on a day its agent could not fetch the papers: only ids.
POOL_DAY = """# 📚 AI/LLM 논문 데일리 브리핑 - 2026-03-29

| # | 제목 | 트랙 | 소스 | 링크 |
|---|------|------|------|------|
| 1 | [Pool] 2501.12948 | Inference | Track Pool | [arXiv](https://arxiv.org/abs/2501.12948) |
| 2 | [Pool] 2407.21783 | ML Systems | Track Pool | [arXiv](https://arxiv.org/abs/2407.21783) |

### 1. [Pool] 2501.12948

**트랙**: Inference | **링크**: [arXiv](https://arxiv.org/abs/2501.12948)

도구 사용이 승인되지 않아 논문 본문을 가져올 수 없습니다.

### 2. [Pool] 2407.21783

**트랙**: ML Systems | **링크**: [arXiv](https://arxiv.org/abs/2407.21783)

권한 요청이 뜨면 승인해 주세요.
"""


def test_a_day_that_names_its_papers_only_by_id_is_refused_saying_so() -> None:
    with pytest.raises(DigestError) as err:
        _parsed(POOL_DAY, "pool.md")
    message = err.value.message
    assert "pool.md" in message
    assert "named by an id alone, never by a title" in message
    assert "nothing was imported" in message
    assert "tracker fetch" in message  # what to do instead


_TAG = st.text(
    st.characters(whitelist_categories=("Lu", "Ll", "Lo", "Nd"), whitelist_characters=" -_"),
    min_size=1,
    max_size=12,
)
_ID = st.from_regex(r"2[0-9]0[1-9]\.[0-9]{5}", fullmatch=True)


@given(tag=_TAG, pid=_ID, before=st.booleans(), brackets=st.sampled_from(["[]", "()", "【】"]))
def test_an_id_with_a_tag_is_never_a_title(tag: str, pid: str, before: bool, brackets: str) -> None:
    tagged = f"{brackets[0]}{tag}{brackets[1]}"
    title = f"{tagged} {pid}" if before else f"{pid} {tagged}"
    paper = ParsedPaper(title=title, abstract="", line=3)
    warning = title_check.skipped_title(paper)
    assert warning is not None and "only an arXiv id" in warning.message


def test_a_title_that_mentions_an_id_in_brackets_is_still_a_title() -> None:
    paper = ParsedPaper(title="Revisiting [2501.12948]: Reasoning by RL", abstract="", line=3)
    assert title_check.skipped_title(paper) is None


# The plain-text e-mail report of an aggregator: a banner, the report's Date,
# records "[N] Title" over indented fields, a Chinese summary with its own
# Markdown headings, a rule between records; a paper on another archive has
# no arXiv id.
RECORDS = """========================================
Paper Pulse Daily Report
========================================
Date: 2026-05-06 02:52 UTC

STATISTICS
----------------------------------------
  New papers fetched:       3

========================================
NEW PAPERS (3)
========================================

[1] Redefining Red Teaming for Small Fridges
    URL:       https://arxiv.org/abs/2605.11111v1
    Source:    arXiv
    Published: 2026-05-05
    Keywords:  agent, security


## 背景与挑战
红队演练依赖人工操作，需数周时间。

## 核心贡献
1. **自然语言驱动**：将周期从数周压缩至数小时；

----------------------------------------

[2] Secret-Key PIR from One-Way Fridges
    URL:       https://eprint.iacr.org/2026/856
    Source:    IACR
    Published: 2026-05-04
    Keywords:  pir


## 背景与问题
私有信息检索需要公钥假设。

----------------------------------------

[3] Critical Spins Make Sharper Magnetometers
    URL:       https://arxiv.org/abs/2605.33333v1
    Source:    arXiv
    Published: 2026-05-05
    Keywords:  sensing


## 方法与创新
利用临界点附近的自旋测量弱磁场。

----------------------------------------

LINKS
----------------------------------------
  View Papers: https://example.org/paper-pulse

This is an automated report.
"""


def test_a_plain_text_reports_records_are_its_papers_and_its_summary_headings_are_not() -> None:
    digest = _parsed(RECORDS, "report.txt").digest
    papers = list(digest.papers)
    assert [p.title for p in papers] == [
        "Redefining Red Teaming for Small Fridges",
        "Secret-Key PIR from One-Way Fridges",
        "Critical Spins Make Sharper Magnetometers",
    ]
    assert [p.arxiv_id for p in papers] == ["2605.11111", None, "2605.33333"]
    assert papers[0].published == "2026-05-05"
    # The summary is the abstract, headings and all; the footer after the rule is not.
    assert "红队演练依赖人工操作" in papers[0].abstract
    assert "核心贡献" in papers[0].abstract
    assert "automated report" not in papers[2].abstract
    # The report's day, not a paper's "Published:" day.
    assert [(s.date) for s in digest.sections] == ["2026-05-06"]


def test_a_record_without_an_id_outside_a_numbered_run_is_skipped_not_guessed() -> None:
    # The run of numbers breaks (1, 2, 5): the id-less record is not taken on trust.
    page = RECORDS.replace("[3] Critical", "[5] Critical")
    titles = _titles(page, "report.txt")
    assert titles == [
        "Redefining Red Teaming for Small Fridges",
        "Critical Spins Make Sharper Magnetometers",
    ]


# A Markdown report whose per-paper "Published:" line stands above each card.
PUBLISHED_ABOVE = """# Paper Report
Date: 2026-05-06 02:52 UTC

Published: 2026-05-05
### [A Pocket Cryostat for Quick Device Checks](https://arxiv.org/abs/2605.11111)
A small fridge for testing qubits quickly, in a day instead of a week.

Published: 2026-05-04
### [Critical Spins Make Sharper Magnetometers](https://arxiv.org/abs/2605.22222)
Spins near a critical point sense small fields better than free spins do.
"""


def test_the_pages_day_is_its_date_line_not_a_papers_published_line() -> None:
    digest = _parsed(PUBLISHED_ABOVE).digest
    assert [s.date for s in digest.sections] == ["2026-05-06"]
    assert len(digest.papers) == 2


def test_tex_math_bars_in_a_title_are_no_table() -> None:
    title = "A Rigorous $O(1)/|F|$ Bound on Plain Reed-Solomon Codes"
    assert title_check.markup_in(title) is None
    assert title_check.markup_in("| A Rigorous Bound | 3 |") is not None
    assert title_check.markup_in("A $x$ Bound | with a cell |") is not None


def test_a_math_sign_glued_to_a_name_stays_in_the_title() -> None:
    assert title_of("∆-SQIsign: A New Isogeny-Based Signature") == (
        "∆-SQIsign: A New Isogeny-Based Signature"
    )
    assert title_of("• A Bulleted Title Here") == "A Bulleted Title Here"
    assert title_of("→ An Arrowed Title Here") == "An Arrowed Title Here"
