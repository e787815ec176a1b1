"""Dates as pages print them: a page's day, a paper's publication date, a week.

Pages name days in many ways: ``Oct 7``, ``Oct 7, 2024``, ``7 October 2024``,
``2024-10-07``, ``2026年06月26日``, ``Daily Papers (2025-04-25)``, an ISO week
``2026-W22``. :func:`find_date` finds one in a short piece of text;
:func:`date_only` says whether a line is nothing but a date with the page
decoration that surrounds a per-paper date (``· Published on Oct 4, 2026``,
``Mar 8, 2024 [ 6]`` where 6 is a comment count).

Pure: no I/O.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from tracker.sources.fields import MONTH_NAME, MONTHS, label_for
from tracker.sources.patterns import lazy

__all__ = [
    "DateMention",
    "compact_date",
    "date_only",
    "day_after",
    "days_linked",
    "find_date",
    "near_day",
    "resolve_year",
]

_WEEKDAY = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
_MONTH_DAY = lazy(
    rf"(?<![\w]){_WEEKDAY}(?P<mon>{MONTH_NAME})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?"
    # "April 22-28, 2025", "April 28 – May 4, 2025": a range of days; the year after it
    # is its first day's too (the range itself is told by ``DateMention.span``).
    rf"(?P<to>\s*[-–—]\s*(?:{MONTH_NAME}\.?\s+)?\d{{1,2}}(?:st|nd|rd|th)?)?"
    r"(?:,?\s+(?P<year>\d{4}))?(?![\w])",
    re.IGNORECASE,
)
_DAY_MONTH = lazy(
    rf"(?<![\w]){_WEEKDAY}(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mon>{MONTH_NAME})\.?"
    r"(?:,?\s+(?P<year>\d{4}))?(?![\w])",
    re.IGNORECASE,
)
# 2024-10-07, and the same with dots or slashes (2023.01.18, 2023/01/18) as bots write it.
_ISO = lazy(
    r"(?<![\d.])(?P<year>(?:19|20)\d{2})(?P<sep>[-./])(?P<mon>\d{1,2})(?P=sep)(?P<day>\d{1,2})"
    r"(?![\d/]|\.\d)"
)
_CJK = lazy(r"(?P<year>(?:19|20)\d{2})\s*年\s*(?P<mon>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日")
_WEEK = lazy(r"(?<![\w])(?P<year>(?:19|20)\d{2})-W(?P<week>\d{1,2})(?![\w])")

# What may stand around a per-paper date on a line of its own: a bullet or a
# middle dot, "Published on", a comment or upvote count in brackets, links.
_DATE_DECOR = lazy(
    r"^[\s·•\-*|]*(?:(?:published|submitted|posted|added|updated)(?:\s+on)?\s*:?\s*)?"
    r"(?P<date>.+?)"
    r"(?:\s*\[\s*[-\d,.k]*\s*\])*(?:\s*[·•|]\s*\d[\d,.k]*\s*(?:comments?|upvotes?)?)?[\s·•]*$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date as a page prints it."""

    text: str  # as printed, e.g. "Oct 7" or "2024-10-07"
    month: int
    day: int
    year: int | None  # None: the page gave month and day only
    week: int | None = None  # an ISO week ("2026-W22"): month and day are its Monday's
    span: bool = False  # the first day of a range ("April 22-28, 2025"), not one day

    @property
    def iso(self) -> str | None:
        """``YYYY-MM-DD`` when the year is known and the date real."""
        if self.year is None:
            return None
        try:
            return dt.date(self.year, self.month, self.day).isoformat()
        except ValueError:
            return None

    @property
    def label(self) -> str:
        """The label a digest of this day gets: ``Oct 7`` (a week keeps ``2026-W22``)."""
        if self.week is not None:
            return self.text
        return f"{label_for(dt.date(2000, self.month, self.day))}"


def _mention(
    text: str, month: int, day: int, year: int | None, *, span: bool = False
) -> DateMention | None:
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    try:
        dt.date(year or 2000, month, day)  # 2000 is a leap year: Feb 29 stays possible
    except ValueError:
        return None
    return DateMention(text, month, day, year, span=span)


def find_date(text: str) -> DateMention | None:
    """The first date in ``text`` (at most a few hundred characters), or None."""
    if len(text) > 400 or not any(c.isdigit() for c in text):
        return None
    best: tuple[int, DateMention] | None = None
    for pattern in (_ISO, _CJK, _MONTH_DAY, _DAY_MONTH):
        m = pattern.search(text)
        if m is None or (best is not None and m.start() >= best[0]):
            continue
        month = m.group("mon")
        number = int(month) if month.isdigit() else MONTHS[month[:3].lower()]
        year = m.group("year")
        span = bool(m.groupdict().get("to"))
        found = _mention(
            m.group(0).strip(), number, int(m.group("day")), int(year) if year else None, span=span
        )
        if found is not None:
            best = (m.start(), found)
    if best is not None:
        return best[1]
    m = _WEEK.search(text)
    if m:
        year, week = int(m.group("year")), int(m.group("week"))
        try:
            monday = dt.date.fromisocalendar(year, week, 1)
        except ValueError:
            return None
        return DateMention(m.group(0), monday.month, monday.day, monday.year, week=week)
    return None


_COMPACT = lazy(r"(?P<year>(?:19|20)\d{2})(?P<mon>\d{2})(?P<day>\d{2})")


def compact_date(text: str) -> DateMention | None:
    """``20260127`` when it is the whole text (a bot's day heading), else None."""
    m = _COMPACT.fullmatch(text.strip())
    if m is None:
        return None
    return _mention(m.group(0), int(m.group("mon")), int(m.group("day")), int(m.group("year")))


# "Nabla-R2D3: … with 2D Rewards (2025-06-18)": a date in parentheses closing a text.
_DAY_AFTER = lazy(r"\s*[(（]([^()（）]{4,30})[)）]\s*$")


def day_after(text: str) -> int | None:
    """Where the date in parentheses that ends ``text`` starts (``Title (2025-06-18)``).

    None when ``text`` does not end so, or is nothing but that date.
    """
    if not text.rstrip().endswith((")", "）")):
        return None
    m = _DAY_AFTER.search(text)
    if m is None or m.start() == 0 or date_only(m.group(1)) is None:
        return None
    return m.start()


def date_only(text: str) -> DateMention | None:
    """The date when ``text`` is nothing but a date and the decoration around one.

    ``Oct 7``, ``· Published on Oct 4, 2026``, ``Mar 8, 2024 [ 6]``,
    ``Feb 3 [ 6]``, ``2024-10-07``; not ``Oct 7 was a good day``.
    """
    if len(text) > 80 or not any(c.isdigit() for c in text):
        return None
    m = _DATE_DECOR.match(text)
    if m is None:
        return None
    inner = m.group("date").strip(" ,.·")
    found = find_date(inner)
    if found is None or found.text != inner:
        # "Monday, Oct 7": the weekday is part of the match, so text == inner still.
        return None
    return found


def resolve_year(mention: DateMention, page_day: dt.date | None) -> str | None:
    """The ISO date of a mention, taking a missing year from the page's day.

    A day printed without a year is the last such day on or before the
    page's own day (a page shows dates of the past): ``May 30`` on a page of
    2026-06-29 is 2026-05-30, ``Dec 30`` on that page is 2025-12-30.
    """
    if mention.year is not None:
        return mention.iso
    if page_day is None:
        return None
    for year in (page_day.year, page_day.year - 1):
        try:
            day = dt.date(year, mention.month, mention.day)
        except ValueError:
            continue
        if day <= page_day:
            return day.isoformat()
    return None


# A link to a day's list of papers: huggingface.co/papers/date/2026-10-01, papers?date=….
_DAY_LINK = lazy(r"/papers/date/(\d{4})-(\d{2})-(\d{2})|[?&]date=(\d{4})-(\d{2})-(\d{2})")
_NEAR_DAYS = 7
_LINK_SCAN = 1 << 20  # characters of a page searched for such links


def days_linked(text: str) -> list[dt.date]:
    """The days of the day lists a page links to (its own, or the days around it)."""
    found: list[dt.date] = []
    if "date" not in text:
        return found
    for m in _DAY_LINK.finditer(text, 0, min(len(text), _LINK_SCAN)):
        year, month, day = (int(g) for g in m.groups() if g)
        try:
            found.append(dt.date(year, month, day))
        except ValueError:
            continue
    return found


def near_day(mention: DateMention, days: list[dt.date]) -> tuple[str, dt.date] | None:
    """The ISO date of a day printed without its year, from the days a page links to.

    A page shows its own day as ``Oct 2`` and links to the days around it
    (``Previous`` → ``…/papers/date/2026-10-01``): the year that puts the day
    within a week of one of those is the page's. Returns (ISO date, the linked day).
    """
    if mention.year is not None:
        return None
    for near in days:
        for year in (near.year, near.year - 1, near.year + 1):
            try:
                candidate = dt.date(year, mention.month, mention.day)
            except ValueError:
                continue
            if abs((candidate - near).days) <= _NEAR_DAYS:
                return candidate.isoformat(), near
    return None
