"""Saving a note the editor hands over, the same way on every screen that edits notes."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen

from tracker.app.widgets.detail_pane import NoteEditor
from tracker.library import Library, LibraryError
from tracker.store import StoreError


def save_note(screen: Screen[Any], library: Library, event: NoteEditor.Save) -> bool:
    """Store the note of ``event``; False (and an error toast) when it could not be stored."""
    try:
        change = library.set_note(
            event.paper_id, event.text, session=event.session, base=event.base
        )
    except (LibraryError, StoreError) as err:
        screen.notify(str(err), severity="error", timeout=10)
        return False
    if change.paper_ids and not library.has_paper(event.paper_id):
        # Another process took the paper out while its note was typed: the note is kept.
        screen.notify(
            "This paper was taken out of the library by another process (an undo or a "
            "forget); your note is kept and shows again if the paper is imported again.",
            severity="warning",
            timeout=10,
        )
    if change.note is not None:
        # Another process changed this note meanwhile: both edits were kept.
        screen.query_one(NoteEditor).stored(event.paper_id, event.text, change.note)
        screen.notify(
            "This note was also changed elsewhere; both versions are kept (see its end).",
            timeout=6,
        )
    return True
