"""j/k/g/G for screens that are one scrolling body of text (stats, What's new)."""

from __future__ import annotations

from textual.binding import Binding
from textual.containers import VerticalScroll


def scroll_bindings(prefix: str) -> list[Binding]:
    """Vim-style scroll keys with ids under ``prefix`` (so each screen's can be remapped)."""
    # The arrows and Home/End too (the scroll view's own as well): a keymap
    # that gives j or g to another binding leaves them (see keymap_check).
    return [
        Binding("j,down", "scroll_body('down')", "Scroll down", show=False, id=f"{prefix}.down"),
        Binding("k,up", "scroll_body('up')", "Scroll up", show=False, id=f"{prefix}.up"),
        Binding("g,home", "scroll_body('home')", "Top", show=False, id=f"{prefix}.top"),
        Binding("G,end", "scroll_body('end')", "Bottom", show=False, id=f"{prefix}.bottom"),
    ]


def scroll(view: VerticalScroll, where: str) -> None:
    """Run one of the bindings' actions on ``view``."""
    {
        "down": view.scroll_down,
        "up": view.scroll_up,
        "home": view.scroll_home,
        "end": view.scroll_end,
    }[where]()
