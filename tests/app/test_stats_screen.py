"""The reading stats screen, driven with Pilot."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.widgets import Sparkline
from waiting import run_command, wait_for

from tracker.app.screens.main import MainScreen
from tracker.app.screens.stats import StatsScreen
from tracker.app.widgets.bar_rows import BarRows
from tracker.library import Library
from tracker.models import Status

SIZE = (120, 36)
NOON = "2026-11-25T12:00:00.000Z"


async def test_stats_screen_shows_the_history_and_closes(
    history: Path,
    history_today: dt.date,
    make_app,
    reopen,  # type: ignore[no-untyped-def]
) -> None:
    assert NOON.startswith(history_today.isoformat())
    with reopen(history) as lib:
        expected = lib.reading_stats(today=history_today)
    app = make_app(history)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        app.library.now = lambda: NOON
        await pilot.press("S")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        triaged = screen.query_one("#triaged-bars", BarRows)
        read = screen.query_one("#read-bars", BarRows)
        assert [r.value for r in triaged.rows] == [w.triaged for w in expected.weeks]
        assert [r.value for r in read.rows] == [w.read for w in expected.weeks]
        # Three weeks of history: the last three weeks have figures, the rest are zero.
        assert all(v == 0 for v in [r.value for r in triaged.rows][:-4])
        assert sum(r.value for r in triaged.rows) == expected.triaged_total > 0
        daily = screen.query_one("#read-daily", Sparkline)
        assert list(daily.data or []) == [d.read for d in expected.days]
        assert sum(daily.data or []) > 0
        digests = screen.query_one("#digest-bars", BarRows)
        assert [r.text.split(" ")[0] for r in digests.rows] == [
            f"{d.read}/{d.total}" for d in expected.digests
        ]
        totals = str(screen.query_one("#stats-totals").render())
        assert f"Notes written: {expected.notes}" in totals
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


async def test_a_change_made_in_the_app_shows_in_the_stats_and_on_disk(
    seeded: Path,
    make_app,
    reopen,  # type: ignore[no-untyped-def]
) -> None:
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        app.library.now = lambda: NOON
        await pilot.press("x")  # mark the first paper read
        await pilot.pause()
        first = app.library.papers[0].id
        await pilot.press("S")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        assert screen.stats.weeks[-1].read == 1
        assert screen.stats.weeks[-1].triaged == 1
        await pilot.press("S")  # the same key closes it
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
    with reopen(seeded) as lib:
        assert [(c.at, c.status) for c in lib.annotation(first).history] == [(NOON, Status.READ)]


async def test_stats_from_the_command_palette_on_an_empty_library(
    data_dir: Path,
    make_app,  # type: ignore[no-untyped-def]
) -> None:
    with Library.open(data_dir):
        pass
    app = make_app(data_dir, seed_if_empty=False)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await run_command(pilot, "reading stats")
        assert await wait_for(pilot, lambda: isinstance(app.screen, StatsScreen))
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        assert all(w.triaged == w.read == w.backlog == 0 for w in screen.stats.weeks)
        assert "No digests yet" in str(screen.query_one("#digests-done Label").render())


async def test_whats_new_screen_periods_watch_and_back(
    seeded: Path,
    make_app,  # type: ignore[no-untyped-def]
) -> None:
    from tracker.app.screens.whats_new import WhatsNewScreen
    from tracker.search.watch import parse_entry

    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        lib = app.library
        await pilot.press("N")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WhatsNewScreen)
        # The digests were imported moments ago: all 114 papers are new.
        assert len(screen.result.entries) == 114
        head = str(screen.query_one("#new-head").render())
        assert head.startswith("What's new in the last 24 hours: 114 papers from 2 digests")
        source = screen.markdown
        assert "## Aug 25 (71 papers)" in source and lib.papers[0].title in source
        body = screen.query_one("#new-body")
        await pilot.press("tab")  # from the papers to the summary
        assert app.focused is body
        await pilot.press("G")
        assert await wait_for(pilot, lambda: body.scroll_y > 0)
        await pilot.press("g")
        assert await wait_for(pilot, lambda: body.scroll_y == 0)
        await pilot.press("w")  # no watch list yet: says so, changes nothing
        await pilot.pause()
        assert not screen.watched_only
        lib.set_watch([parse_entry("mamba")])
        await pilot.press("w")
        await pilot.pause()
        watched = screen.result.watched
        assert watched and screen.watched_only
        source = screen.markdown
        assert "## Watched" in source and "## Aug 25" not in source
        assert all(f"**{e.paper.title}" in source.replace("\\", "") for e in watched)
        # Three days later the last 24 hours hold nothing; the last 7 days hold them all.
        later = lib.current_time() + dt.timedelta(days=3)
        lib.now = lambda: later.isoformat().replace("+00:00", "Z")
        await pilot.press("w", "p", "p", "p")  # all papers; 7 days, 30 days, 24 hours
        await pilot.pause()
        assert screen.markdown.startswith("Nothing new since")
        await pilot.press("p")
        await pilot.pause()
        assert "the last 7 days: 114 papers" in str(screen.query_one("#new-head").render())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


async def test_stats_stack_in_a_narrow_terminal(history: Path, make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app(history)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("S")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StatsScreen) and screen.has_class("-narrow")
        # The backlog chart keeps its 48 cells (4 per week) instead of being cut off.
        spark = screen.query_one("#backlog-spark")
        assert spark.size.width == 48
        assert spark.region.right <= screen.query_one("#backlog").region.right
        await pilot.press("j", "j")
        assert await wait_for(pilot, lambda: screen.query_one("#stats-body").scroll_y > 0)


async def test_whats_new_puts_the_config_watch_list_first(
    seeded: Path,
    make_app,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    from tracker.app.screens.whats_new import WhatsNewScreen
    from tracker.config import ConfigFile

    ConfigFile(tmp_path / "config").set_watch(["mamba"])  # the app's config directory
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("N")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WhatsNewScreen)
        watched = screen.result.watched
        assert watched and all(e.watch == "mamba" for e in watched)
        text = screen.markdown
        assert text.index("## Watched") < text.index("## Aug 25")
        assert "watch: `mamba`" in text


async def test_stats_screen_counts_days_in_local_time(
    seeded: Path,
    make_app,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    import time

    # 23:30 UTC is already the next day in UTC+10.
    monkeypatch.setenv("TZ", "AEST-10")
    time.tzset()
    late = "2026-11-25T23:30:00.000Z"
    with Library.open(seeded) as lib:
        lib.now = lambda: late
        lib.set_status([lib.papers[0].id], Status.READ)
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        app.library.now = lambda: late
        await pilot.press("S")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        assert screen.stats.today == dt.date(2026, 11, 26)
        assert [(d.date, d.read) for d in screen.stats.days[-1:]] == [(dt.date(2026, 11, 26), 1)]
        head = str(screen.query_one("#stats-head").render())
        assert "Nov 26 2026" in head and "local time" in head
