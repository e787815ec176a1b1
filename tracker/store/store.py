"""Store: the two data files of one data directory, with the writer lock.

``library.json`` holds papers and digests and is written on import only;
``annotations.json`` holds the user's statuses, notes and tags plus a short
undo log, and is written on every change. Keeping them apart makes a status
change cost O(annotations), never O(library).
"""

from __future__ import annotations

import contextlib
import glob
import os
import time
from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from pathlib import Path
from typing import Any

import filelock
from tinydb import TinyDB
from tinydb.table import Table

from tracker.store.atomic import atomic_write, real_target
from tracker.store.errors import CorruptFileError, LockedError, ReadOnlyError, StoreError
from tracker.store.library_file import LibraryEdit, LibraryFile, Loaded, MakePaper
from tracker.store.regular_file import open_regular
from tracker.store.storage import AtomicJSONStorage, storage_of

LIBRARY_FILE = "library.json"
ANNOTATIONS_FILE = "annotations.json"
LOCK_FILE = "tracker.lock"
OWNER_FILE = "tracker.lock.owner"
UNDO_LIMIT = 100
DATA_DIR_MODE = 0o700
_OWNER_MAX_BYTES = 200


class Store:
    """Both data files of one data directory (library.json by LibraryFile, annotations.json
    a TinyDB database), with the writer lock.

    Open with :meth:`open`; a writable store holds the lock until
    :meth:`close`. Read-only stores take no lock: files are only ever
    replaced whole, so a reader always sees a consistent version.
    """

    def __init__(self, directory: Path, *, readonly: bool = False) -> None:
        self.directory = directory
        self.readonly = readonly
        self._lock: filelock.BaseFileLock | None = None
        self._library: LibraryFile | None = None
        self._loaded: Loaded | None = None  # read at open, until take_library()
        self._make_paper: MakePaper = _row
        self._annotations: TinyDB | None = None
        self._annotation_doc_ids: dict[str, int] = {}

    # -- lifecycle -------------------------------------------------------
    @classmethod
    def open(
        cls, directory: Path, *, readonly: bool = False, make_paper: MakePaper | None = None
    ) -> Store:
        """Open and check both files; papers are made by ``make_paper`` (default: the rows)."""
        store = cls(directory, readonly=readonly)
        if make_paper is not None:
            store._make_paper = make_paper
        if not readonly:
            try:
                # Only the user may look into a new data folder (notes are
                # private); an existing folder keeps the mode it was given.
                directory.mkdir(mode=DATA_DIR_MODE, parents=True, exist_ok=True)
            except OSError as err:
                raise StoreError(
                    f"cannot create the data directory {directory}: {err.strerror or err}"
                ) from err
            store._acquire_lock()
            store._remove_stale_temp_files()
        try:
            store._library = LibraryFile(directory / LIBRARY_FILE, readonly=readonly)
            store._loaded = store._library.load(store._make_paper)
            store._annotations = TinyDB(
                directory / ANNOTATIONS_FILE,
                storage=AtomicJSONStorage,
                kind="annotations",
                indent=True,
            )
            # Read both files now so a damaged one is reported at open time.
            annotations = storage_of(store._annotations)
            annotations.read()
            store._check_pair()
            if not readonly:
                # A read-only open keeps an older file's upgrade in memory.
                store._library.save_migration()
                annotations.save_migration()
        except BaseException:
            store.close()
            raise
        return store

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
        store = cls(directory)
        store._acquire_lock()
        try:
            yield
        finally:
            store.close()

    def _acquire_lock(self) -> None:
        lock_path = self.directory / LOCK_FILE
        if lock_path.is_symlink():
            # The lock is opened with O_TRUNC: through a link it would empty
            # whatever file the link points to.
            raise StoreError(
                f"{lock_path} is a symbolic link, not paper-tracker's lock file; "
                "remove it (nothing was changed)"
            )
        lock = filelock.FileLock(lock_path, timeout=0, thread_local=False)
        try:
            lock.acquire()
        except filelock.Timeout:
            owner = self._read_owner()
            raise LockedError(
                f"the library in {self.directory} is in use by another paper-tracker "
                f"({owner}); close it first (reading commands such as list, export and "
                "stats still work)"
            ) from None
        except OSError as err:
            raise StoreError(f"cannot lock {lock_path}: {err.strerror or err}") from err
        self._lock = lock
        # Only a courtesy for the message above, so never an error; replaced
        # (not opened) so that a link planted under its name is not followed.
        with contextlib.suppress(StoreError):
            atomic_write(
                self.directory / OWNER_FILE,
                f"pid {os.getpid()}, since {time.strftime('%Y-%m-%d %H:%M:%S')}\n".encode(),
                keep_backup=False,
                private=True,
                follow_links=False,
            )

    def _remove_stale_temp_files(self) -> None:
        # A writer killed between writing its temporary file and renaming it
        # leaves the file behind (beside the file a link points to, for a
        # linked data file). It was never the real file, and we hold the
        # lock, so nobody is writing it now.
        for name in (LIBRARY_FILE, ANNOTATIONS_FILE, OWNER_FILE):
            with contextlib.suppress(StoreError):
                target = real_target(self.directory / name)
                for stale in target.parent.glob(f".{glob.escape(target.name)}.*.tmp"):
                    with contextlib.suppress(OSError):
                        stale.unlink()

    def _read_owner(self) -> str:
        try:
            with open_regular(self.directory / OWNER_FILE) as fh:
                owner = fh.read(_OWNER_MAX_BYTES).decode("utf-8", "replace")
        except (OSError, StoreError):
            return "unknown pid"
        return " ".join(owner.split()) or "unknown pid"

    @property
    def has_unsaved(self) -> bool:
        """True when a failed write left changes that are only in memory."""
        return (self._library is not None and self._library.dirty) or (
            self._annotations is not None and storage_of(self._annotations).dirty
        )

    def flush(self) -> None:
        """Retry the writes that failed (library first); raises StoreError if one fails again."""
        self.library_file.flush()
        storage_of(self.annotations_db).flush()

    def close(self) -> None:
        if not self.readonly:
            if self._library is not None:
                with contextlib.suppress(StoreError):
                    self._library.flush()
            if self._annotations is not None:
                with contextlib.suppress(StoreError):
                    storage_of(self._annotations).flush()
        self._library = self._annotations = None
        self._loaded = None
        if self._lock is not None:
            with contextlib.suppress(OSError):
                (self.directory / OWNER_FILE).unlink()
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

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

    def _raw(self, db: TinyDB, table: str) -> dict[str, Any]:
        tables = storage_of(db).read() or {}
        result: dict[str, Any] = tables.get(table, {})
        return result

    def _check_writable(self) -> None:
        if self.readonly:
            raise ReadOnlyError(f"the library in {self.directory} is open read-only")

    # -- library ---------------------------------------------------------
    def take_library(self) -> Loaded:
        """The papers (made by ``make_paper``) and digest rows; the store keeps no copy.

        The first call hands over what :meth:`open` read; later ones read the
        file again (an import whose write failed included).
        """
        loaded, self._loaded = self._loaded, None
        return loaded if loaded is not None else self.library_file.load(self._make_paper)

    def load_papers(self) -> list[dict[str, Any]]:
        """Every stored paper as a plain dict, in insertion order (read anew)."""
        return self.library_file.load(_row).papers

    def load_digests(self) -> list[dict[str, Any]]:
        return self.library_file.load(_row).digests

    def save_import(
        self,
        new_papers: Iterable[Mapping[str, Any]],
        changed_papers: Mapping[str, Mapping[str, Any]],
        digests: Iterable[Mapping[str, Any]],
    ) -> None:
        """Store one import in a single atomic write of library.json."""
        self._check_writable()
        self.library_file.save(new_papers, changed_papers, digests)

    def save_library_edit(self, edit: LibraryEdit) -> None:
        """Store a change of papers, digests and undo records in one atomic write of library.json.

        A failed write keeps the edit in memory (:attr:`has_unsaved`); the
        next write, :meth:`flush` or closing the store retries it.
        """
        self._check_writable()
        self.library_file.edit(edit)

    # -- annotations -----------------------------------------------------
    def load_annotations(self) -> list[dict[str, Any]]:
        raw = self._raw(self.annotations_db, "annotations")
        self._annotation_doc_ids = {doc["paper_id"]: int(d) for d, doc in raw.items()}
        return list(raw.values())

    def save_annotations(
        self,
        annotations: Iterable[Mapping[str, Any]],
        *,
        undo_push: Mapping[str, Any] | None = None,
        undo_pop: bool = False,
    ) -> None:
        """Write changed annotations and the undo log in one atomic, fsynced write.

        Returns only when the change is durable on disk; raises StoreError
        otherwise.
        """
        self._check_writable()
        db = self.annotations_db
        table: Table = db.table("annotations")
        if not self._annotation_doc_ids:
            self.load_annotations()
        changed = {a["paper_id"]: dict(a) for a in annotations}
        existing = {pid: doc for pid, doc in changed.items() if pid in self._annotation_doc_ids}
        fresh = [doc for pid, doc in changed.items() if pid not in self._annotation_doc_ids]
        with storage_of(db).batch():
            if existing:
                # update() hands us each stored document; replace its content whole.
                table.update(
                    lambda doc: _replace(doc, existing),
                    doc_ids=[self._annotation_doc_ids[pid] for pid in existing],
                )
            if fresh:
                for doc, doc_id in zip(fresh, table.insert_multiple(fresh), strict=True):
                    self._annotation_doc_ids[doc["paper_id"]] = doc_id
            undo: Table = db.table("undo")
            if undo_pop:
                last = self._last_undo_id()
                if last is not None:
                    undo.remove(doc_ids=[last])
            if undo_push is not None:
                undo.insert(dict(undo_push))
                ids = sorted(int(i) for i in self._raw(db, "undo"))
                if len(ids) > UNDO_LIMIT:
                    undo.remove(doc_ids=ids[: len(ids) - UNDO_LIMIT])

    def undo_entries(self) -> dict[int, dict[str, Any]]:
        """Every undo entry by id, oldest first."""
        raw = self._raw(self.annotations_db, "undo")
        return {int(i): raw[i] for i in sorted(raw, key=int)}

    def drop_undo_entries(self, ids: Iterable[int]) -> None:
        """Remove these undo entries (atomically, fsynced)."""
        self._check_writable()
        db = self.annotations_db
        with storage_of(db).batch():
            db.table("undo").remove(doc_ids=list(ids))

    def last_undo(self) -> dict[str, Any] | None:
        """The most recent undo entry, or None."""
        last = self._last_undo_id()
        if last is None:
            return None
        entry: dict[str, Any] = self._raw(self.annotations_db, "undo")[str(last)]
        return entry

    def last_undo_id(self) -> int | None:
        """The id of the most recent undo entry (ids only grow), or None."""
        return self._last_undo_id()

    def _last_undo_id(self) -> int | None:
        ids = [int(i) for i in self._raw(self.annotations_db, "undo")]
        return max(ids) if ids else None


def _row(row: dict[str, Any]) -> dict[str, Any]:
    return row


def _replace(doc: Mapping[str, Any], by_paper: Mapping[str, Mapping[str, Any]]) -> None:
    # TinyDB hands over the stored document, a dict; its type hints say Mapping
    # before 4.9 and MutableMapping since, so take the one both accept.
    assert isinstance(doc, MutableMapping)
    new = by_paper[doc["paper_id"]]
    doc.clear()
    doc.update(new)
