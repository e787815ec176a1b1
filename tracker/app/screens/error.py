"""A full-screen message for problems that stop the app from opening the library."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static

from tracker.app.text import literal


class ErrorScreen(Screen[str]):
    """Shows what went wrong and what to do; dismisses with the chosen way out."""

    DEFAULT_CSS = """
    ErrorScreen { align: center middle; }
    ErrorScreen Vertical {
        width: 80; max-width: 95%; height: auto; padding: 1 2;
        border: thick $error; background: $surface;
    }
    ErrorScreen #error-title { text-style: bold; color: $error; margin-bottom: 1; }
    ErrorScreen #error-hint { color: $text-muted; margin-top: 1; }
    """

    BINDINGS = [
        Binding("r", "readonly", "Open read-only", id="error.readonly"),
        Binding("q,escape", "quit_app", "Quit", id="error.quit"),
    ]

    def __init__(self, title: str, message: str, *, readonly_offer: bool = False) -> None:
        super().__init__()
        self.title_text = title
        self.message = message
        self.readonly_offer = readonly_offer

    def compose(self) -> ComposeResult:
        with Center(), Vertical():
            yield Static(literal(self.title_text), id="error-title")
            yield Static(literal(self.message), id="error-message")
            hint = "Press q to quit."
            if self.readonly_offer:
                hint = "Press r to open the library read-only, or q to quit."
            yield Static(hint, id="error-hint")
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.readonly_offer if action == "readonly" else True

    def action_quit_app(self) -> None:
        self.dismiss("quit")

    def action_readonly(self) -> None:
        self.dismiss("readonly")
