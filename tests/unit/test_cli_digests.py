"""tracker digests / forget / undo of an import, driven as a user would."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_run import run


def snapshot(directory: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(directory)): p.read_bytes() for p in directory.rglob("*") if p.is_file()
    }


def test_digests_lists_renames_dates_and_undo_takes_each_back(
    capsys: pytest.CaptureFixture[str], seeds: list[Path]
) -> None:
    assert run(capsys, "import", *map(str, seeds))[0] == 0
    code, out, _ = run(capsys, "digests")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["id", "label", "date", "papers", "source"]
    assert lines[1].split()[1:] == ["Aug", "25", "-", "71", seeds[0].name]
    assert lines[2].split()[1:] == ["Mar", "17", "-", "62", seeds[1].name]

    code, out, _ = run(capsys, "digests", "rename", "Aug 25", "HF daily, Aug 25")
    assert (code, out) == (0, "renamed digest Aug 25 to HF daily, Aug 25\n")
    code, out, _ = run(capsys, "digests", "date", "hf daily", "2025-08-25")
    assert (code, out) == (0, "dated digest HF daily, Aug 25 2025-08-25\n")
    code, _, err = run(capsys, "digests", "date", "mar", "17.3.2025")
    assert code == 1 and "'17.3.2025' is not a date like 2024-10-07" in err
    code, _, err = run(capsys, "digests", "rename", "Dec 1", "x")
    assert code == 1 and "no digest matches 'Dec 1' (see `tracker digests`)" in err

    code, out, _ = run(capsys, "digests", "--json")
    first = json.loads(out.splitlines()[0])
    assert (first["label"], first["date"], first["papers"]) == (
        "HF daily, Aug 25",
        "2025-08-25",
        71,
    )
    assert run(capsys, "digests", "date", "hf", "-")[1] == (
        "cleared the date of HF daily, Aug 25 2025\n"
    )

    assert run(capsys, "undo")[1] == "undid: cleared the date of HF daily, Aug 25 2025\n"
    assert run(capsys, "undo")[1] == "undid: dated digest HF daily, Aug 25 2025-08-25\n"
    assert run(capsys, "undo")[1] == "undid: renamed digest Aug 25 to HF daily, Aug 25\n"
    assert run(capsys, "undo")[1].startswith("undid: imported 2 files (Aug 25, Mar 17, 114 new")
    assert run(capsys, "digests")[1] == "no digests yet; import one with `tracker import FILE`\n"
    assert run(capsys, "undo")[1] == "nothing to undo\n"


def test_forget_says_what_goes_and_what_stays(
    capsys: pytest.CaptureFixture[str], seeds: list[Path], data_dir: Path
) -> None:
    run(capsys, "import", *map(str, seeds))
    listed = run(capsys, "list", "--json", "--digest", "Aug 25")[1].splitlines()
    only_aug = [r["id"] for r in map(json.loads, listed) if len(r["digest_ids"]) == 1]
    run(capsys, "note", only_aug[0], "--set", "mine")
    run(capsys, "tag", only_aug[1], "keep")
    before = snapshot(data_dir)

    code, out, _ = run(capsys, "forget", "--dry-run", "aug")
    assert code == 0
    assert (
        out.startswith("would forget digest Aug 25 (")
        and "): 50 papers would go, 19 stay in other digests, 2 stay because you annotated them:"
        in out
    )
    assert f"  {only_aug[0]}  " in out and "(note)" in out and "(tags: keep)" in out
    assert snapshot(data_dir) == before

    code, out, _ = run(capsys, "forget", "aug")
    assert code == 0
    assert "forgot digest Aug 25 (" in out and "50 papers removed" in out
    assert out.endswith("`tracker undo` takes it back\n")
    assert [line.split()[1:3] for line in run(capsys, "digests")[1].splitlines()[1:]] == [
        ["Mar", "17"]
    ]
    assert len(run(capsys, "list", "--ids")[1].split()) == 114 - 50
    assert run(capsys, "undo")[1] == "undid: forgot digest Aug 25 (50 papers removed)\n"
    assert len(run(capsys, "list", "--ids")[1].split()) == 114


def test_undo_takes_back_an_import_from_the_command_line(
    capsys: pytest.CaptureFixture[str], seeds: list[Path]
) -> None:
    run(capsys, "import", str(seeds[0]))
    run(capsys, "import", str(seeds[1]))
    assert len(run(capsys, "list", "--ids")[1].split()) == 114
    code, out, _ = run(capsys, "undo")
    assert code == 0 and out.startswith(f"undid: imported {seeds[1].name} (Mar 17, 43 new papers)")
    assert len(run(capsys, "list", "--ids")[1].split()) == 71
    # Imported again: a fresh import, not "already imported".
    assert "43 new, 19 already known" in run(capsys, "import", str(seeds[1]))[1]


def test_digests_and_stats_list_the_newest_day_first_as_the_sidebar_does(
    capsys: pytest.CaptureFixture[str], seeds: list[Path]
) -> None:
    """A new user's trial (2026-12-04): tracker digests and stats listed digests in the
    order they were imported, the app's sidebar newest day first."""
    older, newer = seeds
    assert run(capsys, "import", str(older), "--date", "2024-08-25")[0] == 0
    assert run(capsys, "import", str(newer), "--date", "2025-03-17")[0] == 0
    _, out, _ = run(capsys, "digests")
    assert [line.split()[3] for line in out.splitlines()[1:]] == ["2025-03-17", "2024-08-25"]
    _, out, _ = run(capsys, "stats")
    assert out.index("Mar 17") < out.index("Aug 25")
