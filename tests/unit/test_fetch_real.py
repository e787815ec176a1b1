"""`tracker fetch` of the recorded real answers imports what `tracker import` of them imports.

The recorded answers of huggingface.co/api/daily_papers (one in the current
schema, one in the 2024 one) and an arXiv-style RSS feed are real data from
public repositories, which the workplace forbids committing
(tests/fixtures/real/SOURCES.md says where each comes from). This test runs
only when ``$TRACKER_REAL_CORPUS`` points at a copy of the corpus: it serves
each file byte for byte from a local server (no network) and compares the
library `tracker fetch` makes with the one `tracker import FILE` makes.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.corpus import CORPUS_ENV
from tests.fake_services import FakeServer, serve
from tracker.cli import main
from tracker.fetching import http
from tracker.library import Library

CORPUS = os.environ.get(CORPUS_ENV)
pytestmark = pytest.mark.skipif(
    not CORPUS, reason=f"the real answers are not in git: set ${CORPUS_ENV} (see SOURCES.md)"
)

HF_DAYS = [
    ("hf-json/api-new-2026-08-20.json", dt.date(2026, 8, 20)),
    ("hf-json/api-old-2024-06-21.json", dt.date(2024, 6, 21)),
]
FEED = "arxiv-rss/dzdydx-filter-2025-08-06.xml"


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeServer]:
    monkeypatch.setattr(http, "pause", lambda seconds: None)
    for running in serve():
        monkeypatch.setenv("TRACKER_HF_API", running.base + "/api")
        monkeypatch.setenv("TRACKER_ARXIV_API", running.base + "/rss")
        yield running


def _library(data_dir: Path) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    with Library.open(data_dir, readonly=True) as lib:
        papers = sorted(
            (p.id, p.title, p.abstract, p.arxiv_id, tuple(p.authors), p.upvotes, p.published)
            for p in lib.papers
        )
        digests = [(d.label, d.date, d.format, list(d.paper_ids)) for d in lib.digests]
    return papers, digests


def _file(name: str) -> Path:
    path = Path(CORPUS or "") / name
    if not path.is_file():
        pytest.skip(f"{name} is not in {CORPUS}")
    return path


@pytest.mark.parametrize(("name", "day"), HF_DAYS, ids=[n for n, _ in HF_DAYS])
def test_fetching_a_recorded_day_imports_the_same_papers_as_importing_it(
    server: FakeServer, tmp_path: Path, name: str, day: dt.date
) -> None:
    path = _file(name)
    server.json(f"/api/daily_papers?date={day.isoformat()}", path.read_bytes())
    fetched, imported = tmp_path / "fetched", tmp_path / "imported"
    assert main(["--data-dir", str(fetched), "fetch", "--date", day.isoformat()]) == 0
    assert main(["--data-dir", str(imported), "import", str(path)]) == 0
    papers, digests = _library(fetched)
    assert papers and (papers, digests) == _library(imported)
    assert [date for _, date, _, _ in digests] == [day.isoformat()]


def test_fetching_a_recorded_arxiv_feed_imports_the_same_papers_as_importing_it(
    server: FakeServer, tmp_path: Path
) -> None:
    path = _file(FEED)
    server.rss("/rss/cs.LG", path.read_bytes())
    fetched, imported = tmp_path / "fetched", tmp_path / "imported"
    assert main(["--data-dir", str(fetched), "fetch", "--source", "arxiv:cs.LG"]) == 0
    assert main(["--data-dir", str(imported), "import", str(path)]) == 0
    papers, digests = _library(fetched)
    assert len(papers) == 65
    assert (papers, digests) == _library(imported)
