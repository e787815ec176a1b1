"""A save that fails in the app (disk full): the change stays, is shown as unsaved, and is retried."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tracker.app.dialogs.confirm import ConfirmDialog
from tracker.app.widgets.paper_list import PaperList
from tracker.app.widgets.unsaved_banner import UnsavedBanner
from tracker.models import Status

SIZE = (120, 36)


def _disk_full(monkeypatch: pytest.MonkeyPatch) -> None:
    def write(fd: int, data: object) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "write", write)


async def test_disk_full_shows_banner_and_ctrl_s_saves_once_space_is_back(
    seeded: Path, make_app, reopen, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    app = make_app(seeded)
    real_write = os.write
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        first = app.screen.query_one(PaperList).current_paper.id
        banner = app.screen.query_one(UnsavedBanner)
        assert not banner.has_class("-shown")
        _disk_full(monkeypatch)
        await pilot.press("x")
        await pilot.pause()
        banner.update_state()
        assert banner.has_class("-shown")
        assert any("No space left" in str(n.message) for n in app._notifications)
        with reopen(seeded) as lib:
            assert lib.status(first) is Status.NEW  # not on disk yet
        # ...but the screen shows the change as it stands in memory, like the banner says.
        assert "✓" in "".join(s.text for s in app.screen.query_one(PaperList).render_line(0))
        await pilot.press("ctrl+s")  # still full: still unsaved, said so
        await pilot.pause()
        assert banner.has_class("-shown")
        monkeypatch.setattr(os, "write", real_write)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not banner.has_class("-shown")
        with reopen(seeded) as lib:
            assert lib.status(first) is Status.READ


async def test_quit_with_unsaved_changes_asks_and_defaults_to_staying(
    seeded: Path, make_app, reopen, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    app = make_app(seeded)
    real_write = os.write
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        first = app.screen.query_one(PaperList).current_paper.id
        _disk_full(monkeypatch)
        await pilot.press("t", "q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("enter")  # enter is "No": stay, nothing lost
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmDialog)
        assert app.is_running
        monkeypatch.setattr(os, "write", real_write)
        await pilot.press("q")  # space is back: the quit saves, then exits
        await pilot.pause()
    with reopen(seeded) as lib:
        assert lib.status(first) is Status.TO_READ
