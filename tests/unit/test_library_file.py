"""library.json rewritten by copying the rows an import leaves alone (tracker.store.library_file)."""

from __future__ import annotations

import os
from pathlib import Path

import orjson
import pytest

from tracker.library import Library
from tracker.models import paper_id_for
from tracker.store import LIBRARY_FILE, CorruptFileError, Store, StoreError, library_file


def _digest(day: int, titles: list[str]) -> bytes:
    abstract = "An abstract that is long enough to be prose for the parser to accept. " * 3
    body = "".join(f"{t}\n\n{abstract}\n\n" for t in titles)
    return f"Daily Papers\n\nOct {day}, 2024\n\n{body}".encode()


def _titles(n: int, start: int = 0) -> list[str]:
    return [f"A Study Of Thing Number {i} In Depth" for i in range(start, start + n)]


def _on_disk(data_dir: Path) -> dict[str, object]:
    tables: dict[str, object] = orjson.loads((data_dir / LIBRARY_FILE).read_bytes())
    return tables


def _papers_of(lib: Library) -> dict[str, dict[str, object]]:
    return {p.id: p.to_dict() for p in lib.papers}


def test_imports_into_a_library_opened_earlier_write_every_paper(data_dir: Path) -> None:
    with Library.open(data_dir) as lib:
        lib.import_bytes(_digest(1, _titles(30)), source="a.txt")
    with Library.open(data_dir) as lib:
        # Copied from the file read at open: 10 papers seen again, 20 new.
        lib.import_bytes(_digest(2, _titles(30, start=20)), source="b.txt")
        lib.import_bytes(_digest(3, _titles(5, start=45)), source="c.txt")
        expected = _papers_of(lib)
        digests = [d.to_dict() for d in lib.digests]
    assert len(expected) == 50
    with Library.open(data_dir, readonly=True) as lib:
        assert _papers_of(lib) == expected
        assert [d.to_dict() for d in lib.digests] == digests
    tables = _on_disk(data_dir)
    papers = tables["papers"]
    assert isinstance(papers, dict)
    assert list(papers) == [str(n) for n in range(1, 51)]  # keys as TinyDB gives them
    seen_twice = next(p for p in papers.values() if p["title"] == _titles(1, start=25)[0])
    assert len(seen_twice["digests"]) == 2
    assert tables["_meta"] == {"1": {"schema": 1, "kind": "library"}}
    # Still a row per line, the layout the next open streams.
    text = (data_dir / LIBRARY_FILE).read_bytes()
    assert text.count(b"\n") >= 50 + 3 + 3 + 2


def test_the_copy_is_made_only_from_the_file_that_was_read(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Library.open(data_dir) as lib:
        lib.import_bytes(_digest(1, _titles(10)), source="a.txt")
    whole = []
    real = library_file.LibraryFile._write_whole

    def spy(self: library_file.LibraryFile, pending: object) -> dict[str, int]:
        whole.append(1)
        return real(self, pending)  # type: ignore[arg-type]

    monkeypatch.setattr(library_file.LibraryFile, "_write_whole", spy)
    with Library.open(data_dir) as lib:
        lib.import_bytes(_digest(2, _titles(10, start=5)), source="b.txt")
        assert whole == []  # the file was copied
        # Someone rewrites the file meanwhile (as older versions wrote it: one line).
        path = data_dir / LIBRARY_FILE
        tables = _on_disk(data_dir)
        tables["papers"]["1"]["extra"] = "kept"  # type: ignore[index]
        path.write_bytes(orjson.dumps(tables))
        lib.import_bytes(_digest(3, _titles(3, start=0)), source="c.txt")
        assert whole == [1]
    papers = _on_disk(data_dir)["papers"]
    assert isinstance(papers, dict)
    assert len(papers) == 15
    first = papers["1"]
    assert first["extra"] == "kept"  # merged into what the file held, not replaced
    assert len(first["digests"]) == 2  # a.txt and c.txt


def test_a_changed_row_keeps_keys_this_version_does_not_know(data_dir: Path) -> None:
    with Library.open(data_dir) as lib:
        lib.import_bytes(_digest(1, _titles(3)), source="a.txt")
    path = data_dir / LIBRARY_FILE
    text = path.read_bytes().replace(b'"digests":', b'"future":1,"digests":', 1)
    path.write_bytes(text)
    with Library.open(data_dir) as lib:
        lib.import_bytes(_digest(2, _titles(3)), source="b.txt")
    papers = _on_disk(data_dir)["papers"]
    assert isinstance(papers, dict)
    assert papers["1"]["future"] == 1
    assert all(len(p["digests"]) == 2 for p in papers.values())


def test_a_file_damaged_after_open_is_reported_not_copied(data_dir: Path) -> None:
    with Library.open(data_dir) as lib:
        lib.import_bytes(_digest(1, _titles(20)), source="a.txt")
    path = data_dir / LIBRARY_FILE
    with Library.open(data_dir) as lib:
        damaged = path.read_bytes()[:-200]
        path.write_bytes(damaged)
        with pytest.raises(CorruptFileError):
            lib.import_bytes(_digest(2, _titles(5, start=100)), source="b.txt")
        assert path.read_bytes() == damaged


def test_a_failed_write_keeps_the_import_and_a_reread_includes_it(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Library.open(data_dir) as lib:
        lib.import_bytes(_digest(1, _titles(10)), source="a.txt")
    real_write = os.write

    def disk_full(fd: int, data: object) -> int:
        raise OSError(28, "No space left on device")

    with Library.open(data_dir) as lib:
        monkeypatch.setattr(os, "write", disk_full)
        with pytest.raises(StoreError):
            lib.import_bytes(_digest(2, _titles(10, start=5)), source="b.txt")
        assert lib.has_unsaved
        # The library went back to what the store holds: the disk plus the unsaved import.
        assert len(lib) == 15
        assert len(lib.paper(paper_id_for(_titles(1, start=7)[0])).digests) == 2
        expected = _papers_of(lib)
        monkeypatch.setattr(os, "write", real_write)
        lib.flush()
        assert not lib.has_unsaved
    with Library.open(data_dir, readonly=True) as lib:
        assert _papers_of(lib) == expected
        assert len(lib.digests) == 2


def test_the_store_keeps_no_rows_once_the_library_has_them(data_dir: Path) -> None:
    with Library.open(data_dir) as lib:
        lib.import_bytes(_digest(1, _titles(5)), source="a.txt")
    with Store.open(data_dir, readonly=True) as store:
        first = store.take_library()
        assert [p["title"] for p in first.papers] == _titles(5)
        assert store._loaded is None
        again = store.take_library()  # read anew
        assert again.papers == first.papers and again.digests == first.digests
