"""`tracker import --clipboard`: the page the clipboard holds, as `tracker import -` takes it."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from tests.conftest import SEEDS
from tracker.cli import main
from tracker.library import Library


@pytest.fixture
def clipboard_holding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An X11 session whose clipboard (read by a stand-in xclip) holds the first seed page."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    xclip = bin_dir / "xclip"
    xclip.write_text(f"#!/bin/sh\ncat '{SEEDS[0]}'\n", encoding="utf-8")
    xclip.chmod(xclip.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("TMUX", raising=False)
    return bin_dir


def test_import_clipboard_previews_then_imports_the_page(
    clipboard_holding: Path, capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    assert main(["import", "--clipboard", "--dry-run", "--date", "2025-08-25"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("clipboard: would add Aug 25 2025 (2025-08-25) — 71 papers, 71 new")
    assert not (data_dir / "library.json").exists()
    assert main(["import", "--clipboard", "--date", "2025-08-25"]) == 0
    with Library.open(data_dir, readonly=True) as lib:
        assert len(lib) == 71
        assert [d.source for d in lib.digests] == ["clipboard"]
    # The same page again is the same digest.
    assert main(["import", "--clipboard"]) == 0
    assert "already imported" in capsys.readouterr().out


def test_import_clipboard_without_a_clipboard_is_one_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "TMUX"):
        monkeypatch.delenv(name, raising=False)
    assert main(["import", "--clipboard"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("tracker: cannot read the clipboard: no clipboard program")


def test_import_needs_files_or_the_clipboard(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import"]) == 1
    assert (
        "give the files to import, - for standard input, or --clipboard" in capsys.readouterr().err
    )
    assert main(["import", "--clipboard", str(SEEDS[0])]) == 1
    assert "--clipboard imports the clipboard alone" in capsys.readouterr().err
