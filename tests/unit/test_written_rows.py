"""A new base's catalog noted as its rows are written is the catalog a scan of it makes.

After writing library.json the library file no longer scans it again for
library.catalog: the rows' ids, offsets, lengths and authors are noted as
they are written (tracker/store/written_rows.py). Here, after every way a
new base is written (a first import, an import into a base with rows, a
large page's spilled papers, a compaction, papers with authors, a journal
that moves papers), the saved catalog must equal what scanning the file
gives, and only the last case may scan.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from benchmarks.import_memory import HEADER
from tracker.library import Library, page_pieces
from tracker.store import catalog as catalog_module
from tracker.store import library_file
from tracker.store.catalog import load_catalog, scan_base

FIXTURES = Path(__file__).parent.parent / "fixtures"


def _page(tmp_path: Path, name: str, day: str, numbers: range) -> Path:
    text = HEADER + f"{day}\n\n"
    for n in numbers:
        text += (
            f'Written Rows Paper {n} Of A Catalog\n\nWe study case {n} of a "quoted" word '
            "and a back\\slash, in a page written to test where the catalog says rows are.\n\n"
        )
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _same_as_a_scan(data: Path) -> None:
    path = data / "library.json"
    saved = load_catalog(path, os.stat(path))
    scanned = scan_base(path, check=False)
    assert saved is not None and scanned is not None
    for name in ("ids", "offsets", "lengths", "papers_end", "base_id", "author_starts"):
        assert getattr(saved, name) == getattr(scanned, name), name
    assert saved.author_blob == scanned.author_blob


@pytest.fixture
def scans(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times a new base was scanned for its catalog (not noted as written)."""
    calls: list[int] = []
    real = catalog_module.scan_base

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(catalog_module, "scan_base", counting)
    monkeypatch.setattr(library_file, "BIG_WRITE_BYTES", 0)  # every import writes a new base
    return calls


def test_imports_and_compactions_note_the_scans_catalog(
    tmp_path: Path, scans: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    first = _page(tmp_path, "a.txt", "Jan 1, 2030", range(30))
    second = _page(tmp_path, "b.txt", "Jan 2, 2030", range(20, 60))  # 10 known, 30 new
    with Library.open(data, lazy=True) as lib:
        lib.import_files([first])
    _same_as_a_scan(data)
    with Library.open(data, lazy=True) as lib:
        lib.import_files([second, FIXTURES / "sources" / "hf_daily_papers.json"])
        assert any(p.authors for p in lib.papers)
    _same_as_a_scan(data)
    with Library.open(data, lazy=True) as lib:
        # A small import into the journal, then the journal folded into a new base.
        monkeypatch.setattr(library_file, "BIG_WRITE_BYTES", 1 << 40)
        lib.import_files([_page(tmp_path, "c.txt", "Jan 3, 2030", range(55, 70))])
        assert lib.store.compact(force=True)
    _same_as_a_scan(data)
    assert not scans  # every new base's catalog was noted as it was written


def test_a_spilled_import_notes_its_catalog(
    tmp_path: Path, scans: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(page_pieces, "STREAM_MIN_BYTES", 2048)
    monkeypatch.setattr(page_pieces, "PIECE_BYTES", 1024)
    data = tmp_path / "data"
    with Library.open(data, lazy=True) as lib:
        lib.import_files([_page(tmp_path, "small.txt", "Jan 1, 2030", range(3))])
        lib.import_files([_page(tmp_path, "big.txt", "Jan 2, 2030", range(80))])
    _same_as_a_scan(data)
    assert not scans


def test_a_journal_that_moves_papers_is_scanned(
    tmp_path: Path, scans: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Undoing an import removes papers: the fold puts rows in new places and
    # the new base is scanned, as before.
    data = tmp_path / "data"
    with Library.open(data, lazy=True) as lib:
        lib.import_files([_page(tmp_path, "a.txt", "Jan 1, 2030", range(10))])
        monkeypatch.setattr(library_file, "BIG_WRITE_BYTES", 1 << 40)
        lib.import_files([_page(tmp_path, "b.txt", "Jan 2, 2030", range(8, 20))])
        assert lib.undo() is not None
        assert lib.store.compact(force=True)
    _same_as_a_scan(data)
    assert scans
