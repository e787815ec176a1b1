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

A write that fails keeps the import in memory (``dirty``); the next write,
:meth:`LibraryFile.flush` or closing the store retries it, and a re-read
(:meth:`LibraryFile.load`) includes it.
"""

from __future__ import annotations

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
CHUNK_ROWS = 1000
"""Rows parsed per orjson call while reading (one call per row costs a third more)."""

Row = dict[str, Any]
MakePaper = Callable[[Row], Any]
_Signature = tuple[int, int, int]


class _NotAsRead(Exception):
    """The file is not the one this process read or wrote, or not laid out a row per line."""


@dataclass(slots=True)
class Loaded:
    """The library as read: papers (made by the caller's function) and digest rows."""

    papers: list[Any]
    digests: list[Row]


@dataclass(slots=True)
class _Pending:
    """Imports not written yet: changed rows of papers in the file, new papers, new digests."""

    changed: dict[str, Row] = field(default_factory=dict)
    new: dict[str, Row] = field(default_factory=dict)
    digests: list[Row] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.changed or self.new or self.digests)


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
        self._pending = _Pending()
        self._migration: AtomicJSONStorage | None = None

    @property
    def dirty(self) -> bool:
        """True when a write failed and an import is only in memory."""
        return bool(self._pending)

    # -- reading -----------------------------------------------------------
    def load(self, make_paper: MakePaper) -> Loaded:
        """Every paper row passed through ``make_paper``, in file order, and the digest rows.

        An import whose write failed is included. Raises CorruptFileError
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
            return Loaded([], []), []
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
        return Loaded(papers, list(tables.get(DIGESTS, {}).values())), pids

    def _stream(self, fh: BinaryIO, make_paper: MakePaper) -> tuple[Loaded, list[str], Tables]:
        """Read a row-per-line file, papers handed to ``make_paper`` a chunk at a time."""
        loads = orjson.loads
        tables: Tables = {}
        papers: list[Any] = []
        pids: list[str] = []
        doc_ids = None if self.readonly else self._doc_ids
        name: str | None = None  # the table being read
        chunk: list[bytes] = []

        def drain() -> None:
            if not chunk:
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
        return Loaded(papers, list(tables.pop(DIGESTS, {}).values())), pids, tables

    def _add_pending(self, loaded: Loaded, pids: list[str], make_paper: MakePaper) -> None:
        at = {pid: i for i, pid in enumerate(pids)}
        pending = self._pending
        for pid, row in pending.changed.items():
            if pid in at:
                loaded.papers[at[pid]] = make_paper(row)
        loaded.papers.extend(make_paper(row) for row in pending.new.values())
        loaded.digests.extend(pending.digests)

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
        pending = self._pending
        changed, new = dict(pending.changed), dict(pending.new)
        for pid, row in changed_rows.items():
            if pid in new:
                new[pid] = dict(row)
            elif pid in self._doc_ids:
                changed[pid] = dict(row)
            else:
                raise KeyError(f"paper {pid} is not in {self.path}")
        for row in new_rows:
            pid = row["id"]
            if pid in self._doc_ids:
                changed[pid] = dict(row)
            else:
                new[pid] = dict(row)
        self._pending = _Pending(changed, new, [*pending.digests, *map(dict, digest_rows)])
        self.flush()

    def flush(self) -> None:
        """Write the pending import, if any (atomically, fsynced)."""
        pending = self._pending
        if not pending:
            return
        try:
            assigned = self._write_copy(pending)
        except _NotAsRead:
            assigned = self._write_whole(pending)
        self._doc_ids.update(assigned)
        self._pending = _Pending()
        self._signature = _signature(self.path.stat())

    def _write_copy(self, pending: _Pending) -> dict[str, int]:
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

    def _copied(self, fh: BinaryIO, pending: _Pending, assigned: dict[str, int]) -> Iterator[bytes]:
        """The file's lines with ``pending`` applied; raises _NotAsRead on any surprise."""
        dumps = orjson.dumps
        changed = {str(self._doc_ids[pid]).encode(): row for pid, row in pending.changed.items()}
        yield b"{"
        names: set[str] = set()
        name: str | None = None
        separator = b"\n"
        last_key = 0

        def header(table: str) -> bytes:
            return (b",\n" if names else b"\n") + dumps(table) + b":{"

        def appended(table: str) -> Iterator[bytes]:
            nonlocal separator, last_key
            if table == PAPERS:
                for pid, row in pending.new.items():
                    last_key += 1
                    assigned[pid] = last_key
                    yield separator + dumps({str(last_key): row})[1:-1]
                    separator = b",\n"
            elif table == DIGESTS:
                for row in pending.digests:
                    last_key += 1
                    yield separator + dumps({str(last_key): row})[1:-1]
                    separator = b",\n"
            elif table == META_TABLE:
                yield separator + _meta_row()

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
                        if name == PAPERS and key in changed:
                            # Merged into the stored row: keys this version does not know stay.
                            (stored,) = orjson.loads(b"{" + row + b"}").values()
                            row = dumps({key.decode(): {**stored, **changed.pop(key)}})[1:-1]
                    yield separator + row
                    separator = b",\n"
        except NotRowPerLine:
            raise _NotAsRead from None
        if changed:
            raise _NotAsRead  # a changed paper's row was not found: parse it whole
        for table in (PAPERS, DIGESTS, META_TABLE):
            if table not in names:
                yield header(table)
                names.add(table)
                separator, last_key = b"\n", 0
                yield from appended(table)
                yield b"\n}"
        yield b"\n}\n"

    def _write_whole(self, pending: _Pending) -> dict[str, int]:
        """Parse the file whole (reporting damage), apply ``pending`` by paper id, write it."""
        tables: Tables = load_tables(self.path, KIND) or {}
        if tables:
            migrations.upgrade(KIND, tables)
        papers = tables.setdefault(PAPERS, {})
        key_of = {row["id"]: key for key, row in papers.items()}
        next_key = max(map(int, papers), default=0) + 1
        for pid, row in (*pending.changed.items(), *pending.new.items()):
            key = key_of.get(pid)
            if key is None:
                key = key_of[pid] = str(next_key)
                next_key += 1
                papers[key] = row
            else:
                papers[key] = {**papers[key], **row}  # keys this version does not know stay
        digests = tables.setdefault(DIGESTS, {})
        next_key = max(map(int, digests), default=0) + 1
        for n, row in enumerate(pending.digests, start=next_key):
            digests[str(n)] = row
        tables[META_TABLE] = {"1": {"schema": SCHEMA_VERSIONS[KIND], "kind": KIND}}
        atomic_write(self.path, iter_row_per_line(tables), private=True)
        self._doc_ids = {}
        return {pid: int(key) for pid, key in key_of.items()}
