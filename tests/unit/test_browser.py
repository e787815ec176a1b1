"""Opening addresses: the browser setting, captured output, a clear failure with the address."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from tracker import browser
from tracker.models import Paper


def _script(path: Path, body: str) -> Path:
    path.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def _paper(**fields: object) -> Paper:
    return Paper(id="0123456789ab", title="Differential Transformer", **fields)  # type: ignore[arg-type]


def test_browser_setting_gets_the_address_and_its_chatter_stays_off_the_terminal(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    got = tmp_path / "got"
    cmd = _script(
        tmp_path / "loud-browser",
        f'echo "Gtk-WARNING: chatter on stdout"\necho "more chatter" >&2\necho "$@" > {got}\n',
    )
    opened = browser.open_url("https://arxiv.org/abs/2410.05258", f"{cmd} --new-tab %s")
    assert opened.ok, opened.message
    assert got.read_text().split() == ["--new-tab", "https://arxiv.org/abs/2410.05258"]
    out, err = capfd.readouterr()
    assert "chatter" not in out + err


def test_address_goes_last_without_placeholder(tmp_path: Path) -> None:
    assert browser.browser_argv("firefox -P 'my profile'", "https://x.org/a b") == [
        "firefox",
        "-P",
        "my profile",
        "https://x.org/a b",
    ]


def test_failing_browser_command_says_why_and_gives_the_address(tmp_path: Path) -> None:
    cmd = _script(tmp_path / "broken", 'echo "cannot open display" >&2\nexit 4\n')
    opened = browser.open_url("https://arxiv.org/abs/2410.05258", str(cmd))
    assert not opened.ok
    assert "status 4" in opened.message and "cannot open display" in opened.message
    assert "https://arxiv.org/abs/2410.05258" in opened.message


def test_missing_browser_command_is_a_sentence_not_a_crash(tmp_path: Path) -> None:
    opened = browser.open_url("https://example.org/p", str(tmp_path / "no-such-browser"))
    assert not opened.ok
    assert "could not be started" in opened.message and "https://example.org/p" in opened.message


def test_no_browser_at_all_says_so_with_the_address(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    # Over SSH: no display, no $BROWSER, no browser program on PATH.
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    opened = browser.open_url("https://arxiv.org/abs/2410.05258")
    assert not opened.ok
    assert "no web browser was found" in opened.message
    assert "https://arxiv.org/abs/2410.05258" in opened.message
    out, err = capfd.readouterr()
    assert out + err == ""


def test_the_system_browser_is_run_with_its_output_captured(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    # $BROWSER is what the standard webbrowser module uses first.
    got = tmp_path / "got"
    cmd = _script(tmp_path / "loud", f'echo "chatter"\necho "chatter" >&2\necho "$1" > {got}\n')
    monkeypatch.setenv("BROWSER", str(cmd))
    opened = browser.open_url("https://huggingface.co/papers/2410.05258")
    assert opened.ok, opened.message
    assert got.read_text().strip() == "https://huggingface.co/papers/2410.05258"
    out, err = capfd.readouterr()
    assert "chatter" not in out + err


def test_a_terminal_browser_never_gets_the_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A terminal browser found on PATH (webbrowser registers w3m when TERM is
    # set) would draw over the app: it is not used.
    got = tmp_path / "got"
    _script(tmp_path / "w3m", f'echo "$@" > {got}\n')
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("PATH", str(tmp_path) + os.pathsep + os.path.dirname(sys.executable))
    opened = browser.open_url("https://example.org/")
    assert not opened.ok
    assert not got.exists()


def test_pdf_address_from_an_arxiv_id_or_a_pdf_link() -> None:
    assert browser.pdf_url(_paper(arxiv_id="2410.05258")) == "https://arxiv.org/pdf/2410.05258"
    assert (
        browser.pdf_url(_paper(url="https://huggingface.co/papers/2410.05258"))
        == "https://arxiv.org/pdf/2410.05258"
    )
    assert (
        browser.pdf_url(_paper(url="https://example.org/papers/dt.pdf"))
        == "https://example.org/papers/dt.pdf"
    )
    assert browser.pdf_url(_paper()) is None
    assert browser.pdf_url(_paper(url="https://example.org/blog/dt")) is None


def test_page_address_falls_back_to_a_title_search() -> None:
    assert browser.paper_url(_paper(arxiv_id="2410.05258")) == "https://arxiv.org/abs/2410.05258"
    assert browser.paper_url(_paper()) == (
        "https://huggingface.co/papers?q=Differential%20Transformer"
    )
