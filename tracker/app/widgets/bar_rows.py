"""Labelled horizontal bars, one line each: the weekly charts and digest progress.

Textual's Sparkline shows the shape of a series but no labels or values;
these rows say which week (or digest) and how many, in text, so nothing is
conveyed by bar length or colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual.app import RenderResult
from textual.geometry import Size
from textual.widget import Widget

from tracker.app.text import one_line
from tracker.stats import bar

LABEL_MAX = 18
"""Labels longer than this are cut (digest labels can be file names)."""


@dataclass(frozen=True, slots=True)
class BarRow:
    """One line: ``label  ████▌  text``; the bar is ``value / maximum`` of the free width."""

    label: str
    value: float
    text: str


class BarRows(Widget):
    """Rows of labelled bars scaled to a common maximum and to the widget's width."""

    DEFAULT_CSS = """
    BarRows { height: auto; }
    BarRows > .bar-rows--bar { color: $accent; }
    BarRows > .bar-rows--track { color: $panel-lighten-2; }
    BarRows > .bar-rows--label { color: $text-muted; }
    """

    COMPONENT_CLASSES = {"bar-rows--bar", "bar-rows--track", "bar-rows--label"}

    def __init__(
        self,
        rows: list[BarRow],
        *,
        maximum: float | None = None,
        track: bool = False,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """``maximum`` defaults to the largest value; ``track`` draws the unfilled part too."""
        super().__init__(id=id, classes=classes)
        self.rows = rows
        self.maximum = maximum if maximum is not None else max((r.value for r in rows), default=0)
        self.track = track

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.rows)

    def render(self) -> RenderResult:
        # Cells, not characters: labels may hold wide characters (CJK, emoji).
        labels = [one_line(r.label) for r in self.rows]
        labels = [set_cell_size(x, LABEL_MAX) if cell_len(x) > LABEL_MAX else x for x in labels]
        label_width = max((cell_len(label) for label in labels), default=0)
        text_width = max((len(r.text) for r in self.rows), default=0)
        bar_width = max(self.size.width - label_width - text_width - 4, 1)
        bar_style = self.get_component_rich_style("bar-rows--bar")
        track_style = self.get_component_rich_style("bar-rows--track")
        label_style = self.get_component_rich_style("bar-rows--label")
        out = Text(no_wrap=True, overflow="ellipsis")
        for i, (row, label) in enumerate(zip(self.rows, labels, strict=True)):
            if i:
                out.append("\n")
            out.append(set_cell_size(label, label_width) + "  ", label_style)
            drawn = bar(row.value, self.maximum, bar_width)
            out.append(drawn, bar_style)
            rest = bar_width - len(drawn)
            out.append(("░" if self.track else " ") * rest, track_style)
            out.append(f"  {row.text:>{text_width}}")
        return out
