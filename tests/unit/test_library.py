"""The library facade: import, merge, annotate, undo, stats."""

from __future__ import annotations

import multiprocessing
import threading
from pathlib import Path
from typing import Any

import pytest

from tracker import clock
from tracker.library import Library, LibraryError
from tracker.models import Status, paper_id_for
from tracker.sources.parsed import DigestError

DIGEST = """Daily Papers

Oct 7, 2024

Attention Is All You Need

The dominant sequence transduction models are based on complex recurrent networks. We propose the Transformer, based solely on attention mechanisms.

Pointer Networks

We introduce a new neural architecture to learn the conditional probability of an output sequence with elements that are discrete tokens corresponding to positions in an input sequence.
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_seeds_import_to_114_distinct_papers_and_reimport_is_a_no_op(
    data_dir: Path, seeds: list[Path]
) -> None:
    with Library.open(data_dir) as lib:
        first = [lib.import_file(s) for s in seeds]
        assert [r.papers for r in first] == [71, 62]
        assert [r.new for r in first] == [71, 43]
        assert first[1].known == 19
        assert len(lib) == 114
        again = [lib.import_file(s) for s in seeds]
        assert all(r.already_imported for r in again)
        assert len(lib) == 114 and len(lib.digests) == 2
    with Library.open(data_dir, readonly=True) as lib:
        assert len(lib) == 114
        shared = [p for p in lib.papers if len(p.digests) == 2]
        assert len(shared) == 19
        assert [d.label for d in lib.digests] == ["Aug 25", "Mar 17"]


def test_same_paper_from_another_copy_merges_by_normalized_title(
    data_dir: Path, tmp_path: Path
) -> None:
    variant = DIGEST.replace("Attention Is All You Need", "ATTENTION is all you need.").replace(
        "Oct 7, 2024", "Oct 8, 2024"
    )
    with Library.open(data_dir) as lib:
        lib.import_file(_write(tmp_path, "a.txt", DIGEST))
        report = lib.import_file(_write(tmp_path, "b.txt", variant))
        assert (report.new, report.known) == (0, 2)
        paper = lib.paper(paper_id_for("Attention Is All You Need"))
        assert paper.title == "Attention Is All You Need"
        assert len(paper.digests) == 2
        assert [d.date for d in lib.digests] == ["2024-10-07", "2024-10-08"]


def test_bad_file_leaves_the_library_untouched(data_dir: Path, tmp_path: Path) -> None:
    with Library.open(data_dir) as lib:
        lib.import_file(_write(tmp_path, "good.txt", DIGEST))
        lib.set_status([lib.papers[0].id], Status.READ)
    before = {p.name: p.read_bytes() for p in data_dir.iterdir() if p.suffix == ".json"}
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02binary\xff")
    with Library.open(data_dir) as lib:
        with pytest.raises(DigestError, match=r"bad\.txt"):
            lib.import_file(bad)
        with pytest.raises(LibraryError, match="directory"):
            lib.import_file(tmp_path)
        with pytest.raises(LibraryError, match="cannot read"):
            lib.import_file(tmp_path / "missing.txt")
    after = {p.name: p.read_bytes() for p in data_dir.iterdir() if p.suffix == ".json"}
    assert after == before


def test_status_note_tags_persist_across_processes(data_dir: Path, tmp_path: Path) -> None:
    with Library.open(data_dir) as lib:
        lib.import_file(_write(tmp_path, "a.txt", DIGEST))
        pid = lib.papers[1].id
        lib.set_status([pid], "to-read")
        lib.set_note(pid, "# Idea\n\nuse it for *sets*")
        lib.append_note(pid, "second thought")
        lib.add_tags([pid], ["seq2seq", "classic"])
        lib.remove_tags([pid], ["classic"])
    with Library.open(data_dir, readonly=True) as lib:
        ann = lib.annotation(pid)
        assert ann.status is Status.TO_READ
        assert ann.note == "# Idea\n\nuse it for *sets*\n\nsecond thought"
        assert ann.tags == ["seq2seq"]
        # A UTC time; changes within one millisecond carry the logical clock's
        # counter after it (tracker/clock.py: "…123Z#000001").
        assert clock.wall_part(ann.updated_at).endswith("Z")
        assert clock.parse_wall(ann.updated_at) is not None


def test_undo_restores_bulk_changes_even_in_a_new_process(data_dir: Path, tmp_path: Path) -> None:
    with Library.open(data_dir) as lib:
        lib.import_file(_write(tmp_path, "a.txt", DIGEST))
        ids = [p.id for p in lib.papers]
        lib.set_status([ids[0]], Status.READING)
        change = lib.set_status(ids, Status.SKIPPED)
        assert change.label == "marked 2 papers skipped"
    with Library.open(data_dir) as lib:
        undone = lib.undo()
        assert undone is not None and "skipped" in undone.label
        assert [lib.status(i) for i in ids] == [Status.READING, Status.NEW]
        lib.undo()
        assert lib.status(ids[0]) is Status.NEW
        # Then the import itself (undoable since imports can be taken back).
        undone = lib.undo()
        assert undone is not None and undone.label.startswith("undid: imported a.txt")
        assert len(lib) == 0
        assert lib.undo() is None


def test_note_autosaves_coalesce_into_one_undo_step(data_dir: Path, tmp_path: Path) -> None:
    with Library.open(data_dir) as lib:
        lib.import_file(_write(tmp_path, "a.txt", DIGEST))
        pid = lib.papers[0].id
        lib.set_note(pid, "old")
        for text in ["n", "ne", "new"]:
            lib.set_note(pid, text, session="edit-1")
        for text in ["newer", "newest"]:
            lib.set_note(pid, text, session="edit-2")
        lib.undo()
        assert lib.annotation(pid).note == "new"
        lib.undo()
        assert lib.annotation(pid).note == "old"


def test_query_filters_and_digest_resolution(data_dir: Path, seeds: list[Path]) -> None:
    with Library.open(data_dir) as lib:
        for s in seeds:
            lib.import_file(s)
        pointer = lib.query("poiner netwroks")[0].paper
        assert pointer.title == "Pointer Networks"
        lib.set_status([pointer.id], Status.READ)
        lib.set_note(pointer.id, "classic")
        assert [r.paper.id for r in lib.query("status:read")] == [pointer.id]
        assert [r.paper.id for r in lib.query("has:note")] == [pointer.id]
        assert len(lib.query("", digest="Mar 17")) == 62
        assert len(lib.query("", statuses=["new"])) == 113
        assert len(lib.query('digest:"aug 25" -status:read')) == 70
        with pytest.raises(LibraryError, match="no digest"):
            lib.query("", digest="Dec 1")


def test_resolve_accepts_prefixes_and_rejects_unknown(data_dir: Path, tmp_path: Path) -> None:
    with Library.open(data_dir) as lib:
        lib.import_file(_write(tmp_path, "a.txt", DIGEST))
        pid = lib.papers[0].id
        assert lib.resolve(pid[:6]).id == pid
        with pytest.raises(LibraryError, match="no paper"):
            lib.resolve("zzzzzz")


def test_date_option_and_unknown_year_warning(data_dir: Path, tmp_path: Path) -> None:
    undated = DIGEST.replace("Oct 7, 2024", "Oct 7")
    with Library.open(data_dir) as lib:
        report = lib.import_file(_write(tmp_path, "a.txt", undated))
        assert report.digests[0].date is None
        assert any("--date" in w for w in report.warnings)
        other = undated.replace("Oct 7", "Oct 9")
        dated = lib.import_file(_write(tmp_path, "b.txt", other), date="2024-10-09")
        assert dated.digests[0].date == "2024-10-09"
        with pytest.raises(LibraryError, match="not a date"):
            lib.import_file(_write(tmp_path, "c.txt", DIGEST + "\n"), date="yesterday")


def test_stats_count_statuses_per_digest(data_dir: Path, seeds: list[Path]) -> None:
    with Library.open(data_dir) as lib:
        for s in seeds:
            lib.import_file(s)
        aug = lib.digests[0]
        lib.set_status(aug.paper_ids[:3], Status.READ)
        lib.set_status(aug.paper_ids[3:5], Status.SKIPPED)
        stats = {s.digest.label: s for s in lib.digest_stats()}
        assert (stats["Aug 25"].read, stats["Aug 25"].triaged, stats["Aug 25"].total) == (3, 5, 71)
        assert lib.status_counts()[Status.NEW] == 109


def test_readonly_library_refuses_changes(data_dir: Path, tmp_path: Path) -> None:
    with Library.open(data_dir) as lib:
        lib.import_file(_write(tmp_path, "a.txt", DIGEST))
    with (
        Library.open(data_dir, readonly=True) as lib,
        pytest.raises(LibraryError, match="read-only"),
    ):
        lib.set_status([lib.papers[0].id], Status.READ)


def test_bundled_seeds_are_importable(data_dir: Path) -> None:
    with Library.open(data_dir) as lib:
        reports = lib.import_bundled_seeds()
        assert sum(r.papers for r in reports) == 133
        assert len(lib) == 114


def test_import_files_batches_one_write_and_keeps_good_files(
    data_dir: Path, tmp_path: Path, seeds: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00binary")
    with Library.open(data_dir) as lib:
        writes = []
        real = lib.store.save_library_edit
        monkeypatch.setattr(lib.store, "save_library_edit", lambda *a: writes.append(1) or real(*a))
        outcomes = lib.import_files([seeds[0], bad, seeds[1], seeds[0]])
        assert len(writes) == 1
        assert [type(o).__name__ for o in outcomes] == [
            "ImportReport",
            "DigestError",
            "ImportReport",
            "ImportReport",
        ]
        assert outcomes[3].already_imported  # type: ignore[union-attr]
    with Library.open(data_dir, readonly=True) as lib:
        # Papers new in the first file and seen again in the second are one paper
        # listing both digests, as with two separate imports.
        assert len(lib) == 114
        assert sum(1 for p in lib.papers if len(p.digests) == 2) == 19


def test_files_parsed_in_worker_processes_give_the_same_library(
    tmp_path: Path, seeds: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tracker.library.parse_ahead import PARALLEL_MIN_FILES

    monkeypatch.setattr(
        "tracker.library.parse_ahead.PARALLEL_MIN_BYTES", 0
    )  # small files, workers all the same

    files = [*seeds]
    for i in range(PARALLEL_MIN_FILES):
        files.append(_write(tmp_path, f"d{i}.txt", DIGEST.replace("Oct 7", f"Oct {i + 1}")))
    files.insert(3, _write(tmp_path, "bad.bin", "\x00\x01binary\x02" * 10))
    files.append(files[0])  # the same file twice in one command
    outcomes = {}
    # Workers are forked from a command (one thread) and spawned beside threads
    # (the app's import dialog): both give what one process gives.
    contexts: list[str] = []
    real_get_context = multiprocessing.get_context

    def get_context(method: str | None = None) -> Any:
        contexts.append(str(method))
        return real_get_context(method)

    monkeypatch.setattr(multiprocessing, "get_context", get_context)
    # Another test may have left a thread behind: then both are spawned.
    first = "fork" if threading.active_count() == 1 else "spawn"
    for workers, beside_a_thread in ((1, False), (2, False), (3, True)):
        other = threading.Event()
        thread = threading.Thread(target=other.wait, daemon=True)
        if beside_a_thread:
            thread.start()
        with Library.open(tmp_path / f"data{workers}") as lib:
            out = lib.import_files(files, workers=min(workers, 2))
        other.set()
        if beside_a_thread:
            thread.join()
        with Library.open(tmp_path / f"data{workers}") as lib:
            outcomes[workers] = (
                [
                    str(o) if isinstance(o, Exception) else (o.papers, o.new, o.warnings)
                    for o in out
                ],
                [(p.id, p.title, p.abstract, p.digests) for p in lib.papers],
                [(d.label, d.date, d.paper_ids) for d in lib.digests],
            )
    assert outcomes[1] == outcomes[2] == outcomes[3]
    assert "bad.bin" in outcomes[2][0][3]
    assert contexts == [first, "spawn"]
