"""The main screen: digests, the paper list, the filter bar and the detail pane."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable
from functools import partial

from rich.cells import cell_len
from textual import on, work
from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Resize, ScreenSuspend
from textual.timer import Timer
from textual.widgets import Footer, Input, Label, OptionList
from textual.worker import get_current_worker

from tracker import browser, clipboard
from tracker.app.dialogs.confirm import ConfirmDialog
from tracker.app.keymap import keymap_of
from tracker.app.layout import NARROW_BELOW
from tracker.app.runtime import collect_garbage, keep_out_of_collections
from tracker.app.text import STATUS_LABEL, clean, literal, marks_of, one_line, sentence
from tracker.app.textual_internals import FramePacedScreen, hand_over_repaints, show_binding
from tracker.app.widgets.detail_pane import DetailPane, NoteEditor
from tracker.app.widgets.digest_sidebar import ALL, SEARCH_PREFIX, DigestSidebar
from tracker.app.widgets.filter_input import FilterInput
from tracker.app.widgets.paper_list import PaperList
from tracker.app.widgets.unsaved_banner import UnsavedBanner
from tracker.config import ConfigError, ConfigFile
from tracker.editor import EditorError, edit_text
from tracker.library import Library, LibraryError
from tracker.library.search_request import NO_HITS, SearchRequest, SearchResult
from tracker.models import Paper, Status
from tracker.sources.fields import arxiv_url
from tracker.store import StoreError

# Keys 6-9 run the first saved searches (0-5 are the status views).
SAVED_SEARCH_SLOTS = 4

ECHO_WAIT_S = 0.025
INDEXING = "indexing…"
"""The count's text while a search waits for the word index."""
"""How long a typed character may wait to be drawn together with its results."""

DETAIL_AFTER_SEARCH_S = 0.15
"""How long the detail pane waits for typing to pause before showing the first result."""

# Bulk changes above this many papers ask first.
CONFIRM_ABOVE = 20
PICK_UP_SECONDS = 1.0
"""How often the app looks whether another process changed the library (a stat per journal)."""
COMPACT_EVERY_SECONDS = 600.0
"""How often the app folds journals that have grown into their files, in a worker."""
COUNT_DELAY = 0.4
"""Seconds without changes before the saved searches are counted again."""

STATUS_VIEWS: dict[str, tuple[Status, ...]] = {
    "all": (),
    "new": (Status.NEW,),
    "to-read": (Status.TO_READ,),
    "reading": (Status.READING,),
    "read": (Status.READ,),
    "skipped": (Status.SKIPPED,),
}


class MainScreen(FramePacedScreen):
    """Browse, filter, mark and annotate."""

    DEFAULT_CSS = """
    MainScreen #center { width: 1fr; }
    MainScreen #filter-row { height: 1; background: $panel; }
    MainScreen #filter { border: none; height: 1; padding: 0 1; width: 1fr; background: $panel; }
    MainScreen #filter:focus { background: $boost; }
    MainScreen #count { width: 17; padding: 0 1; color: $text-muted; background: $panel; text-align: right; }
    MainScreen #view { width: auto; max-width: 50%; height: 1; padding: 0 1; color: $accent; background: $panel; text-style: bold; }
    MainScreen.-narrow DigestSidebar { display: none; }
    MainScreen.-narrow.-show-sidebar DigestSidebar { display: block; }
    MainScreen.-narrow #body { layout: vertical; }
    MainScreen.-narrow DetailPane { width: 1fr; height: 50%; border-left: none; border-top: tall $panel; }
    MainScreen.-narrow DetailPane NoteEditor { height: 3; min-height: 3; }
    MainScreen.-narrow DetailPane NoteEditor:focus { height: 70%; }
    MainScreen.-narrow DetailPane #detail-title { margin-bottom: 0; }
    MainScreen.-narrow DetailPane #detail-meta { margin-bottom: 0; }
    MainScreen.-narrow #center { height: 1fr; }
    """

    BINDINGS = [
        Binding("slash", "focus_filter", "Filter", id="filter.focus"),
        Binding("escape", "clear_filter", "Clear", show=False, id="filter.clear"),
        Binding("t", "status('to-read')", "To read", id="status.to_read"),
        Binding("r", "status('reading')", "Reading", show=False, id="status.reading"),
        Binding("x", "status('read')", "Read", id="status.read"),
        Binding("s", "status('skipped')", "Skip", id="status.skipped"),
        Binding("n", "status('new')", "New", show=False, id="status.new"),
        Binding("m", "read_and_next", "Read+next", id="status.read_next"),
        Binding("u,ctrl+z", "undo", "Undo", id="undo"),
        Binding("i", "edit_note", "Note", show=False, id="note.edit"),
        Binding("E", "external_editor", "Note in $EDITOR", show=False, id="note.external"),
        Binding("number_sign", "tags", "Tags", show=False, id="paper.tags"),
        Binding("T", "triage", "Triage", id="triage"),
        Binding("e", "export", "Export", id="export"),
        Binding("I", "import_files", "Import", show=False, id="import"),
        Binding("S", "stats", "Reading stats", show=False, id="stats"),
        Binding("N", "whats_new", "What's new", show=False, id="whats_new"),
        Binding("o", "open_paper", "Open", show=False, id="paper.open"),
        Binding("O", "open_paper('pdf')", "Open PDF", show=False, id="paper.open_pdf"),
        Binding("y", "copy('title')", "Copy title", show=False, id="paper.copy"),
        Binding("Y", "copy('link')", "Copy link", show=False, id="paper.copy_link"),
        Binding("0", "view('all')", "All statuses", show=False, id="view.all"),
        Binding("1", "view('new')", "Only new", show=False, id="view.new"),
        Binding("2", "view('to-read')", "Only to read", show=False, id="view.to_read"),
        Binding("3", "view('reading')", "Only reading", show=False, id="view.reading"),
        Binding("4", "view('read')", "Only read", show=False, id="view.read"),
        Binding("5", "view('skipped')", "Only skipped", show=False, id="view.skipped"),
        Binding("H", "toggle_hide_done", "Hide read/skipped", show=False, id="view.hide_done"),
        Binding("b", "toggle_sidebar", "Digests", show=False, id="view.sidebar"),
        Binding("R", "show_related", "Related papers", show=False, id="paper.related"),
        Binding("F", "save_search", "Save search", id="search.save"),
        *(
            Binding(
                str(5 + slot),
                f"saved_search({slot})",
                f"Saved search {slot}",
                show=False,
                id=f"search.saved_{slot}",
            )
            for slot in range(1, SAVED_SEARCH_SLOTS + 1)
        ),
        Binding("W", "watch_list", "Watch list", show=False, id="watch.edit"),
    ]

    def __init__(self, library: Library, config_file: ConfigFile | None = None) -> None:
        super().__init__()
        self.library = library
        self.config_file = config_file
        self.status_view = "all"
        self.hide_done = False
        self._search_serial = 0
        self._frame_hold: contextlib.AbstractContextManager[None] | None = None
        self._hold_timer: Timer | None = None
        self._collect_after_frame = False
        self._count_serial = 0
        self._count_timer: Timer | None = None
        self._problems: tuple[str, ...] = ()
        self._uses_watch_list = False
        """The list shown depends on the watch list (is:watched): it follows its changes."""
        self._labels: dict[str, str] = {}
        self._pick_up_problem = ""

    # -- layout ----------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield UnsavedBanner(self.library)
        with Horizontal(id="body"):
            yield DigestSidebar(
                self.library,
                searches=self.config_file.settings.searches if self.config_file else None,
                keys=self._slot_keys(),
                id="digests",
            )
            with Vertical(id="center"):
                with Horizontal(id="filter-row"):
                    yield FilterInput(
                        placeholder='/ filter: words, status:read, has:note, -word, "phrase"',
                        id="filter",
                    )
                    yield Label("", id="view")
                    yield Label("", id="count")
                yield PaperList(self.library, id="papers")
            yield DetailPane(self.library, id="detail")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one(FilterInput).before_edit = self._hold_frame
        self._fit_layout()
        self.paper_list.focus()
        self._count_searches()
        self.run_search()
        self._build_index()
        self.set_interval(PICK_UP_SECONDS, self.pick_up_changes)
        self.set_interval(COMPACT_EVERY_SECONDS, self._compact)

    # -- other processes' changes -------------------------------------------
    def pick_up_changes(self) -> None:
        """Show what other processes wrote (an import from cron, a mark from a script).

        Every PICK_UP_SECONDS: a stat of each journal when nothing changed.
        The list, the sidebar's counts and the open paper follow; a note
        being typed is kept (see NoteEditor.external).
        """
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
            self.refresh_all()
        else:
            self._after_change()
            self.run_search()  # a status or a tag may move papers in or out of the view
        paper = self.detail.paper
        if paper is None or not self.library.has_paper(paper.id):
            return
        if changed.reload or paper.id in changed.papers_changed:
            self.detail.refresh_paper()
        if changed.reload or paper.id in changed.annotations:
            editor = self.query_one(NoteEditor)
            if not editor.external(paper.id, self.library.annotation(paper.id).note):
                self.store_typed_note()  # saving what is typed keeps both

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
            self.app.call_from_thread(self.detail.refresh_related)
            self.library.watch_matches()
            if not worker.is_cancelled:
                self.app.call_from_thread(self._watch_updated)

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

    def on_resize(self, event: Resize) -> None:
        self._fit_layout()

    def _fit_layout(self) -> None:
        # The terminal's width decides: below 110 columns the sidebar hides
        # and the detail pane moves under the list.
        narrow = self.app.size.width < NARROW_BELOW
        self.set_class(narrow, "-narrow")
        self._footer_fits(narrow)

    def _footer_fits(self, narrow: bool) -> None:
        """At 80 columns the footer has no room for "Save search" (it would push out
        "? Help"): there it is left out of the footer; the key still works, and ? lists it."""
        if show_binding(self, "search.save", not narrow):
            self.refresh_bindings()

    @property
    def paper_list(self) -> PaperList:
        return self.query_one(PaperList)

    @property
    def detail(self) -> DetailPane:
        return self.query_one(DetailPane)

    @property
    def sidebar(self) -> DigestSidebar:
        return self.query_one(DigestSidebar)

    # -- searching -------------------------------------------------------
    def current_query_text(self) -> str:
        return self.query_one("#filter", Input).value

    def search_request(self) -> SearchRequest:
        """What the list shows: the box's text in the sidebar's digest and the status view."""
        digest = self.sidebar.current_digest
        return SearchRequest(
            self.current_query_text(),
            digest=None if digest == ALL else digest,
            statuses=STATUS_VIEWS[self.status_view],
            hidden=(Status.READ, Status.SKIPPED) if self.hide_done else (),
        )

    def filter_as_text(self) -> str:
        """The whole current filter (box, digest, status view) as one query to save."""
        return self.library.request_as_query(self.search_request())

    def run_search(self, *, keep: str | None = None) -> None:
        """Search again; the cursor stays on its paper (or on ``keep``) when that is still listed."""
        request = self.search_request()
        self._search_serial += 1
        current = self.paper_list.current_paper
        if keep is None and current is not None:
            keep = current.id
        if self.library.waits_for_index(request):
            # Words need the word index, still being built or loaded (about 9 s
            # on the first start with 100,000 papers): say so until it answers.
            self._set_label("#count", INDEXING)
        self._search(request, self._search_serial, keep)
        self._update_view_label()

    @work(exclusive=True, thread=True, group="search")
    def _search(self, request: SearchRequest, serial: int, keep: str | None) -> None:
        worker = get_current_worker()
        result = self.library.search(request, cancelled=lambda: worker.is_cancelled)
        # None: a newer keystroke took over (an escaping error would end the app).
        if result is not None and not worker.is_cancelled:
            self.app.call_from_thread(self._show_hits, result, serial, keep)

    def _show_hits(self, result: SearchResult, serial: int, keep: str | None) -> None:
        if serial != self._search_serial:
            return  # a newer search is on its way
        plist = self.paper_list
        plist.empty_message = (
            "No papers match. Esc clears the filter." if self.current_query_text() else "No papers."
        )
        # set_hits moves the cursor, whose Highlighted message updates the detail pane.
        plist.set_hits(result.hits, keep_paper=keep)
        self._problems = result.problems
        self._uses_watch_list = result.uses_watch_list
        self._set_label("#count", f"{len(result.hits)} / {len(self.library)}")
        self._update_view_label()
        if self._frame_hold is not None:
            # Release the held frame so that it shows the text and the results
            # together. The widgets just changed would hand their repaints to
            # the screen on their own next turn of the event loop (a timer of
            # 1 ms waited for that: 1.5-2 ms a key); they hand them over now,
            # and the release queued behind them finds them all.
            if self._hold_timer is not None:
                self._hold_timer.stop()
                self._hold_timer = None
            hand_over_repaints([plist, *self.query("#count, #view")])
            self.call_later(self._release_frame)
        self._collect_after_frame = True

    def _update_view_label(self) -> None:
        parts = list(self._problems[:1])
        if self.library.readonly:
            parts.append("read-only")
        selected = len(self.paper_list.selected)
        if selected:
            parts.append(f"{selected} selected")
        if self.status_view != "all":
            parts.append(f"only {self.status_view}")
        if self.hide_done:
            parts.append("hiding read/skipped")
        self._set_label("#view", " · ".join(parts))

    def _set_label(self, selector: str, text: str) -> None:
        # Updating a label re-lays out the whole screen (a reflow and a repaint
        # of every scrollbar): skip it when nothing changed, and only repaint
        # a label of fixed width (the count) when the new text fits its line.
        if self._labels.get(selector) != text:
            self._labels[selector] = text
            label = self.query_one(selector, Label)
            fits = label.styles.width is not None and not label.styles.width.is_auto
            fits = fits and cell_len(text) <= label.content_size.width
            label.update(literal(text), layout=not fits)  # it may hold a settings problem

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        self._hold_frame()
        self.run_search()

    def _hold_frame(self) -> None:
        """Keep the typed character off screen until its results are ready (briefly).

        Textual draws at most one frame per 1/60 s. Drawn at once, the
        character takes that frame and its results wait for the next one, a
        whole frame later than they could be. Held for the few milliseconds
        the search takes, both come out in one frame. A slow search lets
        the character through after ECHO_WAIT_S.
        """
        if self._frame_hold is None:
            hold = self.app.batch_update()
            hold.__enter__()
            self._frame_hold = hold
            self._hold_timer = self.app.set_timer(ECHO_WAIT_S, self._release_frame)

    def _release_frame(self) -> None:
        hold, self._frame_hold = self._frame_hold, None
        if self._hold_timer is not None:
            self._hold_timer.stop()
            self._hold_timer = None
        if hold is not None:
            hold.__exit__(None, None, None)
            # Measured: left to Textual's frame timer, 11-16 ms of some keys
            # at 10,000 papers were spent waiting for its next slot.
            self.draw_now()

    def on_unmount(self) -> None:
        self._release_frame()

    def frame_drawn(self) -> None:
        # The garbage of a new result set is collected right after its frame
        # is out, not before it: measured at 10,000 papers, a full collection
        # (10-16 ms) used to run between the results and their frame
        # (call_after_refresh runs at once while the typed character's frame
        # is held).
        if self._collect_after_frame:
            self._collect_after_frame = False
            self.call_later(collect_garbage)

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self.paper_list.focus()

    @on(OptionList.OptionHighlighted, "#digests")
    def _digest_changed(self, event: OptionList.OptionHighlighted) -> None:
        self.paper_list.clear_selection()
        option_id = event.option.id or ""
        if option_id.startswith(SEARCH_PREFIX):
            self._apply_saved_search(option_id[len(SEARCH_PREFIX) :])
            return
        self.run_search()

    @on(OptionList.OptionSelected, "#digests")
    def _digest_selected(self) -> None:
        self.paper_list.focus()

    @on(PaperList.Highlighted)
    def _paper_highlighted(self, event: PaperList.Highlighted) -> None:
        paper = self.library.paper(event.paper_id) if event.paper_id else None
        if event.by_search and self.detail.paper is not None:
            # Typing: the list's frame first, the pane when typing pauses.
            self.detail.show_later(paper, DETAIL_AFTER_SEARCH_S)
        else:
            self.detail.show(paper)

    @on(PaperList.Activated)
    def _paper_activated(self) -> None:
        self.action_edit_note()

    @on(PaperList.SelectionChanged)
    def _selection_changed(self, event: PaperList.SelectionChanged) -> None:
        self._update_view_label()

    # -- actions ---------------------------------------------------------
    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_clear_filter(self) -> None:
        filt = self.query_one("#filter", Input)
        if self.paper_list.selected:
            self.paper_list.clear_selection()
        elif filt.value:
            filt.value = ""
        self.paper_list.focus()

    def action_view(self, view: str) -> None:
        self.status_view = "all" if self.status_view == view else view
        self.run_search()

    def action_toggle_hide_done(self) -> None:
        self.hide_done = not self.hide_done
        self.run_search()

    def action_toggle_sidebar(self) -> None:
        self.toggle_class("-show-sidebar")
        if self.has_class("-show-sidebar"):
            self.sidebar.focus()

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
            self.notify("Nothing to undo.", timeout=2)
            return
        self.notify(sentence(change.label), timeout=3)
        if change.library:
            return  # change_library shows everything anew
        self.detail.reload_note()
        self._after_change()

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
        keep = self.paper_list.current_paper
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
            self.run_search(keep=keep.id if keep else None)
            self._count_searches()
            self.update_watch()
            if not self.library.index.is_built:
                self._build_index()

    @on(DigestSidebar.DigestAction)
    def _sidebar_digest_action(self, event: DigestSidebar.DigestAction) -> None:
        if event.action == "edit":
            self.edit_digest(event.digest_id)
        else:
            self.forget_digest(event.digest_id)

    def edit_digest(self, digest_id: str) -> None:
        """Ask for a digest's label and date, and change them (one undoable change)."""
        from tracker.app.dialogs.digest_edit import DigestEdit, DigestEditDialog

        if self.library.readonly:
            self.notify("The library is open read-only.", severity="warning")
            return
        digest = self.library.digest(digest_id)

        async def done(edit: DigestEdit | None) -> None:
            if edit is None:
                return

            def apply() -> None:
                try:
                    change = self.library.edit_digest(digest_id, label=edit.label, date=edit.date)
                except (LibraryError, StoreError) as err:
                    self.notify(str(err), severity="error", timeout=10)
                    return
                self.notify(sentence(change.label), timeout=4)

            await self.change_library(apply)

        self.app.push_screen(DigestEditDialog(digest, len(digest.paper_ids)), done)

    def forget_digest(self, digest_id: str) -> None:
        """Ask, with the counts, then forget a digest (undoable with u)."""
        if self.library.readonly:
            self.notify("The library is open read-only.", severity="warning")
            return
        self.store_typed_note()  # a note being typed counts as annotating its paper
        plan = self.library.plan_forget(digest_id)
        n, elsewhere, kept = len(plan.removed), len(plan.elsewhere), len(plan.kept)
        question = (
            f"Forget digest {plan.digest.display_label}?\n\n"
            f"{n} paper{'s' if n != 1 else ''} leave the library; {elsewhere} stay in other "
            f"digests; {kept} stay because you annotated them (a note, tags or a status)."
            "\n\nu undoes it."
        )

        async def answered(yes: bool | None) -> None:
            if not yes:
                return

            def apply() -> None:
                try:
                    report = self.library.forget_digest(digest_id)
                except (LibraryError, StoreError) as err:
                    self.notify(str(err), severity="error", timeout=10)
                    return
                self.notify(f"{sentence(report.change.label)} (u undoes it)", timeout=5)

            await self.change_library(apply)

        self.app.push_screen(ConfirmDialog(question, default_yes=False), answered)

    def _after_change(self) -> None:
        self.paper_list.refresh_rows()
        self.detail.refresh_meta()
        self.detail.schedule_related()  # their status marks, off the key's own frame
        self.sidebar.refresh_counts()
        self._count_searches()

    def action_edit_note(self) -> None:
        if self.library.readonly:
            self.notify("The library is open read-only.", severity="warning")
            return
        if self.paper_list.current_paper is not None:
            self.detail.show_pending()
            self.query_one(NoteEditor).focus()

    def store_typed_note(self) -> None:
        """Store the note being typed now, not through a posted Save (which waits its turn)."""
        pending = self.query_one(NoteEditor).take_pending()
        if pending is not None:
            self._save_note(NoteEditor.Save(*pending))

    def on_screen_suspend(self, event: ScreenSuspend) -> None:
        # Another screen covers this one (a dialog, triage, stats, the command
        # palette…): what was typed goes to disk now, not after a pause.
        self.store_typed_note()

    @on(NoteEditor.Save)
    def _save_note(self, event: NoteEditor.Save) -> None:
        try:
            change = self.library.set_note(
                event.paper_id, event.text, session=event.session, base=event.base
            )
        except (LibraryError, StoreError) as err:
            self.notify(str(err), severity="error", timeout=10)
            return
        if change.note is not None:
            # Another process changed this note meanwhile: both edits were kept.
            self.query_one(NoteEditor).stored(event.paper_id, event.text, change.note)
            self.notify(
                "This note was also changed elsewhere; both versions are kept (see its end).",
                timeout=6,
            )
        self.paper_list.refresh_rows()

    @on(NoteEditor.Left)
    def _left_note(self) -> None:
        self.paper_list.focus()

    def action_external_editor(self) -> None:
        paper = self.paper_list.current_paper
        if paper is None or self.library.readonly:
            return
        # Before the app is suspended: the editor must start from what was
        # typed, and a posted Save would only be handled after the editor closes.
        self.store_typed_note()
        error: EditorError | None = None
        base = self.library.annotation(paper.id).note
        try:
            with self.app.suspend():
                # Nothing may escape this block: suspend() only resumes the app
                # when the block ends normally (an escaping error left it blank).
                try:
                    text = edit_text(base)
                except EditorError as err:
                    error = err
        except SuspendNotSupported:
            self.notify("This terminal cannot hand over to an editor.", severity="error")
            return
        if error is not None:
            self.notify(str(error), severity="error", timeout=8)
            return
        self._save_note(NoteEditor.Save(paper.id, text, uuid.uuid4().hex, base))
        self.detail.reload_note()

    def action_triage(self) -> None:
        from tracker.app.screens.triage import TriageScreen

        digest = self.sidebar.current_digest
        self.store_typed_note()

        def done(_: object) -> None:
            self._after_change()
            self.run_search()

        self.app.push_screen(TriageScreen(self.library, None if digest == ALL else digest), done)

    def action_stats(self) -> None:
        from tracker.app.screens.stats import StatsScreen

        # The note count should include what is being typed.
        self.store_typed_note()
        self.app.push_screen(StatsScreen(self.library))

    def action_whats_new(self) -> None:
        from tracker.app.screens.whats_new import WhatsNewScreen

        self.store_typed_note()
        self.app.push_screen(WhatsNewScreen(self.library))

    def action_export(self) -> None:
        from tracker.app.dialogs.export import ExportDialog

        plist = self.paper_list
        ids_filter = [plist.paper_at(i).id for i in range(len(plist.hits))]
        digest = self.sidebar.current_digest
        self.app.push_screen(
            ExportDialog(
                self.library,
                filtered_ids=ids_filter,
                digest_id=None if digest == ALL else digest,
            )
        )

    def action_tags(self) -> None:
        from tracker.app.dialogs.tags import TagDialog
        from tracker.library.changes import TagEdit

        if self.library.readonly:
            self.notify("The library is open read-only.", severity="warning")
            return
        ids = self.paper_list.target_ids
        if not ids:
            return
        if len(ids) == 1:
            paper = self.library.paper(ids[0])
            heading = f"Tags of {one_line(paper.title)}"
            current: list[str] | None = list(self.library.annotation(ids[0]).tags)
        else:
            heading, current = f"Tags for {len(ids)} selected papers", None

        def done(edit: TagEdit | None) -> None:
            if edit is None or not (edit.add or edit.remove):
                return
            try:
                change = self.library.change_tags(ids, add=edit.add, remove=edit.remove)
            except (LibraryError, StoreError) as err:
                self.notify(str(err), severity="error", timeout=10)
                return
            if len(ids) > 1:
                self.paper_list.clear_selection()
            self.notify(sentence(change.label), timeout=3)
            self._after_change()

        self.app.push_screen(TagDialog(heading, current, self.library.all_tags()), done)

    def action_import_files(self) -> None:
        from tracker.app.dialogs.import_file import ImportDialog

        if self.library.readonly:
            self.notify("The library is open read-only.", severity="warning")
            return

        def closed(imported: bool | None) -> None:
            if imported:
                # Also after a failed save: the import stays in memory (the banner says so).
                self.refresh_all()

        self.app.push_screen(ImportDialog(self.library, star=marks_of(self.app).watched), closed)

    def action_show_related(self) -> None:
        """Scroll the detail pane to the related papers (under a long abstract)."""
        self.detail.refresh_related()
        self.detail.show_related()

    def action_open_paper(self, what: str = "page") -> None:
        """Open the paper's page (or its PDF) in a worker: a browser may take seconds to start."""
        paper = self.paper_list.current_paper
        if paper is None:
            return
        url = browser.pdf_url(paper) if what == "pdf" else browser.paper_url(paper)
        if url is None:
            self.notify(
                "This paper has no arXiv id or PDF link; o opens its page.", severity="warning"
            )
            return
        command = self.config_file.settings.browser if self.config_file else None

        def open_in_worker() -> None:
            opened = browser.open_url(url, command)
            severity = "information" if opened.ok else "warning"
            timeout = 4 if opened.ok else 30  # long enough to copy the address
            self.app.call_from_thread(
                self.notify, opened.message, severity=severity, timeout=timeout
            )

        self.notify(f"Opening {url}…", timeout=2)
        self.run_worker(open_in_worker, thread=True, group="open")

    def action_copy(self, what: str) -> None:
        """Copy the title (or a Markdown link): OSC 52 to the terminal, and the system clipboard."""
        paper = self.paper_list.current_paper
        if paper is None:
            return
        title = one_line(paper.title)
        url = paper.url or (arxiv_url(paper.arxiv_id) if paper.arxiv_id else "")
        text = f"[{title}]({url})" if what == "link" and url else title
        self.app.copy_to_clipboard(text)

        def copy_in_worker() -> None:
            copied = clipboard.copy(text)
            severity = "information" if copied.ok else "warning"
            self.app.call_from_thread(
                self.notify, clipboard.message(copied, text), severity=severity, timeout=5
            )

        self.run_worker(copy_in_worker, thread=True, group="copy")

    def refresh_all(self) -> None:
        """Everything may have changed (after an import)."""
        self.sidebar.rebuild()
        self.run_search()
        self.update_watch()
        if not self.library.index.is_built:
            self._build_index()  # the new papers' words, for searches and related papers

    # -- saved searches --------------------------------------------------
    def _slot_keys(self) -> list[str]:
        """How the keys that run saved searches 1-4 are shown (they can be remapped)."""
        keymap = keymap_of(self.app)
        keys = []
        for binding in self.BINDINGS:
            assert isinstance(binding, Binding)
            if binding.id and binding.id.startswith("search.saved_"):
                key = keymap.get(binding.id, binding.key).split(",")[0].strip()
                keys.append(self.app.get_key_display(Binding(key, binding.action)))
        return keys

    def _show_searches(self) -> None:
        searches = self.config_file.settings.searches if self.config_file else {}
        self.sidebar.set_searches(searches, self._slot_keys())
        if searches:
            self._start_count()  # at once: the sidebar shows "…" until then

    def _count_searches(self) -> None:
        """Recount the saved searches for the sidebar once changes pause.

        Each count is a whole search (a second of CPU for several searches at
        100,000 papers): a run of status keys pays for one recount, after it,
        in a worker, and a newer count makes an older one stop.
        """
        if self._count_timer is not None:
            self._count_timer.stop()
        if self.sidebar.searches:
            self._count_timer = self.set_timer(COUNT_DELAY, self._start_count)

    def _start_count(self) -> None:
        self._count_timer = None
        self._count_serial += 1
        self._count_worker(self._count_serial, dict(self.sidebar.searches))

    @work(thread=True, group="search-counts", exit_on_error=False)
    def _count_worker(self, serial: int, searches: dict[str, str]) -> None:
        # Not an exclusive worker: a newer count makes this one stop by itself.
        def stale() -> bool:
            return serial != self._count_serial

        counts: dict[str, int] = {}
        for name, text in searches.items():
            result = self.library.search(SearchRequest(text), cancelled=stale)
            if result is None:
                return
            counts[name] = len(result.hits)
        if not stale():
            self.app.call_from_thread(self.sidebar.set_search_counts, counts)

    def saved_search_names(self) -> list[str]:
        return list(self.config_file.settings.searches) if self.config_file else []

    def action_save_search(self) -> None:
        if self.config_file is None:
            return
        query = self.filter_as_text()
        if not query:
            self.notify("Type a filter first (/), then save it with F.", timeout=4)
            return
        from tracker.app.dialogs.search_name import SearchNameDialog

        def named(name: str | None) -> None:
            if not name or self.config_file is None:
                return
            try:
                replaced = self.config_file.save_search(name, query)
            except ConfigError as err:
                self.notify(str(err), title="Not saved", severity="error", timeout=10)
                return
            self._show_searches()
            self.notify(
                f"{'Updated' if replaced else 'Saved'} search {name!r}: {query}",
                timeout=4,
            )

        # Saving under an existing name replaces that search (the title says so).
        self.app.push_screen(SearchNameDialog("Save this filter as", query), named)

    def action_saved_search(self, slot: int) -> None:
        names = self.saved_search_names()
        if slot > len(names):
            self.notify(
                f"No saved search {slot}: save the current filter with F.",
                timeout=3,
            )
            return
        self.run_saved_search(names[slot - 1])

    def run_saved_search(self, name: str) -> None:
        """Show the saved search's papers (its entry is highlighted in the sidebar)."""
        self.sidebar.highlight_search(name)
        self._apply_saved_search(name)

    def _apply_saved_search(self, name: str) -> None:
        if self.config_file is None or name not in self.config_file.settings.searches:
            return
        # The saved filter says everything: no status view or digest on top of it.
        self.status_view = "all"
        self.hide_done = False
        filt = self.query_one("#filter", Input)
        query = clean(self.config_file.settings.searches[name])  # config.toml is edited by hand
        if filt.value != query:
            filt.value = query  # Input.Changed runs the search
        else:
            self.run_search()

    def rename_search(self, name: str) -> None:
        if self.config_file is None or name not in self.config_file.settings.searches:
            return
        from tracker.app.dialogs.search_name import SearchNameDialog

        def named(new: str | None) -> None:
            if not new or new == name or self.config_file is None:
                return
            try:
                self.config_file.rename_search(name, new)
            except ConfigError as err:
                self.notify(str(err), title="Not renamed", severity="error", timeout=10)
                return
            self._show_searches()
            self.sidebar.highlight_search(new)
            self.notify(f"Renamed {name!r} to {new!r}", timeout=3)

        self.app.push_screen(
            SearchNameDialog(
                f"Rename saved search {name!r}",
                self.config_file.settings.searches[name],
                name=name,
                taken=set(self.config_file.settings.searches),
            ),
            named,
        )

    def delete_search(self, name: str) -> None:
        if self.config_file is None or name not in self.config_file.settings.searches:
            return

        def answered(yes: bool | None) -> None:
            if not yes or self.config_file is None:
                return
            try:
                self.config_file.delete_search(name)
            except ConfigError as err:
                self.notify(str(err), title="Not deleted", severity="error", timeout=10)
                return
            self._show_searches()
            self.notify(f"Deleted saved search {name!r}", timeout=3)

        query = self.config_file.settings.searches[name]
        self.app.push_screen(ConfirmDialog(f"Delete saved search {name!r} ({query})?"), answered)

    @on(DigestSidebar.SearchAction)
    def _sidebar_search_action(self, event: DigestSidebar.SearchAction) -> None:
        if event.action == "rename":
            self.rename_search(event.name)
        elif event.action == "delete":
            self.delete_search(event.name)

    # -- watch list ------------------------------------------------------
    def action_watch_list(self) -> None:
        if self.config_file is None:
            return
        from tracker.app.dialogs.watch_list import WatchListDialog

        def closed(changed: bool | None) -> None:
            if changed and self.config_file is not None:
                self.library.set_watch(self.config_file.watch_entries()[0])
                self.update_watch()

        self.app.push_screen(WatchListDialog(self.config_file), closed)
