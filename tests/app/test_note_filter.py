"""In the app, ``note:WORD`` in the filter finds the paper whose note was just written."""

from __future__ import annotations

from pathlib import Path

from tracker.app.widgets.paper_list import PaperList


async def test_the_app_filter_finds_the_note_just_written(seeded: Path, make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app(seeded)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        plist = app.screen.query_one(PaperList)
        await pilot.press("j", "j")
        paper = plist.current_paper
        await pilot.press("i", *"off to zanzibar", "escape", "slash", *"note:zanzibr")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert [plist.paper_at(row) for row in range(len(plist.hits))] == [paper]
