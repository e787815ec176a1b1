"""library.json as a base plus library.journal.jsonl (tracker.store.library_file)."""

from __future__ import annotations

import io
import os
from pathlib import Path

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.digests import digest_page, numbered_titles
from tracker.library import Library
from tracker.models import paper_id_for
from tracker.store import (
    LIBRARY_FILE,
    CorruptFileError,
    Store,
    StoreError,
    library_file,
    load_stored,
)
from tracker.store.library_rows import Loaded, apply_to_loaded, fold, fold_tables
from tracker.store.row_per_line import dumps_row_per_line

JOURNAL = "library.journal.jsonl"


def _stored(data_dir: Path) -> dict[str, dict[str, object]]:
    tables = load_stored(data_dir / LIBRARY_FILE, "library")
    assert tables is not None
    return tables


def _papers_of(lib: Library) -> dict[str, dict[str, object]]:
    return {p.id: p.to_dict() for p in lib.papers}


def test_an_import_appends_one_record_and_leaves_the_base_alone(data_dir: Path) -> None:
    with Library.open(data_dir) as lib:
        lib.import_bytes(digest_page(1, numbered_titles(30)), source="a.txt")
    base = data_dir / LIBRARY_FILE
    before = base.read_bytes(), base.stat().st_ino
    lines = (data_dir / JOURNAL).read_bytes().count(b"\n")
    with Library.open(data_dir) as lib:
        # 10 papers seen again, 20 new.
        lib.import_bytes(digest_page(2, numbered_titles(30, start=20)), source="b.txt")
        lib.import_bytes(digest_page(3, numbered_titles(5, start=45)), source="c.txt")
        expected = _papers_of(lib)
        digests = [d.to_dict() for d in lib.digests]
    assert (base.read_bytes(), base.stat().st_ino) == before
    assert (data_dir / JOURNAL).read_bytes().count(b"\n") == lines + 2
    assert len(expected) == 50
    with Library.open(data_dir, readonly=True) as lib:
        assert _papers_of(lib) == expected
        assert [d.to_dict() for d in lib.digests] == digests
    papers = _stored(data_dir)["papers"]
    assert [p["id"] for p in papers.values()] == list(expected)
    seen_twice = next(p for p in papers.values() if p["title"] == numbered_titles(1, start=25)[0])
    assert len(seen_twice["digests"]) == 2  # type: ignore[arg-type]


def test_compaction_writes_a_base_a_row_per_line_and_an_empty_journal(data_dir: Path) -> None:
    with Library.open(data_dir) as lib:
        lib.import_bytes(digest_page(1, numbered_titles(20)), source="a.txt")
        lib.import_bytes(digest_page(2, numbered_titles(20, start=10)), source="b.txt")
        expected = _papers_of(lib)
        assert lib.store.compact(force=True)
    text = (data_dir / LIBRARY_FILE).read_bytes()
    assert text.count(b"\n") >= 30 + 3 + 3 + 2  # a row per line: the layout an open streams
    assert (data_dir / JOURNAL).read_bytes().count(b"\n") == 1  # its header only
    # The previous pair is kept: the old base and the journal that followed it.
    assert (data_dir / (LIBRARY_FILE + ".bak")).exists()
    assert (data_dir / (JOURNAL + ".bak")).read_bytes().count(b"\n") == 3
    with Library.open(data_dir, readonly=True) as lib:
        assert _papers_of(lib) == expected


def test_a_changed_row_keeps_keys_this_version_does_not_know(data_dir: Path) -> None:
    with Library.open(data_dir) as lib:
        lib.import_bytes(digest_page(1, numbered_titles(3)), source="a.txt")
        lib.store.compact(force=True)
    path = data_dir / LIBRARY_FILE
    text = path.read_bytes().replace(b'"digests":', b'"future":1,"digests":', 1)
    path.write_bytes(text)
    with Library.open(data_dir) as lib:
        lib.import_bytes(digest_page(2, numbered_titles(3)), source="b.txt")  # changes all three
        lib.store.compact(force=True)
    papers = orjson.loads(path.read_bytes())["papers"]
    assert [p.get("future") for p in papers.values()] == [1, None, None]
    assert all(len(p["digests"]) == 2 for p in papers.values())


def test_a_compaction_keeps_what_another_writer_appended_while_it_copied(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Library.open(data_dir) as lib:
        lib.import_bytes(digest_page(1, numbered_titles(10)), source="a.txt")
    real = library_file.Replacement
    other_wrote = []

    def copy_then_let_another_write(path: Path, pieces: object) -> object:
        replacement = real(path, pieces)  # type: ignore[arg-type]
        # The writer lock is not held while the copy is written: another
        # process imports meanwhile.
        with Library.open(data_dir) as other:
            other.import_bytes(digest_page(2, numbered_titles(5, start=100)), source="b.txt")
        other_wrote.append(True)
        return replacement

    monkeypatch.setattr(library_file, "Replacement", copy_then_let_another_write)
    with Library.open(data_dir) as lib:
        assert lib.store.compact(force=True)
        assert other_wrote
        assert lib.refresh().papers_added == 5  # what the other one imported, taken in
        assert len(lib) == 15
    with Library.open(data_dir, readonly=True) as lib:
        assert len(lib) == 15
        assert len(lib.digests) == 2
    # The base holds the first import, the new journal the one made meanwhile.
    assert (data_dir / JOURNAL).read_bytes().count(b"\n") == 2


def test_a_damaged_journal_line_is_reported_and_nothing_is_written(data_dir: Path) -> None:
    with Library.open(data_dir) as lib:
        lib.import_bytes(digest_page(1, numbered_titles(5)), source="a.txt")
        lib.import_bytes(digest_page(2, numbered_titles(5, start=5)), source="b.txt")
        lib.import_bytes(digest_page(3, numbered_titles(5, start=10)), source="c.txt")
    journal = data_dir / JOURNAL
    lines = journal.read_bytes().split(b"\n")
    lines[2] = lines[2].replace(b"Thing Number 6", b"Thing Number X")  # a flipped byte
    damaged = b"\n".join(lines)
    journal.write_bytes(damaged)
    with pytest.raises(CorruptFileError) as info:
        Library.open(data_dir)
    assert f"{journal}, line 3" in str(info.value) and "doctor" in str(info.value)
    assert journal.read_bytes() == damaged


def test_an_unfinished_last_record_is_ignored_and_cut_off_by_the_next_writer(
    data_dir: Path,
) -> None:
    with Library.open(data_dir) as lib:
        lib.import_bytes(digest_page(1, numbered_titles(5)), source="a.txt")
    journal = data_dir / JOURNAL
    good = journal.read_bytes()
    # A writer killed half-way through its record (never acknowledged).
    journal.write_bytes(good + b'{"crc":"00000000","rec":{"seq":3,"at":"x","ops":[["put","pap')
    with Library.open(data_dir, readonly=True) as lib:
        assert len(lib) == 5
    with Library.open(data_dir) as lib:
        lib.import_bytes(digest_page(2, numbered_titles(5, start=5)), source="b.txt")
    data = journal.read_bytes()
    assert data.startswith(good) and data.count(b"\n") == good.count(b"\n") + 1
    with Library.open(data_dir, readonly=True) as lib:
        assert len(lib) == 10


def test_papers_and_digests_can_be_removed_and_added_again(data_dir: Path) -> None:
    with Library.open(data_dir) as lib:
        lib.import_bytes(digest_page(1, numbered_titles(4)), source="a.txt")
        first = lib.papers[0].to_dict()
        digest = lib.digests[0].to_dict()
    with Store.open(data_dir) as store:
        store.save_library(
            [["del", "papers", str(first["id"])], ["del", "digests", str(digest["id"])]]
        )
    with Library.open(data_dir, readonly=True) as lib:
        assert len(lib) == 3 and not lib.digests
    with Store.open(data_dir) as store:
        store.save_library([["put", "papers", str(first["id"]), first]])
        assert [p["id"] for p in store.load_papers()][-1] == first["id"]  # at the end now
        store.compact(force=True)
    assert [p["id"] for p in _stored(data_dir)["papers"].values()][-1] == first["id"]


def test_a_failed_write_keeps_the_import_and_a_reread_includes_it(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Library.open(data_dir) as lib:
        lib.import_bytes(digest_page(1, numbered_titles(10)), source="a.txt")
    real_write = os.write

    def disk_full(fd: int, data: object) -> int:
        raise OSError(28, "No space left on device")

    with Library.open(data_dir) as lib:
        monkeypatch.setattr(os, "write", disk_full)
        with pytest.raises(StoreError):
            lib.import_bytes(digest_page(2, numbered_titles(10, start=5)), source="b.txt")
        assert lib.has_unsaved
        # The library went back to what the store holds: the disk plus the unsaved import.
        assert len(lib) == 15
        assert len(lib.paper(paper_id_for(numbered_titles(1, start=7)[0])).digests) == 2
        expected = _papers_of(lib)
        monkeypatch.setattr(os, "write", real_write)
        lib.flush()
        assert not lib.has_unsaved
    with Library.open(data_dir, readonly=True) as lib:
        assert _papers_of(lib) == expected
        assert len(lib.digests) == 2


def test_the_store_keeps_no_rows_once_the_library_has_them(data_dir: Path) -> None:
    with Library.open(data_dir) as lib:
        lib.import_bytes(digest_page(1, numbered_titles(5)), source="a.txt")
    with Store.open(data_dir, readonly=True) as store:
        first = store.take_library()
        assert [p["title"] for p in first.papers] == numbered_titles(5)
        assert store._loaded is None
        again = store.take_library()  # read anew
        assert again.papers == first.papers and again.digests == first.digests


def test_a_very_large_import_becomes_a_new_base(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(library_file, "BIG_WRITE_BYTES", 1000)
    with Library.open(data_dir) as lib:
        lib.import_bytes(digest_page(1, numbered_titles(40)), source="a.txt")
    assert (data_dir / JOURNAL).read_bytes().count(b"\n") == 1  # the header only
    assert len(orjson.loads((data_dir / LIBRARY_FILE).read_bytes())["papers"]) == 40


# -- reading and folding agree ------------------------------------------------------

_IDS = st.sampled_from([f"p{i}" for i in range(8)])
_TABLES = st.sampled_from(["papers", "digests"])
_OPS = st.lists(
    st.one_of(
        st.tuples(st.just("put"), _TABLES, _IDS, st.integers(0, 9), st.none()),
        st.tuples(st.just("put"), _TABLES, _IDS, st.integers(0, 9), _IDS),  # before a row
        st.tuples(st.just("null"), _TABLES, _IDS, st.integers(0, 9), st.none()),  # a key goes
        st.tuples(st.just("del"), _TABLES, _IDS, st.just(0), st.none()),
        st.tuples(st.just("table"), st.just("digests"), _IDS, st.integers(0, 9), st.none()),
    ),
    max_size=25,
)


def _op(op: str, table: str, key: str, v: int, before: str | None) -> list[object]:
    if op == "del":
        return ["del", table, key]
    if op == "table":
        return ["table", table, "", [{"id": f"p{k}", "v": v} for k in range(v % 4)]]
    row: dict[str, object] = {"id": key, "v": v}
    if op == "null":
        row["keep"] = None
    return ["put", table, key, row] + ([{"before": before}] if before else [])


@settings(max_examples=400, deadline=None)
@given(base_ids=st.lists(_IDS, unique=True, max_size=6), raw_ops=_OPS)
def test_loading_and_folding_a_journal_give_the_same_library(
    base_ids: list[str], raw_ops: list[tuple[str, str, str, int, str | None]]
) -> None:
    base = {
        "papers": {str(n): {"id": pid, "v": -1, "keep": n} for n, pid in enumerate(base_ids, 1)},
        "digests": {str(n): {"id": pid, "v": -1} for n, pid in enumerate(base_ids[:3], 1)},
        "_meta": {"1": {"schema": 2, "kind": "library", "id": "b", "prev": None, "seq": 0}},
    }
    ops = [_op(*raw) for raw in raw_ops]
    loaded = Loaded(
        [dict(r) for r in base["papers"].values()], [dict(r) for r in base["digests"].values()]
    )
    apply_to_loaded(loaded, ops, dict)
    meta = {"schema": 2, "kind": "library", "id": "n", "prev": "b", "seq": 1}
    folded = orjson.loads(b"".join(fold(io.BytesIO(dumps_row_per_line(base)), ops, meta)))
    # The same rows in the same order, however the journal moved them.
    assert list(folded["papers"].values()) == loaded.papers
    assert list(folded["digests"].values()) == loaded.digests
    assert folded["_meta"]["1"] == meta
    assert len(set(folded["papers"])) == len(folded["papers"])  # keys stay unique
    # And what parsed tables give (a base in another layout).
    tables = fold_tables(base, ops, meta)
    assert list(tables["papers"].values()) == loaded.papers
    assert list(tables["digests"].values()) == loaded.digests
