"""The sidebar: "All papers", each digest with its reading progress, then the saved searches.

Digests come in the library's order (tracker/library/digest_order.py): newest
day first, those without a date after them.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from tracker.app.text import one_line
from tracker.library import Library
from tracker.models import Status

ALL = "all"
SEARCH_PREFIX = "search:"
"""Option ids of saved searches: the prefix and the search's name."""
_HEADER = "searches-header"


class DigestSidebar(OptionList):
    """Pick which digest the list shows (with read/total), or run a saved search (with its count)."""

    DEFAULT_CSS = """
    DigestSidebar {
        /* Room kept for a scrollbar of one cell whether or not it shows: the rows
           are drawn to the width left (see _prompt), and wrapped onto two lines
           each once the sidebar had to scroll. */
        width: 25;
        scrollbar-gutter: stable;
        scrollbar-size-vertical: 1;
        border: none;
        border-right: tall $panel;
        background: $surface;
        padding: 0;
    }
    DigestSidebar:focus { border-right: tall $accent; }
    """

    BINDINGS = [
        # Vim keys as in the list. The arrows are OptionList's own too: here
        # they keep the sidebar moving when keymap.toml gives j or k away.
        Binding("down,j", "cursor_down", "Down", show=False, id="sidebar.down"),
        Binding("up,k", "cursor_up", "Up", show=False, id="sidebar.up"),
        # On a saved search: rename / delete it; on a digest: edit its label and
        # date / forget it. The same keys, each pair offered where it applies
        # (check_action), so that the footer names what the key does there: a
        # digest is forgotten (its annotated papers stay), never "deleted".
        Binding("R", "search_action('rename')", "Rename", id="sidebar.rename_search"),
        Binding("D,delete", "search_action('delete')", "Delete", id="sidebar.delete_search"),
        Binding("R", "digest_action('edit')", "Edit", id="sidebar.edit_digest"),
        Binding("D,delete", "digest_action('forget')", "Forget", id="sidebar.forget_digest"),
    ]

    @dataclass
    class SearchAction(Message):
        """Rename or delete the highlighted saved search: the screen does it."""

        action: str
        name: str

    @dataclass
    class DigestAction(Message):
        """Edit (``edit``: label and date) or forget (``forget``) the highlighted digest."""

        action: str
        digest_id: str

    def __init__(
        self,
        library: Library,
        *,
        searches: dict[str, str] | None = None,
        keys: list[str] | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.library = library
        self.searches: dict[str, str] = dict(searches or {})
        self.search_counts: dict[str, int] = {}
        self.search_keys: list[str] = keys or []
        """Display of the keys that run the first saved searches (6, 7, ...)."""

    def on_mount(self) -> None:
        self.rebuild()

    def set_searches(self, searches: dict[str, str], keys: list[str]) -> None:
        """Show these saved searches (counts follow with :meth:`set_search_counts`)."""
        if searches == self.searches and keys == self.search_keys:
            return
        self.searches = dict(searches)
        self.search_keys = keys
        self.search_counts = {
            name: n for name, n in self.search_counts.items() if name in self.searches
        }
        if self.is_mounted:
            self.rebuild()

    def set_search_counts(self, counts: dict[str, int]) -> None:
        self.search_counts = counts
        self.refresh_counts()

    def rebuild(self) -> None:
        """Recreate the entries (after an import) keeping the highlighted one."""
        current = self._highlighted_id()
        self.clear_options()
        options = self._build_options()
        self.add_options(options)
        ids = [o.id if isinstance(o, Option) else None for o in options if o is not None]
        self.highlighted = ids.index(current) if current in ids else 0

    def refresh_counts(self) -> None:
        """Update the progress figures after status changes."""
        options = [o for o in self._build_options() if o is not None]
        if len(options) != self.option_count:
            self.rebuild()
            return
        for index, option in enumerate(options):
            self.replace_option_prompt_at_index(index, option.prompt)

    def _build_options(self) -> list[Option | None]:
        counts = self.library.status_counts()
        total = len(self.library)
        options: list[Option | None] = [
            Option(self._prompt("All papers", f"{counts[Status.READ]}/{total}", total), id=ALL)
        ]
        all_stats = self.library.digest_stats()
        labels = Counter(stats.digest.display_label for stats in all_stats)
        for stats in all_stats:
            label = stats.digest.display_label
            if labels[label] > 1 and stats.digest.source:
                # Two sources for the same day: the file tells them apart.
                label = f"{label} · {Path(stats.digest.source).stem}"
            options.append(
                Option(
                    self._prompt(
                        label,
                        f"{stats.read}/{stats.total}",
                        stats.read == stats.total and stats.total,
                    ),
                    id=stats.digest.id,
                )
            )
        if self.searches:
            options.append(None)  # a divider line under the digests
            options.append(Option(Text("Saved searches", style="bold"), id=_HEADER, disabled=True))
            for number, name in enumerate(self.searches):
                count = self.search_counts.get(name)
                key = self.search_keys[number] if number < len(self.search_keys) else ""
                options.append(
                    Option(
                        self._prompt(name, "…" if count is None else str(count), False, key=key),
                        id=SEARCH_PREFIX + name,
                    )
                )
        return options

    def _prompt(self, label: str, figures: str, done: object, *, key: str = "") -> Text:
        text = Text()
        if key:
            text.append(f"{key} ", style="bold")
        room = max(4, 20 - len(figures) - text.cell_len)
        name = one_line(label)
        if len(name) > room:
            name = name[: room - 1] + "…"
        text.append(name)
        text.append(" " * (room - len(name) + 1))
        text.append(figures, style="bold" if done else "dim")
        return text

    def _highlighted_id(self) -> str:
        if self.highlighted is None or self.option_count == 0:
            return ALL
        return self.get_option_at_index(self.highlighted).id or ALL

    @property
    def current_digest(self) -> str:
        """The highlighted digest's id, or ``all`` (also when a saved search is highlighted)."""
        option_id = self._highlighted_id()
        return ALL if option_id.startswith(SEARCH_PREFIX) else option_id

    @property
    def current_search(self) -> str | None:
        """The highlighted saved search's name, if one is highlighted."""
        option_id = self._highlighted_id()
        return option_id[len(SEARCH_PREFIX) :] if option_id.startswith(SEARCH_PREFIX) else None

    def highlight_search(self, name: str) -> None:
        with contextlib.suppress(OptionDoesNotExist):  # deleted meanwhile
            self.highlighted = self.get_option_index(SEARCH_PREFIX + name)

    def action_search_action(self, action: str) -> None:
        name = self.current_search
        if name is not None:
            self.post_message(self.SearchAction(action, name))

    def action_digest_action(self, action: str) -> None:
        digest = self.current_digest
        if digest != ALL and self.current_search is None:
            self.post_message(self.DigestAction(action, digest))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Offered only where they apply: on a saved search, on a digest.
        if action == "search_action":
            return self.current_search is not None
        if action == "digest_action":
            return self.current_search is None and self.current_digest != ALL
        return True

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        self.refresh_bindings()
