"""Per-position paper fields (status, note, tags, digests, watched) for search filters."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

from tracker.library.core import LibraryCore
from tracker.models import Annotation, Status

if TYPE_CHECKING:
    from tracker.search.watch import WatchEntry


class Facets:
    """Per-position paper fields for the search module's filters."""

    def __init__(self, library: LibraryCore) -> None:
        self._lib = library
        self.watched_ids: dict[str, WatchEntry] = {}
        self._statuses: list[str] | None = None
        self._noted: set[int] | None = None
        self._tags: list[Sequence[str]] | None = None
        self._watched: set[int] | None = None
        self._annotated: list[tuple[int, str, bool, Sequence[str]]] | None = None

    @property
    def status(self) -> Callable[[int], str]:
        """Each position's status, as a lookup in a list made for this search.

        A status filter asks for every paper's status: a list's own
        ``__getitem__`` runs in C through ``map`` (2 ms at 100,000 papers,
        a method call per paper took 60 ms). Only annotated papers differ
        from ``new``, so the list costs O(annotations) beyond its allocation.
        """
        if self._statuses is None:
            statuses = [Status.NEW.value] * len(self._lib.papers)
            for pos, ann in self._by_position():
                statuses[pos] = ann.status.value
            self._statuses = statuses
        return self._statuses.__getitem__

    def _by_position(self) -> Iterator[tuple[int, Annotation]]:
        """Each annotated paper's position and annotation (O(annotations))."""
        position = self._lib._pos.get
        for pid, ann in self._lib.annotations.items():
            pos = position(pid)
            if pos is not None:
                yield pos, ann

    @property
    def has_note(self) -> Callable[[int], bool]:
        """Whether a position has a note: a set lookup, in C through ``map``."""
        if self._noted is None:
            self._noted = {pos for pos, ann in self._by_position() if ann.note.strip()}
        return self._noted.__contains__

    @property
    def tags(self) -> Callable[[int], Sequence[str]]:
        """Each position's tags, from a list made for this search (see ``status``)."""
        if self._tags is None:
            tags: list[Sequence[str]] = [()] * len(self._lib.papers)
            for pos, ann in self._by_position():
                tags[pos] = ann.tags
            self._tags = tags
        return self._tags.__getitem__

    def annotated(self) -> list[tuple[int, str, bool, Sequence[str]]]:
        """(position, status, has a note, tags) of each annotated paper (O(annotations)).

        Kept between searches until an annotation or the papers change
        (``LibraryCore.facet_rows``): at 10,000 annotations making them was
        most of a filtered keystroke's search.

        Status, note and tag filters read these instead of asking every
        candidate (tracker/search/filters.py ``filter_bits``).
        """
        if self._annotated is None:
            lib = self._lib
            sources = (lib.annotations, lib._pos)
            counts = (lib.annotations.version, len(lib.papers))
            rows = lib.facet_rows.get("annotated", sources, counts)
            if rows is None:
                rows = [
                    (pos, ann.status.value, bool(ann.note.strip()), ann.tags)
                    for pos, ann in self._by_position()
                ]
                lib.facet_rows.put("annotated", sources, counts, rows)
            self._annotated = rows
        return self._annotated

    def noted(self) -> list[tuple[int, str]]:
        """(position, note) of each paper with a note (O(annotations)): ``note:`` reads these."""
        return [(pos, ann.note) for pos, ann in self._by_position() if ann.note.strip()]

    def digest_keys(self, pos: int) -> Sequence[str]:
        return self._lib.keys_of_digests(tuple(self._lib.papers[pos].digests))

    @property
    def watched(self) -> Callable[[int], bool]:
        if self._watched is None:
            position = self._lib._pos
            self._watched = {position[pid] for pid in self.watched_ids if pid in position}
        return self._watched.__contains__
