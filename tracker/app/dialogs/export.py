"""The export dialog: what to export, in which format, where; written by the CLI's code."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, RadioSet, Select

from tracker.app.text import literal
from tracker.app.widgets.marked_toggles import MarkedCheckbox, MarkedRadioButton
from tracker.app.widgets.safe_input import SafeInput
from tracker.exports import FORMATS
from tracker.library import ExportExistsError, ExportResult, Library, LibraryError, VaultReport
from tracker.library.exporting import default_export_path
from tracker.locations import default_export_dir
from tracker.models import Status


class ExportDialog(ModalScreen[ExportResult | None]):
    """Returns what was written, or None when cancelled."""

    AUTO_FOCUS = None
    """The focus goes to the first choice in :meth:`on_mount` (Textual's default gave
    it to the dialog's scroll area, where up, down and enter did nothing)."""

    DEFAULT_CSS = """
    ExportDialog { align: center middle; }
    ExportDialog > VerticalScroll {
        width: 76; max-width: 98%; height: auto; max-height: 100%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    ExportDialog .heading { text-style: bold; margin-top: 1; }
    ExportDialog RadioSet { width: 1fr; border: none; padding: 0; height: auto; }
    ExportDialog #status-choice { width: 30; margin-left: 4; }
    ExportDialog #format { width: 1fr; }
    ExportDialog .options { height: auto; margin-top: 1; }
    ExportDialog Checkbox { margin-right: 2; }
    ExportDialog #path { width: 1fr; background: $boost; }  /* a field to type in, not text */
    ExportDialog #buttons { height: auto; align-horizontal: right; margin-top: 1; }
    ExportDialog Button { margin-left: 2; }
    ExportDialog #export-error { color: $error; width: 100%; height: auto; }
    ExportDialog #export { width: 18; }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="export.cancel"),
        Binding("ctrl+s", "export", "Export", id="export.run"),
    ]

    def __init__(self, library: Library, *, filtered_ids: list[str], digest_id: str | None) -> None:
        super().__init__()
        self.library = library
        self.filtered_ids = filtered_ids
        self.digest_id = digest_id
        self._replace: tuple[str, str] | None = None
        """(path, format) the user was told exists and may now replace with ctrl+s."""
        self._written: ExportResult | None = None
        """A vault export done, whose notes left alone wait for the user's answer."""
        self._create_folder: tuple[str, str] | None = None
        """(path, format) whose missing folder the user was told of and may now create
        with ctrl+s (a mistyped path must not make a tree of folders, as `tracker
        export` needs --parents for it)."""

    def compose(self) -> ComposeResult:
        annotated = sum(1 for a in self.library.annotations.values() if not a.is_default)
        digest_label = (
            self.library.digest(self.digest_id).display_label if self.digest_id else "none selected"
        )
        # Compact widgets so that it all fits 80x24; it still scrolls on a
        # shorter terminal, and ctrl+s exports from anywhere in the dialog.
        with VerticalScroll():
            yield Label("Export papers and notes — ctrl+s exports", classes="heading")
            yield Label("Which papers", classes="heading")
            with RadioSet(id="scope"):
                yield MarkedRadioButton(
                    f"Annotated papers ({annotated})", value=True, id="scope-annotated"
                )
                yield MarkedRadioButton(
                    f"Current filter ({len(self.filtered_ids)})", id="scope-filter"
                )
                yield MarkedRadioButton(
                    literal(f"Selected digest ({digest_label})"),
                    id="scope-digest",
                    disabled=self.digest_id is None,
                )
                yield MarkedRadioButton(f"All papers ({len(self.library)})", id="scope-all")
                # Last: the status to choose is right under it.
                yield MarkedRadioButton("With status:", id="scope-status")
            yield Select(
                [(s.value, s.value) for s in Status],
                value=Status.TO_READ.value,
                allow_blank=False,
                compact=True,
                id="status-choice",
            )
            yield Label("Format", classes="heading")
            yield Select(
                [(label, name) for name, label in FORMATS.items()],
                value="md",
                allow_blank=False,
                compact=True,
                id="format",
            )
            with Horizontal(classes="options"):
                yield MarkedCheckbox("Abstracts", value=True, compact=True, id="abstracts")
                yield MarkedCheckbox("Group by status (not digest)", compact=True, id="by-status")
            yield Label("Write to", classes="heading")
            yield SafeInput(str(self._default_path("md")), compact=True, id="path")
            yield Label("", id="export-error")
            with Horizontal(id="buttons"):
                yield Button("Cancel (esc)", compact=True, id="cancel")
                yield Button("Export (ctrl+s)", compact=True, id="export", variant="primary")

    def on_mount(self) -> None:
        # Which papers: the keys work at once. Without scrolling to it: it is
        # in view, and AUTO_FOCUS scrolled there with an animation, which left
        # the dialog scrolled by a line or not depending on the machine's speed.
        self.query_one("#scope", RadioSet).focus(scroll_visible=False)

    def _default_path(self, fmt: str) -> Path:
        # A name no earlier export took: two exports of one day never meet.
        return default_export_path(default_export_dir(), fmt)

    def _format(self) -> str:
        return str(self.query_one("#format", Select).value)

    @on(Select.Changed, "#format")
    def _format_changed(self, event: Select.Changed) -> None:
        fmt = str(event.value)
        path_input = self.query_one("#path", Input)
        # Follow the format only while the path is still one of our defaults.
        if path_input.value in {str(self._default_path(f)) for f in FORMATS}:
            path_input.value = str(self._default_path(fmt))
        # Abstracts and grouping only shape the one-file Markdown export.
        self.query_one("#abstracts", Checkbox).disabled = fmt != "md"
        self.query_one("#by-status", Checkbox).disabled = fmt != "md"

    @on(Input.Changed, "#path")
    @on(Select.Changed, "#format")
    def _target_changed(self) -> None:
        # Replacing, or making the folder, was agreed for one path and format only.
        if self._replace is not None or self._create_folder is not None:
            self._replace = self._create_folder = None
            self.query_one("#export", Button).label = "Export (ctrl+s)"
            self.query_one("#export-error", Label).update("")

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        if self._written is not None and self._written.vault is not None:
            # The vault was written; only the edited notes were left as they are.
            message = _vault_message(self._written.path, self._written.vault)
            self.notify(message, title="Export", timeout=8, markup=False)
        self.dismiss(self._written)

    def _folder_ready(self, target: str, fmt: str) -> bool:
        """True when the target's folder exists, or the user confirmed making it (a
        second ctrl+s); else says what is missing under the path."""
        folder = _missing_folder(target)
        if folder is None or self._create_folder == (target, fmt):
            return True
        error = self.query_one("#export-error", Label)
        if folder.exists():  # (a file where a folder of the path should be)
            error.update(literal(f"{folder} is not a folder; change the path."))
            return False
        self._create_folder = (target, fmt)
        self.query_one("#export", Button).label = "Create folder (ctrl+s)"
        error.update(
            literal(f"The folder {folder} does not exist. ctrl+s creates it; or change the path.")
        )
        return False

    def selected_ids(self) -> list[str]:
        scope = self.query_one("#scope", RadioSet).pressed_button
        scope_id = scope.id if scope else "scope-annotated"
        lib = self.library
        if scope_id == "scope-filter":
            return list(self.filtered_ids)
        if scope_id == "scope-digest" and self.digest_id:
            return list(lib.digest(self.digest_id).paper_ids)
        if scope_id == "scope-status":
            wanted = Status.parse(str(self.query_one("#status-choice", Select).value))
            return [p.id for p in lib.papers if lib.status(p.id) is wanted]
        if scope_id == "scope-all":
            return [p.id for p in lib.papers]
        return [p.id for p in lib.papers if not lib.annotation(p.id).is_default]

    @on(Button.Pressed, "#export")
    def action_export(self) -> None:
        ids = self.selected_ids()
        error = self.query_one("#export-error", Label)
        # What is said below the path must be seen with the buttons under it,
        # also when the dialog scrolls (80x24): show the dialog's end.
        self.call_after_refresh(self.query_one(VerticalScroll).scroll_end, animate=False)
        if not ids:
            error.update("Nothing to export in that choice.")
            return
        target = self.query_one("#path", Input).value.strip()
        if not target:
            error.update("Give a path to write to.")
            return
        fmt = self._format()
        if not self._folder_ready(target, fmt):
            return
        forced = self._replace == (target, fmt)
        try:
            result = self.library.write_export(
                self.library.export_items(ids),
                target,
                fmt=fmt,
                group_by="status" if self.query_one("#by-status", Checkbox).value else "digest",
                abstracts=self.query_one("#abstracts", Checkbox).value,
                force=forced,
            )
        except ExportExistsError as err:
            # The confirmation: the same ctrl+s again replaces it, keeping the old file.
            self._replace = (target, fmt)
            self.query_one("#export", Button).label = "Replace (ctrl+s)"
            error.update(
                literal(
                    f"{err.path.name} exists and paper-tracker did not write it (or it was "
                    f"changed since). ctrl+s replaces it and keeps the old file as "
                    f"{err.path.name}.<time>.bak beside it; or change the path."
                )
            )
            return
        except LibraryError as err:
            error.update(literal(str(err)))
            return
        if result.vault is not None and result.vault.left_alone and not forced:
            # The confirmation for notes whose part of ours was edited: the same
            # ctrl+s again replaces that part (their own text stays, a .bak is kept).
            self._replace, self._written = (target, fmt), result
            self.query_one("#export", Button).label = "Replace (ctrl+s)"
            error.update(
                literal(
                    _vault_message(result.path, result.vault)
                    + ". ctrl+s replaces the generated part of those notes (your text above "
                    "and below it stays; each old note is kept beside it as .bak); esc leaves "
                    "them as they are."
                )
            )
            return
        if result.vault is not None:
            message = _vault_message(result.path, result.vault)
        else:
            n = result.count
            message = f"Exported {n} paper{'s' if n != 1 else ''} to {result.path}"
            if result.skipped:
                message += f" (left out {result.skipped} {result.skipped_why})"
            if result.note:
                message += f"; {result.note}"
            if result.backup:
                message += f"; the file that was there is kept as {result.backup.name}"
        self.notify(message, title="Export", timeout=8, markup=False)
        self.dismiss(result)


def _missing_folder(target: str) -> Path | None:
    """The folder ``target`` goes into when it is not there (None: it is a folder).

    For a vault too: its own folder is made either way, the one it goes into must exist.
    """
    folder = Path(target).expanduser().parent
    if folder.is_dir():
        return None
    # The first of its folders that is there: a file there means no folder can be made.
    for above in folder.parents:
        if above.exists():
            return folder if above.is_dir() else above
    return folder


def _vault_message(folder: Path, report: VaultReport) -> str:
    """The vault export's toast: what was written, and the notes it left alone."""
    message = (
        f"Vault {folder}: {len(report.written)} new, {len(report.updated)} updated, "
        f"{report.unchanged} unchanged"
    )
    for left, why in (
        (report.edited, ("you edited its generated part", "you edited their generated part")),
        (
            report.not_ours,
            (
                "it differs from what an earlier version wrote",
                "they differ from what an earlier version wrote",
            ),
        ),
    ):
        if left:
            names = ", ".join(path.name for path in left[:3]) + (" …" if len(left) > 3 else "")
            n = len(left)
            because = why[0] if n == 1 else why[1]
            message += f"; {n} note{'s' if n != 1 else ''} not touched because {because} ({names})"
    if report.deleted:
        n = len(report.deleted)
        message += (
            f"; {n} note{'s' if n != 1 else ''} you deleted not written again "
            "(“tracker export --recreate” writes them)"
        )
    return message
