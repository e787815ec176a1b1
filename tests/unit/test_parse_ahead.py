"""A file parsed in a worker process comes back to the importing process as it was parsed.

The parse crosses as plain tuples and its papers are rebuilt (faster than
pickling the dataclasses); every field of every paper, section and warning
must survive, for every kind of page (tracker/library/parse_ahead.py).
"""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from tracker import sources
from tracker.library.page_hash import page_hashes
from tracker.library.parse_ahead import _flattened, _parse_for_import, _unflattened

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
