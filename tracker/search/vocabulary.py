"""The vocabulary's lookup tables: words by prefix and typo buckets, in memory or read when asked.

A search expands a typed word against the vocabulary through two tables of
word ids (see tracker/search/terms.py): the words that start with each
prefix of one to three letters, and the typo candidates by (length, first
letter) and (length, last letter). Both hold ids in ascending order (the
order words were added in), and both are derived from the words alone, so
the saved index (tracker/search/index_file.py) stores them as they are and a
command reads only the groups its query asks for, instead of making all of
them again from 57,000 words (about 0.1 s at 100,000 papers).
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from typing import Generic, TypeVar

__all__ = ["BucketKey", "Groups", "bucket_keys", "group_table", "prefix_keys"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
D = TypeVar("D")

BucketKey = tuple[int, str, bool]
"""(length, letter, True for the first letter / False for the last)."""


def prefix_keys(word: str) -> Iterator[str]:
    """The prefixes a word is found by: its first one, two and three letters."""
    for k in (1, 2, 3):
        if len(word) >= k:
            yield word[:k]


def bucket_keys(word: str) -> tuple[BucketKey, ...]:
    """The typo buckets of a word: one typo leaves the first or the last letter alone."""
    if len(word) >= 3 and word.isalpha():
        return ((len(word), word[0], True), (len(word), word[-1], False))
    return ()


def group_table(
    words: Sequence[str], keys_of: Callable[[str], Iterable[K]]
) -> tuple[list[K], array[int], array[int]]:
    """Every group of ``words`` by ``keys_of``: its keys (in first-seen order), offsets, ids.

    Group ``g`` holds the ids ``ids[offsets[g] : offsets[g + 1]]``, ascending.
    """
    groups: dict[K, list[int]] = {}
    for wid, word in enumerate(words):
        for key in keys_of(word):
            found = groups.get(key)
            if found is None:
                groups[key] = [wid]
            else:
                found.append(wid)
    offsets = array("q", [0])
    ids = array("i")
    for members in groups.values():
        ids.extend(members)
        offsets.append(len(ids))
    return list(groups), offsets, ids


class Groups(Generic[K, V]):
    """A table of groups of word ids by key, each made into a value when first asked for.

    In memory (the app, a fresh index) every group is a value already; loaded
    from a saved index for a command, a group is made from the stored ids of
    its key the first time a search asks for it. The methods are the ones of a
    ``dict`` that the index uses: a word added later joins its groups by
    ``setdefault`` / ``get`` then ``[key] =``, after the stored ones were made.
    """

    __slots__ = ("_ids", "_made", "_make", "_offsets", "_slots")

    def __init__(
        self,
        stored: tuple[dict[K, int], array[int], array[int]] | None = None,
        make: Callable[[list[int]], V] | None = None,
    ) -> None:
        self._made: dict[K, V] = {}
        if stored is None:
            stored = ({}, array("q", [0]), array("i"))
        self._slots, self._offsets, self._ids = stored
        self._make = make

    def _stored(self, key: K) -> V | None:
        slot = self._slots.get(key)
        if slot is None or self._make is None:
            return None
        value = self._make(self._ids[self._offsets[slot] : self._offsets[slot + 1]].tolist())
        self._made[key] = value
        return value

    def get(self, key: K, default: D = None) -> V | D:  # type: ignore[assignment]
        found = self._made.get(key)
        if found is None:
            found = self._stored(key)
        return default if found is None else found

    def __getitem__(self, key: K) -> V:
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return found

    def __contains__(self, key: object) -> bool:
        return key in self._made or key in self._slots

    def group_keys(self) -> list[K]:
        """Every group's key (those made and those still stored)."""
        return [*self._made, *(k for k in self._slots if k not in self._made)]

    def setdefault(self, key: K, default: V) -> V:
        found = self.get(key)
        if found is None:
            self._made[key] = found = default
        return found

    def __setitem__(self, key: K, value: V) -> None:
        self._made[key] = value

    def make_all(self) -> None:
        """Make every stored group now (an index that searches often: no look-ups later)."""
        for key in self._slots:
            if key not in self._made:
                self._stored(key)
        self._slots = {}
