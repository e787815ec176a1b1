"""The filter bar's text input, which repaints itself without re-laying out the screen."""

from __future__ import annotations

from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input


class FilterInput(Input):
    """An :class:`Input` whose growing text only repaints it.

    Input records the width of its text as its virtual size (for horizontal
    scrolling), and that reactive asks for a layout of the whole screen on
    every keystroke: a full reflow plus a repaint of every scrollbar, a
    third of a frame. The filter bar is one line of fixed width whatever it
    holds, so a repaint is enough; scrolling reads the virtual size directly.
    """

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)
