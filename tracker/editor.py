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
    with tempfile.NamedTemporaryFile("w", suffix=suffix, delete=False, encoding="utf-8") as fh:
        fh.write(text)
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
        return path.read_text(encoding="utf-8")
    finally:
        path.unlink(missing_ok=True)
