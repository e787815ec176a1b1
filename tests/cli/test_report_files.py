"""`tracker whats-new -o` and `tracker backup` write a file the user names by the export rule.

whats-new replaced any file there without a word (a second new-user trial:
"my precious" became the morning's report, no copy kept), and backup made
any missing folders of a mistyped path.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_run import run


@pytest.mark.usefixtures("seeded")
def test_whats_new_does_not_replace_a_file_of_the_users(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "precious.md"
    target.write_text("my precious\n", encoding="utf-8")
    code, out, err = run(capsys, "whats-new", "-o", str(target))
    assert (code, out) == (1, "") and "--force" in err
    assert target.read_text(encoding="utf-8") == "my precious\n"
    code, _, err = run(capsys, "whats-new", "-o", str(target), "--force")
    assert code == 0 and "kept as" in err
    assert target.read_text(encoding="utf-8").startswith("# What's new")
    [kept] = [p for p in tmp_path.iterdir() if p.name.endswith(".bak")]
    assert kept.read_text(encoding="utf-8") == "my precious\n"


@pytest.mark.usefixtures("seeded")
def test_whats_new_replaces_its_own_file_each_morning(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    target = folder / "new.md"
    assert run(capsys, "whats-new", "-o", str(target))[0] == 0
    assert run(capsys, "whats-new", "--since", "30d", "-o", str(target))[0] == 0
    assert [p.name for p in folder.iterdir()] == ["new.md"]


@pytest.mark.usefixtures("seeded")
@pytest.mark.parametrize("command", [["whats-new", "-o"], ["backup"]])
def test_a_missing_folder_is_made_only_with_parents(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: list[str]
) -> None:
    target = tmp_path / "deep" / "er" / "x.md"
    code, _, err = run(capsys, *command, str(target))
    assert code == 1 and "give --parents to create it" in err
    assert not (tmp_path / "deep").exists()
    assert run(capsys, *command, str(target), "--parents")[0] == 0
    assert target.exists()
