"""The papers of a library read a row at a time, when they are asked for.

:class:`LazyRows` is what ``library.papers`` is for a ``tracker`` command
(``Library.open(lazy=True)``): a list of papers in library order whose items
are read from ``library.json`` only when used (through the catalog, see
:mod:`tracker.store.catalog`), with the journal's changes on top. Marking one
paper, appending to its note or importing a digest into a 100,000-paper
library reads a few rows instead of 150 MB. Anything that goes through
every paper (a search without a saved index, a backup) reads them all, as
an eager open would, streamed once and kept.
"""

from __future__ import annotations

import itertools
import os
from array import array
from collections.abc import Callable, Iterable, Iterator, MutableMapping, MutableSequence, Sequence
from pathlib import Path
from typing import Any, overload

import orjson

from tracker.rows import InvalidRowError
from tracker.store.catalog import rows_at
from tracker.store.errors import CorruptFileError, StoreError, damaged
from tracker.store.paper_ids import PaperIds

Row = dict[str, Any]


_CHUNK = 1000
"""Rows parsed per orjson call when every paper is read."""
_GO_WHOLE = 2000
"""Rows read one at a time after which the rest are read in one pass (a scan of them all)."""


class LazyRows(MutableSequence[Any]):
    """Papers by position: base rows read when asked for, journal rows and changes kept.

    ``ids`` are every paper's id in order; the first ``len(offsets)`` are the
    base's rows, read through ``fd`` (the base file as it was opened: a
    compaction that replaces it meanwhile changes nothing here) by their
    offsets and lengths. ``patches`` (journal changes of base rows, merged
    in) and ``rows`` (papers the journal added) come from the journal.
    """

    def __init__(
        self,
        base: Path,
        fd: int,
        ids: MutableSequence[str],
        offsets: array[int],
        lengths: array[int],
        patches: dict[str, list[Row]],
        rows: dict[str, Row],
        make: Callable[[Row], Any],
        authors: Callable[[int], list[str]] | None = None,
        author_starts: array[int] | None = None,
    ) -> None:
        self._base = base
        self._catalog_authors = authors
        self._author_starts = author_starts
        self._single_reads = 0
        self._fd = fd
        self._ids = ids
        self._offsets = offsets
        self._lengths = lengths
        self._patches = patches
        self._rows = rows
        self._make = make
        self._made: dict[int, Any] = {}
        self._all: list[Any] | None = None  # everything read: a plain list from then on

    @property
    def ids(self) -> Sequence[str]:
        """Every paper's id, in order (reads nothing)."""
        if self._all is not None:
            return [_id_of(p) for p in self._all]
        return self._ids

    def positions(self) -> MutableMapping[str, int]:
        """Each paper's position by id (a dict to its user; see tracker/store/paper_ids.py)."""
        if self._all is None and isinstance(self._ids, PaperIds):
            return self._ids.positions()
        return dict(zip(self.ids, itertools.count()))

    def close(self) -> None:
        """Let go of the base file (rows not read yet cannot be read afterwards)."""
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def __len__(self) -> int:
        return len(self._all) if self._all is not None else len(self._ids)

    @overload
    def __getitem__(self, index: int) -> Any: ...

    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...

    def __getitem__(self, index: int | slice) -> Any:
        if self._all is not None:
            return self._all[index]
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self._ids)))]
        if index < 0:
            index += len(self._ids)
        made = self._made.get(index)
        if made is None:
            if not 0 <= index < len(self._ids):
                raise IndexError(index)
            self._single_reads += 1
            if self._single_reads > _GO_WHOLE:
                return self.read_all()[index]  # going through them all: in one pass
            pid = self._ids[index]
            row = self._rows.get(pid)
            if row is None:
                row = self._base_rows(index, index + 1)[0]
            made = self._made[index] = self._made_from(row)
        return made

    def _made_from(self, row: Row) -> Any:
        """``make(row)``; a row that is no paper is an error here, never a traceback.

        The catalog lists only rows that fit and the journal's rows are
        checked at open, so this is a last guard (a base changed in place).
        """
        try:
            return self._make(row)
        except InvalidRowError as err:
            raise CorruptFileError(
                f"{self._base}: {err}; `tracker doctor` says what to do (nothing was changed)"
            ) from None

    def all_authors(self) -> list[Any]:
        """Every paper's authors, in order, without reading the rows the catalog covers.

        Most papers have none: the list holds one shared empty tuple for them.
        """
        if self._all is not None or self._catalog_authors is None:
            return [p.authors for p in self.read_all()]
        out: list[Any] = [()] * len(self._ids)
        for index in self._catalog_has_authors():
            out[index] = self._catalog_authors(index)
        for index in range(len(self._offsets), len(self._ids)):
            out[index] = self.authors(index)
        for pid, patches in self._patches.items():
            if any("authors" in p for p in patches):
                out[self._ids.index(pid)] = self.authors(self._ids.index(pid))
        for index, made in self._made.items():
            out[index] = made.authors
        return out

    def _catalog_has_authors(self) -> list[int]:
        starts = self._author_starts
        if starts is None:
            return list(range(len(self._offsets)))
        return [i for i, (a, b) in enumerate(itertools.pairwise(starts)) if a != b]

    def authors(self, index: int) -> list[str]:
        """The authors of the paper at ``index``, reading its row only when the catalog cannot say."""
        if self._all is None and index not in self._made and self._catalog_authors is not None:
            pid = self._ids[index] if 0 <= index < len(self._ids) else ""
            patched = any("authors" in p for p in self._patches.get(pid, ()))
            if index < len(self._offsets) and pid not in self._rows and not patched:
                return self._catalog_authors(index)
        authors: list[str] = self[index].authors
        return authors

    def _base_rows(self, start: int, stop: int) -> list[Row]:
        """The base's rows ``start`` to ``stop`` (positions below ``len(offsets)``), patched."""
        try:
            parsed = rows_at(self._fd, self._base, self._offsets, self._lengths, start, stop)
        except orjson.JSONDecodeError as err:
            raise damaged(self._base, err) from err
        if len(parsed) != stop - start:
            raise StoreError(f"{self._base}: two paper rows have the same key")
        out = []
        for k, row in zip(range(start, stop), parsed, strict=True):
            pid = self._ids[k]
            if not isinstance(row, dict) or row.get("id") != pid:
                raise StoreError(f"{self._base} does not match its catalog; run the command again")
            for patch in self._patches.get(pid, ()):
                row = {**row, **patch}
                row = {key: v for key, v in row.items() if v is not None}
            out.append(row)
        return out

    def read_all(self) -> list[Any]:
        """Every paper, read now in one pass (kept: later reads cost nothing)."""
        if self._all is None:
            made = self._made
            everything: list[Any] = []
            base = len(self._offsets)
            for start in range(0, base, _CHUNK):
                stop = min(start + _CHUNK, base)
                todo = [k for k in range(start, stop) if k not in made]
                rows = iter(self._base_rows(start, stop)) if todo else iter(())
                for k in range(start, stop):
                    row = next(rows) if todo else None
                    everything.append(made[k] if k in made else self._made_from(row))  # type: ignore[arg-type]
            for k in range(base, len(self._ids)):
                everything.append(
                    made[k] if k in made else self._made_from(self._rows[self._ids[k]])
                )
            self._all = everything
            self._made = {}
        return self._all

    def __iter__(self) -> Iterator[Any]:
        return iter(self.read_all())

    def __setitem__(self, index: Any, value: Any) -> None:
        if isinstance(index, slice) or self._all is not None:
            self.read_all()[index] = value
            return
        if index < 0:
            index += len(self._ids)
        self._made[index] = value
        self._ids[index] = _id_of(value)

    def __delitem__(self, index: Any) -> None:
        del self.read_all()[index]

    def insert(self, index: int, value: Any) -> None:
        self.read_all().insert(index, value)

    def append(self, value: Any) -> None:
        if self._all is not None:
            self._all.append(value)
            return
        self._made[len(self._ids)] = value
        self._ids.append(_id_of(value))

    def extend(self, values: Iterable[Any]) -> None:
        """Append ``values`` in order, in C where it can (100,000 new papers of an import)."""
        values = list(values)
        if self._all is not None:
            self._all.extend(values)
            return
        start = len(self._ids)
        self._made.update(zip(range(start, start + len(values)), values, strict=True))
        self._ids.extend(map(_id_of, values))


def _id_of(paper: Any) -> str:
    pid: str = paper["id"] if isinstance(paper, dict) else paper.id
    return pid
