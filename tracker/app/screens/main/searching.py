"""The main screen's list: the filter box and the view around it, searched as one request."""

from __future__ import annotations

import contextlib
import dataclasses
import time
from collections.abc import Callable

from rich.cells import cell_len
from textual import on, work
from textual.css.query import NoMatches
from textual.message import Message
from textual.widgets import Input, Label, OptionList
from textual.worker import get_current_worker

from tracker.app.focus_now import focus_now
from tracker.app.runtime import collect_garbage
from tracker.app.screens.main.notes import NoteHandling
from tracker.app.text import literal
from tracker.app.textual_internals import hand_over_repaints
from tracker.app.widgets.digest_sidebar import ALL
from tracker.app.widgets.paper_list import PaperList
from tracker.library.search_request import SearchRequest, SearchResult
from tracker.models import Status
from tracker.store import StoreError

ECHO_WAIT_S = 0.025
"""How long a typed character may wait to be drawn together with its results."""
INDEXING = "indexing…"
"""The count's text while a search waits for the word index."""

INLINE_SEARCH_S = 0.010
"""A search runs on the UI thread, not in a worker, while the last one took less than this.

Handing a search to a worker costs a keystroke two turns of the event loop
(the worker's task, then the message with its results) and a thread
switch: measured at 10,000 papers, 0.3-0.5 ms of the 1 ms before a search
starts and 0.2 ms after it. A search this short would not let the frame
draw anything before its results anyway (ECHO_WAIT_S). Slower ones (a large
library) and those that wait for the word index stay in the worker, where a
newer keystroke cancels them."""

DETAIL_AFTER_SEARCH_S = 0.15
"""How long the detail pane waits for typing to pause before showing the first result."""

STATUS_VIEWS: dict[str, tuple[Status, ...]] = {
    "all": (),
    "new": (Status.NEW,),
    "to-read": (Status.TO_READ,),
    "reading": (Status.READING,),
    "read": (Status.READ,),
    "skipped": (Status.SKIPPED,),
}


class HitsFound(Message):
    """A search's results, posted by its worker thread to the screen."""

    bubble = False  # for the screen alone

    def __init__(
        self, request: SearchRequest, result: SearchResult, serial: int, keep: str | None
    ) -> None:
        super().__init__()
        self.request = request
        self.result = result
        self.serial = serial
        self.keep = keep


def _keeps_cursor(previous: SearchRequest | None, request: SearchRequest) -> bool:
    """True when the cursor stays on its paper as the list goes from ``previous`` to ``request``."""
    if previous is None or previous == request:
        return previous is not None
    cleared = dataclasses.replace(previous, text="")
    return not request.text and cleared == request


class Searching(NoteHandling):
    """What the list shows: the box's text in the sidebar's digest and the status view."""

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

    def run_search(self, *, keep: str | None = None) -> None:
        """Show the list for the box's text in its view.

        A new filter starts at its first row, its best match. The cursor stays
        on its paper (or goes to ``keep``) when that is still listed and the
        filter is the same (a status or a note changed, another process wrote)
        or was just cleared (back to everything, on the paper found).
        """
        request = self.search_request()
        # Compared with what the list shows, not with the last request: typed
        # fast, one text may be asked for twice before its results are in, and
        # the second ask kept the cursor on the paper of the filter before.
        previous = self._shown_request
        self._search_serial += 1
        # By id: the results shown may be from before papers' positions moved.
        current = self.paper_list.cursor_paper_id
        if keep is None and current is not None and _keeps_cursor(previous, request):
            keep = current
        if self.library.waits_for_index(request):
            # Words need the word index, still being built or loaded (about 9 s
            # on the first start with 100,000 papers): say so until it answers.
            self._set_label("#count", INDEXING)
            self._search(request, self._search_serial, keep)
        elif self._last_search_s < INLINE_SEARCH_S and self.library.index.is_built:
            self._search_here(request, self._search_serial, keep)
        else:
            self._search(request, self._search_serial, keep)
        self._update_view_label()

    def _search_here(self, request: SearchRequest, serial: int, keep: str | None) -> None:
        """The search on the UI thread (see INLINE_SEARCH_S), its results shown at once."""
        # A search still running in a worker would post older results: the
        # serial drops them. Cancelled, it stops early.
        self.app.workers.cancel_group(self, "search")
        result = self._timed_search(request, None)
        if result is not None:
            self._show_hits(request, result, serial, keep)

    @work(exclusive=True, thread=True, group="search")
    def _search(self, request: SearchRequest, serial: int, keep: str | None) -> None:
        worker = get_current_worker()
        result = self._timed_search(request, lambda: worker.is_cancelled)
        # None: a newer keystroke took over (an escaping error would end the app).
        if result is not None and not worker.is_cancelled:
            # Posted, not called with call_from_thread: that made this thread
            # wait for the list to be updated and then woke it in the middle of
            # drawing the frame (a thread switch, up to milliseconds on a busy
            # machine, in every keystroke).
            self.post_message(HitsFound(request, result, serial, keep))

    def _timed_search(
        self, request: SearchRequest, cancelled: Callable[[], bool] | None
    ) -> SearchResult | None:
        """The library's search, timed for INLINE_SEARCH_S, on the UI thread or (with
        ``cancelled``) in the search worker. None when cancelled, or when library.json
        changed in place under the app: said in a notification, and the app goes on."""
        start = time.perf_counter()
        try:
            return self.library.search(request, cancelled=cancelled)
        except StoreError as err:
            if cancelled is None:
                self.notify(str(err), severity="error", markup=False)
            else:
                self.app.call_from_thread(self.notify, str(err), severity="error", markup=False)
            return None
        finally:
            self._last_search_s = time.perf_counter() - start

    @on(HitsFound)
    def _hits_found(self, message: HitsFound) -> None:
        self._show_hits(message.request, message.result, message.serial, message.keep)

    def _show_hits(
        self, request: SearchRequest, result: SearchResult, serial: int, keep: str | None
    ) -> None:
        if serial != self._search_serial:
            return  # a newer search is on its way
        try:
            plist = self.paper_list
        except NoMatches:
            return  # the screen is being taken down (the app quits): nothing to show
        if result.order_serial != self.library.order_serial:
            # Papers left the library while it ran (another process's undo, taken
            # in with one of ours): its positions name other papers. Again, now.
            self.run_search(keep=keep)
            return
        plist.empty_message = (
            "No papers match. Esc clears the filter; note:WORD searches your notes."
            if self.current_query_text()
            else "No papers."
        )
        # set_hits moves the cursor, whose Highlighted message updates the detail pane.
        plist.set_hits(result.hits, keep_paper=keep, order_serial=result.order_serial)
        self._shown_request = request
        if result.problems != self._problems:
            self._problems = result.problems
            self._show_problems()
        self._uses_watch_list = result.uses_watch_list
        # Abstracts still being indexed (a first start without a saved index):
        # these are the matches so far; the search runs again when it is done,
        # and the view label says so meanwhile (in the count's fixed width,
        # "1234 / 99900 · indexing…" lost its last word).
        self._partial_shown = result.partial
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
            hand_over_repaints([plist, self.query_one("#count"), self.query_one("#view")])
            self.call_later(self._release_frame)
        self._collect_after_frame = True

    def _show_problems(self) -> None:
        """The filter's problems on a line of their own under the box, wrapped, whole.

        In the box's row they were cut to half its width: at 80 columns the
        list of statuses after "unknown status" did not show.
        """
        line = self.query_one("#filter-problem", Label)
        line.update(literal(" · ".join(self._problems)))
        line.set_class(bool(self._problems), "-shown")

    def _update_view_label(self) -> None:
        parts: list[str] = [INDEXING] if self._partial_shown else []
        digest = self.sidebar.current_digest
        if digest != ALL and self.has_class("-narrow") and not self.has_class("-show-sidebar"):
            # The digests are hidden (a narrow terminal): the list says whose it is.
            with contextlib.suppress(KeyError):  # forgotten meanwhile: the next search says
                parts.append(f"in {self.library.digest(digest).display_label}")
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

    def _filter_changed(self) -> None:
        """The filter's text changed (FilterInput.on_change)."""
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
            self.call_later(self._free_after_frame)

    def _free_after_frame(self) -> None:
        # What the search and the list dropped is freed here too, not while
        # the next results wait for it (milliseconds a key at 100,000 papers).
        self.library.release_search_memory()
        with contextlib.suppress(NoMatches):  # the screen is being taken down
            self.paper_list.release_old_hits()
        collect_garbage()

    def action_filter_done(self) -> None:
        """Enter in the filter: on to the list (other widgets take enter themselves)."""
        focus_now(self.paper_list)

    @on(OptionList.OptionSelected, "#digests")
    def _digest_selected(self) -> None:
        focus_now(self.paper_list)

    @on(PaperList.Highlighted)
    def _paper_highlighted(self, event: PaperList.Highlighted) -> None:
        # The list's paper now, not the event's: keys run as they are taken
        # (tracker/app/focus_now.py), so the cursor may have moved on (and a
        # note been opened there) before this message is handled.
        paper = self.paper_list.current_paper
        if event.by_search and self.detail.paper is not None:
            # Typing: the list's frame first, the pane when typing pauses.
            self.detail.show_later(paper, DETAIL_AFTER_SEARCH_S)
        else:
            self.detail.show(paper)

    @on(PaperList.SelectionChanged)
    def _selection_changed(self, event: PaperList.SelectionChanged) -> None:
        self._update_view_label()

    def action_focus_filter(self) -> None:
        focus_now(self.query_one("#filter", Input))

    def action_clear_filter(self) -> None:
        filt = self.query_one("#filter", Input)
        if self.paper_list.selected:
            self.paper_list.clear_selection()
        elif filt.value:
            filt.value = ""
        focus_now(self.paper_list)

    def action_view(self, view: str) -> None:
        self.status_view = "all" if self.status_view == view else view
        self.run_search()

    def action_toggle_hide_done(self) -> None:
        self.hide_done = not self.hide_done
        self.run_search()

    def action_toggle_sidebar(self) -> None:
        self.toggle_class("-show-sidebar")
        self._update_view_label()
        if self.has_class("-show-sidebar"):
            focus_now(self.sidebar)
