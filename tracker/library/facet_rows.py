"""Rows made from the annotations for search filters, kept between searches.

See :mod:`tracker.library.annotation_map` for why. A row list is valid while
the annotation map is the same object at the same ``version`` and the
papers' positions are the same mapping over as many papers (papers are only
appended in place; removing any makes a new position mapping).
"""

from __future__ import annotations

from typing import Any


class FacetRows:
    """One kept list of rows per name, with what it was made from."""

    def __init__(self) -> None:
        # name -> (the objects the rows were made from, kept alive so that their
        # ids stay theirs; the stamp; the rows)
        self._kept: dict[str, tuple[tuple[object, ...], tuple[int, ...], Any]] = {}

    def get(self, name: str, sources: tuple[object, ...], counts: tuple[int, ...]) -> Any | None:
        """The rows kept under ``name`` if made from the same ``sources`` at the same ``counts``."""
        kept = self._kept.get(name)
        if kept is None:
            return None
        was, was_counts, rows = kept
        if was_counts != counts or len(was) != len(sources):
            return None
        if any(a is not b for a, b in zip(was, sources, strict=True)):
            return None
        return rows

    def put(
        self, name: str, sources: tuple[object, ...], counts: tuple[int, ...], rows: Any
    ) -> None:
        """Keep ``rows``; ``counts`` must be read before the rows were made (a write meanwhile
        then leaves a stamp that no longer matches, never rows newer than their stamp says)."""
        self._kept[name] = (sources, counts, rows)
