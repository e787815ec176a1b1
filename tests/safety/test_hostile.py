"""Disk errors during a save, and hostile text shown in the app."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tracker.library import Library
from tracker.models import Status
from tracker.store import StoreError

# (The parser strips ANSI escapes from imported text; the app must not rely on it.)
HOSTILE_TITLE = "[bold red]Not bold[/] \x1b[31mred?\x1b[0m \u202eevil\u202c 🧪 [dim]x"


def _digest_with(title: str) -> bytes:
    abstract = "An abstract that is long enough to be prose for the parser to accept. " * 3
    return f"Daily Papers\n\nOct 7, 2024\n\n{title}\n\n{abstract}\n".encode()


def test_disk_full_keeps_the_change_in_memory_and_a_retry_saves_it(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Library.open(data_dir) as lib:
        lib.import_bundled_seeds()
        first, second = lib.papers[0].id, lib.papers[1].id
        real_write = os.write

        def disk_full(fd: int, data: object) -> int:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(os, "write", disk_full)
        with pytest.raises(StoreError, match="No space left on device"):
            lib.set_status([first], Status.READ)
        assert lib.status(first) is Status.READ  # kept in memory, said clearly
        monkeypatch.setattr(os, "write", real_write)
        lib.set_status([second], Status.TO_READ)  # the next save carries both
    with Library.open(data_dir, readonly=True) as lib:
        assert lib.status(first) is Status.READ
        assert lib.status(second) is Status.TO_READ


def test_permission_denied_gives_one_clear_sentence(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Injected: the tests may run as root, which ignores directory permissions.
    with Library.open(data_dir) as lib:
        lib.import_bundled_seeds()
        pid = lib.papers[0].id
        real_open = os.open

        def denied(path: object, flags: int, *args: object) -> int:
            if str(path).endswith(".tmp"):
                raise PermissionError(13, "Permission denied")
            return real_open(path, flags, *args)  # type: ignore[arg-type]

        monkeypatch.setattr(os, "open", denied)
        with pytest.raises(StoreError) as info:
            lib.set_status([pid], Status.READ)
        message = str(info.value)
        assert "Permission denied" in message and "annotations.json" in message
        assert "\n" not in message


async def test_hostile_title_and_note_are_shown_literally(data_dir: Path, tmp_path: Path) -> None:
    from tracker.app.app import TrackerApp
    from tracker.app.widgets.paper_list import PaperList

    with Library.open(data_dir) as lib:
        lib.import_bytes(_digest_with(HOSTILE_TITLE), source="hostile.txt")
        pid = lib.papers[0].id
        lib.set_note(pid, "[link=http://x]note[/link] \x1b[2J" + "x" * 10_000)
    app = TrackerApp(data_dir, config=tmp_path / "config")
    async with app.run_test(size=(120, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        plist = app.screen.query_one(PaperList)
        row = "".join(seg.text for seg in plist.render_line(0))
        assert "[bold red]Not bold[/]" in row  # markup shown, not applied
        assert "\x1b" not in row  # escape neutralized
        title = str(app.screen.query_one("#detail-title").render())
        assert "[bold red]Not bold[/]" in title and "\x1b" not in title
        editor_text = app.screen.query_one("#note-editor").text
        assert editor_text.startswith("[link=http://x]note[/link]")


def test_hostile_title_cannot_break_the_markdown_export(data_dir: Path) -> None:
    from tracker.exports import markdown as markdown_export

    with Library.open(data_dir) as lib:
        lib.import_bytes(_digest_with("# Heading?\u2028" + HOSTILE_TITLE), source="h.txt")
        items = lib.export_items([p.id for p in lib.papers])
        text = markdown_export.markdown(items, lib.digests)
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert headings[0] == "# Paper notes"
    assert all(not h.startswith("# ") for h in headings[1:])


def test_symlink_loop_and_oversized_file_are_refused(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tracker.library import LibraryError
    from tracker.library import files as library_files

    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    big = tmp_path / "big.txt"
    big.write_bytes(_digest_with("A Perfectly Fine Title") * 3)
    monkeypatch.setattr(library_files, "MAX_IMPORT_BYTES", 100)
    with Library.open(data_dir) as lib:
        outcomes = lib.import_files([loop, big])
        assert all(isinstance(o, LibraryError) for o in outcomes)
        assert "loop.txt" in str(outcomes[0]) and "larger than" in str(outcomes[1])
        assert len(lib) == 0


def test_a_failing_change_never_throws_away_an_earlier_unsaved_change(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Library.open(data_dir) as lib:
        lib.import_bundled_seeds()
        first = lib.papers[0].id
        real_write = os.write

        def disk_full(fd: int, data: object) -> int:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(os, "write", disk_full)
        with pytest.raises(StoreError):
            lib.set_status([first], Status.READ)
        assert lib.has_unsaved
        # A bug in the middle of the next change, with the writer lock held.
        with pytest.raises(RuntimeError), lib.store.writing():
            raise RuntimeError("a bug in the middle of a change")
        assert lib.has_unsaved  # the earlier change is still waiting to be saved
        monkeypatch.setattr(os, "write", real_write)
        lib.flush()
        assert not lib.has_unsaved
    with Library.open(data_dir, readonly=True) as lib:
        assert lib.status(first) is Status.READ
