"""Regenerate the README screenshots with the app itself (headless, via Pilot).

    python screenshots/make.py

Uses a throw-away data directory with the bundled digests and a few notes;
writes main.svg, filter.svg, triage.svg and help.svg next to this file.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.pilot import Pilot

from tracker.app.app import TrackerApp
from tracker.library import Library
from tracker.models import Status

HERE = Path(__file__).parent
SIZE = (130, 36)


def _prepare(data_dir: Path) -> None:
    with Library.open(data_dir) as lib:
        lib.import_bundled_seeds()
        ids = [p.id for p in lib.papers]
        lib.set_status(ids[0:3], Status.READ)
        lib.set_status(ids[3:5], Status.TO_READ)
        lib.set_status(ids[5:6], Status.READING)
        lib.set_status(ids[6:8], Status.SKIPPED)
        lib.set_note(
            ids[3],
            "## Why read it\n\n- S4 beats transformers on **long** inputs\n"
            "- check the `HiPPO` initialisation\n- compare with Mamba (Aug 25)",
        )


async def _shoot(name: str, steps: Callable[[Pilot[None]], Awaitable[None]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        _prepare(data)
        app = TrackerApp(data, config=Path(tmp) / "config")
        async with app.run_test(size=SIZE) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            app.clear_notifications()
            await steps(pilot)
            await app.workers.wait_for_complete()
            await pilot.pause(0.2)
            app.save_screenshot(f"{name}.svg", str(HERE))
    print(f"wrote {HERE / name}.svg")


async def main() -> None:
    async def main_screen(pilot: Pilot[None]) -> None:
        await pilot.press("j", "j", "j")

    async def filtered(pilot: Pilot[None]) -> None:
        await pilot.press("slash", *"sequnce modl")

    async def triage(pilot: Pilot[None]) -> None:
        pilot.app.screen.query_one("#digests").highlighted = 2  # type: ignore[attr-defined]
        await pilot.app.workers.wait_for_complete()
        await pilot.press("T", "t", "s", "s")

    async def help_screen(pilot: Pilot[None]) -> None:
        await pilot.press("question_mark")

    for name, steps in [
        ("main", main_screen),
        ("filter", filtered),
        ("triage", triage),
        ("help", help_screen),
    ]:
        await _shoot(name, steps)


if __name__ == "__main__":
    asyncio.run(main())
