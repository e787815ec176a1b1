"""The private Textual names tracker/app/textual_internals.py relies on are still there.

When a Textual release renames or drops one, these tests fail with a message
that names it, instead of the app failing in a user's terminal (or, worse,
silently drawing a frame late).
"""

from __future__ import annotations

from typing import Any

import textual
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode
from textual.reactive import Reactive
from textual.screen import Screen
from textual.scroll_view import ScrollView
from textual.widget import Widget
from textual.widgets import Footer

from tracker.app import textual_internals
from tracker.app.textual_internals import (
    PRIVATE_NAMES,
    FramePacedScreen,
    hand_over_repaints,
    screen_updates_held,
    set_virtual_height,
    show_binding,
)

CLASSES: dict[str, type[Any]] = {
    "App": App,
    "Screen": Screen,
    "Widget": Widget,
    "DOMNode": DOMNode,
    "BindingsMap": BindingsMap,
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
