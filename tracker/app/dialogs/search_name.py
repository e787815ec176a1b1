"""Ask for a saved search's name (to save the current filter, or to rename one)."""

from __future__ import annotations

from collections.abc import Collection

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from tracker.app.text import literal
from tracker.app.widgets.safe_input import SafeInput


class SearchNameDialog(ModalScreen[str | None]):
    """Returns the name typed (enter), or None (esc)."""

    DEFAULT_CSS = """
    SearchNameDialog { align: center middle; }
    /* A Label is as wide as its text: here it wraps at the dialog's edge (problems were cut off). */
    SearchNameDialog > Vertical > Label { width: 1fr; }
    SearchNameDialog > Vertical {
        width: 64; height: auto; padding: 1 2;
        border: thick $accent; background: $surface;
    }
    SearchNameDialog #search-name-title { text-style: bold; margin-bottom: 1; }
    SearchNameDialog #search-name-query { color: $text-muted; margin-bottom: 1; }
    SearchNameDialog #search-name-problem { color: $error; height: auto; }
    SearchNameDialog .hint { color: $text-muted; margin-top: 1; }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="search_name.cancel")]

    def __init__(
        self, title: str, query: str, *, name: str = "", taken: Collection[str] = ()
    ) -> None:
        super().__init__()
        self.title_text = title
        self.query_text = query
        self.initial = name
        self.taken = set(taken)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(literal(self.title_text), id="search-name-title")
            yield Static(
                literal(f"Filter: {self.query_text or '(everything)'}"), id="search-name-query"
            )
            yield SafeInput(
                value=self.initial, placeholder="a name, e.g. LLM backlog", id="search-name"
            )
            yield Label("", id="search-name-problem")
            yield Static("enter: save · esc: cancel", classes="hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        name = " ".join(event.value.split())
        problem = self.query_one("#search-name-problem", Label)
        if not name:
            problem.update("Type a name first.")
            return
        if name in self.taken and name != self.initial:
            problem.update(literal(f"A saved search named {name!r} exists already."))
            return
        self.dismiss(name)

    def action_cancel(self) -> None:
        self.dismiss(None)
