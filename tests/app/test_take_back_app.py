"""Taking things back in the app: undo of an import, forget and edit a digest from the sidebar."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from waiting import run_command, wait_for

from tracker.app.dialogs.confirm import ConfirmDialog
from tracker.app.dialogs.digest_edit import DigestEditDialog
from tracker.app.screens.main import MainScreen
from tracker.app.widgets.digest_sidebar import DigestSidebar
from tracker.app.widgets.paper_list import PaperList
from tracker.library import Library
from tracker.models import Status

SIZE = (120, 36)

PAGE = (
    "Daily Papers\n\nOct 7, 2024\n\n"
    "Zebra Stripes As Error Correcting Codes\n\n"
    + "We show that zebra stripes encode redundancy like an error correcting code. " * 3
    + "\n\nA Second Paper About Giraffes\n\n"
    + "Giraffes are tall and we measure exactly how tall they are in the wild. " * 3
    + "\n"
)


PAPERS = [
    ("Mamba: Linear-Time Sequence Modeling with Selective State Spaces", ["Albert Gu", "Tri Dao"]),
    ("FlashAttention: Fast and Memory-Efficient Exact Attention", ["Tri Dao", "Daniel Y. Fu"]),
    ("The Dao of Sequence Models", ["Jane Roe"]),
    ("Tridiagonal Solvers", ["Dao Tri"]),
    ("Graphs at Scale", ["Yi Wang"]),
]


def _hf_item(n: int, title: str, authors: list[str]) -> dict[str, object]:
    """One paper of the Hugging Face daily-papers JSON."""
    paper = {
        "id": f"2410.{n:05d}",
        "title": title,
        "summary": "We study sequence models and report careful experiments on benchmarks.",
        "authors": [{"name": a} for a in authors],
        "publishedAt": "2024-10-08T10:00:00.000Z",
    }
    return {"paper": paper, "publishedAt": "2024-10-08T10:00:00.000Z", "title": title}


def _state(lib: Library) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    return [p.to_dict() for p in lib.papers], [d.to_dict() for d in lib.digests]


def _labels(sidebar: DigestSidebar) -> list[str]:
    return [str(sidebar.get_option_at_index(i).prompt) for i in range(sidebar.option_count)]


async def _settle(app, pilot) -> None:  # type: ignore[no-untyped-def]
    await app.workers.wait_for_complete()
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def _search(app, pilot, text: str) -> list[str]:  # type: ignore[no-untyped-def]
    app.screen.query_one("#filter").value = text
    await _settle(app, pilot)
    plist = app.screen.query_one(PaperList)
    return [plist.paper_at(i).title for i in range(len(plist.hits))]


async def test_undo_of_an_import_restores_papers_digests_index_and_sidebar(
    seeded: Path, make_app, reopen, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    page = tmp_path / "oct7.txt"
    page.write_text(PAGE)
    with reopen(seeded) as lib:
        before = _state(lib)
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        await pilot.press("I")
        await pilot.pause()
        app.screen.query_one("#import-path").value = str(page)
        await pilot.press("enter")
        await _settle(app, pilot)
        await pilot.press("escape")
        await _settle(app, pilot)
        sidebar = app.screen.query_one(DigestSidebar)
        assert any("Oct 7, 2024" in label for label in _labels(sidebar))
        assert await _search(app, pilot, "zebra") == ["Zebra Stripes As Error Correcting Codes"]

        app.screen.query_one(PaperList).focus()
        await pilot.press("u")
        await _settle(app, pilot)
        assert isinstance(app.screen, MainScreen)
        messages = [str(n.message) for n in app._notifications]
        # The label as it is (str.capitalize made it "oct 7, 2024").
        assert "Undid: imported oct7.txt (Oct 7, 2024, 2 new papers)" in messages, messages
        assert not any("Oct 7, 2024" in label for label in _labels(sidebar))
        assert await _search(app, pilot, "zebra") == []
        assert len(await _search(app, pilot, "")) == 114
        assert _state(app.library) == before
    with reopen(seeded) as lib:
        assert _state(lib) == before


async def test_forget_a_digest_from_the_sidebar_asks_with_the_counts(
    seeded: Path, make_app, reopen
) -> None:  # type: ignore[no-untyped-def]
    with Library.open(seeded) as lib:
        aug = lib.resolve_digest("Aug 25")
        only_aug = [p.id for p in lib.papers if p.digests == [aug.id]]
        lib.set_note(only_aug[0], "mine")
        before = _state(lib)
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        sidebar = app.screen.query_one(DigestSidebar)
        sidebar.focus()
        await pilot.press("down")  # All papers -> Aug 25
        await _settle(app, pilot)
        assert sidebar.current_digest == aug.id
        await pilot.press("D")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        question = str(app.screen.query_one("#question").render())
        assert "Forget digest Aug 25 (from 000_0c6dd877d1d695bf.txt)?" in question
        assert "51 papers leave the library; 19 stay in other digests; 1 stays" in question
        await pilot.press("n")
        await _settle(app, pilot)
        with reopen(seeded) as lib:
            assert _state(lib) == before

        await pilot.press("D")
        await pilot.pause()
        await pilot.press("y")
        await _settle(app, pilot)
        assert isinstance(app.screen, MainScreen)
        assert not any("Aug 25" in label for label in _labels(sidebar))
        assert len(await _search(app, pilot, "")) == 114 - 51
        with reopen(seeded) as lib:
            assert [d.label for d in lib.digests] == ["Mar 17"]
            assert lib.paper(only_aug[0]).digests == []  # annotated: it stays
            assert lib.annotation(only_aug[0]).note == "mine"

        app.screen.query_one(PaperList).focus()
        await pilot.press("u")
        await _settle(app, pilot)
        assert any("Aug 25" in label for label in _labels(sidebar))
        assert len(await _search(app, pilot, "")) == 114
    with reopen(seeded) as lib:
        assert _state(lib) == before


async def test_forget_from_the_command_palette(seeded: Path, make_app, reopen) -> None:  # type: ignore[no-untyped-def]
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        await run_command(pilot, "Forget digest: Mar 17")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        assert "Forget digest Mar 17 (from 001_647fae0982a8fe03.txt)?" in str(
            app.screen.query_one("#question").render()
        )
        await pilot.press("y")
        await _settle(app, pilot)
    with reopen(seeded) as lib:
        assert [d.label for d in lib.digests] == ["Aug 25"]
        assert len(lib) == 71


async def test_edit_a_digest_label_and_date_from_the_sidebar(
    seeded: Path, make_app, reopen
) -> None:  # type: ignore[no-untyped-def]
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        sidebar = app.screen.query_one(DigestSidebar)
        sidebar.focus()
        await pilot.press("down", "down")  # Mar 17
        await _settle(app, pilot)
        await pilot.press("R")
        await pilot.pause()
        assert isinstance(app.screen, DigestEditDialog)
        app.screen.query_one("#digest-label").value = "HF Mar 17"
        app.screen.query_one("#digest-date").value = "17 March"
        await pilot.press("enter")
        await pilot.pause()
        assert "is not a date" in str(app.screen.query_one("#digest-edit-problem").render())
        app.screen.query_one("#digest-date").value = "2025-03-17"
        await pilot.press("enter")
        await _settle(app, pilot)
        assert isinstance(app.screen, MainScreen)
        assert any("HF Mar 17 2025" in label for label in _labels(sidebar))
        with reopen(seeded) as lib:
            digest = lib.resolve_digest("HF Mar 17")
            assert digest.date == "2025-03-17"
            assert all(lib.status(pid) is Status.NEW for pid in digest.paper_ids)
        app.screen.query_one(PaperList).focus()
        await pilot.press("u")  # one change: label and date together
        await _settle(app, pilot)
        assert any(label.startswith("Mar 17") for label in _labels(sidebar))
    with reopen(seeded) as lib:
        assert [(d.label, d.date) for d in lib.digests] == [("Aug 25", None), ("Mar 17", None)]


async def test_r_and_d_are_offered_only_on_a_digest_or_a_saved_search(
    seeded: Path, make_app
) -> None:  # type: ignore[no-untyped-def]
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        sidebar = app.screen.query_one(DigestSidebar)
        sidebar.focus()
        await pilot.pause()
        assert sidebar.check_action("search_action", ("rename",)) is False  # on All papers
        assert sidebar.check_action("digest_action", ("edit",)) is False
        await pilot.press("down")
        await pilot.pause()
        # On a digest: R edits it and D forgets it; the saved search's pair is not offered.
        assert sidebar.check_action("digest_action", ("edit",)) is True
        assert sidebar.check_action("search_action", ("rename",)) is False


async def test_authors_in_the_filter_box_and_a_saved_search(
    data_dir: Path, make_app, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from tracker.config import ConfigFile

    page = tmp_path / "day.json"
    page.write_text(
        json.dumps([_hf_item(n, title, authors) for n, (title, authors) in enumerate(PAPERS)])
    )
    with Library.open(data_dir) as lib:
        lib.import_file(page)
    ConfigFile(tmp_path / "config").set_searches({"By Tri Dao": 'author:"Tri Dao"'})
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await _settle(app, pilot)
        found = await _search(app, pilot, 'author:"Albert Gu"')
        assert found == [PAPERS[0][0]]
        found = await _search(app, pilot, "dao")
        assert found[0] == "The Dao of Sequence Models" and len(found) == 4
        await _search(app, pilot, "")
        sidebar = app.screen.query_one(DigestSidebar)
        # Saved-search counts follow once changes pause.
        assert await wait_for(
            pilot,
            lambda: any(
                "By Tri Dao" in label and label.rstrip().endswith("3") for label in _labels(sidebar)
            ),
        )
        app.screen.run_saved_search("By Tri Dao")
        await _settle(app, pilot)
        plist = app.screen.query_one(PaperList)
        assert len(plist.hits) == 3
