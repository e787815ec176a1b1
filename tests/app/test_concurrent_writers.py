"""The app and the command line write to one library at the same time, losing nothing.

The app stays open (as it does for days in tmux) while ``tracker`` commands,
run as separate processes, import, mark, write notes and merge. Each write
holds the lock only while it writes; the app picks up what others wrote
within a second or two and shows it, without losing a note being typed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import sys
from pathlib import Path

from tracker.app.screens.main import MainScreen
from tracker.app.widgets.detail_pane import NoteEditor
from tracker.app.widgets.digest_sidebar import DigestSidebar
from tracker.app.widgets.paper_list import PaperList
from tracker.library import Library
from tracker.models import Status

SIZE = (120, 36)
PICK_UP_WAIT = 2.5
"""Seconds the app may take to show another process's change (it looks every second)."""


def _list(app) -> PaperList:  # type: ignore[no-untyped-def]
    return app.screen.query_one(PaperList)


async def tracker(data_dir: Path, *args: str, stdin: str | None = None) -> tuple[int, str, str]:
    """Run the ``tracker`` command in a process of its own, without blocking the app's loop."""
    env = {**os.environ, "TRACKER_NO_TUI": "1"}
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tracker",
        "--data-dir",
        str(data_dir),
        *args,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=env,
    )
    out, err = await proc.communicate(stdin.encode() if stdin else None)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


async def until(pilot, condition, seconds: float = PICK_UP_WAIT) -> bool:  # type: ignore[no-untyped-def]
    """Let the app run until ``condition()`` holds (True) or ``seconds`` pass (False)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while loop.time() < deadline:
        if condition():
            return True
        await pilot.pause(0.1)
    return bool(condition())


def _digest(day: int, n: int, tag: str) -> str:
    abstract = "We study what two writers do to one library when both write at once. " * 3
    body = "".join(
        f"Paper {tag} number {k} about concurrent writers\n\n{abstract}\n\n" for k in range(n)
    )
    return f"Daily Papers\n\nOct {day}, 2024\n\n{body}"


async def test_an_import_from_cron_shows_in_the_open_app(
    seeded: Path, make_app, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    digest = tmp_path / "today.txt"
    digest.write_text(_digest(7, 12, "cron"))
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        before = _list(app).current_paper.id
        code, _, err = await tracker(seeded, "import", str(digest), "--date", "2024-10-07")
        assert code == 0, err  # the open app is no reason to fail
        assert await until(pilot, lambda: len(_list(app).hits) == 114 + 12)
        assert await until(pilot, lambda: len(app.library.digests) == 3)
        sidebar = app.screen.query_one(DigestSidebar)
        assert any(
            "Oct 7" in str(sidebar.get_option_at_index(i).prompt)
            for i in range(sidebar.option_count)
        )
        assert _list(app).current_paper.id == before  # the cursor stayed on its paper


async def test_a_mark_from_a_script_shows_in_the_list_and_the_open_paper(
    seeded: Path, make_app
) -> None:  # type: ignore[no-untyped-def]
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        paper = _list(app).current_paper
        code, _, err = await tracker(seeded, "mark", "read", paper.id)
        assert code == 0, err
        assert await until(pilot, lambda: app.library.status(paper.id) is Status.READ)
        meta = str(app.screen.query_one("#detail-meta").render())
        assert "read" in meta.lower()
        await pilot.press("4")  # the "read" view
        assert await until(
            pilot,
            lambda: (
                [p.id for p in (_list(app).paper_at(i) for i in range(len(_list(app).hits)))]
                == [paper.id]
            ),
        )


async def test_a_note_appended_by_a_script_while_typing_keeps_both(
    seeded: Path, make_app, reopen
) -> None:  # type: ignore[no-untyped-def]
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        paper = _list(app).current_paper
        await pilot.press("enter")
        editor = app.screen.query_one(NoteEditor)
        assert app.focused is editor
        await pilot.press(*"mine so far")
        # The script appends while the app's text is not even saved yet.
        code, _, err = await tracker(seeded, "note", paper.id, "--append", "from the script")
        assert code == 0, err
        assert await until(pilot, lambda: "from the script" in editor.text)
        await pilot.press(*" and more")  # typing goes on where the cursor was
        await pilot.press("escape")  # leaving the editor saves
        await pilot.pause()
        expected = "mine so far and more\n\nfrom the script"
        assert editor.text == expected
        with reopen(seeded) as lib:
            assert lib.annotation(paper.id).note == expected


async def test_a_note_changed_elsewhere_is_shown_when_nothing_is_being_typed(
    seeded: Path, make_app
) -> None:  # type: ignore[no-untyped-def]
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        paper = _list(app).current_paper
        editor = app.screen.query_one(NoteEditor)
        code, _, err = await tracker(seeded, "note", paper.id, "--set", "written elsewhere")
        assert code == 0, err
        assert await until(pilot, lambda: editor.text == "written elsewhere")
        assert not editor.has_unsaved_text


async def test_undo_in_the_app_never_takes_back_another_process_change(
    seeded: Path, make_app, reopen
) -> None:  # type: ignore[no-untyped-def]
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        plist = _list(app)
        first = plist.current_paper.id
        await pilot.press("t")  # to-read, in the app
        await pilot.press("j")
        second = plist.current_paper.id
        await pilot.press("x")  # read, in the app
        # A script marks the second paper after the app did.
        code, _, err = await tracker(seeded, "mark", "skipped", second)
        assert code == 0, err
        assert await until(pilot, lambda: app.library.status(second) is Status.SKIPPED)
        await pilot.press("u")  # would take back the script's change too: refused
        await pilot.pause()
        assert any("was not undone" in str(n.message) for n in app._notifications)
        with reopen(seeded) as lib:
            assert lib.status(second) is Status.SKIPPED
            assert lib.status(first) is Status.TO_READ
        # `tracker undo` takes back the command line's change, never the open app's.
        code, out, err = await tracker(seeded, "undo")
        assert code == 0 and "undid: marked 1 paper skipped" in out, err
        code, _, err = await tracker(seeded, "undo")
        assert code == 1 and "still open" in err
        with reopen(seeded) as lib:
            assert lib.status(second) is Status.READ and lib.status(first) is Status.TO_READ
        # Now nothing stands in the way of the app's own undo.
        assert await until(pilot, lambda: app.library.status(second) is Status.READ)
        await pilot.press("u", "u")
        with reopen(seeded) as lib:
            assert lib.status(second) is Status.NEW and lib.status(first) is Status.NEW


async def test_undo_in_the_app_undoes_its_own_change_when_others_touched_other_papers(
    seeded: Path, make_app, reopen
) -> None:  # type: ignore[no-untyped-def]
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        first = _list(app).current_paper.id
        await pilot.press("x")
        other = app.library.papers[-1].id
        code, _, err = await tracker(seeded, "mark", "to-read", other)
        assert code == 0, err
        await pilot.press("u")
        await pilot.pause()
        with reopen(seeded) as lib:
            assert lib.status(first) is Status.NEW  # the app's own change, undone
            assert lib.status(other) is Status.TO_READ  # the script's, untouched


WRITER = r"""
import json, random, sys
from pathlib import Path
from tracker.library import Library
from tracker.models import Status

data, digests, backup, seed = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])
rng = random.Random(seed)
files = sorted(digests.glob("*.txt"))
statuses = ["to-read", "reading", "read", "skipped"]
for i in range(int(sys.argv[5])):
    kind = i % 4
    with Library.open(data) as lib:        # a fresh process per command, like cron
        if kind == 0 and files:
            report = lib.import_file(files.pop(0))
            print(json.dumps({"import": [p for d in report.digests for p in d.paper_ids]}), flush=True)
        elif kind == 3:
            report = lib.merge_backup(backup)
            print(json.dumps({"merge": report.changed}), flush=True)
        else:
            pid = rng.choice(lib.papers[60:]).id  # the app marks the first papers
            status = rng.choice(statuses)
            lib.set_status([pid], status)
            print(json.dumps({"mark": [pid, status]}), flush=True)
"""


async def test_the_app_and_a_writer_process_lose_nothing(
    seeded: Path, make_app, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """A second process imports, marks and merges in a loop while the app marks and writes notes."""
    digests = tmp_path / "digests"
    digests.mkdir()
    for n in range(6):
        (digests / f"d{n}.txt").write_text(_digest(n + 1, 8, f"loop{n}"))
    # A backup from "another machine": notes on the last seed papers.
    with Library.open(seeded, readonly=True) as lib:
        doc = lib.backup_document()
        for pid in [p.id for p in lib.papers[100:104]]:
            doc["annotations"].append(
                {
                    "paper_id": pid,
                    "status": "read",
                    "note": f"remote {pid}",
                    "tags": [],
                    "updated_at": "2026-01-01T00:00:00.000Z",
                    "history": [["2026-01-01T00:00:00.000Z", "read"]],
                }
            )
    backup = tmp_path / "other-machine.json"
    backup.write_text(json.dumps(doc))
    app = make_app(seeded)
    rng = random.Random(7)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            WRITER,
            str(seeded),
            str(digests),
            str(backup),
            "11",
            "16",
            stdout=asyncio.subprocess.PIPE,
        )
        app_marks: dict[str, Status] = {}
        keys = {"t": Status.TO_READ, "r": Status.READING, "x": Status.READ, "s": Status.SKIPPED}
        plist = _list(app)
        while proc.returncode is None:
            await pilot.press("home")
            for _ in range(rng.randrange(0, 40)):
                await pilot.press("j")
            paper = plist.current_paper
            if app.library.position(paper.id) >= 60:
                continue  # the writer's papers
            key = rng.choice(list(keys))
            await pilot.press(key)
            app_marks[paper.id] = keys[key]
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(proc.wait(), 0.05)
        out = (await proc.stdout.read()).decode()  # type: ignore[union-attr]
        assert proc.returncode == 0
        acked = [json.loads(line) for line in out.splitlines()]
        assert len(acked) == 16
        # Everything acknowledged is on disk...
        with Library.open(seeded, readonly=True) as disk:
            marks = {}
            for ack in acked:
                if "mark" in ack:
                    marks[ack["mark"][0]] = Status(ack["mark"][1])
                if "import" in ack:
                    assert all(disk.has_paper(pid) for pid in ack["import"])
            for pid, status in {**marks, **app_marks}.items():
                assert disk.status(pid) is status, pid
            for pid in [p.id for p in disk.papers[100:104]]:
                assert f"remote {pid}" in disk.annotation(pid).note
            expected = {p.id: disk.status(p.id) for p in disk.papers}
            total = len(disk)
        # ...and the app shows it.
        assert await until(pilot, lambda: len(app.library) == total and len(plist.hits) == total)
        assert await until(
            pilot, lambda: {p.id: app.library.status(p.id) for p in app.library.papers} == expected
        )
        assert isinstance(app.screen, MainScreen)


async def test_an_import_undone_elsewhere_leaves_the_list_whole(
    seeded: Path, make_app, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """The cursor on a paper another process takes away: the list goes on without it.

    The list's results are positions in the library; they named papers no longer
    there, and the next frame ended the app with an IndexError (found trying it
    as a user: ``G`` in the app, ``tracker undo`` of an import in a shell).
    """
    digest = tmp_path / "today.txt"
    digest.write_text(_digest(7, 12, "undone"))
    code, _, err = await tracker(seeded, "import", str(digest), "--date", "2024-10-07")
    assert code == 0, err
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        plist = _list(app)
        await pilot.press("G")  # the last row
        assert plist.cursor == 114 + 12 - 1
        code, out, err = await tracker(seeded, "undo")
        assert code == 0 and "undid: imported" in out, err
        assert await until(pilot, lambda: len(plist.hits) == 114)
        await pilot.pause()
        assert app.is_running
        ids = {plist.paper_at(i).id for i in range(len(plist.hits))}
        assert len(ids) == 114 and all(app.library.has_paper(pid) for pid in ids)
        assert plist.current_paper is not None
        await pilot.press("j", "k", "G")  # the rows are drawn and the keys move on them
        assert plist.current_paper is not None and app.is_running


async def test_papers_forgotten_elsewhere_keep_the_cursor_on_its_paper(
    seeded: Path, make_app
) -> None:  # type: ignore[no-untyped-def]
    """Papers leave from before the cursor's (their positions move): it stays on its paper."""
    with Library.open(seeded, readonly=True) as lib:
        forgotten = lib.digests[0]
        stays = next(p for p in lib.papers if p.id not in forgotten.paper_ids)
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        plist = _list(app)
        while plist.current_paper.id != stays.id:
            await pilot.press("j")
        code, _, err = await tracker(seeded, "forget", forgotten.id)
        assert code == 0, err
        assert await until(
            pilot, lambda: len(plist.hits) == len(app.library.papers) < 114 and plist.current_paper
        )
        assert app.is_running
        assert plist.current_paper.id == stays.id
        shown = {plist.paper_at(i).id for i in range(len(plist.hits))}
        assert shown == {p.id for p in app.library.papers}


async def test_a_watch_list_changed_from_the_command_line_shows_in_the_open_app(
    seeded: Path, make_app, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """`tracker watch add` while the app was open changed nothing there (a second
    new-user trial: the old entries' marks stayed, W listed the old list)."""
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("slash", *"is:watched", "enter")
        await pilot.pause()
        assert len(_list(app).hits) == 0  # no watch list yet
        env_config = {"TRACKER_CONFIG_DIR": str(tmp_path / "config")}
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tracker",
            "--data-dir",
            str(seeded),
            "watch",
            "add",
            "mamba",
            env={**os.environ, **env_config, "TRACKER_NO_TUI": "1"},
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        _, err = await proc.communicate()
        assert proc.returncode == 0, err.decode()
        assert await until(pilot, lambda: len(_list(app).hits) > 0)
        shown = [_list(app).paper_at(i).id for i in range(len(_list(app).hits))]
        assert all(app.library.watch_match(pid) is not None for pid in shown)
        assert [e.text for e in app.library.watch_entries] == ["mamba"]
