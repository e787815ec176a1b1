"""Triage: one new paper at a time, one key to decide, then a summary."""

from __future__ import annotations

from collections import Counter

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import ScreenSuspend
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, ProgressBar, Static

from tracker.app.note_saving import save_note
from tracker.app.text import STATUS_LABEL, literal, marks_of, one_line, sentence
from tracker.app.widgets.detail_pane import NoteEditor
from tracker.app.widgets.keys_footer import KeysFooter
from tracker.app.widgets.unsaved_banner import UnsavedBanner
from tracker.latex import to_unicode
from tracker.library import Library, LibraryError
from tracker.library.search_request import WatchEntry
from tracker.models import Status
from tracker.store import StoreError


class NoteDialog(ModalScreen[None]):
    """Write the note of one paper without leaving triage; saved as you type."""

    DEFAULT_CSS = """
    NoteDialog { align: center middle; }
    NoteDialog > Vertical {
        width: 90%; height: 70%; border: thick $accent; background: $surface;
    }
    NoteDialog #note-dialog-title {
        padding: 0 1; background: $panel; width: 1fr; text-wrap: nowrap; text-overflow: ellipsis;
    }
    NoteDialog NoteEditor { height: 1fr; border: none; }
    """

    def __init__(self, library: Library, paper_id: str) -> None:
        super().__init__()
        self.library = library
        self.paper_id = paper_id

    def compose(self) -> ComposeResult:
        paper = self.library.paper(self.paper_id)
        with Vertical():
            yield Label(
                # One line, the keys first: a long title is cut, never the way back.
                literal(f"esc: back · saved as you type · Note: {one_line(paper.title)}"),
                id="note-dialog-title",
            )
            yield NoteEditor(id="note-dialog-editor")

    def on_mount(self) -> None:
        editor = self.query_one(NoteEditor)
        editor.load_note(self.paper_id, self.library.annotation(self.paper_id).note)
        editor.write()

    def on_screen_suspend(self, event: ScreenSuspend) -> None:
        # The command palette (or another screen) covers the dialog: save now.
        pending = self.query_one(NoteEditor).take_pending()
        if pending is not None:
            self._save(NoteEditor.Save(*pending))

    @on(NoteEditor.Save)
    def _save(self, event: NoteEditor.Save) -> None:
        event.stop()
        save_note(self, self.library, event)

    @on(NoteEditor.Left)
    def _left(self, event: NoteEditor.Left) -> None:
        event.stop()
        self.dismiss(None)


class TriageSummary(ModalScreen[None]):
    """What this triage session decided."""

    DEFAULT_CSS = """
    TriageSummary { align: center middle; }
    TriageSummary > Vertical {
        width: 60; height: auto; padding: 1 2; border: thick $success; background: $surface;
    }
    TriageSummary #summary-title { text-style: bold; margin-bottom: 1; }
    """

    BINDINGS = [Binding("enter,escape,q", "close", "Back to the list", id="triage_summary.close")]

    def __init__(self, label: str, decided: Counter[Status], total: int, left: int) -> None:
        super().__init__()
        self.label = label
        self.decided = decided
        self.total = total
        self.left = left

    def compose(self) -> ComposeResult:
        with Vertical():
            # "finished" only when no paper of the digest is left new (Esc
            # part-way through is a pause: T continues where it stopped).
            state = "paused" if self.left else "finished"
            yield Static(literal(f"Triage of {self.label} {state}"), id="summary-title")
            text = Text()
            decided = sum(self.decided.values())
            text.append(f"You decided on {decided} of {self.total} new papers.\n\n")
            marks = marks_of(self.app)
            for status in (Status.TO_READ, Status.READING, Status.READ, Status.SKIPPED):
                count = self.decided.get(status, 0)
                text.append(f"  {marks.status[status]} {STATUS_LABEL[status]:<9} {count:>4}\n")
            if self.left:
                text.append(f"\n{self.left} still new: press T again to continue.")
            yield Static(text, id="summary-body")
            yield Static("\nenter: back to the list", classes="dim")

    def action_close(self) -> None:
        self.dismiss(None)


class TriageScreen(Screen[None]):
    """Go through a digest's new papers one at a time."""

    DEFAULT_CSS = """
    TriageScreen #triage-head { height: 1; background: $panel; padding: 0 1; }
    TriageScreen #triage-label { width: 1fr; text-style: bold; }
    TriageScreen #triage-count { width: auto; }
    TriageScreen ProgressBar { width: 1fr; height: 1; padding: 0 1; }
    TriageScreen ProgressBar Bar { width: 1fr; }
    TriageScreen #triage-body { padding: 1 4; }
    TriageScreen #triage-title { text-style: bold; color: $accent; margin-bottom: 1; }
    TriageScreen #triage-meta { color: $text-muted; margin-bottom: 1; }
    """

    BINDINGS = [
        Binding("t", "decide('to-read')", "To read", id="triage.to_read"),
        Binding("s", "decide('skipped')", "Skip", id="triage.skip"),
        Binding("r", "decide('reading')", "Reading", id="triage.reading"),
        Binding("x", "decide('read')", "Read", id="triage.read"),
        Binding("n", "note", "Note", id="triage.note"),
        Binding("left,h", "move(-1)", "Back", id="triage.back"),
        Binding("right,l", "move(1)", "Next", id="triage.next"),
        Binding("u,ctrl+z", "undo", "Undo", id="triage.undo"),
        Binding("escape,q", "finish", "Done", id="triage.done"),
    ]

    def __init__(
        self,
        library: Library,
        digest_id: str | None,
        *,
        found: tuple[str, list[str]] | None = None,
    ) -> None:
        """The new papers of a digest (None: all papers), or of ``found``: (the filter's
        text, the papers it lists, in the list's order) when the list is filtered."""
        super().__init__()
        self.library = library
        self.digest_id = digest_id
        digest = None if digest_id is None else library.digest(digest_id)
        where = "all papers" if digest is None else digest.display_label
        if found is not None:
            text, ids = found
            self.label = f"“{text}”" + ("" if digest is None else f" in {where}")
        else:
            self.label = where
            ids = [p.id for p in library.papers] if digest is None else digest.paper_ids
        queue = [pid for pid in ids if library.status(pid) is Status.NEW]
        self.watched: dict[str, WatchEntry] = library.watch_matches_among(queue)
        # Watched papers first, each group in page order.
        self.queue = [p for p in queue if p in self.watched] + [
            p for p in queue if p not in self.watched
        ]
        self.index = 0
        self.decided: Counter[Status] = Counter()
        self._history: list[tuple[int, Status, int | None]] = []
        self._notes: list[int] = []
        """Change ids of the notes written in this triage (n), oldest first."""
        """(queue index, decision, the undo entry it made) per decision, newest last."""

    def compose(self) -> ComposeResult:
        yield UnsavedBanner(self.library)
        with Horizontal(id="triage-head"):
            head = f"Triage · {self.label}"
            if self.watched:
                head += f" · {len(self.watched)} watched first"
            yield Label(literal(head), id="triage-label")
            yield Label("", id="triage-count")
        yield ProgressBar(total=max(1, len(self.queue)), show_eta=False, show_percentage=False)
        with VerticalScroll(id="triage-body"):
            yield Static(id="triage-title")
            yield Static(id="triage-meta")
            yield Static(id="triage-abstract")
        yield KeysFooter()

    def on_mount(self) -> None:
        if not self.queue:
            self.notify(f"No new papers in {self.label}.", timeout=3)
            self.dismiss(None)
            return
        self.show_current()

    @property
    def current_id(self) -> str:
        return self.queue[self.index]

    def _drop_gone(self) -> None:
        """Papers another process took out (an undo, a forget) leave the queue; the
        index and the undo history keep pointing at the same papers."""
        has_paper = self.library.has_paper
        if all(map(has_paper, self.queue)):
            return
        old = self.queue
        self.queue = [pid for pid in old if has_paper(pid)]
        where = {pid: i for i, pid in enumerate(self.queue)}
        # The current paper, or the next one still there.
        self.index = min(
            sum(1 for pid in old[: self.index] if pid in where), max(0, len(self.queue) - 1)
        )
        self._history = [
            (where[old[i]], status, change)
            for i, status, change in self._history
            if old[i] in where
        ]
        self.query_one(ProgressBar).update(total=max(1, len(self.queue)))

    def show_current(self) -> None:
        self._drop_gone()
        if not self.queue:
            self.notify("The papers left to triage were taken out by another process.")
            self.action_finish()
            return
        paper = self.library.paper(self.current_id)
        ann = self.library.annotation(paper.id)
        self.query_one("#triage-count", Label).update(f"{self.index + 1} / {len(self.queue)}")
        self.query_one(ProgressBar).update(progress=sum(self.decided.values()))
        self.query_one("#triage-title", Static).update(literal(one_line(to_unicode(paper.title))))
        marks = marks_of(self.app)
        meta = Text(f"{marks.status[ann.status]} {STATUS_LABEL[ann.status]}")
        entry = self.watched.get(paper.id)
        if entry is not None:
            meta.append(f"   {marks.watched} watched: ", style="bold")
            meta.append(literal(entry.text))
        if ann.note.strip():
            meta.append(f"   {marks.note} has a note")
        others = [
            self.library.digest(d).display_label for d in paper.digests if d != self.digest_id
        ]
        if others and (self.digest_id is not None or len(others) > 1):
            meta.append(f"   {'also in' if self.digest_id else 'in'}: {', '.join(others)}")
        self.query_one("#triage-meta", Static).update(meta)
        self.query_one("#triage-abstract", Static).update(
            literal(to_unicode(paper.abstract) or "(no abstract in the digest)")
        )
        self.query_one("#triage-body", VerticalScroll).scroll_home(animate=False)

    def action_decide(self, status: str) -> None:
        target = Status.parse(status)
        pid = self.current_id
        previous = self.library.status(pid)
        try:
            self.library.set_status([pid], target)
        except (LibraryError, StoreError) as err:
            self.notify(str(err), severity="error", timeout=10)
            if not self.library.has_paper(pid):
                self.show_current()  # taken out by another process: on to the next one
            return
        if previous is not Status.NEW:
            self.decided[previous] -= 1
        self.decided[target] += 1
        self._history.append((self.index, target, self.library.last_change_id()))
        self._advance()

    def _advance(self) -> None:
        # Next paper still new after this one; wrap around to skipped-over ones.
        order = list(range(self.index + 1, len(self.queue))) + list(range(0, self.index))
        for i in order:
            if self.library.status(self.queue[i]) is Status.NEW:
                self.index = i
                self.show_current()
                return
        self.action_finish()

    def action_move(self, step: int) -> None:
        self.index = max(0, min(len(self.queue) - 1, self.index + step))
        self.show_current()

    def action_note(self) -> None:
        before = self.library.last_change_id()

        def written(_: object) -> None:
            # One edit of the note is one change (its autosaves share a session).
            after = self.library.last_change_id()
            if after is not None and after != before:
                self._notes.append(after)
            self.show_current()

        self.app.push_screen(NoteDialog(self.library, self.current_id), written)

    def action_undo(self) -> None:
        newest = self.library.last_change_id()
        if self._notes and newest == self._notes[-1]:
            # A note written here is the newest change: u takes it back, as u
            # does everywhere else; the next u takes back the decision before it.
            self._notes.pop()
            try:
                change = self.library.undo(only=newest)
            except (LibraryError, StoreError) as err:
                self.notify(str(err), severity="error", timeout=10)
                return
            if change is not None:
                self.notify(sentence(change.label), timeout=2)
            self.show_current()
            return
        if not self._history:
            self.notify("Nothing to undo in this triage.", timeout=2)
            return
        index, status, change_id = self._history[-1]
        try:
            # Only this triage's last decision (a change made outside triage
            # since, in another window or by a command, is not taken back).
            change = self.library.undo(only=change_id)
        except (LibraryError, StoreError) as err:
            self.notify(str(err), severity="error", timeout=10)
            return
        self._history.pop()
        self.decided[status] -= 1
        self.index = index
        if change is not None:
            self.notify(sentence(change.label), timeout=2)
        self.show_current()

    def action_finish(self) -> None:
        left = sum(1 for pid in self.queue if self.library.status(pid) is Status.NEW)
        decided = Counter({s: n for s, n in self.decided.items() if n > 0})
        self.app.push_screen(
            TriageSummary(self.label, decided, len(self.queue), left),
            lambda _: self.dismiss(None),
        )
