"""The list and the filter as keyboard people expect them (issue 16, points 1-5)."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from rich.style import Style
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Input
from textual.worker import WorkerCancelled
from waiting import wait_for

from tracker.app.widgets.detail_pane import DetailPane
from tracker.app.widgets.digest_sidebar import DigestSidebar
from tracker.app.widgets.paper_list import PaperList
from tracker.config import ConfigFile
from tracker.library import Library

SIZE = (120, 36)


def _list(app) -> PaperList:  # type: ignore[no-untyped-def]
    return app.screen.query_one(PaperList)


async def _ready(app, pilot) -> None:  # type: ignore[no-untyped-def]
    # A search replaced by a newer one is cancelled: done, for this purpose.
    for _ in range(2):
        for worker in list(app.workers):
            with contextlib.suppress(WorkerCancelled):
                await worker.wait()
        await pilot.pause()


async def test_a_new_filter_starts_at_its_best_match(seeded: Path, make_app) -> None:  # type: ignore[no-untyped-def]
    """/music, enter, esc, /sequence shows the best matches, not Music Transformer (point 1)."""
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        plist = _list(app)
        detail = app.screen.query_one(DetailPane)
        await pilot.press("slash", *"music", "enter")
        await app.workers.wait_for_complete()
        assert await wait_for(pilot, lambda: plist.current_paper is not None)
        found = plist.current_paper
        assert found.title == "Music Transformer"
        await pilot.press("escape")  # back to every paper: the cursor stays on the one found
        await app.workers.wait_for_complete()
        assert await wait_for(pilot, lambda: len(plist.hits) == 114)
        assert plist.current_paper.id == found.id
        await pilot.press("slash", *"sequence")
        await app.workers.wait_for_complete()
        assert await wait_for(pilot, lambda: len(plist.hits) < 114)
        best = plist.paper_at(0)
        assert found.id in {plist.paper_at(i).id for i in range(len(plist.hits))}
        assert best.id != found.id
        assert plist.cursor == 0 and plist.scroll_offset.y == 0
        # The pane follows the new first row once typing pauses.
        assert await wait_for(
            pilot, lambda: detail.paper is not None and detail.paper.id == best.id
        )
        # The same filter run again (a status changed) keeps the cursor where it is.
        await pilot.press("enter", "j", "j", "t")
        await pilot.pause()
        assert plist.cursor == 2
        app.screen.run_search()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert plist.cursor == 2


def _backgrounds(plist: PaperList, row: int) -> set[object]:
    strip = plist.render_line(row - plist.scroll_offset.y)
    return {segment.style.bgcolor for segment in strip if segment.text.strip()}


async def test_the_cursor_row_is_highlighted_across_its_whole_width(seeded: Path, make_app) -> None:  # type: ignore[no-untyped-def]
    """Point 3: the title and every other part of the cursor's row, not the status mark only."""
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        plist = _list(app)
        await pilot.press("j", "x", "j")  # a read paper above, the cursor on a new one
        await pilot.pause()
        cursor = _backgrounds(plist, plist.cursor)
        assert len(cursor) == 1, f"the cursor row has several backgrounds: {cursor}"
        (highlight,) = cursor
        other = _backgrounds(plist, plist.cursor + 1)
        assert highlight not in other
        await pilot.press("k")  # the read paper (muted title) under the cursor
        await pilot.pause()
        assert _backgrounds(plist, plist.cursor) == {highlight}


async def test_without_colours_the_cursor_row_is_in_reverse_video(
    seeded: Path, make_app, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        plist = _list(app)
        assert app.no_color

        def reversed_parts(row: int) -> set[bool]:
            strip = plist.render_line(row - plist.scroll_offset.y)
            return {bool((segment.style or Style()).reverse) for segment in strip}

        assert reversed_parts(plist.cursor) == {True}
        assert reversed_parts(plist.cursor + 1) == {False}


LONG_TITLE = (
    "LOCO Codes Can Correct as Well: Error-Correction Constrained Coding for DNA Data Storage"
)


def _row_text(plist: PaperList, row: int) -> str:
    return "".join(s.text for s in plist.render_line(row - plist.scroll_offset.y))


@pytest.mark.parametrize(
    ("size", "shown", "beside"),
    # 76 at 120 columns: the digest column keeps three cells for "+1" so that the days line
    # up, and the sidebar keeps one for its scrollbar.
    [((80, 24), 55, False), ((120, 36), 76, False), ((200, 50), 80, True)],
)
async def test_titles_get_the_width(  # type: ignore[no-untyped-def]
    seeded: Path, make_app, size: tuple[int, int], shown: int, beside: bool
) -> None:
    """Point 2: at 120 columns a title shows some 80 characters (it was cut at 42).

    Below 160 columns the paper's details go under the list; from 160 beside it.
    The detail pane's header shows a title whole, wrapped.
    """
    app = make_app(seeded)
    async with app.run_test(size=size) as pilot:
        await _ready(app, pilot)
        plist = _list(app)
        row = next(i for i in range(len(plist.hits)) if plist.paper_at(i).title == LONG_TITLE)
        plist.cursor = row
        await pilot.pause()
        text = _row_text(plist, row)
        visible = text.split("   ", 1)[-1].strip()
        assert visible.startswith(LONG_TITLE[:shown]), text
        detail = app.screen.query_one(DetailPane)
        assert await wait_for(
            pilot, lambda: detail.paper is not None and detail.paper.title == LONG_TITLE
        )
        header = app.screen.query_one("#detail-title")
        assert " ".join(str(header.render()).split()) == LONG_TITLE
        if beside:
            assert detail.region.x >= plist.region.right
        else:
            assert detail.region.y >= plist.region.bottom
            assert plist.region.height >= 10


async def test_a_digest_chosen_after_a_saved_search_shows_all_its_papers(  # type: ignore[no-untyped-def]
    seeded: Path, make_app, tmp_path: Path
) -> None:
    """Point 5: from a saved search to the Mar 17 digest, the box no longer holds its query."""
    ConfigFile(tmp_path / "config").set_searches({"Mamba in Aug 25": 'mamba digest:"Aug 25"'})
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        box = app.screen.query_one("#filter", Input)
        plist, sidebar = _list(app), app.screen.query_one(DigestSidebar)
        app.screen.run_saved_search("Mamba in Aug 25")
        await _ready(app, pilot)
        assert box.value == 'mamba digest:"Aug 25"'
        sidebar.focus()
        await pilot.press("home")  # All papers
        await _ready(app, pilot)
        assert box.value == ""
        assert await wait_for(pilot, lambda: len(plist.hits) == 114)
        await pilot.press("down", "down")  # Mar 17
        await _ready(app, pilot)
        assert await wait_for(pilot, lambda: len(plist.hits) == 62)
        # A filter the user typed stays when the digest changes.
        await pilot.press("slash", *"sequence", "enter")
        await _ready(app, pilot)
        sidebar.focus()
        await pilot.press("up")  # Aug 25
        await _ready(app, pilot)
        assert box.value == "sequence"
        assert 0 < len(plist.hits) < 71


def _shown_text(widget) -> str:  # type: ignore[no-untyped-def]
    """What the widget shows on screen, its lines joined (cut text is missing here)."""
    width = widget.size.width
    lines = [
        "".join(segment.text for segment in widget.render_line(y))[:width]
        for y in range(widget.size.height)
    ]
    return " ".join(" ".join(lines).split())


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("stauts:read", "unknown field 'stauts:': did you mean status:?"),
        (
            "status:reed",
            "unknown status 'reed' (did you mean read? use new, to-read, reading, read, skipped)",
        ),
        ("is:starred", "unknown is: value 'starred' (use watched)"),
    ],
)
async def test_a_filter_typo_is_said_whole_in_a_narrow_terminal(  # type: ignore[no-untyped-def]
    seeded: Path, make_app, typed: str, said: str
) -> None:
    """Point 4: a misspelt field says so and names the field meant; nothing is cut at 80 columns."""
    app = make_app(seeded)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(app, pilot)
        problem = app.screen.query_one("#filter-problem")
        assert not problem.display
        await pilot.press("slash", *typed)
        await _ready(app, pilot)
        assert await wait_for(pilot, lambda: bool(problem.display))
        await pilot.pause()
        assert _shown_text(problem) == said
        assert problem.region.right <= 80
        await pilot.press("escape")  # cleared: the line goes
        await _ready(app, pilot)
        assert await wait_for(pilot, lambda: not problem.display)


async def test_the_pane_follows_the_first_row_as_the_filter_narrows(seeded: Path, make_app) -> None:  # type: ignore[no-untyped-def]
    """Point 1, typed a key at a time: each result's first row is shown, also when the
    cursor stays on row 0 and another paper comes there (tried in a terminal: the pane
    stayed on the paper of the filter's first letter)."""
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        plist = _list(app)
        detail = app.screen.query_one(DetailPane)
        await pilot.press("slash", "m")
        await _ready(app, pilot)
        assert await wait_for(
            pilot, lambda: detail.paper is not None and detail.paper.id == plist.paper_at(0).id
        )
        first = plist.paper_at(0)
        for key in "usic":
            await pilot.press(key)
            await _ready(app, pilot)
        assert plist.cursor == 0 and plist.paper_at(0).title == "Music Transformer" != first.title
        assert await wait_for(
            pilot, lambda: detail.paper is not None and detail.paper.title == "Music Transformer"
        )


async def test_a_filter_asked_for_twice_before_its_results_still_starts_at_the_top(  # type: ignore[no-untyped-def]
    seeded: Path, make_app
) -> None:
    """Point 1 as typed in a terminal: fast typing asks for one text twice before its
    results are in; the second ask kept the cursor on the previous filter's paper."""
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        plist = _list(app)
        detail = app.screen.query_one(DetailPane)
        await pilot.press("slash", *"music", "enter", "escape")
        await _ready(app, pilot)
        assert await wait_for(pilot, lambda: len(plist.hits) == 114)
        assert plist.current_paper.title == "Music Transformer"
        box = app.screen.query_one("#filter", Input)
        box.value = "sequence"  # its Changed message asks for the search later...
        app.screen.run_search()  # ...keystrokes handled before it asked twice already
        app.screen.run_search()
        await _ready(app, pilot)
        assert await wait_for(pilot, lambda: len(plist.hits) < 114)
        await _ready(app, pilot)
        assert plist.cursor == 0
        assert await wait_for(
            pilot, lambda: detail.paper is not None and detail.paper.id == plist.paper_at(0).id
        )


@pytest.mark.parametrize("no_color", [False, True])
async def test_the_list_draws_its_lines_as_textual_would(  # type: ignore[no-untyped-def]
    seeded: Path, make_app, monkeypatch: pytest.MonkeyPatch, no_color: bool
) -> None:
    """The list finishes its lines itself (Textual's line cache cost a millisecond a frame):
    they must be the very lines Textual's own path makes, focused or not, with or without
    colours, scrolled, and kept up to date as the list changes."""
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        plist = _list(app)

        def same_as_textual() -> None:
            crop = Region(0, 0, plist.size.width, plist.size.height)
            ours = plist.render_lines(crop)
            plist.refresh()  # Textual's line cache starts afresh
            theirs = Widget.render_lines(plist, crop)
            assert [s.text for s in ours] == [s.text for s in theirs]
            assert ours == theirs
            part = Region(3, 2, 20, 5)
            assert plist.render_lines(part) == Widget.render_lines(plist, part)

        same_as_textual()
        await pilot.press("j", "j", "x", "space")  # a status, a selection, the cursor moved
        await pilot.pause()
        same_as_textual()
        await pilot.press("slash", *"transformer")
        await _ready(app, pilot)
        same_as_textual()  # new hits, the list without focus
        await pilot.press("enter", "pagedown", "j")
        await pilot.pause()
        assert plist.scroll_offset.y > 0
        same_as_textual()
        await pilot.press("slash", *"zzzqqq")  # nothing matches: the message
        await _ready(app, pilot)
        assert not plist.hits
        same_as_textual()


async def test_the_sidebar_lists_the_newest_day_first_then_undated_ones(  # type: ignore[no-untyped-def]
    seeded: Path, make_app, tmp_path: Path
) -> None:
    """Imported out of order (Oct 8, then Oct 9, then Oct 7): shown newest day first."""
    abstract = "We study this question in depth with many careful experiments. " * 2
    with Library.open(seeded) as lib:
        for day in ("2024-10-08", "2024-10-09", "2024-10-07"):
            page = tmp_path / f"{day}.txt"
            page.write_text(f"Daily Papers\n\nA Paper Listed On {day}\n\n{abstract}\n")
            lib.import_file(page, date=day)
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        sidebar = app.screen.query_one(DigestSidebar)
        shown = [
            str(sidebar.get_option_at_index(i).prompt).split("  ")[0].strip()
            for i in range(sidebar.option_count)
        ]
        # The seeds name no year: after the dated days, by the day they name (Aug 25, Mar 17).
        assert shown[:6] == [
            "All papers",
            "Oct 9 2024",
            "Oct 8 2024",
            "Oct 7 2024",
            "Aug 25",
            "Mar 17",
        ]


async def test_the_digest_column_keeps_each_day_at_one_column(  # type: ignore[no-untyped-def]
    seeded: Path, make_app
) -> None:
    """A paper in both seeds shows 'Aug 25 +1' (its digest of the newest day): its day
    lines up with the other 'Aug 25' rows', and every title is cut at the same column."""
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        plist = _list(app)
        lines = [
            "".join(segment.text for segment in plist.render_line(y))
            for y in range(plist.size.height)
        ]
        days = {
            line.rfind("Mar 17") if "Mar 17" in line else line.rfind("Aug 25") for line in lines
        }
        assert any(line.rstrip().endswith("Aug 25 +1") for line in lines)
        assert any(line.rstrip().endswith("Aug 25") for line in lines)
        assert len(days) == 1, lines
        cut = {line.index("…") for line in lines if "…" in line}
        assert len(cut) == 1, lines
        # A digest given a longer name: the column widens with it, the days still in line.
        screen = app.screen
        await screen.change_library(lambda: screen.library.rename_digest("Aug 25", "Aug 25 picks"))
        await _ready(app, pilot)
        lines = [
            "".join(segment.text for segment in plist.render_line(y))
            for y in range(plist.size.height)
        ]
        assert any(line.rstrip().endswith("Aug 25 picks") for line in lines), lines
        days = {
            line.rfind("Mar 17") if "Mar 17" in line else line.rfind("Aug 25") for line in lines
        }
        assert len(days) == 1, lines


async def test_with_the_digests_hidden_the_list_names_its_digest(seeded: Path, make_app) -> None:  # type: ignore[no-untyped-def]
    """A new user at 80 columns (2026-12-04): b, a digest chosen, b again; nothing on
    screen said which digest the 62 papers were."""
    app = make_app(seeded)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(app, pilot)
        view = app.screen.query_one("#view")
        await pilot.press("b", "j", "j", "enter")
        await _ready(app, pilot)
        assert "in Mar 17" not in str(view.render())  # the digests are on screen
        await pilot.press("b")
        await _ready(app, pilot)
        assert "in Mar 17" in str(view.render())
        await pilot.resize_terminal(130, 30)  # wide: the digests are always shown
        await _ready(app, pilot)
        assert "in Mar 17" not in str(view.render())


async def test_a_row_shows_the_papers_digest_of_the_newest_day(seeded: Path, make_app) -> None:  # type: ignore[no-untyped-def]
    """A new user's trial (2026-12-04): a paper of Aug 25 2025 and Mar 17 2025 showed
    'Mar 17 2025 +1' (the digest imported last), where the README says its latest."""
    from tracker.library import Library

    with Library.open(seeded) as lib:
        aug, mar = lib.digests  # imported in this order
        lib.set_digest_date(aug.id, "2025-08-25")
        lib.set_digest_date(mar.id, "2025-03-17")
        both = next(p for p in lib.papers if len(p.digests) == 2)
    app = make_app(seeded)
    async with app.run_test(size=(120, 36)) as pilot:
        await _ready(app, pilot)
        plist = _list(app)
        row = next(
            i
            for i in range(len(plist.hits))
            if plist.library.papers[plist.hits.pos_at(i)].id == both.id
        )
        strip = plist._render_row(row, 120, False)
        text = "".join(segment.text for segment in strip)
        assert "Aug 25 2025" in text and "+1" in text
        assert "Mar 17" not in text


@pytest.mark.parametrize("no_color", [False, True])
async def test_the_scrollbar_stays_shown_and_blank_while_every_row_fits(  # type: ignore[no-untyped-def]
    seeded: Path, make_app, monkeypatch: pytest.MonkeyPatch, no_color: bool
) -> None:
    """Hits going from a few to many lay out nothing (the scrollbar was hidden and shown
    again, each a layout of the whole screen); with every row shown, the scrollbar is
    blank in the list's background, as the empty gutter was."""
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        plist = _list(app)
        bar = plist.vertical_scrollbar
        layouts: list[object] = []
        screen_class = type(app.screen)
        refresh_layout = screen_class._refresh_layout

        def counted(screen, *args, **kwargs):  # type: ignore[no-untyped-def]
            layouts.append(screen)
            return refresh_layout(screen, *args, **kwargs)

        await pilot.press("slash", *"transformer")
        await _ready(app, pilot)
        monkeypatch.setattr(screen_class, "_refresh_layout", counted)
        # 0, 44, 1, 44 and 114 hits in rows for 19.
        for text in ("zzzqqq", "transformer", "pointer net", "transformer", ""):
            await pilot.press("ctrl+u", *text)
            await _ready(app, pilot)
            assert bar.display and plist.show_vertical_scrollbar
        assert not layouts, "the list's hits laid out the screen"
        await pilot.press("slash", *"zzzqqq")
        await _ready(app, pilot)
        assert not plist.hits
        blank_row = plist.render_line(plist.size.height - 1)  # below the message
        drawn = bar.render_lines(Region(0, 0, bar.size.width, bar.size.height))
        assert {s.text.strip() for strip in drawn for s in strip} == {""}
        assert {s.style for strip in drawn for s in strip} == {s.style for s in blank_row}


@pytest.mark.parametrize("size", [(120, 30), (140, 45)])
async def test_sidebar_rows_stay_one_line_each_when_it_scrolls(  # type: ignore[no-untyped-def]
    seeded: Path, make_app, size: tuple[int, int]
) -> None:
    """With more digests than lines the sidebar's scrollbar took two cells from its
    rows, drawn to the width without it: each wrapped onto two lines (a new user's
    library of 17 digests at 120x30)."""
    with Library.open(seeded) as lib:
        for day in range(1, 41):
            text = f"Daily Papers\n\nOct {day % 28 + 1}, 20{10 + day // 28}\n\n"
            text += f"A Paper Of Day {day} In The Sidebar\n\n{'Prose. ' * 30}\n"
            lib.import_bytes(text.encode(), source=f"day{day}.txt")
    app = make_app(seeded)
    async with app.run_test(size=size) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        sidebar = app.screen.query_one(DigestSidebar)
        assert sidebar.option_count == 1 + 2 + 40
        assert sidebar.virtual_size.height == sidebar.option_count
        assert sidebar.virtual_size.height > sidebar.scrollable_content_region.height
