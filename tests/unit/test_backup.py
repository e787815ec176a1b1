"""Backups and merges between machines: hypothesis properties of the merge, then the library."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker import backup
from tracker.backup import (
    fingerprint,
    is_replaced,
    merge_annotation,
    note_parts,
    record_edit,
    timed_parts,
)
from tracker.library import ImportReport, Library, LibraryError
from tracker.models import Annotation, Status, StatusChange

PID = "0123456789ab"  # a paper id of the shape every stored one has
TIMES = ["", *(f"2026-01-0{d}T00:00:00.000Z" for d in range(1, 6))]
TEXTS = ["", "a", "b", "a\n", "longer note\n\nwith paragraphs", "  "]
# Texts that already look merged, to check that merging merged notes stays stable.
TEXTS += [
    backup.merge_note(Annotation(PID, note="a", note_at=TIMES[2]), Annotation(PID, note="b"))[0],
]

fingerprints = st.sampled_from([fingerprint(t, at) for t in TEXTS for at in TIMES])


@st.composite
def stored_annotations(draw: st.DrawFn) -> Annotation:
    """Any stored annotation state, including ones no real history produces.

    Stored annotations always have ``updated_at`` (the time of their latest
    change, so no later than the tag and note times).
    """
    updated_at = draw(st.sampled_from(TIMES[1:]))
    earlier = [t for t in TIMES if t <= updated_at]
    return Annotation(
        PID,
        status=draw(st.sampled_from(list(Status))),
        note=draw(st.sampled_from(TEXTS)),
        tags=draw(st.lists(st.sampled_from(["x", "y", "z"]), unique=True, max_size=3)),
        updated_at=updated_at,
        history=sorted(
            draw(
                st.sets(
                    st.builds(StatusChange, st.sampled_from(earlier[1:]), st.sampled_from(Status)),
                    max_size=3,
                )
            )
        ),
        status_at=draw(st.sampled_from(earlier)),
        tags_at=draw(st.sampled_from(earlier)),
        note_at=draw(st.sampled_from(earlier)),
        note_seen=sorted(draw(st.sets(fingerprints, max_size=4))),
    )


def annotations() -> st.SearchStrategy[Annotation]:
    # A paper never annotated on one machine is the untouched default there.
    return st.one_of(st.just(Annotation(PID)), stored_annotations())


def d(ann: Annotation) -> dict[str, object]:
    """What is stored: the comparison that matters."""
    return Annotation.from_dict(ann.to_dict()).to_dict()


@settings(max_examples=600, deadline=None)
@given(annotations(), annotations())
def test_merge_is_commutative(a: Annotation, b: Annotation) -> None:
    assert d(merge_annotation(a, b)) == d(merge_annotation(b, a))


@settings(max_examples=600, deadline=None)
@given(annotations(), annotations())
def test_merge_is_idempotent(a: Annotation, b: Annotation) -> None:
    once = merge_annotation(a, b)
    assert d(merge_annotation(once, b)) == d(once)
    assert d(merge_annotation(once, a)) == d(once)
    assert d(merge_annotation(a, a)) == d(a)


@settings(max_examples=600, deadline=None)
@given(annotations(), annotations())
def test_merge_loses_no_note_nobody_replaced(a: Annotation, b: Annotation) -> None:
    merged = merge_annotation(a, b)
    seen = set(a.note_seen) | set(b.note_seen)
    for side in (a, b):
        replaced = fingerprint(side.note, side.note_time) in seen
        if side.note.strip() and not replaced:
            assert set(note_parts(side.note)) <= set(note_parts(merged.note))


@settings(max_examples=400, deadline=None)
@given(annotations(), annotations())
def test_status_and_tags_come_from_the_newer_side(a: Annotation, b: Annotation) -> None:
    merged = merge_annotation(a, b)
    newer = max(a, b, key=lambda x: (x.status_time, x.status.value))
    assert merged.status is newer.status
    assert set(merged.history) == set(a.history) | set(b.history)
    assert merged.updated_at == max(a.updated_at, b.updated_at)
    assert merged.tags == max(a, b, key=lambda x: (x.tags_time, x.tags)).tags


# -- histories: machines that edit and merge, as in real use ------------------------------------
class Clock:
    def __init__(self) -> None:
        self.t = 0

    def __call__(self) -> str:
        self.t += 1
        return f"2026-02-01T00:00:{self.t:06d}Z"


def _edit(
    ann: Annotation, clock: Clock, *, note: str | None = None, **fields: object
) -> Annotation:
    after = ann.copy()
    if note is not None:
        after.note = note
    for key, value in fields.items():
        setattr(after, key, value)
    record_edit(ann, after, clock(), continuing=False)
    return after


operations = st.lists(
    st.tuples(
        st.integers(0, 2),  # which machine acts
        st.sampled_from(["note", "status", "tags", "merge"]),
        st.integers(0, 2),  # the other machine (merge) / which text or status
    ),
    max_size=25,
)


@settings(max_examples=300, deadline=None)
@given(operations)
def test_histories_of_three_machines_keep_every_unseen_edit_and_converge(
    ops: list[tuple[int, str, int]],
) -> None:
    clock = Clock()
    machines = [Annotation(PID) for _ in range(3)]
    last_status, last_tags = Status.NEW, []  # the latest real change anywhere
    for who, op, arg in ops:
        ann = machines[who]
        if op == "note":
            # Editing back to an earlier text is a new version too.
            machines[who] = _edit(ann, clock, note=["first", "second", ""][arg])
        elif op == "status":
            status = list(Status)[arg]
            machines[who] = _edit(ann, clock, status=status)
            last_status = status if status is not ann.status else last_status
        elif op == "tags":
            tags = [["t1"], ["t1", "t2"], []][arg]
            machines[who] = _edit(ann, clock, tags=tags)
            last_tags = tags if tags != ann.tags else last_tags
        else:
            other = machines[arg]
            merged = merge_annotation(ann, other)
            assert d(merged) == d(merge_annotation(other, ann))
            assert d(merge_annotation(merged, other)) == d(merged)
            # What either side wrote survives unless the other already replaced it.
            for mine, theirs in ((ann, other), (other, ann)):
                for part, at in timed_parts(mine.note, mine.note_time):
                    if not is_replaced(part, at, theirs.note_seen):
                        assert part in note_parts(merged.note)
            machines[who] = merged
    # Everyone merges everyone: all machines end with the same annotation.
    for _ in range(2):
        for i in range(3):
            for j in range(3):
                machines[i] = merge_annotation(machines[i], machines[j])
    assert d(machines[0]) == d(machines[1]) == d(machines[2])
    # The newest status and tag change made anywhere is the one everyone has.
    assert machines[0].status is last_status
    assert machines[0].tags == last_tags


def test_both_changed_note_keeps_both_newer_first_and_a_later_edit_resolves_it() -> None:
    clock = Clock()
    base = _edit(Annotation(PID), clock, note="shared start")
    here = _edit(base, clock, note="edited here")
    there = _edit(base, clock, note="edited there")
    merged = merge_annotation(here, there)
    assert merged.note.startswith("edited there\n\n**paper-tracker merge:**")
    assert merged.note.endswith("\n\nedited here\n")
    assert note_parts(merged.note) == ["edited there", "edited here"]
    # Keeping one version verbatim resolves it; the other machine follows.
    resolved = _edit(merged, clock, note="edited here")
    other_after_merge = merge_annotation(there, here)
    assert d(merge_annotation(other_after_merge, resolved)).get("note") == "edited here"


def test_an_unchanged_side_gives_way_and_a_deletion_propagates() -> None:
    clock = Clock()
    base = _edit(Annotation(PID), clock, note="v1")
    changed = _edit(base, clock, note="v2")
    assert merge_annotation(base, changed).note == "v2"
    deleted = _edit(base, clock, note="")
    assert merge_annotation(base, deleted).note == ""
    # Deleting on one machine while editing on the other keeps the edit.
    assert merge_annotation(changed, deleted).note == "v2"


def test_a_first_note_here_does_not_undo_a_status_or_tags_set_there_earlier() -> None:
    clock = Clock()
    there = _edit(Annotation(PID), clock, status=Status.READ, tags=["x"])
    here = _edit(Annotation(PID), clock, note="mine")
    merged = merge_annotation(here, there)
    assert (merged.status, merged.tags, merged.note) == (Status.READ, ["x"], "mine")


def test_a_newer_note_edit_does_not_undo_an_older_tag_change_elsewhere() -> None:
    clock = Clock()
    base = _edit(Annotation(PID), clock, note="n", tags=["a"])
    tagged = _edit(base, clock, tags=["a", "b"])
    noted = _edit(base, clock, note="n2")
    merged = merge_annotation(tagged, noted)
    assert merged.tags == ["a", "b"] and merged.note == "n2"


# -- the library: backup, merge, undo, bad files ------------------------------------------------
@pytest.fixture
def two_libraries(seeds: list[Path], tmp_path: Path) -> tuple[Path, Path]:
    dirs = (tmp_path / "laptop", tmp_path / "desktop")
    for directory in dirs:
        with Library.open(directory) as lib:
            lib.import_files(seeds)
    return dirs


def _annotations(directory: Path) -> dict[str, dict[str, object]]:
    with Library.open(directory, readonly=True) as lib:
        return {pid: a.to_dict() for pid, a in lib.annotations.items()}


def test_two_machines_merge_both_ways_and_agree(
    two_libraries: tuple[Path, Path], tmp_path: Path
) -> None:
    laptop, desktop = two_libraries
    with Library.open(laptop) as lib:
        ids = [p.id for p in lib.papers[:5]]
        lib.set_status([ids[0]], Status.READ)
        lib.set_note(ids[1], "from the laptop")
        lib.add_tags([ids[3]], ["laptop-tag"])
    with Library.open(desktop) as lib:
        lib.set_status([ids[2]], Status.SKIPPED)
        lib.set_note(ids[1], "from the desktop")
        lib.set_status([ids[0]], Status.TO_READ)  # later than the laptop's "read"
    sync_dir = tmp_path / "Sync"
    with Library.open(laptop, readonly=True) as lib:
        lib.write_backup(sync_dir / "laptop.json")
    with Library.open(desktop, readonly=True) as lib:
        lib.write_backup(sync_dir / "desktop.json")

    with Library.open(laptop) as lib:
        report = lib.merge_backup(sync_dir / "desktop.json")
        assert report.notes_kept_both == 1 and report.kept_both == [ids[1]]
        assert lib.status(ids[0]) is Status.TO_READ and lib.status(ids[2]) is Status.SKIPPED
        assert lib.annotation(ids[3]).tags == ["laptop-tag"]
        note = lib.annotation(ids[1]).note
        assert "from the laptop" in note and "from the desktop" in note
    with Library.open(desktop) as lib:
        lib.merge_backup(sync_dir / "laptop.json")
    assert _annotations(laptop) == _annotations(desktop)

    # Merging the same file again changes nothing, not even a byte.
    before = (laptop / "annotations.json").read_bytes()
    with Library.open(laptop) as lib:
        assert lib.merge_backup(sync_dir / "desktop.json").changed == 0
    assert (laptop / "annotations.json").read_bytes() == before

    # The next round trip after both merged does not repeat the conflict.
    with Library.open(desktop, readonly=True) as lib:
        lib.write_backup(sync_dir / "desktop.json")
    with Library.open(laptop) as lib:
        assert lib.merge_backup(sync_dir / "desktop.json").changed == 0


def test_a_merge_is_one_undoable_change(two_libraries: tuple[Path, Path], tmp_path: Path) -> None:
    laptop, desktop = two_libraries
    with Library.open(desktop) as lib:
        ids = [p.id for p in lib.papers[:3]]
        lib.set_status(ids, Status.READ)
        lib.set_note(ids[0], "desktop note")
        lib.write_backup(tmp_path / "desktop.json")
    with Library.open(laptop) as lib:
        lib.set_note(ids[1], "laptop note")
    before = _annotations(laptop)
    with Library.open(laptop) as lib:
        assert lib.merge_backup(tmp_path / "desktop.json").changed == 3
    with Library.open(laptop) as lib:
        change = lib.undo()
        assert change is not None and change.label.startswith("undid: merged 3 annotations")
        assert all(lib.status(pid) is Status.NEW for pid in ids)
        assert lib.annotation(ids[1]).note == "laptop note"
        assert lib.annotation(ids[0]).note == ""
    assert {pid: a["status"] for pid, a in _annotations(laptop).items()} == {
        pid: a["status"] for pid, a in before.items()
    } | {ids[0]: "new", ids[2]: "new"}
    # Undoing a merge claims nothing about the other machine's versions:
    # merging the same backup again does the same merge again, losing nothing.
    with Library.open(laptop) as lib:
        assert lib.merge_backup(tmp_path / "desktop.json").changed == 3
        assert all(lib.status(pid) is Status.READ for pid in ids)
        assert lib.annotation(ids[0]).note == "desktop note"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "is not valid JSON"),
        (b'{"hello": 1}', "is not a paper-tracker backup"),
        (b'{"format": "paper-tracker-backup", "version": 99}', "newer paper-tracker"),
        (
            b'{"format": "paper-tracker-backup", "version": 1, "annotations": '
            b'[{"paper_id": "0123456789ab", "status": "read"}, '
            b'{"paper_id": "0123456789ac", "status": "eaten"}]}',
            "entry 2 of 'annotations' is invalid: annotation of 0123456789ac: its status is the text 'eaten'",
        ),
        (  # an id made to become a path in a vault export
            b'{"format": "paper-tracker-backup", "version": 1, "annotations": '
            b'[{"paper_id": "x/../../../../tmp/TRAVERSED", "note": "n"}]}',
            "entry 1 of 'annotations' is invalid: the paper id 'x/../../../../tmp/TRAVERSED' "
            "is not a paper-tracker id",
        ),
        (
            b'{"format": "paper-tracker-backup", "version": 1, "annotations": [], "papers": '
            b'[{"id": "../x", "title": "T", "abstract": "", "digests": []}]}',
            "entry 1 of 'papers' is invalid: the paper id '../x' is not a paper-tracker id",
        ),
        (
            b'{"format": "paper-tracker-backup", "version": 1, "annotations": [], "papers": [], '
            b'"digests": [{"id": "d", "label": "Oct 7", "paper_ids": ["../x"]}]}',
            "entry 1 of 'digests' is invalid: the paper id '../x' is not a paper-tracker id",
        ),
        (
            b'{"format": "paper-tracker-backup", "version": 1, "annotations": [{"status": "read"}]}',
            "entry 1 of 'annotations' is invalid: it has no paper_id",
        ),
        (
            b'{"format": "paper-tracker-backup", "version": 1, "annotations": [], "papers": [{}]}',
            "entry 1 of 'papers' is invalid: a paper row has no id",
        ),
    ],
)
def test_a_bad_backup_changes_nothing_and_names_the_file(
    two_libraries: tuple[Path, Path], tmp_path: Path, content: bytes, message: str
) -> None:
    laptop, _ = two_libraries
    with Library.open(laptop) as lib:
        lib.set_status([lib.papers[0].id], Status.READ)
    bad = tmp_path / "other-machine.json"
    bad.write_bytes(content)
    files = {p.name: p.read_bytes() for p in laptop.iterdir() if p.suffix == ".json"}
    with Library.open(laptop) as lib, pytest.raises(LibraryError) as err:
        lib.merge_backup(bad)
    assert str(bad) in str(err.value) and message in str(err.value)
    assert "nothing was merged" in str(err.value) or "upgrade" in str(err.value)
    assert {p.name: p.read_bytes() for p in laptop.iterdir() if p.suffix == ".json"} == files


def test_a_backup_with_the_library_fills_a_new_machine(
    two_libraries: tuple[Path, Path], tmp_path: Path, seeds: list[Path]
) -> None:
    laptop, _ = two_libraries
    with Library.open(laptop) as lib:
        pid = lib.papers[7].id
        lib.set_note(pid, "carried over")
        lib.set_status([pid], Status.READING)
        report = lib.write_backup(tmp_path / "full.json", with_library=True)
        assert (report.papers, report.digests) == (114, 2)
        stats = [(s.digest.id, s.total, s.by_status) for s in lib.digest_stats()]
    fresh = tmp_path / "new-machine"
    with Library.open(fresh) as lib:
        merged = lib.merge_backup(tmp_path / "full.json")
        assert (merged.papers_added, merged.digests_added, merged.unknown_papers) == (114, 2, 0)
        assert lib.annotation(pid).note == "carried over"
        assert [(s.digest.id, s.total, s.by_status) for s in lib.digest_stats()] == stats
        assert len(lib.query("pointer networks", limit=1)) == 1
    # Importing the same digest file there later is recognised as already imported.
    with Library.open(fresh) as lib:
        [report] = lib.import_files(seeds[:1])
        assert isinstance(report, ImportReport) and report.already_imported


def test_annotations_for_papers_not_here_are_kept(
    two_libraries: tuple[Path, Path], tmp_path: Path, seeds: list[Path]
) -> None:
    laptop, _ = two_libraries
    with Library.open(laptop) as lib:
        pid = lib.papers[-1].id  # only in the second digest
        lib.set_note(pid, "note on a paper the other machine lacks")
        lib.write_backup(tmp_path / "laptop.json")
    other = tmp_path / "other"
    with Library.open(other) as lib:
        lib.import_files(seeds[:1])
        report = lib.merge_backup(tmp_path / "laptop.json")
        assert report.unknown_papers == 1
        assert not lib.has_paper(pid)
        lib.import_files(seeds[1:])
        assert lib.annotation(pid).note == "note on a paper the other machine lacks"


def test_note_autosaves_of_one_edit_remember_only_the_version_before_it(data_dir: Path) -> None:
    with Library.open(data_dir) as lib:
        lib.import_bundled_seeds()
        pid = lib.papers[0].id
        lib.set_note(pid, "v1")
        for text in ("v2", "v2 more", "v2 more text"):
            lib.set_note(pid, text, session="editing")
        ann = lib.annotation(pid)
        assert len(ann.note_seen) == 1  # "v1", not each autosave
        lib.set_note(pid, "v3")
        assert len(lib.annotation(pid).note_seen) == 2
