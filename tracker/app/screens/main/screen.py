"""The main screen: digests, the paper list, the filter bar and the detail pane."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.widgets import Label, TextArea

from tracker import clipboard
from tracker.app.focus_now import in_typed_order, key_in_hand, typing_in
from tracker.app.layout import NARROW_BELOW, SIDE_BY_SIDE_FROM
from tracker.app.paper_actions import open_paper
from tracker.app.screens.main.fetching import Fetching
from tracker.app.screens.main.library_changes import COMPACT_EVERY_SECONDS, PICK_UP_SECONDS
from tracker.app.screens.main.saved_searches import SAVED_SEARCH_SLOTS
from tracker.app.status_keys import STATUS_BINDINGS
from tracker.app.text import marks_of, one_line, sentence
from tracker.app.textual_internals import keys_bound, show_binding
from tracker.app.widgets.detail_pane import DetailPane, NoteEditor
from tracker.app.widgets.digest_sidebar import ALL, DigestSidebar
from tracker.app.widgets.filter_input import FilterInput
from tracker.app.widgets.keys_footer import KeysFooter
from tracker.app.widgets.paper_list import PaperList
from tracker.app.widgets.unsaved_banner import UnsavedBanner
from tracker.library import LibraryError
from tracker.sources.fields import arxiv_url
from tracker.store import StoreError

CHANGES_THE_LIBRARY = (
    "status.to_read",
    "status.read",
    "status.skipped",
    "status.read_next",
    "undo",
    "triage",
)
"""The footer's keys that change the library (left out of it in read-only mode)."""

WIDE_FOOTER_ONLY = ("import", "fetch", "search.save")
"""Keys the footer shows only from NARROW_BELOW columns: at 80 they would push
"? Help" out of it. They still work at any width, and ? lists them."""

SIDEBAR_KEYS_FIT_FROM = 130
"""With the digests focused, their R and D come first in the footer: below this
width the keys of WIDE_FOOTER_ONLY make way for them, or "? Help" is cut off."""


class MainScreen(Fetching):
    """Browse, filter, mark and annotate."""

    DEFAULT_CSS = """
    MainScreen #center { width: 1fr; }
    MainScreen #filter-row { height: 1; background: $panel; }
    MainScreen #filter { border: none; height: 1; padding: 0 1; width: 1fr; background: $panel; }
    MainScreen #filter:focus { background: $boost; }
    MainScreen #count { width: 17; padding: 0 1; color: $text-muted; background: $panel; text-align: right; }
    MainScreen #filter-problem { display: none; width: 1fr; padding: 0 1; color: $warning; background: $panel; }
    MainScreen #filter-problem.-shown { display: block; }
    MainScreen #view { width: auto; max-width: 50%; height: 1; padding: 0 1; color: $accent; background: $panel; text-style: bold; }
    MainScreen.-narrow DigestSidebar { display: none; }
    MainScreen.-narrow.-show-sidebar DigestSidebar { display: block; }
    MainScreen.-stacked DetailPane {
        dock: bottom; width: 100%; height: 45%; min-height: 8;
        layout: horizontal; border-left: none; border-top: tall $panel;
    }
    MainScreen.-stacked DetailPane #detail-scroll { width: 3fr; height: 1fr; }
    MainScreen.-stacked DetailPane #note-box { width: 2fr; height: 1fr; border-left: tall $panel; }
    MainScreen.-stacked DetailPane #detail-title { margin-bottom: 0; }
    MainScreen.-stacked DetailPane #detail-meta { margin-bottom: 0; }
    """

    # All priority: each key runs as the app takes it from its queue, in the
    # order typed (tracker/app/focus_now.py); check_action leaves a key to the
    # focused widget where it is that widget's own.
    BINDINGS = in_typed_order(
        [
            Binding("slash", "focus_filter", "Filter", id="filter.focus"),
            Binding("escape", "clear_filter", "Clear", show=False, id="filter.clear"),
            Binding("enter", "filter_done", "To the list", id="filter.done"),
            *STATUS_BINDINGS,
            Binding("m", "read_and_next", "Read+next", id="status.read_next"),
            Binding("u,ctrl+z", "undo", "Undo", id="undo"),
            Binding("i", "edit_note", "Note", show=False, id="note.edit"),
            Binding("E", "external_editor", "Note in $EDITOR", show=False, id="note.external"),
            Binding("number_sign", "tags", "Tags", show=False, id="paper.tags"),
            Binding("T", "triage", "Triage", id="triage"),
            Binding("e", "export", "Export", id="export"),
            Binding("I", "import_files", "Import", show=False, id="import"),
            Binding("f", "fetch", "Fetch", show=False, id="fetch"),
            Binding("S", "stats", "Reading stats", show=False, id="stats"),
            Binding("N", "whats_new", "What's new", show=False, id="whats_new"),
            Binding("o", "open_paper", "Open", show=False, id="paper.open"),
            Binding("O", "open_paper('pdf')", "Open PDF", show=False, id="paper.open_pdf"),
            Binding("y", "copy('title')", "Copy title", show=False, id="paper.copy"),
            Binding("Y", "copy('link')", "Copy link", show=False, id="paper.copy_link"),
            Binding("0", "view('all')", "All statuses", show=False, id="view.all"),
            Binding("1", "view('new')", "Only new", show=False, id="view.new"),
            Binding("2", "view('to-read')", "Only to read", show=False, id="view.to_read"),
            Binding("3", "view('reading')", "Only reading", show=False, id="view.reading"),
            Binding("4", "view('read')", "Only read", show=False, id="view.read"),
            Binding("5", "view('skipped')", "Only skipped", show=False, id="view.skipped"),
            Binding("H", "toggle_hide_done", "Hide read/skipped", show=False, id="view.hide_done"),
            Binding("b", "toggle_sidebar", "Digests", show=False, id="view.sidebar"),
            Binding("R", "show_related", "Related papers", show=False, id="paper.related"),
            Binding("J", "scroll_details(3)", "Scroll details down", show=False, id="detail.down"),
            Binding("K", "scroll_details(-3)", "Scroll details up", show=False, id="detail.up"),
            Binding("F", "save_search", "Save search", id="search.save"),
            *(
                Binding(
                    str(5 + slot),
                    f"saved_search({slot})",
                    f"Saved search {slot}",
                    show=False,
                    id=f"search.saved_{slot}",
                )
                for slot in range(1, SAVED_SEARCH_SLOTS + 1)
            ),
            Binding("W", "watch_list", "Watch list", show=False, id="watch.edit"),
        ]
    )

    # -- layout ----------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield UnsavedBanner(self.library)
        with Horizontal(id="body"):
            yield DigestSidebar(
                self.library,
                searches=self.config_file.settings.searches if self.config_file else None,
                keys=self._slot_keys(),
                id="digests",
            )
            with Vertical(id="center"):
                with Horizontal(id="filter-row"):
                    yield FilterInput(
                        placeholder='/ filter: words, status:read, has:note, -word, "phrase"',
                        id="filter",
                    )
                    yield Label("", id="view")
                    yield Label("", id="count")
                yield Label("", id="filter-problem")
                yield PaperList(self.library, id="papers")
            yield DetailPane(self.library, id="detail")
        yield KeysFooter()

    def on_mount(self) -> None:
        filt = self.query_one(FilterInput)
        filt.before_edit = self._hold_frame
        filt.on_change = self._filter_changed
        self.query_one(NoteEditor).on_leave = self._leave_note_now
        self.paper_list.on_activate = self.action_edit_note
        self._fit_layout()
        self.paper_list.focus()
        self._count_searches()
        self.run_search()
        self._build_index()
        self.set_interval(PICK_UP_SECONDS, self.pick_up_changes)
        self.set_interval(COMPACT_EVERY_SECONDS, self._compact)

    def on_resize(self, event: Resize) -> None:
        self._fit_layout()

    def _fit_layout(self) -> None:
        # The terminal's width decides (tried at 80x24, 120x36 and 200x50):
        # below SIDE_BY_SIDE_FROM columns the paper's details go under the
        # list, abstract and note side by side, so that the list keeps the
        # width for titles; below NARROW_BELOW the digests hide too (b shows
        # them beside the list).
        width = self.app.size.width
        narrow = width < NARROW_BELOW
        if narrow != self.has_class("-narrow"):
            self.set_class(narrow, "-narrow")
            self._update_view_label()  # it names the digest when the digests are hidden
        self.set_class(width < SIDE_BY_SIDE_FROM, "-stacked")
        self._footer_fits()

    def on_descendant_focus(self) -> None:
        self._footer_fits()  # the digests' own keys come and go with their focus

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # The keys are priority bindings (tracker/app/focus_now.py): they are off
        # where their key is text, or the focused widget's own (the note's i,
        # enter and escape, a text box's ctrl+z, the sidebar's R).
        focused = self.app.focused
        if action == "focus_filter":
            return not typing_in(focused)
        if action in ("edit_note", "clear_filter"):
            return not isinstance(focused, TextArea)
        if action == "filter_done":
            return isinstance(focused, FilterInput)
        if focused is None or focused is self.paper_list:
            return True
        if typing_in(focused) and key_in_hand():
            return False  # typed in a text box: text, or the box's own key
        # A key the focused widget binds itself is its own (the footer shows
        # the widget's, and the key runs it).
        mine = keys_bound(self).get(action, frozenset())
        return not any(mine & keys for keys in keys_bound(focused).values())

    def _footer_fits(self) -> None:
        """Narrow, the footer leaves out the keys of WIDE_FOOTER_ONLY.

        A library open read-only offers no key that changes it: pressed anyway,
        such a key says the library is read-only.
        """
        width = self.app.size.width
        crowded = width < NARROW_BELOW or (
            width < SIDEBAR_KEYS_FIT_FROM and self.app.focused is self.sidebar
        )
        changed = False
        for binding_id in WIDE_FOOTER_ONLY:
            changed = show_binding(self, binding_id, not crowded) or changed
        # In the filter box esc clears it: said there (elsewhere it clears a selection).
        typing = isinstance(self.app.focused, FilterInput)
        changed = show_binding(self, "filter.clear", typing) or changed
        if self.library.readonly:
            for binding_id in (*CHANGES_THE_LIBRARY, "import", "fetch"):
                changed = show_binding(self, binding_id, False) or changed
        if changed:
            self.refresh_bindings()

    # -- other screens and dialogs ---------------------------------------
    def action_triage(self) -> None:
        from tracker.app.screens.triage import TriageScreen

        if self.library.readonly:
            self.notify("The library is open read-only.", severity="warning")
            return
        digest = self.sidebar.current_digest
        self.store_typed_note()
        text = " ".join(self.current_query_text().split())
        found = None
        if text:  # a filtered list: triage what it found, in its order
            papers = self.library.papers
            found = (text, [papers[pos].id for pos in self.paper_list.hits.positions])

        def done(_: object) -> None:
            self._after_change()
            self.run_search()

        self.app.push_screen(
            TriageScreen(self.library, None if digest == ALL else digest, found=found), done
        )

    def action_stats(self) -> None:
        from tracker.app.screens.stats import StatsScreen

        # The note count should include what is being typed.
        self.store_typed_note()
        self.app.push_screen(StatsScreen(self.library))

    def action_whats_new(self) -> None:
        from tracker.app.screens.whats_new import WhatsNewScreen

        self.store_typed_note()

        def back(_: object) -> None:
            # Papers may have been marked or noted there.
            self.detail.reload_note()
            self._after_change()
            self.run_search()

        self.app.push_screen(WhatsNewScreen(self.library, self.config_file), back)

    def action_export(self) -> None:
        from tracker.app.dialogs.export import ExportDialog

        plist = self.paper_list
        ids_filter = [plist.paper_at(i).id for i in range(len(plist.hits))]
        digest = self.sidebar.current_digest
        self.app.push_screen(
            ExportDialog(
                self.library,
                filtered_ids=ids_filter,
                digest_id=None if digest == ALL else digest,
            )
        )

    def action_tags(self) -> None:
        from tracker.app.dialogs.tags import TagDialog
        from tracker.library.changes import TagEdit

        if self.library.readonly:
            self.notify("The library is open read-only.", severity="warning")
            return
        ids = self.paper_list.target_ids
        if not ids:
            return
        if len(ids) == 1:
            paper = self.library.paper(ids[0])
            heading = f"Tags of {one_line(paper.title)}"
            current: list[str] | None = list(self.library.annotation(ids[0]).tags)
        else:
            heading, current = f"Tags for {len(ids)} selected papers", None

        def done(edit: TagEdit | None) -> None:
            if edit is None or not (edit.add or edit.remove):
                return
            try:
                change = self.library.change_tags(ids, add=edit.add, remove=edit.remove)
            except (LibraryError, StoreError) as err:
                self.notify(str(err), severity="error", timeout=10)
                return
            if len(ids) > 1:
                self.paper_list.clear_selection()
            self.notify(sentence(change.label), timeout=3)
            self._after_change()

        self.app.push_screen(TagDialog(heading, current, self.library.all_tags()), done)

    def action_import_files(self) -> None:
        from tracker.app.dialogs.import_file import ImportDialog

        if self.library.readonly:
            self.notify("The library is open read-only.", severity="warning")
            return

        def closed(imported: bool | None) -> None:
            if imported:
                # Also after a failed save: the import stays in memory (the banner says so).
                self.refresh_all()

        self.app.push_screen(ImportDialog(self.library, star=marks_of(self.app).watched), closed)

    def action_show_related(self) -> None:
        """Scroll the detail pane to the related papers (under a long abstract)."""
        self.detail.refresh_related()
        self.detail.show_related()

    def action_scroll_details(self, lines: int) -> None:
        self.detail.scroll_details(lines)

    def action_open_paper(self, what: str = "page") -> None:
        """Open the paper's page (or its PDF)."""
        paper = self.paper_list.current_paper
        if paper is None:
            return
        command = self.config_file.settings.browser if self.config_file else None
        open_paper(self, paper, what, command)

    def action_copy(self, what: str) -> None:
        """Copy the title (or a Markdown link): OSC 52 to the terminal, and the system clipboard."""
        paper = self.paper_list.current_paper
        if paper is None:
            return
        title = one_line(paper.title)
        url = paper.url or (arxiv_url(paper.arxiv_id) if paper.arxiv_id else "")
        text = f"[{title}]({url})" if what == "link" and url else title
        self.app.copy_to_clipboard(text)

        def copy_in_worker() -> None:
            copied = clipboard.copy(text)
            severity = "information" if copied.ok else "warning"
            self.app.call_from_thread(
                self.notify, clipboard.message(copied, text), severity=severity, timeout=5
            )

        self.run_worker(copy_in_worker, thread=True, group="copy")

    def action_watch_list(self) -> None:
        if self.config_file is None:
            return
        from tracker.app.dialogs.watch_list import WatchListDialog

        def closed(changed: bool | None) -> None:
            if changed and self.config_file is not None:
                self.library.set_watch(self.config_file.watch_entries()[0])
                self.update_watch()

        self.app.push_screen(WatchListDialog(self.config_file), closed)
