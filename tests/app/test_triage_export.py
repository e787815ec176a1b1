"""Triage mode and the export dialog, driven with Pilot."""

from __future__ import annotations

from pathlib import Path

from waiting import wait_for

from tracker.app.screens.main import MainScreen
from tracker.app.screens.triage import TriageScreen
from tracker.models import Status

SIZE = (120, 36)


async def _to_digest(app, pilot, index: int) -> None:  # type: ignore[no-untyped-def]
    """Highlight the digest at ``index`` (0 is "All papers") in the sidebar."""
    app.screen.query_one("#digests").highlighted = index
    await app.workers.wait_for_complete()
    await pilot.pause()


async def _filtered(app, pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type ``text`` in the filter box and go to the list it found."""
    await app.workers.wait_for_complete()
    await pilot.press("slash", *text, "enter")
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_triage_a_whole_digest_with_undo_and_summary(
    seeded: Path,
    make_app,
    reopen,  # type: ignore[no-untyped-def]
) -> None:
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await _to_digest(app, pilot, 2)  # Mar 17: 62 papers
        await pilot.press("T")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TriageScreen)
        assert str(screen.query_one("#triage-count").render()) == "1 / 62"
        first = screen.current_id
        await pilot.press("t")
        assert str(screen.query_one("#triage-count").render()) == "2 / 62"
        second = screen.current_id
        await pilot.press("s", "u")  # skip the second, then undo it
        assert screen.current_id == second
        with reopen(seeded) as lib:
            assert lib.status(first) is Status.TO_READ
            assert lib.status(second) is Status.NEW
        await pilot.press("right", "left")  # move without marking
        assert screen.current_id == second
        await pilot.press("n", *"triage note", "escape")

        def note() -> str:
            with reopen(seeded) as lib:
                return lib.annotation(second).note

        assert await wait_for(pilot, lambda: note() == "triage note")
        for _ in range(61):
            await pilot.press("s")
        await pilot.pause()
        assert type(app.screen).__name__ == "TriageSummary"
        body = str(app.screen.query_one("#summary-body").render())
        assert "62 of 62" in body
        assert str(app.screen.query_one("#summary-title").render()).endswith("finished")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
    with reopen(seeded) as lib:
        stats = {s.digest.label: s for s in lib.digest_stats()}
        assert stats["Mar 17"].by_status[Status.SKIPPED] == 61
        assert stats["Mar 17"].triaged == 62


async def test_leaving_triage_early_is_a_pause_not_the_end(seeded: Path, make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("T")
        await pilot.pause()
        assert isinstance(app.screen, TriageScreen)
        await pilot.press("t", "escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "TriageSummary"
        assert str(app.screen.query_one("#summary-title").render()).endswith("paused")
        assert "press T again to continue" in str(app.screen.query_one("#summary-body").render())


async def test_triage_with_nothing_new_says_so(seeded: Path, make_app) -> None:  # type: ignore[no-untyped-def]
    from tracker.library import Library

    with Library.open(seeded) as lib:
        lib.set_status([p.id for p in lib.papers], Status.READ)
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("T")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert any("No new papers" in str(n.message) for n in app._notifications)


async def test_export_dialog_writes_notes_with_cli_code(
    seeded: Path,
    make_app,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    from tracker.library import Library

    with Library.open(seeded) as lib:
        pid = lib.papers[3].id
        lib.set_note(pid, "## Why it matters\n\nexported note")
        lib.set_status([pid], Status.READING)
    target = tmp_path / "out" / "notes.md"
    target.parent.mkdir()  # a missing one is asked about (test_export_dialog_safety.py)
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        assert type(dialog).__name__ == "ExportDialog"
        dialog.query_one("#path").value = str(target)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
    text = target.read_text()
    assert "## Why it matters\n\nexported note" in text
    assert "- Status: reading" in text
    assert text.count("\n### ") == 1


async def test_export_dialog_per_paper_for_current_filter(
    seeded: Path,
    make_app,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    folder = tmp_path / "vault"
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await _filtered(app, pilot, "pointer")
        matches = len(app.screen.query_one("#papers").hits)
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        dialog.query_one("#scope-filter").value = True
        dialog.query_one("#format").value = "vault"
        await pilot.pause()
        dialog.query_one("#path").value = str(folder)
        await pilot.press("ctrl+s")
        await pilot.pause()
    files = list(folder.iterdir())
    assert len(files) == matches
    assert any(f.read_text().startswith('---\ntitle: "Pointer Networks"') for f in files)


async def test_triage_undo_takes_back_a_note_written_after_the_decision_then_the_decision(
    seeded: Path,
    make_app,
    reopen,  # type: ignore[no-untyped-def]
) -> None:
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await _to_digest(app, pilot, 2)
        await pilot.press("T")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TriageScreen)
        first = screen.current_id
        await pilot.press("t")  # decide on the first paper, then write a note on the second
        second = screen.current_id
        await pilot.press("n", *"important", "escape")
        assert await wait_for(pilot, lambda: isinstance(app.screen, TriageScreen))
        await pilot.pause()
        await pilot.press("u")  # the note: taken back like u everywhere else (issue 16 point 10)
        await pilot.pause()
        assert screen.current_id == second  # the decision stays
        assert any("undid" in str(n.message).lower() for n in app._notifications)
        assert not any("nothing was undone" in str(n.message) for n in app._notifications)
        with reopen(seeded) as lib:
            assert lib.annotation(second).note == ""
            assert lib.status(first) is Status.TO_READ
        await pilot.press("u")  # then the decision before it
        await pilot.pause()
        assert screen.current_id == first
    with reopen(seeded) as lib:
        assert lib.annotation(second).note == ""
        assert lib.status(first) is Status.NEW


async def test_triage_with_text_in_the_filter_goes_through_what_the_list_found(
    seeded: Path, make_app, reopen
) -> None:  # type: ignore[no-untyped-def]
    """A new user's trial (2026-12-04): with 'mamba' in the filter (9 papers listed),
    T opened 'Triage · all papers 1 / 112' without a word about the filter."""
    from tracker.library import Library

    with Library.open(seeded) as lib:
        found = lib.query("mamba")
        lib.set_status([found[0].paper.id], Status.READ)  # not new: not triaged
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await _filtered(app, pilot, "mamba")
        listed = [
            app.screen.paper_list.library.papers[p].id for p in app.screen.paper_list.hits.positions
        ]
        await pilot.press("T")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TriageScreen)
        assert "Triage · “mamba”" in str(screen.query_one("#triage-label").render())
        assert screen.queue == [pid for pid in listed if pid != found[0].paper.id]
        assert len(screen.queue) == len(found) - 1
        await pilot.press("s")  # skip the first one found
        await pilot.pause()
        skipped = screen.queue[0]
        await pilot.press("escape")
        await pilot.pause()
    with reopen(seeded) as lib:
        assert lib.status(skipped) is Status.SKIPPED
