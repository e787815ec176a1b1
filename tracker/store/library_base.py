"""Reading library.json, the base: streamed a row at a time, or parsed whole.

A row-per-line base is streamed (papers made a chunk at a time, rows that
do not fit the papers' schema set aside); another layout is parsed whole.
:mod:`tracker.store.library_file` applies the journal on top.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from tracker.rows import InvalidRowError
from tracker.store.base_texts import BaseTexts
from tracker.store.errors import damaged
from tracker.store.heads_file import Heads, without_abstract
from tracker.store.library_rows import (
    DIGESTS,
    KIND,
    PAPERS,
    UNDO,
    Loaded,
    MakePaper,
    Row,
)
from tracker.store.rejected import RejectedRows
from tracker.store.row_per_line import (
    ROW,
    TABLE,
    NotRowPerLine,
    iter_row_lines,
)
from tracker.store.tables import (
    Tables,
    check_tables,
    load_tables,
)

CHUNK_ROWS = 1000
"""Rows parsed per orjson call while reading (one call per row costs a third more)."""

MakeStored = Callable[[Row, BaseTexts, int, bool], Any]
"""Makes the paper of row N of the papers table, whose abstract it reads from the texts
when used (tracker.models.StoredPaper.from_row); InvalidRowError as ``make_paper``.
The flag: the row was parsed without its abstract, which is text that fits (see
:func:`_parsed_without_abstracts`)."""


@dataclass(slots=True)
class CutRows:
    """The paper rows of a base as a whole read parsed them (abstracts cut out), kept for
    ``library.heads`` (tracker/store/heads_file.py)."""

    lines: list[bytes] = field(default_factory=list)
    cut: bytearray = field(default_factory=bytearray)
    whole: bool = True
    """False once a row was not made from its line as kept (two rows of one key in a
    chunk, a row set aside): the heads would not give the same papers."""


def _parsed_without_abstracts(
    lines: list[bytes], kept: CutRows | None = None
) -> tuple[dict[str, Any], list[bool]]:
    """Paper rows parsed with each abstract left out (``""``), and which were.

    Only for a base whose rows are known to fit the schema (its catalog says
    they were checked, see tracker/store/catalog.py): every abstract is text
    of at most MAX_ABSTRACT_CHARS, so it need not be parsed to be checked,
    and it is read from the file when used. Parsing 130 MB of abstracts only
    to drop them was a third of opening a 100,000-paper library. A row whose
    abstract cannot be cut out cheaply is parsed whole.

    ``kept``: the lines as parsed are added to it.
    """
    cut = list(map(without_abstract, lines))
    flags = [c is not None for c in cut]
    parts = [c if c is not None else w for c, w in zip(cut, lines, strict=True)]
    try:
        parsed = orjson.loads(b"{" + b",".join(parts) + b"}")
    except orjson.JSONDecodeError:
        if kept is not None:
            kept.whole = False
        return orjson.loads(b"{" + b",".join(lines) + b"}"), [False] * len(lines)
    if kept is not None:
        kept.lines += parts
        kept.cut += bytes(flags)
    return parsed, flags


def _whole(parsed: dict[str, Any], lines: list[bytes], cut: list[bool] | None) -> dict[str, Any]:
    """The rows with their abstracts: ``parsed`` itself, or parsed again if some were left out."""
    if cut is None or not any(cut):
        return parsed
    result: dict[str, Any] = orjson.loads(b"{" + b",".join(lines) + b"}")
    return result


def parse_whole(path: Path, data: bytes) -> Tables:
    try:
        return check_tables(path, KIND, orjson.loads(data))
    except orjson.JSONDecodeError as err:
        raise damaged(path, err) from err


def from_tables(tables: Tables, make_paper: MakePaper) -> Loaded:
    """The papers of parsed tables (``make_paper`` returns None for a row set aside)."""
    made = (make_paper(row) for row in tables.get(PAPERS, {}).values())
    papers = [paper for paper in made if paper is not None]
    return Loaded(papers, list(tables.get(DIGESTS, {}).values()), dict(tables.get(UNDO, {})))


def stream(
    fh: BinaryIO,
    path: Path,
    make_paper: MakePaper,
    rejected: RejectedRows,
    *,
    first_line: int | None = 2,
    stored: tuple[MakeStored, BaseTexts] | None = None,
    kept: CutRows | None = None,
) -> tuple[Loaded, Tables]:
    """Read a row-per-line base, papers handed to ``make_paper`` a chunk at a time.

    A paper row ``make_paper`` refuses (InvalidRowError) is set aside in
    ``rejected`` with its line (``first_line``: the number of the file's
    second line, None when ``fh`` does not start at the file's start) and
    its bytes; the other rows of its chunk load.

    ``kept``: the paper rows with their abstracts cut out, as parsed, are
    added to it (only when the texts are known to be checked).

    ``stored``: papers are made by that function instead, with the place of
    each paper row noted in those texts, so that a paper's abstract is read
    from the file when used instead of kept (a chunk with two rows of one
    key, or with a row set aside, is made by ``make_paper``).
    """
    loads = orjson.loads
    tables: Tables = {}
    papers: list[Any] = []
    name: str | None = None  # the table being read
    chunk: list[bytes] = []
    undo: dict[str, Row | bytes] = {}
    lineno = (first_line or 2) - 1  # the line of the last event read
    chunk_start = lineno  # the line of the chunk's first row
    where = [0]  # the offset of the row line read last
    texts = stored[1] if stored is not None else None

    def drain() -> None:
        if not chunk:
            return
        if name == UNDO:
            # Kept as JSON until an undo needs one: an import's record lists
            # every paper it added (100,000 ids are ~7 MB as objects).
            for line in chunk:
                end = line.find(b'":{')
                token = loads(line[: end + 1]) if line.startswith(b'"') and end > 0 else None
                if not isinstance(token, str):
                    raise NotRowPerLine
                undo[token] = line[end + 2 :]
            chunk.clear()
            return
        cut: list[bool] | None = None
        if name == PAPERS and texts is not None and texts.checked:
            parsed, cut = _parsed_without_abstracts(chunk, kept)
        else:
            parsed = loads(b"{" + b",".join(chunk) + b"}")
        if name == PAPERS:
            try:
                if kept is not None and (stored is None or len(parsed) != len(chunk)):
                    kept.whole = False
                if stored is not None and len(parsed) == len(chunk):
                    make, source = stored
                    first = len(source.offsets) - len(chunk)
                    rows = parsed.values()
                    if cut is None:
                        made = [make(row, source, first + k, False) for k, row in enumerate(rows)]
                    else:
                        made = [
                            make(r, source, first + k, c)
                            for k, (r, c) in enumerate(zip(rows, cut, strict=True))
                        ]
                else:
                    made = list(map(make_paper, _whole(parsed, chunk, cut).values()))
            except InvalidRowError:
                if kept is not None:
                    kept.whole = False
                made = one_by_one(
                    make_paper,
                    chunk,
                    _whole(parsed, chunk, cut),
                    chunk_start,
                    first_line,
                    path,
                    rejected,
                )
            papers.extend(made)
            chunk.clear()
        else:
            chunk.clear()
            assert name is not None
            tables[name].update(parsed)

    for event, table, line in iter_row_lines(fh, where):
        lineno += 1
        if event == TABLE:
            tables[table] = {}
            name = table
        elif event == ROW:
            if not chunk:
                chunk_start = lineno
            chunk.append(line)
            if texts is not None and name == PAPERS:
                texts.offsets.append(where[0])
                texts.lengths.append(len(line))
            if len(chunk) >= CHUNK_ROWS:
                drain()
        else:
            drain()
            name = None
    check_tables(path, KIND, tables)
    tables.pop(UNDO, None)
    return Loaded(papers, list(tables.pop(DIGESTS, {}).values()), undo), tables


def papers_from_heads(heads: Heads, make: MakeStored, texts: BaseTexts) -> list[Any] | None:
    """The papers of a base's rows as ``library.heads`` keeps them, made as :func:`stream`
    makes them from the base (row N's abstract read from ``texts`` when used).

    None when a row is not what the base's read would have made as it is (two
    rows of one key in a chunk, a row that does not fit): the caller reads the
    base, which sets such rows aside and says so.
    """
    lines, cut = heads.lines, heads.cut
    papers: list[Any] = []
    loads = orjson.loads
    try:
        for start in range(0, len(lines), CHUNK_ROWS):
            chunk = lines[start : start + CHUNK_ROWS]
            parsed = loads(b"{" + b",".join(chunk) + b"}")
            if len(parsed) != len(chunk):
                return None
            flags = cut[start : start + CHUNK_ROWS]
            papers += [
                make(row, texts, start + k, flag == 1)
                for k, (row, flag) in enumerate(zip(parsed.values(), flags, strict=True))
            ]
    except (orjson.JSONDecodeError, InvalidRowError):
        return None
    return papers


def one_by_one(
    make_paper: MakePaper,
    lines: list[bytes],
    parsed: dict[str, Any],
    start_line: int,
    first_line: int | None,
    path: Path,
    rejected: RejectedRows,
) -> list[Any]:
    """A chunk of paper rows made one at a time: the rows that are no paper set aside."""
    out = []
    rows = list(parsed.values())
    exact = len(rows) == len(lines)  # (two rows with one key: their bytes are not told apart)
    for i, row in enumerate(rows):
        try:
            out.append(make_paper(row))
        except InvalidRowError as err:
            number = start_line + i
            place = f"line {number}" if first_line is not None and exact else "papers table"
            rejected.add(path, place, PAPERS, str(err), lines[i] if exact else row)
    return out


def read_library_tables(path: Path) -> Tables | None:
    """library.json parsed whole and checked (for ``tracker doctor``)."""
    return load_tables(path, KIND)
