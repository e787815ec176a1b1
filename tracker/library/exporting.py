"""Exports of the library's papers and notes, in every format, to a file or a folder.

An export never destroys a file of the user's: a file at the target is
written as :func:`~tracker.library.safe_replace.replace_own_file` says (only
over a file an earlier export wrote and nobody changed since; otherwise
refused unless forced, and a forced export keeps the old file beside it).
A vault export rewrites only our part of each note and keeps the user's
(see :mod:`tracker.exports.vault`); a note whose part of ours was edited is
left alone and listed, and a note the user deleted is not written again.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tracker.library.core import LibraryCore, LibraryError
from tracker.library.export_record import ExportRecord
from tracker.library.files import file_in, make_dirs, write_file
from tracker.library.keep_aside import keep_aside, remove_stale_temporaries
from tracker.library.safe_replace import replace_own_file
from tracker.store import StoreError

if TYPE_CHECKING:
    from tracker import exports


@dataclass(slots=True)
class VaultReport:
    """What a vault export did with each note."""

    written: list[str] = field(default_factory=list)
    """Names of notes that did not exist."""
    updated: list[str] = field(default_factory=list)
    """Names of notes whose part of ours changed (the user's part kept)."""
    unchanged: int = 0
    """Notes already up to date (not written: their files keep their times)."""
    edited: list[Path] = field(default_factory=list)
    """Notes whose part of ours the user edited: not touched."""
    not_ours: list[Path] = field(default_factory=list)
    """Notes without our markers that are not what an earlier release wrote: not touched."""
    deleted: list[str] = field(default_factory=list)
    """Names of notes an earlier export wrote and the user deleted: not written again."""
    backups: list[Path] = field(default_factory=list)
    """With ``force``: where the notes replaced although edited were kept."""

    @property
    def left_alone(self) -> list[Path]:
        return [*self.edited, *self.not_ours]


@dataclass(slots=True)
class ExportResult:
    """What an export wrote: where, how many papers, and how many it left out and why."""

    path: Path
    count: int
    skipped: int = 0
    skipped_why: str = ""
    note: str = ""
    """What the command should say about what was written (see exports.Rendered.note)."""
    backup: Path | None = None
    """Where the file that a forced export replaced was kept."""
    vault: VaultReport | None = None


def default_export_path(folder: Path, fmt: str, today: dt.date | None = None) -> Path:
    """``paper-notes-<date><suffix>`` in ``folder``, or ``-2``, ``-3`` … : never a name that exists.

    Two exports on one day must not meet at one name, even when the first
    one could be replaced (it is the user's copy of that morning).
    """
    from tracker.exports import SUFFIXES

    stem = f"paper-notes-{(today or dt.date.today()).isoformat()}"
    suffix = SUFFIXES[fmt]
    n = 1
    while True:
        path = folder / f"{stem}{'' if n == 1 else f'-{n}'}{suffix}"
        if not os.path.lexists(path):
            return path
        n += 1


class Exporting(LibraryCore):
    """Rendering and writing exports (the CLI and the app write the same thing)."""

    def export_items(self, paper_ids: Iterable[str]) -> list[exports.ExportItem]:
        from tracker import exports

        return [exports.ExportItem(self.paper(pid), self.annotation(pid)) for pid in paper_ids]

    def render_export(
        self,
        items: Sequence[exports.ExportItem],
        fmt: str = "md",
        *,
        group_by: str = "digest",
        abstracts: bool = True,
    ) -> exports.Rendered:
        """An export in one of :data:`tracker.exports.FORMATS` as text (not ``vault``)."""
        from tracker import exports

        return exports.render(
            fmt, items, self.digests, group_by=group_by, abstracts=abstracts, created_at=self.now()
        )

    def write_export(
        self,
        items: Sequence[exports.ExportItem],
        target: str | os.PathLike[str],
        *,
        fmt: str = "md",
        group_by: str = "digest",
        abstracts: bool = True,
        force: bool = False,
        recreate: bool = False,
    ) -> ExportResult:
        """Write an export: a file, or for ``vault`` a folder of per-paper files.

        The CLI and the app both call this, so both write the same thing.
        Each file is replaced atomically: an export interrupted half-way
        never leaves a half-written file behind. A file of the user's at the
        target raises :class:`ExportExistsError` unless ``force`` (then it is
        kept aside, see :attr:`ExportResult.backup`); in a vault ``force``
        also replaces notes whose part of ours was edited (each kept aside),
        and ``recreate`` writes again the notes the user deleted.
        """
        path = Path(target).expanduser()
        if fmt == "vault":
            return self._write_vault(items, path, force=force, recreate=recreate)
        if path.is_dir():
            raise LibraryError(f"{path} is a folder; give a file name to export to")
        rendered = self.render_export(items, fmt, group_by=group_by, abstracts=abstracts)
        if not rendered.count and rendered.skipped:
            n = rendered.skipped
            raise LibraryError(
                f"none of the {n} paper{'s' if n != 1 else ''} has an arXiv id, so there is "
                f"no BibTeX to write; {path} was not written"
                if fmt == "bibtex"
                else f"all {n} papers were left out {rendered.skipped_why}; {path} was not written"
            )
        make_dirs(path.parent)
        backup = replace_own_file(
            self.export_record(), path, rendered.text.encode("utf-8"), force=force
        )
        return ExportResult(
            path, rendered.count, rendered.skipped, rendered.skipped_why, rendered.note, backup
        )

    def export_record(self) -> ExportRecord:
        return ExportRecord(self.directory, self.store.lock)

    def _write_vault(
        self,
        items: Sequence[exports.ExportItem],
        path: Path,
        *,
        force: bool,
        recreate: bool,
    ) -> ExportResult:
        from tracker.exports import vault

        if path.exists() and not path.is_dir():
            raise LibraryError(f"{path} is a file; a vault export needs a folder")
        notes = vault.vault_notes(items, self.digests)
        # Names come from titles and ids; all are checked before any is written.
        targets = [(file_in(path, note.name), note) for note in notes]
        record = self.export_record()
        known = record.vault_notes(path) if path.is_dir() else set()
        make_dirs(path)
        remove_stale_temporaries(path, "*.md")
        report = VaultReport()
        present: set[str] = set()
        for target, note in targets:
            current = _read_note(target)
            if current is None:
                if note.name in known and not recreate:
                    report.deleted.append(note.name)
                    continue
                write_file(target, note.text.encode("utf-8"))
                report.written.append(note.name)
                present.add(note.name)
                continue
            parts = vault.split_note(current) if current else None
            if parts is not None and parts.intact:
                new = parts.with_ours(note.front, note.generated)
            elif parts is None and current == note.old:
                new = note.text  # as a release before the markers wrote it: ours
            elif force:
                report.backups.append(keep_aside(target))
                new = parts.with_ours(note.front, note.generated) if parts else note.text
            else:
                (report.edited if parts else report.not_ours).append(target)
                continue
            present.add(note.name)
            if new == current:
                report.unchanged += 1
            else:
                write_file(target, new.encode("utf-8"))
                report.updated.append(note.name)
        # After the notes: killed before this, the next export finds them by their checksums.
        record.add_vault_notes(path, present)
        return ExportResult(path, len(present), vault=report)


def _read_note(path: Path) -> str | None:
    """The note's text; None when there is no file; "" when it is not UTF-8 text (not ours)."""
    from tracker.store import open_regular

    try:
        with open_regular(path) as fh:
            data = fh.read()
    except FileNotFoundError:
        return None
    except StoreError as err:
        raise LibraryError(f"{err}; nothing was written to it") from err
    except OSError as err:
        raise LibraryError(f"cannot read {path}: {err.strerror or err}") from err
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return ""
