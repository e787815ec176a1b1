"""The library: the one API the CLI and the TUI use.

:class:`Library` (in :mod:`~tracker.library.library`) is put together from one
class per area, each in its own module, all working on the state that
:mod:`~tracker.library.core` loads:

- :mod:`~tracker.library.core`: papers, digests and annotations in memory, opening, lookups;
- :mod:`~tracker.library.searching`: queries, the search index, related papers, the watch list;
- :mod:`~tracker.library.search_request`: the app's one search request and its result;
- :mod:`~tracker.library.facets`: each paper's status, note, tags, digests for search filters;
- :mod:`~tracker.library.history`: undoable changes of papers and digests, and undoing them;
- :mod:`~tracker.library.importing`: importing digest files (and previews that store nothing);
- :mod:`~tracker.library.import_text`: how an import and its preview are told (CLI and app);
- :mod:`~tracker.library.page_hash`: the hash that makes another copy of a page the same digest;
- :mod:`~tracker.library.digest_editing`: forgetting, renaming and dating digests;
- :mod:`~tracker.library.changes`: statuses, notes, tags and undo;
- :mod:`~tracker.library.exporting`: exports to a file or a folder, never over the user's files;
- :mod:`~tracker.library.safe_replace`: writing an export or a backup where the user says, never over their file;
- :mod:`~tracker.library.export_record`: what exports and backups wrote (``exports.json``);
- :mod:`~tracker.library.keep_aside`: the user's file kept before a forced export replaces it;
- :mod:`~tracker.library.backups`: backups and merging another machine's;
- :mod:`~tracker.library.syncing`: ``tracker sync``, several machines through a synced folder;
- :mod:`~tracker.library.files`: reading and writing the user's files (not the data files).
"""

from typing import TYPE_CHECKING, Any

# The names below are imported when first asked for, not with the package: every
# module of the package (tracker.library.core, …) runs this file first, and
# importing every area for each of them was a tenth of a one-digest `tracker
# import`, which needs only the importing ones (issue 14, tests/unit/test_cli_startup.py).
if TYPE_CHECKING:
    from tracker.library.backups import BackupReport, MergeReport
    from tracker.library.core import LibraryError, now_iso
    from tracker.library.digest_editing import ForgetPlan, ForgetReport
    from tracker.library.exporting import ExportResult, VaultReport
    from tracker.library.history import Change
    from tracker.library.import_plan import ImportReport
    from tracker.library.library import DigestStats, Library
    from tracker.library.safe_replace import ExportExistsError
    from tracker.library.searching import Result
    from tracker.library.syncing import SyncReport
    from tracker.store import StoreError

_HOME = {
    "BackupReport": "tracker.library.backups",
    "MergeReport": "tracker.library.backups",
    "LibraryError": "tracker.library.core",
    "now_iso": "tracker.library.core",
    "ForgetPlan": "tracker.library.digest_editing",
    "ForgetReport": "tracker.library.digest_editing",
    "ExportResult": "tracker.library.exporting",
    "VaultReport": "tracker.library.exporting",
    "Change": "tracker.library.history",
    "ImportReport": "tracker.library.import_plan",
    "DigestStats": "tracker.library.library",
    "Library": "tracker.library.library",
    "ExportExistsError": "tracker.library.safe_replace",
    "Result": "tracker.library.searching",
    "SyncReport": "tracker.library.syncing",
    "StoreError": "tracker.store",
}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


__all__ = [
    "BackupReport",
    "Change",
    "DigestStats",
    "ExportExistsError",
    "ExportResult",
    "ForgetPlan",
    "ForgetReport",
    "ImportReport",
    "Library",
    "LibraryError",
    "MergeReport",
    "Result",
    "StoreError",
    "SyncReport",
    "VaultReport",
    "now_iso",
]
