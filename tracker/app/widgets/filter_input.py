"""The filter bar's text input, which repaints itself without re-laying out the screen."""

from __future__ import annotations

from collections.abc import Callable

from textual import events
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input

from tracker.app.textual_internals import virtual_size_without_layout
from tracker.app.widgets.safe_input import SafeInput

# Keys that change the text (printable characters change it too).
_EDIT_KEYS = frozenset({"backspace", "delete", "ctrl+w", "ctrl+u", "ctrl+k"})


class FilterInput(SafeInput):
    """A :class:`SafeInput` whose growing text only repaints it.

    Input records the width of its text as its virtual size (for horizontal
    scrolling), and that reactive asks for a layout of the whole screen on
    every keystroke: a full reflow plus a repaint of every scrollbar, a
    third of a frame. The filter bar is one line of fixed width whatever it
    holds, so a repaint is enough; scrolling reads the virtual size directly.
    """

    virtual_size: Reactive[Size] = virtual_size_without_layout()

    def __init__(self, *, placeholder: str = "", id: str | None = None) -> None:
        super().__init__(placeholder=placeholder, id=id)
        self.before_edit: Callable[[], None] | None = None
        """Called before a key that edits the text is handled (before the
        new text is drawn): the screen uses it to draw the text and its
        search results in one frame."""
        self.on_change: Callable[[], None] | None = None
        """Called when the text changed (typed, pasted or set by the app): the
        screen searches for it."""

    def on_input_changed(self, event: Input.Changed) -> None:
        # Taken here, where the message starts, instead of after it has
        # bubbled up to the screen through the filter row, the centre column
        # and the body: a turn of each one's message queue, measured at
        # about 0.3 ms of every keystroke.
        if self.on_change is not None:
            event.stop()
            self.on_change()

    def on_key(self, event: events.Key) -> None:
        # Runs before Input's own key handler, which changes the text.
        if self.before_edit is not None and (event.is_printable or event.key in _EDIT_KEYS):
            self.before_edit()
