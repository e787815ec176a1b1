"""Keys typed in one go go where the person meant them, while the focus moves.

Keys that arrive together — a fast typist, keys typed while the app was busy
(starting, searching 100,000 papers), a terminal or a tool that sends a burst —
wait in the app's queue, and Textual hands each one to the widget focused when
it is taken from that queue. A widget's (non-priority) binding runs only
after its key has travelled up from the focused widget, by then behind the
keys that follow it; and ``Widget.focus()`` queues the move behind them too.
So ``/mamba`` typed at once reached the list as ``/``, ``m``, ``a``…: ``m``
(read and next) ran on the list, and a note typed right after ``i`` ran its
letters as commands.

The keys that move the focus somewhere to type (``/`` to the filter, ``i``
into the note) are therefore priority bindings, run as the app takes the key
from its queue, and move the focus at once with :func:`focus_now`; while the
person is typing in a text box (:func:`typing_in`) the screen's
``check_action`` turns them off, and the key is typed as text.
"""

from __future__ import annotations

from textual.dom import NoScreen
from textual.widget import Widget
from textual.widgets import Input, TextArea

__all__ = ["focus_now", "typing_in"]


def focus_now(widget: Widget) -> None:
    """Give ``widget`` the focus at once (``Screen.set_focus``, public API)."""
    try:
        screen = widget.screen
    except NoScreen:  # not mounted (a screen being taken down)
        return
    screen.set_focus(widget)


def typing_in(focused: Widget | None) -> bool:
    """Is ``focused`` a box being typed in (a key there is text, not a command)?"""
    return isinstance(focused, Input) or (isinstance(focused, TextArea) and not focused.read_only)
