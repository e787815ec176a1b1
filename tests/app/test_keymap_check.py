"""`tracker keys --check` and the keymap check behind it (issue 16 point 7)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker.app.app import TrackerApp
from tracker.app.keymap_check import check_keymap, is_key_name, situations
from tracker.cli import main


def test_a_remapped_key_is_taken_from_the_defaults_it_meets() -> None:
    checked = check_keymap({"status.skipped": "j"}, TrackerApp.BINDINGS)
    assert checked.problems == []
    assert checked.keymap["status.skipped"] == "j"
    # The list's and the sidebar's j give way; their arrows stay.
    assert checked.keymap["list.down"] == "down"
    assert checked.keymap["sidebar.down"] == "down"
    # Triage never meets the main screen's skip: its keys stay as they are.
    assert not any(k.startswith("triage.") for k in checked.keymap)


def test_problems_are_one_sentence_each() -> None:
    checked = check_keymap(
        {"status.skiped": "k", "status.read": "z", "status.to_read": "z"}, TrackerApp.BINDINGS
    )
    assert len(checked.problems) == 2, checked.problems
    twice, unknown = sorted(checked.problems)
    assert "'status.skiped'" in unknown and "did you mean 'status.skipped'" in unknown
    assert "'z' is given to both 'status.read' and 'status.to_read'" in twice
    assert "status.skiped" not in checked.keymap


def test_a_key_name_no_keyboard_sends_is_said_and_the_binding_keeps_its_keys() -> None:
    """Textual takes any character's name as a key ("banana" is 🍌): a mistyped name left
    the binding with no key to press, and the check said the file was fine."""
    checked = check_keymap(
        {"paper.open": "banana", "paper.open_pdf": "ctrl+", "stats": "ctrl+shift+banana"},
        TrackerApp.BINDINGS,
    )
    assert len(checked.problems) == 3, checked.problems
    assert "'banana' (for 'paper.open') is not a key name" in " ".join(checked.problems)
    assert not {"paper.open", "paper.open_pdf", "stats"} & set(checked.keymap)


def test_every_default_key_is_a_key_name() -> None:
    """The rule for the user's keys holds for the app's own (it would refuse one of them)."""
    keys = {
        key
        for bindings in situations(TrackerApp.BINDINGS).values()
        for binding in bindings
        for key in binding.key.split(",")
    }
    assert keys and all(is_key_name(key.strip()) for key in keys), sorted(
        k for k in keys if not is_key_name(k.strip())
    )
    assert all(map(is_key_name, ["question_mark", "ä", "f5", "ctrl+x", "shift+tab", "space"]))


def test_a_default_left_without_a_key_is_said() -> None:
    checked = check_keymap({"status.skipped": "T"}, TrackerApp.BINDINGS)  # T was triage's only key
    assert any("'triage' has no key left" in p for p in checked.problems)


def _check(capsys: pytest.CaptureFixture[str], config: Path, text: str | None) -> tuple[int, str]:
    if text is not None:
        (config / "keymap.toml").write_text(text)
    code = main(["keys", "--check"])
    return code, capsys.readouterr().out


def test_tracker_keys_check(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_CONFIG_DIR", str(tmp_path))
    code, out = _check(capsys, tmp_path, None)
    assert code == 0 and "default keys" in out
    code, out = _check(capsys, tmp_path, '[keys]\n"status.skipped" = "j"\n')
    assert code == 0 and "fine (1 binding remapped)" in out
    code, out = _check(capsys, tmp_path, '[keys]\n"paper.open" = "banana"\n')
    assert code == 1 and "'banana' (for 'paper.open') is not a key name" in out
    code, out = _check(capsys, tmp_path, '[keys]\n"status.skiped" = "j"\n')
    assert code == 1 and "did you mean 'status.skipped'" in out
    code, out = _check(capsys, tmp_path, "[keys\n")
    assert code == 1 and "keymap.toml was ignored" in out
    (tmp_path / "keymap.toml").unlink()
    assert main(["keys"]) == 0
    listing = capsys.readouterr().out
    assert "status.skipped" in listing and "list.down" in listing
    # Every row: id, keys and description apart, however long the list of keys.
    rows = [line.split() for line in listing.splitlines() if line.startswith("  ")]
    assert ["help.close", "escape,q,question_mark", "Close"] in rows
