"""Posting arrays read from the saved index file when a search first asks for them.

At 100,000 papers the saved index holds about 60 MB of postings; a command
such as ``tracker list QUERY`` uses those of a few dozen words. Loading it
for a command (tracker/search/index_file.py) therefore reads the vocabulary
and the offset table only, and :class:`LazyPostings` reads a word's postings
from the file at its offsets the first time it is indexed, checks them
against their own CRC-32 and keeps them.

It is a ``list`` so that the index's code (and its type hints) take it like
the list it stands for; every way that code reads a list goes through
``__getitem__`` or ``__iter__``, overridden here. A slot not read yet holds
:data:`_UNREAD`, which fails loudly (it has no length and no items) should
any reader bypass them.
"""

from __future__ import annotations

import os
import threading
import weakref
import zlib
from array import array
from collections.abc import Iterator
from typing import SupportsIndex, overload

__all__ = ["IndexDamaged", "LazyPostings", "PostingsFile"]


class IndexDamaged(Exception):
    """A part of the saved index read after loading does not match its checksum.

    The caller drops the loaded index and builds it from the texts
    (``WordIndex.drop_saved``): a damaged file never gives a wrong result.
    """


class _Unread:
    __slots__ = ()

    def __repr__(self) -> str:
        return "<postings not read yet>"


_UNREAD = _Unread()


class PostingsFile:
    """The index file that postings are read from, open as ``fd`` (which it owns).

    It stays open while the loaded index lives: a newer file renamed over it
    by another process does not change what this one reads. Closed when the
    index lets go of it.
    """

    def __init__(self, fd: int, base: int, count: int) -> None:
        self._fd = fd
        self._lock = threading.Lock()  # where there is no pread: seek and read are two steps
        weakref.finalize(self, os.close, fd)
        self.base = base
        """Where the postings start in the file."""
        self.count = count
        """Papers indexed: every posting is below it."""

    def read(self, start: int, end: int, crc: int) -> array[int] | None:
        """Postings ``start`` to ``end`` (in postings), checked against ``crc``."""
        if end == start:
            return None
        if end < start:
            raise IndexDamaged("offsets out of order")
        size = 4 * (end - start)
        at = self.base + 4 * start
        if hasattr(os, "pread"):
            data = os.pread(self._fd, size, at)
        else:
            with self._lock:
                os.lseek(self._fd, at, os.SEEK_SET)
                data = os.read(self._fd, size)
        if len(data) != size or zlib.crc32(data) != crc:
            raise IndexDamaged("postings do not match their checksum")
        arr = array("i")
        arr.frombytes(data)
        if arr[0] < 0 or arr[-1] >= self.count:
            raise IndexDamaged("a posting out of range")
        return arr


class LazyPostings(list):  # type: ignore[type-arg]  # list[array[int] | None]
    """Each word's postings (None: none), read from a :class:`PostingsFile` when first used."""

    def __init__(self, source: PostingsFile, offsets: array[int], crcs: array[int]) -> None:
        super().__init__([_UNREAD] * (len(offsets) - 1))
        self._source = source
        self._offsets = offsets
        self._crcs = crcs

    def _at(self, i: int) -> array[int] | None:
        item = list.__getitem__(self, i)
        if item is _UNREAD:
            if i < 0:
                i += len(self)
            item = self._source.read(self._offsets[i], self._offsets[i + 1], self._crcs[i])
            list.__setitem__(self, i, item)
        return item  # type: ignore[no-any-return]

    @overload
    def __getitem__(self, i: SupportsIndex) -> array[int] | None: ...
    @overload
    def __getitem__(self, i: slice) -> list[array[int] | None]: ...
    def __getitem__(self, i: SupportsIndex | slice) -> array[int] | list[array[int] | None] | None:
        if isinstance(i, slice):
            return [self._at(k) for k in range(*i.indices(len(self)))]
        return self._at(i.__index__())

    def __iter__(self) -> Iterator[array[int] | None]:
        for k in range(len(self)):
            yield self._at(k)

    def unread(self) -> int:
        """How many words' postings were not read (for tests and measurements)."""
        return sum(1 for item in list.__iter__(self) if item is _UNREAD)
