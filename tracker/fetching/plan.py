"""Which days a fetch asks for.

``--date D``: that day. ``--since D``: D to yesterday. Neither: the days
after the newest day already fetched from the remote, to yesterday (UTC) —
so a cron line that missed mornings (a laptop shut for the weekend) catches
up — or yesterday alone when nothing was fetched yet. Yesterday, not today:
the Hugging Face list of a day grows all day, and a day once fetched is not
fetched again (a day asked for with ``--date`` is fetched whatever the day).
Days already in the library under the remote's source name are left out and
listed, so that running the same command twice fetches nothing the second time.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from tracker.fetching.remotes import Remote
from tracker.models import Digest

__all__ = ["CATCH_UP_DAYS", "MAX_DAYS", "Plan", "PlanError", "parse_day", "plan_days", "utc_today"]

MAX_DAYS = 366
"""The longest range one fetch takes (a year of Hugging Face lists is about 30 MB)."""
CATCH_UP_DAYS = 14
"""Without --date or --since, at most this many days back are caught up."""
_DAYS_AGO = re.compile(r"(\d{1,4})d")


def utc_today() -> dt.date:
    """Today for the services: Hugging Face and arXiv date their lists in UTC."""
    return dt.datetime.now(dt.UTC).date()


class PlanError(ValueError):
    """A date that cannot be fetched; one sentence saying why."""


@dataclass(slots=True)
class Plan:
    days: list[dt.date] = field(default_factory=list)
    """The days to fetch, oldest first."""
    fetched: list[dt.date] = field(default_factory=list)
    """Days of the range already in the library (not fetched again)."""


def parse_day(text: str, today: dt.date, option: str) -> dt.date:
    """``YYYY-MM-DD``, or ``7d`` (seven days before today)."""
    value = text.strip()
    ago = _DAYS_AGO.fullmatch(value)
    if ago:
        return today - dt.timedelta(days=int(ago.group(1)))
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise PlanError(f"{option} {text!r} is not a date like 2026-08-20 (or 7d)") from None


def plan_days(
    remote: Remote,
    digests: Iterable[Digest],
    *,
    today: dt.date,
    date: str | None = None,
    since: str | None = None,
) -> Plan:
    """The days to fetch from ``remote`` (see the module docstring); :class:`PlanError` when none can be."""
    if not remote.by_day:
        if date or since:
            raise PlanError(
                f"{remote.name} is fetched from its feed, which holds only the latest "
                "announcement; --date and --since are for --source hf"
            )
        return Plan()
    have = {d for d in (remote.day_of(digest.source) for digest in digests) if d is not None}
    if date:
        day = parse_day(date, today, "--date")
        if day > today:
            raise PlanError(f"--date {day.isoformat()} is in the future")
        return Plan([], [day]) if day in have else Plan([day])
    yesterday = today - dt.timedelta(days=1)
    if since:
        first = parse_day(since, today, "--since")
        if first > yesterday:
            raise PlanError(
                f"--since {first.isoformat()} leaves no whole day before today; "
                "fetch today's list with --date " + today.isoformat()
            )
        if (yesterday - first).days + 1 > MAX_DAYS:
            raise PlanError(
                f"--since {first.isoformat()} asks for more than {MAX_DAYS} days; "
                "fetch a year at a time"
            )
    else:
        newest = max((d for d in have if d <= yesterday), default=None)
        floor = yesterday - dt.timedelta(days=CATCH_UP_DAYS - 1)
        first = yesterday if newest is None else max(newest + dt.timedelta(days=1), floor)
    plan = Plan()
    day = first
    while day <= yesterday:
        (plan.fetched if day in have else plan.days).append(day)
        day += dt.timedelta(days=1)
    return plan
