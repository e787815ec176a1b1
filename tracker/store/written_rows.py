"""Where each paper row went in a base as it was written: its catalog, without a scan.

After writing a new ``library.json`` the library file used to scan it again
for ``library.catalog`` (tracker/store/catalog.py): the whole file read back
and split into lines, a third of a second of a 100,000-paper bulk import.
:func:`tracker.store.library_rows.fold` knows the rows it writes, a
thousand at a time, so it notes here their ids, offsets and lengths (and
their authors, as the scan takes them), and the catalog is made from that.
It is the scan's catalog exactly (tests/unit/test_written_rows.py compares
them); what the simple case does not cover (rows put in new places, a base
of another layout, a papers table that is not the first) makes it
unusable, and the base is scanned as before.
"""

from __future__ import annotations

import contextlib
import os
from array import array
from collections.abc import Sequence
from itertools import accumulate, repeat
from typing import Any

import orjson

from tracker.store.catalog import Catalog, row_line_id
from tracker.store.heads_file import without_abstract

_ID_BYTES = 12
_AUTHORS = b'"authors":'


class WrittenRows:
    """The paper rows of a base being written, in order (see the module's docstring)."""

    def __init__(self) -> None:
        self.at = 0
        """Bytes written so far (kept by :func:`tracker.store.library_rows.fold`)."""
        self.usable = True
        self.papers_close = -1
        """Where the papers table's closing brace was written (-1: not yet)."""
        self._ids: list[str] = []
        self._offsets = array("Q")
        self._lengths = array("I")
        self._starts = array("I", [0])
        self._blob = bytearray()
        self._pending: list[int] = []  # lengths of rows noted but not placed yet
        self.heads: list[bytes] = []
        """Each row's line without its abstract, for ``library.heads`` (see heads_file.py)."""
        self.cut = bytearray()
        """One byte per row: 1 when its abstract was cut out of its head."""

    def rows(self, lines: Sequence[bytes], rows: Sequence[Any] | None = None) -> None:
        """Paper rows' lines (``"key":{…}``) about to be written, in order.

        ``rows``: the rows as dicts when the lines were made from them (their
        authors are taken from them instead of parsing the lines).
        """
        if not self.usable:
            return
        ids: list[Any]
        dicts = rows if rows is not None and all(type(row) is dict for row in rows) else None
        if dicts is not None:
            # The lines are these rows' JSON: their ids are the rows' own (reading
            # them back out of 100,000 lines took a tenth of a bulk import's write).
            ids = [row.get("id") for row in dicts]
        else:
            ids = list(map(row_line_id, lines))
        if not all(type(pid) is str and len(pid) == _ID_BYTES and pid.isascii() for pid in ids):
            self.usable = False  # the scan makes no catalog of such a base either
            return
        self._note_heads(lines, dicts)
        lengths = list(map(len, lines))
        self._ids += ids  # (only strings, see above)
        self._lengths.extend(lengths)
        self._pending += lengths
        names: list[Any]
        if rows is not None:
            names = [row.get("authors") if isinstance(row, dict) else None for row in rows]
        else:
            names = [_authors_of(line) if _AUTHORS in line else None for line in lines]
        if not any(names):
            self._starts.extend(repeat(len(self._blob), len(lines)))
            return
        for found in names:
            if isinstance(found, list) and found:
                self._blob += orjson.dumps(found)
            self._starts.append(len(self._blob))

    def _note_heads(self, lines: Sequence[bytes], rows: Sequence[dict[str, Any]] | None) -> None:
        """Each line as ``library.heads`` keeps it: its row with the abstract made "".

        A line made from a row dict (``rows``) gets its head from the row (0.7 us,
        against 1.9 to find its abstract's end in its line); any other line is
        cut as a whole read cuts it.
        """
        heads, cut, dumps = self.heads, self.cut, orjson.dumps
        if rows is not None:
            for line, row in zip(lines, rows, strict=True):
                abstract = row.get("abstract")
                if type(abstract) is str and abstract:
                    heads.append(line[: line.index(b":{") + 1] + dumps({**row, "abstract": ""}))
                    cut.append(1)
                else:
                    heads.append(line)
                    cut.append(0)
            return
        for line in lines:
            head = without_abstract(line)
            heads.append(line if head is None else head)
            cut.append(head is not None)

    def place(self, offset: int) -> None:
        """The rows noted since the last call were just written from ``offset`` on, a
        ``,\\n`` between two."""
        pending = self._pending
        if pending:
            self._offsets.extend(accumulate([n + 2 for n in pending[:-1]], initial=offset))
            pending.clear()

    def catalog(self, fd: int, base_id: str | None, checked: bool) -> Catalog | None:
        """The catalog of the base written, open as ``fd`` (None when unusable)."""
        if not self.usable or self.papers_close < 0 or self._pending:
            return None
        after = os.pread(fd, 3, self.papers_close)
        newline = after.find(b"\n")
        if not after.startswith(b"}") or newline < 0:
            return None
        return Catalog.of_ids(
            self._ids,
            self._offsets,
            self._lengths,
            self.papers_close + newline + 1,
            base_id,
            self._starts,
            bytes(self._blob),
            checked,
        )


def _authors_of(line: bytes) -> Any:
    """A row line's ``authors``, parsed as the scan parses it (None when it cannot say)."""
    with contextlib.suppress(orjson.JSONDecodeError, ValueError):
        (parsed,) = orjson.loads(b"{" + line + b"}").values()
        return parsed.get("authors") if isinstance(parsed, dict) else None
    return None
