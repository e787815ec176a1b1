"""Papers in without a file: a page pasted into the main screen, and fetching from the app.

Pastes are what a terminal sends for a bracketed paste (a ``textual.events.Paste``
given to the app, which hands it to the focused widget). Fetches go to a local
HTTP server in the test process (tests/fake_services.py); no test touches the
network.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.events import Paste

from tests.fake_services import FakeServer, hf_day, serve
from tracker.app.dialogs.paste_import import PasteImportDialog
from tracker.app.screens.main import MainScreen
from tracker.app.widgets.detail_pane import NoteEditor
from tracker.app.widgets.fetch_status import FetchStatus
from tracker.app.widgets.filter_input import FilterInput
from tracker.fetching import http, utc_today

SIZE = (100, 30)


def page(titles: list[str], day: str = "Oct 7, 2024") -> str:
    body = "".join(
        f"{t}\n\n" + "We study this question in depth with many experiments. " * 3 + "\n\n"
        for t in titles
    )
    return f"Daily Papers\n\n{day}\n\n{body}"


PAGE = page([f"A Pasted Paper Number {n}" for n in range(3)])


def _dialog_text(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one("#paste-text").render())


async def _paste(app, pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    await app.workers.wait_for_complete()
    app.post_message(Paste(text))
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_a_pasted_page_is_previewed_then_imported_with_enter(
    seeded: Path, make_app, reopen
) -> None:  # type: ignore[no-untyped-def]
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        # A terminal sends the line breaks of a bracketed paste as carriage returns.
        await _paste(app, pilot, PAGE.replace("\n", "\r"))
        assert isinstance(app.screen, PasteImportDialog)
        assert "(16 lines)" in str(app.screen.query_one("#paste-title").render())
        shown = _dialog_text(app)
        assert "would add Oct 7, 2024 (2024-10-07) — 3 papers, 3 new, 0 already known" in shown
        assert "· A Pasted Paper Number 0" in shown
        with reopen(seeded) as lib:
            assert len(lib) == 114  # a preview writes nothing
        await pilot.press("enter")
        await pilot.pause()
        assert "Oct 7, 2024 — 3 papers, 3 new" in _dialog_text(app)
        # The question is answered (it was still asked above the report).
        title = str(app.screen.query_one("#paste-title").render())
        assert title == "Imported the pasted page (16 lines)"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
    with reopen(seeded) as lib:
        assert len(lib) == 117
        [digest] = [d for d in lib.digests if d.date == "2024-10-07"]
        assert digest.source.startswith("pasted ")
        assert [lib.paper(pid).title for pid in digest.paper_ids] == [
            f"A Pasted Paper Number {n}" for n in range(3)
        ]


async def test_escape_cancels_a_pasted_page(seeded: Path, make_app, reopen) -> None:  # type: ignore[no-untyped-def]
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await _paste(app, pilot, PAGE)
        assert isinstance(app.screen, PasteImportDialog)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
    with reopen(seeded) as lib:
        assert len(lib) == 114 and len(lib.digests) == 2


async def test_text_that_is_no_page_is_refused_in_the_dialog(
    seeded: Path, make_app, reopen
) -> None:  # type: ignore[no-untyped-def]
    notes = "my shopping list\n\n" + "\n\n".join(f"item {n} and more words" for n in range(6))
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await _paste(app, pilot, notes)
        assert isinstance(app.screen, PasteImportDialog)
        assert "cannot be imported" in _dialog_text(app)
        assert "Nothing to import" in str(app.screen.query_one("#paste-title").render())
        await pilot.press("enter")  # closes; there is nothing to import
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
    with reopen(seeded) as lib:
        assert len(lib) == 114


async def test_a_paste_in_the_note_editor_or_the_filter_is_text(
    seeded: Path, make_app, reopen
) -> None:  # type: ignore[no-untyped-def]
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        first = app.screen.paper_list.current_paper.id
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.focused, NoteEditor)
        await _paste(app, pilot, PAGE)
        assert isinstance(app.screen, MainScreen)
        await pilot.press("escape")  # leaves the editor: the note is saved
        await pilot.pause()
        await pilot.press("slash")
        await _paste(app, pilot, PAGE)
        assert isinstance(app.screen, MainScreen)
        assert app.screen.query_one(FilterInput).value == "Daily Papers"
    with reopen(seeded) as lib:
        assert lib.annotation(first).note.strip() == PAGE.strip()
        assert len(lib) == 114


async def test_a_short_paste_on_the_list_imports_nothing(seeded: Path, make_app, reopen) -> None:  # type: ignore[no-untyped-def]
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await _paste(app, pilot, "Differential Transformer\nhttps://arxiv.org/abs/2410.05258")
        assert isinstance(app.screen, MainScreen)
    with reopen(seeded) as lib:
        assert len(lib) == 114


# -- fetching --------------------------------------------------------------------------


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeServer]:
    monkeypatch.setattr(http, "pause", lambda seconds: None)
    for running in serve():
        monkeypatch.setenv("TRACKER_HF_API", running.base + "/api")
        yield running


async def _import_and_close(app, pilot) -> None:  # type: ignore[no-untyped-def]
    """Enter imports the previewed paste, enter closes its report: back on the main screen."""
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, MainScreen)


def _pasted_digest(lib):  # type: ignore[no-untyped-def]
    """The one digest a paste made."""
    [digest] = [d for d in lib.digests if d.source.startswith("pasted ")]
    return digest


def _config(tmp_path: Path, text: str) -> None:
    (tmp_path / "config").mkdir(exist_ok=True)
    (tmp_path / "config" / "config.toml").write_text(text)


async def _until(pilot, condition, what: str) -> None:  # type: ignore[no-untyped-def]
    for _ in range(400):
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError(f"waited in vain for {what}")


async def test_fetch_on_start_runs_in_the_background_and_typing_goes_on(
    seeded: Path, make_app, reopen, server: FakeServer, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    _config(tmp_path, "[fetch]\non_start = true\n")
    yesterday = utc_today() - dt.timedelta(days=1)
    released = threading.Event()
    body = hf_day(yesterday, [("A Fetched Paper On Sparse Routing", "We route.")])
    server.json(f"/api/daily_papers?date={yesterday.isoformat()}", body)
    server.gate = released
    app = make_app(seeded)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await _until(pilot, lambda: bool(app.screen.query(FetchStatus)), "the fetch indicator")
            assert "fetching" in str(app.screen.query_one(FetchStatus).render())
            # The request hangs on the server: the app still takes keys.
            await pilot.press("slash", *"attention")
            await pilot.pause()
            assert app.screen.query_one(FilterInput).value == "attention"
            released.set()
            await _until(pilot, lambda: not app.screen.query(FetchStatus), "the fetch to end")
            await pilot.pause()
    finally:
        released.set()
    with reopen(seeded) as lib:
        assert [d.source for d in lib.digests][-1] == f"hf-daily-{yesterday.isoformat()}.json"
        assert any(p.title == "A Fetched Paper On Sparse Routing" for p in lib.papers)


async def test_fetch_key_offline_says_so_and_imports_nothing(
    seeded: Path, make_app, reopen, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    for running in serve():
        base = running.base
    monkeypatch.setenv("TRACKER_HF_API", base + "/api")  # nothing listens there any more
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("f")
        await _until(pilot, lambda: not app.screen.query(FetchStatus), "the fetch to end")
        await app.workers.wait_for_complete()
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any(
            m.startswith("Fetch failed: Cannot reach 127.0.0.1:") and "Nothing was imported" in m
            for m in messages
        ), messages
    with reopen(seeded) as lib:
        assert len(lib) == 114 and len(lib.digests) == 2


async def test_f_catches_up_day_by_day_each_day_one_import(
    seeded: Path, make_app, reopen, server: FakeServer
) -> None:  # type: ignore[no-untyped-def]
    from tracker.cli import main

    today = utc_today()
    days = [today - dt.timedelta(days=n) for n in (4, 3, 2, 1)]
    for n, day in enumerate(days):
        titles = [(f"Fetched Paper {n}-{k} On Routing", "We route tokens.") for k in range(3)]
        server.json(f"/api/daily_papers?date={day.isoformat()}", hf_day(day, titles))
    assert main(["--data-dir", str(seeded), "fetch", "--date", days[0].isoformat()]) == 0
    server.requests.clear()
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("f")
        await _until(
            pilot,
            lambda: len(server.requests) == 3 and not app.screen.query(FetchStatus),
            "the fetch to end",
        )
        await pilot.pause()
        assert server.requests == [f"/api/daily_papers?date={d.isoformat()}" for d in days[1:]]
        with reopen(seeded) as lib:
            fetched = [d.date for d in lib.digests if d.source.startswith("hf-daily-")]
        assert fetched == [d.isoformat() for d in days]
        messages = [str(n.message) for n in app._notifications]
        assert any(m.startswith("Fetched: hf ") and m.count("3 new of 3") == 3 for m in messages)
        await pilot.press("u")  # takes back the last day only
        await pilot.pause()
    with reopen(seeded) as lib:
        fetched = [d.date for d in lib.digests if d.source.startswith("hf-daily-")]
    assert fetched == [d.isoformat() for d in days[:-1]]


async def test_a_page_without_a_year_gets_its_date_with_d(seeded: Path, make_app, reopen) -> None:  # type: ignore[no-untyped-def]
    undated = page([f"An Undated Pasted Paper {n}" for n in range(2)], day="Aug 21")
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await _paste(app, pilot, undated)
        keys = app.screen.query_one("#paste-keys")
        assert "d: give its date" in str(keys.render())
        assert "would add Aug 21 (no date)" in _dialog_text(app)
        await pilot.press("d", *"Aug 21", "enter")
        await pilot.pause()
        assert "'Aug 21' is not a date like 2024-10-07" in str(keys.render())
        app.screen.query_one("#paste-date").value = ""
        await pilot.press(*"2026-08-21", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "would add Aug 21 2026 (2026-08-21) — 2 papers, 2 new" in _dialog_text(app)
        await _import_and_close(app, pilot)
    with reopen(seeded) as lib:
        digest = _pasted_digest(lib)
        assert (digest.label, digest.date, len(digest.paper_ids)) == ("Aug 21", "2026-08-21", 2)


async def test_a_page_that_names_no_day_is_refused_until_d_gives_it(
    seeded: Path, make_app, reopen
) -> None:  # type: ignore[no-untyped-def]
    nameless = page([f"A Dayless Pasted Paper {n}" for n in range(2)], day="byAK")
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await _paste(app, pilot, nameless)
        text = _dialog_text(app)
        assert "cannot be imported: pasted" in text and "names no day" in text
        assert "press d to give its day" in text and "--date" not in text
        keys = app.screen.query_one("#paste-keys")
        assert "d / enter: give its day" in str(keys.render())
        await pilot.press("enter")  # enter asks for the day too
        await pilot.press(*"2026-08-22", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "would add Aug 22 2026 (2026-08-22) — 2 papers, 2 new" in _dialog_text(app)
        await _import_and_close(app, pilot)
    with reopen(seeded) as lib:
        digest = _pasted_digest(lib)
        assert (digest.date, len(digest.paper_ids)) == ("2026-08-22", 2)
