"""The reading stats screen: papers triaged and read per week, the backlog, digests, notes."""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Label, Sparkline, Static

from tracker.app.layout import NARROW_BELOW
from tracker.app.text import STATUS_LABEL, STATUS_MARK
from tracker.app.widgets.bar_rows import BarRow, BarRows
from tracker.app.widgets.keys_footer import KeysFooter
from tracker.app.widgets.scroll_keys import scroll, scroll_bindings
from tracker.library import Library
from tracker.models import Status
from tracker.stats import ReadingStats


def _week_label(start: dt.date) -> str:
    return start.strftime("%b %d")


class StatsScreen(Screen[None]):
    """Charts of the status history (see tracker.stats for what each figure means)."""

    DEFAULT_CSS = """
    StatsScreen #stats-head { width: 100%; height: auto; background: $panel; padding: 0 1; text-style: bold; }
    StatsScreen #stats-body { padding: 0 1; }
    StatsScreen .row { height: auto; }
    StatsScreen .panel {
        width: 1fr; height: auto; border: round $panel-lighten-2; padding: 0 1;
        border-title-color: $text; border-subtitle-color: $text-muted;
    }
    /* A whole number of cells per week (or day) keeps the columns even:
       12 weeks x 4 cells, 14 days x 3 cells. */
    StatsScreen #backlog-spark { height: 5; width: 48; }
    StatsScreen .daily Sparkline { height: 3; width: 42; }
    StatsScreen .caption { color: $text-muted; width: 48; }
    StatsScreen #stats-totals { padding: 0 1; }
    StatsScreen.-narrow .row { layout: vertical; }
    StatsScreen.-narrow .panel { width: 1fr; }
    """

    BINDINGS = [
        Binding("escape,q,S", "close", "Back", id="stats.close"),
        # Vim keys as well as the arrows and PageUp/PageDown of the scroll view.
        *scroll_bindings("stats"),
    ]

    def __init__(self, library: Library, *, today: dt.date | None = None) -> None:
        """``today`` fixes the date the weeks end with (tests); default: today (local or UTC)."""
        super().__init__()
        self.library = library
        self.stats: ReadingStats = library.reading_stats(today=today)

    def compose(self) -> ComposeResult:
        data = self.stats
        weeks = data.weeks
        yield Label(
            f"Reading stats · {len(weeks)} weeks to {data.today:%b %d %Y} "
            f"(weeks start on Monday, {'UTC' if self.library.utc_days else 'local time'})",
            id="stats-head",
        )
        with VerticalScroll(id="stats-body"):
            with Horizontal(classes="row"):
                yield self._weekly_panel(
                    "Papers triaged per week", "triaged", [w.triaged for w in weeks]
                )
                yield self._weekly_panel("Papers read per week", "read", [w.read for w in weeks])
            with Horizontal(classes="row"):
                yield self._daily_panel("Papers triaged per day", "triaged")
                yield self._daily_panel("Papers read per day", "read")
            with Horizontal(classes="row"):
                backlog = [w.backlog for w in weeks]
                panel = Vertical(classes="panel", id="backlog")
                panel.border_title = "To-read backlog (to read + reading, end of week)"
                peak = max(backlog, default=0)
                peak_week = weeks[backlog.index(peak)].start if weeks else data.today
                panel.border_subtitle = (
                    f"now {backlog[-1]} · peak {peak} ({_week_label(peak_week)})"
                )
                with panel:
                    yield Sparkline(backlog, id="backlog-spark")
                    first, last = _week_label(weeks[0].start), _week_label(weeks[-1].start)
                    yield Label(f"{first}{last:>{48 - len(first)}}", classes="caption")
                digests = Vertical(classes="panel", id="digests-done")
                done = sum(1 for d in data.digests if d.total and d.read == d.total)
                digests.border_title = "Per digest: read / total"
                digests.border_subtitle = f"{done} of {len(data.digests)} finished"
                with digests:
                    rows = [
                        BarRow(d.label, d.done, f"{d.read}/{d.total} · {d.triaged} triaged")
                        for d in data.digests
                    ]
                    if rows:
                        yield BarRows(rows, maximum=1.0, track=True, id="digest-bars")
                    else:
                        yield Label("No digests yet: press I to import one.", classes="caption")
            yield Static(self._totals(), id="stats-totals")
        yield KeysFooter()

    def on_mount(self) -> None:
        self._fit_layout()

    def on_resize(self, event: Resize) -> None:
        self._fit_layout()

    def _fit_layout(self) -> None:
        # Side by side the panels are too narrow for the backlog chart's
        # 48 cells below this width: stack them.
        self.set_class(self.app.size.width < NARROW_BELOW, "-narrow")

    def _daily_panel(self, title: str, key: str) -> Vertical:
        days = self.stats.days
        values = [getattr(d, key) for d in days]
        first, last = days[0].date.strftime("%b %d"), "today"
        panel = Vertical(
            Sparkline(values, id=f"{key}-daily"),
            Label(f"{first}{last:>{42 - len(first)}}", classes="caption"),
            classes="panel daily",
        )
        panel.border_title = f"{title} (last {len(days)} days)"
        best = max(values, default=0)
        panel.border_subtitle = (
            f"{sum(values)} in {len(days)} days · best day {best} · today {values[-1]}"
        )
        return panel

    def _weekly_panel(self, title: str, key: str, values: list[int]) -> Vertical:
        weeks = self.stats.weeks
        panel = Vertical(
            BarRows(
                [
                    BarRow(_week_label(w.start), v, str(v))
                    for w, v in zip(weeks, values, strict=True)
                ],
                id=f"{key}-bars",
            ),
            classes="panel",
            id=key,
        )
        panel.border_title = title
        panel.border_subtitle = f"{sum(values)} in {len(values)} weeks · {values[-1]} this week"
        return panel

    def _totals(self) -> Text:
        data = self.stats
        text = Text()
        text.append(f"Notes written: {data.notes}", style="bold")
        counts = " · ".join(
            f"{STATUS_MARK[s]} {STATUS_LABEL[s]} {data.by_status[s]}" for s in Status
        )
        text.append(f"  ·  {data.papers} papers: {counts}")
        return text

    def action_scroll_body(self, where: str) -> None:
        scroll(self.query_one("#stats-body", VerticalScroll), where)

    def action_close(self) -> None:
        self.dismiss(None)
