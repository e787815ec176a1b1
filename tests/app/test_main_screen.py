"""Drive the real app with Pilot and check the library on disk afterwards."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.geometry import Region
from textual.widgets import Static
from waiting import run_command, wait_for

from tracker.app.screens.main import MainScreen
from tracker.app.widgets.detail_pane import NoteEditor
from tracker.app.widgets.keys_footer import KeysFooter
from tracker.app.widgets.paper_list import PaperList
from tracker.models import Status

SIZE = (120, 36)


def _list(app) -> PaperList:  # type: ignore[no-untyped-def]
    return app.screen.query_one(PaperList)


def _shown_text(app) -> str:  # type: ignore[no-untyped-def]
    """What the terminal shows, as text: the screenshot's cells (a label's
    text cut at its width is not in it)."""
    return str(app.export_screenshot()).replace("&#160;", " ").replace("&amp;", "&")


async def test_first_run_imports_bundled_digests(data_dir: Path, make_app, reopen) -> None:  # type: ignore[no-untyped-def]
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(_list(app).hits) == 114
        assert any("First run" in str(n.message) for n in app._notifications)
    with reopen(data_dir) as lib:
        assert len(lib) == 114


async def test_status_keys_save_at_once_and_undo(seeded: Path, make_app, reopen) -> None:  # type: ignore[no-untyped-def]
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        plist = _list(app)
        first = plist.current_paper.id
        await pilot.press("x")  # read; the cursor stays on the paper
        assert plist.current_paper.id == first
        with reopen(seeded) as lib:  # on disk while the app still runs
            assert lib.status(first) is Status.READ
        await pilot.press("j", "t", "s")  # the second paper: to-read, then skipped
        second = plist.current_paper.id
        with reopen(seeded) as lib:
            assert lib.status(second) is Status.SKIPPED
        await pilot.press("u")
        with reopen(seeded) as lib:
            assert lib.status(first) is Status.READ
            assert lib.status(second) is Status.TO_READ
        await pilot.press("u", "u")
        with reopen(seeded) as lib:
            assert lib.status(first) is Status.NEW
            assert lib.status(second) is Status.NEW


async def test_filter_as_you_type_and_escape_clears(seeded: Path, make_app, reopen) -> None:  # type: ignore[no-untyped-def]
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("slash", *"pointer")
        await app.workers.wait_for_complete()
        await pilot.pause()
        plist = _list(app)
        assert plist.paper_at(0).title == "Pointer Networks"
        assert plist.hits[0].title_spans
        count = str(app.screen.query_one("#count").render())
        assert count.endswith(f"{len(plist.hits)} / 114")
        await pilot.press("enter", "escape")  # back to the list, then clear
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(plist.hits) == 114


async def test_note_is_saved_while_typing_and_on_leaving(seeded: Path, make_app, reopen) -> None:  # type: ignore[no-untyped-def]
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        paper = _list(app).current_paper
        await pilot.press("enter")
        assert isinstance(app.focused, NoteEditor)
        await pilot.press(*"Great idea", "enter", *"- check it")

        def saved() -> str:
            with reopen(seeded) as lib:
                return lib.annotation(paper.id).note

        # Saved by the autosave timer while the editor still has focus.
        assert await wait_for(pilot, lambda: saved() == "Great idea\n- check it")
        assert isinstance(app.focused, NoteEditor)
        await pilot.press(*" again", "escape")
        assert isinstance(app.focused, PaperList)
        with reopen(seeded) as lib:
            assert lib.annotation(paper.id).note == "Great idea\n- check it again"
        await pilot.press("u")  # one undo step for the whole edit
        with reopen(seeded) as lib:
            assert lib.annotation(paper.id).note == ""


async def test_note_typed_just_before_quit_is_kept(seeded: Path, make_app, reopen) -> None:  # type: ignore[no-untyped-def]
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        paper = _list(app).current_paper
        await pilot.press("enter", *"last words")
        await app.action_quit()
    with reopen(seeded) as lib:
        assert lib.annotation(paper.id).note == "last words"


async def test_bulk_change_asks_first_and_undo_restores_all(seeded: Path, make_app, reopen) -> None:  # type: ignore[no-untyped-def]
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("ctrl+a", "s")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmDialog"
        await pilot.press("y")
        await pilot.pause()
        with reopen(seeded) as lib:
            assert lib.status_counts()[Status.SKIPPED] == 114
        await pilot.press("u")
        with reopen(seeded) as lib:
            assert lib.status_counts()[Status.NEW] == 114
        await pilot.press("space", "space", "t")  # two selected: no question
        await pilot.pause()
        with reopen(seeded) as lib:
            assert lib.status_counts()[Status.TO_READ] == 2


async def test_status_views_and_read_and_next(seeded: Path, make_app, reopen) -> None:  # type: ignore[no-untyped-def]
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        plist = _list(app)
        first = plist.current_paper.id
        await pilot.press("m")
        assert plist.current_paper.id != first
        await pilot.press("4")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [plist.paper_at(i).id for i in range(len(plist.hits))] == [first]
        await pilot.press("4", "H")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(plist.hits) == 113


async def test_digest_sidebar_filters_the_list(seeded: Path, make_app, reopen) -> None:  # type: ignore[no-untyped-def]
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("shift+tab", "shift+tab")  # list → filter → digests
        await pilot.pause()
        assert type(app.focused).__name__ == "DigestSidebar"
        await pilot.press("down", "down")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(_list(app).hits) == 62


async def test_help_lists_every_binding(seeded: Path, make_app, reopen) -> None:  # type: ignore[no-untyped-def]
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        ids = {row[2] for _, rows in app.help_sections() for row in rows}
        assert {"status.read", "triage", "export", "list.down", "note.leave"} <= ids
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


@pytest.mark.parametrize("width", [80, 120])
async def test_help_headings_are_shown_whole(seeded: Path, make_app, width: int) -> None:  # type: ignore[no-untyped-def]
    """Headings sat in the keys column and a long one was cut at every width
    ("Sidebar (R/D on …", found by a new-user trial)."""
    app = make_app(seeded)
    async with app.run_test(size=(width, 40)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        table = app.screen.query_one("#help-table", Static)
        await pilot.pause()
        shown = "\n".join(
            "".join(segment.text for segment in strip)
            for strip in table.render_lines(
                Region(0, 0, table.size.width, table.virtual_size.height)
            )
        )
        for heading, _ in app.help_sections():
            assert heading in shown


async def test_help_and_the_way_back_are_on_screen_at_60_columns(seeded: Path, make_app) -> None:  # type: ignore[no-untyped-def]
    """The footer cuts what does not fit: "? Help" came last on the main screen and
    "esc Done" last in triage, and at 60 columns neither showed (a new-user trial)."""

    def shown_actions(app) -> list[str]:  # type: ignore[no-untyped-def]
        footer = app.screen.query_one(KeysFooter)
        return [
            key.action
            for key in footer.children
            if hasattr(key, "action") and key.region.right <= app.size.width
        ]

    app = make_app(seeded)
    async with app.run_test(size=(60, 20)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert shown_actions(app)[0] == "help"
        await pilot.press("T")
        await pilot.pause()
        assert shown_actions(app)[:2] == ["finish", "help"]


async def test_keymap_file_remaps_a_binding(seeded: Path, make_app, reopen, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "keymap.toml").write_text('[keys]\n"status.read" = "d"\n')
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        paper = _list(app).current_paper
        await pilot.press("d")
        with reopen(seeded) as lib:
            assert lib.status(paper.id) is Status.READ


async def test_a_second_instance_opens_and_both_write(
    seeded: Path,
    make_app,
    reopen,  # type: ignore[no-untyped-def]
) -> None:
    from tracker.library import Library

    # Another paper-tracker has the library open (and writes to it): this
    # one opens normally too; each write holds the lock only while it writes.
    with Library.open(seeded) as other:
        app = make_app(seeded)
        async with app.run_test(size=SIZE) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(app.screen, MainScreen)
            first = _list(app).current_paper.id
            await pilot.press("x")
            other.set_status([other.papers[1].id], Status.SKIPPED)
            with reopen(seeded) as lib:
                assert lib.status(first) is Status.READ
                assert lib.status(lib.papers[1].id) is Status.SKIPPED


async def test_corrupt_library_shows_error_screen(seeded: Path, make_app, reopen) -> None:  # type: ignore[no-untyped-def]
    (seeded / "annotations.json").write_text("{ truncated")
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert type(app.screen).__name__ == "ErrorScreen"
        assert "annotations.json" in str(app.screen.query_one("#error-message").render())
        await pilot.press("q")
    assert (seeded / "annotations.json").read_text() == "{ truncated"


async def test_import_from_the_app_reports_good_and_bad_files(
    seeded: Path,
    make_app,
    reopen,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    good = tmp_path / "oct.txt"
    good.write_text(
        "Daily Papers\n\nOct 7, 2024\n\nA Brand New Paper About Kill Safety\n\n"
        + "We study crash safety of note-taking apps in depth. " * 5
        + "\n"
    )
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01binary")
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("I")
        await pilot.pause()
        app.screen.query_one("#import-path").value = f"{good} {bad}"
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        report = str(app.screen.query_one("#import-text").render())
        assert "oct.txt: Oct 7, 2024 — 1 paper, 1 new" in report
        assert "bad.txt" in report
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert len(_list(app).hits) == 115
    with reopen(seeded) as lib:
        assert len(lib) == 115


async def test_open_and_copy_the_current_paper(
    seeded: Path,
    make_app,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    from tracker import browser

    opened: list[str] = []
    monkeypatch.setattr(
        browser,
        "open_url",
        lambda url, command=None: opened.append(url) or browser.Opened(url, True, "test"),
    )
    app = make_app(seeded)
    copied: list[str] = []
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        title = _list(app).current_paper.title
        await pilot.press("o", "y")
        await app.workers.wait_for_complete()
        assert opened and opened[0].startswith("https://huggingface.co/papers?q=Order%20Matters")
        assert copied == [title]


async def test_vim_keys_and_mouse_move_the_cursor(seeded: Path, make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        plist = _list(app)
        await pilot.press("G")
        assert plist.cursor == 113
        await pilot.press("g", "j", "j", "k")
        assert plist.cursor == 1
        await pilot.press("ctrl+d")
        assert plist.cursor > 1
        await pilot.click(PaperList, offset=(10, 5))
        assert plist.cursor == plist.scroll_offset.y + 5


async def test_command_palette_runs_screen_actions(seeded: Path, make_app) -> None:  # type: ignore[no-untyped-def]
    from tracker.app.screens.triage import TriageScreen

    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await run_command(pilot, "Triage")
        assert await wait_for(pilot, lambda: isinstance(app.screen, TriageScreen))


async def test_external_editor_where_suspend_is_impossible_says_so(
    seeded: Path,
    make_app,
    reopen,  # type: ignore[no-untyped-def]
) -> None:
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:  # the headless driver cannot suspend
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("E")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert any("cannot hand over" in str(n.message) for n in app._notifications)


async def test_a_cancelled_search_does_not_end_the_app(
    seeded: Path,
    make_app,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    # Typing fast at a large library cancels searches still running; the
    # index then raises SearchCancelled inside the worker.
    from tracker.search import SearchCancelled, SearchIndex

    real = SearchIndex.search
    calls = {"n": 0}

    def cancel_first_term_search(self, query, facets, **kwargs):  # type: ignore[no-untyped-def]
        if getattr(query, "terms", ()) and calls["n"] == 0:
            calls["n"] += 1
            raise SearchCancelled
        return real(self, query, facets, **kwargs)

    monkeypatch.setattr(SearchIndex, "search", cancel_first_term_search)
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("slash", "p")
        await app.workers.wait_for_complete()
        await pilot.press(*"ointer")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running
        assert _list(app).paper_at(0).title == "Pointer Networks"


async def test_tag_key_edits_tags_of_one_paper_and_of_a_selection(
    seeded: Path, make_app, reopen
) -> None:  # type: ignore[no-untyped-def]
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        plist = _list(app)
        first = plist.current_paper.id
        await pilot.press("#")
        await pilot.pause()
        await pilot.press(*"survey rl", "enter")
        await pilot.pause()
        with reopen(seeded) as lib:
            assert lib.annotation(first).tags == ["survey", "rl"]
        await pilot.press("#", "backspace", "backspace", "backspace", "enter")  # " rl"
        await pilot.pause()
        with reopen(seeded) as lib:
            assert lib.annotation(first).tags == ["survey"]
        await pilot.press("space")  # select this paper; the cursor moves on
        second = plist.current_paper.id
        await pilot.press("space")
        await pilot.press("#")
        await pilot.pause()
        await pilot.press(*"later -survey", "enter")
        await pilot.pause()
        with reopen(seeded) as lib:
            assert lib.annotation(first).tags == ["later"]
            assert lib.annotation(second).tags == ["later"]
        # Shown in the list row, and findable with tag:
        assert "#later" in "".join(s.text for s in plist.render_line(0))


async def test_detail_pane_shows_related_papers_as_the_cursor_moves(seeded: Path, make_app) -> None:  # type: ignore[no-untyped-def]
    from textual.widgets import Static

    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        related = app.screen.query_one("#detail-related", Static)
        assert await wait_for(pilot, lambda: str(related.render()).startswith("Related"))
        first = str(related.render())
        assert len(first.splitlines()) == 6  # heading + five papers
        await pilot.press("j")
        assert await wait_for(pilot, lambda: str(related.render()) not in ("", first))
        second = str(related.render())
        assert second.startswith("Related") and second != first
        title = _list(app).current_paper.title
        assert title not in second
        # Under a long abstract they are out of view: R brings them in.
        from textual.containers import VerticalScroll

        scroll = app.screen.query_one("#detail-scroll", VerticalScroll)
        assert scroll.scroll_y == 0
        await pilot.press("R")
        await pilot.pause()
        assert scroll.scroll_y > 0
        assert related.region.y >= scroll.region.y


async def test_detail_pane_follows_the_filter_once_typing_pauses(seeded: Path, make_app) -> None:  # type: ignore[no-untyped-def]
    from tracker.app.screens.main.searching import DETAIL_AFTER_SEARCH_S
    from tracker.app.widgets.detail_pane import DetailPane

    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        pane = app.screen.query_one(DetailPane)
        first = _list(app).current_paper
        assert pane.paper is not None and pane.paper.id == first.id
        await pilot.press("slash", *"pointer")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert _list(app).current_paper.title == "Pointer Networks"
        await pilot.pause(DETAIL_AFTER_SEARCH_S + 0.2)
        assert pane.paper is not None and pane.paper.title == "Pointer Networks"
        # Moving the cursor by hand updates the pane at once.
        await pilot.press("enter", "escape")
        await app.workers.wait_for_complete()
        await pilot.pause(DETAIL_AFTER_SEARCH_S + 0.2)
        await pilot.press("j")
        await pilot.pause()
        assert pane.paper is not None and pane.paper.id == _list(app).current_paper.id


async def test_note_written_right_after_filtering_goes_to_the_highlighted_paper(  # type: ignore[no-untyped-def]
    seeded: Path, make_app, reopen, monkeypatch
) -> None:
    # The pane would wait far longer than the keys take: the editor must not
    # take the note for the paper the pane still shows.
    monkeypatch.setattr("tracker.app.screens.main.searching.DETAIL_AFTER_SEARCH_S", 60.0)
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        before = _list(app).current_paper
        await pilot.press("slash", *"pointer")
        await app.workers.wait_for_complete()
        await pilot.pause()
        target = _list(app).current_paper
        assert target.id != before.id
        # No pause for the detail pane: enter to the list, enter to write.
        await pilot.press("enter", "enter", *"mine", "escape")
        await pilot.pause()
    with reopen(seeded) as lib:
        assert lib.annotation(target.id).note == "mine"
        assert lib.annotation(before.id).note == ""


async def test_clicking_the_note_right_after_filtering_edits_the_highlighted_paper(  # type: ignore[no-untyped-def]
    seeded: Path, make_app, reopen, monkeypatch
) -> None:
    monkeypatch.setattr("tracker.app.screens.main.searching.DETAIL_AFTER_SEARCH_S", 60.0)
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        before = _list(app).current_paper
        await pilot.press("slash", *"pointer")
        await app.workers.wait_for_complete()
        await pilot.pause()
        target = _list(app).current_paper
        await pilot.click(NoteEditor)
        await pilot.press(*"clicked", "escape")
        await pilot.pause()
    with reopen(seeded) as lib:
        assert lib.annotation(target.id).note == "clicked"
        assert lib.annotation(before.id).note == ""


async def test_a_search_waiting_for_the_word_index_says_so(
    seeded: Path, make_app, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    import threading

    from tracker.app.screens.main.searching import INDEXING
    from tracker.search import SearchIndex

    release = threading.Event()
    build = SearchIndex.build

    def slow_build(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        release.wait(10)
        return build(self, *args, **kwargs)

    monkeypatch.setattr(SearchIndex, "build", slow_build)
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not app.library.index.is_built
        await pilot.press("slash", "p", "o")
        await pilot.pause(0.1)
        # The titles are indexed by the search itself; the matches so far are
        # shown, and the line says that more may come (abstracts), in full.
        count = str(app.screen.query_one("#count").render())
        assert count == f"{len(_list(app).hits)} / 114"
        assert INDEXING in _shown_text(app)
        during = {h.pos for h in _list(app).hits}
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        count = str(app.screen.query_one("#count").render())
        assert count == f"{len(_list(app).hits)} / 114"  # searched again: every match
        assert INDEXING not in _shown_text(app)
        assert during < {h.pos for h in _list(app).hits}
        assert 0 < len(_list(app).hits) < 114


async def test_a_slow_search_does_not_hold_the_typed_text_back(
    seeded: Path, make_app, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    import time

    from tracker.app.screens.main.searching import ECHO_WAIT_S
    from tracker.library import Library

    slow_search = Library.search

    def search(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        time.sleep(0.3)
        return slow_search(self, *args, **kwargs)

    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        monkeypatch.setattr(Library, "search", search)
        await pilot.press("slash", "p")
        # The frame waits for the results only briefly: then the text shows alone.
        await pilot.pause(ECHO_WAIT_S + 0.1)
        assert app._batch_count == 0  # screen updates are not held any more
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app._batch_count == 0
        count = str(app.screen.query_one("#count").render())
        assert count.endswith(f"{len(_list(app).hits)} / 114")
