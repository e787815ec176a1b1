"""Hostile text is shown literally everywhere in the app, and never drives the terminal.

A library whose titles, abstracts, authors, tags, note, digest label, saved
searches, watch list and file names hold markup (``[/bold]`` crashed the app
with MarkupError, ``[@click=app.quit]`` in a title made the `y` toast a quit
button), terminal escapes (a note holding ``ESC ]0;pwned BEL ESC [2J`` set the
window title and cleared the screen) and bidi overrides or zero-width
characters (one title pretending to be another). The test visits every
screen, dialog and toast with it; after each step no escape, bidi control or
zero-width character is on screen and the markup is there as typed.

The hostile text reaches the library the ways it can: an HF JSON import (the
parsers may strip controls at import; the app must not rely on it), a file
name as digest label, the note and tags as a merged backup may carry them,
and config.toml / keymap.toml edited by hand.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from textual.content import Content
from textual.widgets import Input, Label, Static
from waiting import wait_for

from tracker.app.app import TrackerApp
from tracker.app.screens.main import MainScreen
from tracker.app.text import REPLACEMENT, as_markup, clean, clean_note, one_line
from tracker.app.widgets.detail_pane import DetailPane, NoteEditor
from tracker.app.widgets.paper_list import PaperList
from tracker.library import Library

SIZE = (130, 40)
MARKUP = "[/bold]x[/i] [@click=app.quit]click[/]"
ESCAPES = "\x1b]0;pwned\x07\x1b[2J\x9b31m"
DISGUISE = "\u202egnp.exe\u202c zero\u200bwidth\ufeff"
EVIL = f"{MARKUP} {ESCAPES} {DISGUISE}"
TITLE = f"Evil paper {EVIL}"
UNSAFE_ON_SCREEN = ("\x1b", "\x07", "\x9b", "\u202e", "\u202c", "\u200b", "\ufeff")


def _hf_json(title: str) -> bytes:
    item = {
        "paper": {
            "id": "2410.05258",
            "authors": [{"name": f"Ann {EVIL}"}, {"name": "Bob"}],
            "publishedAt": "2024-10-07T17:59:58.000Z",
            "title": title,
            "summary": f"An abstract with {EVIL} inside it, long enough to be prose. " * 3,
            "upvotes": 3,
        },
        "publishedAt": "2024-10-07T17:59:58.000Z",
        "title": title,
    }
    return json.dumps([item]).encode()


def _undated_digest() -> bytes:
    abstract = "A second paper whose abstract is long enough to be prose for the parser. " * 3
    return f"Daily Papers\n\nA calm second paper\n\n{abstract}\n".encode()


@pytest.fixture
def hostile(data_dir: Path, tmp_path: Path) -> tuple[Path, str]:
    """The data dir and the hostile paper's id; config.toml and keymap.toml hostile too."""
    with Library.open(data_dir) as lib:
        lib.import_bytes(_hf_json(TITLE), source="daily.json", format="hf-json")
        # A page without a date line takes its label from the file name.
        lib.import_bytes(_undated_digest(), source=f"{EVIL}.txt", date="2024-10-08")
        pid = next(p.id for p in lib.papers if p.title.startswith("Evil"))
        lib.set_note(pid, f"{ESCAPES} [b]note[/b] {DISGUISE}")
        lib.add_tags([pid], ["x[/i]", "[/bold]", "t\x1b[2J", "z\u200bw"])
    config = tmp_path / "config"
    config.mkdir()
    (config / "config.toml").write_text(
        "[watch]\nterms = ['evil', '\"[/i]\"']\n\n"
        '[searches]\n"[/bold] s\\u001b[2J\\u202e" = "x[/i]"\n',
        encoding="utf-8",
    )
    return data_dir, pid


def _assert_safe(app: TrackerApp, *shown: str) -> None:
    """Nothing on screen can drive the terminal or hide; ``shown`` is on screen as written."""
    svg = app.export_screenshot()
    for char in UNSAFE_ON_SCREEN:
        assert char not in svg, f"{char!r} reached the screen on {type(app.screen).__name__}"
    flat = svg.replace("&#160;", " ").replace("&amp;", "&").replace("&#x27;", "'")
    for text in shown:
        assert text in flat, f"{text!r} is not shown literally on {type(app.screen).__name__}"


def _shows(app: TrackerApp, *texts: str) -> bool:
    flat = app.export_screenshot().replace("&#160;", " ").replace("&amp;", "&")
    return all(text in flat.replace("&#x27;", "'") for text in texts)


def _toasts(app: TrackerApp) -> list[str]:
    """The toasts' texts; each is shown literally (never parsed as markup)."""
    assert all(n.markup is False for n in app._notifications)
    return [n.message for n in app._notifications]


async def _settle(app: TrackerApp, pilot) -> None:  # type: ignore[no-untyped-def]
    await app.workers.wait_for_complete()
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def _go_to(app: TrackerApp, pilot, pid: str) -> None:  # type: ignore[no-untyped-def]
    plist = app.screen.query_one(PaperList)
    while plist.current_paper is not None and plist.current_paper.id != pid:
        await pilot.press("j")
    detail = app.screen.query_one(DetailPane)
    assert await wait_for(pilot, lambda: detail.paper is not None and detail.paper.id == pid)
    await pilot.pause()


def test_clean_shows_every_unsafe_character_one_for_one() -> None:
    text = f"a\tb\nc\r{ESCAPES}{DISGUISE}\U000e0041"
    cleaned = clean(text)
    assert len(cleaned) == len(text)  # search highlights keep their offsets
    assert cleaned.startswith("a\tb\nc" + REPLACEMENT)
    assert not any(ch in cleaned for ch in (*UNSAFE_ON_SCREEN, "\r", "\U000e0041"))
    assert clean_note("line\r\nnext\x1b") == "line\r\nnext" + REPLACEMENT
    assert one_line("two\nlines\u2028here") == "two lines here"
    assert clean("Ünïcödé 🧪 日本語 — fine") == "Ünïcödé 🧪 日本語 — fine"


@given(st.text())
def test_as_markup_shows_any_text_literally(text: str) -> None:
    # For the command palette, which takes only markup strings.
    assert Content.from_markup(as_markup(text)).plain == clean(text)


async def test_main_screen_detail_and_sidebar(hostile: tuple[Path, str], make_app) -> None:  # type: ignore[no-untyped-def]
    data_dir, pid = hostile
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        await _go_to(app, pilot, pid)
        _assert_safe(app, "[/bold]x[/i]", "#x[/i]", "#[/bold]", "[/bold] s")
        editor = app.screen.query_one(NoteEditor)
        assert "[b]note[/b]" in editor.text and "\x1b" not in editor.text
        # Only an edit saves: showing the note changed nothing on disk.
        await pilot.press("enter", "escape")
        with Library.open(data_dir, readonly=True) as lib:
            assert lib.annotation(pid).note.startswith(ESCAPES)


async def test_typed_or_pasted_escapes_never_reach_the_note_or_the_screen(
    hostile: tuple[Path, str],
    make_app,  # type: ignore[no-untyped-def]
) -> None:
    data_dir, pid = hostile
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        await _go_to(app, pilot, pid)
        await pilot.press("enter")
        editor = app.screen.query_one(NoteEditor)
        editor.insert("\x1b[2Jpasted\u202e")  # what a bracketed paste does
        await pilot.press("escape")
        await pilot.pause()
        _assert_safe(app)
    with Library.open(data_dir, readonly=True) as lib:
        note = lib.annotation(pid).note
    assert "pasted" in note and "\x1b" not in note and "\u202e" not in note


async def test_toasts_show_titles_and_urls_literally(hostile: tuple[Path, str], make_app) -> None:  # type: ignore[no-untyped-def]
    data_dir, pid = hostile
    app = make_app(data_dir)
    async with app.run_test(size=SIZE, notifications=True) as pilot:  # toasts drawn
        await _settle(app, pilot)
        await _go_to(app, pilot, pid)
        await pilot.press("y")  # copy the title
        await pilot.pause()
        assert any("[@click=app.quit]click[/]" in t for t in _toasts(app))
        await pilot.press("Y")  # copy a Markdown link
        await pilot.pause()
        toasts = list(app.screen.query("Toast"))  # (by name: the class is private)
        assert len(toasts) >= 2
        shown = [str(toast.render()) for toast in toasts]
        assert any("[@click=app.quit]click[/]" in text for text in shown)
        assert not any(c in text for text in shown for c in UNSAFE_ON_SCREEN)
        _assert_safe(app)
        for toast in toasts:
            await pilot.click(toast)  # a click on a toast closes it, and does nothing else
        await pilot.pause()
        assert app.is_running


async def test_triage_and_its_note_dialog(hostile: tuple[Path, str], make_app) -> None:  # type: ignore[no-untyped-def]
    data_dir, _ = hostile
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        await pilot.press("T")
        await pilot.pause()
        while "Evil paper" not in str(app.screen.query_one("#triage-title", Static).render()):
            await pilot.press("right")
            await pilot.pause()
        _assert_safe(app, "[/bold]x[/i]")
        await pilot.press("n")
        await pilot.pause()
        _assert_safe(app, "[/bold]x[/i]", "[b]note[/b]")
        await pilot.press("escape", "escape")
        await pilot.pause()
        _assert_safe(app)


@pytest.mark.parametrize("key", ["S", "N", "W", "question_mark"])
async def test_stats_whats_new_watch_list_and_help(
    hostile: tuple[Path, str], make_app, key: str
) -> None:  # type: ignore[no-untyped-def]
    data_dir, _ = hostile
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        await pilot.press(key)
        await pilot.pause()
        assert not isinstance(app.screen, MainScreen)
        _assert_safe(app)


async def test_tag_and_search_name_dialogs(hostile: tuple[Path, str], make_app) -> None:  # type: ignore[no-untyped-def]
    data_dir, pid = hostile
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        await _go_to(app, pilot, pid)
        await pilot.press("number_sign")
        await pilot.pause()
        _assert_safe(app, "[/bold]x[/i]", "x[/i]")
        await pilot.press("escape")
        await pilot.press("slash", *"[/i]", "enter")
        await _settle(app, pilot)
        await pilot.press("F")
        await pilot.pause()
        await pilot.press(*"[/bold]", "enter")  # an existing name: a sentence names it
        await pilot.pause()
        _assert_safe(app, "[/i]")
        app.screen.query_one(Input).value = f"n{ESCAPES}[/b]"
        await pilot.press("enter")
        await pilot.pause()
        _assert_safe(app)


async def test_command_palette_lists_saved_searches_literally(
    hostile: tuple[Path, str],
    make_app,  # type: ignore[no-untyped-def]
) -> None:
    data_dir, _ = hostile
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"saved search")
        # The palette searches in a worker: wait until it lists the searches.
        assert await wait_for(pilot, lambda: _shows(app, "[/bold] s", "x[/i]"))
        _assert_safe(app, "[/bold] s", "x[/i]")


async def test_export_and_import_errors_name_hostile_paths_literally(
    hostile: tuple[Path, str],
    make_app,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    data_dir, _ = hostile
    # A folder that is a file: the export cannot be written there. (Escapes
    # cannot be typed into a path: input boxes show them as U+FFFD.)
    missing = tmp_path / "no[b]dir[@click=app.quit]x"
    missing.write_text("a file, not a folder")
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        await pilot.press("e")
        await pilot.pause()
        path = app.screen.query_one("#path", Input)
        path.value = str(missing / "x.md")
        await pilot.press("ctrl+s")
        await pilot.pause()
        error = str(app.screen.query_one("#export-error", Label).render())
        assert "no[b]dir[@click=app.quit]x" in error  # (on screen it wraps)
        _assert_safe(app)
        await pilot.press("escape")
        await pilot.press("I")
        await pilot.pause()
        app.screen.query_one(Input).value = f"'{missing}/y.txt'"
        await pilot.press("enter")
        await _settle(app, pilot)
        # The dialog stays open with the error (the path as it is, never markup).
        report = str(app.screen.query_one("#import-text").render())
        assert "no[b]dir[@click=app.quit]x" in " ".join(report.split())
        _assert_safe(app)


async def test_settings_problems_and_keymap_keys_are_shown_literally(
    hostile: tuple[Path, str], tmp_path: Path
) -> None:
    data_dir, _ = hostile
    config = tmp_path / "conf[@click=app.quit]ig"
    config.mkdir()
    (config / "config.toml").write_text("[watch\nterms = [\n", encoding="utf-8")
    (config / "keymap.toml").write_text('[keys]\n"status.read" = "[/b]"\n', encoding="utf-8")
    app = TrackerApp(data_dir, config=config)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        assert any("conf[@click=app.quit]ig" in t for t in _toasts(app))
        await pilot.press("question_mark")
        await pilot.pause()
        _assert_safe(app)
