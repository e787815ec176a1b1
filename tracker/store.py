"""Persistence: TinyDB tables in two JSON files, written atomically, one writer at a time.

``library.json`` holds papers and digests and is written on import only;
``annotations.json`` holds the user's statuses, notes and tags plus a short
undo log, and is written on every change. Keeping them apart makes a status
change cost O(annotations), never O(library).

TinyDB's stock JSONStorage truncates the file and rewrites it in place, so a
crash mid-write loses everything. :class:`AtomicJSONStorage` writes a
temporary file, fsyncs it, keeps the previous file as ``*.bak`` and renames
the new one into place, so a reader or a crash sees either the old file or
the new one, never half of one.
"""

from __future__ import annotations

import contextlib
import gc
import os
import time
from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import filelock
import orjson
from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from tracker import migrations

if TYPE_CHECKING:
    from tracker.library_file import LibraryFile, Loaded, MakePaper

SCHEMA_VERSIONS = migrations.CURRENT
"""The schema each kind of file is written with; older files are upgraded on open."""
LIBRARY_FILE = "library.json"
ANNOTATIONS_FILE = "annotations.json"
LOCK_FILE = "tracker.lock"
OWNER_FILE = "tracker.lock.owner"
META_TABLE = migrations.META_TABLE
UNDO_LIMIT = 100

Tables = migrations.Tables


class StoreError(Exception):
    """A storage problem explained in one sentence a person can act on."""


class CorruptFileError(StoreError):
    """A data file exists but cannot be used; it is never overwritten."""


class LockedError(StoreError):
    """Another paper-tracker process is writing to the same library."""


class ReadOnlyError(StoreError):
    """A write was attempted on a library opened read-only."""


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
                atomic_write(backup, self.path.read_bytes())
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
            atomic_write(self.path, payload)
        else:
            atomic_write(self.path, iter_row_per_line(tables))
        self._dirty = False

    @property
    def dirty(self) -> bool:
        """True when a write failed and its data is only in memory."""
        return self._dirty

    def close(self) -> None:
        self.flush()


def atomic_write(path: Path, payload: bytes | Iterable[bytes], *, keep_backup: bool = True) -> None:
    """Replace ``path`` with ``payload`` so that a crash leaves the old or the new file.

    ``payload`` may come in pieces (an iterable of bytes), so that a big file
    is never held whole in memory next to the data it is made from. The
    previous file is kept as ``path.bak`` (a hard link, so no copy) unless
    ``keep_backup`` is False (exports and backups the user writes). Raises
    StoreError with a readable sentence on any OS error; the target file is
    untouched in that case (and in any other error raised by ``payload``).
    """
    directory = path.parent
    tmp = directory / f".{path.name}.{os.getpid()}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            for chunk in _chunks([payload] if isinstance(payload, bytes) else payload):
                view = memoryview(chunk)
                while view:
                    written = os.write(fd, view)
                    view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        if keep_backup and path.exists():
            _keep_backup(path)
        os.replace(tmp, path)
        _fsync_dir(directory)
    except OSError as err:
        with contextlib.suppress(OSError):
            tmp.unlink()
        reason = err.strerror or str(err)
        raise StoreError(
            # Neutral on what happens next: the app keeps the change and
            # retries (its banner says so); a CLI command ends here.
            f"could not save {path}: {reason}; the file on disk is unchanged "
            "(free some space or fix the permissions)"
        ) from err
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def _chunks(pieces: Iterable[bytes], size: int = 1 << 20) -> Iterator[bytes]:
    """The pieces joined into chunks of about ``size`` bytes (fewer system calls)."""
    buffer = bytearray()
    for piece in pieces:
        if len(piece) >= size and not buffer:
            yield piece
            continue
        buffer += piece
        if len(buffer) >= size:
            yield bytes(buffer)
            buffer.clear()
    if buffer:
        yield bytes(buffer)


def _keep_backup(path: Path) -> None:
    bak = path.with_name(path.name + ".bak")
    # After a failed replace the backup may already be a link to this very
    # file; renaming a second link onto it would do nothing and leave the
    # temporary link behind (rename(2) between links of one file is a no-op).
    with contextlib.suppress(OSError):
        if bak.samefile(path):
            return
    tmp = path.with_name(f".{path.name}.bak.{os.getpid()}.tmp")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    try:
        os.link(path, tmp)
    except OSError:
        # Some file systems have no hard links; a copy does the same job.
        tmp.write_bytes(path.read_bytes())
    os.replace(tmp, bak)


def _fsync_dir(directory: Path) -> None:
    # Makes the rename itself durable; not possible on every platform.
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# -- one row per line ----------------------------------------------------------
#
# library.json is one JSON object, as TinyDB and every JSON reader expect, but
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


def iter_row_lines(fh: BinaryIO) -> Iterator[tuple[str, str, bytes]]:
    """Read back the layout :func:`iter_row_per_line` writes, a line at a time.

    Yields ``(TABLE, name, b"")`` at a table's header, ``(ROW, name, line)``
    for each of its rows (one ``"key":{...}`` member, without the comma that
    separates it from the next) and ``(END, name, b"")`` at its closing brace.
    Anything else (an older single-line file, a damaged one) raises
    :class:`NotRowPerLine`; rows are not parsed here, so a damaged row is found
    by whoever parses it. The one reader of the layout for the store's whole-file
    loads and the library file's streamed load and copy.
    """
    # Older files are a single line: look at the first bytes only.
    if fh.readline(4).rstrip(b"\r\n") != b"{":
        raise NotRowPerLine
    seen: set[str] = set()
    name: str | None = None  # the table being read
    finished = False
    for raw in fh:
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
    with path.open("rb") as fh:
        try:
            return _load_row_per_line(fh)
        except (NotRowPerLine, orjson.JSONDecodeError):
            pass
        fh.seek(0)
        return orjson.loads(fh.read())


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Keep the cyclic garbage collector out of a block that creates many objects.

    Loading 100,000 papers makes millions of objects that form no cycles; the
    collector would rescan all of them over and over while they are being
    created (measured: it doubled the time to open a library). It runs again
    afterwards; a block inside another only restores what it changed.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_tables(path: Path, kind: str) -> Tables | None:
    """Read and check one data file; ``None`` when it does not exist yet."""
    if not path.exists():
        return None
    try:
        with gc_paused():
            data = _parse_file(path)
    except FileNotFoundError:
        return None
    except OSError as err:
        raise StoreError(f"cannot read {path}: {err.strerror or err}") from err
    except orjson.JSONDecodeError as err:
        raise damaged(path, err) from err
    return check_tables(path, kind, data)


def restore_hint(path: Path) -> str:
    """What to do about a damaged data file, for the end of its error message."""
    bak = path.with_name(path.name + ".bak")
    if bak.exists():
        return f"the file was left as it is; `tracker doctor --restore` puts back the previous version from {bak.name}"
    return "the file was left as it is and no backup of it exists"


def damaged(path: Path, err: orjson.JSONDecodeError) -> CorruptFileError:
    """The error for a data file that is not valid JSON."""
    return CorruptFileError(f"{path} is damaged ({err}); {restore_hint(path)}")


def check_tables(path: Path, kind: str, data: Any) -> Tables:
    """``data`` parsed from ``path`` if it is a ``kind`` file this version reads; else why not."""
    if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
        raise CorruptFileError(f"{path} is not a paper-tracker {kind} file; {restore_hint(path)}")
    meta = data.get(META_TABLE, {}).get("1")
    if not isinstance(meta, dict) or meta.get("kind") != kind:
        raise CorruptFileError(f"{path} is not a paper-tracker {kind} file; {restore_hint(path)}")
    schema = meta.get("schema")
    if not isinstance(schema, int) or schema < 1:
        raise CorruptFileError(
            f"{path} has an invalid schema version {schema!r}; {restore_hint(path)}"
        )
    if schema > SCHEMA_VERSIONS[kind]:
        raise CorruptFileError(
            f"{path} was written by a newer paper-tracker (schema {schema}, this one reads "
            f"{SCHEMA_VERSIONS[kind]}); upgrade paper-tracker to open it"
        )
    return data


def storage_of(db: TinyDB) -> AtomicJSONStorage:
    """The atomic storage behind one of our databases."""
    storage = db.storage
    assert isinstance(storage, AtomicJSONStorage)
    return storage


class Store:
    """The two TinyDB databases of one data directory, with the writer lock.

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
        # library_file builds on this module's helpers, so it is imported here.
        from tracker.library_file import LibraryFile

        store = cls(directory, readonly=readonly)
        if make_paper is not None:
            store._make_paper = make_paper
        if not readonly:
            try:
                directory.mkdir(parents=True, exist_ok=True)
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
        with contextlib.suppress(OSError):
            (self.directory / OWNER_FILE).write_text(
                f"pid {os.getpid()}, since {time.strftime('%Y-%m-%d %H:%M:%S')}\n"
            )

    def _remove_stale_temp_files(self) -> None:
        # A writer killed between writing its temporary file and renaming it
        # leaves the file behind. It was never the real file, and we hold the
        # lock, so nobody is writing it now.
        for name in (LIBRARY_FILE, ANNOTATIONS_FILE):
            for stale in self.directory.glob(f".{name}.*.tmp"):
                with contextlib.suppress(OSError):
                    stale.unlink()

    def _read_owner(self) -> str:
        try:
            return (self.directory / OWNER_FILE).read_text().strip() or "unknown pid"
        except OSError:
            return "unknown pid"

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


def _replace(doc: MutableMapping[str, Any], by_paper: Mapping[str, Mapping[str, Any]]) -> None:
    new = by_paper[doc["paper_id"]]
    doc.clear()
    doc.update(new)


# -- checking and repairing (tracker doctor) -----------------------------------
DATA_FILES = ((LIBRARY_FILE, "library"), (ANNOTATIONS_FILE, "annotations"))


@dataclass(frozen=True, slots=True)
class FileCheck:
    """What ``tracker doctor`` found for one data file."""

    path: Path
    state: str  # "ok", "missing" or "damaged"
    detail: str
    backup_ok: bool

    @property
    def restorable(self) -> bool:
        return self.state != "ok" and self.backup_ok


def _describe(path: Path, kind: str) -> tuple[str, str]:
    try:
        tables = load_tables(path, kind)
    except StoreError as err:
        return "damaged", str(err)
    if tables is None:
        return "missing", f"{path} does not exist"
    counts = ", ".join(f"{len(rows)} {name}" for name, rows in tables.items() if name != META_TABLE)
    schema = migrations.schema_of(tables)
    current = SCHEMA_VERSIONS[kind]
    upgrade = f" (upgraded to {current} on the next writable open)" if schema < current else ""
    return "ok", f"{path}: schema {schema}{upgrade}, {counts or 'empty'}"


def check_files(directory: Path) -> list[FileCheck]:
    """Check both data files and their backups; changes nothing."""
    checks = []
    for name, kind in DATA_FILES:
        path = directory / name
        state, detail = _describe(path, kind)
        backup_state, _ = _describe(path.with_name(name + ".bak"), kind)
        checks.append(FileCheck(path, state, detail, backup_state == "ok"))
    return checks


def restore_from_backup(check: FileCheck) -> Path | None:
    """Put the backup in place of a missing or damaged file.

    The damaged file is kept beside it as ``*.damaged-<time>``, never
    deleted. Returns that path (None when the file was missing). Call only
    while holding the library lock.
    """
    path = check.path
    bak = path.with_name(path.name + ".bak")
    kept: Path | None = None
    if path.exists():
        kept = path.with_name(f"{path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
        os.replace(path, kept)
    # A copy, not a rename: the backup stays a backup.
    atomic_write(path, bak.read_bytes())
    return kept
