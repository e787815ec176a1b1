"""Paper rows kept in a temporary file until they are written: a large import's new papers.

A 200 MB page holds some 265,000 papers; their titles and abstracts alone
are about 250 MB as Python text, and held as papers, rows and journal
operations at once an import of it peaked at 612 MB. An import that reads
such a page a piece at a time (tracker/library/page_pieces.py) puts each
new paper's row here as its JSON and lets the paper go; the new base of
library.json is then written from these rows, streamed (see
:func:`tracker.store.library_rows.fold`), and the import's memory follows
the piece being read, not the page.

The file is unnamed (``tempfile.TemporaryFile`` in the data directory: the
same disk as the library, and on Linux an ``O_TMPFILE`` that no name ever
points to), so a process killed meanwhile leaves nothing behind. Nothing in
it is the library's until the base written from it is renamed into place.
"""

from __future__ import annotations

import os
import tempfile
from array import array
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from tracker.rows import paper_row_fits

Row = dict[str, Any]
_READ = 1024 * 1024


class SpilledRows:
    """Rows by paper id, in the order first put; a row put again replaces the earlier one."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        """Where the file is (and where a large page's other scratch files may go)."""
        # Closed by close() (or with this object): no name, nothing left on disk.
        self._fh = tempfile.TemporaryFile(dir=directory, prefix=".tracker-import-")  # noqa: SIM115
        self._slot: dict[str, int] = {}
        self._ids: list[str] = []
        self._offsets = array("q")
        self._lengths = array("q")
        self._end = 0
        self._unflushed = False
        self._saved: dict[int, tuple[int, int]] | None = None
        self._saved_slots = 0
        self.unfit = 0
        """Rows put that do not fit the papers' schema (then the new base's rows are checked)."""

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, pid: object) -> bool:
        return pid in self._slot

    def slot(self, pid: str) -> int:
        """Where ``pid`` is in the order (0 for the first id put)."""
        return self._slot[pid]

    def ids(self) -> list[str]:
        return list(self._ids)

    def put(self, pid: str, row: Row) -> None:
        data = orjson.dumps(row)
        if not paper_row_fits(row):
            self.unfit += 1
        self._fh.write(data)
        self._unflushed = True
        slot = self._slot.get(pid)
        if slot is None:
            self._slot[pid] = len(self._ids)
            self._ids.append(pid)
            self._offsets.append(self._end)
            self._lengths.append(len(data))
        else:
            if self._saved is not None and slot < self._saved_slots and slot not in self._saved:
                self._saved[slot] = (self._offsets[slot], self._lengths[slot])
            self._offsets[slot] = self._end
            self._lengths[slot] = len(data)
        self._end += len(data)

    def get(self, pid: str) -> Row:
        slot = self._slot[pid]
        self._flush()
        data = os.pread(self._fh.fileno(), self._lengths[slot], self._offsets[slot])
        row: Row = orjson.loads(data)
        return row

    def lines(self) -> Iterator[tuple[str, bytes]]:
        """Each id with its row's JSON, in order (read back in large blocks)."""
        self._flush()
        fd = self._fh.fileno()
        block = b""
        block_at = 0
        for slot, pid in enumerate(self._ids):
            at, size = self._offsets[slot], self._lengths[slot]
            if not (block_at <= at and at + size <= block_at + len(block)):
                block_at = at
                block = os.pread(fd, max(size, _READ), at)
            yield pid, block[at - block_at : at - block_at + size]

    def rows(self) -> Iterator[tuple[str, Row]]:
        for pid, line in self.lines():
            yield pid, orjson.loads(line)

    # -- taking back one file's rows (a file of an import that fails) -------------
    def mark(self) -> None:
        """Remember the rows as they are: :meth:`rollback` goes back to them."""
        self._saved = {}
        self._saved_slots = len(self._ids)

    def rollback(self) -> None:
        """Back to the rows of the last :meth:`mark` (the file holds the others as garbage)."""
        assert self._saved is not None
        for pid in self._ids[self._saved_slots :]:
            del self._slot[pid]
        del self._ids[self._saved_slots :]
        del self._offsets[self._saved_slots :]
        del self._lengths[self._saved_slots :]
        for slot, (at, size) in self._saved.items():
            self._offsets[slot], self._lengths[slot] = at, size
        self._saved = {}

    def close(self) -> None:
        self._fh.close()

    def _flush(self) -> None:
        if self._unflushed:
            self._fh.flush()
            self._unflushed = False
