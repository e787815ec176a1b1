"""A file parsed in a worker process comes back to the importing process as it was parsed.

The parse crosses as plain tuples and its papers are rebuilt (faster than
pickling the dataclasses); every field of every paper, section and warning
must survive, for every kind of page (tracker/library/parse_ahead.py).
"""

from __future__ import annotations

import pickle
import tempfile
from pathlib import Path

import pytest

from tracker import sources
from tracker.library.page_hash import page_hashes
from tracker.library.parse_ahead import (
    PARALLEL_MIN_FILES,
    _flattened,
    _parse_for_import,
    _unflattened,
)

FIXTURES = Path(__file__).parent.parent / "fixtures" / "sources"
SEEDS = sorted((Path(__file__).parent.parent.parent / "seeds").glob("*.txt"))


@pytest.mark.parametrize("path", [*SEEDS, *sorted(FIXTURES.iterdir())], ids=lambda p: p.name)
def test_a_parse_crosses_from_a_worker_unchanged(path: Path) -> None:
    data = path.read_bytes()
    try:
        parsed = sources.parse_bytes(data, path.name, sources.AUTO)
    except sources.DigestError:
        pytest.skip("not a page")
    ids = [[str(n) for n, _ in enumerate(s.papers)] for s in parsed.digest.sections]
    hashes = page_hashes(data)
    back = _unflattened(pickle.loads(pickle.dumps(_flattened(hashes, parsed, ids))))
    assert back == (hashes, parsed, ids)
    assert any(p.authors or p.arxiv_id or p.url for p in parsed.digest.papers) or path in SEEDS


def test_the_worker_sends_what_the_importer_would_parse(tmp_path: Path) -> None:
    path = FIXTURES / "hf_daily_papers.json"
    flat = _parse_for_import(str(path), sources.AUTO)
    assert flat is not None
    hashes, parsed, _ids = _unflattened(flat)
    assert parsed == sources.parse_bytes(path.read_bytes(), path.name, sources.AUTO)
    assert hashes == page_hashes(path.read_bytes())


def _pages(tmp_path: Path, count: int) -> list[Path]:
    from tests.digests import digest_page, numbered_titles

    pages = []
    for i in range(count):
        page = tmp_path / f"d{i}.txt"
        page.write_bytes(digest_page(i + 1, numbered_titles(30, start=30 * i)))
        pages.append(page)
    return pages


def _papers(data_dir: Path) -> list[dict[str, object]]:
    from tracker.library import Library

    with Library.open(data_dir, readonly=True) as lib:
        return [p.to_dict() for p in lib.papers]


@pytest.fixture
def spool_parent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where the workers' parses go (the temporary folder), empty; workers all the same."""
    monkeypatch.setattr("tracker.library.parse_ahead.PARALLEL_MIN_BYTES", 0)
    parent = tmp_path / "tmp"
    parent.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(parent))
    return parent


def test_workers_hand_their_parses_over_in_files_that_are_gone_after(
    tmp_path: Path, spool_parent: Path
) -> None:
    from tracker.library import Library

    pages = _pages(tmp_path, PARALLEL_MIN_FILES)
    with Library.open(tmp_path / "one") as lib:
        lib.import_files(pages, workers=1)
    with Library.open(tmp_path / "two") as lib:
        lib.import_files(pages, workers=2)
    assert _papers(tmp_path / "two") == _papers(tmp_path / "one")
    assert len(_papers(tmp_path / "two")) == 30 * PARALLEL_MIN_FILES
    assert list(spool_parent.iterdir()) == []  # the folder of parses removed with its files


def test_a_parse_a_worker_cannot_write_is_made_by_the_importing_process(
    tmp_path: Path, spool_parent: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full temporary folder: the files are parsed here instead, to the same library."""
    from tracker.library import Library

    made: list[str] = []

    def full(*args: object, **kwargs: object) -> tuple[int, str]:
        raise OSError(28, "No space left on device")

    real_parse = sources.parse_bytes

    def counting(data: bytes, source: str, format: str = sources.AUTO) -> sources.Parsed:
        made.append(source)
        return real_parse(data, source, format)

    pages = _pages(tmp_path, PARALLEL_MIN_FILES)
    with Library.open(tmp_path / "one") as lib:
        lib.import_files(pages, workers=1)
    monkeypatch.setattr(
        "tracker.library.parse_ahead.tempfile.mkstemp", full
    )  # (forked: theirs too)
    monkeypatch.setattr("tracker.library.importing.sources.parse_bytes", counting)
    with Library.open(tmp_path / "two") as lib:
        lib.import_files(pages, workers=2)
    assert _papers(tmp_path / "two") == _papers(tmp_path / "one")
    assert sorted(made) == sorted(p.name for p in pages)  # every page parsed here again
    assert list(spool_parent.iterdir()) == []
