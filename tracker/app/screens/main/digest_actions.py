"""The main screen's digest actions: edit a digest's label and date, or forget it (R / D)."""

from __future__ import annotations

from textual import on

from tracker.app.dialogs.confirm import ConfirmDialog
from tracker.app.screens.main.library_changes import LibraryChanges
from tracker.app.text import sentence
from tracker.app.widgets.digest_sidebar import DigestSidebar
from tracker.library import LibraryError
from tracker.store import StoreError
from tracker.wording import counted


class DigestActions(LibraryChanges):
    """R and D on a digest in the sidebar (and the command palette's "Edit/Forget digest")."""

    @on(DigestSidebar.DigestAction)
    def _sidebar_digest_action(self, event: DigestSidebar.DigestAction) -> None:
        if event.action == "edit":
            self.edit_digest(event.digest_id)
        else:
            self.forget_digest(event.digest_id)

    def edit_digest(self, digest_id: str) -> None:
        """Ask for a digest's label and date, and change them (one undoable change)."""
        from tracker.app.dialogs.digest_edit import DigestEdit, DigestEditDialog

        if self.library.readonly:
            self.notify("The library is open read-only.", severity="warning")
            return
        digest = self.library.digest(digest_id)

        async def done(edit: DigestEdit | None) -> None:
            if edit is None:
                return

            def apply() -> None:
                try:
                    change = self.library.edit_digest(digest_id, label=edit.label, date=edit.date)
                except (LibraryError, StoreError) as err:
                    self.notify(str(err), severity="error", timeout=10)
                    return
                self.notify(sentence(change.label), timeout=4)

            await self.change_library(apply)

        self.app.push_screen(DigestEditDialog(digest, len(digest.paper_ids)), done)

    def forget_digest(self, digest_id: str) -> None:
        """Ask, with the counts, then forget a digest (undoable with u)."""
        if self.library.readonly:
            self.notify("The library is open read-only.", severity="warning")
            return
        self.store_typed_note()  # a note being typed counts as annotating its paper
        plan = self.library.plan_forget(digest_id)
        n, elsewhere, kept = len(plan.removed), len(plan.elsewhere), len(plan.kept)
        question = (
            f"Forget digest {plan.digest.display_label} (from {plan.digest.source})?\n\n"
            f"{counted(n, 'paper')} {_verb(n, 'leave')} the library; {elsewhere} "
            f"{_verb(elsewhere, 'stay')} in other digests; {kept} {_verb(kept, 'stay')} "
            "because you annotated them (a note, tags or a status)."
            "\n\nu undoes it."
        )

        async def answered(yes: bool | None) -> None:
            if not yes:
                return

            def apply() -> None:
                try:
                    report = self.library.forget_digest(digest_id)
                except (LibraryError, StoreError) as err:
                    self.notify(str(err), severity="error", timeout=10)
                    return
                self.notify(f"{sentence(report.change.label)} (u undoes it)", timeout=5)

            await self.change_library(apply)

        self.app.push_screen(ConfirmDialog(question, default_yes=False), answered)


def _verb(n: int, verb: str) -> str:
    """``1 paper leaves``, ``2 papers leave``."""
    return f"{verb}s" if n == 1 else verb
