"""An input box that never shows a control, bidi or invisible character as it is."""

from __future__ import annotations

from textual.widgets import Input

from tracker.app.focus_now import OwnKeysInTypedOrder
from tracker.app.text import clean


class SafeInput(OwnKeysInTypedOrder, Input):
    """An :class:`Input` whose value is always :func:`~tracker.app.text.clean`.

    Input draws its value as it is: a pasted escape sequence, or a saved
    search name or tag holding one, would reach the terminal. Every way the
    value changes (typing, paste, a value set by the app) passes the
    reactive's validator, which replaces such characters one for one with
    U+FFFD, so the cursor position stays valid.
    """

    def validate_value(self, value: str) -> str:
        return clean(value)
