"""The storage layer: atomic writes, backups, schema checks, the writer lock."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.store import (
    ANNOTATIONS_FILE,
    LIBRARY_FILE,
    SCHEMA_VERSIONS,
    CorruptFileError,
    LockedError,
    ReadOnlyError,
    Store,
    StoreError,
    atomic_write,
    dumps_row_per_line,
    load_stored,
)
from tracker.store.journal import encode as journal_line
from tracker.store.row_per_line import _load_row_per_line


def _ann(pid: str, status: str = "read", note: str = "") -> dict[str, object]:
    return {"paper_id": pid, "status": status, "note": note, "tags": [], "updated_at": "t"}


def test_annotations_round_trip_and_schema(data_dir: Path) -> None:
    with Store.open(data_dir) as store:
        store.save_annotations([_ann("a10000000000"), _ann("b20000000000", note="hi")])
        store.save_annotations([_ann("a10000000000", status="skipped")])
    raw = json.loads((data_dir / ANNOTATIONS_FILE).read_text())
    meta = raw["_meta"]["1"]
    assert (meta["schema"], meta["kind"]) == (SCHEMA_VERSIONS["annotations"], "annotations")
    assert isinstance(meta["id"], str) and isinstance(meta["seq"], int)
    with Store.open(data_dir, readonly=True) as store:
        docs = {d["paper_id"]: d for d in store.load_annotations()}
    assert docs["a10000000000"]["status"] == "skipped"
    assert docs["b20000000000"]["note"] == "hi"
    assert len(docs) == 2


def test_a_change_appends_that_change_and_leaves_the_base_alone(data_dir: Path) -> None:
    with Store.open(data_dir) as store:
        store.save_annotations([_ann(f"{i:012x}", note="x" * 200) for i in range(300)])
        store.compact(force=True)
    base = data_dir / ANNOTATIONS_FILE
    journal = data_dir / "annotations.journal.jsonl"
    before = base.read_bytes()
    size = journal.stat().st_size
    with Store.open(data_dir) as store:
        store.save_annotations([_ann("000000000007", note="a new note")])
    assert base.read_bytes() == before
    added = journal.read_bytes()[size:]
    assert added.count(b"\n") == 1 and b"a new note" in added
    assert len(added) < 1000  # that annotation, not the 300
    assert load_stored(base, "annotations")["annotations"]["8"]["note"] == "a new note"  # type: ignore[index]


def test_compaction_keeps_the_previous_pair_as_backups(data_dir: Path) -> None:
    with Store.open(data_dir) as store:
        store.save_annotations([_ann("a10000000000", status="to-read")])
        store.save_annotations([_ann("a10000000000", status="read")])
        assert store.compact(force=True)
        store.save_annotations([_ann("a10000000000", status="skipped")])
    # The backup base with the journal that followed it: the state at the compaction.
    pair = data_dir.parent / "pair"
    pair.mkdir()
    for name in (ANNOTATIONS_FILE, "annotations.journal.jsonl"):
        (pair / name).write_bytes((data_dir / (name + ".bak")).read_bytes())
    backup = load_stored(pair / ANNOTATIONS_FILE, "annotations")
    assert backup is not None and backup["annotations"]["1"]["status"] == "read"
    with Store.open(data_dir, readonly=True) as store:
        assert store.load_annotations()[0]["status"] == "skipped"
    assert not [p for p in data_dir.iterdir() if p.name.endswith(".tmp")]


def test_import_is_one_write_and_updates_existing_papers(data_dir: Path) -> None:
    with Store.open(data_dir) as store:
        store.save_import(
            [{"id": "f10000000000", "title": "T", "digests": ["d1"]}],
            {},
            [{"id": "d1", "label": "d1"}],
        )
        store.save_import(
            [{"id": "f20000000000", "title": "U", "digests": ["d2"]}],
            {"f10000000000": {"id": "f10000000000", "title": "T", "digests": ["d1", "d2"]}},
            [{"id": "d2", "label": "d2"}],
        )
    with Store.open(data_dir, readonly=True) as store:
        papers = {p["id"]: p for p in store.load_papers()}
        assert papers["f10000000000"]["digests"] == ["d1", "d2"]
        assert [d["id"] for d in store.load_digests()] == ["d1", "d2"]


@pytest.mark.parametrize("compacted", [False, True])
def test_truncated_base_is_reported_and_never_overwritten(data_dir: Path, compacted: bool) -> None:
    with Store.open(data_dir) as store:
        store.save_annotations([_ann("a10000000000")])
        if compacted:
            store.compact(force=True)
        store.save_annotations([_ann("a10000000000", status="reading")])
    path = data_dir / ANNOTATIONS_FILE
    damaged = path.read_bytes()[:40]
    path.write_bytes(damaged)
    with pytest.raises(CorruptFileError) as info:
        Store.open(data_dir)
    message = str(info.value)
    assert str(path) in message and "doctor --restore" in message
    # The remedy named: the backup, or the journal that can make it again.
    assert (".bak" in message) if compacted else ("annotations.journal.jsonl" in message)
    assert path.read_bytes() == damaged


@pytest.mark.parametrize(
    "content",
    [
        b"[1, 2, 3]",
        b'{"annotations": {}}',
        b'{"_meta": {"1": {"schema": 1, "kind": "library"}}}',
        b"\xff\xfe not json",
    ],
)
def test_foreign_or_wrong_kind_files_are_refused(data_dir: Path, content: bytes) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / ANNOTATIONS_FILE).write_bytes(content)
    with pytest.raises(CorruptFileError, match=ANNOTATIONS_FILE):
        Store.open(data_dir)
    assert (data_dir / ANNOTATIONS_FILE).read_bytes() == content


def test_future_schema_asks_for_an_upgrade(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    meta = {"_meta": {"1": {"schema": SCHEMA_VERSIONS["library"] + 1, "kind": "library"}}}
    (data_dir / LIBRARY_FILE).write_text(json.dumps(meta))
    with pytest.raises(CorruptFileError, match="newer paper-tracker"):
        Store.open(data_dir)


def test_future_journal_layout_asks_for_an_upgrade(data_dir: Path) -> None:
    with Store.open(data_dir) as store:
        store.save_annotations([_ann("a10000000000")])
    journal = data_dir / "annotations.journal.jsonl"
    lines = journal.read_bytes().split(b"\n", 1)
    header = orjson.loads(lines[0])["rec"]
    header["schema"] = 99
    journal.write_bytes(journal_line(header) + lines[1])
    with pytest.raises(CorruptFileError, match="newer paper-tracker"):
        Store.open(data_dir)


def test_missing_annotations_with_backup_present_is_not_silently_empty(data_dir: Path) -> None:
    with Store.open(data_dir) as store:
        store.save_import([{"id": "f10000000000", "title": "T", "digests": []}], {}, [])
        store.save_annotations([_ann("f10000000000")])
        store.compact(force=True)
        store.save_annotations([_ann("f10000000000", status="reading")])
    (data_dir / ANNOTATIONS_FILE).unlink()
    with pytest.raises(CorruptFileError, match="missing"):
        Store.open(data_dir)


def test_two_stores_write_in_turn_and_each_takes_in_the_others_changes(data_dir: Path) -> None:
    with Store.open(data_dir) as first, Store.open(data_dir) as second:
        first.save_annotations([_ann("a10000000000")], undo_push={"label": "one", "before": []})
        # The second never saw a1: its write still keeps it, and the keys differ.
        second.save_annotations([_ann("b20000000000")], undo_push={"label": "two", "before": []})
        picked = second.take_changes()
        assert [d["paper_id"] for d in picked.annotations] == ["a10000000000"]
        first.save_annotations([_ann("a10000000000", status="skipped")])
        assert first.refresh()
        assert [d["paper_id"] for d in first.take_changes().annotations] == ["b20000000000"]
    with Store.open(data_dir, readonly=True) as store:
        docs = {d["paper_id"]: d["status"] for d in store.load_annotations()}
        assert docs == {"a10000000000": "skipped", "b20000000000": "read"}
        assert [e["label"] for e in store.undo_entries().values()] == ["one", "two"]


def test_a_reader_follows_a_compaction_made_by_another_store(data_dir: Path) -> None:
    with Store.open(data_dir) as writer, Store.open(data_dir, readonly=True) as reader:
        writer.save_annotations([_ann("a10000000000")])
        assert reader.refresh() and reader.take_changes().annotations
        writer.save_annotations([_ann("a20000000000")])
        writer.compact(force=True)
        writer.save_annotations([_ann("a30000000000")])
        assert reader.refresh()
        picked = reader.take_changes()
        assert not picked.reload  # followed record by record, not read again
        assert [d["paper_id"] for d in picked.annotations] == ["a20000000000", "a30000000000"]


def test_an_open_library_does_not_stop_another_process_writing(data_dir: Path) -> None:
    code = (
        "import sys, time; from pathlib import Path; from tracker.store import Store\n"
        "s = Store.open(Path(sys.argv[1])); s.save_annotations([{'paper_id': 'ee0000000000', "
        "'status': 'read'}]); print('open', flush=True); time.sleep(30)\n"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code, str(data_dir)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "open"
        with Store.open(data_dir) as store:  # the app being open is no reason to wait
            store.save_annotations([_ann("ef0000000000")])
            assert {d["paper_id"] for d in store.load_annotations()} == {
                "ee0000000000",
                "ef0000000000",
            }
    finally:
        holder.kill()
        holder.wait()


def test_a_writer_waits_for_another_and_gives_up_naming_it(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir.mkdir(parents=True)
    code = (
        "import sys, time; from pathlib import Path; from tracker.store.lock import WriterLock\n"
        "with WriterLock(Path(sys.argv[1])).hold():\n"
        "    print('holding', flush=True); time.sleep(float(sys.argv[2]))\n"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code, str(data_dir), "1.0"], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "holding"
    with Store.open(data_dir) as store:
        store.save_annotations([_ann("a10000000000")])  # waited for the other write to end
    holder.wait()
    holder = subprocess.Popen(
        [sys.executable, "-c", code, str(data_dir), "30"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "holding"
        store = Store.open(data_dir)
        store.lock.wait = 0.3
        with pytest.raises(LockedError) as info:
            store.save_annotations([_ann("a20000000000")])
        assert f"pid {holder.pid}" in str(info.value)
        # Readers are never blocked by a writer.
        with Store.open(data_dir, readonly=True) as reader:
            assert [d["paper_id"] for d in reader.load_annotations()] == ["a10000000000"]
    finally:
        holder.kill()
        holder.wait()
    # A killed holder leaves no stale lock: the kernel released it.
    store.save_annotations([_ann("a20000000000")])
    store.close()


def test_readonly_store_refuses_writes(data_dir: Path) -> None:
    with Store.open(data_dir, readonly=True) as store, pytest.raises(ReadOnlyError):
        store.save_annotations([_ann("a10000000000")])


def test_failed_write_keeps_the_old_file_and_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "f.json"
    target.write_bytes(b"old")

    def disk_full(fd: int, data: object) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "write", disk_full)
    with pytest.raises(StoreError, match="No space left on device"):
        atomic_write(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["f.json"]


def test_undo_log_is_bounded(data_dir: Path) -> None:
    from tracker.store import UNDO_LIMIT

    with Store.open(data_dir) as store:
        for i in range(UNDO_LIMIT + 5):
            store.save_annotations([_ann("a")], undo_push={"label": f"change {i}", "before": []})
        last = store.last_undo()
        assert last is not None and last["label"] == f"change {UNDO_LIMIT + 4}"
    raw = load_stored(data_dir / ANNOTATIONS_FILE, "annotations")
    assert raw is not None and len(raw["undo"]) == UNDO_LIMIT


def test_closed_store_says_so(data_dir: Path) -> None:
    store = Store.open(data_dir)
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.last_undo()


# -- library.json with one table row per line ------------------------------------

_TEXT = st.text(max_size=30)  # any characters, newlines and quotes included
_ROWS = st.dictionaries(
    st.integers(1, 10_000).map(str),
    st.fixed_dictionaries({"id": _TEXT, "title": _TEXT, "digests": st.lists(_TEXT, max_size=3)}),
    max_size=8,
)


@settings(max_examples=200, deadline=None)
@given(tables=st.dictionaries(st.sampled_from(["papers", "digests", "_meta", "x"]), _ROWS))
def test_row_per_line_is_the_same_json_and_reads_back_row_by_row(tables, tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    payload = dumps_row_per_line(tables)
    assert orjson.loads(payload) == tables  # any JSON reader (TinyDB, jq) reads the same
    lines = payload.split(b"\n")
    assert sum(len(rows) for rows in tables.values()) <= len(lines)
    path = tmp_path_factory.mktemp("rows") / "t.json"
    path.write_bytes(payload)
    with path.open("rb") as fh:
        assert _load_row_per_line(fh) == tables


def test_library_is_written_a_paper_per_line_and_old_single_line_files_still_open(
    data_dir: Path,
) -> None:
    papers = [{"id": f"{i:012x}", "title": f"T {i}\nwrapped", "digests": ["d1"]} for i in range(3)]
    with Store.open(data_dir) as store:
        store.save_import(papers, {}, [{"id": "d1", "label": "d1"}])
        store.compact(force=True)
    path = data_dir / LIBRARY_FILE
    text = path.read_bytes()
    assert [line.startswith(b'"') for line in text.split(b"\n")].count(True) >= 3 + 1 + 2
    # A file as earlier versions wrote it: the same JSON on one line.
    path.write_bytes(orjson.dumps(orjson.loads(text)))
    with Store.open(data_dir) as store:
        assert [p["title"] for p in store.load_papers()] == [p["title"] for p in papers]
        store.save_import(
            [{"id": "f90000000000", "title": "New", "digests": ["d2"]}],
            {},
            [{"id": "d2", "label": "d2"}],
        )
        store.compact(force=True)
    assert path.read_bytes().count(b"\n") > 6  # rewritten a row per line
    with Store.open(data_dir, readonly=True) as store:
        assert len(store.load_papers()) == 4


@pytest.mark.parametrize("cut", [0.3, 0.6, 0.95])
@pytest.mark.parametrize("how", ["truncated", "control byte"])
def test_damaged_row_per_line_file_is_reported(data_dir: Path, cut: float, how: str) -> None:
    with Store.open(data_dir) as store:
        store.save_import(
            [{"id": f"{i:012x}", "title": f"T {i}", "digests": ["d1"]} for i in range(50)],
            {},
            [{"id": "d1", "label": "d1"}],
        )
        store.compact(force=True)
    path = data_dir / LIBRARY_FILE
    damaged = path.read_bytes()
    at = int(len(damaged) * cut)
    # A raw control byte is invalid anywhere in JSON, inside strings too.
    damaged = damaged[:at] if how == "truncated" else damaged[:at] + b"\x00" + damaged[at:]
    path.write_bytes(damaged)
    with pytest.raises(CorruptFileError, match=LIBRARY_FILE):
        Store.open(data_dir)
    assert path.read_bytes() == damaged
