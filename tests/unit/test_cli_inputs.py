"""Inputs that say what is wrong: no ids on stdin, an export into a folder that is not there."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from tests.cli_run import run


@pytest.fixture
def seeded_cli(capsys: pytest.CaptureFixture[str], seeds: list[Path]) -> None:
    assert run(capsys, "import", *map(str, seeds))[0] == 0


@pytest.mark.usefixtures("seeded_cli")
def test_mark_with_empty_stdin_says_no_ids_were_given(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n"))
    code, out, err = run(capsys, "mark", "read", "-")
    assert code == 1 and out == ""
    assert err == "tracker: no paper ids were given (standard input was empty)\n"


@pytest.mark.usefixtures("seeded_cli")
def test_export_into_a_missing_folder_is_refused_and_creates_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "nonexistent" / "dir" / "x.md"
    code, _, err = run(capsys, "export", "--all", "-o", str(target))
    assert code == 1
    assert err == (
        f"tracker: the folder {target.parent} does not exist; give --parents to create it\n"
    )
    assert not (tmp_path / "nonexistent").exists()
    code, _, err = run(capsys, "export", "--all", "--format", "vault", "-o", str(target.parent))
    assert code == 1 and not (tmp_path / "nonexistent").exists()


@pytest.mark.usefixtures("seeded_cli")
def test_export_parents_creates_the_folders(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "new" / "dir" / "x.md"
    code, _, _ = run(capsys, "export", "--all", "--parents", "-o", str(target))
    assert code == 0
    assert target.read_text(encoding="utf-8").startswith("# Paper notes")
    vault = tmp_path / "vault-parent" / "papers"
    assert run(capsys, "export", "--all", "--parents", "--per-paper", str(vault))[0] == 0
    assert len(list(vault.iterdir())) == 114


@pytest.mark.usefixtures("seeded_cli")
def test_export_into_an_existing_folder_needs_no_option(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert run(capsys, "export", "--all", "-o", str(tmp_path / "x.md"))[0] == 0
    assert run(capsys, "export", "--all", "--per-paper", str(tmp_path / "vault"))[0] == 0
    assert (tmp_path / "vault").is_dir()
