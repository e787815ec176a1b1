"""Focus, keys and dialogs as keyboard people expect them (issue 16, points 6-12)."""

from __future__ import annotations

from pathlib import Path

from tracker.app.widgets.digest_sidebar import DigestSidebar
from tracker.app.widgets.paper_list import PaperList

SIZE = (120, 36)


def _list(app) -> PaperList:  # type: ignore[no-untyped-def]
    return app.screen.query_one(PaperList)


async def _ready(app, pilot) -> None:  # type: ignore[no-untyped-def]
    await app.workers.wait_for_complete()
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_b_at_80x24_shows_the_digests_beside_the_list(seeded: Path, make_app) -> None:  # type: ignore[no-untyped-def]
    """Point 9: the digests appear beside the list; the list keeps its rows (it was squeezed to one)."""
    app = make_app(seeded)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(app, pilot)
        plist, sidebar = _list(app), app.screen.query_one(DigestSidebar)
        rows = plist.region.height
        assert not sidebar.display or sidebar.region.width == 0
        await pilot.press("b")
        await pilot.pause()
        assert sidebar.region.width > 0 and sidebar.region.right <= plist.region.x
        assert plist.region.height == rows >= 10
        assert app.focused is sidebar
        await pilot.press("j", "enter")  # a digest: its papers, back in the list
        await _ready(app, pilot)
        assert app.focused is plist and len(plist.hits) == 71
