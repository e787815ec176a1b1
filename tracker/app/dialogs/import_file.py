"""Import digest files: ask for paths, look at them first, import, and show what happened.

The library detects each file's format (text page, Hugging Face JSON, arXiv
listing) from its content, as `tracker import` does. Before anything is
written the files are previewed (read and planned, nothing stored); a preview
that looks unusual (several digests from one file, many warnings, most papers
without an abstract) is shown and the import waits for a yes. A page that
names no day is not refused outright: the dialog asks for its day (the CLI's
``--date``), reads the files again with it and goes on. The report of
the import (each file, every warning) stays until the dialog is closed, so
that no keystroke meant for it reaches the main screen. The wording is the
CLI's (:mod:`tracker.library.import_text`).
"""

from __future__ import annotations

import glob
import os
import shlex
from collections.abc import Sequence

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
from tracker.store import StoreError

PATHS, CHECKING, DAY, CONFIRM, REPORT = "paths", "checking", "day", "confirm", "report"
"""What the dialog is doing: asking for paths, previewing, asking for the day of a page
that names none, asking to go on, reporting."""

KEYS = {
    PATHS: "enter: import · esc: cancel · several paths or a glob",
    CHECKING: "reading the files… · esc: cancel",
    DAY: "type the day (YYYY-MM-DD) · enter: import with it · esc: cancel",
    CONFIRM: "y / enter: import anyway · n: change the paths · esc: cancel",
    REPORT: "enter / esc: close · ↑↓ PgUp PgDn: scroll · then u takes it back",
}


def expand_paths(text: str) -> list[str]:
    """The paths typed (shell quoting, ``~`` and globs); ValueError for bad quoting."""
    paths: list[str] = []
    for word in shlex.split(text):
        expanded = os.path.expanduser(word)
        matched = sorted(glob.glob(expanded))
        pattern = any(c in expanded for c in "*?[")
        if not matched and pattern and not os.path.exists(expanded):  # '[b]x.txt' is a name
            raise ValueError(f"no file matches {word}")
        paths.extend(matched or [expanded])
    return paths


def _outcome_text(outcomes: Sequence[import_text.Outcome], star: str) -> Text:
    text = Text()
    for outcome in outcomes:
        if not isinstance(outcome, ImportReport):
            # The CLI's --format and --date are no keys here: the dialog detects the
            # format, and asks for the day of a page that names none.
            message = str(outcome).replace("; --format forces one", "")
            if isinstance(outcome, NoDayError):  # asked below: not refused
                message = message.replace(DATE_HINT, "type its day below")
                text.append_text(literal(f"? {message}\n", "bold"))
                continue
            text.append_text(literal(f"✗ not imported: {message}\n", "bold"))
            continue
        text.append_text(report_text(outcome, star, "R on the digest in the sidebar sets it"))
    return text


class ImportDialog(ModalScreen[bool]):
    """Returns True when an import ran (the library may have changed), else False."""

    DEFAULT_CSS = """
    ImportDialog { align: center middle; }
    /* A Label is as wide as its text: here it wraps at the dialog's edge (problems were cut off). */
    ImportDialog > Vertical > Label { width: 1fr; }
    ImportDialog > Vertical {
        width: 80; max-width: 100%; height: auto; max-height: 100%; padding: 0 1;
        border: thick $accent; background: $surface;
    }
    ImportDialog #import-title { text-style: bold; }
    ImportDialog .hint { color: $text-muted; }
    ImportDialog #import-result { height: auto; max-height: 62vh; display: none; }
    ImportDialog #import-result.-shown { display: block; }
    ImportDialog #import-result:focus { background: $boost; }
    ImportDialog #import-question { text-style: bold; color: $warning; display: none; }
    ImportDialog #import-question.-shown { display: block; }
    ImportDialog #import-day { display: none; }
    ImportDialog #import-day.-shown { display: block; }
    ImportDialog #import-keys { color: $text-muted; text-style: bold; }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel or close", id="import.cancel"),
        Binding("y", "go_on", "Import anyway", show=False, id="import.confirm"),
        Binding("n", "change_paths", "Change the paths", show=False, id="import.back"),
        Binding("enter", "enter", "Import / close", show=False, id="import.enter"),
    ]

    def __init__(self, library: Library, *, star: str = "★") -> None:
        super().__init__()
        self.library = library
        self.star = star
        self.state = PATHS
        self.paths: list[str] = []
        self.date: str | None = None  # the day typed for pages that name none (--date)
        self.imported = False
        self._serial = 0  # previews superseded by a newer one or a cancel are dropped

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Import digest files", id="import-title")
            yield SafeInput(placeholder="~/digests/*.txt", id="import-path", select_on_focus=False)
            yield Label(
                "Text, Markdown or HTML pages, HF JSON, feeds, arXiv listings: detected.",
                classes="hint",
            )
            yield Label("", id="import-question")
            with VerticalScroll(id="import-result"):
                yield Static("", id="import-text")
            # Under the report that says which page names no day ("type its day below").
            yield SafeInput(placeholder="YYYY-MM-DD", id="import-day", max_length=10)
            yield Label(KEYS[PATHS], id="import-keys")

    def on_mount(self) -> None:
        self.query_one("#import-path", Input).focus()

    # -- showing ---------------------------------------------------------
    def _set_state(self, state: str) -> None:
        self.state = state
        self.query_one("#import-keys", Label).update(KEYS[state])
        path = self.query_one("#import-path", Input)
        path.disabled = state != PATHS
        day = self.query_one("#import-day", Input)
        day.set_class(state == DAY, "-shown")
        day.disabled = state != DAY
        if state == PATHS:
            path.focus()
        elif state == DAY:
            day.focus()
        self.refresh_bindings()

    def _show(self, text: Text | str, *, question: str = "") -> None:
        if isinstance(text, Text):
            text.rstrip()
        self.query_one("#import-text", Static).update(text)
        result = self.query_one("#import-result", VerticalScroll)
        result.set_class(bool(text), "-shown")
        result.scroll_home(animate=False)
        ask = self.query_one("#import-question", Label)
        ask.update(literal(question))  # it may name a file: '[b]…' is its name, not markup
        ask.set_class(bool(question), "-shown")

    # -- the steps ---------------------------------------------------------
    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "import-day":
            self._day_given(event.value.strip())
            return
        try:
            paths = expand_paths(event.value)
        except ValueError as err:
            self._show(literal(f"Cannot read that: {err}.", "bold"))
            return
        if not paths:
            self._show(Text("Give a file to import.", style="bold"))
            return
        self.paths = paths
        self.date = None
        self._check()

    def _day_given(self, typed: str) -> None:
        """The day typed for the pages that name none: read the files again with it."""
        day = typed_day(typed)
        if day is None:
            self.query_one("#import-question", Label).update(literal(f"{not_a_day(typed)}."))
            return
        self.date = day
        self._check()

    def _check(self) -> None:
        paths = self.paths
        self._serial += 1
        self._show(Text(f"Reading {len(paths)} file{'s' if len(paths) != 1 else ''}…"))
        self._set_state(CHECKING)
        self._preview(paths, self.date, self._serial)

    @work(thread=True, exclusive=True, group="import-preview", exit_on_error=False)
    def _preview(self, paths: list[str], date: str | None, serial: int) -> None:
        """Read and plan the files off the UI thread (a glob may name hundreds)."""
        try:
            outcomes: list[import_text.Outcome] = list(self.library.preview_files(paths, date=date))
        except LibraryError as err:
            outcomes = [err]
        self.app.call_from_thread(self._previewed, outcomes, serial)

    def _previewed(self, outcomes: list[import_text.Outcome], serial: int) -> None:
        if serial != self._serial or self.state != CHECKING:
            return  # cancelled, or a newer preview is on its way
        reports = [o for o in outcomes if isinstance(o, ImportReport)]
        undated = sum(1 for o in outcomes if isinstance(o, NoDayError))
        if undated and self.date is None:
            # The CLI's --date, asked here: the day applies to every page that names none.
            question = (
                "This page names no day: type the day it lists, or esc to cancel."
                if undated == 1
                else f"{undated} of these pages name no day: type the day they list (each of "
                "them is given it), or esc to cancel."
            )
            self._show(_outcome_text(outcomes, self.star), question=question)
            self._set_state(DAY)
            return
        if not reports:
            # Nothing importable: say why and let the paths be corrected.
            self._show(_outcome_text(outcomes, self.star))
            self._set_state(PATHS)
            return
        odd = [r for r in reports if import_text.unusual(r)]
        if not odd:
            self._import()
            return
        if len(odd) == 1:  # the reasons in the question: they were a screen away below
            why = "; ".join(import_text.unusual(odd[0]))
            which = "This file does" if len(outcomes) == 1 else f"{odd[0].source} does"
            question = f"{which} not look like one day's page: {why}. Import anyway?"
        else:
            question = (
                f"{len(odd)} of these files do not look like one day's page "
                "(see “unusual” above). Import anyway?"
            )
        self._show(_outcome_text(outcomes, self.star), question=question)
        self._set_state(CONFIRM)
        self.query_one("#import-result").focus()

    def _import(self) -> None:
        """Import on the UI thread: the list and the searches read what it changes."""
        self.imported = True
        try:
            outcomes: list[import_text.Outcome] = list(
                self.library.import_files(self.paths, date=self.date)
            )
        except (LibraryError, StoreError) as err:
            self._show(Text(f"Import failed: {err}", style="bold"))
            self._set_state(REPORT)
            self.query_one("#import-result").focus()
            return
        text = _outcome_text(outcomes, self.star)
        text.append_text(literal(import_text.totals_line(outcomes, preview=False), "bold"))
        self._show(text)
        self._set_state(REPORT)
        self.query_one("#import-result").focus()

    # -- keys --------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("go_on", "change_paths"):
            return self.state == CONFIRM
        if action == "enter":
            return self.state in (CONFIRM, REPORT)
        return True

    def action_enter(self) -> None:
        if self.state == CONFIRM:
            self.action_go_on()
        elif self.state == REPORT:
            self.dismiss(self.imported)

    def action_go_on(self) -> None:
        if self.state == CONFIRM:
            self._import()

    def action_change_paths(self) -> None:
        if self.state == CONFIRM:
            self._show("")
            self._set_state(PATHS)

    def action_cancel(self) -> None:
        self._serial += 1  # a preview still running is dropped when it arrives
        self.dismiss(self.imported)
