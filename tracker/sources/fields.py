"""Field helpers shared by the importers: arXiv ids, digest labels, prose, authors.

Pure functions over strings; no I/O.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

from tracker.models import MONTH_ABBR as _MONTH_ABBR
from tracker.sources.patterns import lazy

# New-style ids (2410.05434, 0704.0001) and old-style ones (cs/0112017,
# math.GT/0309136); a version suffix (v2) is not part of the paper's id.
ARXIV_ID = r"(?:\d{4}\.\d{4,5}|[a-z][a-z-]*(?:\.[A-Z]{2})?/\d{7})"
_ARXIV_ID_FULL = lazy(rf"(?:arxiv:)?({ARXIV_ID})(?:v\d+)?", re.IGNORECASE)

MONTHS = {name.lower(): number for number, name in enumerate(_MONTH_ABBR, start=1)}
"""Month number by the first three letters of its name, lower case (``"oct"`` → 10)."""
MONTH_NAME = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
"""A month's name, whole or abbreviated, as a regular expression (match case-insensitively)."""

# TeX accents as arXiv writes names and titles: M\"uller, {\'e}, \c{c}.
_TEX_ACCENT = lazy(r"\{?\\([\"'`^~=.]|[cvuH](?=\{))\{?([A-Za-z])\}?\}?")
_COMBINING = {
    '"': "\u0308",
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "c": "\u0327",
    "v": "\u030c",
    "u": "\u0306",
    "H": "\u030b",
}
_LIST_SEPARATOR = lazy(r"[,;]")
_AND = lazy(r"\s+and\s+")
_ET_AL = lazy(r"[\s,]*\bet\.?\s*al(?:\.|ii|ia)?$", re.IGNORECASE)  # "Dennis Aumiller et.al."
_PARAGRAPH_BREAK = lazy(r"\n[ \t]*\n\s*")


def arxiv_id(text: str) -> str | None:
    """The arXiv id in ``text`` (``2410.05434v2`` → ``2410.05434``), or None."""
    match = _ARXIV_ID_FULL.fullmatch(text.strip())
    return match.group(1) if match else None


def arxiv_url(paper_id: str) -> str:
    return f"https://arxiv.org/abs/{paper_id}"


def label_for(day: dt.date) -> str:
    """``Oct 8``: the label the text digests print, in any locale."""
    return f"{_MONTH_ABBR[day.month - 1]} {day.day}"


def one_line(text: str) -> str:
    """Whitespace (line wraps included) collapsed to single spaces."""
    return " ".join(text.split())  # str.split: much faster than a regex on long abstracts


def tex_accents(text: str) -> str:
    """``M\\"uller`` → ``Müller``; other TeX is left as written."""
    if "\\" not in text:
        return text
    return _TEX_ACCENT.sub(
        lambda m: unicodedata.normalize("NFC", m.group(2) + _COMBINING[m.group(1)]), text
    )


def prose(text: str) -> str:
    """Hard-wrapped paragraphs joined into lines, paragraphs kept apart by a blank line."""
    paragraphs = (one_line(part) for part in _PARAGRAPH_BREAK.split(text.strip()))
    return "\n\n".join(p for p in paragraphs if p)


def split_authors(names: str) -> tuple[str, ...]:
    """``A, B and C`` → ``(A, B, C)``; commas inside parentheses (affiliations) do not split."""
    text = one_line(names)
    parts = _LIST_SEPARATOR.split(text) if "(" not in text else _split_outside_parentheses(text)
    authors: list[str] = []
    for raw in parts:
        part = raw.strip()
        if part.lower().startswith("and "):
            part = part[4:].strip()
        if "al" in part:
            part = _ET_AL.sub("", part)
        if not part:
            continue
        if "(" in part:  # "(University of Science and Technology)" is one affiliation
            authors.append(part)
            continue
        # "B and C" in the last position; names never contain " and ".
        authors.extend(p.strip() for p in _AND.split(part) if p.strip())
    return tuple(authors)


def _split_outside_parentheses(text: str) -> list[str]:
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        if char in ",;" and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def section_date(
    label: str | None,
    parsed_date: str | None,
    given: dt.date | None,
    several: bool,
    source: str,
) -> tuple[str, str | None]:
    """The digest's label and ISO date: parsed from the page, else from --date.

    A page that names its whole day (a JSON or arXiv listing, a front matter's
    ``date:``, ``Daily Papers (2025-04-25)``) keeps it: --date is the day of
    pages that name none, and a label that says one day over a date of
    another was what giving both to a dated page made (``Nov 3 2025`` dated
    2025-10-20). The import says that --date was not used; ``tracker digests
    date`` sets another day afterwards. On a page whose day has no
    year (``Aug 25``) --date wins: it supplies the year.
    """
    if parsed_date:
        return label or parsed_date, parsed_date
    if given is not None and not several:
        return label or label_for(given), given.isoformat()
    if label and given is not None:
        # Several sections: --date supplies the year for "Aug 25"-style labels.
        month_day = label.split()
        if len(month_day) == 2 and month_day[0][:3].lower() in MONTHS:
            try:
                day = dt.date(given.year, MONTHS[month_day[0][:3].lower()], int(month_day[1]))
                return label, day.isoformat()
            except ValueError:
                pass
    return label or Path(source).stem, None
