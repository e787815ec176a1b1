"""Showing imported and user text safely.

Titles and notes come from pages nobody here wrote: they may hold Rich
markup (``[bold]``), ANSI escapes or control characters. Everything shown is
built as ``rich.text.Text`` (never parsed as markup) after control
characters are replaced by visible placeholders.
"""

from __future__ import annotations

import re

from rich.text import Text

from tracker.models import STATUS_MARK, Marks, Status

__all__ = ["STATUS_LABEL", "STATUS_MARK", "clean", "literal", "marks_of", "one_line"]

_UNICODE_MARKS = Marks.of()


def marks_of(app: object) -> Marks:
    """The marks the app was told to use (ASCII or Unicode); Unicode outside TrackerApp."""
    marks = getattr(app, "marks", None)
    return marks if isinstance(marks, Marks) else _UNICODE_MARKS


# C0 and C1 controls except tab and newline, plus DEL; ESC starts ANSI sequences.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(text: str) -> str:
    """Replace control characters with U+FFFD so they cannot drive the terminal."""
    return _CONTROL.sub("\ufffd", text)


def one_line(text: str) -> str:
    """Clean text folded onto a single line."""
    return " ".join(clean(text).split())


def literal(text: str, style: str = "") -> Text:
    """A Text that shows ``text`` exactly (no markup), with controls neutralized."""
    return Text(clean(text), style=style)


STATUS_LABEL = {
    Status.NEW: "new",
    Status.TO_READ: "to read",
    Status.READING: "reading",
    Status.READ: "read",
    Status.SKIPPED: "skipped",
}
