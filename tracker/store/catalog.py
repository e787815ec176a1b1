"""library.catalog: where each paper's row is in library.json, so one row can be read alone.

A ``tracker`` command that changes one status, appends a note or imports
one digest needs a handful of papers, not the 150 MB of a 100,000-paper
``library.json``. The catalog lists, in library order, every paper row of
the base: its id, the byte offset and the length of its line, and where the
papers table ends (the digests and the rest follow it). With it, such a
command reads the catalog (about 2.5 MB at 100,000 papers), the tail of the
base and the journal, and the few rows it needs (:mod:`tracker.store.lazy_rows`).

It is derived data, like ``search-index.cache``: it names the base it was
made from (inode, size, modification time and the base's id), is made again
by scanning the base whenever it does not match, is written to a temporary
file and renamed (no fsync: a damaged or lost one is only made again), and
deleting it costs one scan.

**Format** (little-endian)::

    header   magic b"PTCATLG4", base inode, size, mtime (ns) as uint64,
             base id (16 ASCII bytes, spaces when the base has none),
             papers (uint64), end of the papers table (uint64),
             flags (uint64: 1 when every row is known to fit the papers' schema)
    ids      12 ASCII bytes per paper (paper ids are 12 hex digits), each id once
    offsets  uint64 per paper: where its line starts in library.json
    lengths  uint32 per paper: the length of its line (without the comma and newline)
    order    uint32 per paper: the positions sorted by id, so that a command finds a
             paper by a binary search instead of making a dict of every id
             (tracker/store/paper_ids.py)
    check    uint32: a CRC-32 of the ids and the order (a damaged order would not
             find a paper the library has, and an import would add it again)
    authors  uint32 per paper + 1: where its authors start in the next part (the search
             index asks every paper's authors: most have none, and a row need not be
             read for that)
    names    the papers' ``authors`` lists as JSON, one after the other (UTF-8)
"""

from __future__ import annotations

import contextlib
import os
import struct
import zlib
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from tracker.rows import paper_row_fits
from tracker.store.derived_file import base_ident, base_signature, read_derived, replace_derived
from tracker.store.errors import StoreError
from tracker.store.paper_ids import BaseIds
from tracker.store.regular_file import open_regular

CATALOG_FILE = "library.catalog"
_MAGIC = b"PTCATLG4"  # 3: only rows that fit the schema are catalogued; 4: ids sorted
_HEADER = struct.Struct("<8sQQQ16sQQQ")
_CHECKED = 1
_ID_BYTES = 12
_READ_CHUNK = 8 << 20


@dataclass(slots=True)
class Catalog:
    """The paper rows of one base file: ids, line offsets and lengths, the end of the table."""

    id_blob: bytes
    """The ids, 12 ASCII bytes each, in library order (each id once)."""
    offsets: array[int]
    lengths: array[int]
    papers_end: int
    """Offset just after the papers table's closing line: the other tables follow."""
    base_id: str | None
    author_starts: array[int]
    author_blob: bytes
    checked: bool = False
    """Every row listed is known to fit the papers' schema: checked by a scan, or written
    by paper-tracker from rows that fit (see LibraryFile's new bases)."""
    order: array[int] | None = None
    """The positions sorted by id (see :meth:`sorted_order`)."""

    @classmethod
    def of_ids(cls, ids: Sequence[str], *args: Any, **kwargs: Any) -> Catalog | None:
        """A catalog of rows with these ids (then :class:`Catalog`'s other fields); None
        when an id is listed twice (a base of the layout paper-tracker writes has each once)."""
        if len(set(ids)) != len(ids):
            return None
        catalog = cls("".join(ids).encode("ascii"), *args, **kwargs)
        # Sorted from the ids at hand (sorted_order would cut them out of the bytes again).
        catalog.order = array("I", sorted(range(len(ids)), key=ids.__getitem__))
        return catalog

    @property
    def ids(self) -> list[str]:
        """Every id, in order, as strings (made now; see :meth:`base_ids`)."""
        text = self.id_blob.decode("ascii")
        return [text[i : i + _ID_BYTES] for i in range(0, len(text), _ID_BYTES)]

    def sorted_order(self) -> array[int]:
        """The positions sorted by id (sorted now when the catalog was not read from a file)."""
        if self.order is None:
            ids = self.ids
            self.order = array("I", sorted(range(len(ids)), key=ids.__getitem__))
        return self.order

    def base_ids(self) -> BaseIds:
        """The ids, read by position or found by id without making them all."""
        return BaseIds(self.id_blob, self.sorted_order())

    def authors(self, index: int) -> list[str]:
        """The authors of the paper in row ``index`` (read from the catalog, not the base)."""
        start, stop = self.author_starts[index], self.author_starts[index + 1]
        if start == stop:
            return []
        names = orjson.loads(self.author_blob[start:stop])
        return [str(n) for n in names] if isinstance(names, list) else []


def load_catalog(base: Path, st: os.stat_result, base_id: str | None = None) -> Catalog | None:
    """The saved catalog of ``base`` (whose stat is ``st``) if it was made from that very file."""
    data = read_derived(base.with_name(CATALOG_FILE))
    if data is None or len(data) < _HEADER.size:
        return None
    magic, ino, size, mtime, ident, count, end, flags = _HEADER.unpack_from(data)
    if magic != _MAGIC or (ino, size, mtime) != base_signature(st):
        return None
    fixed = _HEADER.size + count * (_ID_BYTES + 8 + 4 + 4) + 4 + 4 * (count + 1)
    if len(data) < fixed:
        return None
    saved_id = ident.decode("ascii", "replace").strip() or None
    if base_id is not None and saved_id != base_id:
        return None
    at = _HEADER.size
    raw_ids = data[at : at + count * _ID_BYTES]
    if not raw_ids.isascii():
        return None
    at += count * _ID_BYTES
    offsets = array("Q")
    offsets.frombytes(data[at : at + 8 * count])
    at += 8 * count
    lengths = array("I")
    lengths.frombytes(data[at : at + 4 * count])
    at += 4 * count
    order_bytes = data[at : at + 4 * count]
    at += 4 * count
    if int.from_bytes(data[at : at + 4], "little") != zlib.crc32(order_bytes, zlib.crc32(raw_ids)):
        return None
    at += 4
    order = array("I")
    order.frombytes(order_bytes)
    starts = array("I")
    starts.frombytes(data[at : at + 4 * (count + 1)])
    blob = data[at + 4 * (count + 1) :]
    if starts[-1] != len(blob):
        return None
    checked = bool(flags & _CHECKED)
    return Catalog(raw_ids, offsets, lengths, end, saved_id, starts, blob, checked, order)


def _row_id(line: bytes) -> str | None:
    """The ``id`` of a row line ``"key":{"id":"…",…}`` without parsing it (None: parse it)."""
    start = line.find(b':{"id":"')
    if start < 0:
        return None
    start += 8
    stop = line.find(b'"', start)
    if stop < 0 or b"\\" in line[start:stop]:
        return None
    return line[start:stop].decode()


def row_line_id(line: bytes) -> str | None:
    """The ``id`` of a paper's row line (parsed only when the quick look fails); None if none."""
    pid = _row_id(line)
    if pid is None:
        try:
            (row,) = orjson.loads(b"{" + line + b"}").values()
        except (orjson.JSONDecodeError, ValueError):
            return None
        found = row.get("id") if isinstance(row, dict) else None
        pid = found if isinstance(found, str) else None
    return pid


def scan_base(base: Path, fh: BinaryIO | None = None, *, check: bool = True) -> Catalog | None:
    """Read ``base`` (or ``fh``, open on it) a line at a time and note where each paper row is.

    None if it cannot be catalogued.

    Only the layout paper-tracker writes (a row per line, the papers table
    first, ids of 12 characters, each once) is catalogued; any other file is read whole
    as before. With ``check``, so is a file with a row that does not fit the
    papers' schema (:func:`tracker.rows.paper_row_problem`): every row is
    parsed and checked, once per base, so that a command reading rows
    through the catalog only ever meets rows that fit, and a whole read sets
    the others aside (tracker/store/rejected.py). Without it (a base
    paper-tracker has just written) the rows are not parsed, and the
    catalog is not marked checked.
    """
    ids: list[str] = []
    offsets = array("Q")
    lengths = array("I")
    starts = array("I", [0])
    blob = bytearray()
    end = -1
    base_id: str | None = None
    tail = b""
    unchecked: list[bytes] = []  # rows read, checked a chunk at a time
    with contextlib.ExitStack() as stack:
        if fh is None:
            fh = stack.enter_context(open_regular(base))
        fh.seek(0)
        first = fh.readline()
        second = fh.readline()
        if first.rstrip(b"\r\n") != b"{" or second.rstrip(b"\r\n") != b'"papers":{':
            return None
        offset = len(first) + len(second)
        rest = b""
        while end < 0:
            chunk = fh.read(_READ_CHUNK)
            if not chunk and not rest:
                return None
            data = rest + chunk
            start = 0
            while True:
                stop = data.find(b"\n", start)
                if stop < 0:
                    break
                line = data[start:stop]
                line_at = offset + start
                start = stop + 1
                if line.startswith(b"}"):
                    end = offset + start
                    tail = data[start:]
                    break
                row = line[:-1] if line.endswith(b",") else line
                pid = row_line_id(row)
                if pid is None or len(pid) != _ID_BYTES or not pid.isascii():
                    return None
                if check:
                    unchecked.append(row)
                    if len(unchecked) >= _CHECK_ROWS and not _fit(unchecked):
                        return None
                ids.append(pid)
                offsets.append(line_at)
                lengths.append(len(row))
                if b'"authors":' in row:
                    with contextlib.suppress(orjson.JSONDecodeError, ValueError):
                        (parsed,) = orjson.loads(b"{" + row + b"}").values()
                        names = parsed.get("authors") if isinstance(parsed, dict) else None
                        if isinstance(names, list) and names:
                            blob += orjson.dumps(names)
                starts.append(len(blob))
            offset += start
            rest = data[start:]
            if not _fit(unchecked):
                return None
            if not chunk and end < 0:
                return None
        tail += fh.read()
    marker = b'"_meta":{'
    at = tail.find(marker)
    if at >= 0:
        meta_line = tail[at + len(marker) :].lstrip(b"\r\n").split(b"\n", 1)[0]
        with contextlib.suppress(orjson.JSONDecodeError, ValueError, IndexError):
            (meta,) = orjson.loads(b"{" + meta_line.rstrip(b",") + b"}").values()
            base_id = meta.get("id") if isinstance(meta, dict) else None
    ident = base_id if isinstance(base_id, str) else None
    return Catalog.of_ids(ids, offsets, lengths, end, ident, starts, bytes(blob), check)


_CHECK_ROWS = 1000
"""Rows parsed per orjson call while a scan checks them."""


def _fit(rows: list[bytes]) -> bool:
    """Whether every row fits the papers' schema (the list is emptied)."""
    if not rows:
        return True
    try:
        parsed = orjson.loads(b"{" + b",".join(rows) + b"}")
    except orjson.JSONDecodeError:
        return False
    fits = len(parsed) == len(rows) and all(map(paper_row_fits, parsed.values()))
    rows.clear()
    return fits


def save_catalog(base: Path, st: os.stat_result, catalog: Catalog) -> None:
    """Write the catalog beside ``base`` (never an error: it is only a shortcut)."""
    flags = _CHECKED if catalog.checked else 0
    header = _HEADER.pack(
        _MAGIC,
        *base_signature(st),
        base_ident(catalog.base_id),
        len(catalog.offsets),
        catalog.papers_end,
        flags,
    )

    def write(fh: BinaryIO) -> None:
        fh.write(header)
        fh.write(catalog.id_blob)
        fh.write(catalog.offsets.tobytes())
        fh.write(catalog.lengths.tobytes())
        order = catalog.sorted_order().tobytes()
        fh.write(order)
        check = zlib.crc32(order, zlib.crc32(catalog.id_blob))
        fh.write(check.to_bytes(4, "little"))
        fh.write(catalog.author_starts.tobytes())
        fh.write(catalog.author_blob)

    replace_derived(base.with_name(CATALOG_FILE), write)


def catalog_of(
    base: Path, fd: int, *, save: bool = True, check: bool = True, known_good: bool = False
) -> Catalog | None:
    """The catalog of the base open as ``fd``: the saved one if it fits, else made now.

    ``check``: the rows must be known to fit the schema; a saved catalog that
    does not say so is made again, checking every row (once per base).
    ``known_good``: the caller wrote the base from rows that fit (the scan
    need not parse them). A catalog made now is saved when ``save`` (a
    read-only open writes nothing).
    """
    st = os.fstat(fd)
    found = load_catalog(base, st)
    if found is not None and (found.checked or not check):
        return found
    try:
        with os.fdopen(os.dup(fd), "rb") as fh:
            made = scan_base(base, fh, check=check and not known_good)
    except OSError:
        return None
    if made is not None and known_good:
        made.checked = True
    if made is not None and save:
        save_catalog(base, st, made)
    return made


def rows_at(
    fd: int, path: Path, offsets: Sequence[int], lengths: Sequence[int], start: int, stop: int
) -> list[Any]:
    """The rows ``start`` to ``stop`` of the base open as ``fd``, read in one go.

    A base row is one line ``"<id>": {…}`` (the row-per-line layout), so the
    lines between two catalog offsets parse as one JSON object. StoreError
    when the file cannot be read; orjson.JSONDecodeError when the bytes there
    are no longer rows (the file changed under the catalog). Two rows with
    one key give fewer rows than asked for: the caller checks the count.
    """
    first = offsets[start]
    size = offsets[stop - 1] + lengths[stop - 1] - first
    try:
        data = os.pread(fd, size, first)
    except OSError as err:
        raise StoreError(f"cannot read {path}: {err.strerror or err}") from err
    lines = [data[offsets[k] - first : offsets[k] - first + lengths[k]] for k in range(start, stop)]
    return list(orjson.loads(b"{" + b",".join(lines) + b"}").values())
