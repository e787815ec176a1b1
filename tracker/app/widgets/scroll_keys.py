"""j/k/g/G for screens that are one scrolling body of text (stats, What's new)."""

from __future__ import annotations

from textual.binding import Binding
from textual.containers import VerticalScroll


def scroll_bindings(prefix: str) -> list[Binding]:
    """Vim-style scroll keys with ids under ``prefix`` (so each screen's can be remapped)."""
    return [
        Binding("j", "scroll_body('down')", "Scroll down", show=False, id=f"{prefix}.down"),
        Binding("k", "scroll_body('up')", "Scroll up", show=False, id=f"{prefix}.up"),
        Binding("g", "scroll_body('home')", "Top", show=False, id=f"{prefix}.top"),
        Binding("G", "scroll_body('end')", "Bottom", show=False, id=f"{prefix}.bottom"),
    ]


def scroll(view: VerticalScroll, where: str) -> None:
    """Run one of the bindings' actions on ``view``."""
    {
        "down": view.scroll_down,
        "up": view.scroll_up,
        "home": view.scroll_home,
        "end": view.scroll_end,
    }[where]()
