"""The export dialog never destroys a file (issue 18 point 1) and shows its choices without colour
(issue 16 point 9), driven with Pilot.

The released dialog replaced any file at its path without a word, its
default name made the second export of a day replace the first, and its
radio buttons and checkboxes drew the same mark on and off (only the colour
differed, so under NO_COLOR every box looked ticked).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tracker.app.screens.main import MainScreen
from tracker.library import Library
from tracker.models import Status

SIZE = (80, 24)


@pytest.fixture
def annotated(seeded: Path) -> Path:
    with Library.open(seeded) as lib:
        pids = [p.id for p in lib.papers[:2]]
        lib.set_status(pids, Status.TO_READ)
        lib.set_note(pids[0], "a note worth exporting")
    return seeded


@pytest.fixture
def documents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The folder the dialog proposes (the user's documents folder)."""
    folder = tmp_path / "Documents"
    folder.mkdir()
    monkeypatch.setattr("tracker.app.dialogs.export.default_export_dir", lambda: folder)
    return folder


async def _open_dialog(app, pilot):  # type: ignore[no-untyped-def]
    await app.workers.wait_for_complete()
    await pilot.press("e")
    await pilot.pause()
    assert type(app.screen).__name__ == "ExportDialog"
    return app.screen


async def test_two_exports_of_a_day_with_one_keystroke_each_make_two_files(
    annotated: Path, make_app, documents: Path
) -> None:  # type: ignore[no-untyped-def]
    app = make_app(annotated)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(2):
            await _open_dialog(app, pilot)
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, MainScreen)
    today = dt.date.today().isoformat()
    assert sorted(p.name for p in documents.iterdir()) == [
        f"paper-notes-{today}-2.md",
        f"paper-notes-{today}.md",
    ]


async def test_a_file_of_the_users_is_replaced_only_after_confirming_and_kept(
    annotated: Path, make_app, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "notes.md"
    target.write_text("precious")
    app = make_app(annotated)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await _open_dialog(app, pilot)
        dialog.query_one("#path").value = str(target)
        await pilot.press("ctrl+s")
        await pilot.pause()
        # Still in the dialog, told what happens next; nothing written yet.
        assert app.screen is dialog
        said = str(dialog.query_one("#export-error").render())
        assert "notes.md exists" in said and "ctrl+s replaces it" in said and ".bak" in said
        assert str(dialog.query_one("#export").label) == "Replace (ctrl+s)"
        assert target.read_text() == "precious"
        # Changing the path takes the confirmation back.
        dialog.query_one("#path").value = str(target) + " "
        await pilot.pause()
        dialog.query_one("#path").value = str(target)
        await pilot.pause()
        assert str(dialog.query_one("#export").label) == "Export (ctrl+s)"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog and target.read_text() == "precious"
        await pilot.press("ctrl+s")  # confirmed
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        messages = [str(n.message) for n in app._notifications]
    [backup] = [p for p in tmp_path.iterdir() if p.name.startswith("notes.md.")]
    assert backup.read_text() == "precious" and backup.name.endswith(".bak")
    assert "a note worth exporting" in target.read_text()
    assert any(backup.name in m for m in messages), messages


async def test_a_vault_note_edited_in_its_generated_part_is_replaced_only_after_confirming(
    annotated: Path, make_app, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    vault = tmp_path / "vault"
    with Library.open(annotated) as lib:
        ids = [p.id for p in lib.papers if not lib.annotation(p.id).is_default]
        lib.write_export(lib.export_items(ids), vault, fmt="vault")
        lib.set_note(ids[0], "a newer note")
    [note] = vault.glob(f"*({ids[0]}).md")
    edited = note.read_text().replace("a note worth exporting", "edited in Obsidian")
    note.write_text(edited + "\nmy own line below\n")
    app = make_app(annotated)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await _open_dialog(app, pilot)
        dialog.query_one("#format").value = "vault"
        await pilot.pause()
        dialog.query_one("#path").value = str(vault)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog
        said = str(dialog.query_one("#export-error").render())
        assert note.name[:20] in said and "ctrl+s replaces the generated part" in said
        assert note.read_text() == edited + "\nmy own line below\n"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
    text = note.read_text()
    assert "a newer note" in text and text.endswith("\nmy own line below\n")
    [backup] = vault.glob("*.bak")
    assert backup.read_text() == edited + "\nmy own line below\n"


async def test_toggles_show_their_state_without_colour(
    annotated: Path, make_app, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(annotated)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await _open_dialog(app, pilot)

        def mark(selector: str) -> str:
            return dialog.query_one(selector).render().plain[:3]

        assert mark("#abstracts") == "▐X▌" and mark("#by-status") == "▐ ▌"
        assert mark("#scope-annotated") == "▐●▌" and mark("#scope-all") == "▐ ▌"
        dialog.query_one("#by-status").focus()
        await pilot.pause()
        await pilot.press("space")
        dialog.query_one("#scope-all").value = True  # as a click or enter in the set does
        await pilot.pause()
        assert dialog.query_one("#by-status").value
        assert mark("#by-status") == "▐X▌"
        assert mark("#scope-all") == "▐●▌" and mark("#scope-annotated") == "▐ ▌"


def test_export_dialog_without_colour(
    annotated: Path, make_app, snap_compare, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from snapshot_settle import settle

    monkeypatch.setenv("NO_COLOR", "1")

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        # The default path holds today's date and the home folder: pin it.
        pilot.app.screen.query_one("#path").value = "~/Documents/paper-notes.md"
        pilot.app.screen.query_one("#scope-filter").value = True
        await pilot.pause()

    assert snap_compare(make_app(annotated), terminal_size=(80, 24), run_before=run_before)


async def test_a_missing_folder_is_made_only_after_confirming(
    annotated: Path, make_app, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """A mistyped path made a tree of folders without a word (`tracker export` asks
    for --parents); now the dialog says the folder is missing and a second ctrl+s makes it."""
    target = tmp_path / "nope" / "deeper" / "x.md"
    app = make_app(annotated)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await _open_dialog(app, pilot)
        dialog.query_one("#path").value = str(target)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog and not (tmp_path / "nope").exists()
        said = str(dialog.query_one("#export-error").render())
        assert f"The folder {target.parent} does not exist" in said
        # Another path is another question: asked again, nothing made.
        dialog.query_one("#path").value = str(tmp_path / "other" / "x.md")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog and not (tmp_path / "other").exists()
        dialog.query_one("#path").value = str(target)
        await pilot.press("ctrl+s", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
    assert "a note worth exporting" in target.read_text()
    assert not (tmp_path / "other").exists()


async def test_a_path_under_a_file_is_refused(annotated: Path, make_app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "a-file").write_text("mine")
    app = make_app(annotated)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await _open_dialog(app, pilot)
        dialog.query_one("#path").value = str(tmp_path / "a-file" / "deeper" / "x.md")
        await pilot.press("ctrl+s")  # said at once, not offered to be made first
        await pilot.pause()
        assert app.screen is dialog
        assert "is not a folder" in str(dialog.query_one("#export-error").render())
    assert (tmp_path / "a-file").read_text() == "mine"
