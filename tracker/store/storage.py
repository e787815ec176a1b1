"""JournalStorage: the TinyDB storage of annotations.json — a base snapshot and its journal.

TinyDB's stock JSONStorage truncates the file and rewrites it in place on
every change, so a crash mid-write loses everything, and every change costs
the whole file. :class:`JournalStorage` keeps the tables in memory and
stores them as

- ``annotations.json``: a snapshot (the *base*), TinyDB's JSON with two-space
  indentation, replaced whole (temporary file, fsync, rename, the previous
  one kept as ``annotations.json.bak``) only when the journal is folded into
  it (:meth:`compact`), when the file is upgraded from an older version, and
  for the very first change of a new library;
- ``annotations.journal.jsonl``: every change since, one checksummed record
  a line (see :mod:`tracker.store.journal`), appended and fsynced by
  :meth:`commit`. A note autosave writes that one annotation, however many
  there are.

TinyDB reads through :meth:`read` as before. The store writes through
:meth:`commit` with the documents it changed; a TinyDB table write (which
hands over every table) goes through :meth:`write` and replaces the base.
Both need the writer lock (:class:`~tracker.store.lock.WriterLock`) and a
:meth:`refresh` first, which :meth:`Store.writing` does.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import orjson
from tinydb import TinyDB
from tinydb.storages import Storage

from tracker.store import migrations
from tracker.store.atomic import atomic_write, keep_copy
from tracker.store.errors import CorruptFileError, StoreError, base_missing
from tracker.store.journal import EMPTY, Follower, Op, iter_ops, journal_path
from tracker.store.tables import (
    META_TABLE,
    BaseInfo,
    Tables,
    base_info,
    load_tables,
    new_base_meta,
)

COMPACT_MIN_BYTES = 256 * 1024
"""A journal smaller than this is never worth folding into its base."""
COMPACT_RATIO = 1.0
"""...and a larger one is folded in once it is this many times its base's size."""


def apply_ops(tables: Tables, ops: Iterable[Op]) -> None:
    """Apply journal operations to tables: ``put`` replaces or adds a row, ``del`` removes it."""
    for op in ops:
        rows = tables.setdefault(op[1], {})
        if op[0] == "put":
            rows[op[2]] = op[3]
        elif op[0] == "del":
            rows.pop(op[2], None)
        else:  # "table" is for the library's ordered tables, never written here
            raise CorruptFileError(f"an annotations journal holds a {op[0]!r} change")


class JournalStorage(Storage):
    """A TinyDB storage: the tables in memory, a base file and a journal of changes on disk."""

    def __init__(self, path: str | os.PathLike[str], *, kind: str, readonly: bool = False) -> None:
        self.path = Path(path)
        self.kind = kind
        self.readonly = readonly
        self.follower = Follower(journal_path(self.path), kind)
        self._cache: Tables | None = None
        self._info = BaseInfo()
        self._base_size = 0
        self._pending: list[Op] = []
        self.migrated_from: int | None = None
        """The base's schema when it is older than this version's (upgraded in memory only)."""

    # -- reading -----------------------------------------------------------
    def read(self) -> Tables | None:
        if self._cache is None:
            self.load()
        return self._cache

    def load(self) -> None:
        """Read the base and apply its journal (anything unsaved of this process on top)."""
        self.follower.open()  # before the base: see Follower
        try:
            tables = load_tables(self.path, self.kind)
            try:
                self._base_size = self.path.stat().st_size
            except OSError:
                self._base_size = 0
            self.migrated_from = migrations.upgrade(self.kind, tables) if tables else None
            info = base_info(tables)
            if tables is None and self.follower.exists:
                raise base_missing(self.path, self.follower.path)
            records = self.follower.start(info.seq, info.id, info.prev)
            tables = tables or {}
            apply_ops(tables, iter_ops(records, self.follower.path))
        except BaseException:
            self.follower.close()
            raise
        apply_ops(tables, self._pending)
        self._cache = tables
        self._info = info

    def changed_on_disk(self) -> bool:
        return self.follower.changed_on_disk()

    def refresh(self) -> list[Op] | None:
        """Take in what other processes appended; the operations, or None after a full re-read."""
        if self._cache is None:
            self.load()
            return None
        records = self.follower.read_new()
        if records is None:
            self.load()
            return None
        ops = list(iter_ops(records, self.follower.path))
        if ops:
            apply_ops(self._cache, ops)
            if self._pending:
                apply_ops(self._cache, self._pending)  # ours, not yet on disk, stay on top
        return ops

    # -- writing (writer lock held, refresh() done) ------------------------------
    def commit(self, ops: list[Op], at: str) -> None:
        """Apply ``ops`` in memory, then append them to the journal, fsynced.

        On failure the change stays in memory (:attr:`dirty`) and goes to
        disk with the next commit or :meth:`flush`; StoreError says why.
        """
        self._check_writable()
        cache = self.read()
        assert cache is not None
        apply_ops(cache, ops)
        self._pending.extend(ops)
        self.flush(at)

    def flush(self, at: str = "") -> None:
        """Write what a failed commit left in memory (writer lock held)."""
        if not self._pending or self.readonly:
            return
        if not self._layout_is_current():
            if self.migrated_from is not None or self.path.exists():
                self._rewrite()
                return
            self._start_empty()
        self.follower.append(self._pending, at)
        self._pending = []

    def _start_empty(self) -> None:
        """A new library: an empty base and a journal that will hold every change."""
        meta = new_base_meta(self.kind, prev=None, seq=self.follower.last_seq or 0)
        empty = orjson.dumps({META_TABLE: {"1": meta}}, option=orjson.OPT_INDENT_2)
        atomic_write(self.path, empty, private=True)
        self.follower.create(meta["id"], meta["seq"], made=EMPTY)
        self._info = BaseInfo(meta["id"], None, meta["seq"])

    def _layout_is_current(self) -> bool:
        return (
            self.follower.exists
            and self.follower.base_id is not None
            and self.migrated_from is None
            and self.path.exists()
        )

    def _base_id(self) -> str | None:
        """The id of the base on disk as far as this process knows (its journal says it)."""
        return self.follower.base_id or self._info.id

    def write(self, data: Tables) -> None:
        """TinyDB's write of every table: replaces the base (writer lock held)."""
        self._check_writable()
        self._cache = data
        self._rewrite()

    def compact(self, *, force: bool = False) -> bool:
        """Fold the journal into a new base if it has grown large enough (writer lock held)."""
        if self.readonly or self._pending or not self._layout_is_current():
            return False
        size = self.follower.size
        small = size < COMPACT_MIN_BYTES or size < COMPACT_RATIO * self._base_size
        if (small and not force) or self.follower.last_seq == self.follower.base_seq:
            return False
        self._base_size = self.path.stat().st_size if small else self._base_size
        self._rewrite()
        return True

    def save_migration(self) -> None:
        """Write an upgraded base (and a new journal) for a file :meth:`load` upgraded.

        The original goes to ``<file>.v<N>.bak`` first (a hard link, never
        replaced: the first copy is the one that matters). If anything fails
        the old file stays, and the next writable open upgrades it again.
        Writer lock held.
        """
        old = self.migrated_from
        if old is None or self.readonly:
            return
        new = migrations.CURRENT[self.kind]
        backup = self.path.with_name(f"{self.path.name}.v{old}.bak")
        try:
            if not backup.exists():
                keep_copy(self.path, backup)
            self._rewrite(made=f"upgrade of {backup.name}")
        except (StoreError, OSError) as err:
            cause = err.__cause__ if isinstance(err.__cause__, OSError) else err
            reason = cause.strerror if isinstance(cause, OSError) and cause.strerror else cause
            self._cache = None  # read the old file again next time
            raise StoreError(
                f"could not upgrade {self.path} from schema {old} to {new}: {reason}; "
                "the file was left as it is — free some space or fix the permissions and "
                "open it again (--read-only works meanwhile)"
            ) from err

    def _rewrite(self, made: str | None = None) -> None:
        """Replace the base by the tables in memory and start an empty journal after it.

        Changes not yet in the journal (a failed commit) get a number of
        their own that the base records, so that other processes, which
        never saw them, notice the gap and read the new base.
        """
        cache = self.read()
        assert cache is not None
        seq = max(self.follower.last_seq or 0, self.follower.base_seq, self._info.seq)
        if self._pending:
            seq += 1
        meta = new_base_meta(self.kind, prev=self._base_id(), seq=seq)
        tables = {name: rows for name, rows in cache.items() if name != META_TABLE}
        tables[META_TABLE] = {"1": meta}
        payload = orjson.dumps(tables, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS)
        atomic_write(self.path, payload, private=True)
        # The base is in place: from here on the old journal is only read for
        # records after ``seq`` (none), so a crash before the next line is safe.
        self.follower.create(meta["id"], seq, made=made)
        self._cache = tables
        self._info = BaseInfo(meta["id"], meta["prev"], seq)
        self._base_size = len(payload)
        self._pending = []
        self.migrated_from = None

    def _check_writable(self) -> None:
        if self.readonly:
            raise StoreError(f"{self.path} is open read-only")

    @property
    def dirty(self) -> bool:
        """True when a write failed and its change is only in memory."""
        return bool(self._pending)

    def close(self) -> None:
        self.follower.close()


def storage_of(db: TinyDB) -> JournalStorage:
    """The journal storage behind one of our databases."""
    storage = db.storage
    assert isinstance(storage, JournalStorage)
    return storage


def rows_of(storage: JournalStorage, table: str) -> dict[str, Any]:
    """One table of the storage's tables (empty when there is none)."""
    tables = storage.read() or {}
    rows: dict[str, Any] = tables.get(table, {})
    return rows
