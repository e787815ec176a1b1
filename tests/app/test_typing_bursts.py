"""Keys that arrive together, as a fast typist or a paste sends them.

A key that moves the focus (``/`` to the filter, ``i`` into the note) must
move it before the keys that follow it are handled: Textual's
``Widget.focus()`` moves it later (a callback queued behind those keys), so
``/mamba`` typed in one go marked papers read (``m``) instead of filtering,
and a note typed straight after ``i`` ran its letters as commands.
"""

from __future__ import annotations

from pathlib import Path

from textual import events

from tracker.app.widgets.detail_pane import NoteEditor
from tracker.app.widgets.paper_list import PaperList
from tracker.models import Status

SIZE = (120, 36)
_KEY_NAMES = {"/": "slash", " ": "space", "\r": "enter", "\x1b": "escape"}
BACKSPACE = "\x7f"
LEFT = "\x02"  # (a stand-in character for the left arrow key)


async def _ready(app, pilot) -> None:  # type: ignore[no-untyped-def]
    await app.workers.wait_for_complete()
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def _burst(app, text: str) -> None:  # type: ignore[no-untyped-def]
    """Queue every key of ``text`` before any of them is handled."""
    for char in text:
        if char == BACKSPACE:
            app.post_message(events.Key("backspace", "\x08"))
        elif char == LEFT:
            app.post_message(events.Key("left", None))
        elif char == "\x15":
            app.post_message(events.Key("ctrl+u", None))
        else:
            app.post_message(events.Key(_KEY_NAMES.get(char, char), char))


async def test_slash_and_a_query_typed_in_one_go_filter(seeded: Path, make_app, reopen) -> None:  # type: ignore[no-untyped-def]
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        _burst(app, "/mamba")
        await _ready(app, pilot)
        assert app.screen.query_one("#filter").value == "mamba"
        assert 0 < len(app.screen.query_one(PaperList).hits) < 114
    with reopen(seeded) as lib:
        assert not [p for p in lib.papers if lib.status(p.id) is not Status.NEW]


async def test_a_note_typed_straight_after_i_is_the_note(seeded: Path, make_app, reopen) -> None:  # type: ignore[no-untyped-def]
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        paper = app.screen.query_one(PaperList).current_paper
        _burst(app, "ithis is mamba")
        await _ready(app, pilot)
        assert app.focused is app.screen.query_one(NoteEditor)
        await pilot.press("escape")
        await _ready(app, pilot)
    with reopen(seeded) as lib:
        assert lib.annotation(paper.id).note == "this is mamba"
        assert not [p for p in lib.papers if lib.status(p.id) is not Status.NEW]


async def test_keys_after_leaving_the_filter_or_the_note_are_commands(  # type: ignore[no-untyped-def]
    seeded: Path, make_app, reopen
) -> None:
    """The other way: enter in the filter, then x at once marks the paper read."""
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        _burst(app, "/mamba")
        await _ready(app, pilot)
        _burst(app, "\rx")
        await _ready(app, pilot)
        plist = app.screen.query_one(PaperList)
        assert app.screen.query_one("#filter").value == "mamba"
        _burst(app, "ia note\x1bj")
        await _ready(app, pilot)
        assert app.focused is plist
    with reopen(seeded) as lib:
        read = [p for p in lib.papers if lib.status(p.id) is Status.READ]
        assert len(read) == 1 and "mamba" in read[0].title.casefold()
        noted = [p for p in lib.papers if lib.annotation(p.id).note]
        assert [lib.annotation(p.id).note for p in noted] == ["a note"]


async def test_keys_typed_before_i_run_first_on_the_list(  # type: ignore[no-untyped-def]
    seeded: Path, make_app, reopen
) -> None:
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        plist = app.screen.query_one(PaperList)
        first, third = plist.paper_at(0), plist.paper_at(2)
        _burst(app, "xjjithird\x1b")
        await _ready(app, pilot)
        assert plist.current_paper == third
    with reopen(seeded) as lib:
        assert lib.status(first.id) is Status.READ
        assert lib.annotation(third.id).note == "third"
        assert [p.id for p in lib.papers if lib.annotation(p.id).note] == [third.id]
        assert [p.id for p in lib.papers if lib.status(p.id) is not Status.NEW] == [first.id]


async def test_a_note_typed_straight_after_enter_is_the_note(  # type: ignore[no-untyped-def]
    seeded: Path, make_app, reopen
) -> None:
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        paper = app.screen.query_one(PaperList).current_paper
        _burst(app, "\rtyped at once\x1b")
        await _ready(app, pilot)
    with reopen(seeded) as lib:
        assert lib.annotation(paper.id).note == "typed at once"
        assert not [p for p in lib.papers if lib.status(p.id) is not Status.NEW]


async def test_backspaces_in_a_burst_run_before_the_letters_after_them(  # type: ignore[no-untyped-def]
    seeded: Path, make_app, reopen
) -> None:
    """A text box's own keys (backspace, arrows) in the order typed: found trying the app in
    tmux, "mamba", two backspaces and "x" sent at once left "mamb" in the filter (the x
    typed before the backspaces ran) and the same in a note."""
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        plist = app.screen.query_one(PaperList)
        _burst(app, f"/mamba{BACKSPACE * 2}x")
        await _ready(app, pilot)
        assert app.screen.query_one("#filter").value == "mamx"
        _burst(app, f"{BACKSPACE * 4}ssm{LEFT * 3}y")
        await _ready(app, pilot)
        assert app.screen.query_one("#filter").value == "yssm"
        _burst(app, "\x15")  # ctrl+u: what is left of the cursor goes
        await _ready(app, pilot)
        assert app.screen.query_one("#filter").value == "ssm"
        app.screen.query_one("#filter").value = ""
        _burst(app, "\r")  # to the list
        await _ready(app, pilot)
        paper = plist.current_paper
        _burst(app, f"ithe mamba{BACKSPACE * 2}x{LEFT}y\x1b")
        await _ready(app, pilot)
    with reopen(seeded) as lib:
        assert lib.annotation(paper.id).note == "the mamyx"
