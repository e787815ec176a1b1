"""Copying through the session's clipboard program, and saying which one took the text."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from tracker import clipboard


def _fake(directory: Path, name: str, body: str) -> None:
    path = directory / name
    path.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


def _env(bin_dir: Path, **extra: str) -> dict[str, str]:
    return {"PATH": f"{bin_dir}:/usr/bin:/bin", **extra}


def test_wayland_uses_wl_copy(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    got = tmp_path / "got"
    _fake(tmp_path, "wl-copy", f"echo chatter\ncat > {got}\n")
    copied = clipboard.copy("Différential Transformer", _env(tmp_path, WAYLAND_DISPLAY="wayland-0"))
    assert copied.ok and copied.how == "wl-copy"
    assert got.read_text(encoding="utf-8") == "Différential Transformer"
    assert "chatter" not in capfd.readouterr().out
    assert "wl-copy" in clipboard.message(copied, "x")


def test_x11_falls_back_from_xclip_to_xsel(tmp_path: Path) -> None:
    got = tmp_path / "got"
    _fake(tmp_path, "xclip", 'echo "Error: Can\'t open display" >&2\nexit 1\n')
    _fake(tmp_path, "xsel", f"cat > {got}\n")
    copied = clipboard.copy("title", _env(tmp_path, DISPLAY=":0"))
    assert copied.ok and copied.how == "xsel"
    assert got.read_text() == "title"
    assert any("Can't open display" in t for t in copied.tried)


def test_a_program_that_stays_in_the_background_does_not_block(tmp_path: Path) -> None:
    # xclip forks a child that serves the selection and keeps stderr open.
    got = tmp_path / "got"
    _fake(tmp_path, "xclip", f"cat > {got}\n(sleep 30 >&2 &)\n")
    copied = clipboard.copy("title", _env(tmp_path, DISPLAY=":0"))
    assert copied.ok and copied.how == "xclip"


def test_inside_tmux_the_paste_buffer_takes_it(tmp_path: Path) -> None:
    got = tmp_path / "got"
    _fake(tmp_path, "tmux", f'echo "$@" > {got}.args\ncat > {got}\n')
    copied = clipboard.copy("title", _env(tmp_path, TMUX="/tmp/tmux-0/default,1,0"))
    assert copied.ok and copied.how == "tmux"
    assert got.read_text() == "title"
    assert (tmp_path / "got.args").read_text().split() == ["load-buffer", "-w", "-"]
    assert "paste buffer" in clipboard.message(copied, "title")


def test_nothing_reachable_says_so(tmp_path: Path) -> None:
    copied = clipboard.copy("title", {"PATH": str(tmp_path), "DISPLAY": ":0"}, platform="linux")
    assert not copied.ok
    text = clipboard.message(copied, "title")
    assert "OSC 52" in text and "xclip not installed" in text and "title" in text


def test_candidates_follow_the_session() -> None:
    assert clipboard.candidates({}, "linux") == []
    assert clipboard.candidates({}, "darwin") == [["pbcopy"]]
    assert [
        c[0] for c in clipboard.candidates({"WAYLAND_DISPLAY": "w", "DISPLAY": ":0"}, "linux")
    ] == [
        "wl-copy",
        "xclip",
        "xsel",
    ]


# -- reading the clipboard (tracker import --clipboard) -------------------------------------


def test_paste_reads_with_the_first_program_that_works(tmp_path: Path) -> None:
    _fake(tmp_path, "xclip", 'echo "Error: target STRING not available" >&2\nexit 1\n')
    _fake(tmp_path, "xsel", "printf 'Daily Papers\\nOct 8\\n'\n")
    pasted = clipboard.paste(_env(tmp_path, DISPLAY=":0"), platform="linux")
    assert pasted.data == b"Daily Papers\nOct 8\n" and pasted.how == "xsel"
    assert pasted.problem() == ""
    assert any("target STRING not available" in t for t in pasted.tried)


def test_paste_under_wayland_and_macos_use_their_programs(tmp_path: Path) -> None:
    _fake(tmp_path, "wl-paste", 'test "$1" = --no-newline && printf wayland\n')
    _fake(tmp_path, "pbpaste", "printf mac\n")
    assert (
        clipboard.paste(_env(tmp_path, WAYLAND_DISPLAY="w-0"), platform="linux").data == b"wayland"
    )
    assert clipboard.paste(_env(tmp_path), platform="darwin").data == b"mac"


def test_paste_without_a_clipboard_says_what_to_do(tmp_path: Path) -> None:
    pasted = clipboard.paste({"PATH": str(tmp_path)}, platform="linux")
    assert pasted.data is None
    assert pasted.problem().startswith("cannot read the clipboard: no clipboard program")
    assert "tracker import -" in pasted.problem()
    pasted = clipboard.paste({"PATH": str(tmp_path / "none"), "DISPLAY": ":0"}, platform="linux")
    assert "xclip not installed; xsel not installed" in pasted.problem()
    _fake(tmp_path, "xclip", "printf '  \\n'\n")
    pasted = clipboard.paste(_env(tmp_path, DISPLAY=":0"), platform="linux")
    assert pasted.problem() == "the clipboard is empty (read with xclip)"
