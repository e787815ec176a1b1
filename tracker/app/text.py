"""Showing imported and user text safely: the one helper for it is :func:`clean`.

Titles, abstracts, tags, notes, digest labels, saved-search names, file names
and error messages come from pages, files and backups nobody here wrote.
They may hold Rich or Textual markup (``[bold]``, ``[@click=app.quit]``),
terminal escapes (``ESC ]0;…BEL`` sets the window title, ``ESC [2J`` clears
the screen) or characters that change how text looks without being seen.

So everything shown is built as ``rich.text.Text`` (or passed with
``markup=False``), never parsed as markup, and only after :func:`clean` has
replaced, one for one, every character that could drive the terminal or hide
itself by a visible U+FFFD (�):

- C0 and C1 control characters and DEL (ESC starts every terminal escape);
  tab and newline stay where the text may have lines;
- bidirectional controls (LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI, LRM,
  RLM, ALM): ``"\u202egnp.exe"`` shows as ``exe.png`` in a terminal that
  applies them;
- invisible characters (zero-width space, joiners, word joiner, invisible
  operators, byte-order mark, soft hyphen, Hangul fillers, tag characters…).

They are *shown*, not removed: removed, ``Atten\u200btion`` and ``Attention``
would look the same while being two papers with two ids, which is exactly the
pretence to prevent; shown, the difference is on screen. Replacing one
character by one also keeps the offsets of search highlights valid. The cost:
an emoji built with a zero-width joiner shows its parts with a � between
them, and right-to-left titles lose their direction marks.
"""

from __future__ import annotations

import datetime as dt
import re

from rich.text import Text

from tracker.models import STATUS_MARK, Marks, Status

__all__ = [
    "REPLACEMENT",
    "STATUS_LABEL",
    "STATUS_MARK",
    "as_markup",
    "clean",
    "clean_note",
    "literal",
    "marks_of",
    "one_line",
    "sentence",
]

_UNICODE_MARKS = Marks.of()


def marks_of(app: object) -> Marks:
    """The marks the app was told to use (ASCII or Unicode); Unicode outside TrackerApp."""
    marks = getattr(app, "marks", None)
    return marks if isinstance(marks, Marks) else _UNICODE_MARKS


REPLACEMENT = "\ufffd"
"""What an unsafe character is shown as."""

# Controls except tab (\x09) and newline (\x0a); the note editor keeps carriage
# return (\x0d) too, as part of the note's line ends.
_CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_HIDDEN = (
    "\u00ad"  # soft hyphen
    "\u034f"  # combining grapheme joiner
    "\u061c"  # Arabic letter mark
    "\u115f\u1160\u3164\uffa0"  # Hangul fillers (blank-looking letters)
    "\u17b4\u17b5"  # Khmer inherent vowels (invisible)
    "\u180e"  # Mongolian vowel separator
    "\u200b-\u200f"  # zero-width space, non-joiner, joiner; LRM, RLM
    "\u202a-\u202e"  # LRE, RLE, PDF, LRO, RLO
    "\u2060-\u2064"  # word joiner, invisible operators
    "\u2066-\u2069"  # LRI, RLI, FSI, PDI
    "\ufeff"  # zero-width no-break space (byte-order mark)
    "\ufff9-\ufffb"  # interlinear annotation controls
    "\U000e0000-\U000e007f"  # tag characters
)
_UNSAFE = re.compile(f"[\r{_CONTROLS}{_HIDDEN}]")
_UNSAFE_IN_NOTE = re.compile(f"[{_CONTROLS}{_HIDDEN}]")


def clean(text: str) -> str:
    """``text`` with every control, bidi and invisible character shown as U+FFFD (one for one)."""
    return _UNSAFE.sub(REPLACEMENT, text)


def clean_note(text: str) -> str:
    """:func:`clean` for text in the note editor, which keeps the note's ``\\r\\n`` line ends."""
    return _UNSAFE_IN_NOTE.sub(REPLACEMENT, text)


def as_markup(text: str) -> str:
    """Cleaned ``text`` as Textual markup that shows it literally.

    Only for the few Textual APIs that take nothing but a markup string (the
    command palette's titles and help); everywhere else pass ``Text`` or
    ``markup=False``. Textual reads ``\\[`` as a literal bracket and leaves
    every other backslash alone.
    """
    return clean(text).replace("[", "\\[")


def sentence(text: str) -> str:
    """``text`` with its first letter upper case and the rest as it is.

    Not ``str.capitalize``, which lowers the rest: "Undid: imported oct7.txt
    (oct 7 2024…" would misspell labels, file names and tags.
    """
    return text[:1].upper() + text[1:]


def typed_day(text: str) -> str | None:
    """The ISO day typed in a dialog's date box (``2025-08-06``), or None when it is not one."""
    try:
        return dt.date.fromisoformat(text.strip()).isoformat()
    except ValueError:
        return None


def not_a_day(text: str) -> str:
    """What a dialog says of a date box's text that :func:`typed_day` refused."""
    return f"{text.strip()!r} is not a date like 2024-10-07"


def one_line(text: str) -> str:
    """Clean text folded onto a single line."""
    return " ".join(clean(text).split())


def literal(text: str, style: str = "") -> Text:
    """A Text that shows ``text`` exactly (no markup), with unsafe characters shown as U+FFFD."""
    return Text(clean(text), style=style)


STATUS_LABEL = {
    Status.NEW: "new",
    Status.TO_READ: "to read",
    Status.READING: "reading",
    Status.READ: "read",
    Status.SKIPPED: "skipped",
}
