"""Field filters (status, has, tag, is, digest, note) as masks over candidate positions.

``author:`` is answered by the search index's own author index (see
:meth:`tracker.search.SearchIndex._filter`), not through the facets.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from itertools import repeat

from tracker.search.bits import of_positions
from tracker.search.hits import Facets
from tracker.search.note_words import note_matches
from tracker.search.query import FieldFilter

Annotated = Callable[[], Sequence[tuple[int, str, bool, Sequence[str]]]]
"""``Facets.annotated`` where a facets object has it: (position, status, has a note,
tags) of every annotated paper; every other paper is new, with no note and no tags."""

Noted = Callable[[], Sequence[tuple[int, str]]]
"""``Facets.noted`` where a facets object has it: (position, note) of every paper with a note."""

BY_ANNOTATIONS = ("status", "has", "tag", "note")
"""The filters :func:`filter_bits` answers from the annotated papers alone."""


def filter_bits(flt: FieldFilter, facets: Facets, size: int) -> int | None:
    """The papers ``flt`` keeps (ignoring ``negated``) as a bitmap, or None: ask per paper.

    A status, note (``has:note``, ``note:``) or tag filter only has to look at the annotated papers,
    when the facets can list them (``annotated``; the library's can): at
    100,000 papers, asking each candidate's status took 10-40 ms of a
    keystroke's search, against well under one for a thousand annotations.
    """
    if flt.field == "note":
        noted: Noted | None = getattr(facets, "noted", None)
        notes = noted() if noted is not None else ()  # facets without notes: no paper has one
        return of_positions([p for p, note in notes if note_matches(note, flt.values)], size)
    annotated: Annotated | None = getattr(facets, "annotated", None)
    if annotated is None or flt.field not in BY_ANNOTATIONS:
        return None
    rows = annotated()
    values = flt.values
    if flt.field == "status":
        allowed = frozenset(values)
        kept = of_positions([p for p, status, _, _ in rows if status in allowed], size)
        if "new" in allowed:  # and so is every paper nobody annotated
            kept |= ((1 << size) - 1) & ~of_positions([row[0] for row in rows], size)
        return kept
    if flt.field == "has":
        want_note = "note" in values
        want_tag = "tag" in values
        return of_positions(
            [p for p, _, note, tags in rows if (want_note and note) or (want_tag and tags)], size
        )
    wanted = frozenset(values)
    return of_positions(
        [p for p, _, _, tags in rows if any(t.casefold() in wanted for t in tags)], size
    )


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


FILTER_ORDER = ("author", "status", "is", "has", "tag", "note", "digest")
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
