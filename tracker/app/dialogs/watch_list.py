"""Edit the watch list: add an entry (checked as you add it), remove the highlighted one."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from tracker.app.text import literal
from tracker.app.widgets.safe_input import SafeInput
from tracker.config import ConfigError, ConfigFile
from tracker.library.search_request import WatchError


class WatchListDialog(ModalScreen[bool]):
    """Each change is written to config.toml at once; returns True if anything changed."""

    DEFAULT_CSS = """
    WatchListDialog { align: center middle; }
    /* A Label is as wide as its text: here it wraps at the dialog's edge (problems were cut off). */
    WatchListDialog > Vertical > Label { width: 1fr; }
    WatchListDialog > Vertical {
        width: 76; max-width: 95%; height: auto; max-height: 90%; padding: 1 2;
        border: thick $accent; background: $surface;
    }
    WatchListDialog #watch-title { text-style: bold; }
    WatchListDialog .hint { color: $text-muted; margin-bottom: 1; }
    WatchListDialog #watch-problem { color: $error; height: auto; }
    WatchListDialog OptionList { height: auto; max-height: 12; margin-top: 1; }
    """

    BINDINGS = [
        Binding("escape", "close", "Close", id="watch_list.close"),
        Binding("delete,ctrl+d", "remove", "Remove entry", id="watch_list.remove"),
    ]

    def __init__(self, config_file: ConfigFile) -> None:
        super().__init__()
        self.config_file = config_file
        self.changed = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Watch list", id="watch-title")
            yield Static(
                'Words (typo-tolerant), "an exact phrase" or author:"Name". Matching papers are '
                "marked ★, come first in triage and are found by is:watched.",
                classes="hint",
            )
            yield SafeInput(placeholder="add an entry and press enter", id="watch-input")
            yield Label("", id="watch-problem")
            yield OptionList(id="watch-entries")
            yield Static(
                "enter: add · tab then delete: remove the highlighted entry · esc: close",
                classes="hint",
            )

    def on_mount(self) -> None:
        self._fill()
        self.query_one(Input).focus()

    def _fill(self, highlight: int | None = None) -> None:
        entries = self.query_one(OptionList)
        entries.clear_options()
        terms = self.config_file.settings.watch
        if terms:
            entries.add_options(Option(literal(f"★ {t}"), id=t) for t in terms)
            entries.highlighted = min(highlight or 0, len(terms) - 1)
        else:
            entries.add_option(Option("(empty: nothing is watched yet)", disabled=True))

    def _problem(self, text: str) -> None:
        self.query_one("#watch-problem", Label).update(literal(text))

    @on(Input.Submitted, "#watch-input")
    def _add(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            return
        try:
            added = self.config_file.add_watch(event.value)
        except (WatchError, ConfigError) as err:
            self._problem(str(err))
            return
        self._problem("")
        event.input.value = ""
        self.changed = True
        self._fill(self.config_file.settings.watch.index(added))

    def action_remove(self) -> None:
        entries = self.query_one(OptionList)
        if entries.highlighted is None or not self.config_file.settings.watch:
            return
        index = entries.highlighted
        term = entries.get_option_at_index(index).id
        if term is None:
            return
        try:
            self.config_file.remove_watch(term)
        except ConfigError as err:
            self._problem(str(err))
            return
        self.changed = True
        self.notify(f"No longer watching {term}", timeout=3)
        self._fill(index)

    def action_close(self) -> None:
        self.dismiss(self.changed)
