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

And so are all the other keys of the list and the main screen
(:func:`in_typed_order`): a key still on its way up from the list when ``i``
moved the focus would otherwise meet the note's bindings, not the list's, and
be lost. ``jji`` typed in one go wrote the note of the first paper, not the
third; ``xi`` left the paper unread. Run as they are taken, they run in the
order typed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable, Iterable
from contextvars import ContextVar

from textual import events
from textual.binding import Binding, BindingType
from textual.dom import NoScreen
from textual.widget import Widget
from textual.widgets import Input, TextArea

from tracker.app.textual_internals import own_bindings

__all__ = [
    "OwnKeysInTypedOrder",
    "focus_now",
    "in_typed_order",
    "key_in_hand",
    "take_key",
    "typing_in",
]


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


def in_typed_order(bindings: Iterable[Binding]) -> list[BindingType]:
    """``bindings`` as priority bindings: each runs as its key is taken, in the order typed.

    A priority binding of a screen wins over the focused widget's own binding
    of the same key; the screen's ``check_action`` must leave such keys to the
    widget (a text box's typing keys and its ctrl+z, the sidebar's R).
    """
    return [dataclasses.replace(b, priority=True) for b in bindings]


_KEY_IN_HAND: ContextVar[bool] = ContextVar("key_in_hand", default=False)


def key_in_hand() -> bool:
    """Is the app handling a key it has just taken from its queue?

    A screen's ``check_action`` leaves a key to the focused widget only then: the
    same action run from the command palette is no key, and runs.
    """
    return _KEY_IN_HAND.get()


async def take_key(event: events.Event, handle: Callable[[events.Event], Awaitable[None]]) -> None:
    """``handle(event)``, with :func:`key_in_hand` true for a key taken from the app's queue."""
    if not isinstance(event, events.Key) or event.is_forwarded:
        await handle(event)
        return
    token = _KEY_IN_HAND.set(True)
    try:
        await handle(event)
    finally:
        _KEY_IN_HAND.reset(token)


class OwnKeysInTypedOrder:
    """For a text box (a subclass of Input or TextArea, this class first): its own keys
    (backspace, delete, ctrl+w, arrows, enter) run as the box takes them, in the order typed.

    A box types a character as it takes its key, but runs its bindings only
    after the key has travelled up to the app and back (a turn of each
    ancestor's queue): keys typed in one go, or arriving in one read over a slow
    link, were reordered. ``mamba``, two backspaces and ``x`` left ``mamb`` in
    the filter (the x typed before the backspaces ran), and the same in a note.
    Here the box looks up its own binding of the key and runs it at once;
    whatever it does not bind travels up as before.
    """

    def _typed_as_text(self, event: events.Key) -> bool:
        """Whether the box itself types this key as text (its ``_on_key``)."""
        return event.is_printable

    async def _on_key(self, event: events.Key) -> None:
        # Textual calls the key handler of each class of the box in turn, this
        # one before Input's or TextArea's own (which types the characters).
        if self._typed_as_text(event):
            return
        assert isinstance(self, Widget)
        for binding in own_bindings(self, event.key):
            # As Textual would run it: an action its check_action turns off is not run.
            if await self.app.run_action(binding.action, self):
                event.stop()  # the box's own _on_key still runs (the cursor stays lit)
                return
