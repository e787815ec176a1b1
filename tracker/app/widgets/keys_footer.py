"""The footer of every screen: Textual's, with the keys that help or lead back first.

A footer shows as many keys as fit and cuts the rest. In the order of the
bindings, "? Help" came last on the main screen and "esc Done" last in
triage: at 60 columns neither showed, and nothing on screen said how to
learn the other keys or how to get out. They come first here, the others
after them in their order.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer

FIRST_ACTIONS = frozenset({"help", "finish", "close"})
"""Actions shown first: the help screen, and leaving a screen (triage, stats, what's new)."""


class KeysFooter(Footer):
    """A compact footer without the command palette's key, help and back keys first."""

    def __init__(self) -> None:
        super().__init__(compact=True, show_command_palette=False)

    def compose(self) -> ComposeResult:
        if any(b.binding.group for b in self.screen.active_bindings.values()):
            # Keys of a binding group go into their group as they are made: made here
            # ahead of time they would not. (The app has none; in their order then.)
            yield from super().compose()
            return
        keys = list(super().compose())
        # A key's widget has its binding's action (its class is not public API).
        first = [k for k in keys if getattr(k, "action", None) in FIRST_ACTIONS]
        yield from first
        yield from (k for k in keys if all(k is not f for f in first))
