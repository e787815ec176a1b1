"""Status, note and tag filters answer from rows kept between searches: never stale.

The rows (tracker/library/facet_rows.py) are kept until an annotation or the
papers change; each step below changes one of them the way a user does and
checks every filter against the library itself.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker.library import Library
from tracker.library.annotation_map import AnnotationMap
from tracker.models import Annotation, Status

NEW_DAY = """Daily Papers

Oct 7, 2024

A Freshly Imported Paper About Sparse Attention

An abstract of the fresh paper, long enough to be one.
"""


def _check_filters(lib: Library) -> None:
    """Each filter's hits, searched twice (the second from kept rows), against the library."""
    for status in Status:
        want = {p.id for p in lib.papers if lib.status(p.id) is status}
        for _ in range(2):
            assert {r.paper.id for r in lib.query("", statuses=[status.value])} == want
    noted = {p.id for p in lib.papers if lib.annotation(p.id).note.strip()}
    tagged = {p.id for p in lib.papers if "later" in lib.annotation(p.id).tags}
    for _ in range(2):
        assert {r.paper.id for r in lib.query("has:note")} == noted
        assert {r.paper.id for r in lib.query("tag:later")} == tagged


def test_filters_follow_every_kind_of_change(
    data_dir: Path, seeds: list[Path], tmp_path: Path
) -> None:
    with Library.open(data_dir) as lib:
        for seed in seeds:
            lib.import_file(seed)
        ids = [p.id for p in lib.papers]
        _check_filters(lib)
        lib.set_status(ids[:5], Status.READ)
        _check_filters(lib)
        lib.set_status(ids[2:3], Status.SKIPPED)
        _check_filters(lib)
        lib.set_note(ids[7], "worth a second look")
        lib.add_tags(ids[8:10], ["later"])
        _check_filters(lib)
        lib.undo()  # the tags
        _check_filters(lib)
        new_day = tmp_path / "new.txt"
        new_day.write_text(NEW_DAY, encoding="utf-8")
        lib.import_file(new_day)  # papers appended
        fresh = lib.papers[-1].id
        lib.set_status([fresh], Status.TO_READ)
        _check_filters(lib)
        lib.forget_digest(lib.digests[0].id)  # papers removed: positions move
        _check_filters(lib)
        lib.undo()  # and put back in their places
        _check_filters(lib)
        with Library.open(data_dir) as other:  # another process's change, taken in
            other.set_status([ids[20]], Status.READING)
        lib.refresh()
        _check_filters(lib)


@pytest.mark.parametrize(
    "write",
    [
        lambda m, a: m.__setitem__("y", a),
        lambda m, a: m.__delitem__("x"),
        lambda m, a: m.pop("x"),
        lambda m, a: m.popitem(),
        lambda m, a: m.clear(),
        lambda m, a: m.update({"y": a}),
        lambda m, a: m.setdefault("y", a),
        lambda m, a: m.__ior__({"y": a}),
    ],
)
def test_every_write_to_the_annotation_map_counts(write: object) -> None:
    ann = Annotation("x")
    annotations = AnnotationMap({"x": ann})
    before = annotations.version
    write(annotations, Annotation("y"))  # type: ignore[operator]
    assert annotations.version > before
