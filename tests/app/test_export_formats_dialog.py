"""The export dialog's format choice: CSV and BibTeX through the same code as the CLI."""

from __future__ import annotations

import csv
from pathlib import Path

import bibtexparser

from tracker.app.screens.main import MainScreen
from tracker.library import Library
from tracker.models import Status

SIZE = (80, 24)


async def test_choosing_csv_follows_the_path_and_writes_a_table(
    seeded: Path,
    make_app,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    with Library.open(seeded) as lib:
        pids = [p.id for p in lib.papers[:3]]
        lib.set_status(pids, Status.TO_READ)
        lib.set_note(pids[0], "+ starts like a formula")
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        path_input = dialog.query_one("#path")
        assert path_input.value.endswith(".md")
        dialog.query_one("#format").value = "csv"
        await pilot.pause()
        # The default path follows the format; Markdown-only options step aside.
        assert path_input.value.endswith(".csv")
        assert dialog.query_one("#abstracts").disabled
        # Write into the test's own folder, not the documents folder.
        target = tmp_path / Path(path_input.value).name
        path_input.value = str(target)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
    with target.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["id"] for r in rows] == pids
    assert rows[0]["note"] == "'+ starts like a formula"


async def test_bibtex_of_papers_without_arxiv_ids_is_written_and_says_so(
    seeded: Path,
    make_app,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    with Library.open(seeded) as lib:
        lib.set_status([lib.papers[0].id], Status.READ)
    target = tmp_path / "refs.bib"
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        dialog.query_one("#format").value = "bibtex"
        await pilot.pause()
        dialog.query_one("#path").value = str(target)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is not dialog
        messages = [str(n.message) for n in app._notifications]
    assert any("1 of them has no arXiv id: written as @misc" in m for m in messages), messages
    [entry] = bibtexparser.parse_string(target.read_text()).entries
    assert entry.entry_type == "misc" and "eprint" not in entry.fields_dict


async def test_the_dialog_opens_on_its_first_choice_and_the_arrows_move_it(
    seeded: Path,
    make_app,  # type: ignore[no-untyped-def]
) -> None:
    """Found by a new-user trial: after e, down and enter did nothing until tab was pressed."""
    from textual.widgets import RadioSet

    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("e")
        await pilot.pause()
        scope = app.screen.query_one("#scope", RadioSet)
        assert app.focused is scope
        await pilot.press("down", "enter")
        await pilot.pause()
        assert scope.pressed_button is not None and scope.pressed_button.id == "scope-filter"
