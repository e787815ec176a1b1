"""What's new: its papers in a list to mark, open and note, and the Markdown of ``tracker whats-new``."""

from __future__ import annotations

import datetime as dt

from rich.markdown import Markdown
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Label, Static

from tracker import whats_new
from tracker.app.paper_actions import open_paper
from tracker.app.status_keys import STATUS_BINDINGS
from tracker.app.text import clean, sentence
from tracker.app.widgets.keys_footer import KeysFooter
from tracker.app.widgets.paper_list import PaperList
from tracker.app.widgets.scroll_keys import scroll, scroll_bindings
from tracker.config import ConfigFile
from tracker.library import Library, LibraryError
from tracker.library.search_request import HitList
from tracker.models import Paper, Status
from tracker.store import StoreError

PERIODS = (
    ("the last 24 hours", dt.timedelta(hours=24)),
    ("the last 7 days", dt.timedelta(days=7)),
    ("the last 30 days", dt.timedelta(days=30)),
)
"""What ``p`` cycles through; the first is the default of ``tracker whats-new`` too."""


class WhatsNewScreen(Screen[None]):
    """The papers new in a period (chosen with ``p``), to mark, open and note as in the main
    list, over the same Markdown as ``tracker whats-new`` (tab goes to it)."""

    DEFAULT_CSS = """
    WhatsNewScreen #new-head { height: 1; background: $panel; padding: 0 1; text-style: bold; }
    WhatsNewScreen #new-papers { height: 45%; min-height: 4; border-bottom: tall $panel; }
    WhatsNewScreen #new-body { padding: 0 2; }
    WhatsNewScreen #new-body:focus { background: $boost; }
    WhatsNewScreen #new-summary { padding: 1 0; }
    """

    BINDINGS = [
        Binding("escape,q,N", "close", "Back", id="whats_new.close"),
        Binding("p", "period", "Period", id="whats_new.period"),
        Binding("w", "watched_only", "Only watched", id="whats_new.watched"),
        # The main list's keys, with its binding ids (a remap applies to both).
        *STATUS_BINDINGS,
        Binding("m", "read_and_next", "Read+next", show=False, id="status.read_next"),
        Binding("u,ctrl+z", "undo", "Undo", show=False, id="undo"),
        Binding("i", "note", "Note", id="note.edit"),
        Binding("o", "open_paper", "Open", id="paper.open"),
        Binding("O", "open_paper('pdf')", "Open PDF", show=False, id="paper.open_pdf"),
        # Vim keys for the summary (the list has its own), as well as the
        # arrows and PageUp/PageDown of the scroll view.
        *scroll_bindings("whats_new"),
    ]

    def __init__(self, library: Library, config_file: ConfigFile | None = None) -> None:
        super().__init__()
        self.library = library
        self.config_file = config_file
        self.period = 0
        self.watched_only = False
        self.markdown = ""
        """The Markdown shown: exactly what ``tracker whats-new`` prints for the period."""

    def compose(self) -> ComposeResult:
        yield Label("", id="new-head")
        yield PaperList(self.library, id="new-papers")
        with VerticalScroll(id="new-body"):
            # Rich renders the whole summary as one widget in a fraction of a
            # second; Textual's Markdown widget (a widget per block) took 17 s
            # for a 1,000-paper digest.
            yield Static("", id="new-summary")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.show()
        self.paper_list.focus()
        # The main screen underneath takes in other processes' changes every second;
        # papers they took out (an undo, a forget) leave this list too.
        self.set_interval(1.0, self._follow_positions)

    def _follow_positions(self) -> None:
        if self.paper_list.stale:
            self.show()

    @property
    def paper_list(self) -> PaperList:
        return self.query_one(PaperList)

    def show(self, *, keep_scroll: bool = False) -> None:
        name, window = PERIODS[self.period]
        since = self.library.current_time() - window
        result = self.library.whats_new(since, watched_only=self.watched_only)
        self.result = result
        shown = len(result.watched) if self.watched_only else len(result.entries)
        scope = "watched papers" if self.watched_only else "papers"
        self.query_one("#new-head", Label).update(
            f"What's new in {name}: {shown} {scope} from {len(result.digests)} digests"
        )
        text = whats_new.markdown(result)
        if result.empty:
            text += "\nPress **p** for a longer period, or **I** on the main screen to import a digest.\n"
        self.markdown = text
        # Titles and labels in it are escaped for Markdown by tracker.summary;
        # their control and hidden characters are shown here.
        self.query_one("#new-summary", Static).update(Markdown(clean(text), hyperlinks=True))
        if not keep_scroll or self.paper_list.stale:
            self.query_one("#new-body", VerticalScroll).scroll_home(animate=False)
            # The list in the summary's order: watched papers first, then by digest.
            entries = result.watched if self.watched_only else result.entries
            first = [e for e in entries if e.watch is not None]
            rest = [e for e in entries if e.watch is None]
            positions = [self.library.position(e.paper.id) for e in first + rest]
            plist = self.paper_list
            plist.empty_message = "Nothing new in this period: p for a longer one."
            plist.set_hits(HitList(positions), keep_paper=plist.cursor_paper_id)

    # -- the papers, as in the main list ---------------------------------
    def _current(self) -> Paper | None:
        if self.library.readonly:
            self.notify("The library is open read-only.", severity="warning")
            return None
        return self.paper_list.current_paper

    def _changed(self) -> None:
        self.paper_list.refresh_rows()
        self.show(keep_scroll=True)  # the summary shows statuses too

    def action_status(self, status: str) -> None:
        paper = self._current()
        if paper is None:
            return
        try:
            self.library.set_status([paper.id], Status.parse(status))
        except (LibraryError, StoreError) as err:
            self.notify(str(err), severity="error", timeout=10)
        self._changed()

    def action_read_and_next(self) -> None:
        paper = self._current()
        if paper is None:
            return
        self.action_status("read")

        def unread(p: Paper) -> bool:
            return self.library.status(p.id) not in (Status.READ, Status.SKIPPED)

        if not self.paper_list.move_to_next(unread):
            self.notify("No unread paper below this one.", timeout=2)

    def action_undo(self) -> None:
        if self.library.undo_changes_library():
            # Papers and digests change under every list: the main screen does that.
            self.notify("The newest change is an import or a digest: undo it in the list.")
            return
        try:
            change = self.library.undo()
        except (LibraryError, StoreError) as err:
            self.notify(str(err), severity="error", timeout=10)
            self._changed()
            return
        self.notify(sentence(change.label) if change else "Nothing to undo.", timeout=3)
        self._changed()

    def action_note(self) -> None:
        paper = self._current()
        if paper is None:
            return
        from tracker.app.screens.triage import NoteDialog

        self.app.push_screen(NoteDialog(self.library, paper.id), lambda _: self._changed())

    def action_open_paper(self, what: str = "page") -> None:
        paper = self.paper_list.current_paper
        if paper is not None:
            command = self.config_file.settings.browser if self.config_file else None
            open_paper(self, paper, what, command)

    def action_period(self) -> None:
        self.period = (self.period + 1) % len(PERIODS)
        self.show()

    def action_watched_only(self) -> None:
        if not self.library.watch_entries:
            self.notify(
                "The watch list is empty: press W on the main screen to add terms.", timeout=5
            )
            return
        self.watched_only = not self.watched_only
        self.show()

    def action_scroll_body(self, where: str) -> None:
        scroll(self.query_one("#new-body", VerticalScroll), where)

    def action_close(self) -> None:
        self.dismiss(None)
