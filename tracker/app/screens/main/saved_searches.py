"""The main screen's saved searches: in the sidebar with their counts, on keys 6-9, saved with F."""

from __future__ import annotations

from textual import on, work
from textual.binding import Binding
from textual.widgets import Input, OptionList

from tracker.app.dialogs.confirm import ConfirmDialog
from tracker.app.keymap import keymap_of
from tracker.app.screens.main.searching import Searching
from tracker.app.text import clean
from tracker.app.widgets.digest_sidebar import SEARCH_PREFIX, DigestSidebar
from tracker.config import ConfigError
from tracker.library.search_request import SearchRequest

SAVED_SEARCH_SLOTS = 4
"""Keys 6-9 run the first saved searches (0-5 are the status views)."""

COUNT_DELAY = 0.4
"""Seconds without changes before the saved searches are counted again."""


class SavedSearches(Searching):
    """Named filters: saved, run, counted, renamed and deleted."""

    def filter_as_text(self) -> str:
        """The whole current filter (box, digest, status view) as one query to save."""
        return self.library.request_as_query(self.search_request())

    @on(OptionList.OptionHighlighted, "#digests")
    def _digest_changed(self, event: OptionList.OptionHighlighted) -> None:
        self.paper_list.clear_selection()
        option_id = event.option.id or ""
        if option_id.startswith(SEARCH_PREFIX):
            self._apply_saved_search(option_id[len(SEARCH_PREFIX) :])
            return
        filt = self.query_one("#filter", Input)
        if self._saved_query is not None and filt.value == self._saved_query:
            # A digest (or All papers) chosen after a saved search: its query
            # said which papers to show and goes with it (left in the box, it
            # kept filtering the digest: Mar 17 showed one paper). A filter
            # the user typed stays.
            self._saved_query = None
            filt.value = ""  # Input.Changed runs the search
            return
        self.run_search()

    def _slot_keys(self) -> list[str]:
        """How the keys that run saved searches 1-4 are shown (they can be remapped)."""
        keymap = keymap_of(self.app)
        keys = []
        for binding in self.BINDINGS:
            assert isinstance(binding, Binding)
            if binding.id and binding.id.startswith("search.saved_"):
                key = keymap.get(binding.id, binding.key).split(",")[0].strip()
                keys.append(self.app.get_key_display(Binding(key, binding.action)))
        return keys

    def _show_searches(self) -> None:
        searches = self.config_file.settings.searches if self.config_file else {}
        self.sidebar.set_searches(searches, self._slot_keys())
        if searches:
            self._start_count()  # at once: the sidebar shows "…" until then

    def _count_searches(self) -> None:
        """Recount the saved searches for the sidebar once changes pause.

        Each count is a whole search (a second of CPU for several searches at
        100,000 papers): a run of status keys pays for one recount, after it,
        in a worker, and a newer count makes an older one stop.
        """
        if self._count_timer is not None:
            self._count_timer.stop()
        if self.sidebar.searches:
            self._count_timer = self.set_timer(COUNT_DELAY, self._start_count)

    def _start_count(self) -> None:
        self._count_timer = None
        self._count_serial += 1
        self._count_worker(self._count_serial, dict(self.sidebar.searches))

    @work(thread=True, group="search-counts", exit_on_error=False)
    def _count_worker(self, serial: int, searches: dict[str, str]) -> None:
        # Not an exclusive worker: a newer count makes this one stop by itself.
        def stale() -> bool:
            return serial != self._count_serial

        counts: dict[str, int] = {}
        for name, text in searches.items():
            result = self.library.search(SearchRequest(text), cancelled=stale)
            if result is None:
                return
            counts[name] = len(result.hits)
        if not stale():
            self.app.call_from_thread(self.sidebar.set_search_counts, counts)

    def saved_search_names(self) -> list[str]:
        return list(self.config_file.settings.searches) if self.config_file else []

    def action_save_search(self) -> None:
        if self.config_file is None:
            return
        query = self.filter_as_text()
        if not query:
            self.notify("Type a filter first (/), then save it with F.", timeout=4)
            return
        from tracker.app.dialogs.search_name import SearchNameDialog

        def named(name: str | None) -> None:
            if not name or self.config_file is None:
                return
            try:
                replaced = self.config_file.save_search(name, query)
            except ConfigError as err:
                self.notify(str(err), title="Not saved", severity="error", timeout=10)
                return
            self._show_searches()
            self.notify(
                f"{'Updated' if replaced else 'Saved'} search {name!r}: {query}",
                timeout=4,
            )

        # Saving under an existing name replaces that search (the title says so).
        self.app.push_screen(SearchNameDialog("Save this filter as", query), named)

    def action_saved_search(self, slot: int) -> None:
        names = self.saved_search_names()
        if slot > len(names):
            self.notify(
                f"No saved search {slot}: save the current filter with F.",
                timeout=3,
            )
            return
        self.run_saved_search(names[slot - 1])

    def run_saved_search(self, name: str) -> None:
        """Show the saved search's papers (its entry is highlighted in the sidebar)."""
        self.sidebar.highlight_search(name)
        self._apply_saved_search(name)

    def _apply_saved_search(self, name: str) -> None:
        if self.config_file is None or name not in self.config_file.settings.searches:
            return
        # The saved filter says everything: no status view or digest on top of it.
        self.status_view = "all"
        self.hide_done = False
        filt = self.query_one("#filter", Input)
        query = clean(self.config_file.settings.searches[name])  # config.toml is edited by hand
        self._saved_query = query
        if filt.value != query:
            filt.value = query  # Input.Changed runs the search
        else:
            self.run_search()

    def rename_search(self, name: str) -> None:
        if self.config_file is None or name not in self.config_file.settings.searches:
            return
        from tracker.app.dialogs.search_name import SearchNameDialog

        def named(new: str | None) -> None:
            if not new or new == name or self.config_file is None:
                return
            try:
                self.config_file.rename_search(name, new)
            except ConfigError as err:
                self.notify(str(err), title="Not renamed", severity="error", timeout=10)
                return
            self._show_searches()
            self.sidebar.highlight_search(new)
            self.notify(f"Renamed {name!r} to {new!r}", timeout=3)

        self.app.push_screen(
            SearchNameDialog(
                f"Rename saved search {name!r}",
                self.config_file.settings.searches[name],
                name=name,
                taken=set(self.config_file.settings.searches),
            ),
            named,
        )

    def delete_search(self, name: str) -> None:
        if self.config_file is None or name not in self.config_file.settings.searches:
            return

        def answered(yes: bool | None) -> None:
            if not yes or self.config_file is None:
                return
            try:
                self.config_file.delete_search(name)
            except ConfigError as err:
                self.notify(str(err), title="Not deleted", severity="error", timeout=10)
                return
            self._show_searches()
            self.notify(f"Deleted saved search {name!r}", timeout=3)

        query = self.config_file.settings.searches[name]
        self.app.push_screen(ConfirmDialog(f"Delete saved search {name!r} ({query})?"), answered)

    @on(DigestSidebar.SearchAction)
    def _sidebar_search_action(self, event: DigestSidebar.SearchAction) -> None:
        if event.action == "rename":
            self.rename_search(event.name)
        elif event.action == "delete":
            self.delete_search(event.name)
