"""The library: the one API the CLI and the TUI use.

It joins the parser, the store and the search index: import files, query,
change statuses, notes and tags, undo the last change, and count progress.
Every change is on disk (fsynced) when the method returns.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tracker import stats
from tracker.library.changes import Changes
from tracker.library.digest_editing import DigestEditing
from tracker.library.digest_order import newest_first
from tracker.library.exporting import Exporting
from tracker.library.syncing import Syncing
from tracker.models import Digest, Status

if TYPE_CHECKING:
    from tracker import whats_new


@dataclass(slots=True)
class DigestStats:
    digest: Digest
    total: int
    by_status: dict[Status, int]

    @property
    def read(self) -> int:
        return self.by_status.get(Status.READ, 0)

    @property
    def triaged(self) -> int:
        """Papers that are no longer ``new``."""
        return self.total - self.by_status.get(Status.NEW, 0)


class Library(Syncing, DigestEditing, Exporting, Changes):
    """An open library. Use :meth:`open`; close it (or use ``with``) when done.

    Its methods come from one class per area (backups, digests, exports,
    changes and, through them, imports, the history of library changes,
    search and the state in :mod:`tracker.library.core`); this class adds the
    counts and what's new.
    """

    # -- stats -----------------------------------------------------------
    def digest_stats(self) -> list[DigestStats]:
        """Each digest's reading progress, newest day first (``digest_order``)."""
        stats = []
        for digest in newest_first(self.digests):
            counts = Counter(self.status(pid) for pid in digest.paper_ids)
            stats.append(DigestStats(digest, len(digest.paper_ids), dict(counts)))
        return stats

    def status_counts(self) -> dict[Status, int]:
        counts = Counter(self.status(pid) for pid in self._pos)
        return {s: counts.get(s, 0) for s in Status}

    def reading_stats(
        self, *, today: dt.date | None = None, weeks: int = stats.WEEKS
    ) -> stats.ReadingStats:
        """Weekly triage and reading figures, backlog, per-digest progress and notes.

        ``today`` defaults to the date of :attr:`now`: local, or UTC with :attr:`utc_days`.
        """
        day = today or stats.day_of(self.current_time(), utc=self.utc_days)
        progress = [
            stats.DigestProgress(s.digest.id, s.digest.display_label, s.total, s.triaged, s.read)
            for s in self.digest_stats()
        ]
        anns = [a for pid, a in self.annotations.items() if pid in self._pos]
        return stats.compute(
            anns, progress, papers=len(self.papers), today=day, weeks=weeks, utc=self.utc_days
        )

    # -- what's new -------------------------------------------------------
    def current_time(self) -> dt.datetime:
        """Now, from the library's clock (:attr:`now`), as an aware UTC datetime."""
        return stats.parse_time(self.now()) or dt.datetime.now(dt.UTC)

    def whats_new(
        self, since: dt.datetime | None = None, *, watched_only: bool = False
    ) -> whats_new.WhatsNew:
        """Papers of the digests imported since ``since`` (default: the last 24 hours).

        Watched papers carry the watch entry they match; only the papers listed
        are matched, so this costs what the new digests hold.
        """
        from tracker import whats_new
        from tracker.search.watch import match_papers

        start = since or self.current_time() - whats_new.DEFAULT_WINDOW
        ids = dict.fromkeys(
            pid for d in whats_new.new_digests(self.digests, start) for pid in d.paper_ids
        )
        found = match_papers(self.watch_entries, [self.paper(pid) for pid in ids])
        return whats_new.collect(
            start,
            self.digests,
            self.paper,
            self.status,
            {pid: entry.text for pid, entry in found.items()},
            watched_only=watched_only,
            utc=self.utc_days,
        )

    def note_count(self) -> int:
        return sum(
            1 for a in self.annotations.values() if a.note.strip() and a.paper_id in self._pos
        )
