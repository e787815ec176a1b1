"""Hostile import input (issue 6.5): every case answers quickly with a clear sentence, and
nothing already stored changes unless a whole file parsed.

Sizes are the issue's: a 200 MB file (sparse, so the test writes no data), one
50 MB line, a directory, a file rewritten while it is imported, and 10,000
digests in one command.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tracker.library import Library, LibraryError
from tracker.sources.parsed import DigestError

ABSTRACT = "We study the problem at length, in prose that reads like a real abstract does. " * 2


def _stored(data_dir: Path) -> tuple[bytes, bytes]:
    return (data_dir / "library.json").read_bytes(), (data_dir / "annotations.json").read_bytes()


@pytest.fixture
def library_with_work(data_dir: Path) -> Path:
    with Library.open(data_dir) as lib:
        lib.import_bundled_seeds()
        pid = lib.papers[0].id
        lib.set_note(pid, "my irreplaceable note")
    return data_dir


def _import_one(data_dir: Path, path: Path) -> DigestError | LibraryError:
    with Library.open(data_dir) as lib:
        [outcome] = lib.import_files([path])
    assert isinstance(outcome, DigestError | LibraryError), outcome
    return outcome


def test_a_200_mb_file_is_answered_quickly_and_stores_nothing(
    library_with_work: Path, tmp_path: Path
) -> None:
    big = tmp_path / "huge.txt"
    with big.open("wb") as fh:
        fh.truncate(200 * 2**20)  # sparse: 200 MB of NUL bytes without writing them
    before = _stored(library_with_work)
    started = time.perf_counter()
    error = _import_one(library_with_work, big)
    assert time.perf_counter() - started < 30
    assert "huge.txt" in str(error)
    assert _stored(library_with_work) == before


def test_one_50_mb_line_is_answered_quickly_and_stores_nothing(
    library_with_work: Path, tmp_path: Path
) -> None:
    line = tmp_path / "one-line.txt"
    line.write_bytes(b"Aug 25\n\n" + b"word " * (10 * 2**20) + b"\n")
    before = _stored(library_with_work)
    started = time.perf_counter()
    error = _import_one(library_with_work, line)
    assert time.perf_counter() - started < 30
    assert "one-line.txt" in str(error)
    assert _stored(library_with_work) == before


def test_a_directory_is_named_and_refused(library_with_work: Path, tmp_path: Path) -> None:
    folder = tmp_path / "digests"
    folder.mkdir()
    before = _stored(library_with_work)
    error = _import_one(library_with_work, folder)
    assert "digests is a directory" in str(error)
    assert _stored(library_with_work) == before


WRITER = r"""
import os, sys
path, stop, abstract = sys.argv[1], sys.argv[2], sys.argv[3]
fd = os.open(path, os.O_RDWR)
version = 1
while not os.path.exists(stop):
    titles = [f"Version {version} paper {k} about hostile rewrites" for k in range(5 + version % 30)]
    data = ("Oct 7, 2024\n\n" + "\n\n".join(f"{t}\n\n{abstract}" for t in titles) + "\n").encode()
    # In place, no rename, in two steps: the file is torn between them.
    os.pwrite(fd, data[: len(data) // 2], 0)
    os.pwrite(fd, data[len(data) // 2 :], len(data) // 2)
    os.ftruncate(fd, len(data))
    version += 1
"""


def test_a_file_rewritten_while_imported_is_answered_and_the_library_stays_whole(
    library_with_work: Path, tmp_path: Path
) -> None:
    # What a reader cannot know: whether a writer paused half-way through an
    # update. What it must guarantee: every import is all or nothing, answered
    # in bounded time, and the library stays consistent with the note intact.
    path = tmp_path / "moving.txt"
    path.write_bytes(b"Oct 7, 2024\n\nFirst version of the file\n\n" + ABSTRACT.encode())
    stop = tmp_path / "stop"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(stop), ABSTRACT])
    outcomes: list[object] = []
    started = time.perf_counter()
    try:
        time.sleep(0.3)  # the writer is up and rewriting
        with Library.open(library_with_work) as lib:
            for _ in range(40):
                outcomes.extend(lib.import_files([path]))
    finally:
        stop.touch()
        writer.wait(timeout=30)
    assert time.perf_counter() - started < 60
    assert len(outcomes) == 40
    for outcome in outcomes:
        if isinstance(outcome, DigestError | LibraryError):
            assert "moving.txt" in str(outcome)
    with Library.open(library_with_work, readonly=True) as lib:
        assert lib.annotation(lib.papers[0].id).note == "my irreplaceable note"
        known = {d.id for d in lib.digests}
        for digest in lib.digests:
            for pid in digest.paper_ids:
                assert digest.id in lib.paper(pid).digests
        for paper in lib.papers:
            assert set(paper.digests) <= known


def test_a_file_that_changes_during_every_read_is_refused_in_one_sentence(
    library_with_work: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "growing.txt"
    path.write_bytes(b"Oct 7, 2024\n\nA paper still being downloaded\n\n" + ABSTRACT.encode())
    real_fstat = os.fstat

    def fstat_then_grow(fd: int) -> os.stat_result:
        result = real_fstat(fd)
        with path.open("ab") as fh:  # the download goes on while we read
            fh.write(b"more ")
        return result

    monkeypatch.setattr(os, "fstat", fstat_then_grow)
    before = _stored(library_with_work)
    error = _import_one(library_with_work, path)
    monkeypatch.undo()
    assert str(error) == (
        f"{path} kept changing while it was read; import it again once it is complete"
    )
    assert _stored(library_with_work) == before


def test_ten_thousand_digests_in_one_command(data_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    start = dt.date(2000, 1, 1)
    paths = []
    for i in range(10_000):
        day = start + dt.timedelta(days=i)
        path = folder / f"d{i:05}.txt"
        path.write_text(
            f"{day:%b} {day.day}, {day.year}\n\nPaper {i} on topic {i % 97}\n\n{ABSTRACT}\n",
            encoding="utf-8",
        )
        paths.append(path)
    started = time.perf_counter()
    with Library.open(data_dir) as lib:
        outcomes = lib.import_files(paths)
    elapsed = time.perf_counter() - started
    assert all(not isinstance(o, Exception) for o in outcomes)
    assert elapsed < 120  # bounded: one library write for the whole command
    with Library.open(data_dir, readonly=True) as lib:
        assert len(lib.digests) == 10_000
        assert len(lib) == 10_000


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "README.md",
            b"# A project\n\nSome text about it.\n\n## Install\n\npip install it and run it.\n",
            "does not look like a digest",
        ),
        (
            "settings.toml",
            b'[watch]\nterms = ["x"]\n\n[look]\ntheme = "nord"\n',
            "not in a format paper-tracker reads",
        ),
        (
            "A.json",
            b'{\n  "format": "paper-tracker-backup",\n  "version": 1,\n  "annotations": []\n}\n',
            "use `tracker merge A.json`",
        ),
        (
            "library.json",
            b'{\n"papers":{\n},\n"_meta":{\n"1":{"schema":1,"kind":"library"}\n}\n}\n',
            "paper-tracker data file",
        ),
    ],
)
def test_files_that_are_not_digests_are_refused_and_store_nothing(
    library_with_work: Path, tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    before = _stored(library_with_work)
    error = _import_one(library_with_work, path)
    assert message in str(error)
    assert _stored(library_with_work) == before


def test_an_undated_page_and_any_text_import_only_with_date(data_dir: Path, tmp_path: Path) -> None:
    """One rule for a page of no day, whether it looks like a papers page or not: refused
    (never labelled by its file's name), with the same thing to do; --date imports either."""
    page = tmp_path / "page.txt"
    page.write_text(
        f"Daily Papers\n\nA paper without a date line\n\n{ABSTRACT}\n", encoding="utf-8"
    )
    bare = tmp_path / "bare.txt"
    bare.write_text(f"A paper from a bare list\n\n{ABSTRACT}\n", encoding="utf-8")
    with Library.open(data_dir) as lib:
        refused = lib.import_files([page, bare])
        assert all(isinstance(r, DigestError) for r in refused)
        assert all(str(r).endswith("import it with --date YYYY-MM-DD") for r in refused)
        assert lib.digests == []
        dated = lib.import_files([page, bare], date="2024-10-07")
        assert all(not isinstance(d, Exception) and d.papers == 1 for d in dated)
