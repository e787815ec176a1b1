"""A page's own day: from its head, its front matter, its links to a day's list.

The page's day comes from its head (a date heading or line, ``Daily Papers
(2025-04-25)``, a capture date); a date heading further down starts another
digest; a date inside a card is the paper's own, never a digest boundary.

Pure: no I/O.
"""

from __future__ import annotations

import datetime as dt
import re

from tracker.sources import dates
from tracker.sources.page.lines import Line

# When a copy was made: "Captured (UTC): …", "retrieved: 2026-10-02" (front matter),
# "Last updated: …". The page's day when it names none of its own, and the year of a
# day it names without one.
_CAPTURE_WORDS = (
    r"captured|saved|clipped|fetched|scraped|retrieved|accessed|archived|exported|created|collected"
    r"|updated|generated"
    # A bot's report: when it summarised the papers ("总结时间: 2025-08-06 17:03:41").
    r"|总结时间|生成时间|生成日期|更新时间|更新日期|抓取时间|采集时间"
)
CAPTURE = re.compile(
    rf"(?:last\s+)?(?:{_CAPTURE_WORDS})(?:\s+(?:at|on))?(?:\s*\(utc\))?\s*[:：]", re.IGNORECASE
)
_FRONT_DAY_KEY = re.compile(rf"(?:date|day|{_CAPTURE_WORDS})(?:[_ ]?(?:at|on|utc))?", re.I)


def front_matter_day(front: dict[str, str]) -> dates.DateMention | None:
    """The day a front matter names: ``date:``, ``retrieved:``, ``created_at:`` …"""
    for key, value in front.items():
        if _FRONT_DAY_KEY.fullmatch(key):
            found = dates.find_date(value)
            if found is not None:
                return found
    return None


def front_matter_date(front: dict[str, str]) -> dates.DateMention | None:
    """The document's own ``date:`` (Jekyll, Obsidian), not a capture date."""
    value = front.get("date") or front.get("day")
    return dates.find_date(value) if value else None


DAY_IN_URL = re.compile(r"[?&]date=(\d{4}-\d{2}-\d{2})|/papers/(?:date/)?(\d{4}-\d{2}-\d{2})\b")
WEEK_IN_URL = re.compile(r"/papers/week/(\d{4}-W\d{1,2})\b", re.IGNORECASE)

NEIGHBOUR = re.compile(
    r"[«»‹›<>←→\s]*(?:previous|prev|next|older|newer|earlier|later)?[«»‹›<>←→\s]*", re.I
)

# "Published: 2026-05-05", "· Submitted on Oct 4": a paper's own day, even above the
# first card (a record's fields); the page's day only when nothing else names one.
PAPER_DAY = re.compile(r"[\s·•\-*|]*(?:published|submitted|posted|added)\b", re.IGNORECASE)
# "Date: 2026-05-06 02:52 UTC", "**日期**：2026年5月6日": the page's own day, labelled.
PAGE_DATE = re.compile(
    r"[\s·•\-*|]*(?:date|day|report date|compiled(?: on)?|日期|날짜|日付)\s*[:：]\s*", re.I
)

HEAD_LINES = 40  # lines at the top where any short line may name the page's day


def day_heading(line: Line) -> dates.DateMention | None:
    """The day a heading names (``## Daily Papers (2025-04-25)``, ``# 20260127``), if any.

    Not a paper's heading with its own date after it (``## 🎓 Nabla-R2D3: Effective
    and Efficient 3D Diffusion Alignment with 2D Rewards (2025-06-18)``): five words
    or more before the date, none of them what a digest calls itself.
    """
    if line.heading < 0 or len(line.text) > 120 or line.link_only:
        return None
    own_day = dates.day_after(line.text)
    if own_day is not None:
        before = line.text[:own_day]
        if len(before.split()) >= _TITLE_WORDS and not _DIGEST_WORDS.search(before):
            return None
    return dates.find_date(line.text) or dates.compact_date(line.text)


_TITLE_WORDS = 5
_DIGEST_WORDS = re.compile(
    r"papers?|daily|digest|weekly|picks|reading|arxiv|hugging|论文|論文|日报|周报|논문|新着",
    re.IGNORECASE,
)


def day_between(lines: list[Line]) -> tuple[str, str | None, int] | None:
    """The first day heading among ``lines``: (label, ISO date, line number)."""
    for line in lines:
        found = day_heading(line)
        if found is not None:
            return found.label, found.iso, line.no
    return None


def capture_day(lines: list[Line]) -> tuple[str, str, int] | None:
    """A ``Captured: …`` / ``Collected: …`` line anywhere: (label, ISO date, line number)."""
    for line in lines:
        if line.text and CAPTURE.match(line.text.lstrip("-*• ")):
            found = dates.find_date(line.text)
            if found is not None and found.iso:
                return found.label, found.iso, line.no
    return None


def page_day(
    lines: list[Line], front: dict[str, str], first: int
) -> tuple[str | None, str | None, int | None]:
    """The page's own day from its head (the lines before ``first``): (label, ISO date, line)."""
    strong: tuple[dates.DateMention, int] | None = None
    labelled: tuple[dates.DateMention, int] | None = None  # "Compiled: April 21, 2026"
    weak: tuple[dates.DateMention, int] | None = None
    linked: tuple[dates.DateMention, int] | None = None
    capture = front_matter_day(front)
    titled: dates.DateMention | None = None
    if "title" in front:  # "title: arXiv 中文要点汇总 - cs.CL - 2025-08-26"
        titled = dates.find_date(front["title"])
        weak = (titled, 1) if titled is not None else None
    for index, line in enumerate(lines[:first]):
        if line.blank:
            continue
        text = line.text
        if CAPTURE.match(text.lstrip("-*• ")):
            capture = capture or dates.find_date(text)
            continue
        if labelled is None and PAGE_DATE.match(text):
            found = _dated(text)
            labelled = (found, line.no) if found is not None and found.iso else None
        if strong is None and not PAPER_DAY.match(text):
            found = day_heading(line) or dates.date_only(text) or _dated(text)
            if found is not None:
                strong = (found, line.no)
                continue
        if linked is None:
            linked = day_of_links(line)
        if weak is None and index < HEAD_LINES and len(text) <= 120:
            found = dates.find_date(text)
            if found is not None:
                weak = (found, line.no)
    if strong is not None and (strong[0].iso is None or strong[0].span) and labelled is not None:
        # "# Weekly Digest — April 14–20, 2026" names the week it covers (a range, or a
        # first day without a year); "Compiled: Tuesday, April 21, 2026" names the
        # page's own day.
        strong = labelled
    # The front matter's own "date:" is the page's day more surely than a date that
    # merely stands in a line of text near the top ("(2026-05-09 推过)" in a table).
    own = front_matter_date(front)
    if own is not None and own.iso and strong is None and linked is None:
        if titled is not None and titled.iso and titled.iso != own.iso:
            # "title: HuggingFace Papers 2025-07-06" over "date: 2019-06-18": the title
            # names the day the page lists; a blog's date field can be its template's.
            return titled.label, titled.iso, None
        return own.label, own.iso, None
    chosen = strong or linked or weak
    if chosen is None:
        if capture is not None and capture.iso:
            return capture.label, capture.iso, None
        return None, None, None
    mention, no = chosen
    iso = mention.iso
    if iso is None and capture is not None and capture.iso:
        iso = dates.resolve_year(mention, iso_day(capture.iso))
    if iso is None:
        # "Oct 2" and a link to the day before ("Previous"): the year of the days around it.
        linked_days = [day for line in lines for day in _linked_days(line)]
        near = dates.near_day(mention, linked_days)
        iso = near[0] if near is not None else None
    return mention.label, iso, no


def _dated(text: str) -> dates.DateMention | None:
    """The day of a ``Date: …`` line, when its value starts with a date (a time may follow)."""
    m = PAGE_DATE.match(text)
    if m is None:
        return None
    found = dates.find_date(text[m.end() : m.end() + 40])
    return found if found is not None and text.startswith(found.text, m.end()) else None


def _linked_days(line: Line) -> list[dt.date]:
    if not line.links:
        return []
    return [d for link in line.links if link.url for d in dates.days_linked(link.url)]


def day_of_links(line: Line) -> tuple[dates.DateMention, int] | None:
    """The day in a link to a day's list (``papers?date=2023-09-25``, ``papers/week/2026-W22``).

    Not from ``Previous`` / ``Next``: those name the neighbouring days.
    """
    for link in line.links:
        if not link.url or NEIGHBOUR.fullmatch(link.text):
            continue
        m = DAY_IN_URL.search(link.url) or WEEK_IN_URL.search(link.url)
        if m:
            found = dates.find_date(next(g for g in m.groups() if g))
            if found is not None:
                return found, line.no
    return None


def iso_day(iso: str | None) -> dt.date | None:
    if not iso:
        return None
    try:
        return dt.date.fromisoformat(iso)
    except ValueError:
        return None


def front_matter_end(lines: list[str]) -> int:
    """The number of lines of a YAML front matter block (``---`` … ``---``) at the top."""
    if not lines or lines[0].strip() != "---":
        return 0
    for index in range(1, min(len(lines), 100)):
        if lines[index].strip() in ("---", "..."):
            return index + 1
    return 0
