"""Focus, keys and dialogs as keyboard people expect them (issue 16, points 6-12)."""

from __future__ import annotations

from pathlib import Path

from textual.containers import VerticalScroll
from waiting import wait_for

from tracker.app.dialogs.help import HelpScreen
from tracker.app.dialogs.search_name import SearchNameDialog
from tracker.app.dialogs.watch_list import WatchListDialog
from tracker.app.screens.triage import TriageScreen
from tracker.app.widgets.detail_pane import NoteEditor
from tracker.app.widgets.digest_sidebar import DigestSidebar
from tracker.app.widgets.paper_list import PaperList
from tracker.library import Library
from tracker.models import Status

SIZE = (120, 36)


def _list(app) -> PaperList:  # type: ignore[no-untyped-def]
    return app.screen.query_one(PaperList)


async def _ready(app, pilot) -> None:  # type: ignore[no-untyped-def]
    await app.workers.wait_for_complete()
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_b_at_80x24_shows_the_digests_beside_the_list(seeded: Path, make_app) -> None:  # type: ignore[no-untyped-def]
    """Point 9: the digests appear beside the list; the list keeps its rows (it was squeezed to one)."""
    app = make_app(seeded)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(app, pilot)
        plist, sidebar = _list(app), app.screen.query_one(DigestSidebar)
        rows = plist.region.height
        assert not sidebar.display or sidebar.region.width == 0
        await pilot.press("b")
        await pilot.pause()
        assert sidebar.region.width > 0 and sidebar.region.right <= plist.region.x
        assert plist.region.height == rows >= 10
        assert app.focused is sidebar
        await pilot.press("j", "enter")  # a digest: its papers, back in the list
        await _ready(app, pilot)
        assert app.focused is plist and len(plist.hits) == 71


async def test_tab_cycles_sidebar_filter_list_note_and_keys_never_land_in_the_note(  # type: ignore[no-untyped-def]
    seeded: Path, make_app, reopen
) -> None:
    """Point 6: the abstract is no tab stop; tab to the note shows it, enter or i writes in it."""
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        plist, sidebar = _list(app), app.screen.query_one(DigestSidebar)
        editor = app.screen.query_one(NoteEditor)
        label = app.screen.query_one("#note-label")
        idle_label = label.styles.background
        paper = plist.current_paper
        assert app.focused is plist
        await pilot.press("tab")
        assert app.focused is editor and editor.read_only
        await pilot.pause()
        assert label.styles.background != idle_label  # the note box shows its focus
        await pilot.press("j", "k", "a")  # meant for the list: not typed into the note
        assert editor.text == ""
        await pilot.press("tab")
        assert app.focused is sidebar
        await pilot.press("tab")
        assert app.focused is app.screen.query_one("#filter")
        await pilot.press("tab")
        assert app.focused is plist
        await pilot.press("shift+tab", "shift+tab")
        assert app.focused is sidebar
        await pilot.press("tab", "tab", "tab")  # on to the note again: i writes
        assert app.focused is editor and editor.read_only
        await pilot.pause()
        assert "write" in _footer_shows(app)
        await pilot.press("i", *"typed")
        assert not editor.read_only and editor.text == "typed"
        await pilot.pause()
        assert "write" not in _footer_shows(app)  # the footer offers what applies
        await pilot.press("escape")
        assert app.focused is plist
        with reopen(seeded) as lib:
            assert lib.annotation(paper.id).note == "typed"
        # J/K scroll the details from the list (the abstract is no tab stop).
        scroll = app.screen.query_one("#detail-scroll")
        assert not scroll.focusable
        await pilot.press("J")
        assert await wait_for(pilot, lambda: scroll.scroll_y > 0)


async def test_j_and_k_move_in_the_sidebar_and_scroll_help(seeded: Path, make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        sidebar = app.screen.query_one(DigestSidebar)
        sidebar.focus()
        await pilot.press("j", "j")
        assert sidebar.highlighted == 2
        await pilot.press("k")
        assert sidebar.highlighted == 1
        _list(app).focus()
        await pilot.press("question_mark")
        assert await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        body = app.screen.query_one(VerticalScroll)
        await pilot.press("j", "j", "j")
        assert await wait_for(pilot, lambda: body.scroll_y > 0)
        await pilot.press("k", "k", "k")
        assert await wait_for(pilot, lambda: body.scroll_y == 0)


async def test_i_puts_the_cursor_at_the_end_of_the_note(seeded: Path, make_app, reopen) -> None:  # type: ignore[no-untyped-def]
    """Point 11: writing goes on where the note ends, in the main screen and in triage."""
    with Library.open(seeded) as lib:
        first = lib.papers[0].id
        lib.set_note(first, "first line\nsecond line")
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        assert _list(app).current_paper.id == first
        await pilot.press("i", *" and more", "escape")
        with reopen(seeded) as lib:
            assert lib.annotation(first).note == "first line\nsecond line and more"
        await pilot.press("T")  # triage this paper's digest: n writes its note
        assert await wait_for(pilot, lambda: isinstance(app.screen, TriageScreen))
        screen = app.screen
        assert screen.current_id == first
        await pilot.press("n")
        assert await wait_for(pilot, lambda: app.screen.query(NoteEditor))
        await pilot.press(*" too", "escape")
        assert await wait_for(pilot, lambda: app.screen is screen)
        with reopen(seeded) as lib:
            assert lib.annotation(first).note == "first line\nsecond line and more too"


async def test_a_remapped_key_wins_over_the_default(  # type: ignore[no-untyped-def]
    seeded: Path, make_app, reopen, tmp_path: Path
) -> None:
    """Point 7: with "status.skipped" = "j", j skips (the list's j gave way; down still moves)."""
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "keymap.toml").write_text('[keys]\n"status.skipped" = "j"\n')
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        plist = _list(app)
        first = plist.current_paper
        await pilot.press("j")
        await pilot.pause()
        assert plist.cursor == 0
        with reopen(seeded) as lib:
            assert lib.status(first.id) is Status.SKIPPED
        await pilot.press("down")
        assert plist.cursor == 1
        said = [f"{n.title}: {n.message}" for n in app._notifications]
        assert not [s for s in said if "keymap.toml" in s], said  # nothing wrong with it


async def test_keymap_problems_are_said_at_start(  # type: ignore[no-untyped-def]
    seeded: Path, make_app, tmp_path: Path
) -> None:
    """Point 7: an unknown binding id and a key given twice each get one sentence."""
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "keymap.toml").write_text(
        '[keys]\n"status.skiped" = "k"\n"status.read" = "z"\n"status.to_read" = "z"\n'
    )
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        said = [str(n.message) for n in app._notifications]
        assert any("'status.skiped'" in s and "did you mean 'status.skipped'" in s for s in said)
        assert any("'z' is given to both 'status.read' and 'status.to_read'" in s for s in said)


def _footer_shows(app) -> set[str]:  # type: ignore[no-untyped-def]
    """The actions the footer shows now (what it drew, not what it would draw)."""
    return {str(getattr(key, "action", "")) for key in app.screen.query("Footer FooterKey")}


def _footer_descriptions(app) -> set[str]:  # type: ignore[no-untyped-def]
    """What the footer's keys say they do, as drawn."""
    return {str(getattr(key, "description", "")) for key in app.screen.query("Footer FooterKey")}


def _footer_keys(app) -> set[str]:  # type: ignore[no-untyped-def]
    return {
        active.binding.id or active.binding.action
        for active in app.screen.active_bindings.values()
        if active.binding.show and active.enabled
    }


async def test_the_footer_offers_only_keys_that_apply(seeded: Path, make_app, reopen) -> None:  # type: ignore[no-untyped-def]
    """Point 9: read-only offers no t/x/s; R/D only on a digest or a saved search."""
    app = make_app(seeded, readonly=True)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        shown = _footer_keys(app)
        assert "filter.focus" in shown and "export" in shown
        assert not shown & {"status.to_read", "status.read", "status.skipped", "undo", "triage"}
        assert not shown & {"import", "fetch"}
        paper = _list(app).current_paper
        await pilot.press("t")  # still answers: says the library is read-only
        assert any("read-only" in str(n.message) for n in app._notifications)
        await pilot.press("T")
        assert app.screen.__class__.__name__ == "MainScreen"
        with reopen(seeded) as lib:
            assert lib.status(paper.id) is Status.NEW
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        assert {"status.to_read", "status.read", "status.skipped", "undo"} <= _footer_keys(app)
        assert {"import", "fetch"} <= _footer_keys(app)  # wide enough for them
        sidebar = app.screen.query_one(DigestSidebar)
        sidebar.focus()
        await pilot.pause()
        assert sidebar.highlighted == 0  # All papers: nothing to rename or forget
        both = {"sidebar.rename_search", "sidebar.delete_search"}
        both |= {"sidebar.edit_digest", "sidebar.forget_digest"}
        assert not _footer_keys(app) & both
        await pilot.press("j")
        await pilot.pause()
        # On a digest the keys say what they do there: "Forget", as the dialog does.
        assert {"sidebar.edit_digest", "sidebar.forget_digest"} <= _footer_keys(app)
        assert not _footer_keys(app) & {"sidebar.rename_search", "sidebar.delete_search"}
        assert {"Edit", "Forget"} <= _footer_descriptions(app)
        assert "Delete" not in _footer_descriptions(app)


async def test_a_narrow_footer_keeps_help_and_leaves_out_import_fetch_and_save(
    seeded: Path, make_app
) -> None:  # type: ignore[no-untyped-def]
    """At 80 columns "? Help" stays in the footer; I, f and F still work, ? lists them."""
    app = make_app(seeded)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(app, pilot)
        shown = _footer_keys(app)
        assert "help" in _footer_shows(app) or "app.help" in _footer_shows(app)
        assert not shown & {"import", "fetch", "search.save"}
        await pilot.press("I")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "ImportDialog"
    app = make_app(seeded)
    async with app.run_test(size=(110, 30)) as pilot:
        await _ready(app, pilot)
        assert {"import", "fetch", "search.save"} <= _footer_keys(app)


async def test_with_the_digests_focused_at_120_columns_help_stays_in_the_footer(
    seeded: Path, make_app
) -> None:  # type: ignore[no-untyped-def]
    """The trial: at 120 columns, R and D of the digests cut "? Help" off the footer."""
    from textual.widgets import Footer

    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        assert {"import", "fetch", "search.save"} <= _footer_keys(app)
        sidebar = app.screen.query_one(DigestSidebar)
        sidebar.focus()
        await pilot.press("j")  # a digest: R and D apply
        await pilot.pause()
        shown = _footer_keys(app)
        assert {"sidebar.edit_digest", "sidebar.forget_digest"} <= shown
        assert not shown & {"import", "fetch", "search.save"}
        footer = app.screen.query_one(Footer)
        helps = [k for k in footer.children if getattr(k, "description", None) == "Help"]
        assert helps and helps[0].region.right <= SIZE[0]  # whole on screen
        _list(app).focus()
        await pilot.pause()
        assert {"import", "fetch", "search.save"} <= _footer_keys(app)


def _shown_text(widget) -> str:  # type: ignore[no-untyped-def]
    """What the widget shows on screen, its lines joined (cut text is missing here)."""
    lines = [
        "".join(segment.text for segment in widget.render_line(y))
        for y in range(widget.size.height)
    ]
    return " ".join(" ".join(lines).split())


async def test_dialog_messages_are_shown_whole_at_80x24(  # type: ignore[no-untyped-def]
    seeded: Path, make_app, tmp_path: Path
) -> None:
    """Point 9: a dialog's problem wraps inside the dialog instead of being cut at its edge."""
    app = make_app(seeded)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(app, pilot)
        await pilot.press("W")
        assert await wait_for(pilot, lambda: isinstance(app.screen, WatchListDialog))
        await pilot.press(*'status:read tag:x "a rather long phrase to watch for"', "enter")
        problem = app.screen.query_one("#watch-problem")
        await pilot.pause()
        expected = (
            "'status:read tag:x \"a rather long phrase to watch for\"': status:, tag: cannot "
            'be part of a watch entry (use words, "phrases" and author:"Name")'
        )
        assert _shown_text(problem) == expected
        assert problem.region.right <= app.screen.query_one("#watch-input").region.right
        await pilot.press("escape")
        await pilot.pause()
        name = "A very long name for a saved search that somebody typed"
        app.push_screen(SearchNameDialog("Save this filter as", "mamba", taken={name}))
        await pilot.pause()
        await pilot.press(*name, "enter")
        await pilot.pause()
        problem = app.screen.query_one("#search-name-problem")
        assert _shown_text(problem) == f"A saved search named {name!r} exists already."
        assert problem.region.right <= app.screen.query_one("#search-name").region.right


async def test_whats_new_marks_opens_and_notes_papers_as_the_list_does(  # type: ignore[no-untyped-def]
    seeded: Path, make_app, reopen, monkeypatch
) -> None:
    """Point 12: what's new lists its papers; t/x/s/m, i (note), u, o work there as in the list."""
    from tracker import browser
    from tracker.app.screens.whats_new import WhatsNewScreen

    opened: list[str] = []

    def fake_open(url: str, command: str | None = None, **_: object) -> browser.Opened:
        opened.append(url)
        return browser.Opened(url, True, "a test")

    monkeypatch.setattr(browser, "open_url", fake_open)
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        await pilot.press("N")
        assert await wait_for(pilot, lambda: isinstance(app.screen, WhatsNewScreen))
        screen = app.screen
        plist = screen.query_one(PaperList)
        assert app.focused is plist and len(plist.hits) == 114
        first = plist.current_paper
        await pilot.press("x", "j", "t")
        second = plist.current_paper
        assert second.id != first.id
        await pilot.press("i", *"seen in what's new", "escape")
        assert await wait_for(pilot, lambda: app.screen is screen)
        with reopen(seeded) as lib:
            assert lib.status(first.id) is Status.READ
            assert lib.status(second.id) is Status.TO_READ
            assert lib.annotation(second.id).note == "seen in what's new"
        assert "✓" in "".join(s.text for s in plist.render_line(0))  # the list shows it
        await pilot.press("u")  # the note first, as everywhere
        with reopen(seeded) as lib:
            assert lib.annotation(second.id).note == ""
        await pilot.press("m")  # read, then on to the next unread paper
        assert plist.cursor == 2
        await pilot.press("o")
        assert await wait_for(pilot, lambda: bool(opened))
        assert opened == [browser.paper_url(plist.current_paper)]
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: app.screen.__class__.__name__ == "MainScreen")
        await pilot.pause()
        main_list = _list(app)
        row = next(r for r in range(3) if main_list.paper_at(r).id == first.id)
        assert "✓" in "".join(s.text for s in main_list.render_line(row))
    with reopen(seeded) as lib:
        assert lib.status(second.id) is Status.READ


async def test_the_filter_box_and_the_help_say_how_to_leave_them(seeded: Path, make_app) -> None:  # type: ignore[no-untyped-def]
    """A new user's trial (2026-12-04): in the filter box the footer did not show esc,
    and the help (which has no footer) never said how to close it."""
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        assert "filter.clear" not in _footer_keys(app)  # in the list esc is no filter key
        await pilot.press("slash")
        await pilot.pause()
        assert "filter.clear" in _footer_keys(app)
        assert "Clear" in _footer_descriptions(app)
        await pilot.press("enter", "question_mark")
        await pilot.pause()
        title = str(app.screen.query_one("#help-title").render())
        assert "esc / q / ? closes this" in title
        await pilot.press("q")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "MainScreen"
