"""Wrong-typed data files (issue 17 point 11): a row that does not fit is set aside, the rest loads.

Attack repeated: 12 of 46 hand-damaged data files crashed every command (a
status ``"bogus"``, ``history: 5``, an annotation without ``paper_id``, a
paper without ``id``) and ``tracker doctor`` called them ok. Now every row
is checked as it is read; one that does not fit is left out of the library,
stays in its data file, is copied to ``*.rejected`` by a command that
writes, and ``tracker doctor`` names it and fails.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from tracker.cli import main
from tracker.library import Library
from tracker.models import Status
from tracker.store.catalog import CATALOG_FILE
from tracker.store.journal import encode


@pytest.fixture
def library(data_dir: Path) -> tuple[Path, list[str]]:
    """114 seeded papers, four annotated, everything folded into the two bases."""
    with Library.open(data_dir) as lib:
        lib.import_bundled_seeds()
        ids = [p.id for p in lib.papers]
        lib.set_status(ids[:3], Status.READ)
        lib.set_note(ids[3], "my irreplaceable note")
        lib.store.compact(force=True)
    return data_dir, ids


def _damage_annotations(data_dir: Path) -> dict[str, object]:
    path = data_dir / "annotations.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    rows = doc["annotations"]
    keys = sorted(rows, key=int)
    rows[keys[0]]["status"] = "bogus"
    rows[keys[1]]["history"] = 5
    del rows[keys[2]]["paper_id"]
    path.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    return {k: rows[k] for k in keys[:3]}


def _damage_library(data_dir: Path, ids: list[str]) -> list[bytes]:
    """Paper 3 (marked read) loses its id, paper 6's title becomes a number; the lines as written."""
    path = data_dir / "library.json"
    lines = path.read_bytes().split(b"\n")
    at = {
        pid: n
        for n, line in enumerate(lines)
        for pid in (ids[2], ids[5])
        if f'"id":"{pid}"'.encode() in line
    }
    no_id = lines[at[ids[2]]].replace(f'"id":"{ids[2]}",'.encode(), b"", 1)
    bad_title = lines[at[ids[5]]].replace(b'"title":"', b'"title":5,"was":"', 1)
    lines[at[ids[2]]], lines[at[ids[5]]] = no_id, bad_title
    path.write_bytes(b"\n".join(lines))
    (data_dir / CATALOG_FILE).unlink(missing_ok=True)
    return [line.rstrip(b",") for line in (no_id, bad_title)]


def _rejected(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    return [orjson.loads(line) for line in path.read_bytes().splitlines()]


def test_wrong_typed_rows_are_set_aside_and_every_command_still_works(
    library: tuple[Path, list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir, ids = library
    damaged = _damage_annotations(data_dir)
    bad_lines = _damage_library(data_dir, ids)
    before = {p: (data_dir / p).read_bytes() for p in ("library.json", "annotations.json")}

    # Commands that only read: they load the rest and write nothing.
    reads = (["list"], ["list", "--status", "read"], ["stats"], ["export"], ["whats-new"])
    for command in reads:
        assert main(command) == 0, (command, capsys.readouterr().err)
    assert not list(data_dir.glob("*.rejected"))
    with Library.open(data_dir, readonly=True) as lib:
        assert len(lib.papers) == 112  # the two damaged papers left out
        assert ids[2] not in {p.id for p in lib.papers}  # (its annotation stays)
        assert lib.annotation(ids[3]).note == "my irreplaceable note"
        assert lib.status(ids[0]) is Status.NEW  # its row (status "bogus") is set aside
    capsys.readouterr()

    # A command that writes keeps the rows in *.rejected, exactly as they were.
    assert main(["mark", "to-read", ids[10]]) == 0
    kept = _rejected(data_dir / "library.json.rejected")
    assert sorted(r["row"].encode() for r in kept) == sorted(bad_lines)
    assert all(r["place"].startswith("line ") and r["file"] == "library.json" for r in kept)
    ann_kept = _rejected(data_dir / "annotations.json.rejected")
    assert len(ann_kept) == 3
    assert {orjson.dumps(orjson.loads(r["row"])) for r in ann_kept} == {
        orjson.dumps(d) for d in damaged.values()
    }
    # ...and the data files still hold them (nothing was deleted).
    assert (data_dir / "library.json").read_bytes() == before["library.json"]
    assert all(line in before["library.json"] for line in bad_lines)

    # doctor names every row set aside and fails.
    assert main(["doctor"]) == 1
    out = capsys.readouterr().out
    assert "library.json, line" in out and "its title is the number 5, not text" in out
    assert "a paper row has no id" in out
    assert "its status is the text 'bogus'" in out
    assert "its history is the number 5, not a list" in out
    assert "an annotation row has no paper_id" in out
    assert "library.json.rejected keeps 2 rows" in out


async def test_the_app_opens_a_library_with_rows_set_aside(
    library: tuple[Path, list[str]], tmp_path: Path
) -> None:
    from tracker.app.app import TrackerApp
    from tracker.app.screens.main import MainScreen

    data_dir, ids = library
    _damage_annotations(data_dir)
    _damage_library(data_dir, ids)
    app = TrackerApp(data_dir, config=tmp_path / "config")
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert app.library is not None and len(app.library.papers) == 112
    assert len(_rejected(data_dir / "library.json.rejected")) == 2  # the app writes: kept


def test_a_set_aside_annotation_is_never_written_over(library: tuple[Path, list[str]]) -> None:
    data_dir, _ids = library
    damaged = _damage_annotations(data_dir)
    bogus = next(d for d in damaged.values() if d.get("status") == "bogus")
    with Library.open(data_dir) as lib:
        lib.set_status([str(bogus["paper_id"])], Status.READING)
        lib.store.compact(force=True)  # the journal folded into a new annotations.json
    with Library.open(data_dir, readonly=True) as lib:
        assert lib.status(str(bogus["paper_id"])) is Status.READING
    rows = json.loads((data_dir / "annotations.json").read_text(encoding="utf-8"))["annotations"]
    assert bogus in rows.values()  # still there, beside the new one


def test_a_wrong_typed_change_in_the_journal_is_set_aside(library: tuple[Path, list[str]]) -> None:
    # Another program appended a change with a valid checksum: a paper whose
    # title is a number, and a digest without an id.
    data_dir, ids = library
    journal = data_dir / "library.journal.jsonl"
    last = orjson.loads(journal.read_bytes().splitlines()[-1])["rec"]
    seq = last.get("seq", last.get("base_seq", 0)) + 1
    ops = [
        ["put", "papers", ids[7], {"title": 7}],
        ["put", "papers", "0123456789ab", {"id": "0123456789ab", "title": ["x"]}],
        ["put", "digests", "x", {"label": "no id"}],
    ]
    with journal.open("ab") as fh:
        fh.write(encode({"seq": seq, "at": "2026-12-03T10:00:00.000Z", "ops": ops}))
    for lazy in (False, True):
        with Library.open(data_dir, lazy=lazy) as lib:
            titles = {p.id: p.title for p in lib.papers}
            assert isinstance(titles[ids[7]], str) and "0123456789ab" not in titles
            assert len(lib.digests) == 2
    kept = _rejected(data_dir / "library.json.rejected")
    assert {r["file"] for r in kept} == {"library.journal.jsonl"} and len(kept) == 3
    assert main(["doctor"]) == 1


def test_lazy_commands_never_meet_a_row_that_does_not_fit(
    library: tuple[Path, list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir, ids = library
    _damage_library(data_dir, ids)
    # A command reading a few rows goes through the catalog, which lists only
    # rows that fit (it checks them once per base): the damaged row is not one.
    assert main(["mark", "read", ids[6]]) == 0
    assert main(["note", ids[6], "--append", "still here"]) == 0
    capsys.readouterr()
    assert main(["list", "--status", "read"]) == 0
    assert ids[6] in capsys.readouterr().out
    with Library.open(data_dir, lazy=True, readonly=True) as lib:
        assert len(lib.papers) == 112
        assert all(isinstance(p.title, str) for p in lib.papers)


def test_a_compaction_keeps_rows_without_an_id(library: tuple[Path, list[str]]) -> None:
    data_dir, ids = library
    no_id, _ = _damage_library(data_dir, ids)
    with Library.open(data_dir) as lib:
        lib.forget_digest(lib.digests[1].id)  # removes papers: the journal reorders
        lib.store.compact(force=True)
    assert no_id.split(b":", 1)[1] in (data_dir / "library.json").read_bytes()


def test_a_damaged_row_in_a_subprocess_command_is_one_sentence_not_a_traceback(
    library: tuple[Path, list[str]],
) -> None:
    data_dir, ids = library
    _damage_annotations(data_dir)
    _damage_library(data_dir, ids)
    for command in (["list"], ["mark", "read", ids[8]], ["doctor"]):
        run = subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; from tracker.cli import main; sys.exit(main())",
                "--data-dir",
                str(data_dir),
                *command,
            ],
            capture_output=True,
            text=True,
            timeout=60,
            stdin=subprocess.DEVNULL,
        )
        assert "Traceback" not in run.stderr, run.stderr
        assert run.returncode == (1 if command == ["doctor"] else 0), (command, run.stderr)
