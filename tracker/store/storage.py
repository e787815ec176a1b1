"""AtomicJSONStorage: the TinyDB storage of annotations.json (cached, batched, written atomically).

library.json is read and written by :mod:`tracker.store.library_file`; this
storage only upgrades an older one, whole.

TinyDB's stock JSONStorage truncates the file and rewrites it in place, so a
crash mid-write loses everything. :class:`AtomicJSONStorage` writes a
temporary file, fsyncs it, keeps the previous file as ``*.bak`` and renames
the new one into place, so a reader or a crash sees either the old file or
the new one, never half of one.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import orjson
from tinydb import TinyDB
from tinydb.storages import Storage

from tracker.store import migrations
from tracker.store.atomic import atomic_write
from tracker.store.errors import StoreError
from tracker.store.regular_file import read_regular
from tracker.store.row_per_line import iter_row_per_line
from tracker.store.tables import META_TABLE, SCHEMA_VERSIONS, Tables, load_tables


class AtomicJSONStorage(Storage):
    """A TinyDB storage that caches the data and replaces the file atomically.

    Writes inside :meth:`batch` are collected and hit the disk once, so a
    change that touches several tables (an annotation plus its undo entry)
    is one atomic file replacement.
    """

    def __init__(self, path: str | os.PathLike[str], *, kind: str, indent: bool = False) -> None:
        self.path = Path(path)
        self.kind = kind
        self._indent = indent
        self._cache: Tables | None = None
        self._batch_depth = 0
        self._dirty = False
        self.migrated_from: int | None = None
        """The file's schema when it was older and upgraded in memory only (not yet saved)."""

    # -- reading ---------------------------------------------------------
    def read(self) -> Tables | None:
        if self._cache is None:
            tables = load_tables(self.path, self.kind)
            if tables is not None:
                self.migrated_from = migrations.upgrade(self.kind, tables)
            self._cache = tables
        return self._cache

    def save_migration(self) -> None:
        """Write a file that :meth:`read` upgraded, keeping the original first.

        The original bytes go to ``<file>.v<N>.bak`` (never overwritten: the
        first copy is the one that matters), then the upgraded tables replace
        the file atomically. If anything fails the file on disk is still the
        old version, which the next open upgrades again. Call only while
        holding the writer lock.
        """
        old = self.migrated_from
        if old is None:
            return
        new = SCHEMA_VERSIONS[self.kind]
        backup = self.path.with_name(f"{self.path.name}.v{old}.bak")
        try:
            if not backup.exists():
                atomic_write(backup, read_regular(self.path), private=True)
            self._dirty = True
            self.flush()
        except (StoreError, OSError) as err:
            # Forget the upgraded copy so that close() does not retry the write.
            self._cache = None
            self._dirty = False
            self.migrated_from = None
            cause = err.__cause__ if isinstance(err.__cause__, OSError) else err
            reason = cause.strerror if isinstance(cause, OSError) and cause.strerror else cause
            raise StoreError(
                f"could not upgrade {self.path} from schema {old} to {new}: {reason}; "
                "the file was left as it is — free some space or fix the permissions and "
                "open it again (--read-only works meanwhile)"
            ) from err
        self.migrated_from = None

    # -- writing ---------------------------------------------------------
    def write(self, data: Tables) -> None:
        self._cache = data
        self._dirty = True
        if self._batch_depth == 0:
            self.flush()

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Collect the writes made inside the block into one atomic write.

        If the block raises, nothing is written and the cache goes back to
        what it was before the block: the disk's content, or, after an
        earlier failed write, that unsaved data (never thrown away here).
        """
        # Copying the tables costs, so only in the rare state that needs it.
        saved = (
            orjson.loads(orjson.dumps(self._cache, option=orjson.OPT_NON_STR_KEYS))
            if self._batch_depth == 0 and self._dirty and self._cache is not None
            else None
        )
        self._batch_depth += 1
        try:
            yield
        except BaseException:
            self._batch_depth -= 1
            if self._batch_depth == 0:
                self._cache = saved
                self._dirty = saved is not None
            raise
        self._batch_depth -= 1
        if self._batch_depth == 0 and self._dirty:
            self.flush()

    def flush(self) -> None:
        """Write the cached data to disk durably (fsync) if it changed."""
        if not self._dirty or self._cache is None:
            return
        tables = self._cache
        meta = tables.setdefault(META_TABLE, {})
        meta["1"] = {"schema": SCHEMA_VERSIONS[self.kind], "kind": self.kind}
        if self._indent:
            payload = orjson.dumps(tables, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS)
            atomic_write(self.path, payload, private=True)
        else:
            atomic_write(self.path, iter_row_per_line(tables), private=True)
        self._dirty = False

    @property
    def dirty(self) -> bool:
        """True when a write failed and its data is only in memory."""
        return self._dirty

    def close(self) -> None:
        self.flush()


def storage_of(db: TinyDB) -> AtomicJSONStorage:
    """The atomic storage behind one of our databases."""
    storage = db.storage
    assert isinstance(storage, AtomicJSONStorage)
    return storage
