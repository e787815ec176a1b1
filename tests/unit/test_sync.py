"""`tracker sync DIR`: several machines, each with its own library, through one synced folder."""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tracker.cli import main
from tracker.library import Library
from tracker.library.syncing import SYNC_SUFFIX, machine_file_name
from tracker.models import Status

MACHINES = ("laptop", "desktop", "server")


@pytest.fixture
def machines(seeds: list[Path], tmp_path: Path) -> dict[str, Path]:
    dirs = {name: tmp_path / name for name in MACHINES}
    for directory in dirs.values():
        with Library.open(directory) as lib:
            lib.import_files(seeds)
    return dirs


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    synced = tmp_path / "Sync"
    synced.mkdir()
    return synced


def ids(directory: Path) -> list[str]:
    with Library.open(directory, readonly=True) as lib:
        return [p.id for p in lib.papers]


def annotations(directory: Path) -> dict[str, tuple[str, str, list[str]]]:
    with Library.open(directory, readonly=True) as lib:
        return {
            pid: (a.status.value, a.note, a.tags)
            for pid, a in lib.annotations.items()
            if not a.is_default
        }


def sync(directory: Path, folder: Path, name: str, capsys: pytest.CaptureFixture[str]) -> str:
    code = main(["--data-dir", str(directory), "sync", str(folder), "--name", name])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out + err


def test_three_machines_sync_through_one_folder_and_agree(
    machines: dict[str, Path], folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paper = ids(machines["laptop"])
    with Library.open(machines["laptop"]) as lib:
        lib.set_status([paper[0]], Status.READ)
        lib.set_note(paper[1], "laptop note")
    with Library.open(machines["desktop"]) as lib:
        lib.set_status([paper[2]], Status.TO_READ)
        lib.add_tags([paper[0]], ["desk"])
    with Library.open(machines["server"]) as lib:
        lib.set_note(paper[3], "server note")

    out = sync(machines["laptop"], folder, "laptop", capsys)
    assert "no other machine's file" in out
    out = sync(machines["desktop"], folder, "desktop", capsys)
    assert "from laptop: 1 status, 1 note" in out
    out = sync(machines["server"], folder, "server", capsys)
    # The desktop's file holds what it took from the laptop too.
    assert "from desktop: 2 statuses, 1 note, 1 tag set; laptop: nothing new" in out
    sync(machines["laptop"], folder, "laptop", capsys)
    sync(machines["desktop"], folder, "desktop", capsys)

    every = [annotations(machines[name]) for name in MACHINES]
    assert every[0] == every[1] == every[2]
    assert every[0][paper[0]] == ("read", "", ["desk"])
    assert every[0][paper[3]] == ("new", "server note", [])
    assert sorted(p.name for p in folder.iterdir()) == sorted(n + SYNC_SUFFIX for n in MACHINES)
    # Once everyone has everything, a sync brings nothing.
    assert "server: nothing new" in sync(machines["laptop"], folder, "laptop", capsys)


def test_a_sync_is_one_change_that_undo_takes_back(
    machines: dict[str, Path], folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paper = ids(machines["laptop"])
    with Library.open(machines["laptop"]) as lib:
        lib.set_status([paper[0]], Status.READ)
    with Library.open(machines["desktop"]) as lib:
        lib.set_note(paper[1], "desk")
    sync(machines["laptop"], folder, "laptop", capsys)
    sync(machines["desktop"], folder, "desktop", capsys)
    with Library.open(machines["server"]) as lib:
        lib.set_status([paper[2]], Status.SKIPPED)
    before = annotations(machines["server"])
    out = sync(machines["server"], folder, "server", capsys)
    assert "`tracker undo` takes it back" in out
    assert annotations(machines["server"]) == {
        **before,
        paper[0]: ("read", "", []),
        paper[1]: ("new", "desk", []),
    }
    code = main(["--data-dir", str(machines["server"]), "undo"])
    assert code == 0
    assert "undid: synced 2 annotations from desktop\n" in capsys.readouterr().out
    assert annotations(machines["server"]) == before


def test_a_sync_never_touches_another_machines_file_and_skips_a_bad_one(
    machines: dict[str, Path], folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paper = ids(machines["laptop"])
    with Library.open(machines["laptop"]) as lib:
        lib.set_status([paper[0]], Status.READING)
    sync(machines["laptop"], folder, "laptop", capsys)
    # A file the sync tool is still bringing in, and another tool's temporary file.
    half = folder / ("tablet" + SYNC_SUFFIX)
    half.write_bytes(b'{"format": "paper-tracker-backup", "annot')
    foreign_tmp = folder / f".laptop{SYNC_SUFFIX}.123-abc.tmp"
    foreign_tmp.write_bytes(b"not ours")
    others = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}
    out = sync(machines["desktop"], folder, "desktop", capsys)
    assert f"skipped tablet: {half} is not valid JSON" in out
    assert "from laptop: 1 status" in out
    assert annotations(machines["desktop"])[paper[0]][0] == "reading"
    for path, (data, mtime) in others.items():
        assert (path.read_bytes(), path.stat().st_mtime_ns) == (data, mtime)
    assert (folder / ("desktop" + SYNC_SUFFIX)).exists()


def test_a_killed_syncs_temporary_file_of_this_machine_is_removed(
    machines: dict[str, Path], folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    leftover = folder / f".desktop{SYNC_SUFFIX}.{dead.stdout.strip()}-0a1b2c.tmp"
    leftover.write_bytes(b"half a backup")
    sync(machines["desktop"], folder, "desktop", capsys)
    assert not leftover.exists()
    assert [p.name for p in folder.iterdir()] == ["desktop" + SYNC_SUFFIX]


def test_the_machine_name_comes_from_name_env_config_then_host(
    machines: dict[str, Path],
    folder: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    isolated_dirs: Path,
) -> None:
    data = ["--data-dir", str(machines["laptop"]), "sync", str(folder)]

    def written(*extra: str) -> str:
        for path in folder.iterdir():
            path.unlink()
        assert main([*data, *extra]) == 0
        capsys.readouterr()
        [path] = folder.iterdir()
        return path.name[: -len(SYNC_SUFFIX)]

    assert written() == machine_file_name(socket.gethostname())[: -len(SYNC_SUFFIX)]
    config = isolated_dirs.parent / "config"
    config.mkdir(exist_ok=True)
    (config / "config.toml").write_text('[sync]\nname = "from-config"\n')
    assert written() == "from-config"
    monkeypatch.setenv("TRACKER_MACHINE", "from env")
    assert written() == "from_env"  # made safe for any file system
    assert written("--name", "given") == "given"


def test_a_change_dated_in_the_future_is_reported_and_a_later_edit_here_still_wins(
    machines: dict[str, Path], folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paper = ids(machines["laptop"])[0]
    ahead = dt.datetime.now(dt.UTC) + dt.timedelta(hours=3)
    with Library.open(machines["desktop"]) as lib:  # its clock runs three hours ahead
        lib.now = lambda: ahead.isoformat(timespec="milliseconds").replace("+00:00", "Z")
        lib.set_status([paper], Status.READ)
        lib.sync(folder, "desktop")
    out = sync(machines["laptop"], folder, "laptop", capsys)
    assert "desktop: 1 annotation dated up to 3 h in the future" in out
    # Changed here afterwards, at this machine's (right) time: it wins everywhere.
    with Library.open(machines["laptop"]) as lib:
        lib.set_status([paper], Status.TO_READ)
    sync(machines["laptop"], folder, "laptop", capsys)
    sync(machines["desktop"], folder, "desktop", capsys)
    for name in ("laptop", "desktop"):
        assert annotations(machines[name])[paper][0] == "to-read"


def test_a_missing_folder_is_refused_in_one_sentence(
    machines: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--data-dir", str(machines["laptop"]), "sync", str(tmp_path / "nope")])
    err = capsys.readouterr().err
    assert code != 0
    assert (
        err.strip()
        == f"tracker: the sync folder {tmp_path / 'nope'} does not exist; create it (or mount it) first"
    )


def test_watch_syncs_on_a_timer_and_ctrl_c_ends_it_cleanly(
    machines: dict[str, Path], folder: Path
) -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    cmd = [sys.executable, "-m", "tracker", "--data-dir", str(machines["laptop"])]
    child = subprocess.Popen(
        [*cmd, "sync", str(folder), "--name", "laptop", "--watch", "--every", "0.01"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert child.stdout is not None
        rounds = 0
        deadline = time.monotonic() + 60
        while rounds < 2 and time.monotonic() < deadline:
            line = child.stdout.readline()
            rounds += line.startswith("wrote laptop's")
        assert rounds == 2
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 0, err
    assert out.rstrip().endswith("stopped syncing")
    assert "Traceback" not in err
    assert (folder / ("laptop" + SYNC_SUFFIX)).exists()


FIXTURE = Path(__file__).parent.parent / "fixtures" / "before-journal"
"""A library written before the logical clock (see MADE_WITH.md there): plain times only."""


def test_a_library_from_before_the_clock_syncs_and_a_slow_clock_still_orders_after_it(
    tmp_path: Path, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    from tracker.stats import parse_time

    a, b = tmp_path / "a", tmp_path / "b"
    shutil.copytree(FIXTURE, a)
    shutil.copytree(FIXTURE, b)
    paper = "c47bf430fe36"  # to-read, with a note and tags, changed at 2026-11-20T08:00:08
    with Library.open(a) as lib:
        lib.now = lambda: "2026-11-19T00:00:00.000Z"  # this clock is a day behind
        lib.set_status([paper], Status.READ)
        stamp = lib.annotation(paper).status_at
    assert stamp == "2026-11-20T08:00:08.000Z#000001"
    parsed = parse_time(stamp)
    assert parsed is not None and parsed.isoformat() == "2026-11-20T08:00:08+00:00"
    with Library.open(b) as lib:
        lib.set_note(paper, "rewritten on b")
    for directory, name in ((a, "a"), (b, "b"), (a, "a")):
        sync(directory, folder, name, capsys)
    assert annotations(a) == annotations(b)
    assert annotations(a)[paper] == ("read", "rewritten on b", ["llm", "to-cite"])


def test_tracker_merge_says_when_a_backup_holds_changes_dated_in_the_future(
    machines: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paper = ids(machines["laptop"])[0]
    ahead = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=40)
    with Library.open(machines["desktop"]) as lib:
        lib.now = lambda: ahead.isoformat(timespec="milliseconds").replace("+00:00", "Z")
        lib.set_note(paper, "from the future")
        lib.write_backup(tmp_path / "desktop.json")
    assert (
        main(["--data-dir", str(machines["laptop"]), "merge", str(tmp_path / "desktop.json")]) == 0
    )
    out = capsys.readouterr().out
    assert "1 annotation dated up to 40 min in the future (its clock is probably ahead)" in out
    # Clocks a few minutes apart are not worth a word.
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=2)
    with Library.open(machines["server"]) as lib:
        lib.now = lambda: soon.isoformat(timespec="milliseconds").replace("+00:00", "Z")
        lib.set_note(paper, "from a minute ahead")
        lib.write_backup(tmp_path / "server.json")
    assert (
        main(["--data-dir", str(machines["laptop"]), "merge", str(tmp_path / "server.json")]) == 0
    )
    assert "in the future" not in capsys.readouterr().out


def test_a_note_sent_out_while_it_is_typed_is_replaced_by_the_rest_of_the_typing(
    machines: dict[str, Path], folder: Path
) -> None:
    """The app's timer syncs while a note is typed: the autosaves after it replace what went."""
    with Library.open(machines["laptop"]) as lib:
        paper = lib.papers[0].id
        lib.set_note(paper, "half a th", session="typing")
        lib.sync(folder, "laptop")  # goes out mid-sentence
        with Library.open(machines["desktop"]) as desktop:
            desktop.sync(folder, "desktop")
            assert desktop.annotation(paper).note == "half a th"
        lib.set_note(paper, "half a thought, finished", session="typing")
        lib.sync(folder, "laptop")
        with Library.open(machines["desktop"]) as desktop:
            desktop.sync(folder, "desktop")
            assert desktop.annotation(paper).note == "half a thought, finished"
        lib.sync(folder, "laptop")
        assert lib.annotation(paper).note == "half a thought, finished"
        # Still one undo step for the whole edit.
        assert lib.undo() is not None
        assert lib.annotation(paper).note == ""


def test_exports_give_the_time_of_a_change_without_the_clocks_counter(data_dir: Path) -> None:
    from tracker.exports import ExportItem
    from tracker.exports.table import csv_table
    from tracker.exports.vault import front_matter

    with Library.open(data_dir) as lib:
        lib.import_bundled_seeds()
        paper = lib.papers[0]
        lib.now = lambda: "2026-11-20T08:00:00.000Z"
        lib.set_status([paper.id], Status.READ)
        lib.now = lambda: "2026-11-19T08:00:00.000Z"  # the clock went back an hour
        lib.set_status([paper.id], Status.TO_READ)
        ann = lib.annotation(paper.id)
        assert ann.updated_at == "2026-11-20T08:00:00.000Z#000001"
        item = ExportItem(paper, ann)
        assert 'updated: "2026-11-20T08:00:00.000Z"' in front_matter(
            item, {d.id: d for d in lib.digests}
        )
        assert csv_table([item], lib.digests).endswith(",2026-11-20T08:00:00.000Z\r\n")
