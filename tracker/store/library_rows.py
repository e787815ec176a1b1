"""The library's rows under journal operations: what a put, a del and a table do.

The same rules apply when the library is read (:func:`apply_to_loaded`, over
paper objects) and when a journal is folded into a new base (:func:`fold`,
streaming the base's lines; :func:`fold_tables`, over whole tables). The
table names, :class:`Loaded` (the library as read) and :class:`LibraryEdit`
(one change, as one journal record) live here too, so that
:mod:`tracker.store.library_file`, which reads and writes the files, and
:mod:`tracker.store.stored` share one meaning of each.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from operator import attrgetter
from typing import TYPE_CHECKING, Any, BinaryIO

import orjson

from tracker.store.catalog import row_line_id
from tracker.store.journal import Op
from tracker.store.row_per_line import (
    END,
    ROW,
    TABLE,
    NotRowPerLine,
    iter_row_lines,
)
from tracker.store.tables import META_TABLE, Tables

if TYPE_CHECKING:
    from tracker.store.spilled_rows import SpilledRows
    from tracker.store.written_rows import WrittenRows

KIND = "library"
PAPERS = "papers"
DIGESTS = "digests"
UNDO = "undo"
"""Records that take back an import or a change of digests, by token (see tracker.library)."""
TABLES = (PAPERS, DIGESTS)

Row = dict[str, Any]
MakePaper = Callable[[Row], Any]


@dataclass(slots=True)
class Loaded:
    """The library as read: papers (made by the caller's function), digest rows, undo records."""

    papers: list[Any]
    digests: list[Row]
    undo: dict[str, Row | bytes] = field(default_factory=dict)
    """Undo records by token: a row, or its JSON until :func:`undo_record` reads it."""


def undo_record(records: dict[str, Row | bytes], token: str) -> Row | None:
    """The record of ``token`` from :attr:`Loaded.undo`, read from its JSON the first time."""
    record = records.get(token)
    if isinstance(record, bytes):
        record = records[token] = orjson.loads(record)
    return record


@dataclass(slots=True)
class LibraryEdit:
    """One change of the papers and digests, as rows; what is not given stays as it is.

    In a ``changed`` row a value of None removes that key from the stored
    row (an undo taking back a field an import filled in); other keys of the
    stored row that are not in ``changed`` stay (a newer version's fields).
    Written as one journal record (:meth:`ops`).
    """

    new: dict[str, Row] = field(default_factory=dict)
    """Papers to append, by id."""
    changed: dict[str, Row] = field(default_factory=dict)
    """Papers whose row changes, by id (merged into the stored row)."""
    removed: set[str] = field(default_factory=set)
    """Papers whose rows go."""
    inserted: dict[str, tuple[Row, str | None]] = field(default_factory=dict)
    """Papers put back: the row and the id of the paper it goes before (None: at the end)."""
    digests: list[Row] = field(default_factory=list)
    """Digest rows to append."""
    digest_table: list[Row] | None = None
    """Every digest row, in order, replacing the stored ones (None: keep them)."""
    undo: dict[str, Row | None] = field(default_factory=dict)
    """Undo records to store (a row) or drop (None), by token."""
    appended: SpilledRows | None = None
    """More papers to append after ``new``, their rows in a temporary file (a large import:
    the library file writes them into a new base, streamed, never all in memory)."""

    def __bool__(self) -> bool:
        return bool(
            self.appended
            or self.new
            or self.changed
            or self.removed
            or self.inserted
            or self.digests
            or self.digest_table is not None
            or self.undo
        )

    def ops(self) -> list[Op]:
        """The journal operations of this edit, in an order that gives it."""
        ops: list[Op] = [["del", PAPERS, pid] for pid in sorted(self.removed)]
        # The rows themselves, not copies: a first import holds 100,000 of them.
        ops += [["put", PAPERS, pid, row] for pid, row in self.changed.items()]
        for pid, (row, anchor) in self.inserted.items():
            place = [{"before": anchor}] if anchor is not None else []
            ops.append(["put", PAPERS, pid, row, *place])
        ops += [["put", PAPERS, pid, row] for pid, row in self.new.items()]
        if self.digest_table is not None:
            ops.append(["table", DIGESTS, "", [dict(row) for row in self.digest_table]])
        ops += [["put", DIGESTS, str(row["id"]), dict(row)] for row in self.digests]
        for token, record in self.undo.items():
            ops.append(["put", UNDO, token, record] if record is not None else ["del", UNDO, token])
        return ops


# -- applying operations -----------------------------------------------------------
#
# The rules, the same when the library is read (apply_to_loaded) and when a
# journal is folded into a new base (fold, fold_tables):
#
# - ``put`` of a row that is there merges into it in place (keys of the stored
#   row that the put lacks stay; a key put as null goes); of a row that is not
#   there adds it at the end, or before the row named by ``{"before": id}``
#   when that row is there;
# - ``del`` removes the row (a later put adds it again, as a new row);
# - ``table`` replaces the whole table by its rows, in their order.


class _Order:
    """The rows of one table in order, under the operations (a linked list by id)."""

    def __init__(self, keys: Iterable[str]) -> None:
        self.next: dict[str, str] = {"": ""}
        self.prev: dict[str, str] = {"": ""}
        for key in keys:
            self.add(key, None)

    def __contains__(self, key: str) -> bool:
        return key in self.next and key != ""

    def add(self, key: str, before: str | None) -> None:
        after = before if before is not None and before in self else ""
        last = self.prev[after]
        self.next[last] = key
        self.next[key] = after
        self.prev[key] = last
        self.prev[after] = key

    def remove(self, key: str) -> None:
        last, after = self.prev.pop(key), self.next.pop(key)
        self.next[last] = after
        self.prev[after] = last

    def clear(self) -> None:
        self.next = {"": ""}
        self.prev = {"": ""}

    def __iter__(self) -> Iterator[str]:
        key = self.next[""]
        while key != "":
            yield key
            key = self.next[key]


class _Replay:
    """A table's operations replayed on its base keys: the final order and what each row becomes.

    ``value[key]`` is ``(from_base, patches)``: a row that is (still) the base
    row with ``patches`` merged in, or (``from_base`` False) the first patch
    with the others merged in. Keys not in ``value`` are base rows unchanged.
    """

    def __init__(self, base_keys: Iterable[str], ops: Iterable[Op]) -> None:
        self.order = _Order(base_keys)
        self.value: dict[str, tuple[bool, list[Row]]] = {}
        for op in ops:
            kind, key = op[0], op[2]
            if kind == "table":
                self.order.clear()
                self.value = {}
                for row in op[3]:
                    rid = str(row.get("id"))
                    if rid not in self.order:
                        self.order.add(rid, None)
                    self.value[rid] = (False, [row])
            elif kind == "del":
                if key in self.order:
                    self.order.remove(key)
                self.value.pop(key, None)
            elif key in self.order:
                from_base, patches = self.value.get(key, (True, []))
                self.value[key] = (from_base, [*patches, op[3]])
            else:
                before = op[4].get("before") if len(op) > 4 else None
                self.order.add(key, before if isinstance(before, str) else None)
                self.value[key] = (False, [op[3]])

    def row(self, key: str, base_row: Row | None) -> Row:
        """What ``key``'s row becomes (``base_row``: the stored one, if it is a base row)."""
        from_base, patches = self.value.get(key, (True, []))
        if from_base:
            assert base_row is not None
            if not patches:
                return base_row
            merged = dict(base_row)
        else:
            merged, patches = dict(patches[0]), patches[1:]
        for patch in patches:
            merged.update(patch)
        return without_nones(merged)

    def from_base(self, key: str) -> bool:
        return self.value.get(key, (True, []))[0]


def only_puts(ops: list[Op]) -> bool:
    """Only puts without a place: rows change in place or go to the end (the common case)."""
    return all(op[0] == "put" and len(op) == 4 for op in ops)


def without_nones(row: Row) -> Row:
    return {k: v for k, v in row.items() if v is not None}


def _paper_row(paper: Any) -> Row:
    row: Row = paper if isinstance(paper, dict) else paper.to_dict()
    return row


def apply_to_loaded(loaded: Loaded, ops: Iterable[Op], make_paper: MakePaper) -> None:
    """Apply journal operations to a loaded library, in order (see the rules above).

    ``make_paper`` may return None for a row it sets aside (it is no paper,
    see tracker/store/rejected.py): a new paper is then not added, and a
    stored one stays as it was. Rows without an id (only a base of parsed
    tables can hold them) stay, after the others.
    """
    by_table: dict[str, list[Op]] = {}
    for op in ops:
        by_table.setdefault(op[1], []).append(op)
    paper_ops = by_table.get(PAPERS, [])
    if paper_ops:
        papers = loaded.papers
        if only_puts(paper_ops):
            at = _positions(papers)
            for op in paper_ops:
                i = at.get(op[2])
                if i is None:
                    paper = make_paper(without_nones(op[3]))
                    if paper is not None:
                        at[op[2]] = len(papers)
                        papers.append(paper)
                else:
                    merged = without_nones({**_paper_row(papers[i]), **op[3]})
                    paper = make_paper(merged)
                    if paper is not None:
                        papers[i] = paper
        else:
            by_id = {_paper_row_id(p): p for p in papers if _paper_row_id(p)}
            without_id = [p for p in papers if not _paper_row_id(p)]
            replay = _Replay(by_id, paper_ops)
            out = []
            for pid in replay.order:
                if pid not in replay.value:
                    out.append(by_id[pid])
                else:
                    base = _paper_row(by_id[pid]) if replay.from_base(pid) else None
                    paper = make_paper(replay.row(pid, base))
                    if paper is not None:
                        out.append(paper)
                    elif pid in by_id:
                        out.append(by_id[pid])
            papers[:] = [*out, *without_id]
    digest_ops = by_table.get(DIGESTS, [])
    if digest_ops:
        by_id = {_row_key(d, n): d for n, d in enumerate(loaded.digests)}
        replay = _Replay(by_id, digest_ops)
        loaded.digests[:] = [
            replay.row(did, by_id.get(did) if replay.from_base(did) else None)
            for did in replay.order
        ]
    for op in by_table.get(UNDO, []):
        if op[0] == "put":
            loaded.undo[op[2]] = op[3]
        else:
            loaded.undo.pop(op[2], None)


def _positions(papers: list[Any]) -> dict[str, int]:
    """Each paper's position by id (a row without one under ""), the last of an id kept."""
    try:
        # Papers as objects (all of them, nearly always): in C, a tenth of the time.
        return dict(zip(map(attrgetter("id"), papers), itertools.count(), strict=False))
    except AttributeError:
        return {_paper_row_id(p): i for i, p in enumerate(papers)}


def _paper_row_id(paper: Any) -> str:
    """A paper's id ("" for a row without one)."""
    pid = paper.get("id") if isinstance(paper, dict) else getattr(paper, "id", "")
    return pid if isinstance(pid, str) else ""


def _row_key(row: Any, n: int) -> str:
    """A digest row's id, or a key of its own for a row without one (kept as it is)."""
    rid = row.get("id") if isinstance(row, dict) else None
    return rid if isinstance(rid, str) and rid else f"\0row {n}"


def _line_id(line: bytes) -> str:
    return row_line_id(line) or ""


def _paper_lines(fh: BinaryIO) -> Iterator[bytes]:
    """The papers table's row lines of a row-per-line base (NotRowPerLine for another layout)."""
    for event, table, line in iter_row_lines(fh):
        if event == ROW and table == PAPERS:
            yield line


def spilled_ops(appended: SpilledRows | None) -> list[Op]:
    """Spilled rows as the puts they stand for (read into memory: for the rare cases that need
    them so, a base of another layout, a journal that moves papers, a failed write re-read)."""
    if appended is None:
        return []
    return [["put", PAPERS, pid, row] for pid, row in appended.rows()]


def fold(
    fh: BinaryIO,
    ops: list[Op],
    meta: dict[str, Any],
    appended: SpilledRows | None = None,
    written: WrittenRows | None = None,
) -> Iterator[bytes]:
    """A row-per-line base read from ``fh`` with ``ops`` applied, as the bytes of a new base.

    ``written``: where each paper row goes is noted there (the new base's
    catalog, see tracker/store/written_rows.py).
    """
    if written is None:
        yield from _fold(fh, ops, meta, appended, None)
        return
    for chunk in _fold(fh, ops, meta, appended, written):
        written.at += len(chunk)
        yield chunk


def _fold(
    fh: BinaryIO,
    ops: list[Op],
    meta: dict[str, Any],
    appended: SpilledRows | None,
    written: WrittenRows | None,
) -> Iterator[bytes]:
    """:func:`fold` (``written.at`` is kept by the caller, as the bytes go by).

    Paper rows the journal leaves alone are copied as they are, byte for
    byte; the result is what :func:`apply_to_loaded` makes of the same base
    and operations, in the same order. When the journal removes papers or
    puts them in a place, the papers are read twice (once for their order).
    ``appended``: puts of papers after ``ops``, read from their file as they
    are written (their JSON copied as it is when the paper is not in the
    base). Raises NotRowPerLine for a file in another layout (the caller
    parses it whole) before anything is yielded.
    """
    dumps = orjson.dumps
    by_table: dict[str, list[Op]] = {}
    for op in ops:
        by_table.setdefault(op[1], []).append(op)
    paper_ops = by_table.get(PAPERS, [])
    if appended is not None and (
        not only_puts(paper_ops) or any(op[2] in appended for op in paper_ops)
    ):
        # Rare (a journal that moves papers, or puts one of these): as puts, in memory.
        paper_ops = by_table[PAPERS] = [*paper_ops, *spilled_ops(appended)]
        appended = None
    replay: _Replay | None = None
    new_keys = 0  # rows not from the base get keys above every base row's (keys stay unique)
    if paper_ops and not only_puts(paper_ops):
        start = fh.tell()
        base_ids = []
        for line in _paper_lines(fh):
            if pid := _line_id(line):  # a row without an id is copied as it is (below)
                base_ids.append(pid)
            key = line[1 : line.find(b'":', 1)]
            if key.isdigit():
                new_keys = max(new_keys, int(key))
        replay = _Replay(base_ids, paper_ops)
        fh.seek(start)
        if written is not None:
            written.usable = False  # papers in new places: the new base is scanned
    simple: dict[str, Row] = {}  # the merged changes of each paper (simple journals)
    if replay is None:
        for op in paper_ops:
            # The row itself, copied only when one paper is put twice: a first
            # import holds each of its 100,000s of rows once (issue 17 point 13).
            pid = op[2]
            simple[pid] = {**simple[pid], **op[3]} if pid in simple else op[3]
    lines = iter_row_lines(fh)
    first = next(lines, None)  # raises NotRowPerLine before anything is written
    yield b"{"
    names: list[str] = []
    name: str | None = None
    separator = b"\n"
    last_key = 0
    rows: dict[str, Row] = {}  # the rows of a small table, parsed
    final: list[str] = list(replay.order) if replay is not None else []
    place = {pid: i for i, pid in enumerate(final)}
    emitted = 0  # entries of ``final`` written so far
    seen: set[str] = set()

    def header(table: str) -> bytes:
        return (b",\n" if names else b"\n") + dumps(table) + b":{"

    def row_line(row: Row, table: str) -> bytes:
        nonlocal last_key, new_keys
        if replay is not None and table == PAPERS:
            new_keys += 1
            return dumps({str(new_keys): row})[1:-1]
        last_key += 1
        return dumps({str(last_key): row})[1:-1]

    def ends_of(table: str) -> Iterator[bytes]:
        """What a table gets at its end: new papers, or a small table written whole."""
        nonlocal emitted, last_key
        if table == PAPERS:
            if replay is not None:
                for pid in final[emitted:]:
                    yield row_line(replay.row(pid, None), PAPERS)
                emitted = len(final)
            else:
                # Rows joined a thousand at a time (one generator step a row was a
                # tenth of a 100,000-paper write); the bytes are row_line's.
                lines: list[bytes] = []
                made: list[Row] = []
                for row in _appended(paper_ops, seen):
                    last_key += 1
                    lines.append(b'"%d":%s' % (last_key, dumps(row)))
                    made.append(row)
                    if len(lines) >= _JOIN_ROWS:
                        if written is not None:
                            written.rows(lines, made)
                        yield b",\n".join(lines)
                        lines.clear()
                        made.clear()
                if written is not None:
                    written.rows(lines, made)
                if lines:
                    yield b",\n".join(lines)
                    lines.clear()
                for pid, json in appended.lines() if appended is not None else ():
                    if pid not in seen:
                        last_key += 1
                        lines.append(b'"%d":%s' % (last_key, json))
                        if len(lines) >= _JOIN_ROWS:
                            if written is not None:
                                written.rows(lines)
                            yield b",\n".join(lines)
                            lines.clear()
                if written is not None:
                    written.rows(lines)
                if lines:
                    yield b",\n".join(lines)
        elif table in (DIGESTS, UNDO):
            for row in _small_table(table, rows, by_table.get(table, [])):
                yield row_line(row, table) if table == DIGESTS else dumps(row)[1:-1]
        elif table == META_TABLE:
            yield dumps({"1": meta})[1:-1]

    def emit(chunks: Iterator[bytes], papers: bool = False) -> Iterator[bytes]:
        """The chunks with their separators (``papers``: rows noted in ``written``)."""
        nonlocal separator
        for chunk in chunks:
            if papers and written is not None:
                written.place(written.at + len(separator))
            yield separator + chunk
            separator = b",\n"

    def close(table: str) -> bytes:
        """A table's closing line (the papers': noted in ``written``)."""
        if table == PAPERS and written is not None:
            if names[0] != PAPERS:
                written.usable = False  # the scan reads only a base that starts with papers
            written.papers_close = written.at + 1
        return b"\n}"

    for event, table, line in itertools.chain([first] if first else [], lines):
        if event == TABLE:
            yield header(table)
            names.append(table)
            name, separator, last_key, rows = table, b"\n", 0, {}
        elif event == END:
            yield from emit(ends_of(table), table == PAPERS)
            yield close(table)
            name = None
        else:
            end = line.find(b'":', 1)
            key = line[1:end]
            if not line.startswith(b'"') or end < 0:
                raise NotRowPerLine
            if name == META_TABLE:
                continue  # written afresh at the table's end
            if name in (DIGESTS, UNDO):
                rows.update(orjson.loads(b"{" + line + b"}"))  # small: written at the end
                continue
            if name == PAPERS:
                if not key.isdigit():
                    raise NotRowPerLine
                last_key = max(last_key, int(key))
                pid = _line_id(line)
                if replay is not None and pid:
                    if pid not in place or not replay.from_base(pid):
                        continue  # gone, or added again elsewhere
                    at = place[pid]
                    yield from emit(
                        row_line(replay.row(p, None), PAPERS) for p in final[emitted:at]
                    )
                    emitted = at + 1
                    if pid in replay.value:
                        (stored,) = orjson.loads(b"{" + line + b"}").values()
                        line = dumps({key.decode(): replay.row(pid, stored)})[1:-1]
                elif pid in simple:
                    seen.add(pid)
                    (stored,) = orjson.loads(b"{" + line + b"}").values()
                    merged = without_nones({**stored, **simple[pid]})
                    line = dumps({key.decode(): merged})[1:-1]
                elif appended is not None and pid in appended:
                    # A row set aside (no paper) with the id of a new one: merged, as a put is.
                    seen.add(pid)
                    (stored,) = orjson.loads(b"{" + line + b"}").values()
                    merged = without_nones({**stored, **appended.get(pid)})
                    line = dumps({key.decode(): merged})[1:-1]
            if name == PAPERS and written is not None:
                written.rows([line])
            yield from emit(iter([line]), name == PAPERS)
    for table in (*TABLES, UNDO, META_TABLE):
        if table not in names:
            rows = {}
            if table == UNDO and not _small_table(UNDO, rows, by_table.get(UNDO, [])):
                continue  # no undo records: no table
            yield header(table)
            names.append(table)
            separator, last_key = b"\n", 0
            yield from emit(ends_of(table), table == PAPERS)  # streamed: a first import's too
            yield close(table)
    yield b"\n}\n"


_JOIN_ROWS = 1000


def _appended(paper_ops: list[Op], in_base: set[str]) -> Iterator[Row]:
    """Papers the simple journal adds at the end (not base rows), merged, in order.

    The rows of the operations themselves, not copies, unless a paper was
    put twice: a first import of 100,000 papers holds each row once.
    """
    out: dict[str, Row] = {}
    for op in paper_ops:
        pid = op[2]
        if pid in in_base:
            continue
        out[pid] = {**out[pid], **op[3]} if pid in out else op[3]
    for row in out.values():
        yield without_nones(row) if None in row.values() else row


def _small_table(table: str, rows: dict[str, Row], ops: list[Op]) -> list[Any]:
    """A digests table's rows (in order), or the undo table's members, with ``ops`` applied."""
    if table == UNDO:
        records = dict(rows)
        for op in ops:
            if op[0] == "put":
                records[op[2]] = op[3]
            else:
                records.pop(op[2], None)
        return [{token: record} for token, record in records.items()]
    by_id = {_row_key(row, n): row for n, row in enumerate(rows.values())}
    replay = _Replay(by_id, ops)
    return [
        replay.row(did, by_id.get(did) if replay.from_base(did) else None) for did in replay.order
    ]


def fold_tables(tables: Tables, ops: list[Op], meta: dict[str, Any]) -> Tables:
    """:func:`fold` for parsed tables (a base in another layout, or none)."""
    out: Tables = {name: dict(rows) for name, rows in tables.items() if name != META_TABLE}
    loaded = Loaded(
        list(out.get(PAPERS, {}).values()),
        list(out.get(DIGESTS, {}).values()),
        dict(out.get(UNDO, {})),
    )
    apply_to_loaded(loaded, ops, dict)
    out[PAPERS] = {str(n): row for n, row in enumerate(loaded.papers, start=1)}
    out[DIGESTS] = {str(n): row for n, row in enumerate(loaded.digests, start=1)}
    if loaded.undo:
        out[UNDO] = loaded.undo
    else:
        out.pop(UNDO, None)
    out[META_TABLE] = {"1": meta}
    return out


# -- reading a base ------------------------------------------------------------------
