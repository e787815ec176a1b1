"""Several machines: writing a backup, merging another machine's backup into the library."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tracker.backup import BackupError, backup_document, dumps, merge_annotation, parse_backup
from tracker.clock import parse_wall, seconds_ahead
from tracker.library.core import LibraryError, writes
from tracker.library.export_record import ExportRecord
from tracker.library.files import make_dirs, read_limited, write_file
from tracker.library.importing import Importing
from tracker.library.safe_replace import replace_own_file
from tracker.models import Annotation, Digest, Paper

FUTURE_SLACK_SECONDS = 300
"""A change dated further ahead of this machine's clock than this is reported by a merge
(clocks a few minutes apart are common and harmless)."""


@dataclass(slots=True)
class BackupReport:
    """What ``tracker backup`` wrote."""

    path: Path
    annotations: int
    papers: int | None = None
    digests: int | None = None
    kept: Path | None = None
    """Where the file a forced backup replaced was kept (see :meth:`Backups.write_backup`)."""


@dataclass(slots=True)
class MergeReport:
    """What merging another machine's backup changed here."""

    source: Path
    annotations: int = 0
    changed: int = 0
    statuses: int = 0
    tags: int = 0
    notes: int = 0
    notes_kept_both: int = 0
    papers_added: int = 0
    papers_updated: int = 0
    digests_added: int = 0
    unknown_papers: int = 0
    """Annotations whose paper is not in this library (kept for when it is imported)."""
    history_only: int = 0
    """Annotations where only the status history or merge bookkeeping changed."""
    kept_both: list[str] = field(default_factory=list)
    """Ids of the papers whose note now holds both machines' versions."""
    future: int = 0
    """Annotations (new here or different) holding a change dated more than
    :data:`FUTURE_SLACK_SECONDS` after this machine's clock: the other
    machine's clock is probably ahead; merging orders them by their logical
    counter (tracker.clock), not by that date."""
    future_seconds: float = 0.0
    """How far ahead the furthest of them is."""


class Backups(Importing):
    """Backups of the annotations (and library), and merging them (rules in tracker.backup)."""

    def backup_document(self, *, with_library: bool = False) -> dict[str, Any]:
        """Every annotation (and optionally every paper and digest) as a backup document."""
        papers = {pid: self.paper(pid) for pid in self.annotations if pid in self._pos}
        library = (self.papers, self.digests) if with_library else None
        return backup_document(
            self.annotations.values(), papers, created_at=self.now(), library=library
        )

    def write_backup(
        self, target: str | os.PathLike[str], *, with_library: bool = False, force: bool = False
    ) -> BackupReport:
        """Write the backup file atomically (see :mod:`tracker.backup` for its format).

        As an export: over a file that is there only if paper-tracker wrote it
        and nobody changed it since (:class:`~tracker.library.safe_replace.ExportExistsError`
        otherwise),
        or with ``force``, which keeps the old file beside it
        (:attr:`BackupReport.kept`). The file is recorded in ``exports.json``.
        """
        path = Path(target).expanduser()
        if path.is_dir():
            raise LibraryError(f"{path} is a folder; give a file name for the backup")
        doc = self.backup_document(with_library=with_library)
        make_dirs(path.parent)
        record = ExportRecord(self.directory, self.store.lock)
        kept = replace_own_file(record, path, dumps(doc), force=force)
        return self._backup_report(path, doc, with_library, kept)

    def write_report_file(
        self, target: str | os.PathLike[str], text: str, *, force: bool = False
    ) -> Path | None:
        """Write a report (``tracker whats-new -o``) to ``target`` by the export rule.

        Over a file that is there only if paper-tracker wrote it and nobody changed
        it since (:class:`~tracker.library.safe_replace.ExportExistsError` otherwise),
        or with ``force``, which keeps the old file beside it (returned). Missing
        folders are made (the command line asks for ``--parents`` first).
        """
        path = Path(target).expanduser()
        if path.is_dir():
            raise LibraryError(f"{path} is a folder; give a file name to write to")
        make_dirs(path.parent)
        record = ExportRecord(self.directory, self.store.lock)
        return replace_own_file(record, path, text.encode("utf-8"), force=force)

    def write_sync_file(self, path: Path, *, with_library: bool = False) -> BackupReport:
        """Write this machine's file in a synced folder (see :mod:`tracker.library.syncing`).

        Replaced on every sync without the export rule: its name
        (``<machine>.tracker-sync.json``) is paper-tracker's, in a folder
        where only this machine writes it.
        """
        doc = self.backup_document(with_library=with_library)
        write_file(path, dumps(doc))
        return self._backup_report(path, doc, with_library, None)

    def _backup_report(
        self, path: Path, doc: dict[str, Any], with_library: bool, kept: Path | None
    ) -> BackupReport:
        report = BackupReport(path, len(doc["annotations"]), kept=kept)
        if with_library:
            report.papers, report.digests = len(self.papers), len(self.digests)
        return report

    @writes
    def merge_backup(self, source: str | os.PathLike[str]) -> MergeReport:
        """Merge another machine's backup into this library (rules in :mod:`tracker.backup`).

        The whole file is read and checked first: a bad file changes
        nothing. Papers and digests in the backup are added to
        library.json, then the annotations are merged in one write of
        annotations.json that ``undo`` takes back as one change. If the
        process dies between the two writes, merging again finishes the job
        (merging is idempotent).
        """
        self._check_writable()
        path = Path(source).expanduser()
        data = read_limited(path, "backup")
        try:
            backup = parse_backup(data, str(path))
        except BackupError as err:
            raise LibraryError(str(err)) from None
        report = MergeReport(path, annotations=len(backup.annotations))
        if backup.papers is not None:
            self._merge_library(backup.papers, backup.digests or [], report)
        updates: dict[str, Annotation] = {}
        self._merge_annotations(backup.annotations, updates, report)
        if updates:
            n = len(updates)
            self._save_merge(
                updates, f"merged {n} annotation{'s' if n != 1 else ''} from {path.name}"
            )
        return report

    def _merge_annotations(
        self, remotes: Sequence[Annotation], updates: dict[str, Annotation], report: MergeReport
    ) -> None:
        """Merge one backup's annotations into ``updates`` (the merge so far) and count what
        each changed there (see :class:`MergeReport`)."""
        now = parse_wall(self.now())
        before: dict[str, Annotation] = {}
        for remote in remotes:
            pid = remote.paper_id
            local = updates.get(pid) or self.annotation(pid)
            before.setdefault(pid, local)
            if now is not None and remote.to_dict() != local.to_dict():
                ahead = seconds_ahead(remote.latest_stamp, now)
                if ahead > FUTURE_SLACK_SECONDS:
                    report.future += 1
                    report.future_seconds = max(report.future_seconds, ahead)
            merged = merge_annotation(local, remote)
            if merged.to_dict() != local.to_dict():
                updates[pid] = merged
        for pid, local in before.items():
            merged = updates.get(pid, local)
            if merged is local:
                continue
            report.changed += 1
            report.statuses += merged.status is not local.status
            report.tags += merged.tags != local.tags
            if merged.note != local.note:
                remote_notes = {a.note for a in remotes if a.paper_id == pid}
                if merged.note in remote_notes:
                    report.notes += 1
                else:
                    report.notes_kept_both += 1
                    report.kept_both.append(pid)
            report.unknown_papers += pid not in self._pos
            report.history_only += (merged.status, merged.tags, merged.note) == (
                local.status,
                local.tags,
                local.note,
            )

    def _save_merge(self, updates: dict[str, Annotation], label: str) -> None:
        """Store merged annotations in one write that ``undo`` takes back as one change."""
        undo = {
            "label": label,
            "kind": "merge",
            "at": self.now(),
            "paper_ids": list(updates),
            "before": [self.annotation(pid).to_dict() for pid in updates],
            "by": self.origin,
        }
        # Stored as merged, times included: restamping them would make
        # this copy look newer than the other machine's and break the
        # next merge in the other direction.
        # Memory first, as in _commit: if the write fails, the app's
        # unsaved-changes banner and ctrl+s retry see the merged state.
        self.annotations.update(updates)
        self.store.save_annotations([a.to_dict() for a in updates.values()], undo_push=undo)

    def _merge_library(
        self, papers: Sequence[Paper], digests: Sequence[Digest], report: MergeReport
    ) -> None:
        """Add the backup's papers and digests that this library lacks (one write)."""
        self._check_writable()
        new: dict[str, Paper] = {}
        changed: dict[str, Paper] = {}
        for theirs in papers:
            if theirs.id in new:
                continue
            if theirs.id not in self._pos:
                new[theirs.id] = dataclasses.replace(theirs, digests=list(theirs.digests))
                continue
            ours = self.paper(theirs.id)
            merged = dataclasses.replace(
                ours,
                abstract=ours.abstract or theirs.abstract,
                digests=list(dict.fromkeys([*ours.digests, *theirs.digests])),
                arxiv_id=ours.arxiv_id or theirs.arxiv_id,
                authors=list(ours.authors or theirs.authors),
                url=ours.url or theirs.url,
                upvotes=ours.upvotes if ours.upvotes is not None else theirs.upvotes,
                published=ours.published or theirs.published,
                primary_class=ours.primary_class or theirs.primary_class,
            )
            if merged != ours:
                changed[theirs.id] = merged
        fresh = [
            d for d in dict((d.id, d) for d in digests).values() if d.id not in self._digest_by_id
        ]
        if new or changed or fresh:
            self._save_import(new, changed, fresh)
            self._apply_import(list(new.values()), changed, fresh)
        report.papers_added, report.papers_updated = len(new), len(changed)
        report.digests_added = len(fresh)
