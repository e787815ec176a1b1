"""A page pasted into the main screen: its import preview, then Enter imports it, Escape cancels.

A whole page copied in the browser (select all, copy) and pasted into the
terminal arrives as one bracketed paste; over SSH too, since the text comes
through the terminal. The preview is the import dialog's and `tracker import
--dry-run`'s (:mod:`tracker.library.import_text`), planned in a worker (a long
page takes a moment to parse); the import runs on the UI thread like the
import dialog's, because the list and the searches read what it changes.
"""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from tracker.app.dialogs.import_report import report_text
from tracker.app.text import literal, not_a_day, typed_day
from tracker.app.widgets.safe_input import SafeInput
from tracker.library import ImportReport, Library, LibraryError, import_text
from tracker.library.import_plan import DATE_HINT, NoDayError
from tracker.sources.parsed import DigestError
from tracker.store import StoreError

CHECKING, PREVIEW, NEEDS_DAY, REPORT = "checking", "preview", "needs-day", "report"

KEYS = {
    CHECKING: "reading the pasted text… · esc: cancel",
    PREVIEW: "enter: import · d: its date · esc: cancel · ↑↓ PgUp PgDn: scroll",
    NEEDS_DAY: "d / enter: give its day · esc: cancel",
    REPORT: "enter / esc: close · then u takes it back",
}
UNDATED_KEYS = "enter: import undated · d: give its date · esc: cancel"
DATE_KEYS = "enter: use this date · esc: back"


def paste_source(now: dt.datetime | None = None) -> str:
    """The source name of a pasted page: when it was pasted (the digest's "file")."""
    when = (now or dt.datetime.now()).strftime("%Y-%m-%d %H:%M")
    return f"pasted {when}"


GIVE_DAY = "press d to give its day (YYYY-MM-DD)"
"""The dialog's way to do what the CLI's --date does."""


def _lines(outcome: import_text.Outcome, star: str) -> Text:
    text = Text()
    if not isinstance(outcome, ImportReport):
        # The CLI's --date is d here.
        message = str(outcome).replace(DATE_HINT, GIVE_DAY)
        text.append_text(literal(f"✗ cannot be imported: {message}\n", "bold"))
        return text
    return report_text(outcome, star, GIVE_DAY)


class PasteImportDialog(ModalScreen[bool]):
    """Returns True when the pasted page was imported."""

    DEFAULT_CSS = """
    PasteImportDialog { align: center middle; }
    PasteImportDialog > Vertical {
        width: 90; max-width: 100%; height: auto; max-height: 100%; padding: 0 1;
        border: thick $accent; background: $surface;
    }
    PasteImportDialog #paste-title { text-style: bold; }
    PasteImportDialog #paste-result { height: auto; max-height: 70vh; }
    PasteImportDialog #paste-result:focus { background: $boost; }
    PasteImportDialog #paste-keys { color: $text-muted; text-style: bold; }
    PasteImportDialog #paste-date { display: none; }
    PasteImportDialog #paste-date.-shown { display: block; }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel or close", id="paste.cancel"),
        Binding("enter", "enter", "Import / close", id="paste.import"),
        Binding("d", "ask_date", "The page's date", id="paste.date"),
    ]

    def __init__(self, library: Library, text: str, *, source: str, star: str = "★") -> None:
        super().__init__()
        self.library = library
        self.data = text.encode("utf-8")
        # Not a count of "\n": terminals send a paste's line breaks as "\r".
        self.lines = len(text.splitlines())
        self.source = source
        self.star = star
        self.state = CHECKING
        self.imported = False
        self.importable = False
        self.keys_shown = KEYS[CHECKING]
        self.date: str | None = None
        """The page's date as given with d (YYYY-MM-DD), for a page without a year."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"Import the pasted page? ({self.lines} lines)", id="paste-title")
            with VerticalScroll(id="paste-result"):
                yield Static(Text("Reading the pasted text…"), id="paste-text")
            yield SafeInput(placeholder="YYYY-MM-DD: the page's day", id="paste-date")
            yield Label(KEYS[CHECKING], id="paste-keys")

    def on_mount(self) -> None:
        self.query_one("#paste-result").focus()
        self._preview()

    def _show(self, text: Text, state: str, keys: str | None = None) -> None:
        text.rstrip()
        self.state = state
        self.query_one("#paste-text", Static).update(text)
        self.query_one("#paste-result", VerticalScroll).scroll_home(animate=False)
        self.keys_shown = keys or KEYS[state]
        self.query_one("#paste-keys", Label).update(self.keys_shown)

    @work(thread=True, exclusive=True, group="paste-preview", exit_on_error=False)
    def _preview(self) -> None:
        try:
            outcome: import_text.Outcome = self.library.preview_bytes(
                self.data, source=self.source, date=self.date
            )
        except (DigestError, LibraryError) as err:
            outcome = err
        self.app.call_from_thread(self._previewed, outcome)

    def _previewed(self, outcome: import_text.Outcome) -> None:
        if self.state != CHECKING:
            return  # cancelled meanwhile
        self.importable = isinstance(outcome, ImportReport) and not outcome.already_imported
        text = _lines(outcome, self.star)
        if self.importable:
            assert isinstance(outcome, ImportReport)
            undated = any(d.date is None for d in outcome.digests)
            self._show(text, PREVIEW, keys=UNDATED_KEYS if undated else None)
        elif isinstance(outcome, NoDayError):  # a page that names no day: d gives it
            self._show(text, NEEDS_DAY)
        else:  # not a page, or one already in the library: nothing to import
            self._set_title(f"Nothing to import from the pasted page ({self.lines} lines)")
            self._show(text, REPORT, keys="enter / esc: close")

    def _import(self) -> None:
        try:
            report = self.library.import_bytes(self.data, source=self.source, date=self.date)
        except (DigestError, LibraryError, StoreError) as err:
            self._set_title("The pasted page was not imported")
            self._show(literal(f"Import failed: {err}", "bold"), REPORT)
            return
        self.imported = True
        # The question is answered: the report under it says what was imported.
        self._set_title(f"Imported the pasted page ({self.lines} lines)")
        self._show(_lines(report, self.star), REPORT)

    def _set_title(self, title: str) -> None:
        self.query_one("#paste-title", Label).update(literal(title))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "ask_date":
            return self.state in (PREVIEW, NEEDS_DAY)
        return True

    def action_ask_date(self) -> None:
        """Show the date box: a copied page often names its day without the year (``Aug 25``)."""
        if self.state not in (PREVIEW, NEEDS_DAY):
            return
        box = self.query_one("#paste-date", Input)
        box.add_class("-shown")
        box.value = self.date or ""
        box.focus()
        self.query_one("#paste-keys", Label).update(DATE_KEYS)

    def _hide_date(self) -> None:
        box = self.query_one("#paste-date", Input)
        box.remove_class("-shown")
        self.query_one("#paste-result").focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        day = typed_day(event.value)
        if day is None:
            self.query_one("#paste-keys", Label).update(
                literal(f"{not_a_day(event.value)} · {DATE_KEYS}")
            )
            return
        self.date = day
        self._hide_date()
        self._show(Text("Reading the pasted text…"), CHECKING)
        self._preview()

    def action_enter(self) -> None:
        if self.state == PREVIEW:
            self._import()
        elif self.state == NEEDS_DAY:
            self.action_ask_date()
        elif self.state == REPORT:
            self.dismiss(self.imported)

    def action_cancel(self) -> None:
        if self.query_one("#paste-date").has_class("-shown"):
            self._hide_date()
            self.query_one("#paste-keys", Label).update(self.keys_shown)
            return
        self.state = REPORT  # a preview still running is dropped when it arrives
        self.dismiss(self.imported)
