"""Persistence: the data files of a library, each a base snapshot and a journal of changes.

``library.json`` (papers and digests) and ``annotations.json`` (statuses,
notes, tags and the undo log) live in the data directory, each followed by
its journal (``*.journal.jsonl``) of the changes since. Any number of
processes may read and write; each write holds the lock only while it
writes. The package, bottom to top:

- :mod:`~tracker.store.errors`: the errors, each one sentence a person can act on;
- :mod:`~tracker.store.regular_file`: reading only regular files (a FIFO or a device is refused);
- :mod:`~tracker.store.atomic`: ``atomic_write`` (temporary file, fsync, ``*.bak``, rename;
  links written through, modes kept);
- :mod:`~tracker.store.journal`: journals of changes since a base, a checksummed record a line;
- :mod:`~tracker.store.lock`: the writer lock, held for one write at a time;
- :mod:`~tracker.store.gc_pause`: the garbage collector paused while a file becomes objects;
- :mod:`~tracker.store.row_per_line`: the row-per-line layout, written and read a line at a time;
- :mod:`~tracker.store.migrations`: upgrades of files written by older versions;
- :mod:`~tracker.store.tables`: a data file read in any layout and checked (kind, schema);
- :mod:`~tracker.store.storage`: ``JournalStorage``, the TinyDB storage of ``annotations.json``;
- :mod:`~tracker.store.catalog`: ``library.catalog``, where each paper's row is in the base;
- :mod:`~tracker.store.heads_file`: ``library.heads``, the base's rows without abstracts (the app's open);
- :mod:`~tracker.store.derived_file`: those two files read whole and replaced whole;
- :mod:`~tracker.store.lazy_rows`: ``LazyRows``, papers read when a command uses them;
- :mod:`~tracker.store.library_file`: ``library.json`` read a row at a time, imports appended;
- :mod:`~tracker.store.spilled_rows`: a large import's new papers in a temporary file until written;
- :mod:`~tracker.store.stored`: ``load_stored``, a data file's tables with its journal applied;
- :mod:`~tracker.store.store`: ``Store``, both files of a data directory, written under the lock;
- :mod:`~tracker.store.repair`: checking and restoring the files (``tracker doctor``).

The names other layers use are importable from ``tracker.store`` itself.
"""

from typing import TYPE_CHECKING, Any

from tracker.store.atomic import atomic_write
from tracker.store.errors import (
    CorruptFileError,
    LockedError,
    NotAFolderError,
    ReadOnlyError,
    StoreError,
)
from tracker.store.gc_pause import gc_paused
from tracker.store.library_rows import LibraryEdit, undo_record
from tracker.store.regular_file import NotRegularFileError, open_regular, read_regular
from tracker.store.row_per_line import dumps_row_per_line, iter_row_per_line
from tracker.store.storage import JournalStorage, storage_of
from tracker.store.store import ANNOTATIONS_FILE, LIBRARY_FILE, UNDO_LIMIT, Picked, Store
from tracker.store.stored import load_stored
from tracker.store.tables import META_TABLE, SCHEMA_VERSIONS

# `tracker doctor`'s checks and repairs are imported when it asks for them: every
# other command imported them for nothing (issue 14: a one-digest import's start-up).
if TYPE_CHECKING:
    from tracker.store.repair import SET_ASIDE, FileCheck, check_files, restore_from_backup

_REPAIR = frozenset({"SET_ASIDE", "FileCheck", "check_files", "restore_from_backup"})


def __getattr__(name: str) -> Any:
    if name not in _REPAIR:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from tracker.store import repair

    value = getattr(repair, name)
    globals()[name] = value
    return value


__all__ = [
    "ANNOTATIONS_FILE",
    "LIBRARY_FILE",
    "META_TABLE",
    "SCHEMA_VERSIONS",
    "SET_ASIDE",
    "UNDO_LIMIT",
    "CorruptFileError",
    "FileCheck",
    "JournalStorage",
    "LibraryEdit",
    "LockedError",
    "NotAFolderError",
    "NotRegularFileError",
    "Picked",
    "ReadOnlyError",
    "Store",
    "StoreError",
    "atomic_write",
    "check_files",
    "dumps_row_per_line",
    "gc_paused",
    "iter_row_per_line",
    "load_stored",
    "open_regular",
    "read_regular",
    "restore_from_backup",
    "storage_of",
    "undo_record",
]
