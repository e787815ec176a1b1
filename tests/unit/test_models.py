"""The data model's pure functions."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.models import Digest, Paper, Status, _normalize_any, normalize_title, paper_id_for
from tracker.rows import STATUS_NAMES, InvalidRowError, annotation_row_problem


@settings(max_examples=500)
@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_the_ascii_shortcut_normalizes_exactly_like_the_general_path(title: str) -> None:
    assert normalize_title(title) == _normalize_any(title)


@given(st.text())
def test_any_title_normalizes_like_the_general_path(title: str) -> None:
    assert normalize_title(title) == _normalize_any(title)


def test_copies_of_one_title_get_one_id() -> None:
    ids = {
        paper_id_for(t)
        for t in (
            "Attention Is All You Need",
            "attention is all you need.",
            "Attention  is all\nyou need",
            "Attention_Is_All_You_Need",
            "Attention Is All You Need\u00a0",
        )
    }
    assert len(ids) == 1


def test_stored_papers_share_their_digest_ids_and_wrong_typed_ones_are_refused() -> None:
    rows = [
        {
            "id": f"00000000000{i}",
            "title": "T",
            "abstract": "",
            "digests": ["".join(["abc", "123"])],
        }
        for i in range(2)
    ]
    a, b = (Paper.from_dict(row) for row in rows)  # type: ignore[arg-type]
    assert a.digests == b.digests == ["abc123"]
    assert a.digests[0] is b.digests[0]
    # A digest id that is not text makes the row no paper (issue 17 point 11: the
    # store sets such a row aside instead of guessing what it meant).
    with pytest.raises(InvalidRowError, match="digests are a list, not a list of texts"):
        Paper.from_dict({"id": "0" * 12, "title": "T", "abstract": "", "digests": [7, "d"]})


def test_smart_punctuation_makes_no_second_paper() -> None:
    """Unicode hyphens, smart quotes and no-break spaces: the same id as the ASCII copy."""
    ascii_copy = 'Non-Autoregressive "Transformers": It\'s a Test'
    for fancy in (
        "Non\u2011Autoregressive \u201cTransformers\u201d: It\u2019s a\u00a0Test",
        "Non\u2010Autoregressive \u201cTransformers\u201d: It\u2018s a Test",
        "Non\u2014Autoregressive \u201cTransformers\u201d:\u00a0It\u2019s a Test",
    ):
        assert paper_id_for(fancy) == paper_id_for(ascii_copy)


def test_the_row_schema_takes_every_status_and_nothing_else() -> None:
    """tracker/rows.py names the statuses without the enum (it sits below the models)."""
    assert tuple(s.value for s in Status) == STATUS_NAMES
    row = {"paper_id": "0123456789ab"}
    for status in Status:
        for text in (status.value, status.value.replace("-", "_").upper(), f" {status.value} "):
            assert not annotation_row_problem({**row, "status": text})
            assert Status.parse(text) is status
    for text in ("bogus", "to read", "", "reads"):
        assert "its status" in annotation_row_problem({**row, "status": text})
        with pytest.raises(ValueError):
            Status.parse(text)


@pytest.mark.parametrize(
    ("label", "date", "shown"),
    [
        ("Aug 25", "2024-08-25", "Aug 25 2024"),
        ("HF daily, Aug 25", "2025-08-25", "HF daily, Aug 25 2025"),
        ("Sept. 3", "2024-09-03", "Sept. 3 2024"),
        ("Aug 25", None, "Aug 25"),
        ("Daily Papers (2025-04-25)", "2025-04-25", "Daily Papers (2025-04-25)"),
        # A label the user chose is shown as written ("weekly picks 2026" before).
        ("weekly picks", "2026-02-01", "weekly picks"),
        ("HF feed Feb 1 2026", "2026-02-01", "HF feed Feb 1 2026"),
        ("top 10", "2026-02-01", "top 10"),
    ],
)
def test_a_digest_label_gets_its_year_only_when_it_names_a_day_without_one(
    label: str, date: str | None, shown: str
) -> None:
    digest = Digest(id="d", label=label, date=date, source="s", sha256="0", imported_at="t")
    assert digest.display_label == shown
