"""Papers another process takes out (its undo of an import, a forget) while the app shows them.

The app takes such changes in every second, and also first thing in each of
its own writes. Until then the screens hold papers, and the list positions,
from before: a key pressed in between must neither end the app nor lose what
was typed (found in a review of the first fix; each test failed on it).
"""

from __future__ import annotations

from pathlib import Path

from test_concurrent_writers import SIZE, _digest, until

from tracker.app.widgets.paper_list import PaperList
from tracker.library import Library
from tracker.models import Status


def _only_in(lib: Library, digest_id: str) -> set[str]:
    return {p.id for p in lib.papers if p.digests == [digest_id]}


async def _ready(app, pilot) -> PaperList:  # type: ignore[no-untyped-def]
    await app.workers.wait_for_complete()
    await pilot.pause()
    return app.screen.query_one(PaperList)


def _said(app) -> str:  # type: ignore[no-untyped-def]
    return " ".join(str(n.message) for n in app._notifications)


async def test_a_status_key_on_a_paper_just_taken_out_changes_nothing_and_says_so(
    seeded: Path, make_app
) -> None:  # type: ignore[no-untyped-def]
    with Library.open(seeded, readonly=True) as lib:
        forgotten = lib.digests[0].id
        only = _only_in(lib, forgotten)
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        plist = await _ready(app, pilot)
        while plist.current_paper.id not in only:
            await pilot.press("j")
        gone = plist.current_paper.id
        with Library.open(seeded) as other:
            other.forget_digest(forgotten)
        await pilot.press("x")  # the write takes the forget in first
        await pilot.pause()
        assert app.is_running and "no longer in the library" in _said(app)
        assert app.library.annotation(gone).is_default
        assert await until(pilot, lambda: len(plist.hits) == len(app.library.papers))
        assert plist.current_paper is not None


async def test_a_selection_is_marked_while_the_pane_shows_a_paper_taken_out(
    seeded: Path, make_app
) -> None:  # type: ignore[no-untyped-def]
    with Library.open(seeded, readonly=True) as lib:
        first, second = lib.digests[0].id, lib.digests[1].id
        only_first, only_second = _only_in(lib, first), _only_in(lib, second)
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        plist = await _ready(app, pilot)
        rows = [plist.paper_at(i).id for i in range(len(plist.hits))]
        chosen = [pid for pid in rows if pid in only_second][:2]
        plist.selected = set(chosen)
        plist.cursor = next(i for i, pid in enumerate(rows) if pid in only_first)
        await pilot.pause(0.3)
        with Library.open(seeded) as other:
            other.forget_digest(first)
        await pilot.press("x")  # the selection: read
        await pilot.pause()
        assert app.is_running
        assert all(app.library.status(pid) is Status.READ for pid in chosen)
        # The list took the forget in with the write: no row from before it.
        assert len(plist.hits) == len(app.library.papers)


async def test_a_note_typed_while_its_paper_is_taken_out_is_kept(
    seeded: Path, make_app, tmp_path: Path, reopen
) -> None:  # type: ignore[no-untyped-def]
    digest = tmp_path / "today.txt"
    digest.write_text(_digest(7, 3, "gone"))
    with Library.open(seeded) as lib:
        lib.import_files([digest], date="2024-10-07")
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        plist = await _ready(app, pilot)
        await pilot.press("G")
        gone = plist.current_paper.id
        await pilot.press("enter", "k", "e", "e", "p")
        with Library.open(seeded) as other:
            assert other.undo() is not None  # nothing stored yet: the import goes
        await pilot.press("escape")  # saves the note
        await pilot.pause()
        assert app.is_running and "your note is kept" in _said(app)
    with reopen(seeded) as lib:
        assert not lib.has_paper(gone)
        assert lib.annotation(gone).note == "keep"


async def test_triage_goes_on_past_papers_taken_out(seeded: Path, make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        await pilot.press("T")
        await pilot.pause()
        triage = app.screen
        shown = triage.current_id
        with Library.open(seeded) as other:
            digest = next(d for d in other.digests if shown in d.paper_ids)
            other.forget_digest(digest.id)
            left = {p.id for p in other.papers}
        await pilot.press("t")
        await pilot.pause()
        assert app.is_running
        if app.screen is triage:  # on to a paper still there
            assert triage.current_id in left
            assert set(triage.queue) <= left


async def test_whats_new_follows_papers_taken_out(seeded: Path, make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        await pilot.press("N")
        await pilot.pause()
        plist = app.screen.query_one(PaperList)
        before = len(plist.hits)
        with Library.open(seeded) as other:
            other.forget_digest(other.digests[0].id)
            left = len(other.papers)
        assert await until(pilot, lambda: 0 < len(plist.hits) < before)
        assert len(plist.hits) <= left
        assert all(app.library.has_paper(plist.paper_at(i).id) for i in range(len(plist.hits)))


async def test_the_cursor_stays_on_its_paper_when_a_write_takes_a_forget_in(
    seeded: Path, make_app
) -> None:  # type: ignore[no-untyped-def]
    with Library.open(seeded, readonly=True) as lib:
        forgotten = lib.digests[0]
        stays = [p.id for p in lib.papers if p.id not in forgotten.paper_ids]
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        plist = await _ready(app, pilot)
        while plist.current_paper.id != stays[3]:
            await pilot.press("j")
        with Library.open(seeded) as other:
            other.forget_digest(forgotten.id)
        await pilot.press("x")  # read; the write takes the forget in first
        await pilot.pause()
        assert len(plist.hits) == len(app.library.papers)  # the list at once, not empty
        assert plist.current_paper.id == stays[3]
        assert app.library.status(stays[3]) is Status.READ
