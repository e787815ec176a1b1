"""Downloading the planned days: every page first, so that a failed request changes nothing.

A range is downloaded completely before anything is imported: offline, or on
an HTTP error for any day, the fetch stops with :class:`FetchError` and the
library is untouched. Pages are kept in memory (a day is about 100 KB).
Nothing here touches the library; the app runs this in a worker thread.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass

from tracker import sources
from tracker.fetching.http import Http
from tracker.fetching.remotes import Remote
from tracker.sources.parsed import DigestError

__all__ = ["Page", "Progress", "fetch_pages"]

Progress = Callable[[int, int, str], None]
"""Told before each request: how many are done, how many in all, what comes next."""


@dataclass(frozen=True, slots=True)
class Page:
    """One fetched day (or arXiv announcement) as the service sent it."""

    day: dt.date
    source: str
    """The name it is imported under (see :meth:`Remote.source_name`)."""
    url: str
    data: bytes
    empty: bool
    """True when the day lists no paper (a weekend, a holiday): nothing to import."""


def fetch_pages(
    remote: Remote,
    days: list[dt.date],
    http: Http,
    *,
    today: dt.date,
    progress: Progress | None = None,
) -> list[Page]:
    """Each day's page of ``remote`` (arXiv: its latest announcement); FetchError stops it all."""
    if not remote.by_day:
        if progress:
            progress(0, 1, remote.name)
        url = remote.url()
        data = http.get(url)
        day = _feed_day(data, url) or today
        return [Page(day, remote.source_name(day), url, data, _feed_is_empty(data))]
    pages = []
    for done, day in enumerate(days):
        if progress:
            progress(done, len(days), day.isoformat())
        url = remote.url(day)
        data = http.get(url)
        pages.append(Page(day, remote.source_name(day), url, data, _json_is_empty(data)))
    return pages


def _json_is_empty(data: bytes) -> bool:
    """``[]``: Hugging Face lists nothing on that day."""
    if len(data) > 64:
        return False
    try:
        return bool(json.loads(data) == [])
    except ValueError:
        return False


def _feed_is_empty(data: bytes) -> bool:
    """A feed without items: arXiv announces nothing on weekends and holidays."""
    return b"<item" not in data and b"<entry" not in data


def _feed_day(data: bytes, url: str) -> dt.date | None:
    """The announcement day the feed gives (its ``pubDate``), when it can be read."""
    if _feed_is_empty(data):
        return None
    try:
        parsed = sources.parse_bytes(data, url, "feed")
    except DigestError:
        return None  # the import says what is wrong with it
    dates = [s.date for s in parsed.digest.sections if s.date]
    return dt.date.fromisoformat(dates[0]) if dates else None
