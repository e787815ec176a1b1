"""The main screen's notes: the editor in the detail pane, saving, and ``$EDITOR``."""

from __future__ import annotations

import uuid

from textual import on
from textual.app import SuspendNotSupported
from textual.events import ScreenSuspend

from tracker.app.focus_now import focus_now
from tracker.app.note_saving import save_note
from tracker.app.screens.main.base import MainScreenBase
from tracker.app.widgets.detail_pane import NoteEditor
from tracker.editor import EditorError, edit_text


class NoteHandling(MainScreenBase):
    """Write the selected paper's note; it is saved as it is typed and whenever the editor is left."""

    def action_edit_note(self) -> None:
        if self.library.readonly:
            self.notify("The library is open read-only.", severity="warning")
            return
        paper = self.paper_list.current_paper
        if paper is not None:
            # The list's paper, even if its Highlighted message is still on its way.
            self.detail.show(paper)
            self.query_one(NoteEditor).write()

    def store_typed_note(self) -> None:
        """Store the note being typed now, not through a posted Save (which waits its turn)."""
        pending = self.query_one(NoteEditor).take_pending()
        if pending is not None:
            self._save_note(NoteEditor.Save(*pending))

    def on_screen_suspend(self, event: ScreenSuspend) -> None:
        # Another screen covers this one (a dialog, triage, stats, the command
        # palette…): what was typed goes to disk now, not after a pause.
        self.store_typed_note()

    @on(NoteEditor.Save)
    def _save_note(self, event: NoteEditor.Save) -> None:
        save_note(self, self.library, event)
        self.paper_list.refresh_rows()

    def _leave_note_now(self) -> None:
        """Escape in the note: stored now, then the list has the keys."""
        self.store_typed_note()
        focus_now(self.paper_list)

    @on(NoteEditor.Left)
    def _left_note(self) -> None:
        focus_now(self.paper_list)

    def action_external_editor(self) -> None:
        paper = self.paper_list.current_paper
        if paper is None or self.library.readonly:
            return
        # Before the app is suspended: the editor must start from what was
        # typed, and a posted Save would only be handled after the editor closes.
        self.store_typed_note()
        error: EditorError | None = None
        base = self.library.annotation(paper.id).note
        try:
            with self.app.suspend():
                # Nothing may escape this block: suspend() only resumes the app
                # when the block ends normally (an escaping error left it blank).
                try:
                    text = edit_text(base)
                except EditorError as err:
                    error = err
        except SuspendNotSupported:
            self.notify("This terminal cannot hand over to an editor.", severity="error")
            return
        if error is not None:
            self.notify(str(error), severity="error", timeout=8)
            return
        self._save_note(NoteEditor.Save(paper.id, text, uuid.uuid4().hex, base))
        self.detail.reload_note()
