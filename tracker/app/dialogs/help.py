"""Help: every binding of the screen underneath, generated from the bindings themselves."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tracker.app.text import literal
from tracker.app.widgets.scroll_keys import scroll, scroll_bindings


class HelpScreen(ModalScreen[None]):
    """Lists key, action and binding id (for the keymap file) for each binding."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 90; max-width: 95%; height: 90%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    HelpScreen #help-title { padding: 0 1; }
    """

    BINDINGS = [
        Binding("escape,q,question_mark", "close", "Close", id="help.close"),
        *scroll_bindings("help"),
    ]

    def __init__(self, sections: list[tuple[str, list[tuple[str, str, str]]]]) -> None:
        """``sections``: (heading, [(keys, description, binding id), ...])."""
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(id="help-title")  # on_mount: with the keys that close it
            yield Static(self._render_table(), id="help-table")

    def on_mount(self) -> None:
        # This screen has no footer: its title says how to leave it, with the keys
        # in effect (keymap.toml may have moved them).
        keys = [
            self.app.get_key_display(active.binding)
            for active in self.active_bindings.values()
            if active.binding.id == "help.close"
        ]
        title = Text("paper-tracker — keys", style="bold")
        if keys:
            title.append(f"   {' / '.join(dict.fromkeys(keys))} closes this", style="dim")
        self.query_one("#help-title", Static).update(title)

    def _render_table(self) -> Group:
        # A heading is a line of its own, not a cell of the keys column: there a
        # long one ("Sidebar (R/D on a digest: …)") was cut at every width.
        # Tables of the same columns and ratios line up one under the other.
        parts: list[RenderableType] = [_table([("", "", Text("binding id", style="underline"))])]
        for heading, rows in self.sections:
            parts += [Text(""), Text(heading, style="bold")]
            # Keys come from keymap.toml: a Rich table would parse "[/b]" as markup.
            parts.append(_table([(literal(k), literal(d), literal(b)) for k, d, b in rows]))
        parts += [
            Text(""),
            Text("Remap keys in keymap.toml in the config directory (see README).", style="dim"),
        ]
        return Group(*parts)

    def action_scroll_body(self, where: str) -> None:
        scroll(self.query_one(VerticalScroll), where)

    def action_close(self) -> None:
        self.dismiss(None)


def _table(rows: list[tuple[RenderableType, RenderableType, RenderableType]]) -> Table:
    """Rows of keys, action and binding id, in the help's columns."""
    table = Table(box=None, expand=True, show_header=False, padding=(0, 1))
    table.add_column("keys", style="bold", no_wrap=True, ratio=2)
    table.add_column("action", ratio=4)
    table.add_column("id", style="dim", no_wrap=True, ratio=3)
    for row in rows:
        table.add_row(*row)
    return table
