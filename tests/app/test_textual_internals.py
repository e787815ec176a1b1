"""The private Textual names tracker/app/textual_internals.py relies on are still there.

When a Textual release renames or drops one, these tests fail with a message
that names it, instead of the app failing in a user's terminal (or, worse,
silently drawing a frame late).
"""

from __future__ import annotations

from typing import Any

import textual
from hypothesis import example, given, settings
from hypothesis import strategies as st
from rich.segment import Segment
from textual._compositor import Compositor
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode
from textual.geometry import Region
from textual.reactive import Reactive
from textual.screen import Screen
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBarRender
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Footer

from tracker.app import textual_internals
from tracker.app.textual_internals import (
    PRIVATE_NAMES,
    FramePacedScreen,
    hand_over_repaints,
    screen_updates_held,
    scrollbar_thumb,
    set_virtual_height,
    show_binding,
)

CLASSES: dict[str, type[Any]] = {
    "App": App,
    "Screen": Screen,
    "Widget": Widget,
    "DOMNode": DOMNode,
    "BindingsMap": BindingsMap,
    "Compositor": Compositor,
}


def _missing(owner: str, name: str, why: str, instances: dict[str, object]) -> str | None:
    """A sentence naming ``owner.name`` if neither the class nor a live instance has it."""
    if hasattr(CLASSES[owner], name) or hasattr(instances[owner], name):
        return None
    return (
        f"Textual {textual.__version__} has no {owner}.{name}: "
        f"tracker/app/textual_internals.py relies on it ({why})"
    )


class Rows(ScrollView):
    virtual_size: Reactive[Any] = textual_internals.virtual_size_without_layout()


class Paced(FramePacedScreen):
    BINDINGS = [Binding("f", "noop", "Fold", id="test.fold")]

    def __init__(self) -> None:
        super().__init__()
        self.frames = 0

    def compose(self) -> ComposeResult:
        yield Rows()
        yield Footer()

    def frame_drawn(self) -> None:
        self.frames += 1

    def action_noop(self) -> None:
        pass


class Host(App[None]):
    def on_mount(self) -> None:
        self.push_screen(Paced())


async def test_every_private_name_is_still_there() -> None:
    app = Host()
    async with app.run_test() as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, Paced)
        rows = screen.query_one(Rows)
        instances: dict[str, object] = {
            "App": app,
            "Screen": screen,
            "Widget": rows,
            "DOMNode": screen,
            "BindingsMap": screen._bindings,
            "Compositor": screen._compositor,
        }
        missing = [
            sentence
            for owner, name, why in PRIVATE_NAMES
            if (sentence := _missing(owner, name, why, instances)) is not None
        ]
        assert not missing, "\n".join(missing)


def test_virtual_size_is_still_a_reactive_to_redeclare() -> None:
    """virtual_size_without_layout() replaces Widget.virtual_size: it must be a reactive there."""
    assert isinstance(Widget.__dict__.get("virtual_size"), Reactive), (
        f"Textual {textual.__version__}: Widget.virtual_size is no longer a reactive; "
        "tracker/app/textual_internals.py (virtual_size_without_layout) redeclares it"
    )


async def test_the_helpers_do_what_they_say() -> None:
    app = Host()
    async with app.run_test(size=(60, 12)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, Paced)
        rows = screen.query_one(Rows)

        # frame_drawn follows the frames; draw_now draws one without waiting for the timer.
        before = screen.frames
        rows.refresh()
        screen.draw_now()
        await pilot.pause()
        assert screen.frames > before, "Screen._on_timer_update no longer draws the frames"

        # A new height reaches the scrollbar without a layout.
        set_virtual_height(rows, 500)
        await pilot.pause()
        assert rows.virtual_size.height == 500
        assert rows.max_scroll_y == 500 - rows.scrollable_content_region.height
        hand_over_repaints([rows])

        # Updates held by batch_update() are seen as held.
        assert not screen_updates_held(app)
        with app.batch_update():
            assert screen_updates_held(app)
        assert not screen_updates_held(app)

        # A binding leaves the footer and comes back; its key works throughout.
        def shown() -> bool:
            return any(
                b.binding.id == "test.fold" and b.binding.show
                for b in screen.active_bindings.values()
            )

        assert shown()
        assert show_binding(screen, "test.fold", False)
        assert not shown()
        assert not show_binding(screen, "test.fold", False)  # no change the second time
        assert "f" in screen.active_bindings
        assert show_binding(screen, "test.fold", True) and shown()


@settings(max_examples=500, deadline=None)
@given(
    size=st.integers(1, 40),
    window=st.integers(0, 40),
    first=st.integers(0, 3_000),
    second=st.integers(0, 3_000),
    position=st.integers(0, 3_000),
)
@example(size=20, window=20, first=300, second=360, position=0)  # thumbs of 1.3 and 1.1 cells
def test_scrollbars_with_the_same_thumb_are_drawn_the_same(
    size: int, window: int, first: int, second: int, position: int
) -> None:
    """set_virtual_height skips redrawing a scrollbar whose thumb stays: that must not show.

    scrollbar_thumb copies Textual's arithmetic; whenever it says two bars
    have the same thumb, the installed Textual must draw them alike.
    """
    where = float(min(position, max(0, min(first, second) - window)))

    def drawn(virtual: int) -> list[Segment]:
        shown = window if window < virtual else 0
        bar = ScrollBarRender.render_bar(
            size=size, virtual_size=virtual, window_size=shown, position=where, thickness=2
        )
        return list(bar.segments)

    if scrollbar_thumb(first, window, size, where) == scrollbar_thumb(second, window, size, where):
        assert drawn(first) == drawn(second)


async def test_a_scrollbar_skipped_by_set_virtual_height_looks_as_if_redrawn() -> None:
    app = Host()
    async with app.run_test(size=(60, 12)) as pilot:
        await pilot.pause()
        rows = app.screen.query_one(Rows)
        bar = rows.vertical_scrollbar

        def shown() -> list[Strip]:
            return bar.render_lines(Region(0, 0, bar.size.width, bar.size.height))

        for height in (500, 5_000, 60_000, 30, 12, 400, 100, 90, 2_000):
            set_virtual_height(rows, height)
            await pilot.pause()
            kept = shown()
            bar.refresh()  # what Textual's own update would have done
            assert bar.window_virtual_size == height
            assert shown() == kept, f"the scrollbar for {height} rows was left stale"
            assert rows.max_scroll_y == max(0, height - rows.scrollable_content_region.height)


async def test_skipping_covered_widgets_gives_the_frames_textual_gives(seeded, make_app) -> None:  # type: ignore[no-untyped-def]
    """CoveredSkippingCompositor fills every piece of a frame as Textual's own compositor.

    On the main screen (both layouts), for the change of each widget alone,
    of each pair of widgets, and of the whole screen: the same strips in
    every piece of a line drawn that the change covers (the pieces a partial
    update writes; the others it leaves as they are on the terminal), and the
    same partial update written to the terminal.
    """
    from itertools import combinations

    from tracker.app.textual_internals import CoveredSkippingCompositor

    for size in ((120, 36), (80, 24)):
        app = make_app(seeded)
        async with app.run_test(size=size) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            await pilot.press("slash", *"stat")
            await app.workers.wait_for_complete()
            await pilot.pause()
            compositor = app.screen._compositor
            assert isinstance(compositor, CoveredSkippingCompositor)
            areas = [
                region.intersection(clip) for region, clip in compositor.visible_widgets.values()
            ]
            changes = [[a] for a in areas] + [list(pair) for pair in combinations(areas, 2)]
            changes.append([compositor.size.region])
            for change in changes:
                crop = Region.from_union(change).intersection(compositor.size.region)
                lines = {y for area in change for y in area.line_range}
                ours = compositor._render_chops(crop, lines.__contains__)
                theirs = Compositor._render_chops(compositor, crop, lines.__contains__)
                # What a partial update writes to the terminal.
                compositor._dirty_regions.update(change)
                ours_update = compositor.render_partial_update()
                compositor._dirty_regions.update(change)
                theirs_update = Compositor.render_partial_update(compositor)
                assert ours_update is not None and theirs_update is not None
                assert ours_update.render_segments(app.console) == theirs_update.render_segments(
                    app.console
                ), (size, change)
                cuts = compositor.cuts
                for y in sorted(lines):
                    # The pieces a partial update writes: those over the change.
                    spans = [(a.x, a.right) for a in change if y in a.line_range]
                    for x, end in zip(cuts[y], cuts[y][1:], strict=False):
                        if any(x < right and end > left for left, right in spans):
                            assert ours[y].get(x) == theirs[y].get(x), (size, change, y, x)
