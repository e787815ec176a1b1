"""The paper list: a Line-API ScrollView that renders only the visible rows.

A widget per paper (ListView, DataTable, OptionList) takes seconds to build at
10,000 rows and stalls at 100,000. This list keeps the search hits (plain
positions into the library) and draws each visible line on demand from them,
so a new result set costs nothing beyond the search itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.color import Color
from rich.segment import Segment, Segments
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Offset, Region, Size
from textual.message import Message
from textual.reactive import Reactive, reactive
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBarRender
from textual.strip import Strip
from textual.style import Style as TextualStyle

from tracker.app.focus_now import in_typed_order
from tracker.app.text import clean, marks_of, one_line
from tracker.app.textual_internals import set_virtual_height, virtual_size_without_layout
from tracker.app.widgets.digest_column import DigestColumn
from tracker.app.widgets.paper_row import RowParts, RowStyles, render_row
from tracker.latex import to_unicode_spans
from tracker.library import Library
from tracker.library.digest_order import newest_first
from tracker.library.search_request import NO_HITS, HitList
from tracker.models import Paper, Status

_BACK = Color.parse("#555555")  # ScrollBarRender.render_bar's defaults
_BAR = Color.parse("bright_magenta")


class FittingScrollBarRender(ScrollBarRender):
    """The list's scrollbar: Textual's, but blank, in the list's background, while every row fits.

    With ``overflow-y: auto`` Textual hid the scrollbar when the rows fit and
    showed it again when they did not, and either laid out the whole screen
    (measured at 10,000 papers: a keystroke going from a dozen hits to
    hundreds took 6-9 ms to draw its list instead of 3-4). The list keeps its
    scrollbar shown (``overflow-y: scroll``) and this draws it, while there is
    nothing to scroll, as the gutter looked without it (``scrollbar-gutter:
    stable``): blank cells in the list's background.
    """

    @classmethod
    def render_bar(
        cls,
        size: int = 25,
        virtual_size: float = 50,
        window_size: float = 20,
        position: float = 0,
        thickness: int = 1,
        vertical: bool = True,
        back_color: Color = _BACK,
        bar_color: Color = _BAR,
    ) -> Segments:
        if window_size and size and virtual_size and size != virtual_size:
            return super().render_bar(
                size,
                virtual_size,
                window_size,
                position,
                thickness,
                vertical,
                back_color,
                bar_color,
            )
        # No thumb (Textual's test): cells with no style of their own take the widget's.
        blank = Segment(cls.BLANK_GLYPH * (thickness if vertical else 1))
        if vertical:
            return Segments([blank] * int(size), new_lines=True)
        return Segments(([blank] * int(size) + [Segment.line()]) * thickness, new_lines=False)


class PaperList(ScrollView, can_focus=True):
    """The list of papers matching the current filter."""

    DEFAULT_CSS = """
    PaperList {
        background: $surface;
        scrollbar-gutter: stable;
        overflow-x: hidden;
        /* Always shown, blank while every row fits (see FittingScrollBarRender). */
        overflow-y: scroll;
    }
    PaperList > .paper-list--cursor { background: $boost; }
    PaperList:focus > .paper-list--cursor { background: $accent 40%; }
    /* Without colours (NO_COLOR) a background of another shade may not show: reverse video does. */
    PaperList:nocolor > .paper-list--cursor { text-style: reverse; }
    PaperList > .paper-list--match { color: $warning; text-style: bold underline; }
    PaperList > .paper-list--new { text-style: bold; }
    PaperList > .paper-list--done { color: $text-muted; }
    PaperList > .paper-list--digest { color: $text-muted; }
    PaperList > .paper-list--tag { color: $accent; }
    PaperList > .paper-list--selected { color: $secondary; text-style: bold; }
    PaperList > .paper-list--to-read { color: $success; }
    PaperList > .paper-list--reading { color: $warning; }
    PaperList > .paper-list--read { color: $text-muted; }
    PaperList > .paper-list--skipped { color: $error 70%; }
    PaperList > .paper-list--empty { color: $text-muted; text-style: italic; }
    PaperList > .paper-list--watched { color: $accent; text-style: bold; }
    """

    COMPONENT_CLASSES = {
        "paper-list--cursor",
        "paper-list--match",
        "paper-list--new",
        "paper-list--done",
        "paper-list--digest",
        "paper-list--tag",
        "paper-list--selected",
        "paper-list--to-read",
        "paper-list--reading",
        "paper-list--read",
        "paper-list--skipped",
        "paper-list--empty",
        "paper-list--watched",
    }

    # Priority: run as the key is taken, in the order typed, with the main
    # screen's keys (tracker/app/focus_now.py). A widget's bindings are in the
    # chain only while it (or a child) has the focus, so these stay the list's.
    BINDINGS = in_typed_order(
        [
            Binding("down,j", "cursor_down", "Down", show=False, id="list.down"),
            Binding("up,k", "cursor_up", "Up", show=False, id="list.up"),
            Binding("pagedown,ctrl+f", "page_down", "Page down", show=False, id="list.page_down"),
            Binding("pageup,ctrl+b", "page_up", "Page up", show=False, id="list.page_up"),
            Binding("ctrl+d", "half_page(1)", "Half page down", show=False, id="list.half_down"),
            Binding("ctrl+u", "half_page(-1)", "Half page up", show=False, id="list.half_up"),
            Binding("home,g", "first", "First", show=False, id="list.first"),
            Binding("end,G", "last", "Last", show=False, id="list.last"),
            Binding("space,v", "toggle_select", "Select", show=False, id="list.select"),
            Binding("ctrl+a", "select_all", "Select all", show=False, id="list.select_all"),
            Binding("enter", "activate", "Write note", show=False, id="list.activate"),
        ]
    )

    virtual_size: Reactive[Size] = virtual_size_without_layout()
    """One row per hit. A new result set changes it on every keystroke; the
    stock reactive re-lays out the whole screen for that (a reflow and a
    repaint of every scrollbar), though the list's own size stays the same."""

    cursor: reactive[int] = reactive(0, always_update=True, init=False)
    """Index of the highlighted row in ``hits``."""

    @dataclass
    class Highlighted(Message):
        """The cursor moved to another paper (or to none)."""

        paper_list: PaperList
        paper_id: str | None
        by_search: bool = False
        """True when a new result set moved the cursor (not the user)."""

        @property
        def control(self) -> PaperList:
            return self.paper_list

        def can_replace(self, message: Message) -> bool:
            # Holding j down: only the latest position matters.
            return isinstance(message, PaperList.Highlighted)

    @dataclass
    class SelectionChanged(Message):
        count: int

    def __init__(self, library: Library, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.library = library
        self._hits: HitList = NO_HITS
        self._hits_order = library.order_serial
        self.cursor_paper_id: str | None = None
        """The id of the cursor's paper, kept while results found before papers' positions
        moved show as none (see :attr:`hits`), so that the next results find it again."""
        self._old_hits: list[HitList] = []
        self.selected: set[str] = set()
        self._empty_message = "Loading papers…"
        self.on_activate: Callable[[], None] | None = None
        """Enter (or a double click) on a paper: set by the screen to open its
        note. Called, not posted as a message: the note must have the focus
        before the app takes the keys typed after enter (tracker/app/focus_now.py)."""
        self._cache: LRUCache[tuple[int, int, bool, bool], Strip] = LRUCache(512)
        self._rows_serial = 0
        """Changed whenever the rows drawn so far become stale (see :meth:`_forget_rows`)."""
        self._lines: dict[int, tuple[tuple[object, ...], Strip]] = {}
        """Screen line -> (what it was drawn from, the finished line): see :meth:`render_lines`."""
        self._plain: bool | None = None
        self._digest_labels: dict[str, str] = {}
        self._digest_column: DigestColumn | None = None
        """Worked out from every digest when first drawn after they changed (not per keystroke)."""
        self._digest_rank: dict[str, int] | None = None  # digest id -> place, newest day first
        self._moved_by_search = False
        self._base_style: Style | None = None
        self._frame_geometry: tuple[Offset, int] | None = None
        # Component styles by (name, focused): looked up four times a row
        # otherwise, through every ancestor's CSS (a fifth of a row's time).
        self._row_style_cache: dict[tuple[str, bool], Style] = {}
        self._row_styles_cache: dict[tuple[Status, bool, bool, bool, bool], RowStyles] = {}
        self._digest_cells: dict[tuple[str, int], str] = {}
        """A digest's cell in the column (with ``+N``), for the rows drawn since the
        labels were last looked up (see :meth:`set_hits`)."""

    @property
    def empty_message(self) -> str:
        """What the list says when nothing matches."""
        return self._empty_message

    @empty_message.setter
    def empty_message(self, text: str) -> None:
        if text != self._empty_message:
            self._empty_message = text
            self._forget_rows()

    def _forget_rows(self) -> None:
        """The rows drawn so far are stale (new hits, annotations, styles, size)."""
        self._cache.clear()
        self._rows_serial += 1

    # -- data ------------------------------------------------------------
    @property
    def hits(self) -> HitList:
        """The results shown: none once papers' positions moved since they were found.

        Another process's undo or forget, taken in by the library (every second,
        or before one of the app's own writes), removes papers: the results'
        positions then name other papers or none, and the list showed the
        wrong ones or ended the app (an IndexError) until the next search.
        """
        if self.stale:
            return NO_HITS
        return self._hits

    @property
    def stale(self) -> bool:
        """True when papers' positions moved since the results shown were found."""
        return self._hits_order != self.library.order_serial

    def set_hits(
        self, hits: HitList, *, keep_paper: str | None = None, order_serial: int | None = None
    ) -> None:
        """Show new results; keep the cursor on ``keep_paper`` if it is still there.

        ``order_serial``: the library's when the results were found (the search's
        start); results found before papers' positions moved show as none.
        """
        del self._old_hits[:-1]  # the screen frees them after each results' frame
        self._old_hits.append(self._hits)
        self._hits = hits
        self._hits_order = self.library.order_serial if order_serial is None else order_serial
        hits = self.hits
        self._forget_rows()
        # Looked up for the rows drawn (a few digests), not for every digest
        # on every keystroke: a label reads its date (0.1 ms for 100 digests).
        self._digest_labels = {}
        self._digest_cells = {}
        if self.virtual_size.height != len(hits):
            set_virtual_height(self, len(hits))
        index = 0
        # A paper gone meanwhile (an undone import) is kept nowhere.
        if keep_paper is not None and self.library.has_paper(keep_paper):
            keep_pos = self.library.position(keep_paper)
            index = hits.index_of(keep_pos) or 0
        self._moved_by_search = True
        self.cursor = index
        self._moved_by_search = False
        paper = self.current_paper  # also when the cursor stayed on its row (no watch)
        self.cursor_paper_id = paper.id if paper else None
        self.scroll_to(y=max(0, index - self.size.height // 3), animate=False)
        self.refresh()

    def release_old_hits(self) -> None:
        """Free the result sets replaced since the last call (up to 100,000 positions each:
        freeing one took a millisecond or two of the next results' frame)."""
        self._old_hits.clear()

    def refresh_rows(self) -> None:
        """Redraw after annotations changed (status marks, note markers)."""
        self._forget_rows()
        self.refresh()

    @property
    def current_paper(self) -> Paper | None:
        if 0 <= self.cursor < len(self.hits):
            return self.library.papers[self.hits.pos_at(self.cursor)]
        return None

    def paper_at(self, row: int) -> Paper:
        return self.library.papers[self.hits.pos_at(row)]

    @property
    def target_ids(self) -> list[str]:
        """What a status key acts on: the selection if any, else the current paper."""
        if self.selected:
            return [
                self.paper_at(i).id
                for i in range(len(self.hits))
                if self.paper_at(i).id in self.selected
            ]
        paper = self.current_paper
        return [paper.id] if paper else []

    def clear_selection(self) -> None:
        if self.selected:
            self.selected.clear()
            self.refresh_rows()
            self.post_message(self.SelectionChanged(0))

    def move_to_next(self, predicate: Callable[[Paper], bool]) -> bool:
        """Move the cursor to the next row after it whose paper matches; False if none."""
        for row in range(self.cursor + 1, len(self.hits)):
            if predicate(self.paper_at(row)):
                self.cursor = row
                return True
        return False

    # -- rendering -------------------------------------------------------
    def render_lines(self, crop: Region) -> list[Strip]:
        # Textual asks for a frame's rows one render_line at a time; the
        # scroll offset and the row width are the same for all of them (and
        # cost more to compute than the cached row itself).
        self._frame_geometry = (self.scroll_offset, self.scrollable_content_region.width)
        try:
            if not self._is_plain():
                return super().render_lines(crop)
            return self._finished_lines(crop)
        finally:
            self._frame_geometry = None

    def _is_plain(self) -> bool:
        """True when the list has no border, padding, outline, tint or opacity of its own.

        Then a line is its row and the app's line filters (colours for the
        terminal, NO_COLOR), which :meth:`_finished_lines` applies itself.
        """
        if self._plain is None:
            styles = self.styles
            self._plain = (
                not any(styles.padding)
                and not any(edge for edge, _ in styles.border)
                and not any(edge for edge, _ in styles.outline)
                and styles.tint.a == 0
                and styles.opacity == 1.0
                and styles.text_opacity == 1.0
                and (not styles.has_rule("hatch") or styles.hatch == "none")
            )
        return self._plain

    def _finished_lines(self, crop: Region) -> list[Strip]:
        """The lines Textual's line cache would give, without its cost.

        Textual finishes every line it asks ``render_line`` for (border and
        padding checks, tint, opacity, the terminal's colours), about 40 µs
        a line, a millisecond of every keystroke's frame at 10,000 papers;
        the list has none of those but the colours. A finished line is kept
        until anything it was drawn from changes, so a frame for another
        widget (the filter's blinking cursor) does not redraw the list.
        """
        width = self.size.width
        content_width = self.content_region.width
        base_background, background = self.background_colors
        inner = TextualStyle(background=base_background + background).rich_style
        filters = tuple(self.get_line_filters())
        frame = (
            self._rows_serial,  # new hits, annotations, styles, size
            self.scroll_offset,
            self.cursor,
            self.has_focus,
            content_width,
            self.scrollable_content_region.width,
            inner,
            background,
            filters,
        )
        lines = self._lines
        render_line = self.render_line
        strips: list[Strip] = []
        for y in crop.line_range:
            done = lines.get(y)
            if done is None or done[0] != frame:
                strip = render_line(y).adjust_cell_length(content_width, inner)
                for line_filter in filters:
                    strip = strip.apply_filter(line_filter, background)
                done = lines[y] = (frame, strip)
            strips.append(done[1])
        if crop.column_span != (0, width):
            x1, x2 = crop.column_span
            strips = [strip.crop(x1, x2) for strip in strips]
        return strips

    def render_line(self, y: int) -> Strip:
        geometry = self._frame_geometry
        if geometry is None:
            geometry = (self.scroll_offset, self.scrollable_content_region.width)
        (scroll_x, scroll_y), width = geometry
        row = scroll_y + y
        if not self.hits:
            if y == 1:
                style = self.get_component_rich_style("paper-list--empty")
                return Strip([Segment(f"  {self.empty_message}", style)]).crop_extend(
                    0, width, self.rich_style
                )
            return Strip.blank(width, self.rich_style)
        if row >= len(self.hits):
            return Strip.blank(width, self.rich_style)
        is_cursor = row == self.cursor
        # The cursor row looks different when the list has focus.
        key = (row, width, is_cursor, is_cursor and self.has_focus)
        strip = self._cache.get(key)
        if strip is None:
            strip = self._render_row(row, width, is_cursor)
            self._cache[key] = strip
        return strip.crop(scroll_x, scroll_x + width)

    def _render_row(self, row: int, width: int, is_cursor: bool) -> Strip:
        hit = self.hits[row]
        library = self.library
        paper = library.papers[hit.pos]
        ann = library.annotations.get(paper.id)
        status = ann.status if ann else Status.NEW
        label = ""
        if width >= 60 and paper.digests:
            digests = paper.digests
            latest = digests[0] if len(digests) == 1 else self._latest_digest(digests)
            label = self._digest_cell(latest, len(digests) - 1)
        tags = ""
        if ann and ann.tags and width >= 40:
            # At most a quarter of the row: the title stays the thing to read.
            tags = " ".join("#" + clean(t) for t in ann.tags)
            most = max(4, width // 4)
            if len(tags) > most:
                tags = tags[: most - 1] + "…"
            tags += " " if label else ""
        selected = paper.id in self.selected
        watched = library.watch_match(paper.id) is not None
        app = self.app
        marks = marks_of(app)
        # arXiv's LaTeX shown as Unicode, the matched words still highlighted.
        title, spans = to_unicode_spans(paper.title, hit.title_spans)
        # Each column is a different shape, so nothing depends on colour alone.
        row_parts = RowParts(
            selected=marks.selected if selected else " ",
            mark=marks.status[status],
            note=marks.note + " " if ann and ann.note.strip() else "  ",
            title=one_line(title),
            spans=spans,
            tags=tags,
            label=label,
            watched=marks.watched if watched else " ",
        )
        styles = self._row_styles(status, selected, watched, is_cursor)
        return render_row(row_parts, styles, width, app.console)

    def _row_styles(self, status: Status, selected: bool, watched: bool, cursor: bool) -> RowStyles:
        """The styles of a row's parts, made once per kind of row (not for every row drawn:
        a new result set draws some forty, and their styles are a handful)."""
        key = (status, selected, watched, cursor, self.has_focus)
        found = self._row_styles_cache.get(key)
        if found is not None:
            return found
        style = self._component_style
        base = self._base_style
        if base is None:
            # Computed from every ancestor's styles: too slow to do per row.
            base = self._base_style = self.rich_style
        if cursor:
            base = base + style("paper-list--cursor")
        title_style: Style | None = None
        if status is Status.NEW:
            title_style = style("paper-list--new")
        elif status in (Status.READ, Status.SKIPPED):
            title_style = style("paper-list--done")
        found = self._row_styles_cache[key] = RowStyles(
            base=base,
            selected=style("paper-list--selected") if selected else None,
            mark=style(f"paper-list--{status.value}") if status is not Status.NEW else Style(),
            title=title_style,
            match=style("paper-list--match"),
            tags=style("paper-list--tag"),
            label=style("paper-list--digest"),
            watched=style("paper-list--watched") if watched else None,
        )
        return found

    def _digest_cell(self, digest_id: str, others: int) -> str:
        """The digest column's text for a paper of ``digest_id`` and ``others`` more digests."""
        key = (digest_id, others)
        cell = self._digest_cells.get(key)
        if cell is None:
            label = self._digest_label(digest_id)
            cell = self._digest_cells[key] = self._column().cell(label, others) if label else ""
        return cell

    def _latest_digest(self, digest_ids: list[str]) -> str:
        """The paper's digest of the newest day, as the sidebar orders them (not the last
        imported: a page of an older day imported later is not the paper's latest)."""
        rank = self._digest_rank
        if rank is None:
            order = newest_first(self.library.digests)
            rank = self._digest_rank = {d.id: n for n, d in enumerate(order)}
        return min(digest_ids, key=lambda d: rank.get(d, len(rank)))

    def digests_changed(self) -> None:
        """The library's digests changed (import, forget, rename, undo): redraw the column."""
        self._digest_column = None
        self._digest_rank = None
        self._digest_cells = {}
        self._forget_rows()
        self.refresh()

    def _column(self) -> DigestColumn:
        column = self._digest_column
        if column is None:
            digests = self.library.digests
            # Some paper is in two digests when the digests list more papers than there are.
            listed = sum(len(d.paper_ids) for d in digests)
            column = self._digest_column = DigestColumn.of(
                (d.display_label for d in digests), several=listed > len(self.library)
            )
        return column

    def _digest_label(self, digest_id: str) -> str:
        """The digest's label as the row shows it (asked once per digest and result set)."""
        label = self._digest_labels.get(digest_id)
        if label is None:
            try:
                label = self.library.digest(digest_id).display_label
            except KeyError:  # a paper of a digest forgotten meanwhile: no label
                label = ""
            self._digest_labels[digest_id] = label
        return label

    def notify_style_update(self) -> None:
        # Styles changed (theme, CSS, pseudo-classes): rows drawn so far are stale.
        super().notify_style_update()
        self._base_style = None
        self._plain = None
        self._row_style_cache.clear()
        self._row_styles_cache.clear()
        self._forget_rows()

    def _component_style(self, name: str) -> Style:
        key = (name, self.has_focus)
        found = self._row_style_cache.get(key)
        if found is None:
            found = self.get_component_rich_style(name)
            if name != "paper-list--cursor":
                # A component's style carries the list's background: laid
                # over the cursor's row it painted every part but the plain
                # ones in the list's colour, so only the status mark looked
                # highlighted. Its colour and text style are what it adds.
                found = _without_background(found)
            self._row_style_cache[key] = found
        return found

    def on_mount(self) -> None:
        # Textual's way to draw one scrollbar differently (ScrollBar.renderer's
        # docstring), which its type, a ClassVar, does not allow for.
        self.vertical_scrollbar.renderer = FittingScrollBarRender  # type: ignore[misc]

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        self._forget_rows()
        set_virtual_height(self, len(self.hits))

    # -- cursor ----------------------------------------------------------
    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self.hits) - 1)) if self.hits else 0

    def watch_cursor(self, old: int, new: int) -> None:
        width = self.scrollable_content_region.width
        for row in (old, new):
            for key in (
                (row, width, False, False),
                (row, width, True, False),
                (row, width, True, True),
            ):
                self._cache.discard(key)
        self.refresh()
        self._scroll_cursor_into_view()
        paper = self.current_paper
        if not self.stale:  # else it is the paper to find again in the next results
            self.cursor_paper_id = paper.id if paper else None
        self.post_message(
            self.Highlighted(self, paper.id if paper else None, by_search=self._moved_by_search)
        )

    def _scroll_cursor_into_view(self) -> None:
        height = self.scrollable_content_region.height
        top = self.scroll_offset.y
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif height and self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False)

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_page_down(self) -> None:
        self.cursor += max(1, self.scrollable_content_region.height - 1)

    def action_page_up(self) -> None:
        self.cursor -= max(1, self.scrollable_content_region.height - 1)

    def action_half_page(self, direction: int) -> None:
        self.cursor += direction * max(1, self.scrollable_content_region.height // 2)

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self.hits) - 1

    def action_toggle_select(self) -> None:
        paper = self.current_paper
        if paper is None:
            return
        self.selected.symmetric_difference_update({paper.id})
        self._forget_rows()
        self.post_message(self.SelectionChanged(len(self.selected)))
        self.cursor += 1

    def action_select_all(self) -> None:
        ids = {self.paper_at(i).id for i in range(len(self.hits))}
        self.selected = set() if ids <= self.selected else ids
        self.refresh_rows()
        self.post_message(self.SelectionChanged(len(self.selected)))

    def action_activate(self) -> None:
        if self.current_paper is not None and self.on_activate is not None:
            self.on_activate()

    def on_click(self, event: events.Click) -> None:
        row = self.scroll_offset.y + event.y
        if 0 <= row < len(self.hits):
            self.cursor = row
            if event.chain == 2:
                self.action_activate()


def _without_background(style: Style) -> Style:
    """``style`` with no background of its own (the row's shows through)."""
    return Style(
        color=style.color,
        bold=style.bold,
        dim=style.dim,
        italic=style.italic,
        underline=style.underline,
        strike=style.strike,
        reverse=style.reverse,
    )
