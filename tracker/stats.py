"""Reading statistics from the status history: pure functions, no I/O, no clock.

Definitions (the README repeats them):

- Days are the user's local calendar days (the machine's time zone, as the
  clock on the wall says), or UTC days when ``utc`` is asked for; the times
  are stored in UTC. Weeks are ISO weeks, Monday to Sunday, of those dates;
  the last week is the one holding ``today`` and is still running.
- A paper is *triaged* the first time its status leaves ``new`` (to any
  other status) and *read* the first time it becomes ``read``: a paper put
  back to ``new`` and marked again, or read twice, counts once, on its first
  day (the figures count papers, not key presses).
- The *backlog* is the number of papers marked ``to-read`` or ``reading`` at
  the end of each week (for the running week: at the end of ``today``).
  A paper without a readable history (an annotation from before the history
  existed that had no time) counts with its current status throughout.

The caller (``Library.reading_stats``) hands in the annotations and digest
counts; everything here is a function of its arguments, so the tests give
fixed dates and synthetic histories.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tracker.clock import parse_wall
from tracker.models import Annotation, Status

WEEKS = 12
"""How many weeks the charts look back by default."""

DAYS = 14
"""How many days the daily charts show (a new user has days of history, not weeks)."""

BACKLOG = frozenset({Status.TO_READ, Status.READING})

_SPARKS = "▁▂▃▄▅▆▇█"
_EIGHTHS = " ▏▎▍▌▋▊▉"


@dataclass(frozen=True, slots=True)
class Week:
    """One week's figures."""

    start: dt.date
    """The Monday that starts the week."""
    triaged: int
    read: int
    backlog: int
    """Papers to-read or reading at the end of the week."""


@dataclass(frozen=True, slots=True)
class Day:
    """One day's figures (same definitions as the weeks)."""

    date: dt.date
    triaged: int
    read: int


@dataclass(frozen=True, slots=True)
class DigestProgress:
    """How far one digest is done."""

    digest_id: str
    label: str
    total: int
    triaged: int
    read: int

    @property
    def done(self) -> float:
        """The share of the digest's papers that are read (0 for an empty digest)."""
        return self.read / self.total if self.total else 0.0


@dataclass(frozen=True, slots=True)
class ReadingStats:
    """Everything the stats screen and ``tracker stats`` show."""

    today: dt.date
    weeks: list[Week]
    days: list[Day]
    digests: list[DigestProgress]
    notes: int
    papers: int
    by_status: dict[Status, int]

    @property
    def triaged_total(self) -> int:
        return sum(w.triaged for w in self.weeks)

    @property
    def read_total(self) -> int:
        return sum(w.read for w in self.weeks)


def week_start(day: dt.date) -> dt.date:
    """The Monday of the ISO week holding ``day``."""
    return day - dt.timedelta(days=day.weekday())


def day_of(moment: dt.datetime, *, utc: bool = False) -> dt.date:
    """The calendar day of an instant: local (the machine's time zone) or UTC."""
    return (moment.astimezone(dt.UTC) if utc else moment.astimezone()).date()


def start_of(day: dt.date, *, utc: bool = False) -> dt.datetime:
    """The instant a calendar day begins, local or UTC (daylight saving time included)."""
    midnight = dt.datetime.combine(day, dt.time())
    return midnight.replace(tzinfo=dt.UTC) if utc else midnight.astimezone()


def parse_time(text: str) -> dt.datetime | None:
    """A stored time (``2026-11-20T08:01:02.123Z``, or with a logical counter) as an aware UTC
    datetime; None if unreadable."""
    # A change stamped by the logical clock (``…Z#000002``) happened at its wall time.
    return parse_wall(text)


def _changes(ann: Annotation) -> list[tuple[dt.datetime, Status]]:
    """The annotation's history with readable times, oldest first."""
    timed = [(parse_time(c.at), c.status) for c in ann.history]
    return sorted((t, s) for t, s in timed if t is not None)


def weekly(
    annotations: Iterable[Annotation], today: dt.date, weeks: int = WEEKS, *, utc: bool = False
) -> list[Week]:
    """Triaged, read and backlog figures for the ``weeks`` weeks ending with today's."""
    first = week_start(today) - dt.timedelta(weeks=weeks - 1)
    starts = [first + dt.timedelta(weeks=i) for i in range(weeks)]
    # The end of each week as an instant; the running week ends with today.
    ends = [
        start_of(min(s + dt.timedelta(days=7), today + dt.timedelta(days=1)), utc=utc)
        for s in starts
    ]
    triaged = [0] * weeks
    read = [0] * weeks
    backlog = [0] * weeks
    for ann in annotations:
        changes = _changes(ann)
        for day, was_triaged, was_read in _events(changes, utc=utc):
            slot = (week_start(day) - first).days // 7
            if 0 <= slot < weeks and day <= today:
                triaged[slot] += was_triaged
                read[slot] += was_read
        for slot, end in enumerate(ends):
            if _status_at(ann, changes, end) in BACKLOG:
                backlog[slot] += 1
    return [Week(s, t, r, b) for s, t, r, b in zip(starts, triaged, read, backlog, strict=True)]


def daily(
    annotations: Iterable[Annotation], today: dt.date, days: int = DAYS, *, utc: bool = False
) -> list[Day]:
    """Papers triaged and read on each of the ``days`` days ending with today."""
    first = today - dt.timedelta(days=days - 1)
    triaged = [0] * days
    read = [0] * days
    for ann in annotations:
        for day, was_triaged, was_read in _events(_changes(ann), utc=utc):
            slot = (day - first).days
            if 0 <= slot < days:
                triaged[slot] += was_triaged
                read[slot] += was_read
    dates = [first + dt.timedelta(days=i) for i in range(days)]
    return [Day(d, t, r) for d, t, r in zip(dates, triaged, read, strict=True)]


def _events(
    changes: Sequence[tuple[dt.datetime, Status]], *, utc: bool = False
) -> Iterable[tuple[dt.date, int, int]]:
    """(day, 1 if the paper was first triaged, 1 if it was first read) for each change.

    Only the first of each counts: a paper sent back to new and marked
    again was triaged once (so 73 papers never show 74 triaged).
    """
    triaged_before = read_before = False
    for moment, status in changes:
        triaged = not triaged_before and status is not Status.NEW
        read = not read_before and status is Status.READ
        if triaged or read:
            yield day_of(moment, utc=utc), int(triaged), int(read)
        triaged_before = triaged_before or triaged
        read_before = read_before or read


def _status_at(
    ann: Annotation, changes: Sequence[tuple[dt.datetime, Status]], moment: dt.datetime
) -> Status:
    if not changes:
        return ann.status  # no readable history: when it was set is unknown
    current = Status.NEW
    for when, status in changes:
        if when >= moment:
            break
        current = status
    return current


def compute(
    annotations: Iterable[Annotation],
    digests: Sequence[DigestProgress],
    *,
    papers: int,
    today: dt.date,
    weeks: int = WEEKS,
    utc: bool = False,
) -> ReadingStats:
    """All the figures at once. ``annotations`` are those of papers in the library."""
    anns = list(annotations)
    by_status = dict.fromkeys(Status, 0)
    for ann in anns:
        by_status[ann.status] += 1
    # Papers without an annotation are new.
    by_status[Status.NEW] += papers - len(anns)
    return ReadingStats(
        today=today,
        weeks=weekly(anns, today, weeks, utc=utc),
        days=daily(anns, today, utc=utc),
        digests=list(digests),
        notes=sum(1 for a in anns if a.note.strip()),
        papers=papers,
        by_status=by_status,
    )


# -- text pictures shared by the CLI and the app -------------------------------
def sparkline(values: Sequence[int]) -> str:
    """One character per value, ``▁`` for zero up to ``█`` for the largest."""
    top = max(values, default=0)
    if top <= 0:
        return _SPARKS[0] * len(values)
    # Zero keeps the lowest block; any non-zero value shows at least one step up.
    return "".join(
        _SPARKS[0] if v <= 0 else _SPARKS[max(1, round(v / top * (len(_SPARKS) - 1)))]
        for v in values
    )


def bar(value: float, maximum: float, width: int) -> str:
    """A horizontal bar ``width`` cells wide at most, in eighths of a cell."""
    if maximum <= 0 or value <= 0 or width <= 0:
        return ""
    eighths = round(min(value / maximum, 1.0) * width * 8)
    full, part = divmod(eighths, 8)
    return "█" * full + (_EIGHTHS[part] if part else "")
