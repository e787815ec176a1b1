"""The digest sidebar: "All papers" and each digest with its reading progress."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tracker.app.text import one_line
from tracker.library import Library
from tracker.models import Status

ALL = "all"


class DigestSidebar(OptionList):
    """Pick which digest the list shows; each entry shows read/total."""

    DEFAULT_CSS = """
    DigestSidebar {
        width: 24;
        border: none;
        border-right: tall $panel;
        background: $surface;
        padding: 0;
    }
    DigestSidebar:focus { border-right: tall $accent; }
    """

    def __init__(self, library: Library, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.library = library

    def on_mount(self) -> None:
        self.rebuild()

    def rebuild(self) -> None:
        """Recreate the entries (after an import) keeping the highlighted one."""
        current = self.current_digest
        self.clear_options()
        self.add_options(self._build_options())
        ids = [ALL, *(d.id for d in self.library.digests)]
        self.highlighted = ids.index(current) if current in ids else 0

    def refresh_counts(self) -> None:
        """Update the progress figures after status changes."""
        for index, option in enumerate(self._build_options()):
            self.replace_option_prompt_at_index(index, option.prompt)

    def _build_options(self) -> list[Option]:
        counts = self.library.status_counts()
        total = len(self.library)
        options = [Option(self._prompt("All papers", counts[Status.READ], total), id=ALL)]
        for stats in self.library.digest_stats():
            options.append(
                Option(
                    self._prompt(stats.digest.display_label, stats.read, stats.total),
                    id=stats.digest.id,
                )
            )
        return options

    def _prompt(self, label: str, done: int, total: int) -> Text:
        figures = f"{done}/{total}"
        room = max(4, 20 - len(figures))
        name = one_line(label)
        if len(name) > room:
            name = name[: room - 1] + "…"
        text = Text(name)
        text.append(" " * (room - len(name) + 1))
        text.append(figures, style="bold" if done == total and total else "dim")
        return text

    @property
    def current_digest(self) -> str:
        """The highlighted digest's id, or ``all``."""
        if self.highlighted is None or self.option_count == 0:
            return ALL
        option = self.get_option_at_index(self.highlighted)
        return option.id or ALL
