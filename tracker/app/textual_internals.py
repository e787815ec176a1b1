"""Every use of Textual's private internals, in one place.

The rest of tracker/app uses Textual's public API only. What is here makes a
keystroke cost one frame instead of two, and a new result set a repaint
instead of a layout of the whole screen (see the README's "Performance"),
which the public API cannot do. Each helper says which private name it
relies on; :data:`PRIVATE_NAMES` lists them all, and
``tests/app/test_textual_internals.py`` fails, naming the missing one, when a
Textual release renames or drops any of them. ``pyproject.toml`` pins Textual
to the major release these were written for (8.x).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from math import ceil
from typing import cast

from textual._compositor import ChopsUpdate, Compositor
from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode
from textual.geometry import Region, Size
from textual.reactive import Reactive
from textual.screen import Screen
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.strip import Strip
from textual.widget import Widget

PRIVATE_NAMES: tuple[tuple[str, str, str], ...] = (
    ("Screen", "_on_timer_update", "a screen's frame timer: FramePacedScreen draws on demand"),
    ("App", "_batch_count", "whether batch_update() holds the screen: FramePacedScreen"),
    ("Widget", "_check_refresh", "hand a repaint request to the screen now: hand_over_repaints"),
    ("Widget", "_vertical_scrollbar", "a scroll view's scrollbar, if made: hand_over_repaints"),
    ("Widget", "_scroll_update", "scrollbars after the virtual size changed: set_virtual_height"),
    ("DOMNode", "_bindings", "a node's bindings by key: show_binding, keys_bound, own_bindings"),
    (
        "BindingsMap",
        "key_to_bindings",
        "a node's bindings by key: show_binding, keys_bound, own_bindings",
    ),
    ("Screen", "_compositor", "the screen's compositor, replaced: CoveredSkippingCompositor"),
    ("Compositor", "_render_chops", "a frame's lines, piece by piece: CoveredSkippingCompositor"),
    ("Compositor", "_dirty_regions", "what a frame redraws: CoveredSkippingCompositor"),
    ("Compositor", "_regions_to_spans", "what a frame redraws: CoveredSkippingCompositor"),
    ("Compositor", "cuts", "where widgets start and end per line: CoveredSkippingCompositor"),
    ("Compositor", "visible_widgets", "widgets front to back: CoveredSkippingCompositor"),
)
"""(class, private attribute, what relies on it) for every private name used here."""


def virtual_size_without_layout() -> Reactive[Size]:
    """A ``virtual_size`` reactive that repaints instead of laying out the screen.

    Textual's ``Widget.virtual_size`` reactive lays out the whole screen when it
    changes (a reflow and a repaint of every scrollbar, a third of a frame). A
    widget whose own size does not follow its content (the paper list, the
    filter box) redeclares it with this in its class body.
    """
    return Reactive(Size(0, 0), layout=False)


def set_virtual_height(view: ScrollView, rows: int) -> None:
    """Give ``view`` ``rows`` rows of content and update its scrollbar, without a layout.

    What ScrollView does after a layout (``Widget._scroll_update``); showing
    or hiding the scrollbar still lays out (its own reactive does). A
    scrollbar that stays shown and would be drawn the same (a thumb of one
    cell at the top whether 600 or 6,000 rows follow) is not redrawn:
    ``_scroll_update`` repaints it every time, and drawing it cost 0.3-0.7 ms
    of every keystroke's frame (measured at 10,000 papers).
    """
    bar = view._vertical_scrollbar
    if bar is not None and _bar_stays(view, bar, rows):
        view.virtual_size = Size(0, rows)
        bar.set_reactive(ScrollBar.window_virtual_size, rows)
        view.scroll_y = view.validate_scroll_y(view.scroll_y)  # as _scroll_update does
        return
    view.virtual_size = Size(0, rows)
    view._scroll_update(view.virtual_size)


def _bar_stays(view: ScrollView, bar: ScrollBar, rows: int) -> bool:
    """True when ``bar`` stays shown and looks the same with ``rows`` rows behind it."""
    height = view.container_size.height
    window = height - view.scrollbar_size_horizontal
    if (
        not view.show_vertical_scrollbar
        or view.styles.overflow_y not in ("auto", "scroll")
        or view.show_horizontal_scrollbar
        or (rows <= height and view.styles.overflow_y == "auto")  # "auto" would hide it
        or bar.window_size != window
    ):
        return False
    size, position = bar.size.height, bar.position
    return scrollbar_thumb(bar.window_virtual_size, window, size, position) == scrollbar_thumb(
        rows, window, size, position
    )


def scrollbar_thumb(
    virtual_size: int, window_size: int, size: int, position: float
) -> tuple[int, int] | None:
    """Where a vertical scrollbar of ``size`` cells draws its thumb, in eighths of a cell.

    The arithmetic of ``ScrollBar._render_bar`` and ``ScrollBarRender.render_bar``
    (None: no thumb); tests/app/test_textual_internals.py checks that two
    scrollbars with the same thumb are drawn the same by the installed Textual.
    """
    window = ceil(window_size) if window_size < virtual_size else 0
    virtual = ceil(virtual_size)
    if not (window and size and virtual and size != virtual):
        return None
    eighths = len(ScrollBarRender.VERTICAL_BARS)
    thumb = max(1, window / (virtual / size))
    offset = (size - thumb) * (position / (virtual - window))
    start = int(offset * eighths)
    return start, start + ceil(thumb * eighths)


def hand_over_repaints(widgets: Iterable[Widget]) -> None:
    """Have these widgets (and a scroll view's scrollbar) hand their repaints to the screen now.

    A widget hands its repaint request over on its own next turn of the event
    loop (``Widget._check_refresh``). Done now, a frame queued right after
    finds them all; one missed is drawn by the next frame.
    """
    for widget in widgets:
        widget._check_refresh()
        scrollbar = widget._vertical_scrollbar
        if scrollbar is not None:
            scrollbar._check_refresh()


def screen_updates_held(app: App[object]) -> bool:
    """True while ``App.batch_update()`` holds the screen (nothing is drawn)."""
    return bool(app._batch_count)


def show_binding(node: DOMNode, binding_id: str, show: bool) -> bool:
    """Show or hide the binding ``binding_id`` of ``node`` in the footer; True if it changed.

    The key keeps working either way. Textual has no public way to change a
    binding's ``show`` after the class is made (``DOMNode._bindings``,
    ``BindingsMap.key_to_bindings``); the caller refreshes the bindings.
    """
    changed = False
    by_key = node._bindings.key_to_bindings
    for key, bindings in list(by_key.items()):
        updated = [
            dataclasses.replace(b, show=show) if b.id == binding_id and b.show != show else b
            for b in bindings
        ]
        if updated != bindings:
            by_key[key] = updated
            changed = True
    return changed


def keys_bound(node: DOMNode) -> dict[str, frozenset[str]]:
    """The keys ``node`` binds, by action name (``status('read')`` → ``status``).

    After the user's keymap (``DOMNode._bindings``, ``BindingsMap.key_to_bindings``):
    the class's ``BINDINGS`` say only the default keys.
    """
    keys: dict[str, set[str]] = {}
    for key, bindings in node._bindings.key_to_bindings.items():
        for binding in bindings:
            keys.setdefault(binding.action.partition("(")[0], set()).add(key)
    return {action: frozenset(found) for action, found in keys.items()}


def own_bindings(node: DOMNode, key: str) -> list[Binding]:
    """``node``'s own non-priority bindings of ``key``, after the user's keymap
    (``DOMNode._bindings``, ``BindingsMap.key_to_bindings``): what Textual runs for
    the key once it has travelled up from the focused widget to the app."""
    return [b for b in node._bindings.key_to_bindings.get(key, ()) if not b.priority]


class CoveredSkippingCompositor(Compositor):
    """Textual's compositor, minus the widgets a frame cannot show.

    To draw the changed part of the screen, Textual renders every widget
    whose clip touches it (``Compositor._get_renders``), front to back, then
    cuts each widget's lines into pieces and keeps, per piece, the first one
    (``_render_chops``). A clip is the parent's area, so a keystroke's frame
    (the filter row and the paper list) also rendered the digests, the detail
    pane, the footer, the containers behind the list and the screen itself,
    all of whose pieces were already taken or outside the frame: 14 widgets
    rendered for 5 changed. This renders a widget only when some piece of its
    visible area that the update writes to the terminal is still free, and
    otherwise fills the pieces exactly as Textual does, so the frame is the
    same (``ChopsUpdate`` writes only the pieces over the changed spans). Measured at
    10,000 papers (benchmark queries, 3 alternated runs each), the CPU of a
    keystroke's frame: median 4.1-4.4 -> 3.6 ms.
    """

    def render_partial_update(self) -> ChopsUpdate | None:
        # Compositor.render_partial_update, but the pieces are made knowing the
        # spans the update writes (only those are drawn on the terminal).
        update_regions = self._dirty_regions.copy()
        self._dirty_regions.clear()
        if not update_regions:
            return None
        crop = Region.from_union(update_regions).intersection(self.size.region)
        spans = list(self._regions_to_spans(update_regions))
        by_line: dict[int, list[tuple[int, int]]] = {}
        for y, x1, x2 in spans:
            by_line.setdefault(y, []).append((x1, x2))
        chops = self._chops(crop, by_line.__contains__, by_line)
        chop_ends = [cut_set[1:] for cut_set in self.cuts]
        return ChopsUpdate(chops, spans, chop_ends)

    def _render_chops(
        self,
        crop: Region,
        is_rendered_line: Callable[[int], bool],
    ) -> Sequence[Mapping[int, Strip]]:
        return self._chops(crop, is_rendered_line, None)

    def _chops(
        self,
        crop: Region,
        is_rendered_line: Callable[[int], bool],
        spans: Mapping[int, list[tuple[int, int]]] | None,
    ) -> Sequence[Mapping[int, Strip]]:
        """The pieces of the lines drawn, as ``Compositor._render_chops`` makes them.

        ``spans``: per line, the columns written to the terminal; None: the
        crop's columns on every line drawn.
        """
        cuts = self.cuts
        chops: list[dict[int, Strip | None]] = [dict.fromkeys(cut_set[:-1]) for cut_set in cuts]
        intersection = Region.intersection
        crop_x, crop_y, crop_right, crop_bottom = crop.x, crop.y, crop.right, crop.bottom
        whole = [(crop_x, crop_right)]
        for widget, (region, clip) in self.visible_widgets.items():
            render_region = intersection(region, clip)
            if render_region.y >= crop_bottom or render_region.bottom <= crop_y:
                continue  # not on a line drawn
            render_x = render_region.x
            if render_x > crop_right or render_region.right <= crop_x:
                continue  # its pieces touch no span drawn (see below)
            first_cut, last_cut = render_region.column_span
            lines: list[int] = []
            needed = False
            for y in render_region.line_range:
                if not is_rendered_line(y):
                    continue
                lines.append(y)
                if needed:
                    continue
                # A piece runs from its cut to the next; it is needed if it is
                # still free and ChopsUpdate would look at it for the line's
                # spans (its test: touching a span's end counts, and is
                # written as a cursor move; the same bytes are kept).
                get = chops[y].get
                written = whole if spans is None else spans[y]
                start: int | None = None
                for cut in cuts[y]:
                    if cut < first_cut:
                        continue
                    if cut > last_cut:
                        break
                    if start is not None and get(start) is None:
                        for x1, x2 in written:
                            if start <= x2 and cut > x1:
                                needed = True
                                break
                        if needed:
                            break
                    start = cut
            if not needed:
                continue  # every piece it would give is taken, or not drawn
            if clip.contains_region(region):
                strips = widget.render_lines(Region(0, 0, region.width, region.height))
            else:
                strips = widget.render_lines(
                    Region(
                        render_x - region.x,
                        render_region.y - region.y,
                        render_region.width,
                        render_region.height,
                    )
                )
            top = render_region.y
            for y in lines:
                index = y - top
                if index >= len(strips):
                    break
                final_cuts = [cut for cut in cuts[y] if last_cut >= cut >= first_cut]
                chops_line = chops[y]
                get = chops_line.get
                pieces = strips[index].divide([cut - render_x for cut in final_cuts[1:]])
                for cut, strip in zip(final_cuts, pieces, strict=False):
                    if get(cut) is None:
                        chops_line[cut] = strip
        return cast("Sequence[Mapping[int, Strip]]", chops)


class FramePacedScreen(Screen[None]):
    """A screen that can draw a frame at once, and learns when a frame is out.

    Textual draws at most one frame per 1/60 s, from a timer that keeps to
    its grid (``Screen._on_timer_update``). :meth:`draw_now` runs that
    timer's work right away; :meth:`frame_drawn` is called after each frame
    the timer drew.
    """

    def __init__(
        self, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._compositor = CoveredSkippingCompositor()

    def draw_now(self) -> None:
        """Draw what waits now, after the repaint requests already queued.

        Left to Textual's frame timer it could wait up to 1/60 s more: a tick
        that fell inside a held update drew nothing, and the timer keeps to
        its grid.
        """
        self.call_later(self._on_timer_update)

    def frame_drawn(self) -> None:
        """Called after each frame (override it); not while updates are held."""

    def _on_timer_update(self) -> None:
        super()._on_timer_update()
        if not screen_updates_held(self.app):
            self.frame_drawn()
