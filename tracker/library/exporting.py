"""Exports of the library's papers and notes, in every format, to a file or a folder."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tracker.library.core import LibraryCore, LibraryError
from tracker.library.files import file_in, make_dirs, write_file

if TYPE_CHECKING:
    from tracker import exports


@dataclass(slots=True)
class ExportResult:
    """What an export wrote: where, how many papers, and how many it left out and why."""

    path: Path
    count: int
    skipped: int = 0
    skipped_why: str = ""
    note: str = ""
    """What the command should say about what was written (see exports.Rendered.note)."""


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
    ) -> ExportResult:
        """Write an export: a file, or for ``vault`` a folder of per-paper files.

        The CLI and the app both call this, so both write the same thing.
        Each file is replaced atomically: an export interrupted half-way
        never leaves a half-written file behind.
        """
        path = Path(target).expanduser()
        if fmt == "vault":
            if path.exists() and not path.is_dir():
                raise LibraryError(f"{path} is a file; a vault export needs a folder")
            from tracker import exports

            files = exports.per_paper_files(items, self.digests)
            # Names come from titles and ids; all are checked before any is written.
            targets = {file_in(path, name): content for name, content in files.items()}
            make_dirs(path)
            for target, content in targets.items():
                write_file(target, content.encode("utf-8"))
            return ExportResult(path, len(files))
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
        write_file(path, rendered.text.encode("utf-8"))
        return ExportResult(
            path, rendered.count, rendered.skipped, rendered.skipped_why, rendered.note
        )
