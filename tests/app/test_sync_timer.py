"""The app syncs through the folder that config.toml names, on its timer, and shows what came in."""

from __future__ import annotations

from pathlib import Path

from tests.app.test_concurrent_writers import until
from tracker.app.widgets.detail_pane import NoteEditor
from tracker.app.widgets.paper_list import PaperList
from tracker.library import Library
from tracker.library.syncing import SYNC_SUFFIX
from tracker.models import Status

SIZE = (120, 36)


async def test_the_app_syncs_on_its_timer_and_shows_what_came_in(
    seeded: Path, make_app, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "Sync"
    folder.mkdir()
    other = tmp_path / "desktop"
    with Library.open(other) as lib:
        lib.import_bundled_seeds()
        first = lib.papers[0].id
        lib.set_status([first], Status.READ)
        lib.set_note(first, "written on the desktop")
        lib.sync(folder, "desktop")
    config = tmp_path / "config"
    config.mkdir()
    (config / "config.toml").write_text(
        f'[sync]\nname = "laptop"\nfolder = "{folder}"\nevery = 0.01\n'
    )
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        plist = app.screen.query_one(PaperList)
        assert plist.current_paper is not None and plist.current_paper.id == first
        # The first sync runs at the start; the screen takes in what it merged.
        assert await until(pilot, lambda: app.library.annotation(first).note != "", 10)
        assert await until(
            pilot, lambda: app.screen.query_one(NoteEditor).text == "written on the desktop"
        )
        assert app.library.status(first) is Status.READ
        # A change made here goes out with a later sync, on the timer.
        app.library.set_status([app.library.papers[1].id], Status.SKIPPED)
        mine = folder / ("laptop" + SYNC_SUFFIX)

        def sent() -> bool:
            return mine.exists() and b'"skipped"' in mine.read_bytes()

        assert await until(pilot, sent, 10)
    with Library.open(other) as lib:
        lib.sync(folder, "desktop")
        assert lib.status(lib.papers[1].id) is Status.SKIPPED
