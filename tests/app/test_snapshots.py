"""SVG snapshots of every screen (pytest-textual-snapshot).

Regenerate after an intended change with ``pytest tests/app/test_snapshots.py
--snapshot-update`` and look at the report before committing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from snapshot_settle import settle

from tracker.library import Library
from tracker.models import Status

SIZE = (120, 34)


@pytest.fixture
def annotated(seeded: Path) -> Path:
    """The seeded library with a few statuses and a note, as after a morning's work."""
    with Library.open(seeded) as lib:
        ids = [p.id for p in lib.papers]
        lib.set_status(ids[0:3], Status.READ)
        lib.set_status(ids[3:5], Status.TO_READ)
        lib.set_status(ids[5:6], Status.READING)
        lib.set_status(ids[6:8], Status.SKIPPED)
        lib.set_note(
            ids[3],
            "## Why read it\n\n- S4 beats transformers on **long** inputs\n- check the `HiPPO` init",
        )
        lib.add_tags(ids[3:4], ["ssm", "long-context"])
    return seeded


def test_main_screen(annotated: Path, make_app, snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(annotated), terminal_size=SIZE, run_before=settle)


def test_main_screen_narrow(annotated: Path, make_app, snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(annotated), terminal_size=(80, 24), run_before=settle)


def test_filtered_list_with_highlights(annotated: Path, make_app, snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("slash", *"sequence model")
        await settle(pilot)

    assert snap_compare(make_app(annotated), terminal_size=SIZE, run_before=run_before)


def test_detail_with_note(annotated: Path, make_app, snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.press("j", "j", "j")
        await pilot.pause()

    assert snap_compare(make_app(annotated), terminal_size=SIZE, run_before=run_before)


def test_triage(annotated: Path, make_app, snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.press("T", "t", "s")
        await settle(pilot)

    assert snap_compare(make_app(annotated), terminal_size=SIZE, run_before=run_before)


def test_triage_summary(annotated: Path, make_app, snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.press("T", "t", "t", "r", "s", "s", "q")
        await settle(pilot)

    assert snap_compare(make_app(annotated), terminal_size=SIZE, run_before=run_before)


def test_help(annotated: Path, make_app, snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(make_app(annotated), terminal_size=SIZE, run_before=run_before)


def test_export_dialog(annotated: Path, make_app, snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        # The default path holds today's date and the home folder: pin it.
        pilot.app.screen.query_one("#path").value = "~/Documents/paper-notes.md"
        await pilot.pause()

    assert snap_compare(make_app(annotated), terminal_size=SIZE, run_before=run_before)


def test_error_screen(seeded: Path, snap_compare) -> None:  # type: ignore[no-untyped-def]
    from textual.app import App

    from tracker.app.screens.error import ErrorScreen
    from tracker.store import CorruptFileError

    # A file cut off in the middle (its message reads the same in every orjson release;
    # a stray character is described differently from orjson 3.12 on).
    (seeded / "annotations.json").write_text('{"_meta": {"1": ')
    with pytest.raises(CorruptFileError) as info:
        Library.open(seeded)
    # The real message, with the test's temporary path replaced by a stable one.
    message = str(info.value).replace(str(seeded), "~/.local/share/paper-tracker")

    class ErrorApp(App[None]):
        def on_mount(self) -> None:
            self.push_screen(ErrorScreen("Cannot open the library", message))

    assert snap_compare(ErrorApp(), terminal_size=(100, 24))


def test_stats_screen(history: Path, history_today, make_app, snap_compare) -> None:  # type: ignore[no-untyped-def]
    """Three weeks of simulated history, seen on a fixed day (the clock is the library's)."""
    noon = f"{history_today.isoformat()}T12:00:00.000Z"

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        pilot.app.library.now = lambda: noon
        await pilot.press("S")
        await settle(pilot)

    assert snap_compare(make_app(history), terminal_size=SIZE, run_before=run_before)


def test_saved_search_sidebar(annotated: Path, make_app, snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Saved searches under the digests with their live counts and keys; watched papers starred."""
    from tracker.config import ConfigFile

    config = ConfigFile(tmp_path / "config")
    config.set_searches({"Unread LLM": "llm status:new", "State space": '"state space"'})
    config.set_watch(['"state space"', "recipes"])

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.press("7")  # the second saved search
        await settle(pilot)

    assert snap_compare(make_app(annotated), terminal_size=SIZE, run_before=run_before)


def test_whats_new_screen(data_dir: Path, make_app, snap_compare) -> None:  # type: ignore[no-untyped-def]
    """The new papers in a list to mark (one read, one to read) over the summary; a fixed clock."""
    with Library.open(data_dir) as lib:
        lib.now = lambda: "2026-11-25T08:00:00.000Z"
        lib.import_bundled_seeds()

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        pilot.app.library.now = lambda: "2026-11-25T09:00:00.000Z"
        await pilot.press("N", "x", "j", "t")
        await settle(pilot)

    assert snap_compare(make_app(data_dir), terminal_size=SIZE, run_before=run_before)
