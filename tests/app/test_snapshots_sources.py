"""SVG snapshots of what the richer sources add: the import dialog and a JSON paper's details.

Regenerate after an intended change with ``pytest tests/app/test_snapshots_sources.py
--snapshot-update`` and look at the SVG before committing.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from snapshot_settle import settle

from tracker.library import Library

SIZE = (120, 34)
HF_JSON = Path(__file__).parent.parent / "fixtures" / "sources" / "hf_daily_papers.json"


def test_import_dialog(seeded: Path, make_app, snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.press("I")
        await pilot.pause()

    assert snap_compare(make_app(seeded), terminal_size=SIZE, run_before=run_before)


_ABSTRACT = "We study this question in depth with many experiments. " * 3
_ASKED = {
    # Two days from one file: an unusual import, asked about before it is written.
    "unusual": (
        "two.txt",
        f"Daily Papers\n\nOct 7, 2024\n\nA Paper About Calendars And Weeks\n\n{_ABSTRACT}\n\n"
        f"Oct 8, 2024\n\nAnother Paper About Clocks And Hours\n\n{_ABSTRACT}\n",
        "",
    ),
    # A page that names no day: its day is asked for (typed half-way here).
    "no-day": (
        "undated.md",
        f"# Reading list\n\n### A Paper About Calendars And Weeks\n\n{_ABSTRACT}\n\n"
        "[arXiv](https://arxiv.org/abs/2410.01234)\n",
        "2024-10-0",
    ),
}


@pytest.mark.parametrize("case", sorted(_ASKED))
def test_import_dialog_asks_before_importing(
    case: str,
    seeded: Path,
    make_app,
    snap_compare,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    name, text, typed = _ASKED[case]
    (tmp_path / name).write_text(text)
    # A relative path typed in a fixed folder: the picture must not show where the tests run.
    monkeypatch.chdir(tmp_path)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.press("I", *name, "enter")
        await settle(pilot)
        await pilot.press(*typed)

    assert snap_compare(make_app(seeded), terminal_size=(80, 24), run_before=run_before)


def test_import_dialog_report_at_80x24(
    seeded: Path,
    make_app,
    snap_compare,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    shutil.copy(HF_JSON, tmp_path / "week.json")
    (tmp_path / "bad.txt").write_bytes(b"\x00binary")
    monkeypatch.chdir(tmp_path)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        # Days of JSON are the listing days: the report comes without a question.
        await pilot.press("I", *"week.json bad.txt", "enter")
        await settle(pilot)

    assert snap_compare(make_app(seeded), terminal_size=(80, 24), run_before=run_before)


def test_detail_of_a_json_paper(data_dir: Path, make_app, snap_compare) -> None:  # type: ignore[no-untyped-def]
    with Library.open(data_dir) as lib:
        lib.import_file(HF_JSON)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.press("slash", *"differential", "enter")
        await settle(pilot)

    assert snap_compare(make_app(data_dir), terminal_size=SIZE, run_before=run_before)


def test_paste_import_preview_at_80x24(
    seeded: Path,
    make_app,
    snap_compare,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    from textual.events import Paste

    from tracker.app.dialogs import paste_import

    # The source name holds the time of the paste: fixed, for a stable picture.
    monkeypatch.setattr(paste_import, "paste_source", lambda: "pasted 2026-08-21 07:30")
    titles = [f"A Pasted Paper Number {n}" for n in range(7)]
    body = "".join(f"{t}\n\nWe study this question in depth.\n\n" for t in titles)

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        pilot.app.post_message(Paste(f"Daily Papers\n\nAug 21, 2026\n\n{body}"))
        await settle(pilot)

    assert snap_compare(make_app(seeded), terminal_size=(80, 24), run_before=run_before)
