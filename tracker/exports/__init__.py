"""Export formats by name, for the CLI's ``--format`` and the app's export dialog.

Markdown in :mod:`.markdown` (one file) and :mod:`.vault` (one file per
paper), BibTeX in :mod:`.bibtex`, CSV in :mod:`.table`, the JSON backup in
:mod:`tracker.backup`; each takes :class:`~.item.ExportItem`. All are pure:
data in, text out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tracker import backup
from tracker.exports.bibtex import bibtex as bibtex_entries
from tracker.exports.item import ExportItem
from tracker.exports.markdown import GROUPS
from tracker.exports.markdown import markdown as markdown_text
from tracker.exports.table import csv_table
from tracker.exports.vault import per_paper_files
from tracker.models import Digest, Paper

__all__ = [
    "FORMATS",
    "GROUPS",
    "SUFFIXES",
    "ExportItem",
    "Rendered",
    "per_paper_files",
    "render",
]

FORMATS = {
    "md": "One Markdown file (table of contents)",
    "vault": "One file per paper, YAML front matter (Obsidian)",
    "bibtex": "BibTeX (arXiv papers cite as arXiv; others as @misc)",
    "csv": "CSV table for spreadsheets",
    "json": "JSON backup of statuses, notes, tags",
}
"""Every format by name, with the one-line description the app shows."""

SUFFIXES = {"md": ".md", "vault": "", "bibtex": ".bib", "csv": ".csv", "json": ".json"}
"""The file name ending of each format ("" for a folder)."""


@dataclass(frozen=True, slots=True)
class Rendered:
    """One export as text: how many papers it holds and how many it had to leave out."""

    text: str
    count: int
    skipped: int = 0
    skipped_why: str = ""
    note: str = ""
    """One clause about what was written, for the command to say (papers without an arXiv id)."""


def render(
    fmt: str,
    items: Sequence[ExportItem],
    digests: Sequence[Digest],
    *,
    group_by: str = "digest",
    abstracts: bool = True,
    created_at: str = "",
) -> Rendered:
    """The export as one text (every format but ``vault``, which is a folder)."""
    if fmt == "md":
        return Rendered(
            markdown_text(items, digests, group_by=group_by, abstracts=abstracts), len(items)
        )
    if fmt == "bibtex":
        bib = bibtex_entries(items, digests)
        note = ""
        if bib.without_id:
            n = bib.without_id
            note = (
                f"{n} of them {'has' if n == 1 else 'have'} no arXiv id: written as @misc "
                "with what the library knows of them (the title; authors, year and link where "
                "known)"
            )
        return Rendered(bib.text, bib.entries, note=note)
    if fmt == "csv":
        return Rendered(csv_table(items, digests), len(items))
    if fmt == "json":
        papers: Mapping[str, Paper] = {i.paper.id: i.paper for i in items}
        doc = backup.backup_document([i.annotation for i in items], papers, created_at=created_at)
        return Rendered(backup.dumps(doc).decode("utf-8"), len(items))
    if fmt == "vault":
        raise ValueError("the vault format is a folder of files: use per_paper_files")
    raise ValueError(f"unknown export format {fmt!r} (use one of: {', '.join(FORMATS)})")
