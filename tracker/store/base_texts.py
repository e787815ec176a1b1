"""The abstracts of library.json's papers, read from the file when they are used.

The app keeps every paper in memory but their abstracts (about 130 MB at
100,000 papers) in the file: a :class:`tracker.models.StoredPaper` asks
:class:`BaseTexts` for its abstract by its row's place, noted while the base
was read (its offset and length in the file). The file is read through the
descriptor it was opened with, so a compaction that renames a new base into
place meanwhile changes nothing here (paper-tracker never writes a base in
place); the descriptor is closed once no paper refers to these texts.

Reading one row costs a few microseconds. Going through the rows in order
(the word index's first build, its check of a saved index) reads
:data:`READ_AHEAD` rows at a time; the last :data:`RECENT` abstracts read
are kept (a search checks the same candidates on the next keystroke).
"""

from __future__ import annotations

import contextlib
import os
import weakref
from array import array
from pathlib import Path

import orjson

from tracker.store.catalog import rows_at
from tracker.store.errors import CorruptFileError, StoreError

READ_AHEAD = 256
"""Rows read at once when the rows are read in order."""
RECENT = 2048
"""Abstracts kept after they were read (about 2.5 MB of typical ones)."""
_IN_ORDER = 3
"""Rows asked for one after the other from which the next are read ahead."""


class BaseTexts:
    """The abstracts of one base file's paper rows, by row: ``abstract_at(row, paper_id)``.

    ``offsets`` and ``lengths`` (one per row of the papers table, in order)
    are filled by whoever reads the base (tracker/store/library_base.py).
    """

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self.offsets = array("Q")
        self.lengths = array("I")
        self._fd = fd
        self.checked = False
        """Every paper row is known to fit the schema (its catalog says so): the rows'
        abstracts need not be parsed as the base is read (tracker/store/library_base.py)."""
        self._recent: dict[int, tuple[str, str]] = {}  # row -> (paper id, abstract)
        self._last = -2  # the row asked for last
        self._run = 0  # rows asked for in order, one after the other, until that one
        self._closer = weakref.finalize(self, os.close, fd)

    def close(self) -> None:
        """Let go of the file now (papers that still refer to it can no longer read it)."""
        self._closer()

    def abstract_at(self, at: int, paper_id: str) -> str:
        """The abstract in row ``at``, which must be paper ``paper_id``'s (else CorruptFileError)."""
        recent = self._recent
        found = recent.get(at)
        if found is None:
            # Read ahead only once rows come in order (a build, a check of every
            # paper); a search's candidates come one here, one there.
            self._run = self._run + 1 if at == self._last + 1 else 0
            ahead = self._run >= _IN_ORDER
            rows = self._read(at, min(at + READ_AHEAD, len(self.offsets)) if ahead else at + 1)
            found = rows[0]
            if ahead:
                for k in range(1, len(rows)):
                    recent[at + k] = rows[k]
            recent[at] = found
            while len(recent) > RECENT:
                with contextlib.suppress(StopIteration, RuntimeError, KeyError):
                    del recent[next(iter(recent))]  # (another thread may be at it too)
        self._last = at
        if found[0] != paper_id:
            raise self._moved(paper_id)
        return found[1]

    def _read(self, start: int, stop: int) -> list[tuple[str, str]]:
        """(paper id, abstract) of rows ``start`` to ``stop``, read in one go."""
        if not self._closer.alive:
            raise StoreError(f"{self.path} was closed; open the library again")
        try:
            rows = rows_at(self._fd, self.path, self.offsets, self.lengths, start, stop)
        except orjson.JSONDecodeError:
            rows = []
        if len(rows) != stop - start:
            if stop - start > 1:
                return self._read(start, start + 1)  # two rows with one key: this one alone
            raise self._moved("")
        out = []
        for row in rows:
            pid = row.get("id") if isinstance(row, dict) else None
            abstract = row.get("abstract") if isinstance(row, dict) else None
            out.append((pid if isinstance(pid, str) else "", abstract or ""))
        if not all(type(text) is str for _, text in out):
            raise self._moved("")
        return out

    def _moved(self, paper_id: str) -> CorruptFileError:
        what = f"the abstract of paper {paper_id}" if paper_id else "an abstract"
        return CorruptFileError(
            f"{self.path} was changed by another program while paper-tracker had it open "
            f"({what} is no longer where it was); close paper-tracker and open it again "
            "(nothing was changed)"
        )
