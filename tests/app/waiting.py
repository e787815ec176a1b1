"""Waiting for what the app does on timers and in workers, with a deadline instead of a fixed sleep.

A fixed ``pilot.pause(0.3)`` bets that a timer (the note's autosave, the
related papers, the saved-search counts) or a worker (the command palette's
search) is done by then; on a loaded machine it loses the bet now and then.
These helpers let the app run until the condition holds, and fail only when
it never does within a deadline far beyond any normal delay.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot

DEADLINE_S = 15.0
"""Longer than any timer of the app on any machine the tests run on."""


async def wait_for(
    pilot: Pilot[object], condition: Callable[[], object], seconds: float = DEADLINE_S
) -> bool:
    """Let the app run until ``condition()`` is true (True) or ``seconds`` pass (False)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not condition():
        if loop.time() > deadline:
            return bool(condition())
        await pilot.pause(0.02)
    return True


async def run_command(pilot: Pilot[object], text: str) -> None:
    """Run the command palette's command whose title holds ``text`` (typed into the palette).

    The palette searches in a worker: enter waits until the command is highlighted.
    """
    await pilot.press("ctrl+p")
    assert await wait_for(pilot, lambda: isinstance(pilot.app.screen, CommandPalette))
    await pilot.press(*text)

    def highlighted() -> bool:
        commands = pilot.app.screen.query(CommandList)
        if not commands:
            return False
        found = commands.first()
        option = found.highlighted_option
        return option is not None and text.casefold() in str(option.prompt).casefold()

    assert await wait_for(pilot, highlighted), f"the command palette never offered {text!r}"
    await pilot.press("enter")
    assert await wait_for(pilot, lambda: not isinstance(pilot.app.screen, CommandPalette))
