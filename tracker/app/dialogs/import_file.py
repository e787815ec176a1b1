"""Ask for digest files to import (paths separated by spaces; ~ and globs work).

The library detects each file's format (text page, Hugging Face JSON, arXiv
listing) from its content, as `tracker import` does.
"""

from __future__ import annotations

import glob
import os
import shlex

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from tracker.app.text import literal
from tracker.app.widgets.safe_input import SafeInput


class ImportDialog(ModalScreen[list[str] | None]):
    """Returns the expanded file paths, or None when cancelled."""

    DEFAULT_CSS = """
    ImportDialog { align: center middle; }
    ImportDialog > Vertical {
        width: 80; max-width: 98%; height: auto; padding: 1 2;
        border: thick $accent; background: $surface;
    }
    ImportDialog #import-error { color: $error; }
    ImportDialog .hint { color: $text-muted; }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="import.cancel")]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Import digest files")
            yield SafeInput(placeholder="~/digests/*.txt", id="import-path")
            yield Label(
                "Text pages, Hugging Face JSON and arXiv listings; the format is detected.",
                classes="hint",
            )
            yield Label("enter: import · esc: cancel · several paths or a glob", classes="hint")
            yield Label("", id="import-error")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        try:
            words = shlex.split(event.value)
        except ValueError as err:
            self.query_one("#import-error", Label).update(literal(f"Cannot read that: {err}."))
            return
        paths: list[str] = []
        for word in words:
            expanded = os.path.expanduser(word)
            matches = sorted(glob.glob(expanded))
            paths.extend(matches or [expanded])
        if not paths:
            self.query_one("#import-error", Label).update("Give a file to import.")
            return
        self.dismiss(paths)

    def action_cancel(self) -> None:
        self.dismiss(None)
