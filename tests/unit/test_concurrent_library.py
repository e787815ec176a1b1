"""Several libraries on one data directory: each write on the latest state, merges of note edits, undo per process."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tracker.library import Library, LibraryError
from tracker.library.note_merge import OTHER_VERSION_MARK, merge_concurrent_edit
from tracker.models import Status
from tracker.store import SCHEMA_VERSIONS, load_stored

FIXTURES = Path(__file__).parent.parent / "fixtures" / "before-journal"


@pytest.fixture
def seeded(data_dir: Path) -> Path:
    with Library.open(data_dir) as lib:
        lib.import_bundled_seeds()
    return data_dir


def test_a_write_is_made_on_top_of_what_another_library_wrote(seeded: Path) -> None:
    with Library.open(seeded) as one, Library.open(seeded) as two:
        pid = one.papers[0].id
        one.change_tags([pid], add=["mine"])
        # ``two`` never looked: its change still keeps the tag.
        two.set_status([pid], Status.READ)
        assert two.annotation(pid).tags == ["mine"]
        assert one.refresh().annotations == {pid}
        assert one.status(pid) is Status.READ
    with Library.open(seeded, readonly=True) as lib:
        ann = lib.annotation(pid)
        assert (ann.status, ann.tags) == (Status.READ, ["mine"])


def test_an_import_elsewhere_is_taken_in_before_the_next_import(seeded: Path) -> None:
    text = "Daily Papers\n\nOct 9, 2024\n\nA Paper Seen By Both Writers\n\n" + "Prose. " * 40
    with Library.open(seeded) as one, Library.open(seeded) as two:
        one.import_bytes(text.encode(), source="a.txt")
        report = two.import_bytes(text.encode(), source="a.txt")
        assert report.already_imported  # not stored twice
        assert len(two) == 115
    with Library.open(seeded, readonly=True) as lib:
        assert len(lib) == 115 and len(lib.digests) == 3


def test_a_note_edit_and_an_append_made_meanwhile_are_both_kept(seeded: Path) -> None:
    with Library.open(seeded) as app, Library.open(seeded) as cli:
        pid = app.papers[3].id
        app.set_note(pid, "start")
        cli.append_note(pid, "from cron")  # while the app's editor shows "start"
        change = app.set_note(pid, "start, then more", base="start")
        assert change.note == "start, then more\n\nfrom cron"
        assert app.annotation(pid).note == change.note
    with Library.open(seeded, readonly=True) as lib:
        assert lib.annotation(pid).note == "start, then more\n\nfrom cron"


def test_undo_in_the_app_takes_back_only_its_own_changes(seeded: Path) -> None:
    with Library.open(seeded, app=True) as app, Library.open(seeded) as cli:
        a, b = app.papers[0].id, app.papers[1].id
        app.set_status([a], Status.READ)
        cli.set_status([b], Status.SKIPPED)
        change = app.undo()  # the app's own, not the newer one of the command line
        assert change is not None and change.paper_ids == [a]
        assert app.undo() is None
        # The command line's undo leaves the open app's changes alone.
        app.set_status([a], Status.TO_READ)
        undone = cli.undo()  # the command line's own change, older: it says what it left
        assert undone is not None and undone.paper_ids == [b]
        assert undone.label.endswith(
            "(the newer “marked 1 paper to-read” was made in the app, which is still open "
            f"(pid {app.origin['pid']}): undo it there with u)"
        )
        with pytest.raises(LibraryError, match="still open"):
            cli.undo()
    with Library.open(seeded, readonly=True) as lib:
        assert lib.status(a) is Status.TO_READ and lib.status(b) is Status.NEW
    with Library.open(seeded) as cli:  # the app is closed: its change can be undone now
        assert cli.undo() is not None
        assert cli.status(a) is Status.NEW


def test_undo_refuses_when_another_process_changed_the_same_paper_since(seeded: Path) -> None:
    with Library.open(seeded, app=True) as app, Library.open(seeded) as cli:
        pid = app.papers[0].id
        app.set_note(pid, "the app's note")
        cli.set_status([pid], Status.READ)
        with pytest.raises(LibraryError, match="was not undone") as refused:
            app.undo()
        # The refusal names the paper and who changed it, in one sentence.
        title = app.paper(pid).title
        assert str(refused.value) == (
            f"“edited a note” was not undone: the paper “{title}” was changed since from the "
            "command line by “marked 1 paper read”, and undoing would take that back too"
        )
        assert app.annotation(pid).note == "the app's note"
    with Library.open(seeded, readonly=True) as lib:
        assert lib.annotation(pid).note == "the app's note"
        assert lib.status(pid) is Status.READ


_DIGEST = "Daily Papers\n\nOct 9, 2024\n\n" + "".join(
    f"Imported Paper Number {k} On Undo\n\n{'Prose about undo. ' * 12}\n\n" for k in range(3)
)


def _imported(lib: Library) -> list[str]:
    return [p.id for p in lib.papers if p.title.startswith("Imported Paper Number")]


@pytest.mark.parametrize("by_app", [True, False], ids=["undo-in-the-app", "tracker-undo"])
def test_an_import_is_not_undone_once_another_process_annotated_its_papers(
    seeded: Path, by_app: bool
) -> None:
    """Undone, the import removed the paper and its note stayed, hidden with no paper
    (found by a new user: a note written with `tracker note` while the app was open)."""
    with (
        Library.open(seeded, app=by_app) as importer,
        Library.open(seeded, app=not by_app) as other,
    ):
        importer.import_bytes(_DIGEST.encode(), source="undo.txt")
        other.refresh()
        pid = _imported(other)[1]
        other.set_note(pid, "my notes on it")
        with pytest.raises(LibraryError, match="was not undone") as refused:
            importer.undo()
        title = importer.paper(pid).title
        assert f"the paper “{title}” was changed since" in str(refused.value)
        assert "“edited a note”" in str(refused.value)
        assert len(_imported(importer)) == 3
    with Library.open(seeded, readonly=True) as lib:
        assert lib.annotation(pid).note == "my notes on it" and len(_imported(lib)) == 3


def test_an_import_whose_papers_got_a_note_after_the_log_lost_it_is_not_undone(
    seeded: Path,
) -> None:
    """No log entry names the note (undone or dropped): the note itself stops the undo."""
    with Library.open(seeded) as lib:
        lib.import_bytes(_DIGEST.encode(), source="undo.txt")
        pid = _imported(lib)[0]
        lib.set_status([pid], Status.READING)
        lib.store.drop_undo_entries([max(lib.store.undo_entries())])  # the mark's entry
        with pytest.raises(LibraryError, match="given a status, a note or tags since"):
            lib.undo()
        assert lib.status(pid) is Status.READING and len(_imported(lib)) == 3
        lib.set_status([pid], Status.NEW)  # nothing left to hide: the import goes
        lib.store.drop_undo_entries([max(lib.store.undo_entries())])
        assert lib.undo() is not None and _imported(lib) == []


def test_an_import_whose_papers_had_notes_before_it_is_undone(seeded: Path, tmp_path: Path) -> None:
    """A note of a paper the library did not have yet (merged from another machine's
    backup) was there before the import: undoing it goes back to that state."""
    other = tmp_path / "machine-a"
    with Library.open(other) as lib:
        lib.import_bytes(_DIGEST.encode(), source="undo.txt")
        pid = _imported(lib)[0]
        lib.set_note(pid, "note from machine A")
        lib.write_backup(tmp_path / "backup.json")
    with Library.open(seeded) as lib:
        lib.now = lambda: (
            "2099-01-01T00:00:00.000Z"
        )  # the import after the note, whatever the clock
        assert lib.merge_backup(tmp_path / "backup.json").unknown_papers == 1
        lib.import_bytes(_DIGEST.encode(), source="undo.txt")
        assert lib.annotation(pid).note == "note from machine A"
        assert lib.undo() is not None and _imported(lib) == []
        assert lib.annotation(pid).note == "note from machine A"  # kept, for a later import


def test_an_import_is_undone_when_others_annotated_other_papers(seeded: Path) -> None:
    with Library.open(seeded, app=True) as app, Library.open(seeded) as cli:
        app.import_bytes(_DIGEST.encode(), source="undo.txt")
        cli.refresh()
        cli.set_note(cli.papers[0].id, "a seed paper's note")  # not one of the import's
        change = app.undo()
        assert change is not None and _imported(app) == []
        assert app.annotation(cli.papers[0].id).note == "a seed paper's note"


def test_a_library_written_by_the_previous_release_opens_upgraded_with_backups(
    data_dir: Path,
) -> None:
    """tests/fixtures/before-journal: written by main at 139ae13 (one file each, no journal).

    Made with the Library API of that release: the bundled digests imported,
    statuses, notes (one autosave session), tags, an undo, a note on a new
    paper (see MADE_WITH.md there).
    """
    shutil.copytree(FIXTURES, data_dir)
    old_library = (FIXTURES / "library.json").read_bytes()
    old_annotations = (FIXTURES / "annotations.json").read_bytes()
    # Read-only: read in memory, nothing written.
    with Library.open(data_dir, readonly=True) as lib:
        before = {p.id: lib.annotation(p.id).to_dict() for p in lib.papers}
        papers = [p.to_dict() for p in lib.papers]
        digests = [d.to_dict() for d in lib.digests]
    assert (data_dir / "library.json").read_bytes() == old_library
    assert len(papers) == 114 and len(digests) == 2
    assert sum(1 for a in before.values() if a["note"]) == 3
    # Writable: upgraded, the originals kept beside them.
    with Library.open(data_dir) as lib:
        assert [p.to_dict() for p in lib.papers] == papers
        assert {p.id: lib.annotation(p.id).to_dict() for p in lib.papers} == before
        lib.set_status([lib.papers[10].id], Status.READING)
    assert (data_dir / "library.json.v1.bak").read_bytes() == old_library
    assert (data_dir / "annotations.json.v2.bak").read_bytes() == old_annotations
    for name, kind in (("library.json", "library"), ("annotations.json", "annotations")):
        stored = load_stored(data_dir / name, kind)
        assert stored is not None
        assert stored["_meta"]["1"]["schema"] == SCHEMA_VERSIONS[kind]
        assert (data_dir / name.replace(".json", ".journal.jsonl")).exists()
    # The old undo log is carried over and the command line can use it.
    with Library.open(data_dir) as lib:
        assert lib.undo() is not None  # the status just set
        change = lib.undo()  # the last change the previous release made
        assert change is not None and change.label.startswith("undid: edited a note on “")
        assert lib.annotation(lib.papers[7].id).note == ""


@given(base=st.text(max_size=20), theirs=st.text(max_size=20), ours=st.text(max_size=20))
@example(base="", theirs="\n0", ours="")  # found by hypothesis: a leading newline was dropped
def test_a_merged_edit_keeps_what_is_typed_and_adds_the_other_edit_at_its_end(
    base: str, theirs: str, ours: str
) -> None:
    merged = merge_concurrent_edit(base, theirs, ours)
    assert merged.startswith(ours)  # the cursor and what is typed stay where they are
    if theirs in (base, ours) or not theirs.strip():
        assert merged == ours
    elif theirs.startswith(base.rstrip("\n")) and base.rstrip("\n"):
        assert merged == ours + theirs[len(base.rstrip("\n")) :]  # an append is appended
    else:
        assert theirs in merged  # nothing of the other version is lost
        assert OTHER_VERSION_MARK in merged or not base.rstrip("\n")


def test_files_planned_while_another_process_imported_are_planned_again(
    seeded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tracker.library import importing

    prose = "We measure what happens when two imports overlap in time. " * 4
    shared = "A Paper Both Imports Bring"
    one = tmp_path / "one.txt"
    one.write_text(
        f"Daily Papers\n\nOct 9, 2024\n\n{shared}\n\n{prose}\n\nOnly In One\n\n{prose}\n"
    )
    other = f"Daily Papers\n\nOct 10, 2024\n\n{shared}\n\n{prose}\n\nOnly In Other\n\n{prose}\n"
    real = importing.Importing._read_files

    def read_then_someone_imports(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        yield from real(self, *args, **kwargs)
        # The files are read and planned; before this process takes the lock,
        # another one imports a page with one of the same papers.
        with Library.open(seeded) as elsewhere:
            elsewhere.import_bytes(other.encode(), source="other.txt")

    monkeypatch.setattr(importing.Importing, "_read_files", read_then_someone_imports)
    with Library.open(seeded) as lib:
        [report] = lib.import_files([one])
        assert report.new == 1  # planned again: the shared paper is known now
        assert report.known == 1
        ids = [p.id for p in lib.papers]
        assert len(ids) == len(set(ids)) == 114 + 3
    with Library.open(seeded, readonly=True) as lib:
        assert len(lib) == 114 + 3 and len(lib.digests) == 4
        shared_paper = next(p for p in lib.papers if p.title == shared)
        assert len(shared_paper.digests) == 2


def test_a_search_overlapping_papers_taken_out_is_known_to_be_from_before(
    seeded: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app drops results whose ``order_serial`` is not the library's: a search in a
    worker that started while another process's forget was being taken in read positions
    half moved, and must not carry the serial of after (a review finding)."""
    from tracker.library import core

    with Library.open(seeded) as app, Library.open(seeded) as other:
        other.forget_digest(other.digests[0].id)
        during: list[int] = []
        real = core.apply_to_loaded

        def taking_in(*args: object, **kwargs: object) -> None:
            during.append(app.order_serial)  # what a search starting now would carry
            real(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(core, "apply_to_loaded", taking_in)
        before = app.order_serial
        assert app.refresh().papers_removed
        assert during and len({before, during[0], app.order_serial}) == 3
