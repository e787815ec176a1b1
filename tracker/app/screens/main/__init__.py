"""The main screen (see :mod:`tracker.app.screens.main.base` for how it is put together)."""

from tracker.app.screens.main.screen import MainScreen

__all__ = ["MainScreen"]
