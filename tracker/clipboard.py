"""Copying text to the system clipboard and reading it back, through the programs that own it.

The app also sends every copy to the terminal as an OSC 52 sequence, but
that arrives only where the terminal accepts it, and tmux's default
(``set-clipboard external``) swallows it. So :func:`copy` also hands the text
to the clipboard program of the session it runs in, and says which one took
it (or that none did), so that the app can tell the user where the text went:

* macOS: ``pbcopy``;
* Wayland (``$WAYLAND_DISPLAY``): ``wl-copy``;
* X11 (``$DISPLAY``): ``xclip``, then ``xsel``;
* inside tmux (``$TMUX``): ``tmux load-buffer -w -``, which fills tmux's paste
  buffer (prefix ``]``) and passes the text on to the outer terminal's
  clipboard when tmux may (tmux 3.2 or later; older ones get the buffer only).

``xclip``, ``xsel`` and ``wl-copy`` stay in the background to serve the
selection, so only the first process is waited for, and their output goes
to a file, not a pipe (a pipe would stay open as long as they live) and
never to the terminal the app draws on.

:func:`paste` reads the clipboard (``tracker import --clipboard``) with the
same session's programs: ``pbpaste``, ``wl-paste``, ``xclip -o``, ``xsel -o``,
and inside tmux its paste buffer (``tmux save-buffer -``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass

WAIT_S = 2.0
"""How long a clipboard program may take to take the text."""


@dataclass(frozen=True, slots=True)
class Copied:
    """Where one copy went: the program that took it, or none."""

    ok: bool
    how: str
    """The program that took the text ("" when none did)."""
    tried: tuple[str, ...] = ()
    """What was tried and failed, one clause each (for the message)."""


def candidates(env: Mapping[str, str], platform: str = sys.platform) -> list[list[str]]:
    """The clipboard commands worth trying in this session, best first."""
    found: list[list[str]] = []
    if platform == "darwin":
        found.append(["pbcopy"])
    if env.get("WAYLAND_DISPLAY"):
        found.append(["wl-copy"])
    if env.get("DISPLAY"):
        found += [["xclip", "-selection", "clipboard", "-in"], ["xsel", "--clipboard", "--input"]]
    if env.get("TMUX"):
        found += [["tmux", "load-buffer", "-w", "-"], ["tmux", "load-buffer", "-"]]
    return found


def copy(
    text: str, env: Mapping[str, str] | None = None, *, platform: str = sys.platform
) -> Copied:
    """Give ``text`` to the first clipboard program that takes it (blocks up to a few seconds)."""
    env = os.environ if env is None else env
    tried: list[str] = []
    for argv in candidates(env, platform):
        program = argv[0]
        if shutil.which(program, path=env.get("PATH")) is None:
            if program not in (t.split(" ")[0] for t in tried):
                tried.append(f"{program} not installed")
            continue
        problem = _run(argv, text, env)
        if problem is None:
            return Copied(True, program, tuple(tried))
        tried.append(f"{program} {problem}")
    return Copied(False, "", tuple(tried))


def _run(argv: list[str], text: str, env: Mapping[str, str]) -> str | None:
    """None when the program took the text, else what went wrong (a clause)."""
    with tempfile.TemporaryFile() as errors:
        try:
            process = subprocess.Popen(
                argv,
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=errors,
                start_new_session=True,
                close_fds=True,
                env=dict(env),
            )
        except OSError as err:
            return f"could not be started ({err.strerror or err})"
        try:
            assert process.stdin is not None
            process.stdin.write(text.encode("utf-8"))
            process.stdin.close()
            status = process.wait(WAIT_S)
        except BrokenPipeError:
            status = process.wait(WAIT_S)
        except subprocess.TimeoutExpired:
            return "did not finish"
        if status == 0:
            return None
        errors.seek(0)
        said = errors.read().decode("utf-8", "replace").strip().splitlines()
        return f"failed ({said[-1][:120]})" if said else f"failed (status {status})"


def message(copied: Copied, text: str) -> str:
    """What the app says after a copy (it has also sent the text as OSC 52)."""
    if copied.ok and copied.how == "tmux":
        return f"Copied to tmux's paste buffer (prefix ]) and, if tmux passes it on, the clipboard: {text}"
    if copied.ok:
        return f"Copied with {copied.how}: {text}"
    why = "; ".join(copied.tried) or "no clipboard program for this session"
    return (
        f"Sent to the terminal's clipboard (OSC 52) only: {why}. If it does not arrive, "
        f"install wl-copy, xclip or xsel, or let the terminal (or tmux) accept OSC 52. Text: {text}"
    )


MAX_PASTE_BYTES = 64 * 1024 * 1024
"""More than this is no page anyone copied."""


@dataclass(frozen=True, slots=True)
class Pasted:
    """What the clipboard held (bytes, as the program printed them), the program, what was tried."""

    data: bytes | None
    how: str = ""
    tried: tuple[str, ...] = ()

    def problem(self) -> str:
        """One sentence for a read that found nothing (empty when it found text)."""
        if self.data is not None and self.data.strip():
            return ""
        if self.data is not None:
            return f"the clipboard is empty (read with {self.how})"
        why = (
            "; ".join(self.tried)
            or "no clipboard program for this session (no $DISPLAY, $WAYLAND_DISPLAY or $TMUX)"
        )
        return (
            f"cannot read the clipboard: {why}. Install wl-clipboard, xclip or xsel, or paste "
            "the page into the app, or pipe it: tracker import -"
        )


def paste_candidates(env: Mapping[str, str], platform: str = sys.platform) -> list[list[str]]:
    """The commands that print the clipboard in this session, best first."""
    found: list[list[str]] = []
    if platform == "darwin":
        found.append(["pbpaste"])
    if env.get("WAYLAND_DISPLAY"):
        found.append(["wl-paste", "--no-newline"])
    if env.get("DISPLAY"):
        found += [["xclip", "-selection", "clipboard", "-o"], ["xsel", "--clipboard", "--output"]]
    if env.get("TMUX"):
        found.append(["tmux", "save-buffer", "-"])
    return found


def paste(env: Mapping[str, str] | None = None, *, platform: str = sys.platform) -> Pasted:
    """The clipboard's text from the first program that can read it (blocks up to a few seconds)."""
    env = os.environ if env is None else env
    tried: list[str] = []
    for argv in paste_candidates(env, platform):
        program = argv[0]
        if shutil.which(program, path=env.get("PATH")) is None:
            tried.append(f"{program} not installed")
            continue
        try:
            done = subprocess.run(
                argv,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=WAIT_S,
                env=dict(env),
                check=False,
            )
        except subprocess.TimeoutExpired:
            tried.append(f"{program} did not finish")
            continue
        except OSError as err:
            tried.append(f"{program} could not be started ({err.strerror or err})")
            continue
        if done.returncode != 0:
            said = done.stderr.decode("utf-8", "replace").strip().splitlines()
            tried.append(
                f"{program} failed ({said[-1][:120]})"
                if said
                else f"{program} failed (status {done.returncode})"
            )
            continue
        if len(done.stdout) > MAX_PASTE_BYTES:
            tried.append(f"{program} gave more than {MAX_PASTE_BYTES // 2**20} MB")
            continue
        return Pasted(done.stdout, program, tuple(tried))
    return Pasted(None, "", tuple(tried))


__all__ = ["Copied", "Pasted", "candidates", "copy", "message", "paste", "paste_candidates"]
