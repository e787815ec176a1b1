"""Real pages import the way the seeds do: the bar of issue 13, file by file.

Each page of the real-page corpus (tests/fixtures/real/SOURCES.md) is imported
with ``tracker import`` into a fresh library and compared with its hand-checked
expectation by the same measure as ``python -m benchmarks.corpus``: at least
95% of its titles exactly, no row that is not one of its papers (neither junk
nor a title read badly), and its digests with the expected dates. A page the
expectation marks as not a digest must be refused.

The pages are not in git (SOURCES.md says why and where each comes from): the
test reads them from ``$TRACKER_REAL_CORPUS`` or from tests/fixtures/real/ and
says which ones it could not find.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from benchmarks.corpus import CORPUS_ENV, DEFAULT_CORPUS, EXPECTED, measure

CORPUS = Path(os.environ.get(CORPUS_ENV) or DEFAULT_CORPUS)
FILES = sorted(EXPECTED.rglob("*.json"))


def _rel(path: Path) -> str:
    return path.relative_to(EXPECTED).as_posix().removesuffix(".json")


@pytest.mark.parametrize("expected", FILES, ids=_rel)
def test_real_page_imports_its_papers_and_nothing_else(expected: Path) -> None:
    if not (CORPUS / _rel(expected)).is_file():
        pytest.skip(f"{_rel(expected)} is not in {CORPUS} (set ${CORPUS_ENV}; see SOURCES.md)")
    outcome = measure(expected, CORPUS)
    if outcome.expect_refusal:
        # Not a digest at all (documentation about papers): nothing may be imported.
        assert outcome.status == "refused", f"imported {outcome.rows} rows from a non-digest"
        return
    assert outcome.status == "ok", outcome.message
    assert outcome.found >= 0.95 * outcome.expected_titles, outcome.missed
    assert outcome.junk == 0, outcome.junk_rows
    assert outcome.mangled == 0, outcome.mangled_rows
    assert outcome.digests == outcome.expected_digests
    assert outcome.dates_ok
