"""Store: the two data files of one data directory, written one change at a time under a lock.

``library.json`` holds papers and digests and changes on import;
``annotations.json`` holds the user's statuses, notes and tags plus a short
undo log, and changes on every keystroke-sized edit. Each is a base snapshot
with a journal of the changes since (see :mod:`tracker.store.journal`), so a
change costs what it changes.

Any number of processes may have a library open; each write takes the writer
lock (:mod:`tracker.store.lock`) for its own duration only: :meth:`Store.writing`
takes it and first reads what other processes appended since this one last
looked, so that a change is always made on top of the latest state. What was
read that way, or by :meth:`Store.refresh` (the app calls it every second),
is handed to the library by :meth:`Store.take_changes`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tinydb import TinyDB

from tracker.rows import annotation_row_problem
from tracker.store.atomic import real_target, writer_is_gone
from tracker.store.catalog import CATALOG_FILE
from tracker.store.errors import CorruptFileError, ReadOnlyError, StoreError, check_data_folder
from tracker.store.heads_file import HEADS_FILE
from tracker.store.journal import Op
from tracker.store.library_base import MakeStored
from tracker.store.library_file import LibraryFile
from tracker.store.library_rows import (
    DIGESTS,
    PAPERS,
    LibraryEdit,
    Loaded,
    MakePaper,
)
from tracker.store.lock import LOCK_FILE, OWNER_FILE, WriterLock
from tracker.store.rejected import RejectedRows
from tracker.store.storage import JournalStorage, rows_of, storage_of

LIBRARY_FILE = "library.json"
ANNOTATIONS_FILE = "annotations.json"
ANNOTATIONS = "annotations"
UNDO = "undo"
UNDO_LIMIT = 100
DATA_DIR_MODE = 0o700
STALE_TEMPORARY_SECONDS = 600
"""A temporary file of ours this old belongs to a writer that died (a live one writes on);
one whose writer's process is gone is removed at once."""

__all__ = [
    "ANNOTATIONS_FILE",
    "LIBRARY_FILE",
    "LOCK_FILE",
    "OWNER_FILE",
    "UNDO_LIMIT",
    "Picked",
    "Store",
]


@dataclass(slots=True)
class Picked:
    """Changes other processes made, taken in since the library last asked."""

    reload: bool = False
    """Everything must be read again (:meth:`Store.take_library`, :meth:`Store.load_annotations`)."""
    library: list[Op] = field(default_factory=list)
    """Operations on papers and digests, in order."""
    annotations: list[dict[str, Any]] = field(default_factory=list)
    """Annotation documents written, in order (the last one of a paper wins)."""

    def __bool__(self) -> bool:
        return self.reload or bool(self.library or self.annotations)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class Store:
    """Both data files of one data directory, each a base and a journal, and the writer lock.

    Open with :meth:`open`. Opening takes no lock (only the upgrade of files
    written by an older version does, once); every write holds it for its
    own duration.
    """

    def __init__(self, directory: Path, *, readonly: bool = False) -> None:
        self.directory = directory
        self.readonly = readonly
        self.lock = WriterLock(directory)
        self._library: LibraryFile | None = None
        self._loaded: Loaded | None = None  # read at open, until take_library()
        self._make_paper: MakePaper = _row
        self._make_stored: MakeStored | None = None
        self._annotations: TinyDB | None = None
        self._annotation_keys: dict[str, str] = {}  # paper id -> its document's key
        self._next_key: dict[str, int] = {}
        self._picked = Picked()
        self.lazy = False
        self.rejected = RejectedRows()
        """Rows of either file that do not fit their schema: left out, kept (see rejected.py)."""
        self._rejected_saved = 0

    # -- lifecycle -------------------------------------------------------
    @classmethod
    def open(
        cls,
        directory: Path,
        *,
        readonly: bool = False,
        make_paper: MakePaper | None = None,
        lazy: bool = False,
        make_stored: MakeStored | None = None,
    ) -> Store:
        """Open and read both files; papers are made by ``make_paper`` (default: the rows).

        ``lazy``: papers are read when they are used (see
        :mod:`tracker.store.lazy_rows`), for commands that need a few of them.
        ``make_stored``: when every paper is read, the base's are made by it,
        their abstracts left in the file (see :mod:`tracker.store.base_texts`).
        """
        check_data_folder(directory)
        store = cls(directory, readonly=readonly)
        store.lazy = lazy
        if make_paper is not None:
            store._make_paper = make_paper
        store._make_stored = make_stored
        if not readonly:
            try:
                # Only the user may look into a new data folder (notes are
                # private); an existing folder keeps the mode it was given.
                directory.mkdir(mode=DATA_DIR_MODE, parents=True, exist_ok=True)
            except OSError as err:
                raise StoreError(
                    f"cannot create the data directory {directory}: {err.strerror or err}"
                ) from err
        try:
            store._library = LibraryFile(directory / LIBRARY_FILE, readonly=readonly)
            store._library.rejected = store.rejected
            store._annotations = TinyDB(
                directory / ANNOTATIONS_FILE,
                storage=JournalStorage,
                kind=ANNOTATIONS,
                readonly=readonly,
            )
            store._read_all()
            if not readonly and store._needs_upgrade():
                with store.lock.hold():
                    store._read_all()  # another process may have upgraded them meanwhile
                    store.library_file.save_migration()
                    store._annotation_storage.save_migration()
            if not readonly:
                store._remove_stale_temp_files()
                store.keep_rejected()
        except BaseException:
            store.close()
            raise
        return store

    def _read_all(self) -> None:
        self._loaded = self._load_library()
        self._annotation_storage.load()
        self._index_annotations()
        self._check_pair()

    def keep_rejected(self) -> None:
        """Copy rows set aside since the last call to their ``*.rejected`` files (writable only)."""
        if not self.readonly and len(self.rejected) > self._rejected_saved:
            self.rejected.save()
            self._rejected_saved = len(self.rejected)

    def _needs_upgrade(self) -> bool:
        return (
            self.library_file.migrated_from is not None
            or self._annotation_storage.migrated_from is not None
        )

    def _check_pair(self) -> None:
        lib = self.directory / LIBRARY_FILE
        ann = self.directory / ANNOTATIONS_FILE
        if lib.exists() and not ann.exists() and ann.with_name(ann.name + ".bak").exists():
            raise CorruptFileError(
                f"{ann} is missing but its backup {ann.name}.bak exists; "
                "`tracker doctor --restore` puts it back (nothing was changed)"
            )

    @classmethod
    @contextlib.contextmanager
    def lock_only(cls, directory: Path) -> Iterator[None]:
        """Hold the writer lock without reading the data files (for repairs)."""
        with WriterLock(directory).hold():
            yield

    def _remove_stale_temp_files(self) -> None:
        # A writer killed between writing its temporary file and renaming it
        # leaves the file behind (beside the file a link points to, for a
        # linked data file). Another process may be writing one right now
        # (a compaction copies without holding the lock), so only those left
        # alone for a while go, and only while no one writes.
        with self.lock.try_hold() as got:
            if not got:
                return
            now = time.time()
            listed: dict[Path, list[str]] = {}  # each directory read once
            for name in (*_DATA_FILES, OWNER_FILE, *_DERIVED_FILES):
                with contextlib.suppress(StoreError, OSError):
                    target = real_target(self.directory / name)
                    names = listed.get(target.parent)
                    if names is None:
                        names = listed[target.parent] = os.listdir(target.parent)
                    head = f".{target.name}"  # ".<name>*.tmp", as temporary_name makes them
                    for leftover in names:
                        if not (
                            leftover.startswith(head)
                            and leftover.endswith(".tmp")
                            and len(leftover) >= len(head) + 4
                        ):
                            continue
                        stale = target.parent / leftover
                        with contextlib.suppress(OSError):
                            old = now - stale.lstat().st_mtime > STALE_TEMPORARY_SECONDS
                            if old or writer_is_gone(stale.name):
                                stale.unlink()

    @property
    def has_unsaved(self) -> bool:
        """True when a failed write left changes that are only in memory."""
        return (self._library is not None and self._library.dirty) or (
            self._annotations is not None and self._annotation_storage.dirty
        )

    def flush(self) -> None:
        """Retry the writes that failed (library first); raises StoreError if one fails again."""
        if self.readonly or not self.has_unsaved:
            return
        with self.writing():
            self.library_file.flush(_now())
            self._annotation_storage.flush(_now())

    def compact(self, *, force: bool = False) -> bool:
        """Fold journals that have grown (any, with ``force``) into new bases; True if one was.

        The annotations' is small and folded under the lock; the library's
        is copied without holding it (see :meth:`LibraryFile.compact`).
        Safe to call from a worker thread.
        """
        if self.readonly:
            return False
        with self.writing():
            done = self._annotation_storage.compact(force=force)
        return self.library_file.compact(self.writing, force=force) or done

    def close(self) -> None:
        if not self.readonly and self._library is not None and self._annotations is not None:
            with contextlib.suppress(StoreError):
                self.flush()
            # Journals that have grown are folded into their bases on the way
            # out, unless someone is writing right now (then a later one does).
            with contextlib.suppress(StoreError), self.lock.try_hold() as got:
                if got:
                    self._refresh()
                    self._annotation_storage.compact()
            if self.library_file.needs_compaction():
                with contextlib.suppress(StoreError, _Busy):
                    self.library_file.compact(self._writing_if_free)
        if self._library is not None:
            self._library.close()
        if self._annotations is not None:
            self._annotation_storage.close()
        self._library = self._annotations = None
        self._loaded = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing and taking in others' changes -------------------------------
    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the writer lock for a change, after taking in what others wrote.

        Re-entrant: a change made of several writes holds it once. What was
        taken in waits in :meth:`take_changes` for the library.
        """
        self._check_writable()
        with self.lock.hold() as outermost:
            if outermost:
                self._refresh()
            yield

    @contextlib.contextmanager
    def _writing_if_free(self) -> Iterator[None]:
        """:meth:`writing`, or _Busy at once when another process holds the lock."""
        with self.lock.try_hold() as got:
            if not got:
                raise _Busy
            self._refresh()
            yield

    def refresh(self) -> bool:
        """Take in what other processes wrote (no lock); True if anything was.

        Cheap when nothing changed: a stat of each journal.
        """
        with self.lock.in_process():  # a compaction in a worker thread may be writing
            if self.library_file.changed_on_disk() or self._annotation_storage.changed_on_disk():
                self._refresh()
            return bool(self._picked)

    def _refresh(self) -> None:
        picked = self._picked
        ops = self.library_file.refresh()
        if ops is None:
            self._loaded = None
            picked.reload = True
        elif not picked.reload:
            picked.library.extend(ops)
        ann_ops = self._annotation_storage.refresh()
        if ann_ops is None:
            self._index_annotations()
            picked.reload = True
        else:
            for op in ann_ops:
                self._take_annotation_op(op)
                put = op[1] == ANNOTATIONS and op[0] == "put"
                if put and not picked.reload and self._fits(op[3], op[2]):
                    picked.annotations.append(op[3])
        if picked.reload:
            picked.library.clear()
            picked.annotations.clear()
        self.keep_rejected()

    def take_changes(self) -> Picked:
        """What :meth:`writing` and :meth:`refresh` took in since the last call."""
        with self.lock.in_process():
            picked, self._picked = self._picked, Picked()
        return picked

    # -- access helpers --------------------------------------------------
    @property
    def library_file(self) -> LibraryFile:
        if self._library is None:
            raise StoreError(f"the library in {self.directory} is closed")
        return self._library

    @property
    def annotations_db(self) -> TinyDB:
        # Keys still queued when the app quits may reach a closed store.
        if self._annotations is None:
            raise StoreError(f"the library in {self.directory} is closed")
        return self._annotations

    @property
    def _annotation_storage(self) -> JournalStorage:
        return storage_of(self.annotations_db)

    def _check_writable(self) -> None:
        if self.readonly:
            raise ReadOnlyError(f"the library in {self.directory} is open read-only")

    # -- library ---------------------------------------------------------
    def take_library(self) -> Loaded:
        """The papers (made by ``make_paper``) and digest rows; the store keeps no copy.

        The first call hands over what :meth:`open` read; later ones read the
        files again (a change whose write failed included).
        """
        loaded, self._loaded = self._loaded, None
        return loaded if loaded is not None else self._load_library()

    def _load_library(self) -> Loaded:
        if self.lazy:
            loaded = self.library_file.load_lazy(self._make_paper)
            if loaded is not None:
                return loaded
        return self.library_file.load(self._make_paper, self._make_stored)

    def load_papers(self) -> list[dict[str, Any]]:
        """Every stored paper as a plain dict, in library order (read anew)."""
        papers: list[dict[str, Any]] = self.library_file.load(_row).papers
        return papers

    def load_digests(self) -> list[dict[str, Any]]:
        return self.library_file.load(_row).digests

    def save_import(
        self,
        new_papers: Iterable[Mapping[str, Any]],
        changed_papers: Mapping[str, Mapping[str, Any]],
        digests: Iterable[Mapping[str, Any]],
    ) -> None:
        """Store one import (new and changed paper rows, new digests) as one record, fsynced."""
        ops: list[Op] = [["put", PAPERS, str(r["id"]), dict(r)] for r in new_papers]
        ops += [["put", PAPERS, pid, dict(r)] for pid, r in changed_papers.items()]
        ops += [["put", DIGESTS, str(d["id"]), dict(d)] for d in digests]
        self.save_library(ops)

    def library_state(self) -> str | None:
        """A name for the papers as this process has them (None when it cannot say).

        The base's id and the last journal record taken in (its number and a
        CRC of it): another process that names the same state has the same
        papers in the same order, texts included. The saved search index is
        tagged with it, so that a command finds it fits without reading every
        paper's text (tracker/search/index_file.py). Changes a failed write
        left in memory have no name: None then.
        """
        return self.library_file.state_name()

    def paper_puts_since(self, state: str) -> list[str] | None:
        """The ids of the papers written since the library was in ``state`` (a name
        :meth:`library_state` gave), in order; None when the journal cannot tell
        (see LibraryFile.paper_puts_since). The search index fits a file saved in
        that state by looking at only these papers' texts."""
        return self.library_file.paper_puts_since(state)

    def save_library(self, ops: list[Op]) -> None:
        """Store changes to papers and digests (``put``/``del`` operations) as one record."""
        if not ops:
            return
        with self.writing():
            self.library_file.commit(ops, _now())

    def save_library_edit(self, edit: LibraryEdit) -> None:
        """Store a change of papers, digests and undo records as one journal record, fsynced.

        A failed write keeps the edit in memory (:attr:`has_unsaved`); the
        next write, :meth:`flush` or closing the store retries it.
        """
        if edit.appended is not None:
            with self.writing():
                self.library_file.commit(edit.ops(), _now(), appended=edit.appended)
            return
        self.save_library(edit.ops())

    # -- annotations -----------------------------------------------------
    def _fits(self, doc: Any, key: str) -> bool:
        """Whether an annotation row fits the schema; one that does not is set aside.

        Set aside, it is never the row a new change of that paper replaces
        (the change gets a key of its own), so its bytes stay in the file.
        """
        problem = annotation_row_problem(doc)
        if problem:
            where = self.directory / ANNOTATIONS_FILE
            self.rejected.add(where, f"annotations row {key!r}", ANNOTATIONS, problem, doc)
        return not problem

    def _index_annotations(self) -> None:
        self._annotation_keys = {}
        self._next_key = {}
        storage = self._annotation_storage
        for key, doc in rows_of(storage, ANNOTATIONS).items():
            if self._fits(doc, key):
                self._annotation_keys[doc["paper_id"]] = key
        for table in (ANNOTATIONS, UNDO):
            keys = [int(k) for k in rows_of(storage, table) if k.isdigit()]
            self._next_key[table] = max(keys, default=0) + 1

    def _take_annotation_op(self, op: Op) -> None:
        table, key = op[1], op[2]
        if key.isdigit():
            self._next_key[table] = max(self._next_key.get(table, 1), int(key) + 1)
        if table == ANNOTATIONS:
            if op[0] == "put" and self._fits(op[3], key):
                self._annotation_keys[op[3]["paper_id"]] = key
            elif op[0] == "del":
                self._index_annotations()

    def _new_key(self, table: str) -> str:
        key = self._next_key.get(table, 1)
        self._next_key[table] = key + 1
        return str(key)

    def load_annotations(self) -> list[dict[str, Any]]:
        """Every annotation row that fits the schema (the others are set aside)."""
        rows = rows_of(self._annotation_storage, ANNOTATIONS)
        return [doc for key, doc in rows.items() if self._fits(doc, key)]

    def save_annotations(
        self,
        annotations: Iterable[Mapping[str, Any]],
        *,
        undo_push: Mapping[str, Any] | None = None,
        undo_pop: bool = False,
        undo_remove: int | None = None,
    ) -> None:
        """Write changed annotations and the undo log as one journal record, fsynced.

        ``undo_remove`` removes that undo entry (``undo_pop``: the newest).
        Returns only when the change is durable on disk; raises StoreError
        otherwise (the change then stays in memory and is retried).
        """
        with self.writing():
            ops: list[Op] = []
            for doc in annotations:
                pid = str(doc["paper_id"])
                key = self._annotation_keys.get(pid)
                if key is None:
                    key = self._annotation_keys[pid] = self._new_key(ANNOTATIONS)
                ops.append(["put", ANNOTATIONS, key, dict(doc)])
            undo = rows_of(self._annotation_storage, UNDO)
            if undo_pop and undo_remove is None:
                undo_remove = self.last_undo_id()
            if undo_remove is not None and str(undo_remove) in undo:
                ops.append(["del", UNDO, str(undo_remove)])
            if undo_push is not None:
                ops.append(["put", UNDO, self._new_key(UNDO), dict(undo_push)])
                ids = sorted(int(i) for i in undo if i.isdigit() and i != str(undo_remove))
                excess = len(ids) + 1 - UNDO_LIMIT
                ops += [["del", UNDO, str(i)] for i in ids[: max(0, excess)]]
            if ops:
                self._annotation_storage.commit(ops, _now())

    def undo_entries(self) -> dict[int, dict[str, Any]]:
        """Every undo entry by id, oldest first (ids only grow)."""
        with self.lock.in_process():
            undo = dict(rows_of(self._annotation_storage, UNDO))
        entries = {int(k): e for k, e in undo.items() if k.isdigit() and isinstance(e, dict)}
        return dict(sorted(entries.items()))

    def drop_undo_entries(self, ids: Iterable[int]) -> None:
        """Remove these undo entries (one journal record, fsynced)."""
        ops: list[Op] = [["del", UNDO, str(i)] for i in ids]
        if ops:
            with self.writing():
                self._annotation_storage.commit(ops, _now())

    def last_undo(self) -> dict[str, Any] | None:
        """The most recent undo entry, or None."""
        entries = self.undo_entries()
        return entries[max(entries)] if entries else None

    def last_undo_id(self) -> int | None:
        """The id of the most recent undo entry, or None."""
        entries = self.undo_entries()
        return max(entries) if entries else None


_DATA_FILES = (
    LIBRARY_FILE,
    ANNOTATIONS_FILE,
    "library.journal.jsonl",
    "annotations.journal.jsonl",
)
_DERIVED_FILES = (CATALOG_FILE, HEADS_FILE)
"""Written beside the data files (temporary file, then renamed) without the lock."""


class _Busy(Exception):
    """Another process holds the writer lock (a compaction on the way out waits for no one)."""


def _row(row: dict[str, Any]) -> dict[str, Any]:
    return row
