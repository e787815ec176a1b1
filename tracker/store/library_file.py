"""library.json: papers read a row at a time, rewritten by copying the rows an import leaves alone.

The file is a row per line (see :mod:`tracker.store.row_per_line`). Reading it hands each
paper row to the caller as soon as it is parsed, so the parsed rows are never
all alive next to the objects made from them, and nothing of the file stays
in memory afterwards: at 100,000 papers that is ~50 MB less for as long as
the library is open.

An import changes a few rows and adds some. The next version of the file is
the current one copied line by line, with the changed rows replaced and the
new ones appended, written atomically and fsynced like every data file. The
copy is only made from the very file that was read (or last written) by this
process, which holds the writer lock: if its inode, size or modification
time differ, or its layout is not the expected one, the file is parsed whole
and written from the parse instead (the way every file was written before),
and a damaged file is reported rather than copied.

Besides imports, a :class:`LibraryEdit` can remove papers, put removed
papers back where they were (before the row of a paper that is still there),
replace the digest table (a digest forgotten, renamed or dated) and keep the
records that undo these changes (the ``undo`` table, rows keyed by a token).

A write that fails keeps the edit in memory (``dirty``); the next write,
:meth:`LibraryFile.flush` or closing the store retries it, and a re-read
(:meth:`LibraryFile.load`) includes it.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from tracker.store import migrations
from tracker.store.atomic import atomic_write
from tracker.store.errors import StoreError, damaged
from tracker.store.gc_pause import gc_paused
from tracker.store.regular_file import open_regular
from tracker.store.row_per_line import (
    END,
    ROW,
    TABLE,
    NotRowPerLine,
    iter_row_lines,
    iter_row_per_line,
)
from tracker.store.storage import AtomicJSONStorage
from tracker.store.tables import META_TABLE, SCHEMA_VERSIONS, Tables, check_tables, load_tables

KIND = "library"
PAPERS = "papers"
DIGESTS = "digests"
UNDO = "undo"
"""Records that take back an import or a change of digests, by token (see tracker.library)."""
CHUNK_ROWS = 1000
"""Rows parsed per orjson call while reading (one call per row costs a third more)."""

Row = dict[str, Any]
MakePaper = Callable[[Row], Any]
_Signature = tuple[int, int, int]


class _NotAsRead(Exception):
    """The file is not the one this process read or wrote, or not laid out a row per line."""


@dataclass(slots=True)
class Loaded:
    """The library as read: papers (made by the caller's function), digest rows, undo records."""

    papers: list[Any]
    digests: list[Row]
    undo: dict[str, Row | bytes] = field(default_factory=dict)
    """Undo records by token: a row, or its JSON until :func:`undo_record` reads it."""


@dataclass(slots=True)
class LibraryEdit:
    """One change of library.json, as rows; what is not given stays as it is.

    In a ``changed`` row a value of None removes that key from the stored
    row (an undo taking back a field an import filled in); other keys of the
    stored row that are not in ``changed`` stay (a newer version's fields).
    """

    new: dict[str, Row] = field(default_factory=dict)
    """Papers to append, by id."""
    changed: dict[str, Row] = field(default_factory=dict)
    """Papers in the file whose row changes, by id (merged into the stored row)."""
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

    def __bool__(self) -> bool:
        return bool(
            self.new
            or self.changed
            or self.removed
            or self.inserted
            or self.digests
            or self.digest_table is not None
            or self.undo
        )

    def then(self, later: LibraryEdit, in_file: Callable[[str], bool]) -> LibraryEdit:
        """This edit followed by ``later``, as one edit (both unwritten after a failed write).

        ``in_file`` tells whether a paper has a row in the file as it is on disk.
        """
        out = LibraryEdit(
            dict(self.new),
            dict(self.changed),
            set(self.removed),
            dict(self.inserted),
            list(self.digests),
            None if self.digest_table is None else list(self.digest_table),
            dict(self.undo),
        )
        for pid in later.removed:
            if pid in out.new:
                del out.new[pid]
            elif pid in out.inserted:
                del out.inserted[pid]
            elif in_file(pid):
                out.changed.pop(pid, None)
                out.removed.add(pid)
        for pid, row in later.changed.items():
            if pid in out.new:
                out.new[pid] = dict(row)
            elif pid in out.inserted:
                out.inserted[pid] = (dict(row), out.inserted[pid][1])
            elif in_file(pid) and pid not in out.removed:
                out.changed[pid] = {**out.changed.get(pid, {}), **row}
            else:
                raise KeyError(f"paper {pid} is not in the library file")
        for pid, (row, anchor) in later.inserted.items():
            out._put_back(pid, row, anchor, in_file)
        for pid, row in later.new.items():
            out._put_back(pid, row, None, in_file)
        if later.digest_table is not None:
            out.digest_table, out.digests = [dict(r) for r in later.digest_table], []
        elif out.digest_table is not None:
            out.digest_table.extend(map(dict, later.digests))
        else:
            out.digests.extend(map(dict, later.digests))
        out.undo.update(later.undo)
        return out

    def _put_back(
        self, pid: str, row: Row, anchor: str | None, in_file: Callable[[str], bool]
    ) -> None:
        """A paper added (``anchor`` None: at the end) or put back before ``anchor``."""
        row = dict(row)
        if in_file(pid):
            # Still in the file (its removal was never written, or it was
            # never removed): the row goes back in its place.
            self.removed.discard(pid)
            self.changed[pid] = row
        elif pid in self.inserted:
            self.inserted[pid] = (row, self.inserted[pid][1])
        elif anchor is None:
            self.new[pid] = row
        else:
            self.inserted[pid] = (row, anchor)


def undo_record(records: dict[str, Row | bytes], token: str) -> Row | None:
    """The record of ``token`` from :attr:`Loaded.undo`, read from its JSON the first time."""
    record = records.get(token)
    if isinstance(record, bytes):
        record = records[token] = orjson.loads(record)
    return record


def _without_nones(row: Row) -> Row:
    return {k: v for k, v in row.items() if v is not None}


def _signature(st: os.stat_result) -> _Signature:
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def _meta_row() -> bytes:
    return orjson.dumps({"1": {"schema": SCHEMA_VERSIONS[KIND], "kind": KIND}})[1:-1]


class LibraryFile:
    """library.json of one data directory; written only while the store holds the lock."""

    def __init__(self, path: Path, *, readonly: bool) -> None:
        self.path = path
        self.readonly = readonly
        self._doc_ids: dict[str, int] = {}  # paper id -> its row's key (writable only)
        self._signature: _Signature | None = None  # the file as last read or written
        self._pending = LibraryEdit()
        self._migration: AtomicJSONStorage | None = None

    @property
    def dirty(self) -> bool:
        """True when a write failed and an edit is only in memory."""
        return bool(self._pending)

    # -- reading -----------------------------------------------------------
    def load(self, make_paper: MakePaper) -> Loaded:
        """Every paper row passed through ``make_paper``, in file order, and the digest rows.

        An edit whose write failed is included. Raises CorruptFileError
        for a damaged or foreign file and StoreError when it cannot be read.
        """
        with gc_paused():
            loaded, pids = self._read(make_paper)
            if self._pending:
                self._add_pending(loaded, pids, make_paper)
        return loaded

    def _read(self, make_paper: MakePaper) -> tuple[Loaded, list[str]]:
        self._doc_ids = {}
        self._signature = None
        try:
            fh = open_regular(self.path)
        except FileNotFoundError:
            return Loaded([], [], {}), []
        except OSError as err:
            raise StoreError(f"cannot read {self.path}: {err.strerror or err}") from err
        with fh:
            signature = _signature(os.fstat(fh.fileno()))
            try:
                loaded, pids, tables = self._stream(fh, make_paper)
            except _NotAsRead:
                fh.seek(0)
                tables = self._parse_whole(fh.read())
                loaded, pids = self._from_tables(tables, make_paper)
            except orjson.JSONDecodeError as err:
                raise damaged(self.path, err) from err
            except OSError as err:
                raise StoreError(f"cannot read {self.path}: {err.strerror or err}") from err
        if migrations.schema_of(tables) < SCHEMA_VERSIONS[KIND]:
            # An older file: upgraded as a whole (rare; nothing to stream).
            self._migration = AtomicJSONStorage(self.path, kind=KIND)
            upgraded = self._migration.read() or {}
            loaded, pids = self._from_tables(upgraded, make_paper)
        self._signature = signature
        return loaded, pids

    def _parse_whole(self, data: bytes) -> Tables:
        try:
            return check_tables(self.path, KIND, orjson.loads(data))
        except orjson.JSONDecodeError as err:
            raise damaged(self.path, err) from err

    def _from_tables(self, tables: Tables, make_paper: MakePaper) -> tuple[Loaded, list[str]]:
        papers, pids = [], []
        for key, row in tables.get(PAPERS, {}).items():
            papers.append(make_paper(row))
            pids.append(row["id"])
            if not self.readonly:
                self._doc_ids[row["id"]] = int(key)
        digests = list(tables.get(DIGESTS, {}).values())
        return Loaded(papers, digests, dict(tables.get(UNDO, {}))), pids

    def _stream(self, fh: BinaryIO, make_paper: MakePaper) -> tuple[Loaded, list[str], Tables]:
        """Read a row-per-line file, papers handed to ``make_paper`` a chunk at a time."""
        loads = orjson.loads
        tables: Tables = {}
        papers: list[Any] = []
        pids: list[str] = []
        doc_ids = None if self.readonly else self._doc_ids
        name: str | None = None  # the table being read
        chunk: list[bytes] = []
        undo: dict[str, Row | bytes] = {}

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
                        raise _NotAsRead
                    undo[token] = line[end + 2 :]
                chunk.clear()
                return
            parsed: dict[str, Any] = loads(b"{" + b",".join(chunk) + b"}")
            chunk.clear()
            if name == PAPERS:
                for key, row in parsed.items():
                    papers.append(make_paper(row))
                    pid = row["id"]
                    pids.append(pid)
                    if doc_ids is not None:
                        doc_ids[pid] = int(key)
            else:
                assert name is not None
                tables[name].update(parsed)

        try:
            for event, table, line in iter_row_lines(fh):
                if event == TABLE:
                    tables[table] = {}
                    name = table
                elif event == ROW:
                    chunk.append(line)
                    if len(chunk) >= CHUNK_ROWS:
                        drain()
                else:
                    drain()
                    name = None
        except NotRowPerLine:
            raise _NotAsRead from None
        check_tables(self.path, KIND, tables)
        digests = list(tables.pop(DIGESTS, {}).values())
        tables.pop(UNDO, None)
        return Loaded(papers, digests, undo), pids, tables

    def _add_pending(self, loaded: Loaded, pids: list[str], make_paper: MakePaper) -> None:
        pending = self._pending
        at = {pid: i for i, pid in enumerate(pids)}
        for pid, row in pending.changed.items():
            if pid in at:
                loaded.papers[at[pid]] = make_paper(_without_nones(row))
        if pending.removed or pending.inserted:
            before: dict[str | None, list[Row]] = {}
            for row, anchor in pending.inserted.values():
                before.setdefault(anchor if anchor in at else None, []).append(row)
            papers: list[Any] = []
            for pid, paper in zip(pids, loaded.papers, strict=True):
                papers.extend(make_paper(_without_nones(r)) for r in before.pop(pid, ()))
                if pid not in pending.removed:
                    papers.append(paper)
            for rows in before.values():
                papers.extend(make_paper(_without_nones(r)) for r in rows)
            loaded.papers[:] = papers
        loaded.papers.extend(make_paper(_without_nones(row)) for row in pending.new.values())
        if pending.digest_table is not None:
            loaded.digests[:] = [dict(r) for r in pending.digest_table]
        else:
            loaded.digests.extend(pending.digests)
        for token, record in pending.undo.items():
            if record is None:
                loaded.undo.pop(token, None)
            else:
                loaded.undo[token] = record

    def save_migration(self) -> None:
        """Write the upgraded file when :meth:`load` upgraded an older one (see AtomicJSONStorage)."""
        migration, self._migration = self._migration, None
        if migration is not None and not self.readonly:
            migration.save_migration()
            self._signature = _signature(self.path.stat())

    # -- writing -----------------------------------------------------------
    def save(
        self,
        new_rows: Iterable[Mapping[str, Any]],
        changed_rows: Mapping[str, Mapping[str, Any]],
        digest_rows: Iterable[Mapping[str, Any]],
    ) -> None:
        """Add an import: changed rows by paper id, new paper rows, new digest rows; one write."""
        self.edit(
            LibraryEdit(
                new={row["id"]: dict(row) for row in new_rows},
                changed={pid: dict(row) for pid, row in changed_rows.items()},
                digests=[dict(row) for row in digest_rows],
            )
        )

    def edit(self, edit: LibraryEdit) -> None:
        """Write ``edit`` (after any edit a failed write left), atomically and fsynced."""
        self._pending = self._pending.then(edit, self._doc_ids.__contains__)
        self.flush()

    def flush(self) -> None:
        """Write the pending edit, if any (atomically, fsynced)."""
        pending = self._pending
        if not pending:
            return
        try:
            assigned = self._write_copy(pending)
        except _NotAsRead:
            assigned = self._write_whole(pending)
        for pid in pending.removed:
            self._doc_ids.pop(pid, None)
        self._doc_ids.update(assigned)
        self._pending = LibraryEdit()
        self._signature = _signature(self.path.stat())

    def _write_copy(self, pending: LibraryEdit) -> dict[str, int]:
        try:
            fh = open_regular(self.path)
        except (OSError, StoreError):
            raise _NotAsRead from None
        assigned: dict[str, int] = {}
        with fh:
            if self._signature is None or _signature(os.fstat(fh.fileno())) != self._signature:
                raise _NotAsRead
            atomic_write(self.path, self._copied(fh, pending, assigned), private=True)
        return assigned

    def _copied(
        self, fh: BinaryIO, pending: LibraryEdit, assigned: dict[str, int]
    ) -> Iterator[bytes]:
        """The file's lines with ``pending`` applied; raises _NotAsRead on any surprise."""
        dumps = orjson.dumps
        doc_ids = self._doc_ids
        changed = {str(doc_ids[pid]).encode(): row for pid, row in pending.changed.items()}
        removed = {str(doc_ids[pid]).encode() for pid in pending.removed if pid in doc_ids}
        # Rows put back go before the row of their anchor, or to the end of the
        # table. Their keys and the new rows' are above every key of the file
        # as read (keys need only be unique; the order of the rows is the order
        # of the library).
        # Rows are serialized only as they are written: an import of 100,000
        # papers held as JSON at once would take some 130 MB.
        next_key = max(doc_ids.values(), default=0) + 1
        before: dict[bytes, list[tuple[int, Row]]] = {}
        at_end: list[tuple[int, Row]] = []
        for pid, (put_back, anchor) in pending.inserted.items():
            assigned[pid] = next_key
            anchor_key = doc_ids.get(anchor) if anchor is not None else None
            if anchor_key is None or anchor in pending.removed:
                at_end.append((next_key, put_back))
            else:
                before.setdefault(str(anchor_key).encode(), []).append((next_key, put_back))
            next_key += 1
        first_new = min(assigned.values(), default=next_key)

        def lines(rows: Iterable[tuple[int, Row]]) -> Iterator[bytes]:
            for key, row in rows:
                yield dumps({str(key): _without_nones(row)})[1:-1]

        def new_rows() -> Iterator[tuple[int, Row]]:
            """The new papers with the keys after those of the rows put back."""
            for key, (pid, added) in enumerate(pending.new.items(), start=next_key):
                assigned[pid] = key
                yield key, added

        yield b"{"
        names: set[str] = set()
        name: str | None = None
        separator = b"\n"
        last_key = 0

        def header(table: str) -> bytes:
            return (b",\n" if names else b"\n") + dumps(table) + b":{"

        def appended(table: str) -> Iterator[bytes]:
            nonlocal separator, last_key
            rows: Iterable[bytes] = []
            if table == PAPERS:
                if last_key >= first_new:
                    raise _NotAsRead  # keys the read did not see: parse it whole
                left = [row for rows_before in before.values() for row in rows_before]
                rows = lines(itertools.chain(left, at_end, new_rows()))
            elif table == DIGESTS:
                extra = pending.digests if pending.digest_table is None else pending.digest_table
                digest_lines = []
                for digest_row in extra:
                    last_key += 1
                    digest_lines.append(dumps({str(last_key): digest_row})[1:-1])
                rows = digest_lines
            elif table == UNDO:
                rows = [
                    dumps({token: record})[1:-1]
                    for token, record in pending.undo.items()
                    if record is not None
                ]
            elif table == META_TABLE:
                rows = [_meta_row()]
            for row in rows:
                yield separator + row
                separator = b",\n"

        try:
            for event, table, row in iter_row_lines(fh):
                if event == TABLE:
                    yield header(table)
                    names.add(table)
                    name, separator, last_key = table, b"\n", 0
                elif event == END:
                    yield from appended(table)
                    yield b"\n}"
                    name = None
                else:
                    if name in (PAPERS, DIGESTS, META_TABLE):
                        end = row.find(b'":', 1)
                        key = row[1:end]
                        if not row.startswith(b'"') or not key.isdigit():
                            raise _NotAsRead
                        last_key = max(last_key, int(key))
                        if name == META_TABLE and key == b"1":
                            continue  # written afresh at the table's end
                        if name == DIGESTS and pending.digest_table is not None:
                            continue  # the whole table is written afresh at its end
                        if name == PAPERS:
                            for line in lines(before.pop(key, ())):
                                yield separator + line
                                separator = b",\n"
                            if key in removed:
                                removed.discard(key)
                                continue
                            if key in changed:
                                # Merged into the stored row: keys this version does not know stay.
                                (stored,) = orjson.loads(b"{" + row + b"}").values()
                                merged = _without_nones({**stored, **changed.pop(key)})
                                row = dumps({key.decode(): merged})[1:-1]
                    elif name == UNDO:
                        end = row.find(b'":', 1)
                        if not row.startswith(b'"') or end < 0:
                            raise _NotAsRead
                        if orjson.loads(row[: end + 1]) in pending.undo:
                            continue  # replaced or dropped: the new ones follow at the end
                    yield separator + row
                    separator = b",\n"
        except NotRowPerLine:
            raise _NotAsRead from None
        if changed or removed:
            raise _NotAsRead  # a changed or removed paper's row was not found: parse it whole
        for table in (PAPERS, DIGESTS, UNDO, META_TABLE):
            if table not in names:
                if table == UNDO and not any(r is not None for r in pending.undo.values()):
                    continue  # no undo records: no table
                yield header(table)
                names.add(table)
                separator, last_key = b"\n", 0
                yield from appended(table)
                yield b"\n}"
        yield b"\n}\n"

    def _write_whole(self, pending: LibraryEdit) -> dict[str, int]:
        """Parse the file whole (reporting damage), apply ``pending`` by paper id, write it."""
        tables: Tables = load_tables(self.path, KIND) or {}
        if tables:
            migrations.upgrade(KIND, tables)
        stored = tables.get(PAPERS, {})
        key_of = {row["id"]: key for key, row in stored.items()}
        next_key = max(map(int, stored), default=0) + 1
        inserted: dict[str | None, list[tuple[str, Row]]] = {}
        for pid, (row, anchor) in pending.inserted.items():
            place = anchor if anchor in key_of and anchor not in pending.removed else None
            inserted.setdefault(place, []).append((pid, row))
        papers: dict[str, Row] = {}

        def add(pid: str, row: Row) -> None:
            nonlocal next_key
            key = key_of.get(pid)
            if key is None or key in papers:
                key = key_of[pid] = str(next_key)
                next_key += 1
            papers[key] = _without_nones(row)

        for key, row in stored.items():
            pid = row["id"]
            for other, new_row in inserted.pop(pid, ()):
                add(other, new_row)
            if pid in pending.removed:
                del key_of[pid]
                continue
            change = pending.changed.get(pid) or pending.new.get(pid)
            # Merged: keys this version does not know stay.
            papers[key] = _without_nones({**row, **change}) if change else row
        for rows in inserted.values():
            for pid, row in rows:
                add(pid, row)
        for pid, row in pending.new.items():
            if pid not in key_of:
                add(pid, row)
        tables[PAPERS] = papers
        digests = tables.setdefault(DIGESTS, {})
        if pending.digest_table is not None:
            digests.clear()
            extra = pending.digest_table
        else:
            extra = pending.digests
        next_key = max(map(int, digests), default=0) + 1
        for n, row in enumerate(extra, start=next_key):
            digests[str(n)] = row
        if pending.undo:
            undo = tables.setdefault(UNDO, {})
            for token, record in pending.undo.items():
                if record is None:
                    undo.pop(token, None)
                else:
                    undo[token] = record
            if not undo:
                del tables[UNDO]
        tables[META_TABLE] = {"1": {"schema": SCHEMA_VERSIONS[KIND], "kind": KIND}}
        atomic_write(self.path, iter_row_per_line(tables), private=True)
        self._doc_ids = {}
        return {pid: int(key) for pid, key in key_of.items()}
