"""The library: the one API the CLI and the TUI use.

:class:`Library` (in :mod:`~tracker.library.library`) is put together from one
class per area, each in its own module, all working on the state that
:mod:`~tracker.library.core` loads:

- :mod:`~tracker.library.core`: papers, digests and annotations in memory, opening, lookups;
- :mod:`~tracker.library.searching`: queries, the search index, related papers, the watch list;
- :mod:`~tracker.library.facets`: each paper's status, note, tags, digests for search filters;
- :mod:`~tracker.library.importing`: importing digest files;
- :mod:`~tracker.library.changes`: statuses, notes, tags and undo;
- :mod:`~tracker.library.exporting`: exports to a file or a folder;
- :mod:`~tracker.library.backups`: backups and merging another machine's;
- :mod:`~tracker.library.files`: reading and writing the user's files (not the data files).
"""

from tracker.library.backups import BackupReport, MergeReport
from tracker.library.changes import Change
from tracker.library.core import LibraryError, now_iso
from tracker.library.exporting import ExportResult
from tracker.library.importing import ImportReport
from tracker.library.library import DigestStats, Library
from tracker.library.searching import Result
from tracker.store import StoreError

__all__ = [
    "BackupReport",
    "Change",
    "DigestStats",
    "ExportResult",
    "ImportReport",
    "Library",
    "LibraryError",
    "MergeReport",
    "Result",
    "StoreError",
    "now_iso",
]
