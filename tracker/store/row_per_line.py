"""The row-per-line layout of the data files: writing it, and reading it back a line at a time."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from tracker.store.regular_file import open_regular

# -- one row per line ----------------------------------------------------------
#
# library.json is one JSON object, as every JSON reader expects, but
# written with each table row on a line of its own:
#
#     {
#     "papers":{
#     "1":{"id":"…","title":"…",…},
#     "2":{…}
#     },
#     "_meta":{
#     "1":{"schema":1,"kind":"library"}
#     }
#     }
#
# JSON strings cannot hold a raw newline, so every newline byte in the file is
# whitespace between tokens. Reading such a file a row at a time never holds
# the whole file and its parse tree next to the objects made from it: at
# 100,000 papers (a 143 MB file) parsing it whole peaked at 530 MB. Files in
# any other layout (older files are one line) are parsed whole, as before.


def iter_row_per_line(tables: Mapping[str, Mapping[Any, Any]]) -> Iterator[bytes]:
    """``tables`` as compact JSON with one table row per line (see above), in pieces."""
    dumps = orjson.dumps
    option = orjson.OPT_NON_STR_KEYS
    yield b"{"
    for n, (name, rows) in enumerate(tables.items()):
        yield (b",\n" if n else b"\n") + dumps(name) + b":{"
        separator = b"\n"
        for key, row in rows.items():
            yield separator + dumps({key: row}, option=option)[1:-1]
            separator = b",\n"
        yield b"\n}"
    yield b"\n}\n"


def dumps_row_per_line(tables: Mapping[str, Mapping[Any, Any]]) -> bytes:
    """:func:`iter_row_per_line` as one bytes object."""
    return b"".join(iter_row_per_line(tables))


class NotRowPerLine(Exception):
    """The file is not in the row-per-line layout (or is damaged): parse it whole."""


TABLE, ROW, END = "table", "row", "end"
"""The events of :func:`iter_row_lines`."""


def iter_row_lines(
    fh: BinaryIO, where: list[int] | None = None
) -> Iterator[tuple[str, str, bytes]]:
    """Read back the layout :func:`iter_row_per_line` writes, a line at a time.

    Yields ``(TABLE, name, b"")`` at a table's header, ``(ROW, name, line)``
    for each of its rows (one ``"key":{...}`` member, without the comma that
    separates it from the next) and ``(END, name, b"")`` at its closing brace.
    Anything else (an older single-line file, a damaged one) raises
    :class:`NotRowPerLine`; rows are not parsed here, so a damaged row is found
    by whoever parses it. The one reader of the layout for the store's whole-file
    loads and the library file's streamed load and copy.

    ``where``: its first item is set to the offset in the file of each row's
    line before the row is yielded (a row can then be read again alone).
    """
    at = fh.tell() if where is not None else 0
    # Older files are a single line: look at the first bytes only.
    first = fh.readline(4)
    if first.rstrip(b"\r\n") != b"{":
        raise NotRowPerLine
    at += len(first)
    seen: set[str] = set()
    name: str | None = None  # the table being read
    finished = False
    for raw in fh:
        line_at = at
        at += len(raw)
        line = raw.rstrip(b"\r\n")
        if finished:
            if line.strip():
                raise NotRowPerLine
        elif name is None:  # between tables: a table's header or the end
            if line == b"}":
                finished = True
            elif line.endswith(b":{") and line.startswith(b'"'):
                try:
                    found = orjson.loads(line[:-2])
                except orjson.JSONDecodeError:
                    raise NotRowPerLine from None
                if not isinstance(found, str) or found in seen:
                    raise NotRowPerLine
                seen.add(found)
                name = found
                yield TABLE, name, b""
            else:
                raise NotRowPerLine
        elif line.startswith(b"}"):  # the table's end
            if line not in (b"}", b"},"):
                raise NotRowPerLine
            yield END, name, b""
            name = None
        else:
            if where is not None:
                where[0] = line_at
            yield ROW, name, line[:-1] if line.endswith(b",") else line
    if not finished:
        raise NotRowPerLine


def _load_row_per_line(fh: BinaryIO) -> dict[str, Any]:
    loads = orjson.loads
    tables: dict[str, Any] = {}
    for event, name, line in iter_row_lines(fh):
        if event == TABLE:
            tables[name] = {}
        elif event == ROW:
            row = loads(b"{" + line + b"}")
            if len(row) != 1:
                raise NotRowPerLine
            tables[name].update(row)
    return tables


def _parse_file(path: Path) -> Any:
    """The parsed JSON of ``path``; row by row when it is laid out that way."""
    with open_regular(path) as fh:
        try:
            return _load_row_per_line(fh)
        except (NotRowPerLine, orjson.JSONDecodeError):
            pass
        fh.seek(0)
        return orjson.loads(fh.read())
