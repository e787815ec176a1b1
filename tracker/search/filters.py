"""Field filters (status, has, tag, is, digest) as masks over candidate positions.

``author:`` is answered by the search index's own author index (see
:meth:`tracker.search.SearchIndex._filter`), not through the facets.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import repeat

from tracker.search.hits import Facets
from tracker.search.query import FieldFilter


def filter_mask(flt: FieldFilter, positions: list[int], facets: Facets) -> Iterable[bool]:
    values = flt.values
    if flt.field == "status":
        allowed = frozenset(values)
        return map(allowed.__contains__, map(facets.status, positions))
    if flt.field == "has":
        want_note = "note" in values
        want_tag = "tag" in values
        if want_note and not want_tag:
            return map(bool, map(facets.has_note, positions))
        if want_tag and not want_note:
            return map(bool, map(facets.tags, positions))
        if not want_note:
            return repeat(False, len(positions))
        return (bool(facets.has_note(p) or facets.tags(p)) for p in positions)
    if flt.field == "tag":
        wanted = frozenset(values)
        tag_memo = _Memo(lambda tags: any(t.casefold() in wanted for t in tags))
        return map(tag_memo.__getitem__, map(tuple, map(facets.tags, positions)))
    if flt.field == "is":
        if "watched" in values:
            return map(facets.watched, positions)
        return repeat(False, len(positions))
    if flt.field == "digest":
        prefixes = tuple(values)
        digest_memo = _Memo(lambda keys: any(k.startswith(prefixes) for k in keys))
        return map(digest_memo.__getitem__, map(tuple, map(facets.digest_keys, positions)))
    return repeat(False, len(positions))


FILTER_ORDER = ("author", "status", "is", "has", "tag", "digest")
"""Cheapest first. ``author`` is a set lookup, the set made by the search index itself."""


class _Memo(dict[tuple[str, ...], bool]):
    """A predicate over tag/digest tuples, evaluated once per distinct tuple.

    Most papers share a few combinations, so at 100k papers a filter costs a dict
    lookup per paper (in C, through map) instead of a Python call.
    """

    def __init__(self, predicate: Callable[[tuple[str, ...]], bool]) -> None:
        super().__init__()
        self._predicate = predicate

    def __missing__(self, key: tuple[str, ...]) -> bool:
        value = self[key] = self._predicate(key)
        return value
