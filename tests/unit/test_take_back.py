"""Taking things back: undo of imports, forgetting a digest, renaming and dating one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tracker.library import Library, LibraryError
from tracker.models import Status, paper_id_for
from tracker.store import LIBRARY_FILE, UNDO_LIMIT, StoreError, load_stored

ABSTRACT = "We study this question in depth with many careful experiments and results. "


def page(day: str, papers: list[tuple[str, str]]) -> str:
    body = "".join(f"{title}\n\n{abstract}\n\n" for title, abstract in papers)
    return f"Daily Papers\n\n{day}\n\n{body}"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


A = [("Shared Paper On Memory", "Memory matters. " + ABSTRACT), ("Only In A", ABSTRACT * 2)]
B = [
    ("Shared Paper On Memory", "Memory matters. " + ABSTRACT + "And a longer abstract here."),
    ("Only In B About Zebras", "Zebras " + ABSTRACT * 2),
    ("Another One In B", ABSTRACT * 3),
]


def state(lib: Library) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    return [p.to_dict() for p in lib.papers], [d.to_dict() for d in lib.digests]


def on_disk(data_dir: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    with Library.open(data_dir, readonly=True) as lib:
        return state(lib)


def undo_table(data_dir: Path) -> dict[str, Any]:
    tables = load_stored(data_dir / LIBRARY_FILE, "library") or {}
    table: dict[str, Any] = tables.get("undo", {})
    return table


# -- undo of an import -------------------------------------------------------------


def test_undo_of_an_import_restores_papers_digests_and_search(
    data_dir: Path, tmp_path: Path
) -> None:
    a = write(tmp_path, "a.txt", page("Oct 7, 2024", A))
    b = write(tmp_path, "b.txt", page("Oct 8, 2024", B))
    with Library.open(data_dir) as lib:
        lib.import_file(a)
        before = state(lib)
        assert lib.query("memory")  # the index is built and must follow the undo
        lib.import_file(b)
        shared = lib.paper(paper_id_for("Shared Paper On Memory"))
        assert shared.abstract.endswith("longer abstract here.") and len(shared.digests) == 2
        assert [r.paper.title for r in lib.query("zebras")] == ["Only In B About Zebras"]
    with Library.open(data_dir) as lib:  # another process: the undo log is on disk
        change = lib.undo()
        assert change is not None and change.library
        assert change.label == "undid: imported b.txt (Oct 8, 2024, 2 new papers)"
        assert state(lib) == before
        assert lib.query("zebras") == []
        assert [r.paper.title for r in lib.query("memory")] == ["Shared Paper On Memory"]
    assert on_disk(data_dir) == before
    assert undo_table(data_dir).keys() == {
        e["token"] for e in _entries(data_dir) if e.get("kind") == "library"
    }
    # The same file imports again (it is no longer in the library).
    with Library.open(data_dir) as lib:
        again = lib.import_file(b)
        assert not again.already_imported and again.new == 2


def _entries(data_dir: Path) -> list[dict[str, Any]]:
    doc = load_stored(data_dir / "annotations.json", "annotations") or {}
    undo = doc.get("undo", {})
    return [undo[key] for key in sorted(undo, key=int)]


def test_one_import_command_is_one_undo(data_dir: Path, seeds: list[Path], tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.txt", "\x00")
    with Library.open(data_dir) as lib:
        lib.import_files([seeds[0], bad, seeds[1]])
        assert len(lib) == 114
        change = lib.undo()
        assert change is not None and change.label.startswith("undid: imported 2 files")
        assert len(lib) == 0 and lib.digests == []
        assert lib.undo() is None
    assert on_disk(data_dir) == ([], [])


def test_undoing_annotations_then_the_import_in_order(data_dir: Path, seeds: list[Path]) -> None:
    with Library.open(data_dir) as lib:
        lib.import_file(seeds[0])
        first = lib.papers[0].id
        lib.import_file(seeds[1])
        lib.set_status([first], Status.READ)
        assert lib.undo().label.startswith("undid: marked 1 paper read on “")  # type: ignore[union-attr]
        assert lib.undo().label.startswith("undid: imported 001_")  # type: ignore[union-attr]
        assert len(lib) == 71
        assert lib.undo().label.startswith("undid: imported 000_")  # type: ignore[union-attr]
        assert len(lib) == 0


# -- forget ----------------------------------------------------------------------


def test_forget_removes_the_digest_and_only_its_unannotated_papers(
    data_dir: Path, seeds: list[Path]
) -> None:
    with Library.open(data_dir) as lib:
        lib.import_files(seeds)
        aug = lib.resolve_digest("Aug 25")
        mar = lib.resolve_digest("Mar 17")
        only_aug = [p for p in lib.papers if p.digests == [aug.id]]
        both = [p for p in lib.papers if len(p.digests) == 2]
        assert (len(only_aug), len(both)) == (52, 19)
        noted, tagged, read = only_aug[0].id, only_aug[1].id, only_aug[2].id
        lib.set_note(noted, "keep me")
        lib.add_tags([tagged], ["keep"])
        lib.set_status([read], Status.READ)
        lib.set_status([only_aug[3].id], Status.READ)
        lib.set_status([only_aug[3].id], Status.NEW)  # back to new: nothing left to keep
        before = state(lib)
        annotations = {pid: a.to_dict() for pid, a in lib.annotations.items()}

        report = lib.forget_digest("aug")  # a unique prefix of the label
        assert report.plan.digest.id == aug.id
        assert len(report.plan.removed) == 49
        assert len(report.plan.elsewhere) == 19
        assert [p.id for p in report.plan.kept] == [noted, tagged, read]
        assert report.why_kept == {noted: "note", tagged: "tags: keep", read: "status: read"}
        assert [d.id for d in lib.digests] == [mar.id]
        assert len(lib) == 114 - 49
        assert all(lib.paper(p.id).digests == [mar.id] for p in both)
        assert all(lib.paper(pid).digests == [] for pid in (noted, tagged, read))
        assert not lib.has_paper(only_aug[3].id)
        assert lib.query(digest="Mar 17") and len(lib.query()) == 65
    assert on_disk(data_dir) == state(Library.open(data_dir, readonly=True))
    with Library.open(data_dir) as lib:
        change = lib.undo()
        assert change is not None
        assert change.label == "undid: forgot digest Aug 25 (49 papers removed)"
        assert state(lib) == before  # every paper back in its place, in order
        assert {pid: a.to_dict() for pid, a in lib.annotations.items()} == annotations
    assert on_disk(data_dir) == before


def test_forget_of_the_last_digest_then_undo_keeps_the_index_right(
    data_dir: Path, seeds: list[Path]
) -> None:
    with Library.open(data_dir) as lib:
        lib.import_files(seeds)
        lib.build_index()
        hits = [r.paper.id for r in lib.query("sequence")]
        lib.forget_digest("Mar 17")
        assert all("Mar" not in str(r.paper.digests) for r in lib.query("sequence"))
        lib.undo()
        assert [r.paper.id for r in lib.query("sequence")] == hits
        lib.forget_digest("Aug 25")  # the first digest: positions move, the index is rebuilt
        assert {r.paper.id for r in lib.query("sequence")} <= {p.id for p in lib.papers}
        lib.undo()
        assert [r.paper.id for r in lib.query("sequence")] == hits


def test_forget_and_undo_move_the_index_instead_of_building_it_again(
    data_dir: Path, seeds: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tracker.search.word_index import WordIndex

    indexed: list[int] = []
    original = WordIndex._index_title

    def counting(self: WordIndex, pos: int, *, append: bool) -> None:
        indexed.append(pos)
        original(self, pos, append=append)

    monkeypatch.setattr(WordIndex, "_index_title", counting)
    queries = ("sequence", "memory", "mamba", "zebras", "lasp")

    def results(lib: Library) -> list[list[tuple[str, float]]]:
        return [[(r.paper.id, r.hit.score) for r in lib.query(q)] for q in queries]

    with Library.open(data_dir) as lib:
        lib.import_files(seeds)
        lib.build_index()
        before = results(lib)
        indexed.clear()
        report = lib.forget_digest("Aug 25")  # the first digest: the papers after it move
        after_forget = results(lib)
        assert indexed == []  # nothing indexed again: the postings moved
        lib.undo()  # its papers back in their places
        assert results(lib) == before
        # Only the papers put back are indexed (from their texts).
        assert sorted(indexed) == sorted(lib.position(p.id) for p in report.plan.removed)
        indexed.clear()
    with Library.open(data_dir, readonly=True) as lib:
        assert results(lib) == before  # the saved index, fitted at the last build
        assert indexed == []
    with Library.open(data_dir) as lib:
        lib.forget_digest("Aug 25")
        assert results(lib) == after_forget
    copy = data_dir.parent / "fresh"
    copy.mkdir()
    for name in os.listdir(data_dir):
        if name.startswith(("library", "annotations")):
            (copy / name).write_bytes((data_dir / name).read_bytes())
    with Library.open(copy, readonly=True) as lib:
        assert results(lib) == after_forget  # as a build from scratch finds


def test_forget_an_unknown_or_ambiguous_digest_says_so(data_dir: Path, seeds: list[Path]) -> None:
    with Library.open(data_dir) as lib:
        lib.import_files(seeds)
        with pytest.raises(LibraryError, match="no digest matches 'Dec 1'"):
            lib.forget_digest("Dec 1")
        assert len(lib.digests) == 2
        # Two pages of one day share a label: the files they came from tell them apart.
        lib.rename_digest("Mar 17", "Aug 25")
        with pytest.raises(LibraryError) as ambiguous:
            lib.forget_digest("Aug 25")
        said = str(ambiguous.value)
        for digest in lib.digests:
            assert f"({digest.id}, from {digest.source})" in said
        assert said.endswith("; give its id")
        assert len(lib.digests) == 2


# -- rename and date ----------------------------------------------------------------


def test_rename_and_date_a_digest_and_undo_both(data_dir: Path, seeds: list[Path]) -> None:
    with Library.open(data_dir) as lib:
        lib.import_files(seeds)
        aug = lib.resolve_digest("Aug 25")
        assert aug.date is None
        lib.rename_digest("Aug 25", "HF daily, Aug 25")
        lib.set_digest_date(aug.id[:6], "2025-08-25")
        with pytest.raises(LibraryError, match="not a date"):
            lib.set_digest_date(aug.id, "25/08/2025")
    with Library.open(data_dir) as lib:
        digest = lib.digest(aug.id)
        assert (digest.label, digest.date) == ("HF daily, Aug 25", "2025-08-25")
        assert digest.display_label == "HF daily, Aug 25 2025"
        assert len(lib.query(digest="hf daily")) == 71
        assert len(lib.query('digest:"2025-08-25"')) == 71
        assert lib.undo().label == "undid: dated digest HF daily, Aug 25 2025-08-25"  # type: ignore[union-attr]
        assert lib.digest(aug.id).date is None
        lib.undo()
        assert lib.digest(aug.id).label == "Aug 25"
    assert [d["label"] for d in on_disk(data_dir)[1]] == ["Aug 25", "Mar 17"]


# -- the undo records ----------------------------------------------------------------


def test_records_of_changes_the_log_forgot_are_dropped(data_dir: Path, tmp_path: Path) -> None:
    with Library.open(data_dir) as lib:
        lib.import_file(write(tmp_path, "a.txt", page("Oct 7, 2024", A)))
        pid = lib.papers[0].id
        for n in range(UNDO_LIMIT):  # the import's entry leaves the log
            lib.set_status([pid], Status.READ if n % 2 == 0 else Status.NEW)
        assert len(undo_table(data_dir)) == 1  # still there: nothing wrote library.json since
        lib.rename_digest("Oct 7", "First day")
        assert len(undo_table(data_dir)) == 1  # the rename's record only
        tokens = {e.get("token") for e in _entries(data_dir)}
        assert set(undo_table(data_dir)) <= tokens


# -- crashes between the two files ----------------------------------------------------

CHILD = r"""
import os, sys
from tracker.library import Library
from tracker.store import Store

data, what, when = sys.argv[1], sys.argv[2], sys.argv[3]
lib = Library.open(data)
real_edit, real_ann = Store.save_library_edit, Store.save_annotations

def die_before_library(self, *a, **k):
    os._exit(9)

def die_before_pop(self, anns, **k):
    if k.get("undo_pop") or k.get("undo_remove") is not None:
        os._exit(9)
    return real_ann(self, anns, **k)

if when == "before-library":
    Store.save_library_edit = die_before_library
else:
    Store.save_annotations = die_before_pop
if what == "forget":
    lib.forget_digest("Aug 25")
elif what == "import":
    lib.import_file(sys.argv[4])
else:
    lib.undo()
os._exit(0)
"""


def _crash(data_dir: Path, what: str, when: str, *extra: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(data_dir), what, when, *extra],
        env={**os.environ},
        timeout=60,
    )
    assert done.returncode == 9


@pytest.mark.parametrize("what", ["forget", "import"])
def test_a_crash_before_library_json_is_written_leaves_the_old_state(
    data_dir: Path, seeds: list[Path], what: str
) -> None:
    with Library.open(data_dir) as lib:
        lib.import_file(seeds[0])
        lib.set_status([lib.papers[0].id], Status.READ)
        before = state(lib)
    _crash(data_dir, what, "before-library", str(seeds[1]))
    assert on_disk(data_dir) == before
    assert _entries(data_dir)[-1]["kind"] == "library"  # the entry was written first
    with Library.open(data_dir) as lib:  # ... and is dropped on open: its change never happened
        assert lib.undo().label.startswith("undid: marked 1 paper read on “")  # type: ignore[union-attr]
        assert state(lib) == before


def test_a_crash_before_the_undo_entry_is_dropped_leaves_the_undone_state(
    data_dir: Path, seeds: list[Path]
) -> None:
    with Library.open(data_dir) as lib:
        lib.import_file(seeds[0])
        lib.set_status([lib.papers[0].id], Status.READ)
        before = state(lib)
        lib.forget_digest("Aug 25")
    _crash(data_dir, "undo", "before-pop")
    assert on_disk(data_dir) == before  # the undo reached library.json
    with Library.open(data_dir) as lib:
        assert state(lib) == before
        # The forget's entry is gone; the next undo is the one before it.
        assert lib.undo().label.startswith("undid: marked 1 paper read on “")  # type: ignore[union-attr]


def test_the_bundled_digests_of_the_first_run_are_no_undoable_change(data_dir: Path) -> None:
    # No one chose them, and an installed copy has no file to import them again from.
    with Library.open(data_dir) as lib:
        lib.import_bundled_seeds()
        assert lib.undo() is None
        assert len(lib) == 114


def test_undo_on_a_closed_library_says_so_instead_of_raising(data_dir: Path) -> None:
    """u still queued when the app quits: undo_changes_library answered with a traceback."""
    lib = Library.open(data_dir)
    lib.import_bundled_seeds()
    lib.set_status([lib.papers[0].id], Status.READ)
    lib.close()
    assert lib.undo_changes_library() is False
    with pytest.raises(StoreError, match="closed"):
        lib.undo()  # the app's undo catches this one and shows it
