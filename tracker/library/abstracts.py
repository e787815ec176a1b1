"""The papers' abstracts as the search index holds them: read from the papers when used.

The word index keeps every paper's title and abstract by position (it
checks a few candidates' abstracts while typing, phrases, related papers).
A paper read from library.json keeps its abstract in the file
(:class:`tracker.models.StoredPaper`), so the index keeps the paper and
asks it; a text the index is given (a paper imported or changed since) is
kept as given, so that the index can still tell what it indexed before.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, MutableSequence
from typing import Any, overload

from tracker.models import Paper


class PaperAbstracts(MutableSequence[str]):
    """Abstracts by position; each item is a text or a paper whose abstract it is."""

    __slots__ = ("_items",)

    def __init__(self, items: Iterable[Paper | str] = ()) -> None:
        self._items: list[Paper | str] = list(items)

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> PaperAbstracts: ...

    def __getitem__(self, index: int | slice) -> str | PaperAbstracts:
        if isinstance(index, slice):
            return PaperAbstracts(self._items[index])  # still read when used
        item = self._items[index]
        return item if type(item) is str else item.abstract  # type: ignore[union-attr]

    def __iter__(self) -> Iterator[str]:
        for item in self._items:
            yield item if type(item) is str else item.abstract  # type: ignore[union-attr]

    def __setitem__(self, index: Any, value: Any) -> None:
        if isinstance(index, slice):
            self._items[index] = value._items if isinstance(value, PaperAbstracts) else list(value)
        else:
            self._items[index] = value

    def __delitem__(self, index: int | slice) -> None:
        del self._items[index]

    def insert(self, index: int, value: str) -> None:
        self._items.insert(index, value)
