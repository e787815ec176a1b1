"""The detail pane: the selected paper's title, facts, abstract and note."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Label, Static, TextArea
from textual.widgets.text_area import Edit, EditResult

from tracker.app.focus_now import OwnKeysInTypedOrder, focus_now
from tracker.app.text import STATUS_LABEL, clean, clean_note, literal, marks_of, one_line
from tracker.latex import to_unicode
from tracker.library import Library
from tracker.models import Annotation, Paper
from tracker.store import StoreError

AUTOSAVE_SECONDS = 0.3
"""A note is saved this long after the last key (a pause in typing)..."""
AUTOSAVE_MAX_WAIT = 0.5
"""...and at the latest this long after the first key not yet saved, even while
typing goes on: kill -9 then loses at most the last second of typing. The
save itself (fsync included) takes milliseconds; the other half second is
margin for a busy machine (with 0.8 s a loaded 2-core machine lost a
character 0.95 s old)."""
RELATED_DELAY = 0.12


class NoteEditor(OwnKeysInTypedOrder, TextArea):
    """A Markdown note editor that autosaves (debounced) and on leaving."""

    BINDINGS = [
        # Priority: the keys typed after escape are commands, not note text
        # (tracker/app/focus_now.py).
        Binding("escape", "leave", "Leave note", id="note.leave", priority=True),
        # Only while the note is shown read-only (reached with tab): while
        # writing, TextArea takes enter and i as text before bindings see them.
        Binding("enter,i", "write", "Write", id="note.write"),
    ]

    @dataclass
    class Save(Message):
        """Time to store the note text for a paper."""

        paper_id: str
        text: str
        session: str
        base: str | None = None
        """The note the text was edited from (None: unknown); see Library.set_note."""

    @dataclass
    class Left(Message):
        """The user pressed escape in the editor."""

    def __init__(self, *, id: str | None = None, read_on_tab: bool = False) -> None:
        """``read_on_tab``: focus from tab shows the note read-only; ``write`` (enter, i) edits it.

        Keys meant for the list must not land in the note because tab went one
        stop too far: on the main screen writing starts only with enter or i.
        """
        # tab_behavior stays "focus": in "indent" mode TextArea swallows escape,
        # and escape must leave the editor (through the remappable binding above).
        try:
            super().__init__(language="markdown", soft_wrap=True, id=id)
        except Exception:  # pragma: no cover - no tree-sitter grammar on this platform
            super().__init__(soft_wrap=True, id=id)
        self.paper_id: str | None = None
        self.session = uuid.uuid4().hex
        """Autosaves of one edit share this, so that one undo reverts the whole edit."""
        self._saved_text = ""
        self._timer: Timer | None = None
        self._unsaved_since: float | None = None
        """When the oldest text not yet handed over for saving was typed (monotonic)."""
        self._read_on_tab = read_on_tab
        self._write_next = False
        """The next focus is for writing (``write``), not a tab stop."""
        self.before_edit: Callable[[], None] | None = None
        """Called when the editor gets focus, before any key reaches it: the
        pane uses it to bring a paper it was about to show in (and its note)."""
        self.on_leave: Callable[[], None] | None = None
        """Called at escape instead of posting a ``Save``: stores the note at once
        and moves the focus at once (the keys typed after escape are commands,
        tracker/app/focus_now.py). ``Left`` is posted either way."""

    def load_note(self, paper_id: str, text: str) -> None:
        """Show another paper's note (saving what was typed for the previous one)."""
        self.save_now()
        self.paper_id = paper_id
        self.session = uuid.uuid4().hex
        self.load_text(text)
        # What the editor holds, not ``text``: only an edit saves (a note with
        # control characters is stored with the U+FFFD shown once it is edited).
        self._saved_text = self.text

    def load_text(self, text: str) -> None:
        """Load ``text`` with its controls and hidden characters shown (see tracker.app.text)."""
        super().load_text(clean_note(text))

    def edit(self, edit: Edit) -> EditResult:
        # Every change to the text (typing, paste, insert, replace) passes
        # here: a pasted escape sequence must not reach the terminal either.
        edit.text = clean_note(edit.text)
        return super().edit(edit)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        # A debounce with a maximum wait: each key moves the save to
        # AUTOSAVE_SECONDS after it, but never past AUTOSAVE_MAX_WAIT after the
        # first unsaved key (a plain debounce saved nothing while typing went on).
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self.paper_id is None or self.text == self._saved_text:
            self._unsaved_since = None
            return
        now = time.monotonic()
        if self._unsaved_since is None:
            self._unsaved_since = now
        deadline = self._unsaved_since + AUTOSAVE_MAX_WAIT
        if now >= deadline:
            # The timer is late (a busy machine, a loop full of keys and
            # frames): the key that finds the deadline passed saves.
            self.save_now()
            return
        self._timer = self.set_timer(min(AUTOSAVE_SECONDS, deadline - now), self.save_now)

    def save_now(self) -> None:
        """Ask the screen to store the note if it changed since the last save."""
        pending = self.take_pending()
        if pending is not None:
            self.post_message(self.Save(*pending))

    def on_focus(self, event: events.Focus) -> None:
        if self.before_edit is not None:
            self.before_edit()
        self.session = uuid.uuid4().hex
        if self._read_on_tab:
            self.read_only = not self._write_next
            self.refresh_bindings()  # the footer offers enter/i only while read-only
        self._write_next = False

    def write(self) -> None:
        """Focus the editor for writing, the cursor at the end of the note (where people go on)."""
        if not self.has_focus:
            self._write_next = True
            focus_now(self)
        self.action_write()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "write":
            return self.read_only
        return True

    def _typed_as_text(self, event: events.Key) -> bool:
        # What TextArea._on_key types into a note being written: characters,
        # enter, and tab when tab indents.
        if event.is_printable:
            return True
        if self.read_only:
            return False
        return event.key == "enter" or (event.key == "tab" and self.tab_behavior == "indent")

    def action_write(self) -> None:
        self.read_only = False
        self.refresh_bindings()
        self.move_cursor(self.document.end)

    def on_click(self, event: events.Click) -> None:
        # A click into the note is meant for writing (mouse users never pass
        # through tab stops).
        if self.read_only and self._read_on_tab:
            self.read_only = False
            self.refresh_bindings()

    def take_pending(self) -> tuple[str, str, str, str] | None:
        """(paper id, text, session, base) not yet handed over for saving, marking it handed over.

        ``base`` is the note as it was before this text: what was loaded or
        last handed over. The app calls this directly on quit, when a posted
        message would no longer be processed.
        """
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._unsaved_since = None
        if self.paper_id is not None and self.text != self._saved_text:
            base, self._saved_text = self._saved_text, self.text
            return self.paper_id, self.text, self.session, base
        return None

    @property
    def has_unsaved_text(self) -> bool:
        """True while text is typed that was not handed over for saving yet."""
        return self.paper_id is not None and self.text != self._saved_text

    def stored(self, paper_id: str, handed: str, stored: str) -> None:
        """The library stored ``stored`` for the ``handed`` text: another edit was kept too.

        What the other process added is at the end of the stored note (see
        tracker/library/note_merge.py); it is added at the end here too, so
        the cursor and anything typed since stay where they are.
        """
        if paper_id != self.paper_id or stored == handed:
            return
        if self._saved_text == handed:
            self._saved_text = stored
        if not stored.startswith(handed):
            if self.text == handed:
                self._replace_keeping_cursor(stored)
            return
        addition = stored[len(handed) :]
        if not self.text.endswith(addition):
            selection = self.selection
            self.insert(addition, self.document.end)
            # Text added at the very end, where the cursor may be: it stays
            # where it was (an insert at the cursor would carry it along).
            self.selection = selection

    def external(self, paper_id: str, note: str) -> bool:
        """Another process changed this paper's note to ``note``; False if a save must merge it.

        Nothing typed: the editor shows the new note (the cursor stays
        where it was). Text being typed: the caller saves it now, which
        keeps both (see :meth:`stored`).
        """
        if paper_id != self.paper_id or note == self._saved_text:
            return True
        if self.has_unsaved_text:
            return False
        self._saved_text = note
        self._replace_keeping_cursor(note)
        return True

    def _replace_keeping_cursor(self, text: str) -> None:
        row, column = self.cursor_location
        self.load_text(text)
        last = self.document.line_count - 1
        row = min(row, last)
        self.move_cursor((row, min(column, len(self.document.get_line(row)))))

    def on_blur(self, event: events.Blur) -> None:
        self.save_now()

    def action_leave(self) -> None:
        if self.on_leave is not None:
            self.on_leave()  # the note stored before the focus moves
        else:
            self.save_now()
        self.post_message(self.Left())


class DetailPane(Vertical):
    """Everything about one paper."""

    DEFAULT_CSS = """
    DetailPane {
        width: 38%;
        border-left: tall $panel;
        background: $surface;
    }
    DetailPane #detail-scroll { height: 1fr; padding: 0 1; }
    DetailPane.-note-focus #note-label { background: $accent; color: $text; text-style: bold; }
    DetailPane #detail-title { text-style: bold; color: $text; margin-bottom: 1; }
    DetailPane #detail-meta { color: $text-muted; margin-bottom: 1; }
    DetailPane #detail-abstract { margin-bottom: 1; }
    DetailPane #detail-related { color: $text-muted; margin-bottom: 1; }
    DetailPane #note-box { height: 40%; min-height: 6; }
    DetailPane #note-label {
        padding: 0 1; background: $panel; color: $text-muted; width: 1fr;
        text-wrap: nowrap; text-overflow: ellipsis;  /* one line, also in a narrow note box */
    }
    DetailPane NoteEditor { height: 1fr; border: none; }
    DetailPane NoteEditor:focus { border: none; }
    """

    def __init__(self, library: Library, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.library = library
        self.paper: Paper | None = None
        self._related_timer: Timer | None = None
        self._pending: tuple[Paper | None] | None = None
        self._pending_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        # Not a tab stop (it showed no focus, and keys meant for the list went
        # on to the note): J/K scroll it from the list.
        with VerticalScroll(id="detail-scroll", can_focus=False):
            yield Static(id="detail-title")
            yield Static(id="detail-meta")
            yield Static(id="detail-abstract")
            yield Static(id="detail-related")
        with Vertical(id="note-box"):
            yield Label("Note · enter writes · saved as you type", id="note-label")
            yield NoteEditor(id="note-editor", read_on_tab=True)

    def on_mount(self) -> None:
        editor = self.query_one(NoteEditor)
        editor.before_edit = self.show_pending
        self.watch(editor, "read_only", lambda _: self._show_note_state(), init=False)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self._show_note_state()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        self._show_note_state()

    def _show_note_state(self) -> None:
        """The note's label says whether the note has the keys, and what they do there."""
        editor = self.query_one(NoteEditor)
        focused = editor.has_focus
        self.set_class(focused, "-note-focus")
        if focused and not editor.read_only:
            text = "Note · esc leaves · saved as you type"
        elif focused:
            text = "Note · enter or i to write here"
        else:
            text = "Note · enter writes · saved as you type"
        self.query_one("#note-label", Label).update(text)

    def show_later(self, paper: Paper | None, delay: float) -> None:
        """Show ``paper`` after ``delay`` seconds unless another paper comes first.

        While a filter is being typed, every keystroke brings a new first
        paper; laying out its title, abstract and note each time would hold
        up the list's own frame. The pane follows once typing pauses.
        """
        self._pending = (paper,)
        if self._pending_timer is not None:
            self._pending_timer.stop()
        self._pending_timer = self.set_timer(delay, self.show_pending)

    def show_pending(self) -> None:
        """Show the paper waiting from :meth:`show_later` now (if any)."""
        if self._pending is not None:
            self.show(self._pending[0])

    def show(self, paper: Paper | None) -> None:
        """Show a paper (or nothing) and load its note into the editor."""
        self._pending = None
        if self._pending_timer is not None:
            self._pending_timer.stop()
            self._pending_timer = None
        if paper is not None and self.paper is not None and paper.id == self.paper.id:
            return  # same paper: keep the pane (and a note being typed) as it is
        self.paper = paper
        title = self.query_one("#detail-title", Static)
        meta = self.query_one("#detail-meta", Static)
        abstract = self.query_one("#detail-abstract", Static)
        editor = self.query_one(NoteEditor)
        self.schedule_related()
        if paper is None:
            title.update("")
            meta.update(Text("No paper selected.", style="italic"))
            abstract.update("")
            editor.save_now()
            editor.paper_id = None
            editor.load_text("")
            editor.disabled = True
            return
        editor.disabled = self.library.readonly
        title.update(literal(one_line(to_unicode(paper.title))))
        self.refresh_meta()
        abstract.update(shown_abstract(paper))
        self.query_one("#detail-scroll", VerticalScroll).scroll_home(animate=False)
        if editor.paper_id != paper.id:
            editor.load_note(paper.id, self.library.annotation(paper.id).note)

    def refresh_meta(self) -> None:
        """Redraw status, digests and tags (after a change)."""
        if self.paper is None or not self.library.has_paper(self.paper.id):
            return  # taken out by another process: shown as it was until the list moves on
        ann: Annotation = self.library.annotation(self.paper.id)
        digests = ", ".join(clean(self.library.digest(d).display_label) for d in self.paper.digests)
        marks = marks_of(self.app)
        text = Text()
        text.append(f"{marks.status[ann.status]} {STATUS_LABEL[ann.status]}", style="bold")
        text.append(f"   {digests}")
        entry = self.library.watch_match(self.paper.id)
        if entry is not None:
            text.append(f"\n{marks.watched} watched: ", style="bold")
            text.append(clean(entry.text))
        if ann.tags:  # a line of their own: wrapped beside the digests they read badly
            text.append("\n#" + " #".join(clean(t) for t in ann.tags))
        text.append(f"\nid {self.paper.id}")
        if self.paper.arxiv_id:
            text.append(f"   arXiv {clean(self.paper.arxiv_id)}")
        if self.paper.upvotes is not None:
            text.append(f"   ▲{self.paper.upvotes}")  # one word: a wrap never splits it
        if self.paper.published:
            # A no-break space: a wrap never leaves "published" without its day.
            text.append(f"   published\u00a0{clean(self.paper.published)}")
        if self.paper.authors:
            text.append(f"\n{clean(authors_line(self.paper.authors))}")
        if self.paper.url:
            text.append(f"\n{clean(self.paper.url)}")
        self.query_one("#detail-meta", Static).update(text)

    def schedule_related(self) -> None:
        # Computed a moment after the cursor settles, so that holding j over
        # a long list does not pay for papers nobody looked at.
        if self._related_timer is not None:
            self._related_timer.stop()
        self._related_timer = self.set_timer(RELATED_DELAY, self.refresh_related)

    def refresh_related(self) -> None:
        """Show the papers most like the current one (after a move, or once the index is ready)."""
        widget = self.query_one("#detail-related", Static)
        if self.paper is None or not self.library.has_paper(self.paper.id):
            widget.update("")
            return
        related = self.library.related(self.paper.id)
        if related is None:
            widget.update(Text("Related papers: indexing words…", style="italic"))
            return
        if not related:
            widget.update("")
            return
        text = Text("Related\n", style="bold")
        for paper in related:
            mark = marks_of(self.app).status[self.library.status(paper.id)]
            text.append(f"{mark} {clean(one_line(paper.title))}\n")
        text.rstrip()
        widget.update(text)

    def scroll_details(self, lines: int) -> None:
        """Scroll the title, abstract and related papers (they are no tab stop)."""
        scroll = self.query_one("#detail-scroll", VerticalScroll)
        scroll.scroll_relative(y=lines, animate=False)

    def show_related(self) -> None:
        """Bring the related papers into view (they sit under the abstract)."""
        related = self.query_one("#detail-related", Static)
        scroll = self.query_one("#detail-scroll", VerticalScroll)
        scroll.scroll_to_widget(related, animate=False, top=True)

    def refresh_paper(self) -> None:
        """Show the current paper's stored fields again (another process changed them)."""
        if self.paper is None or not self.library.has_paper(self.paper.id):
            return
        self.paper = self.library.paper(self.paper.id)
        self.query_one("#detail-title", Static).update(
            literal(one_line(to_unicode(self.paper.title)))
        )
        self.query_one("#detail-abstract", Static).update(shown_abstract(self.paper))
        self.refresh_meta()

    def reload_note(self) -> None:
        """Reload the note from the library (after undo)."""
        self.show_pending()
        if self.paper is not None:
            editor = self.query_one(NoteEditor)
            editor.paper_id = None
            editor.load_note(self.paper.id, self.library.annotation(self.paper.id).note)


SHOWN_ABSTRACT_CHARS = 20_000
"""The most of an abstract the pane lays out: twice the longest real one (8,815
characters). A library from before imports were bounded can hold a 50 MB
"abstract", and laying that out froze the app for a minute at 4 GB."""


def shown_abstract(paper: Paper) -> Text:
    """The paper's abstract as the pane shows it, or why it cannot be read now.

    The abstract of a paper read from library.json stays in the file until it
    is shown; if another program changed the file in place meanwhile, the
    store says so in one sentence, and the pane shows that sentence (the app
    keeps running; nothing was changed).
    """
    try:
        abstract = paper.abstract
    except StoreError as err:
        return literal(str(err), style="bold red")
    return abstract_text(abstract)


def abstract_text(abstract: str) -> Text:
    """The abstract as the pane shows it: at most SHOWN_ABSTRACT_CHARS, then how much more there is."""
    if not abstract:
        return literal("(no abstract in the digest)")
    shown = abstract[:SHOWN_ABSTRACT_CHARS]  # cut before anything else reads it whole
    text = literal(to_unicode(shown))
    if len(abstract) > len(shown):
        more = len(abstract) - len(shown)
        text.append(
            f"\n… {more:,} more characters not shown (“tracker export” has them all)",
            style="italic",
        )
    return text


# A long author list (some papers have hundreds) stays one readable line.
_AUTHORS_SHOWN = 8


def authors_line(authors: list[str]) -> str:
    """``A, B, C`` or ``A, B, … and 12 more`` for long lists."""
    if len(authors) <= _AUTHORS_SHOWN + 1:  # never "… and 1 more"
        return ", ".join(authors)
    shown = ", ".join(authors[:_AUTHORS_SHOWN])
    return f"{shown}, … and {len(authors) - _AUTHORS_SHOWN} more"
