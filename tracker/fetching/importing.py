"""Importing fetched pages: each day one import, through the same path as a file.

A day goes in as ``tracker import`` of the saved response would take it (same
parser, same digest rules, same dedupe, same dry run): all of it or, when it
cannot be read, nothing of it — the other days still go in, as the files of
one ``tracker import`` do. A day that another fetch stored meanwhile, or that
lists no paper, is passed over with a note.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from tracker.fetching.download import Page
from tracker.fetching.remotes import Remote
from tracker.library import ImportReport, Library, LibraryError
from tracker.sources.parsed import DigestError

__all__ = ["DayOutcome", "import_pages"]


@dataclass(frozen=True, slots=True)
class DayOutcome:
    page: Page
    result: ImportReport | DigestError | LibraryError | None
    """The import's report, the reason the day could not be imported, or None (see ``note``)."""
    note: str = ""
    """Why nothing was imported although nothing failed: ``no papers listed``, ``already fetched``."""

    @property
    def failed(self) -> bool:
        return isinstance(self.result, DigestError | LibraryError)


def import_pages(
    library: Library, remote: Remote, pages: list[Page], *, dry_run: bool = False
) -> Iterator[DayOutcome]:
    """Import (or with ``dry_run`` preview) each page in turn, yielding what it did."""
    for page in pages:
        if page.empty:
            yield DayOutcome(page, None, f"{page.day.isoformat()}: no papers listed")
            continue
        if any(d.source == page.source for d in library.digests):
            yield DayOutcome(page, None, f"{page.day.isoformat()}: already fetched")
            continue
        date = page.day.isoformat()
        try:
            if dry_run:
                result = library.preview_bytes(
                    page.data, source=page.source, date=date, format=remote.format
                )
            else:
                result = library.import_bytes(
                    page.data, source=page.source, date=date, format=remote.format
                )
        except (DigestError, LibraryError) as err:
            yield DayOutcome(page, err)
            continue
        yield DayOutcome(page, result)
