"""The note being typed reaches the disk without waiting for a pause in typing.

Autosave is a debounce with a maximum wait (text is on disk within a second
even while typing goes on), and anything that takes the editor away (focus,
another screen, the external editor, the app's exit) saves at once. Each test
checks annotations.json as another process reads it. Where the test is about
a flush, the autosave timers are made long, so only the flush can have saved.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tracker.app.screens.main import MainScreen
from tracker.app.screens.triage import NoteDialog, TriageScreen
from tracker.app.widgets import detail_pane
from tracker.app.widgets.detail_pane import NoteEditor
from tracker.app.widgets.paper_list import PaperList

SIZE = (120, 36)


def _note_on_disk(reopen, data_dir: Path, paper_id: str) -> str:  # type: ignore[no-untyped-def]
    with reopen(data_dir) as lib:
        return str(lib.annotation(paper_id).note)


@pytest.fixture
def no_autosave(monkeypatch: pytest.MonkeyPatch) -> None:
    """Autosave timers too long to fire within a test: only a flush can save."""
    monkeypatch.setattr(detail_pane, "AUTOSAVE_SECONDS", 60.0)
    monkeypatch.setattr(detail_pane, "AUTOSAVE_MAX_WAIT", 60.0, raising=False)


async def _start_typing(app, pilot, text: str) -> str:  # type: ignore[no-untyped-def]
    """Open the note of the highlighted paper and type ``text``; its paper id."""
    await app.workers.wait_for_complete()
    await pilot.pause()
    paper = app.screen.query_one(PaperList).current_paper
    await pilot.press("enter")
    assert isinstance(app.focused, NoteEditor)
    await pilot.press(*text)
    return str(paper.id)


async def test_continuous_typing_is_on_disk_within_a_second(  # type: ignore[no-untyped-def]
    seeded: Path, make_app, reopen, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The attack: typing without a pause for 12 s, then kill -9, lost the whole
    # note, because every key restarted the (then 0.6 s) autosave timer. Here
    # the pause that saves is made longer than the test: only the maximum
    # wait can save while the keys keep coming.
    monkeypatch.setattr(detail_pane, "AUTOSAVE_SECONDS", 60.0)
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        paper_id = await _start_typing(app, pilot, "")
        typed = ""
        typed_at: list[float] = []
        saved_while_typing = False
        start = time.monotonic()
        while time.monotonic() - start < 2.0:
            key = "abcdefghijklmnopqrstuvwxyz"[len(typed) % 26]
            await pilot.press(key)
            typed += key
            typed_at.append(time.monotonic())
            await pilot.pause(0.1)  # a key every ~0.1 s
            read_at = time.monotonic()
            on_disk = _note_on_disk(reopen, seeded, paper_id)
            assert typed.startswith(on_disk)
            # Everything typed more than a second before this read is on disk.
            assert len(on_disk) >= sum(1 for t in typed_at if read_at - t > 1.0)
            saved_while_typing |= bool(on_disk)
        assert saved_while_typing
        await pilot.press("escape")


async def test_a_pause_in_typing_still_saves_after_the_short_wait(
    seeded: Path, make_app, reopen
) -> None:  # type: ignore[no-untyped-def]
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        paper_id = await _start_typing(app, pilot, "one")
        await pilot.pause(detail_pane.AUTOSAVE_SECONDS + 0.3)
        assert _note_on_disk(reopen, seeded, paper_id) == "one"
        # A new burst has its own maximum wait, counted from its first key.
        await pilot.press(*" two")
        await pilot.pause(detail_pane.AUTOSAVE_MAX_WAIT + 0.3)
        assert _note_on_disk(reopen, seeded, paper_id) == "one two"


async def test_moving_focus_saves_at_once(seeded: Path, make_app, reopen, no_autosave) -> None:  # type: ignore[no-untyped-def]
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        paper_id = await _start_typing(app, pilot, "focus moved")
        await pilot.press("tab")
        await pilot.pause()
        assert not isinstance(app.focused, NoteEditor)
        assert _note_on_disk(reopen, seeded, paper_id) == "focus moved"


async def test_the_command_palette_covering_the_editor_saves_at_once(
    seeded: Path, make_app, reopen, no_autosave
) -> None:  # type: ignore[no-untyped-def]
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        paper_id = await _start_typing(app, pilot, "palette")
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert not isinstance(app.screen, MainScreen)
        assert _note_on_disk(reopen, seeded, paper_id) == "palette"


@pytest.mark.parametrize(
    ("action", "screen_name"),
    [
        ("screen.whats_new", "WhatsNewScreen"),
        ("screen.stats", "StatsScreen"),
        ("screen.triage", "TriageScreen"),
        ("screen.tags", "TagDialog"),
        ("screen.export", "ExportDialog"),
        ("screen.watch_list", "WatchListDialog"),
        ("screen.import_files", "ImportDialog"),
        ("app.help", "HelpScreen"),
    ],
)
async def test_every_other_screen_saves_the_note_at_once(  # type: ignore[no-untyped-def]
    seeded: Path, make_app, reopen, no_autosave, action: str, screen_name: str
) -> None:
    # The actions run as the command palette runs them: with the note
    # editor still focused and its text not yet saved.
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        paper_id = await _start_typing(app, pilot, "covered")
        await app.run_action(action, app.screen)
        await pilot.pause()
        assert type(app.screen).__name__ == screen_name
        assert _note_on_disk(reopen, seeded, paper_id) == "covered"


async def test_the_triage_note_dialog_saves_when_covered(
    seeded: Path, make_app, reopen, no_autosave
) -> None:  # type: ignore[no-untyped-def]
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("T")
        await pilot.pause()
        assert isinstance(app.screen, TriageScreen)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NoteDialog)
        paper_id = app.screen.paper_id
        await pilot.press(*"triage note", "ctrl+p")
        await pilot.pause()
        assert _note_on_disk(reopen, seeded, paper_id) == "triage note"


async def test_the_external_editor_starts_from_the_text_just_typed(  # type: ignore[no-untyped-def]
    seeded: Path, make_app, reopen, no_autosave, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `E` run while the editor holds unsaved text. Before, that text went into
    # a posted Save that was handled only after the external editor closed:
    # the editor showed the old note and the late Save then overwrote what
    # was written there.
    seen: list[str] = []

    def fake_editor(text: str, **_: object) -> str:
        seen.append(text)
        return text + " and more"

    monkeypatch.setattr("tracker.app.screens.main.notes.edit_text", fake_editor)
    app = make_app(seeded)

    @contextlib.contextmanager
    def suspend() -> Iterator[None]:
        # The headless driver cannot suspend; Textual's suspend() tells its
        # subscribers first, as this does.
        app.app_suspend_signal.publish(app)
        yield

    monkeypatch.setattr(app, "suspend", suspend)
    async with app.run_test(size=SIZE) as pilot:
        paper_id = await _start_typing(app, pilot, "typed")
        await app.run_action("screen.external_editor", app.screen)
        await pilot.pause()
        await pilot.pause()
        assert seen == ["typed"]
        assert _note_on_disk(reopen, seeded, paper_id) == "typed and more"


async def test_an_exit_other_than_quit_saves_the_note(
    seeded: Path, make_app, reopen, no_autosave
) -> None:  # type: ignore[no-untyped-def]
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        paper_id = await _start_typing(app, pilot, "exit")
        app.exit()
        await pilot.pause()
    assert _note_on_disk(reopen, seeded, paper_id) == "exit"
