"""A command importing a large page keeps its new papers on disk, not in memory (issue 17 point 13).

A command's library (papers read as used, ``lazy=True``) importing a page
read in pieces puts each new paper's row in an unnamed temporary file and
writes the new base from it (tracker/store/spilled_rows.py). Here the
thresholds are made small, and every import is made twice, by a command's
library (spilled) and by the app's (in memory): the libraries must be the
same, paper for paper, digest for digest, and undo the same.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from benchmarks.import_memory import HEADER
from tracker.library import Library, page_pieces
from tracker.store import spilled_rows


@pytest.fixture(autouse=True)
def _small_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(page_pieces, "STREAM_MIN_BYTES", 2048)
    monkeypatch.setattr(page_pieces, "PIECE_BYTES", 1024)


def _paper(n: int, abstract: bool = True) -> str:
    title = f"Streaming Paper Number {n} On Large Pages"
    text = f"We study case {n} of reading a page in pieces, with words enough to be an abstract."
    return f"{title}\n\n{text}\n\n" if abstract else f"{title}\n\n"


def _page(tmp_path: Path, name: str, days: list[tuple[str, range]]) -> Path:
    text = HEADER
    for day, numbers in days:
        text += f"{day}\n\n" + "".join(_paper(n) for n in numbers)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _state(lib: Library) -> tuple[Any, ...]:
    return (
        [p.to_dict() for p in lib.papers],
        [(d.id, d.label, d.date, d.sha256, d.paper_ids) for d in lib.digests],
    )


def _both(
    tmp_path: Path, files: list[Path], *, date: str | None = None, before: list[Path] = ()
) -> tuple[tuple[Any, ...], tuple[Any, ...], list[Any]]:
    """Import ``files`` (after ``before``) by a command's library and the app's: both states."""
    states = []
    outcomes: list[Any] = []
    for lazy in (True, False):
        data = tmp_path / f"data-{lazy}"
        with Library.open(data, lazy=lazy) as lib:
            lib.now = lambda: "2030-01-05T00:00:00Z"
            if before:
                lib.import_files(before)
        with Library.open(data, lazy=lazy) as lib:
            lib.now = lambda: "2030-01-05T00:00:00Z"
            got = lib.import_files(files, date=date)
            outcomes.append(
                [
                    (
                        type(o).__name__,
                        str(o)
                        if isinstance(o, Exception)
                        else (
                            o.papers,
                            o.new,
                            o.known,
                            o.warnings,
                            o.without_abstract,
                            [d.id for d in o.digests],
                        ),
                    )
                    for o in got
                ]
            )
        with Library.open(data, readonly=True) as lib:
            states.append(_state(lib))
        assert not [f for f in os.listdir(data) if "tracker-import" in f]
    assert outcomes[0] == outcomes[1]
    return states[0], states[1], outcomes[0]


def test_a_large_page_spilled_is_the_page_imported_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[spilled_rows.SpilledRows] = []
    real = spilled_rows.SpilledRows.put

    def put(self: spilled_rows.SpilledRows, pid: str, row: dict[str, Any]) -> None:
        if self not in made:
            made.append(self)
        real(self, pid, row)

    monkeypatch.setattr(spilled_rows.SpilledRows, "put", put)
    page = _page(tmp_path, "big.txt", [("Jan 1, 2030", range(60))])
    spilled, in_memory, outcomes = _both(tmp_path, [page])
    assert made, "the command's import did not keep its papers on disk"
    assert spilled == in_memory
    assert outcomes[0][1][:3] == (60, 60, 0)


def test_a_large_page_of_several_days_with_a_date_and_known_papers(tmp_path: Path) -> None:
    # Two days (the digests' ids and dates are settled once the page is read),
    # a paper in both days, papers the library has, and a small file after it
    # that repeats papers of the large one.
    earlier = _page(tmp_path, "earlier.txt", [("Dec 30, 2029", range(50, 55))])
    page = _page(tmp_path, "big.txt", [("Jan 1", range(40)), ("Jan 2", [*range(40, 70), 3])])
    small = _page(tmp_path, "small.txt", [("Jan 3, 2030", [1, 2, 100])])
    spilled, in_memory, outcomes = _both(
        tmp_path, [page, small], date="2030-01-02", before=[earlier]
    )
    assert spilled == in_memory
    assert [len(o[1][5]) for o in outcomes] == [2, 1]
    assert outcomes[0][1][:3] == (71, 65, 6)


def test_a_large_page_that_is_more_than_papers_is_read_whole(tmp_path: Path) -> None:
    page = _page(tmp_path, "big.txt", [("Jan 1, 2030", range(60))])
    text = page.read_text(encoding="utf-8").replace(
        _paper(45), "| a | table |\n|---|---|\n| 1 | 2 |\n\n" + _paper(45)
    )
    page.write_text(text, encoding="utf-8")
    spilled, in_memory, _ = _both(tmp_path, [page])
    assert spilled == in_memory


def test_a_file_that_fails_takes_its_spilled_papers_back(tmp_path: Path) -> None:
    good = _page(tmp_path, "good.txt", [("Jan 1, 2030", range(60))])
    # Large, but nothing in it is a paper: refused, and the files around it go in.
    junk = tmp_path / "junk.txt"
    junk.write_text(HEADER + "Jan 2, 2030\n\n" + "???\n\n" * 900, encoding="utf-8")
    other = _page(tmp_path, "other.txt", [("Jan 3, 2030", range(100, 104))])
    spilled, in_memory, outcomes = _both(tmp_path, [good, junk, other])
    assert spilled == in_memory
    assert [o[0] for o in outcomes] == ["ImportReport", "DigestError", "ImportReport"]
    assert len(spilled[0]) == 64


def test_a_spilled_import_is_undone_and_not_imported_twice(tmp_path: Path) -> None:
    page = _page(tmp_path, "big.txt", [("Jan 1, 2030", range(60))])
    seed = _page(tmp_path, "seed.txt", [("Dec 1, 2029", range(58, 62))])
    data = tmp_path / "data"
    with Library.open(data, lazy=True) as lib:
        lib.import_files([seed])
        before = _state(lib)
    with Library.open(data, lazy=True) as lib:
        [report] = lib.import_files([page])
        assert (report.new, report.known) == (58, 2)
    with Library.open(data, lazy=True) as lib:
        [again] = lib.import_files([page])
        assert again.already_imported and len(lib) == 62
        change = lib.undo()
        assert change is not None
        assert change.label == "undid: imported big.txt (Jan 1, 2030, 58 new papers)"
    with Library.open(data, readonly=True) as lib:
        assert _state(lib) == before
