"""Changing annotations (statuses, notes, tags) with an undo log, and undoing any change."""

from __future__ import annotations

import contextlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from tracker.backup import record_edit
from tracker.clock import next_stamp
from tracker.library.core import LibraryError, origin_is_open, writes
from tracker.library.history import LIBRARY_KIND, Change, LibraryHistory
from tracker.library.note_merge import merge_concurrent_edit
from tracker.models import Annotation, Status, normalize_tag
from tracker.store import StoreError
from tracker.wording import shortened

_SEPARATORS = re.compile(r"[\s,]+")


@dataclass(frozen=True, slots=True)
class TagEdit:
    """What the app's tag dialog asks for: tags to add and tags to remove."""

    add: tuple[str, ...]
    remove: tuple[str, ...]


def parse_tag_edit(text: str, current: list[str] | None) -> TagEdit:
    """Read the dialog's text.

    With ``current`` (one paper) the text is the paper's whole tag list: tags
    left out are removed. Without it (several papers) words add tags and
    ``-word`` removes one. ``#`` in front of a tag is allowed and dropped.
    """
    words = [w.lstrip("#") for w in _SEPARATORS.split(text.strip()) if w.strip("#")]
    minus = [w[1:].lstrip("#") for w in words if w.startswith("-") and len(w) > 1]
    plus = [w for w in words if not w.startswith("-")]
    if current is None:
        return TagEdit(tuple(dict.fromkeys(plus)), tuple(dict.fromkeys(minus)))
    keep = set(plus)
    removed = [t for t in current if t not in keep] + minus
    added = [t for t in plus if t not in current]
    return TagEdit(tuple(dict.fromkeys(added)), tuple(dict.fromkeys(removed)))


class Changes(LibraryHistory):
    """Statuses, notes and tags, each change saved with its undo entry; undo."""

    def _commit(
        self,
        label: str,
        updates: dict[str, Annotation],
        *,
        session: str | None = None,
        stamp: str | None = None,
    ) -> Change:
        """Save changed annotations with an undo entry holding their previous state.

        Saves made with the same ``session`` as the newest undo entry (the
        autosaves of one note edit) share that entry, so one undo restores
        the note as it was before the edit began. The undo entry holds the
        whole previous annotation, status history included.
        """
        self._check_writable()
        stamp = stamp or self.now()
        before = [self.annotation(pid).to_dict() for pid in updates]
        entry: dict[str, Any] = {
            "label": label,
            "at": stamp,
            "paper_ids": list(updates),
            "before": before,
            "by": self.origin,
        }
        undo: dict[str, Any] | None = entry
        if session is not None:
            entry["session"] = session
            # The newest change of all, not only ours: an edit that another
            # process's change interrupted gets an entry of its own, so that
            # undoing it never takes back what that process wrote.
            last = self.store.last_undo()
            if (
                last
                and last.get("session") == session
                and last.get("paper_ids") == list(updates)
                and _token(last) == self.origin["token"]
            ):
                undo = None
        for ann in updates.values():
            # The times and note fingerprints that merging with another
            # machine's backup relies on (tracker.backup), on the annotation's
            # own clock: after every time it holds, whatever this machine's
            # clock says (tracker.clock).
            before_ann = self.annotation(ann.paper_id)
            at = next_stamp(stamp, [before_ann.latest_stamp])
            # An autosave replaces a version nobody else saw, unless a sync
            # sent it out meanwhile: then other machines must know it went.
            unseen = before_ann.note_time > self.sent_at
            record_edit(before_ann, ann, at, continuing=undo is None and unseen)
            self.annotations[ann.paper_id] = ann
        self.store.save_annotations([a.to_dict() for a in updates.values()], undo_push=undo)
        return Change(label, list(updates))

    @writes
    def set_status(self, paper_ids: Iterable[str], status: Status | str) -> Change:
        """Change the status of papers; each change goes into the paper's history."""
        status = Status.parse(status) if isinstance(status, str) else status
        stamp = self.now()
        updates: dict[str, Annotation] = {}
        paper_ids = list(dict.fromkeys(paper_ids))
        self._check_papers(paper_ids)
        for pid in paper_ids:
            ann = self.annotation(pid).copy()
            if ann.status is not status:
                # The same clock time _commit gives the change (tracker.clock).
                ann.change_status(status, next_stamp(stamp, [ann.latest_stamp]))
                updates[pid] = ann
        if not updates:
            return Change(f"already {status.value}", [])
        n = len(updates)
        label = f"marked {n} paper{'s' if n != 1 else ''} {status.value}"
        return self._commit(label, updates, stamp=stamp)

    @writes
    def set_note(
        self, paper_id: str, text: str, *, session: str | None = None, base: str | None = None
    ) -> Change:
        """Replace the paper's note; autosaves of one edit pass the same ``session``.

        ``base`` is the note as the editor had it before this edit. When the
        stored note is no longer that (another process changed it meanwhile,
        e.g. ``tracker note --append``), both are kept (see
        :func:`~tracker.library.note_merge.merge_concurrent_edit`) and the
        change's ``note`` says what was stored.
        """
        # No check that the paper is still there: a note typed while another process took
        # its paper out (an undo, a forget) is kept, as a note of a paper not imported
        # yet is (it shows again with the paper); the app says so (note_saving.py).
        ann = self.annotation(paper_id).copy()
        merged = text
        if base is not None and ann.note != base:
            merged = merge_concurrent_edit(base, ann.note, text)
        if ann.note == merged:
            return Change("note unchanged", [], note=merged if merged != text else None)
        ann.note = merged
        change = self._commit("edited a note", {paper_id: ann}, session=session)
        if merged != text:
            change.note = merged
        return change

    @writes
    def append_note(self, paper_id: str, text: str) -> Change:
        """Add a paragraph to the note as it is on disk now (whoever wrote it last)."""
        current = self.annotation(paper_id).note.rstrip("\n")
        joined = f"{current}\n\n{text}" if current else text
        return self.set_note(paper_id, joined)

    def add_tags(self, paper_ids: Iterable[str], tags: Iterable[str]) -> Change:
        return self.change_tags(paper_ids, add=tags)

    def remove_tags(self, paper_ids: Iterable[str], tags: Iterable[str]) -> Change:
        return self.change_tags(paper_ids, remove=tags)

    @writes
    def change_tags(
        self,
        paper_ids: Iterable[str],
        *,
        add: Iterable[str] = (),
        remove: Iterable[str] = (),
    ) -> Change:
        """Add and remove tags on papers in one saved, undoable change.

        Tags keep the order they were first given; a tag both added and
        removed is removed.
        """
        unwanted = {t for t in map(normalize_tag, remove) if t} | {t.strip() for t in remove}
        wanted = [t for t in map(normalize_tag, add) if t and t not in unwanted]
        updates: dict[str, Annotation] = {}
        paper_ids = list(dict.fromkeys(paper_ids))
        self._check_papers(paper_ids)
        for pid in paper_ids:
            ann = self.annotation(pid).copy()
            tags = [t for t in dict.fromkeys([*ann.tags, *wanted]) if t not in unwanted]
            if tags != ann.tags:
                ann.tags = tags
                updates[pid] = ann
        if not updates:
            return Change("tags unchanged", [])
        parts = []
        if wanted:
            parts.append("+" + " +".join(wanted))
        if unwanted:
            parts.append("-" + " -".join(sorted(unwanted)))
        where = f" on {len(updates)} papers" if len(updates) > 1 else ""
        return self._commit(f"tags {' '.join(parts)}{where}", updates)

    def _check_papers(self, paper_ids: list[str]) -> None:
        """LibraryError, nothing changed, when one of them is no longer in the library:
        another process took it out (an undo, a forget) after the app listed it."""
        gone = [pid for pid in paper_ids if not self.has_paper(pid)]
        if gone:
            what = f"the paper {gone[0]} is" if len(gone) == 1 else f"{len(gone)} of the papers are"
            raise LibraryError(
                f"nothing was changed: {what} no longer in the library (another process "
                "took it out meanwhile)"
            )

    def _which_papers(self, paper_ids: set[str]) -> str:
        """``the paper 'Title' was`` / ``the same 3 papers were``: what an undo refusal names."""
        if len(paper_ids) == 1:
            (pid,) = paper_ids
            if self.has_paper(pid):
                return f"the paper “{shortened(self.paper(pid).title)}” was"
            return "the same paper was"
        if paper_ids:
            return f"the same {len(paper_ids)} papers were"
        return "the library's papers and digests were"  # an import, a forgotten digest

    def all_tags(self) -> list[str]:
        """Every tag in use, most used first (for completion)."""
        counts = Counter(t for a in self.annotations.values() for t in a.tags)
        return [t for t, _ in counts.most_common()]

    def undo_changes_library(self) -> bool:
        """True when the next undo changes papers or digests (not only annotations).

        False when it cannot be told: the undo itself then says why (a key
        still queued when the app quits reaches a closed library here).
        """
        try:
            found = self._undoable()
        except (LibraryError, StoreError):
            return False
        return found is not None and found[1].get("kind") == LIBRARY_KIND

    def _may_undo(self, entry: dict[str, Any]) -> bool:
        """Whether this library's undo may take back ``entry`` (see :meth:`undo`)."""
        by = entry.get("by")
        if self.origin["app"]:
            return isinstance(by, dict) and by.get("token") == self.origin["token"]
        if not isinstance(by, dict) or not by.get("app"):
            return True  # made by a command (or recorded before changes had a maker)
        return not origin_is_open(by)  # an app window closed since

    def _undoable(self) -> tuple[int, dict[str, Any]] | None:
        """The newest change this library may undo, checked against later ones.

        If a later change (by anyone) touched the same papers, undoing it
        would silently take that one back too: nothing is undone and the
        error says why.
        """
        entries = sorted(self.store.undo_entries().items(), key=lambda item: -item[0])
        for i, (entry_id, entry) in enumerate(entries):
            if not self._may_undo(entry):
                continue
            papers = set(entry.get("paper_ids") or [])
            library = entry.get("kind") == LIBRARY_KIND
            imported = self.import_record(entry) if library else None
            added = set(imported.get("added") or ()) if imported is not None else set()
            for _, later in entries[:i]:
                # Changes of papers and digests (imports, forgotten digests)
                # touch each other's rows: any later one stands in the way.
                both_library = library and later.get("kind") == LIBRARY_KIND
                later_ids = later.get("paper_ids") or []
                shared = papers & set(later_ids)
                if imported is not None and not added.isdisjoint(later_ids):
                    # A status, note or tags given since to a paper this undo would
                    # remove: its annotation would stay, hidden with no paper.
                    shared = self.papers_undo_removes(imported, added.intersection(later_ids))
                if both_library or shared:
                    by = later.get("by")
                    where = (
                        f"in the app, pid {by.get('pid')},"
                        if isinstance(by, dict) and by.get("app")
                        else "from the command line"
                    )
                    raise LibraryError(
                        f"“{entry.get('label', 'the last change')}” was not undone: "
                        f"{self._which_papers(shared)} changed since {where} "
                        f"by “{later.get('label', 'a change')}”, and undoing would take that back too"
                    )
            if imported is not None:
                self._check_nothing_hidden(entry, imported, added)
            return entry_id, entry
        if entries and not self.origin["app"]:
            by = entries[0][1].get("by") or {}
            raise LibraryError(
                f"nothing to undo from the command line: the newest changes "
                f"(“{entries[0][1].get('label')}”) were made in the app, which is still open "
                f"(pid {by.get('pid', '?')}); undo them there with u"
            )
        return None

    def _check_nothing_hidden(
        self, entry: dict[str, Any], imported: dict[str, Any], added: set[str]
    ) -> None:
        """Refuse to take back the import of ``entry`` (``added``: the papers it added) if
        a paper it would remove was given a status, a note or tags since (by a change the
        log no longer has).

        Only since: an annotation of a paper the library did not have yet (merged from
        another machine's backup, or left by an import undone before) was there before
        the import, and undoing it goes back to that state.
        """
        since = str(entry.get("at") or "")
        annotated = [
            pid
            for pid, ann in self.annotations.items()
            if pid in added and not ann.is_default and ann.updated_at > since
        ]
        kept = self.papers_undo_removes(imported, annotated)
        if kept:
            which = (
                self._which_papers(kept) if len(kept) == 1 else f"{len(kept)} of its papers were"
            )
            raise LibraryError(
                f"“{entry.get('label', 'the last change')}” was not undone: {which} given "
                "a status, a note or tags since, which undoing would hide; forgetting its "
                "digest instead keeps such papers"
            )

    def last_change_id(self) -> int | None:
        """An id for the newest change :meth:`undo` would undo, to undo exactly that one later."""
        with contextlib.suppress(LibraryError):
            found = self._undoable()
            return found[0] if found else None
        return None

    @writes
    def undo(self, *, only: int | None = None) -> Change | None:
        """Undo the newest change of this process's kind; never another open app's.

        In the app (``Library.open(app=True)``), the newest change made in
        this window since it opened. From the command line, the newest change
        made by a ``tracker`` command, or in an app window closed since; a
        change of an app that is still open is left to that app. Either way,
        a change that a later one (by anyone) touched the papers of is not
        undone (see :meth:`_undoable`). With ``only`` (from
        :meth:`last_change_id`), undo only if that change is still the one:
        triage's `u` must not undo a note written since.
        """
        found = self._undoable()
        if found is None:
            return None
        entry_id, entry = found
        if only is not None and entry_id != only:
            label = entry.get("label", "another change")
            raise LibraryError(
                f"the newest change is “{label}”, made after that one; nothing was undone"
            )
        change = self._undo_entry(entry_id, entry)
        left = self._left_to_open_apps(entry_id)
        if left:
            change = replace(change, label=f"{change.label} ({left})")
        return change

    def _left_to_open_apps(self, undone: int) -> str:
        """What to say of the changes newer than ``undone`` that an open app made
        (a command leaves them to that app): "" when there are none."""
        if self.origin["app"]:
            return ""  # a window undoes its own changes; the others are never its to undo
        left = {
            i: e
            for i, e in self.store.undo_entries().items()
            if i > undone and not self._may_undo(e)
        }
        if not left:
            return ""
        last = left[max(left)]
        by = last.get("by") or {}
        more = f" and {len(left) - 1} more" if len(left) > 1 else ""
        return (
            f"the newer “{last.get('label', 'change')}”{more} was made in the app, "
            f"which is still open (pid {by.get('pid', '?')}): undo it there with u"
        )

    def _undo_entry(self, entry_id: int, entry: dict[str, Any]) -> Change:
        if entry.get("kind") == LIBRARY_KIND:
            return self._undo_library(entry_id, entry)  # an import, or a change of digests
        restored = [Annotation.from_dict(doc) for doc in entry.get("before", [])]
        stamp = self.now()
        for ann in restored:
            if entry.get("kind") != "merge":
                # An undo is a new change: on a merge it must win over the
                # version it took back, wherever that version went meanwhile.
                current = self.annotation(ann.paper_id)
                at = next_stamp(stamp, [current.latest_stamp, ann.latest_stamp])
                record_edit(current, ann, at, continuing=False)
            # Undoing a merge puts the annotations back exactly as they were,
            # times included: it claims nothing about the other machine's
            # versions, so none of them is lost, and merging that backup
            # again does the same merge again.
            self.annotations[ann.paper_id] = ann
        self.store.save_annotations([a.to_dict() for a in restored], undo_remove=entry_id)
        label = f"undid: {entry.get('label', 'last change')}{self._on_paper(restored)}"
        return Change(label, [a.paper_id for a in restored])

    def _on_paper(self, restored: list[Annotation]) -> str:
        """`` on “Title”`` when one paper's change was undone: which note or status came back."""
        if len(restored) != 1 or restored[0].paper_id not in self._pos:
            return ""
        title = " ".join(self.paper(restored[0].paper_id).title.split())
        return f" on “{title if len(title) <= 70 else title[:69] + '…'}”"

    @property
    def has_unsaved(self) -> bool:
        """True when a failed save (disk full, permissions) left changes only in memory."""
        return self.store.has_unsaved

    def flush(self) -> None:
        """Retry saving anything a failed write left in memory; StoreError if it fails again."""
        self.store.flush()


def _token(entry: dict[str, Any]) -> object:
    by = entry.get("by")
    return by.get("token") if isinstance(by, dict) else None
