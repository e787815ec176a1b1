"""One library on several machines through a synced folder (``tracker sync DIR``).

Each machine keeps one backup file in the folder, named after the machine
(``<name>.tracker-sync.json``), and never writes any other. A sync merges
every other machine's file into this library as one undoable change, then
replaces this machine's file atomically with the result, so that the others
take in what this one knows (including what it got from third machines).

The folder is left to the sync tool (Syncthing, Dropbox, a network drive):
a file it is still bringing in, or one that is damaged, is skipped with a
sentence naming it, and the other machines' files are merged all the same.
Merging is commutative, associative and idempotent (tracker.backup), so the
order in which the files are found, or taken in again, does not matter.
"""

from __future__ import annotations

import contextlib
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from tracker.backup import Backup, BackupError, parse_backup
from tracker.library.backups import Backups, MergeReport
from tracker.library.core import LibraryError, writes
from tracker.library.files import file_in, read_limited
from tracker.models import Annotation
from tracker.store.atomic import writer_is_gone

SYNC_SUFFIX = ".tracker-sync.json"
"""What every machine's file in the synced folder is called after its name."""
STALE_TEMPORARY_SECONDS = 600
"""A temporary file of this machine's left this long in the folder is from a killed sync."""
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
MACHINE_ENV = "TRACKER_MACHINE"


def machine_name(given: str | None = None, configured: str | None = None) -> str:
    """This machine's name: ``--name``, else $TRACKER_MACHINE, else ``[sync] name``, else the host name."""
    import socket  # here: every command imports this module, few ask for the name

    for name in (given, os.environ.get(MACHINE_ENV), configured, socket.gethostname()):
        if name and name.strip():
            return name.strip()
    return "this-machine"


def machine_file_name(machine: str) -> str:
    """The file name for a machine's backup: its name made safe for any file system."""
    safe = _UNSAFE.sub("_", machine.strip()).strip("._")
    if not safe:
        raise LibraryError(
            f"the machine name {machine!r} gives no usable file name; "
            "choose one with --name, TRACKER_MACHINE or [sync] name in config.toml"
        )
    return safe + SYNC_SUFFIX


@dataclass(slots=True)
class SyncSource:
    """Another machine's file found in the folder and what merging it did."""

    machine: str
    path: Path
    merge: MergeReport | None = None
    error: str | None = None
    """Why the file was skipped (being synced, damaged, from a newer paper-tracker)."""


@dataclass(slots=True)
class SyncReport:
    """What one ``tracker sync`` did."""

    folder: Path
    machine: str
    written: Path
    annotations: int = 0
    """Annotations in the file written for this machine."""
    sources: list[SyncSource] = field(default_factory=list)
    changed: int = 0
    """Annotations changed here by the merge (one undoable change)."""
    sent_at: str = ""
    """When this machine's file was written: every note version of that moment went out."""


class Syncing(Backups):
    """``tracker sync``: merge the other machines' files, then write this machine's."""

    def sync(
        self, folder: str | os.PathLike[str], machine: str, *, with_library: bool = False
    ) -> SyncReport:
        """Sync through ``folder`` as the machine called ``machine``.

        The merge holds the writer lock; writing this machine's file does not
        (it reads the library as the merge left it), so a slow network folder
        never makes the app or a script wait.
        """
        self._check_writable()
        path = Path(folder).expanduser()
        if not path.is_dir():
            what = "is not a folder" if path.exists() else "does not exist"
            raise LibraryError(f"the sync folder {path} {what}; create it (or mount it) first")
        own = file_in(path, machine_file_name(machine))
        report = SyncReport(path, machine, own)
        self._merge_folder(own, report)
        self._remove_stale_temporaries(own)
        report.sent_at = self.now()
        written = self.write_sync_file(own, with_library=with_library)
        self.sent_at = report.sent_at
        report.annotations = written.annotations
        return report

    @writes
    def _merge_folder(self, own: Path, report: SyncReport) -> None:
        updates: dict[str, Annotation] = {}
        for path in sorted(own.parent.glob("*" + SYNC_SUFFIX)):
            if path.name == own.name or path.name.startswith("."):
                continue
            source = SyncSource(path.name[: -len(SYNC_SUFFIX)], path)
            report.sources.append(source)
            try:
                backup = self._read_backup(path)
            except LibraryError as err:
                source.error = str(err)
                continue
            source.merge = MergeReport(path, annotations=len(backup.annotations))
            if backup.papers is not None:
                self._merge_library(backup.papers, backup.digests or [], source.merge)
            self._merge_annotations(backup.annotations, updates, source.merge)
        report.changed = len(updates)
        if updates:
            names = ", ".join(s.machine for s in report.sources if s.merge and s.merge.changed)
            n = len(updates)
            self._save_merge(updates, f"synced {n} annotation{'s' if n != 1 else ''} from {names}")

    @staticmethod
    def _read_backup(path: Path) -> Backup:
        data = read_limited(path, "backup")
        try:
            return parse_backup(data, str(path))
        except BackupError as err:
            raise LibraryError(str(err)) from None

    @staticmethod
    def _remove_stale_temporaries(own: Path) -> None:
        """Remove the temporary files a killed sync of this machine left beside its file.

        Only this machine writes files under its name, so only its own
        temporaries are looked at, never another machine's.
        """
        now = time.time()
        for stale in own.parent.glob(f".{own.name}.*.tmp"):
            with contextlib.suppress(OSError):
                old = now - stale.lstat().st_mtime > STALE_TEMPORARY_SECONDS
                if old or writer_is_gone(stale.name):
                    stale.unlink()
