"""The note handed to the user's editor ($VISUAL, $EDITOR) and taken back."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tracker.editor import edit_text


def _editor(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, code: str) -> None:
    script = tmp_path / "editor.py"
    script.write_text("import sys\npath = sys.argv[1]\n" + code)
    monkeypatch.setenv("VISUAL", f"{sys.executable} {script}")


def test_an_editor_appending_a_line_starts_it_on_a_line_of_its_own(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The file ended without a line end: a line appended joined the note's last one."""
    _editor(monkeypatch, tmp_path, "open(path, 'a').write('added by editor\\n')\n")
    assert edit_text("abrupt close") == "abrupt close\nadded by editor"


@pytest.mark.parametrize("note", ["abrupt close", "ends with a line\n", "", "two\n\n"])
def test_a_note_saved_unchanged_comes_back_the_same(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, note: str
) -> None:
    _editor(monkeypatch, tmp_path, "pass\n")
    assert edit_text(note) == note


def test_a_line_typed_into_an_empty_note_comes_back_without_the_files_line_end(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _editor(monkeypatch, tmp_path, "open(path, 'w').write('first thought\\n')\n")
    assert edit_text("") == "first thought"
