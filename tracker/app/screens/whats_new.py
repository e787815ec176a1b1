"""What's new: the Markdown of ``tracker whats-new``, rendered in the app."""

from __future__ import annotations

import datetime as dt

from rich.markdown import Markdown
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Label, Static

from tracker import whats_new
from tracker.app.text import clean
from tracker.app.widgets.scroll_keys import scroll, scroll_bindings
from tracker.library import Library

PERIODS = (
    ("the last 24 hours", dt.timedelta(hours=24)),
    ("the last 7 days", dt.timedelta(days=7)),
    ("the last 30 days", dt.timedelta(days=30)),
)
"""What ``p`` cycles through; the first is the default of ``tracker whats-new`` too."""


class WhatsNewScreen(Screen[None]):
    """The same Markdown as ``tracker whats-new``, for a period chosen with ``p``."""

    DEFAULT_CSS = """
    WhatsNewScreen #new-head { height: 1; background: $panel; padding: 0 1; text-style: bold; }
    WhatsNewScreen #new-body { padding: 0 2; }
    WhatsNewScreen #new-summary { padding: 1 0; }
    """

    BINDINGS = [
        Binding("escape,q,N", "close", "Back", id="whats_new.close"),
        Binding("p", "period", "Period", id="whats_new.period"),
        Binding("w", "watched_only", "Only watched", id="whats_new.watched"),
        # Vim keys as well as the arrows and PageUp/PageDown of the scroll view.
        *scroll_bindings("whats_new"),
    ]

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library
        self.period = 0
        self.watched_only = False
        self.markdown = ""
        """The Markdown shown: exactly what ``tracker whats-new`` prints for the period."""

    def compose(self) -> ComposeResult:
        yield Label("", id="new-head")
        with VerticalScroll(id="new-body"):
            # Rich renders the whole summary as one widget in a fraction of a
            # second; Textual's Markdown widget (a widget per block) took 17 s
            # for a 1,000-paper digest.
            yield Static("", id="new-summary")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.show()
        self.query_one("#new-body").focus()

    def show(self) -> None:
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
        self.query_one("#new-body", VerticalScroll).scroll_home(animate=False)

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
