"""Edit a digest's label and date (R on a digest in the sidebar)."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from tracker.app.text import literal, not_a_day, typed_day
from tracker.app.widgets.safe_input import SafeInput
from tracker.models import Digest


@dataclass(frozen=True, slots=True)
class DigestEdit:
    """What the dialog returns: the label and the date (``""``: no date) typed."""

    label: str
    date: str


class DigestEditDialog(ModalScreen[DigestEdit | None]):
    """Returns the label and date typed (enter), or None (esc)."""

    DEFAULT_CSS = """
    DigestEditDialog { align: center middle; }
    /* A Label is as wide as its text: here it wraps at the dialog's edge (problems were cut off). */
    DigestEditDialog > Vertical > Label { width: 1fr; }
    DigestEditDialog > Vertical {
        width: 64; max-width: 100%; height: auto; padding: 1 2;
        border: thick $accent; background: $surface;
    }
    DigestEditDialog #digest-edit-title { text-style: bold; margin-bottom: 1; }
    DigestEditDialog #digest-edit-source { color: $text-muted; margin-bottom: 1; }
    DigestEditDialog .field { margin-top: 1; }
    DigestEditDialog #digest-edit-problem { color: $error; height: auto; }
    DigestEditDialog .hint { color: $text-muted; margin-top: 1; }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="digest_edit.cancel")]

    def __init__(self, digest: Digest, papers: int) -> None:
        super().__init__()
        self.digest = digest
        self.papers = papers

    def compose(self) -> ComposeResult:
        digest = self.digest
        with Vertical():
            yield Label(literal(f"Digest {digest.display_label}"), id="digest-edit-title")
            yield Static(
                literal(f"{digest.source or 'no file'} · {self.papers} papers · id {digest.id}"),
                id="digest-edit-source",
            )
            yield Label("Label", classes="field")
            yield SafeInput(value=digest.label, placeholder="e.g. Aug 25", id="digest-label")
            yield Label("Date (empty: none)", classes="field")
            yield SafeInput(value=digest.date or "", placeholder="YYYY-MM-DD", id="digest-date")
            yield Label("", id="digest-edit-problem")
            yield Static(
                "enter: save · tab: next field · esc: cancel · u undoes it", classes="hint"
            )

    def on_mount(self) -> None:
        self.query_one("#digest-label", Input).focus()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        label = " ".join(self.query_one("#digest-label", Input).value.split())
        date = self.query_one("#digest-date", Input).value.strip()
        problem = self.query_one("#digest-edit-problem", Label)
        if not label:
            problem.update("The label cannot be empty.")
            self.query_one("#digest-label", Input).focus()
            return
        if date:
            day = typed_day(date)
            if day is None:
                problem.update(literal(f"{not_a_day(date)}."))
                self.query_one("#digest-date", Input).focus()
                return
            date = day
        self.dismiss(DigestEdit(label, date))

    def action_cancel(self) -> None:
        self.dismiss(None)
