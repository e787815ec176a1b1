r"""Parse arXiv listings: the daily e-mail digest and the web listing copied as text.

The e-mail (``cs daily Subj-class mailing``) has one entry per paper between
lines of dashes::

    \\
    arXiv:2410.05258
    Date: Mon, 7 Oct 2024 17:59:58 GMT   (1024kb,D)

    Title: Differential Transformer
    Authors: Tianzhu Ye, Li Dong, Yuqing Xia, Yutao Sun, Yi Zhu, Gao Huang and
      Furu Wei
    Categories: cs.CL cs.LG
    Comments: 12 pages
    \\
      Transformer tends to overallocate attention to irrelevant context. …
    \\ ( https://arxiv.org/abs/2410.05258 ,  1024kb)
    ------------------------------------------------------------------------------

Title and Authors wrap over indented continuation lines. Replacements have
``replaced with revised version …`` instead of ``Date:`` and no abstract.

The web listing (``arxiv.org/list/cs.CL/new``) copied from a browser has
``[1] arXiv:2410.05258 [pdf, html, other]`` then ``Title:``, ``Authors:``,
``Comments:``, ``Subjects:`` lines and, in the "with abstracts" view, the
abstract as the next paragraph.

The digest's date is the listing's: the mail's own ``Date:`` header (a
``Date:`` before the first entry), else the end of the window the mailing
covers (`` received from  Fri 16 Jan 26 19:00:00 GMT  to  Tue 20 Jan 26
19:00:00 GMT``: the day it went out; a copy of the mail's body has no
headers, but this line), or the page heading (``New submissions for Mon, 7
Oct 24``, ``Showing new listings for Monday, 7 October 2024``). An entry's
``Date:`` is when that paper was submitted, not when it was listed, so it is
never used for the digest: without a listing date the caller asks for
``--date``.

Pure: no I/O, only the text given.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from tracker.sources import fields, markup
from tracker.sources.parsed import (
    DigestError,
    ParsedDigest,
    ParsedPaper,
    ParsedSection,
    ParseWarning,
)
from tracker.sources.patterns import lazy

__all__ = ["looks_like_arxiv", "parse"]

_ENTRY = lazy(
    rf"^[ \t]*(?:\[\d{{1,6}}\][ \t]*)?arXiv:[ \t]*(?P<id>{fields.ARXIV_ID})(?:v\d+)?\b",
    re.IGNORECASE,
)
_FIELD = lazy(
    r"^[ \t]*(?P<name>title|authors?|categories|comments|subjects|date|journal-ref|doi"
    r"|report-no|msc-class|acm-class|license|abstract)[ \t]*:[ \t]*(?P<value>.*)$",
    re.IGNORECASE,
)
# The links after a web listing's id: "[pdf, html, other]".
_WEB_LINKS = lazy(r"\[(?:pdf|ps|html|other)\b[^\]]*\]", re.IGNORECASE)
_REPLACED = lazy(r"^[ \t]*replaced with revised version\b", re.IGNORECASE)
_BACKSLASHES = lazy(r"^[ \t]*\\\\[ \t]*(?P<rest>.*)$")
_SEPARATOR = lazy(r"^[ \t]*[-%=]{10,}[ \t]*$")
_HEADING = lazy(
    r"^[ \t]*(?:new submissions|cross-lists|cross submissions|replacements"
    r"|replacement submissions|showing new listings|total of \d+ entries|showing up to)\b",
    re.IGNORECASE,
)
_LISTING_DATE = lazy(
    r"^[ \t]*(?:(?:new submissions|cross-lists|replacements|showing new listings)\s+for\s+(?P<day>.+)"
    # The "recent" listing heads each day's entries: "Wed, 7 Oct 2026 (showing first 50 of 350 entries)".
    r"|(?P<recent>(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,\s+\d{1,2}\s+[a-z]{3,9}\s+\d{2,4})\s*\(showing\b.*)$",
    re.IGNORECASE,
)
_LOOSE_DATE = lazy(r"(\d{1,2})\s+([A-Za-z]{3,9})\.?,?\s+(\d{4}|\d{2})\b")
_MAIL_DATE = lazy(r"^Date:[ \t]*(?P<value>.+)$")
# The mailing's window, in its header: " received from  Fri 16 Jan 26 19:00:00 GMT  to  Tue 20 …".
_RECEIVED = lazy(r"^[ \t]*received from\s+.+?\s+to\s+(?P<end>.+?)[ \t]*$", re.IGNORECASE)
# A paragraph after the fields shorter than this is page text (a footer), not an abstract.
_MIN_ABSTRACT_WORDS = 8
# How far (in lines) a Title: may follow its arXiv: line for the text to count as a listing.
_DETECT_WINDOW = 12


def looks_like_arxiv(text: str) -> bool:
    """True when an ``arXiv:<id>`` line is followed closely by a ``Title:`` line.

    A web listing entry (``[1] arXiv:<id> [pdf, …]``) followed by a
    ``Subjects:`` line counts too: browsers hide the Title/Authors labels
    there, so a copy may not have them.
    """
    # An entry line has "arXiv:": walk the colons (a one-character search runs at
    # memchr speed) instead of matching the pattern on every line of the page (1.5 ms
    # of a 1,000-paper digest's 63 ms parse; a plain page has a few hundred colons).
    colon = text.find(":")
    while colon >= 0:
        start = text.rfind("\n", 0, colon) + 1
        end = text.find("\n", colon)
        if end < 0:
            end = len(text)
        if _ARXIV_WORD.fullmatch(text, colon - 5, colon):
            line = text[start:end]
            if len(line) < 200 and _ENTRY.match(line):
                web = _WEB_LINKS.search(line) is not None
                for after in _lines_after(text, end, _DETECT_WINDOW):
                    label = after.lstrip()[:9].lower()
                    if label.startswith("title:") or (web and label == "subjects:"):
                        return True
        colon = text.find(":", end)
    return False


_ARXIV_WORD = lazy("arxiv", re.IGNORECASE)  # as _ENTRY spells it before its colon


def _lines_after(text: str, end: int, count: int) -> Iterator[str]:
    """Up to ``count`` lines after the line that ends at ``end`` (its newline, or the end)."""
    for _ in range(count):
        if end >= len(text):
            return
        start, end = end + 1, text.find("\n", end + 1)
        if end < 0:
            end = len(text)
        yield text[start:end]


def parse(text: str, source: str = "<arxiv>") -> ParsedDigest:
    """Parse an arXiv listing; :class:`DigestError` names the file when it has no entry."""
    lines = markup.strip_controls(text).split("\n")
    warnings: list[ParseWarning] = []
    starts = [no for no, line in enumerate(lines) if len(line) < 200 and _ENTRY.match(line)]
    papers: list[ParsedPaper] = []
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(lines)
        last = index + 1 == len(starts)
        paper = _entry(lines, start, end, last, warnings)
        if paper is not None:
            papers.append(paper)
    if not papers:
        raise DigestError(
            source,
            f"no papers found in {source}: expected arXiv listing entries "
            "(an arXiv:<id> line followed by Title: and Authors: lines)",
        )
    day = _listing_date(lines, starts[0])
    label = fields.label_for(day) if day else None
    section = ParsedSection(label, day.isoformat() if day else None, None, tuple(papers))
    return ParsedDigest((section,), tuple(warnings))


# --------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------


def _listing_date(lines: list[str], first_entry: int) -> dt.date | None:
    for line in lines[:first_entry]:
        match = _MAIL_DATE.match(line.strip())
        if match:
            day = _mail_day(match.group("value"))
            if day is not None:
                return day
    for line in lines[:first_entry]:
        match = _RECEIVED.match(line) if len(line) < 200 else None
        if match:
            day = _loose_day(match.group("end"))
            if day is not None:
                return day
    for line in lines:
        match = _LISTING_DATE.match(line) if len(line) < 200 else None
        if match:
            day = _loose_day(match.group("day") or match.group("recent"))
            if day is not None:
                return day
    return None


def _mail_day(value: str) -> dt.date | None:
    """The day of an RFC 2822 date as written (the sender's calendar day)."""
    import email.utils  # here: every import asks whether a page is a listing, few are

    try:
        return email.utils.parsedate_to_datetime(value.strip()).date()
    except (TypeError, ValueError, IndexError, OverflowError):
        return _loose_day(value)


def _loose_day(text: str) -> dt.date | None:
    """``Mon,  7 Oct 24`` or ``Monday, 7 October 2024``."""
    match = _LOOSE_DATE.search(text)
    if not match:
        return None
    month = fields.MONTHS.get(match.group(2)[:3].lower())
    year = int(match.group(3))
    if month is None:
        return None
    try:
        return dt.date(year + 2000 if year < 100 else year, month, int(match.group(1)))
    except ValueError:
        return None


# --------------------------------------------------------------------------
# Entries
# --------------------------------------------------------------------------


@dataclass(slots=True)
class _Entry:
    values: dict[str, list[str]] = field(default_factory=dict)
    abstract: list[str] = field(default_factory=list)
    current: str | None = None  # the field the next indented line continues

    def add(self, name: str, value: str) -> None:
        self.values.setdefault(name, []).append(value)
        self.current = name

    def get(self, name: str) -> str:
        return fields.one_line(" ".join(self.values.get(name, [])))


def _entry(
    lines: list[str], start: int, end: int, last: bool, warnings: list[ParseWarning]
) -> ParsedPaper | None:
    match = _ENTRY.match(lines[start])
    assert match is not None
    arxiv_id = match.group("id")
    body = lines[start + 1 : end]
    mail = any(_BACKSLASHES.match(line) for line in body)
    entry = _Entry()
    if mail:
        _mail_entry(body, start + 2, entry, warnings)
    else:
        _web_entry(body, start + 2, last, entry, warnings)
    title = fields.tex_accents(entry.get("title"))
    if not title:
        warnings.append(
            ParseWarning(start + 1, f"arXiv:{arxiv_id} has no Title: line; entry skipped")
        )
        return None
    names = fields.tex_accents(entry.get("authors") or entry.get("author"))
    return ParsedPaper(
        title=title,
        abstract=fields.prose("\n".join(entry.abstract)),
        line=start + 1,
        arxiv_id=arxiv_id,
        url=fields.arxiv_url(arxiv_id),
        authors=fields.split_authors(names) if names else (),
        primary_class=_primary_class(entry.get("categories"), entry.get("subjects")),
    )


_CATEGORY = r"[a-z][a-z-]*(?:\.[A-Za-z][A-Za-z-]*)?"
_FIRST_CATEGORY = lazy(rf"^\s*({_CATEGORY})(?:\s|$)")
_SUBJECT_CATEGORY = lazy(rf"\(({_CATEGORY})\)")


def _primary_class(categories: str, subjects: str) -> str | None:
    """The first category: ``Categories: cs.CL cs.LG`` or ``Subjects: Computation and Language (cs.CL); …``."""
    match = _FIRST_CATEGORY.match(categories) or _SUBJECT_CATEGORY.search(subjects)
    return match.group(1) if match else None


def _field_line(line: str, entry: _Entry) -> bool:
    """Take a ``Name: value`` line or an indented continuation; False for anything else."""
    match = _FIELD.match(line)
    if match:
        name = match.group("name").lower()
        if name == "abstract":
            entry.current = None
            if match.group("value").strip():
                entry.abstract.append(match.group("value"))
            return True
        entry.add(name, match.group("value"))
        return True
    if _REPLACED.match(line):
        entry.current = None
        return True
    if entry.current and line[:1] in (" ", "\t") and line.strip():
        if entry.current == "subjects" and "(" not in line:
            return False  # an indented abstract after the last field, not more subjects
        entry.values[entry.current].append(line.strip())
        return True
    return False


def _mail_entry(
    body: list[str], first_no: int, entry: _Entry, warnings: list[ParseWarning]
) -> None:
    """Fields, then the abstract between ``\\`` lines, then the closing ``\\ ( url , size)``.

    Whatever follows the closing line (rules, the mail's trailer) is not part of the entry.
    """
    in_abstract = False
    for no, line in enumerate(body, start=first_no):
        marker = _BACKSLASHES.match(line)
        if in_abstract:
            if marker or _SEPARATOR.match(line):
                return
            entry.abstract.append(line)
        elif marker:
            if marker.group("rest"):
                return  # "\\ ( https://arxiv.org/abs/… , 12kb)" right away: no abstract
            in_abstract = True
        elif _SEPARATOR.match(line):
            return
        elif not line.strip():
            entry.current = None
        elif not _field_line(line, entry):
            warnings.append(ParseWarning(no, f"skipped {_quote(line)} in an arXiv entry"))


def _web_entry(
    body: list[str],
    first_no: int,
    last: bool,
    entry: _Entry,
    warnings: list[ParseWarning],
) -> None:
    """Field lines, then paragraphs of abstract until a short block, a heading or a rule."""
    in_fields = True
    block: list[tuple[int, str]] = []
    blocks: list[list[tuple[int, str]]] = []
    # A browser hides the "Title:" and "Authors:" labels of the web listing, so
    # a copy may have the title and the authors as the entry's first two lines.
    unlabelled = [] if any(_is_field(line, "title") for line in body) else ["title", "authors"]
    for no, line in enumerate(body, start=first_no):
        if _SEPARATOR.match(line) or _HEADING.match(line):
            break
        if in_fields:
            if not line.strip():
                entry.current = None
                continue
            if _field_line(line, entry):
                unlabelled = []
                continue
            if unlabelled:
                entry.add(unlabelled.pop(0), line.strip())
                continue
            in_fields = False
        if line.strip():
            block.append((no, line))
        elif block:
            blocks.append(block)
            block = []
    if block:
        blocks.append(block)
    for index, lines in enumerate(blocks):
        words = sum(len(text.split()) for _, text in lines)
        if words < _MIN_ABSTRACT_WORDS:
            # Short text after the last entry is the page footer; anywhere else say so.
            if not last:
                no, text = lines[0]
                warnings.append(ParseWarning(no, f"skipped {_quote(text)} in an arXiv entry"))
            return
        if index:
            entry.abstract.append("")
        entry.abstract.extend(text for _, text in lines)


def _is_field(line: str, name: str) -> bool:
    match = _FIELD.match(line)
    return match is not None and match.group("name").lower() == name


def _quote(line: str) -> str:
    text = fields.one_line(line)
    return repr(text if len(text) <= 60 else text[:57] + "…")
