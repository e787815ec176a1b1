"""A warning line that stays on screen while a failed save left changes only in memory.

A toast is easy to miss and disappears; a change that is not on disk must
stay visible until it is saved (ctrl+s retries) or the user quits knowingly.
"""

from __future__ import annotations

from textual.widgets import Static

from tracker.library import Library


class UnsavedBanner(Static):
    """Shown only while ``library.has_unsaved``; checks itself once a second."""

    DEFAULT_CSS = """
    UnsavedBanner {
        dock: top; height: 1; width: 1fr; padding: 0 1;
        background: $error; color: $text; text-style: bold;
        display: none;
    }
    UnsavedBanner.-shown { display: block; }
    """

    def __init__(self, library: Library, *, id: str | None = None) -> None:
        super().__init__(
            "⚠ Changes NOT saved (disk full or no permission?) · they are kept in memory"
            " · ctrl+s retries",
            id=id,
        )
        self.library = library

    def on_mount(self) -> None:
        self.update_state()
        # A failed save can come from any screen or a worker: a cheap poll of
        # one boolean is simpler and more robust than routing every error here.
        self.set_interval(1.0, self.update_state)

    def update_state(self) -> None:
        self.set_class(self.library.has_unsaved, "-shown")
