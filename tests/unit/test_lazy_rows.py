"""Commands read the papers they use: library.catalog and LazyRows (tracker.store)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.digests import digest_page, numbered_titles
from tracker.library import Library
from tracker.models import Status
from tracker.store import lazy_rows
from tracker.store.catalog import CATALOG_FILE, load_catalog, scan_base


@pytest.fixture
def library(data_dir: Path) -> Path:
    """200 papers in library.json (folded), then an import in the journal."""
    with Library.open(data_dir) as lib:
        lib.import_bytes(digest_page(1, numbered_titles(200)), source="a.txt")
        lib.store.compact(force=True)
        # In the journal: 10 known papers get a second digest, 10 are new.
        lib.import_bytes(digest_page(2, numbered_titles(20, start=190)), source="b.txt")
    return data_dir


def _rows_read(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    read: list[int] = []
    real = lazy_rows.LazyRows._base_rows

    def counting(self: lazy_rows.LazyRows, start: int, stop: int) -> list[dict[str, object]]:
        read.append(stop - start)
        return real(self, start, stop)

    monkeypatch.setattr(lazy_rows.LazyRows, "_base_rows", counting)
    return read


def test_a_lazy_open_gives_the_same_library_as_a_full_read(library: Path) -> None:
    with (
        Library.open(library, readonly=True) as eager,
        Library.open(library, readonly=True, lazy=True) as lazy,
    ):
        assert len(lazy) == len(eager) == 210
        assert [p.to_dict() for p in lazy.papers] == [p.to_dict() for p in eager.papers]
        assert [d.to_dict() for d in lazy.digests] == [d.to_dict() for d in eager.digests]


def test_marking_a_paper_reads_that_paper_only(
    library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    read = _rows_read(monkeypatch)
    with Library.open(library, lazy=True) as lib:
        pid = lib.resolve(lib.papers._ids[150][:8]).id  # type: ignore[attr-defined]
        lib.set_status([pid], Status.READ)
        lib.append_note(pid, "one row read")
    assert sum(read) == 1
    with Library.open(library, readonly=True) as lib:
        assert lib.status(pid) is Status.READ
        assert lib.annotation(pid).note == "one row read"


def test_importing_a_digest_reads_the_rows_it_changes_only(
    library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    read = _rows_read(monkeypatch)
    with Library.open(library, lazy=True) as lib:
        report = lib.import_bytes(
            digest_page(3, numbered_titles(10, start=100) + numbered_titles(5, 900)), source="c"
        )
        assert (report.new, report.known) == (5, 10)
        expected = {p.id: p.to_dict() for p in lib.papers}
    assert sum(read) < 220  # the 10 known papers (the check above reads every one)
    with Library.open(library, readonly=True) as lib:
        assert {p.id: p.to_dict() for p in lib.papers} == expected


def test_rows_stay_readable_when_another_process_compacts_meanwhile(library: Path) -> None:
    with Library.open(library, readonly=True, lazy=True) as lib:
        with Library.open(library) as other:
            other.import_bytes(digest_page(4, numbered_titles(3, start=500)), source="d.txt")
            other.store.compact(force=True)  # library.json replaced
        assert lib.papers[205].title == numbered_titles(1, start=205)[0]  # added by the journal
        assert lib.papers[150].title == numbered_titles(1, start=150)[0]  # read from the old base
        assert len(list(lib.papers)) == 210


def test_the_catalog_is_made_again_when_the_base_changes(library: Path) -> None:
    base = library / "library.json"
    catalog = load_catalog(base, base.stat())
    assert catalog is not None and len(catalog.ids) == 200
    with Library.open(library) as lib:
        lib.store.compact(force=True)
    assert load_catalog(base, base.stat()) is not None  # made by the writer of the new base
    (library / CATALOG_FILE).write_bytes(b"PTCATLG1 damaged")
    assert load_catalog(base, base.stat()) is None
    with Library.open(library, readonly=True, lazy=True) as lib:
        assert len(lib) == 210  # scanned again (a read-only open saves nothing)
    scanned = scan_base(base)
    assert scanned is not None and len(scanned.ids) == 210


def test_a_search_with_the_saved_index_reads_the_hits_only(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    words = [f"Study Of Quorvex{i:03d}n In Depth" for i in range(200)]
    with Library.open(data_dir) as lib:
        lib.import_bytes(digest_page(1, words), source="a.txt")
        lib.store.compact(force=True)
    with Library.open(data_dir, readonly=True, lazy=True) as lib:
        lib.build_index()  # saved, tagged with the library's state
    read = _rows_read(monkeypatch)
    with Library.open(data_dir, readonly=True, lazy=True) as lib:
        results = lib.query("quorvex042n", limit=3)
        assert results[0].paper.title == words[42]
    assert 0 < sum(read) < 10  # the hits, not 200 papers
    # Another state (an import since): the saved index is checked against the texts.
    with Library.open(data_dir) as other:
        other.import_bytes(digest_page(5, ["A Fresh Paper On Quorvex042n"]), source="e")
    with Library.open(data_dir, readonly=True, lazy=True) as lib:
        titles = [r.paper.title for r in lib.query("fresh quorvex042n")]
        assert titles == ["A Fresh Paper On Quorvex042n"]
