"""The main screen's state and its widgets, which every part of the screen shares.

The main screen is one class put together from one class per area, each in
its own module and each built on the one before:

- :mod:`.base`: the state and the widgets;
- :mod:`.notes`: writing notes (the editor, ``$EDITOR``);
- :mod:`.searching`: the filter box, the status views and the search that fills the list;
- :mod:`.saved_searches`: saved searches (sidebar, keys, counts);
- :mod:`.library_changes`: status keys, undo, changes of papers and digests,
  and what other processes change;
- :mod:`.digest_actions`: editing and forgetting a digest from the sidebar;
- :mod:`.fetching`: a pasted page, and fetching papers (f, on start);
- :mod:`.screen`: :class:`~.screen.MainScreen` itself: layout, keys, and the
  other screens and dialogs it opens.
"""

from __future__ import annotations

import contextlib

from textual.timer import Timer

from tracker.app.textual_internals import FramePacedScreen
from tracker.app.widgets.detail_pane import DetailPane
from tracker.app.widgets.digest_sidebar import DigestSidebar
from tracker.app.widgets.paper_list import PaperList
from tracker.config import ConfigFile
from tracker.library import Library
from tracker.library.search_request import SearchRequest


class MainScreenBase(FramePacedScreen):
    """What every area of the main screen works on."""

    def __init__(self, library: Library, config_file: ConfigFile | None = None) -> None:
        super().__init__()
        self.library = library
        self.config_file = config_file
        self.status_view = "all"
        self.hide_done = False
        self._search_serial = 0
        self._last_search_s = float("inf")
        """How long the last search took (none yet: as if slow, see INLINE_SEARCH_S)."""
        self._shown_request: SearchRequest | None = None
        """The request whose results the list shows (None before the first)."""
        self._saved_query: str | None = None
        """The query a saved search put in the filter box (None when the user typed it)."""
        self._frame_hold: contextlib.AbstractContextManager[None] | None = None
        self._hold_timer: Timer | None = None
        self._collect_after_frame = False
        self._count_serial = 0
        self._count_timer: Timer | None = None
        self._problems: tuple[str, ...] = ()
        self._uses_watch_list = False
        """The list shown depends on the watch list (is:watched): it follows its changes."""
        self._partial_shown = False
        """The list shows the matches found while abstracts were being indexed."""
        self._labels: dict[str, str] = {}
        self._pick_up_problem = ""
        self._config_stamp = config_file.stamp() if config_file is not None else None
        """config.toml as last read: another process's change to it is picked up."""

    @property
    def paper_list(self) -> PaperList:
        return self.query_one(PaperList)

    @property
    def detail(self) -> DetailPane:
        return self.query_one(DetailPane)

    @property
    def sidebar(self) -> DigestSidebar:
        return self.query_one(DigestSidebar)
