"""The status history kept with each annotation."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tracker.library import Library
from tracker.models import HISTORY_LIMIT, Annotation, Status, StatusChange
from tracker.store import ANNOTATIONS_FILE, load_stored


def _clock(*stamps: str) -> Iterator[str]:
    yield from stamps


@pytest.fixture
def lib(data_dir: Path) -> Iterator[Library]:
    with Library.open(data_dir) as library:
        library.import_bundled_seeds()
        yield library


def test_each_status_change_is_recorded_in_the_same_write(lib: Library, data_dir: Path) -> None:
    pid = lib.papers[0].id
    clock = _clock("2026-11-02T08:00:00.000Z", "2026-11-03T09:00:00.000Z")
    lib.now = lambda: next(clock)
    lib.set_status([pid], Status.TO_READ)
    lib.set_status([pid], Status.READ)
    expected = [
        StatusChange("2026-11-02T08:00:00.000Z", Status.TO_READ),
        StatusChange("2026-11-03T09:00:00.000Z", Status.READ),
    ]
    assert lib.annotation(pid).history == expected
    raw = load_stored(data_dir / ANNOTATIONS_FILE, "annotations")
    assert raw is not None
    [doc] = [d for d in raw["annotations"].values() if d["paper_id"] == pid]
    assert doc["history"] == [[at, s.value] for at, s in expected]
    assert doc["updated_at"] == "2026-11-03T09:00:00.000Z"


def test_notes_tags_and_unchanged_statuses_add_no_entry(lib: Library) -> None:
    pid = lib.papers[1].id
    lib.set_status([pid], Status.READING)
    lib.set_status([pid], Status.READING)
    lib.set_note(pid, "a note")
    lib.add_tags([pid], ["x"])
    assert [c.status for c in lib.annotation(pid).history] == [Status.READING]


def test_undo_restores_the_history(lib: Library, data_dir: Path) -> None:
    pid = lib.papers[2].id
    lib.set_status([pid], Status.TO_READ)
    lib.set_status([pid], Status.READ)
    lib.undo()
    assert [c.status for c in lib.annotation(pid).history] == [Status.TO_READ]
    lib.undo()
    assert lib.annotation(pid).history == []
    with Library.open(data_dir, readonly=True) as again:
        assert again.annotation(pid).history == []


def test_history_is_capped_per_paper(lib: Library) -> None:
    pid = lib.papers[3].id
    statuses = [Status.TO_READ, Status.READ]
    for i in range(HISTORY_LIMIT + 8):
        lib.set_status([pid], statuses[i % 2])
    history = lib.annotation(pid).history
    assert len(history) == HISTORY_LIMIT
    assert history[-1].status is Status.READ  # the newest are kept


def test_from_dict_is_tolerant_of_odd_entries_and_unknown_fields() -> None:
    ann = Annotation.from_dict(
        {
            "paper_id": "0123456789ab",
            "status": "read",
            "history": [["T1", "to-read"], ["T2"], "junk", ["T3", "bogus"], ["T4", "read"]],
            "merged_from": "another-machine",
        }
    )
    assert ann.history == [StatusChange("T1", Status.TO_READ), StatusChange("T4", Status.READ)]
    assert Annotation.from_dict({"paper_id": "0123456789ab"}).history == []
