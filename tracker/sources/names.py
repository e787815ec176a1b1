"""Personal names as pages print them: ``Ada One, Bo Two and C. Three``.

Shared by the page reader (a line of names under a title is its authors, never
a title or a translation of one) and the plain-text reader (the same line in a
copy that lost its links and marks).

Pure: no I/O.
"""

from __future__ import annotations

import re

NAME = re.compile(
    r"(?:[A-Z][\w'’.-]*|[A-Z]\.)(?:\s+(?:[A-Z][\w'’.-]*|[A-Z]\.|de|van|von|der|da|di|del|le|la)){1,3}"
)
"""One person's name: two to four capitalised words or initials (``Seung Y. Lee``)."""
NAME_SEPARATOR = re.compile(r"\s*(?:[,;，、]|\band\b|&)\s*")


def looks_like_names(text: str, least: int = 2) -> bool:
    """``Ada One, Bo Two``: ``least`` or more personal names, not a title with a comma."""
    parts = [part for part in NAME_SEPARATOR.split(text.strip().rstrip(".")) if part]
    return len(parts) >= least and all(NAME.fullmatch(part) for part in parts)
