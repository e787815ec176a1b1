"""Undoable changes of papers and digests: imports, forgetting, renaming and dating a digest.

The undo log lives in annotations.json (one entry per change, see
:mod:`tracker.library.changes`); what takes back a change of library.json is
too big for a file rewritten on every status change (an import's new papers,
a forgotten digest's papers), so it is kept in library.json itself, in its
``undo`` table, under a token that the log entry names. Two files cannot be
replaced in one step, so the order of the writes carries the guarantee that
a crash (kill -9, power cut) leaves the old state or the new one:

- a change writes its log entry first, then library.json with the change and
  its record; a crash between the two leaves an entry whose token is not in
  library.json: the change never happened, and the entry is dropped at the
  next open (:meth:`LibraryHistory.prune_void_undo`);
- an undo writes library.json first (the change taken back, the record
  gone), then drops the entry; a crash between the two leaves the same kind
  of entry, dropped the same way: the undo happened.

Records whose entry left the log (it keeps the last 100 changes) are dropped
by the next write of library.json.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from tracker.library.core import LibraryError, origin_is_open
from tracker.library.searching import Searching
from tracker.models import Digest, Paper
from tracker.store import LibraryEdit, StoreError, undo_record

LIBRARY_KIND = "library"
"""The ``kind`` of an undo entry whose change is in library.json (with a ``token``)."""

Row = dict[str, Any]


@dataclass(slots=True)
class Change:
    """A change that was saved, as described to the user (and undoable)."""

    label: str
    paper_ids: list[str]
    library: bool = False
    """True when papers or digests changed (not only annotations): the app then
    shows the library anew (sidebar, list, search index)."""
    note: str | None = None
    """For a note edit: the note as stored, when it differs from the text given
    (another process changed the note meanwhile and both were kept)."""


class LibraryHistory(Searching):
    """Writing undoable changes of library.json, and taking them back."""

    # -- writing a change ------------------------------------------------
    def _record_change(
        self, label: str, action: str, edit: LibraryEdit, record: Row, *, at: str | None = None
    ) -> None:
        """Store ``edit`` with the ``record`` that takes it back, as one undoable change.

        The change must already be in memory. The log entry goes first (see
        the module's docstring). A failed write of either file keeps what it
        could not write in memory, to be retried like any failed save; the
        first error is raised once both were tried.
        """
        token = uuid.uuid4().hex
        entry = {
            "label": label,
            "kind": LIBRARY_KIND,
            "action": action,
            "at": at or self.now(),
            "token": token,
            "paper_ids": [],
            "before": [],
            "by": self.origin,
        }
        problem: StoreError | None = None
        try:
            self.store.save_annotations([], undo_push=entry)
        except StoreError as err:
            problem = err
        record = {**record, "action": action}
        self._undo_records[token] = record
        edit.undo[token] = record
        self._drop_dead_records(edit)
        try:
            self.store.save_library_edit(edit)
        except StoreError as err:
            problem = problem or err
        if problem is not None:
            raise problem

    def _drop_dead_records(self, edit: LibraryEdit) -> None:
        """Drop, in ``edit``, the records no log entry names any more."""
        live = {e.get("token") for e in self.store.undo_entries().values()}
        for token in [t for t in self._undo_records if t not in live]:
            del self._undo_records[token]
            edit.undo[token] = None

    def _opened_for_writing(self) -> None:
        super()._opened_for_writing()
        with contextlib.suppress(StoreError):  # a full disk: tried again at the next open
            self.prune_void_undo()

    def prune_void_undo(self) -> int:
        """Drop log entries whose change is not in library.json (a crash cut it short).

        Returns how many were dropped. Called when a library is opened for
        writing; see the module's docstring.
        """
        # An entry of a process still running may be waiting for its second
        # write right now: only those of processes that are gone are void.
        void = [
            entry_id
            for entry_id, entry in self.store.undo_entries().items()
            if entry.get("kind") == LIBRARY_KIND
            and entry.get("token") not in self._undo_records
            and not origin_is_open(entry.get("by"))
        ]
        if void:
            self.store.drop_undo_entries(void)
        return len(void)

    # -- taking a change back --------------------------------------------
    def _undo_library(self, entry_id: int, entry: Row) -> Change:
        """Take back the change of ``entry`` (log entry ``entry_id``) and drop the entry."""
        label = str(entry.get("label", "last change"))
        token = entry.get("token")
        record = undo_record(self._undo_records, token) if isinstance(token, str) else None
        if record is None:
            # Its change is not in the library (see the module's docstring):
            # taking it back is dropping the entry.
            self.store.save_annotations([], undo_remove=entry_id)
            return Change(f"undid: {label}", [], library=True)
        action = record.get("action")
        if action == "import":
            edit, touched = self._take_back_import(record)
        elif action == "forget":
            edit, touched = self._take_back_forget(record)
        elif action == "digest":
            edit, touched = self._take_back_digest_edit(record)
        else:
            raise LibraryError(f"cannot undo “{label}”: unknown kind of change {action!r}")
        assert isinstance(token, str)
        del self._undo_records[token]
        edit.undo[token] = None
        self._drop_dead_records(edit)
        # library.json first: if it fails, the entry stays (its record is gone
        # from memory, so a second undo drops it) and the write is retried.
        self.store.save_library_edit(edit)
        self.store.save_annotations([], undo_remove=entry_id)
        return Change(f"undid: {label}", touched, library=True)

    def import_record(self, entry: Row) -> Row | None:
        """The record that takes back ``entry`` when that is an import, else None."""
        token = entry.get("token")
        record = undo_record(self._undo_records, token) if isinstance(token, str) else None
        return record if record is not None and record.get("action") == "import" else None

    def papers_undo_removes(self, record: Row, new_papers: Iterable[str]) -> set[str]:
        """Which of ``new_papers`` (papers the import of ``record`` added) taking it back
        would remove: those no other digest has met since (each looked at is read)."""
        gone = set(record.get("digests") or ())
        return {
            pid
            for pid in new_papers
            if self.has_paper(pid) and not _digests_left(self.paper(pid), gone)
        }

    def _take_back_import(self, record: Row) -> tuple[LibraryEdit, list[str]]:
        gone = set(record.get("digests") or ())
        edit = LibraryEdit()
        removed: set[str] = set()
        for pid in record.get("added") or ():
            if not self.has_paper(pid):
                continue
            paper = self.paper(pid)
            others = _digests_left(paper, gone)
            if others:
                # A merge gave it another digest since: it stays, with that one.
                self._replace_paper(paper, _with_digests(paper.to_dict(), others), edit)
            else:
                removed.add(pid)
        for pid, before in (record.get("before") or {}).items():
            if self.has_paper(pid):
                self._restore_row(pid, before, gone, edit)
        self._remove_papers(removed, edit)
        self._set_digests([d for d in self.digests if d.id not in gone], edit)
        return edit, [*removed, *(record.get("before") or {})]

    def _take_back_forget(self, record: Row) -> tuple[LibraryEdit, list[str]]:
        digest = Digest.from_dict(record["digest"])
        edit = LibraryEdit()
        digests = [d for d in self.digests if d.id != digest.id]
        digests.insert(min(int(record.get("digest_index", len(digests))), len(digests)), digest)
        back = [
            (int(pos), row)
            for pos, row in record.get("removed") or ()
            if row["id"] not in self._pos
        ]
        self._insert_papers(back, edit)
        for pid, before in (record.get("changed") or {}).items():
            if self.has_paper(pid):
                self._restore_row(pid, before, set(), edit)
        self._set_digests(digests, edit)
        return edit, [row["id"] for _, row in back] + list(record.get("changed") or {})

    def _take_back_digest_edit(self, record: Row) -> tuple[LibraryEdit, list[str]]:
        before = Digest.from_dict(record["before"])
        edit = LibraryEdit()
        self._set_digests([before if d.id == before.id else d for d in self.digests], edit)
        return edit, []

    # -- the library in memory (and the rows that go with it) --------------
    def _restore_row(self, pid: str, before: Row, gone: set[str], edit: LibraryEdit) -> None:
        """Put a paper back as ``before`` (keeping digests it got since, other than ``gone``)."""
        current = self.paper(pid)
        had = list(before.get("digests") or ())
        since = [d for d in current.digests if d not in gone and d not in had]
        self._replace_paper(current, _with_digests(before, had + since), edit)

    def _replace_paper(self, current: Paper, row: Row, edit: LibraryEdit) -> None:
        paper = Paper.from_dict(row)
        pos = self._pos[current.id]
        self._texts_changed()
        self.papers[pos] = paper
        # Fields the stored row has and the new one lacks are removed (None).
        edit.changed[current.id] = {**dict.fromkeys(current.to_dict()), **paper.to_dict()}
        index = self._index
        if index is not None and (current.title, current.abstract) != (paper.title, paper.abstract):
            index.update(pos, paper.title, paper.abstract)
        if index is not None and current.authors != paper.authors:
            index.set_authors(pos, paper.authors)
        self._library_changed()

    def _remove_papers(self, pids: Iterable[str], edit: LibraryEdit) -> None:
        gone = {pid for pid in pids if pid in self._pos}
        if not gone:
            return
        positions = sorted(self._pos[pid] for pid in gone)
        count = len(self.papers) - len(gone)
        with self._positions_moving():
            self.papers[:] = [p for p in self.papers if p.id not in gone]
            self._pos = {p.id: i for i, p in enumerate(self.papers)}
            index = self._index
            if index is not None:
                if positions[0] == count:  # the last papers, as an undone import's: cut them off
                    index.truncate(count)
                else:  # positions move: the index follows at its next build
                    self._relist_index()
        edit.removed |= gone
        self._library_changed()

    def _insert_papers(self, rows: list[tuple[int, Row]], edit: LibraryEdit) -> None:
        """Put papers back at their positions (each as it was when it left)."""
        if not rows:
            return
        rows = sorted(rows, key=lambda item: item[0])
        appended = rows[0][0] >= len(self.papers)
        back: set[str] = set()
        # Put at the end, no paper's position moves.
        with contextlib.nullcontext() if appended else self._positions_moving():
            for pos, row in rows:
                paper = Paper.from_dict(row)
                self.papers.insert(min(pos, len(self.papers)), paper)
                back.add(paper.id)
            self._pos = {p.id: i for i, p in enumerate(self.papers)}
            index = self._index
            if index is not None:
                if appended:
                    for _, row in rows:
                        paper = self.paper(row["id"])
                        index.add(paper.title, paper.abstract, paper.authors)
                else:  # positions move: the index follows at its next build
                    self._relist_index()
        # In library.json each goes before the first paper after it that stayed
        # (those with the same one in their order here).
        for pid in sorted(back, key=self._pos.__getitem__):
            anchor = None
            for later in self.papers[self._pos[pid] + 1 :]:
                if later.id not in back:
                    anchor = later.id
                    break
            edit.inserted[pid] = (self.paper(pid).to_dict(), anchor)
        self._library_changed()

    def _set_digests(self, digests: list[Digest], edit: LibraryEdit) -> None:
        self.digests[:] = digests
        self._digest_by_id = {d.id: d for d in digests}
        edit.digest_table = [d.to_dict() for d in digests]
        self._library_changed()

    def _library_changed(self) -> None:
        self._digest_keys.clear()
        self._combo_keys.clear()
        with self._watch_lock:
            self._watch_cache = None


def _with_digests(row: Row, digests: list[str]) -> Row:
    return {**row, "digests": list(digests)}


def _digests_left(paper: Paper, gone: set[str]) -> list[str]:
    """The paper's digests once ``gone`` are taken back (none: the paper goes too)."""
    return [d for d in paper.digests if d not in gone]
