"""SVG snapshots of what the richer sources add: the import dialog and a JSON paper's details.

Regenerate after an intended change with ``pytest tests/app/test_snapshots_sources.py
--snapshot-update`` and look at the SVG before committing.
"""

from __future__ import annotations

from pathlib import Path

from snapshot_settle import settle

from tracker.library import Library

SIZE = (120, 34)
HF_JSON = Path(__file__).parent.parent / "fixtures" / "sources" / "hf_daily_papers.json"


def test_import_dialog(seeded: Path, make_app, snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.press("I")
        await pilot.pause()

    assert snap_compare(make_app(seeded), terminal_size=SIZE, run_before=run_before)


def test_detail_of_a_json_paper(data_dir: Path, make_app, snap_compare) -> None:  # type: ignore[no-untyped-def]
    with Library.open(data_dir) as lib:
        lib.import_file(HF_JSON)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.press("slash", *"differential", "enter")
        await settle(pilot)

    assert snap_compare(make_app(data_dir), terminal_size=SIZE, run_before=run_before)
