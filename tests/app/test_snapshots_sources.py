"""SVG snapshots of what the richer sources add: the import dialog and a JSON paper's details.

Regenerate after an intended change with ``pytest tests/app/test_snapshots_sources.py
--snapshot-update`` and look at the SVG before committing.
"""

from __future__ import annotations

from pathlib import Path

from tracker.app.widgets.detail_pane import DetailPane
from tracker.library import Library

SIZE = (120, 34)
HF_JSON = Path(__file__).parent.parent / "fixtures" / "sources" / "hf_daily_papers.json"


async def _settle(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    for pane in pilot.app.screen.query(DetailPane):
        pane.refresh_related()
    pilot.app.clear_notifications()
    await pilot.wait_for_scheduled_animations()
    await pilot.pause(0.1)


def test_import_dialog(seeded: Path, make_app, snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await _settle(pilot)
        await pilot.press("I")
        await pilot.pause()

    assert snap_compare(make_app(seeded), terminal_size=SIZE, run_before=run_before)


def test_detail_of_a_json_paper(data_dir: Path, make_app, snap_compare) -> None:  # type: ignore[no-untyped-def]
    with Library.open(data_dir) as lib:
        lib.import_file(HF_JSON)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await _settle(pilot)
        await pilot.press("slash", *"differential", "enter")
        await _settle(pilot)

    assert snap_compare(make_app(data_dir), terminal_size=SIZE, run_before=run_before)
