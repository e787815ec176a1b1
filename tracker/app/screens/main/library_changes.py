"""The main screen's changes: status keys, undo, papers and digests changing, and other processes."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from functools import partial

from textual import work
from textual.worker import get_current_worker

from tracker.app.dialogs.confirm import ConfirmDialog
from tracker.app.runtime import keep_out_of_collections
from tracker.app.screens.main.saved_searches import SavedSearches
from tracker.app.text import STATUS_LABEL, sentence
from tracker.app.widgets.detail_pane import NoteEditor
from tracker.library import LibraryError
from tracker.library.search_request import NO_HITS
from tracker.models import Paper, Status
from tracker.store import StoreError

CONFIRM_ABOVE = 20
"""Bulk changes above this many papers ask first."""
PICK_UP_SECONDS = 1.0
"""How often the app looks whether another process changed the library (a stat per journal)."""
COMPACT_EVERY_SECONDS = 600.0
"""How often the app folds journals that have grown into their files, in a worker."""


class LibraryChanges(SavedSearches):
    """Changes made here (statuses, undo) and elsewhere, and the screen following them."""

    def action_status(self, status: str) -> None:
        ids = self.paper_list.target_ids
        if not ids:
            return
        target = Status.parse(status)
        if len(ids) > CONFIRM_ABOVE:
            question = f"Mark {len(ids)} papers {STATUS_LABEL[target]}?"

            def answered(yes: bool | None) -> None:
                if yes:
                    self._apply_status(ids, target)

            self.app.push_screen(ConfirmDialog(question), answered)
            return
        # The cursor stays: `m` is the key that marks and moves on.
        self._apply_status(ids, target)

    def _apply_status(self, ids: list[str], status: Status) -> None:
        try:
            change = self.library.set_status(ids, status)
        except (LibraryError, StoreError) as err:
            self.notify(str(err), severity="error", timeout=10)
            # A failed save keeps the change in memory (the banner says so):
            # show it as it is, or the screen would contradict the banner.
            self._after_change()
            return
        if len(ids) > 1:
            self.paper_list.clear_selection()
            self.notify(change.label, timeout=3)
        self._after_change()

    def action_read_and_next(self) -> None:
        paper = self.paper_list.current_paper
        if paper is None:
            return
        self._apply_status([paper.id], Status.READ)

        def unread(p: Paper) -> bool:
            return self.library.status(p.id) not in (Status.READ, Status.SKIPPED)

        if not self.paper_list.move_to_next(unread):
            self.notify("No unread paper below this one.", timeout=2)

    async def action_undo(self) -> None:
        if self.library.undo_changes_library():
            # An import, or a digest forgotten, renamed or dated: papers and
            # digests change under the list, the searches and the index.
            await self.change_library(partial(self._undo, library=True))
        else:
            self._undo()

    def _undo(self, *, library: bool = False) -> None:
        try:
            change = self.library.undo()
        except (LibraryError, StoreError) as err:
            self.notify(str(err), severity="error", timeout=10)
            if isinstance(err, StoreError) and not library:  # undone in memory, not yet on disk
                self.detail.reload_note()
                self._after_change()
            return
        if change is None:
            # u takes back this window's changes only (Library.undo).
            self.notify(
                "Nothing to undo in this window (“tracker undo” takes back earlier ones).",
                timeout=3,
            )
            return
        self.notify(sentence(change.label), timeout=3)
        if change.library:
            return  # change_library shows everything anew
        self.detail.reload_note()
        self._after_change()

    def _after_change(self) -> None:
        if self.paper_list.stale:
            # This write took in another process's undo or forget first: papers left.
            self.refresh_all()
            self._count_searches()
            return
        self.paper_list.refresh_rows()
        self.detail.refresh_meta()
        self.detail.schedule_related()  # their status marks, off the key's own frame
        self.sidebar.refresh_counts()
        self._count_searches()

    def refresh_all(self) -> None:
        """Everything may have changed (after an import)."""
        self.sidebar.rebuild()
        self.paper_list.digests_changed()
        self.run_search()
        # The cursor stays on its paper, so no new one is shown: the paper the
        # pane shows may have been met again (another digest, an arXiv id, upvotes).
        self.detail.refresh_paper()
        self.update_watch()
        if not self.library.index.is_built:
            self._build_index()  # the new papers' words, for searches and related papers

    # -- changes of papers and digests -----------------------------------
    LIBRARY_WORKERS = ("search", "search-counts", "index", "watch")
    """The workers that read papers, digests or the search index in another thread."""

    async def change_library(self, change: Callable[[], object]) -> None:
        """Run ``change`` (papers or digests change) with no worker reading the library.

        A search, a count, the index build or the watch marks running in a
        thread while papers leave the list would read positions that no
        longer exist. They are stopped (each polls for it) and awaited, the
        change runs, and everything is shown anew: sidebar, list (the cursor
        stays on its paper if it is still there), counts, watch marks, and
        the word index, rebuilt in the background when positions moved.
        """
        self.store_typed_note()  # a note being typed is on disk before papers go
        keep = self.paper_list.cursor_paper_id
        workers = [
            w for w in self.app.workers if w.node is self and w.group in self.LIBRARY_WORKERS
        ]
        self._count_serial += 1  # a running count stops by itself
        for worker in workers:
            worker.cancel()
        await self.app.workers.wait_for_complete(workers)
        try:
            change()
        finally:
            self.paper_list.clear_selection()
            # Nothing on screen may hold a paper or a position from before the
            # change until the new results are in (the pane comes back with them).
            self.detail.show(None)
            self.paper_list.set_hits(NO_HITS)
            self.sidebar.rebuild()
            self.paper_list.digests_changed()
            self.run_search(keep=keep)
            self._count_searches()
            self.update_watch()
            if not self.library.index.is_built:
                self._build_index()

    # -- other processes' changes, and work in the background ------------
    def pick_up_changes(self) -> None:
        """Show what other processes wrote (an import from cron, a mark from a script).

        Every PICK_UP_SECONDS: a stat of each journal when nothing changed.
        The list, the sidebar's counts and the open paper follow; a note
        being typed is kept (see NoteEditor.external).
        """
        self._pick_up_watch_list()
        try:
            changed = self.library.refresh()
        except StoreError as err:
            if str(err) != self._pick_up_problem:
                self._pick_up_problem = str(err)
                self.notify(f"Changes made elsewhere cannot be shown: {err}", severity="error")
            return
        self._pick_up_problem = ""
        if not changed:
            return
        if changed.library_changed:
            self.refresh_all()  # the pane's paper shown anew too
        else:
            self._after_change()
            self.run_search()  # a status or a tag may move papers in or out of the view
        paper = self.detail.paper
        if paper is None or not self.library.has_paper(paper.id):
            return
        if not changed.library_changed and (changed.reload or paper.id in changed.papers_changed):
            self.detail.refresh_paper()
        if changed.reload or paper.id in changed.annotations:
            editor = self.query_one(NoteEditor)
            if not editor.external(paper.id, self.library.annotation(paper.id).note):
                self.store_typed_note()  # saving what is typed keeps both

    def _pick_up_watch_list(self) -> None:
        """A watch list changed in config.toml by another process (`tracker watch add`, an
        edit by hand) shows here too: its marks, its counts, an is:watched list."""
        config = self.config_file
        if config is None:
            return
        stamp = config.stamp()  # a stat when nothing changed
        if stamp == self._config_stamp:
            return
        self._config_stamp = stamp
        if config.reload_watch():
            self.library.set_watch(config.watch_entries()[0])
            self.update_watch()

    @work(thread=True, group="compact", exclusive=True, exit_on_error=False)
    def _compact(self) -> None:
        """Fold grown journals into their files, off the UI thread (see Store.compact)."""
        if self.library.readonly:
            return
        with contextlib.suppress(StoreError):
            self.library.store.compact()

    @work(thread=True, group="index", exit_on_error=False)
    def _build_index(self) -> None:
        """Index the words in the background: the list is already usable."""
        worker = get_current_worker()
        if self.library.build_index(cancelled=lambda: worker.is_cancelled):
            keep_out_of_collections()  # the index lives as long as the app
            self.app.call_from_thread(self._index_built)
            self.library.watch_matches()
            if not worker.is_cancelled:
                self.app.call_from_thread(self._watch_updated)

    def _index_built(self) -> None:
        if self._partial_shown:  # shown while abstracts were indexed: now every match
            self.run_search()
        self.detail.refresh_related()

    @work(thread=True, group="watch", exit_on_error=False)
    def update_watch(self) -> None:
        """Recompute the watch marks (after the list or the library changed)."""
        worker = get_current_worker()
        self.library.watch_matches()
        if not worker.is_cancelled:
            self.app.call_from_thread(self._watch_updated)

    def _watch_updated(self) -> None:
        self.paper_list.refresh_rows()
        self.detail.refresh_meta()
        self._count_searches()
        if self._uses_watch_list:
            self.run_search()  # is:watched results follow the new matches
