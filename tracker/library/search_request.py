"""What the app asks the library for when its list changes: one request, one result.

The app's list shows what the filter box holds, narrowed by the view around
it: the digest chosen in the sidebar, a status view (``1``-``5``), read and
skipped papers hidden (``H``). The app hands all of that over as one
:class:`SearchRequest`; the library parses the text, adds the view's filters
and searches (:meth:`tracker.library.searching.Searching.search`). The app
never parses a query or composes a filter itself.

The app imports nothing of :mod:`tracker.search` (tests/unit/test_layers.py):
the types it meets (hits, watch entries and their error) come from here.
This module imports the search engine, so the short CLI commands, which
must start fast, never import it.
"""

from __future__ import annotations

from dataclasses import dataclass

from tracker.models import Status
from tracker.search import HitList
from tracker.search.watch import WatchEntry, WatchError

__all__ = [
    "NO_HITS",
    "HitList",
    "SearchRequest",
    "SearchResult",
    "WatchEntry",
    "WatchError",
]


@dataclass(frozen=True, slots=True)
class SearchRequest:
    """The filter box's text and the view it is typed in."""

    text: str = ""
    """The query as typed, in the query language (README, "Queries")."""
    digest: str | None = None
    """Only this digest's papers (a digest id); None: every paper."""
    statuses: tuple[Status, ...] = ()
    """Only papers with one of these statuses; empty: any status."""
    hidden: tuple[Status, ...] = ()
    """Never papers with these statuses (hiding read and skipped ones)."""


@dataclass(frozen=True, slots=True)
class SearchResult:
    """The hits of a request, best first, and what the text had that was not understood."""

    request: SearchRequest
    hits: HitList
    problems: tuple[str, ...] = ()
    """One sentence per filter the text got wrong (``unknown field 'stauts:'…``)."""
    uses_watch_list: bool = False
    """True when the result depends on the watch list (``is:watched``): search again
    when the watch matches change."""
    partial: bool = False
    """True when abstracts were still being indexed (the app's first start on a
    library without a saved index): more papers may match; search again when
    :meth:`Library.build_index` is done."""
    order_serial: int = 0
    """The library's ``order_serial`` when the search started: the hits are positions,
    which name other papers once it has changed (papers removed meanwhile)."""


NO_HITS = HitList([])
"""An empty result list (what the list shows while nothing is searched)."""
