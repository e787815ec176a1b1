"""Change times that order edits correctly when machines' clocks disagree.

Every change to an annotation is stamped with a *hybrid logical clock*
time: the wall-clock time (UTC, milliseconds, ``2026-11-25T08:01:02.123Z``)
unless the annotation already holds a stamp at or after it, in which case
the stamp is that one's wall part with a logical counter one higher
(``2026-11-25T08:01:02.123Z#000001``). So a change made after this machine
took in another machine's change always sorts after it, however far the
other machine's clock was ahead; when the clocks agree, stamps are plain
wall-clock times, as before. Stamps without a counter (every file written
before the clock existed) are counter 0 and need no conversion.

Stamps compare as strings (``"…123Z" < "…123Z#000001" < "…124Z"``), so
merging keeps comparing ``max(a, b)`` on them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

COUNTER_MARK = "#"
_COUNTER_DIGITS = 6
_FORMAT_LENGTH = len("2026-11-25T08:01:02.123Z")


def wall_part(stamp: str) -> str:
    """The wall-clock time of a stamp, without its logical counter."""
    return stamp.partition(COUNTER_MARK)[0]


def counter_of(stamp: str) -> int:
    """The logical counter of a stamp (0 for a plain time)."""
    digits = stamp.partition(COUNTER_MARK)[2]
    return int(digits) if digits.isdigit() else 0


def parse_wall(stamp: str) -> dt.datetime | None:
    """The stamp's wall-clock time as an aware UTC datetime; None if unreadable."""
    try:
        moment = dt.datetime.fromisoformat(wall_part(stamp))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def format_wall(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def next_stamp(now: str, latest: Iterable[str]) -> str:
    """The stamp for a change made at wall time ``now`` after every stamp in ``latest``.

    ``now`` is a plain wall time. If it sorts after the newest of
    ``latest``, it is the stamp; otherwise the newest is carried on with its
    counter one higher (its wall part plus one millisecond, in the
    unlikely event that the counter is full).
    """
    newest = max((s for s in latest if s), default="")
    if not newest or now > newest:
        return now
    count = counter_of(newest) + 1
    wall = wall_part(newest)
    moment = parse_wall(wall)
    if count >= 10**_COUNTER_DIGITS and moment is not None and len(wall) == _FORMAT_LENGTH:
        return format_wall(moment + dt.timedelta(milliseconds=1))
    return f"{wall}{COUNTER_MARK}{count:0{_COUNTER_DIGITS}d}"


def seconds_ahead(stamp: str, now: dt.datetime) -> float:
    """How far the stamp's wall time is after ``now`` (negative or 0 when it is not)."""
    moment = parse_wall(stamp)
    return (moment - now).total_seconds() if moment is not None else 0.0
