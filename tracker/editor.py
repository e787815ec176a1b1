"""Editing text in the user's own editor ($VISUAL, $EDITOR, else vi).

Used by ``tracker note --edit`` and by the app (which suspends itself while
the editor runs).
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path


class EditorError(Exception):
    """The editor could not run or failed; the note was not changed."""


def editor_command() -> list[str]:
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    return shlex.split(editor)


def edit_text(text: str, *, suffix: str = ".md") -> str:
    """Open ``text`` in the editor and return what the user saved."""
    command = editor_command()
    # A text file ends with a line end: without one, an editor or a script appending
    # a line joined it to the note's last line ("…closeadded"). It is not the note's,
    # so it is taken off again below (a note opened and saved unchanged stays the same).
    ended = not text.endswith("\n")  # an empty note too: what is typed into it ends so
    with tempfile.NamedTemporaryFile("w", suffix=suffix, delete=False, encoding="utf-8") as fh:
        fh.write(text + "\n" if text and ended else text)
        path = Path(fh.name)
    try:
        try:
            code = subprocess.call([*command, str(path)])
        except OSError as err:
            raise EditorError(
                f"cannot start the editor {shlex.join(command)!r}: {err.strerror or err}"
            ) from None
        if code != 0:
            raise EditorError(
                f"the editor {shlex.join(command)!r} exited with status {code}; "
                "the note was not changed"
            )
        saved = path.read_text(encoding="utf-8")
        return saved[:-1] if ended and saved.endswith("\n") else saved
    finally:
        path.unlink(missing_ok=True)
