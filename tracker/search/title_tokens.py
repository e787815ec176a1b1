"""Every indexed title's word ids in one flat array (the index's title tokens)."""

from __future__ import annotations

from array import array
from collections.abc import Iterable


class TitleTokens:
    """Every indexed title's word ids, in order, in one flat array.

    One small array per paper cost 13.7 MB at 100,000 papers (an array object
    is 64 bytes before its first item); flat, it is 4 bytes a word and 8 a
    paper. A title changed by :meth:`SearchIndex.update` keeps its new ids in
    ``replaced`` instead: the flat array only ever grows at its end.
    """

    __slots__ = ("flat", "names", "replaced", "starts")

    def __init__(
        self,
        flat: array[int] | None = None,
        starts: array[int] | None = None,
        names: array[int] | None = None,
    ) -> None:
        self.flat: array[int] = array("i") if flat is None else flat
        self.starts: array[int] = array("q", [0]) if starts is None else starts
        self.names: array[int] = array("B") if names is None else names
        """Per paper: how many of its first title words are its name (see words.title_words)."""
        self.replaced: dict[int, array[int]] = {}

    def __len__(self) -> int:
        return len(self.starts) - 1

    def __getitem__(self, pos: int) -> array[int]:
        if self.replaced:
            toks = self.replaced.get(pos)
            if toks is not None:
                return toks
        starts = self.starts
        return self.flat[starts[pos] : starts[pos + 1]]

    def append(self, ids: Iterable[int], name: int) -> None:
        self.flat.extend(ids)
        self.starts.append(len(self.flat))
        self.names.append(min(name, 255))

    def replace(self, pos: int, ids: Iterable[int], name: int) -> None:
        self.replaced[pos] = array("i", ids)
        self.names[pos] = min(name, 255)

    def merged(self) -> tuple[array[int], array[int], array[int]]:
        """``flat``, ``starts`` and ``names`` with the replaced titles in their places."""
        flat: array[int] = array("i")
        starts: array[int] = array("q", [0])
        for pos in range(len(self)):
            flat.extend(self[pos])
            starts.append(len(flat))
        return flat, starts, array("B", self.names)
