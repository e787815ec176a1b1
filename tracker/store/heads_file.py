"""library.heads: every paper row of the base without its abstract, so that the app opens
the library without reading ``library.json`` whole.

The app keeps every paper's id, title, digests and other short fields in
memory and reads an abstract from ``library.json`` when it is used
(tracker/store/base_texts.py). To get them, an open read the whole base
(150 MB at 100,000 papers) and cut each row's abstract out before parsing
it: 0.8 s of a 1.8 s start on the 2-core machine (2026-12-04). This file
keeps those cut rows (about a tenth of the base): the next open parses them
and reads only the tables after the papers from the base (0.35 s).

It is derived data, as ``library.catalog`` is, and is used only together
with a catalog that fits the same base and says its rows were checked (the
catalog gives the rows' places, from which the abstracts are read). It
names the base it was made from (inode, size, modification time, the
base's id), carries a CRC-32 of its content, and is written with each new
base (from the rows as they are written, tracker/store/written_rows.py) and
made again, from the rows a whole read cuts anyway, whenever it does not
fit: written to a temporary file and renamed (no fsync: a lost or damaged
one is only made again), never by a read-only open. Deleting it costs the
next open a whole read.

**Format** (little-endian)::

    header  magic b"PTHEADS1", base inode, size, mtime (ns) as uint64,
            base id (16 ASCII bytes, spaces when the base has none),
            rows (uint64), CRC-32 of what follows (uint32)
    cut     one byte per row: 1 when its abstract was cut out (the row's
            abstract is text that fits, read from the base when used), 0
            when the row is as the base has it
    rows    the rows' lines (``"key":{…}``, as in the base), newline-separated
            (a line of JSON holds no raw newline)
"""

from __future__ import annotations

import os
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from tracker.rows import MAX_ABSTRACT_CHARS
from tracker.store.derived_file import base_ident, base_signature, read_derived, replace_derived

HEADS_FILE = "library.heads"
_MAGIC = b"PTHEADS1"
_HEADER = struct.Struct("<8sQQQ16sQI")
_PIECE = 4096  # rows joined and written at a time
_ABSTRACT_KEY = b'"abstract":"'


@dataclass(slots=True)
class Heads:
    """The paper rows of one base, in its order, each without its abstract where ``cut``."""

    lines: list[bytes]
    cut: bytes
    """One byte per row: 1 when the row's abstract was cut out."""


def without_abstract(line: bytes) -> bytes | None:
    """A paper row's line with its abstract made ``""``; None when it is empty, very long
    or not followed by another key (then the line is parsed as it is).

    Inside a JSON string every quote is escaped, so the string's closing quote is
    the first quote followed by ``,"`` that no odd run of backslashes escapes.
    Only the row's own key is cut: one found after a second ``{`` may be a key of
    an object another field holds (a later version's), and cutting from there
    took that object's end and the fields after it along (the line is then
    parsed whole).
    """
    start = line.find(_ABSTRACT_KEY)
    if start < 0 or line.count(b"{", 0, start) != 1:
        return None
    opening = start + len(_ABSTRACT_KEY) - 1
    end = opening
    while True:
        end = line.find(b'","', end + 1)
        if end < 0:
            return None
        slashes = end
        while line[slashes - 1] == 0x5C:  # backslash
            slashes -= 1
        if (end - slashes) % 2 == 0:
            break
    # As many characters as bytes at most (UTF-8 and escapes take one or more each).
    if end == opening + 1 or end - opening - 1 > MAX_ABSTRACT_CHARS:
        return None
    return line[: opening + 1] + line[end:]


def load_heads(base: Path, st: os.stat_result, base_id: str | None, rows: int) -> Heads | None:
    """The saved heads of ``base`` (stat ``st``, id ``base_id``, ``rows`` paper rows), if
    they were made from that very file and are whole; else None."""
    data = read_derived(base.with_name(HEADS_FILE))
    if data is None or len(data) < _HEADER.size:
        return None
    magic, ino, size, mtime, ident, count, check = _HEADER.unpack_from(data)
    if (
        magic != _MAGIC
        or (ino, size, mtime) != base_signature(st)
        or ident != base_ident(base_id)
        or count != rows
        or len(data) < _HEADER.size + count
    ):
        return None
    body = memoryview(data)[_HEADER.size :]
    if zlib.crc32(body) != check:
        return None
    cut = bytes(body[:count])
    lines = bytes(body[count:]).split(b"\n") if count else []
    if len(lines) != count:
        return None
    return Heads(lines, cut)


def save_heads(
    base: Path, st: os.stat_result, base_id: str | None, lines: list[bytes], cut: bytes
) -> None:
    """Write the heads beside ``base`` (never an error: they are only a shortcut)."""

    def write(fh: BinaryIO) -> None:
        fh.write(bytes(_HEADER.size))  # written last, with the CRC of what follows
        fh.write(cut)
        check = zlib.crc32(cut)
        # In pieces: the rows joined whole were another 15 MB at 100,000 papers,
        # at the start of the app, whose peak memory is a target.
        for start in range(0, len(lines), _PIECE):
            piece = b"\n".join(lines[start : start + _PIECE])
            if start:
                piece = b"\n" + piece
            check = zlib.crc32(piece, check)
            fh.write(piece)
        fh.seek(0)
        fh.write(_HEADER.pack(_MAGIC, *base_signature(st), base_ident(base_id), len(lines), check))

    replace_derived(base.with_name(HEADS_FILE), write)
