"""The app's exit status: an error that ended it is not turned into success."""

from __future__ import annotations

from pathlib import Path

import pytest

SIZE = (100, 30)


async def test_a_quit_after_an_error_still_exits_with_status_1(seeded: Path, make_app) -> None:  # type: ignore[no-untyped-def]
    """A new user's crash printed a traceback and `tracker` exited 0: the quit key they
    pressed while the app went down set the exit status back to success."""
    app = make_app(seeded)

    def fail() -> None:
        raise IndexError("list index out of range")

    with pytest.raises(IndexError):
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            app.call_later(fail)
            await pilot.pause()
            app.exit()  # what q does
    assert app.return_code == 1


async def test_a_quit_exits_with_status_0(seeded: Path, make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("q")
    assert app.return_code == 0
