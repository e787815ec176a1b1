"""Regenerate the README screenshots with the app itself (headless, via Pilot).

    python screenshots/make.py

Uses a throw-away data directory with the bundled digests and a few notes;
writes main.svg, filter.svg, triage.svg, help.svg and stats.svg next to this
file. The stats shot gets three weeks of simulated reading, seen on a fixed day.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.pilot import Pilot

from tracker.app.app import TrackerApp
from tracker.config import ConfigFile
from tracker.library import Library
from tracker.models import Status

HERE = Path(__file__).parent
SIZE = (130, 36)
STATS_DAY = dt.date(2026, 11, 25)


def _iso(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _history(data_dir: Path) -> None:
    """Three weeks of mornings: triage a handful of papers, read one or two of the backlog."""
    with Library.open(data_dir) as lib:
        todo = [p.id for p in lib.papers if lib.status(p.id) is Status.NEW]
        backlog: list[str] = []
        choices = [Status.TO_READ, Status.SKIPPED, Status.TO_READ, Status.READ, Status.SKIPPED]
        start = dt.datetime.combine(STATS_DAY - dt.timedelta(days=20), dt.time(7), dt.UTC)
        for day in range(21):
            morning = start + dt.timedelta(days=day)
            for n in range(5 if day % 7 < 5 else 2):
                pid = todo.pop(0)
                status = choices[(day + n) % len(choices)]
                lib.now = lambda t=morning + dt.timedelta(minutes=3 * n): _iso(t)
                lib.set_status([pid], status)
                if status is Status.TO_READ:
                    backlog.append(pid)
            for k in range(day % 3):
                lib.now = lambda t=morning + dt.timedelta(hours=12, minutes=k): _iso(t)
                lib.set_status([backlog.pop(0)], Status.READ)


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


async def _shoot(
    name: str, steps: Callable[[Pilot[None]], Awaitable[None]], *, history: bool = False
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        _prepare(data)
        # A morning routine's settings: two watch entries and two saved searches.
        config = ConfigFile(Path(tmp) / "config")
        config.set_watch(['"state space"', "recipes"])
        config.set_searches({"Unread LLM": "llm status:new", "Backlog": "status:to-read"})
        if history:
            _history(data)
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

    async def stats_screen(pilot: Pilot[None]) -> None:
        library = pilot.app.library  # type: ignore[attr-defined]
        noon = _iso(dt.datetime.combine(STATS_DAY, dt.time(12), dt.UTC))
        library.now = lambda: noon
        await pilot.press("S")

    for name, steps in [
        ("main", main_screen),
        ("filter", filtered),
        ("triage", triage),
        ("help", help_screen),
    ]:
        await _shoot(name, steps)
    await _shoot("stats", stats_screen, history=True)


if __name__ == "__main__":
    asyncio.run(main())
