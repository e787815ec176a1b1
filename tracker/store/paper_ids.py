"""Papers' ids and positions read from ``library.catalog`` when asked, not all at open.

A command that imports one digest or marks one paper asks where a hundred
papers are; making a Python string of each of a 100,000-paper library's ids,
a set of them and a dict of their positions took 30 ms of every such
command, and three times that at 300,000 papers. The catalog keeps the ids
as 12 ASCII bytes each in library order and the positions sorted by id
(tracker/store/catalog.py), so one id is found by a binary search of 17
steps over those bytes.

- :class:`BaseIds`: the base's ids as the catalog lists them (never changes);
- :class:`PaperIds`: every paper's id in library order (``LazyRows``'s ids):
  the base's, then those added since (the journal's, an import's);
- :class:`PaperPositions`: each paper's position by id, a dict to its users
  (``Library._pos``), which becomes one when it is gone through whole or
  asked more than :data:`GO_WHOLE` times.
"""

from __future__ import annotations

import itertools
from array import array
from collections.abc import Iterable, Iterator, KeysView, MutableMapping, MutableSequence
from typing import Any, overload

ID_BYTES = 12
"""Paper ids are 12 hex digits (tracker.models.paper_id_for)."""

GO_WHOLE = 2000
"""Lookups after which :class:`PaperPositions` makes its dict of every position (about
10 ms of binary searches, as much as the dict costs at 100,000 papers): a command
going through many papers pays what it did before, once."""


class BaseIds:
    """The base's paper ids as ``library.catalog`` lists them: by position, and found by id.

    ``blob``: the ids, 12 ASCII bytes each, in library order; ``order``: the
    positions sorted by the ids there (the catalog lists each id once).
    """

    __slots__ = ("_blob", "_order")

    def __init__(self, blob: bytes, order: array[int]) -> None:
        self._blob = blob
        self._order = order

    def __len__(self) -> int:
        return len(self._order)

    def at(self, index: int) -> str:
        """The id at ``index`` (0 ≤ index < len)."""
        start = index * ID_BYTES
        return self._blob[start : start + ID_BYTES].decode("ascii")

    def find(self, pid: str) -> int | None:
        """The position of ``pid`` in the base, None when the base has no such paper."""
        if len(pid) != ID_BYTES or not pid.isascii():
            return None
        key = pid.encode("ascii")
        blob, order = self._blob, self._order
        lo, hi = 0, len(order)
        while lo < hi:
            mid = (lo + hi) // 2
            at = order[mid] * ID_BYTES
            if blob[at : at + ID_BYTES] < key:
                lo = mid + 1
            else:
                hi = mid
        if lo < len(order):
            at = order[lo]
            if blob[at * ID_BYTES : at * ID_BYTES + ID_BYTES] == key:
                return at
        return None

    def all(self) -> list[str]:
        """Every id, in order."""
        text = self._blob.decode("ascii")
        return [text[i : i + ID_BYTES] for i in range(0, len(text), ID_BYTES)]


class PaperIds(MutableSequence[str]):
    """Every paper's id in library order: the base's (read from the catalog when asked), then
    the ones added since. A plain list once changed otherwise (an id replaced by another)."""

    def __init__(self, base: BaseIds) -> None:
        self._base = base
        self._more: list[str] = []
        self._list: list[str] | None = None

    def _whole(self) -> list[str]:
        if self._list is None:
            self._list = [*self._base.all(), *self._more]
            self._more = []
        return self._list

    def in_base(self, pid: str) -> bool:
        """Whether ``pid`` is one of the base's papers (those the catalog lists)."""
        return self._base.find(pid) is not None

    def positions(self) -> MutableMapping[str, int]:
        """Each paper's position by id (see :class:`PaperPositions`)."""
        if self._list is not None:
            return dict(zip(self._list, itertools.count()))
        start = len(self._base)
        return PaperPositions(self._base, dict(zip(self._more, itertools.count(start))))

    def __len__(self) -> int:
        if self._list is not None:
            return len(self._list)
        return len(self._base) + len(self._more)

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if self._list is not None or isinstance(index, slice):
            return self._whole()[index]
        n = len(self._base)
        if index < 0:
            index += n + len(self._more)
        if 0 <= index < n:
            return self._base.at(index)
        if index < 0:
            raise IndexError(index)
        return self._more[index - n]

    def __setitem__(self, index: Any, value: Any) -> None:
        if self._list is None and isinstance(index, int) and self[index] == value:
            return  # a paper replaced by its new version keeps its id
        self._whole()[index] = value

    def __delitem__(self, index: int | slice) -> None:
        del self._whole()[index]

    def insert(self, index: int, value: str) -> None:
        self._whole().insert(index, value)

    def append(self, value: str) -> None:
        (self._more if self._list is None else self._list).append(value)

    def extend(self, values: Iterable[str]) -> None:
        (self._more if self._list is None else self._list).extend(values)

    def __iter__(self) -> Iterator[str]:
        return iter(self._whole())

    def __contains__(self, value: object) -> bool:
        if self._list is None and isinstance(value, str):
            return self._base.find(value) is not None or value in self._more
        return value in self._whole()

    def index(self, value: Any, start: int = 0, stop: int | None = None) -> int:
        if self._list is None and isinstance(value, str) and start == 0 and stop is None:
            found = self._base.find(value)
            if found is not None:
                return found
            return len(self._base) + self._more.index(value)
        return self._whole().index(value, start, len(self) if stop is None else stop)


class PaperPositions(MutableMapping[str, int]):
    """Each paper's position by id: the base's found in the catalog, the others in ``more``.

    It is the dict ``{id: position}`` of every paper to whoever uses it; that
    dict is made when it is gone through (iterated, its length asked) or
    after :data:`GO_WHOLE` lookups of the base, and used from then on.
    ``more`` (ids not in the base, or moved) is asked first.
    """

    def __init__(self, base: BaseIds, more: dict[str, int]) -> None:
        self._base = base
        self._more = more
        self._dict: dict[str, int] | None = None
        self._lookups = 0

    def _whole(self) -> dict[str, int]:
        if self._dict is None:
            whole = dict(zip(self._base.all(), itertools.count()))
            whole.update(self._more)
            self._dict = whole
            self._more = {}
            # From now on ``get`` is the dict's own, in C (a search's filters ask it
            # once per annotated paper).
            self.get = whole.get  # type: ignore[method-assign,assignment]
        return self._dict

    def get(self, key: str, default: Any = None) -> Any:
        if self._dict is not None:
            return self._dict.get(key, default)
        found = self._more.get(key)
        if found is not None:
            return found
        self._lookups += 1
        if self._lookups > GO_WHOLE:
            return self._whole().get(key, default)
        found = self._base.find(key) if isinstance(key, str) else None
        return default if found is None else found

    def __getitem__(self, key: str) -> int:
        found: int | None = self.get(key)
        if found is None:
            raise KeyError(key)
        return found

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def __setitem__(self, key: str, value: int) -> None:
        (self._more if self._dict is None else self._dict)[key] = value

    def __delitem__(self, key: str) -> None:
        del self._whole()[key]

    def update(self, other: Any = (), /, **kwargs: int) -> None:
        """As ``dict.update`` (in C: an import's new papers, 100,000 of them in a bulk import)."""
        (self._more if self._dict is None else self._dict).update(other, **kwargs)

    def __iter__(self) -> Iterator[str]:
        return iter(self._whole())

    def __len__(self) -> int:
        return len(self._whole())

    def keys(self) -> KeysView[str]:
        return self._whole().keys()
