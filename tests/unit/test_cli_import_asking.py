"""`tracker import` of a file that looks unusual (the app's rule): a terminal asks, a script
is refused unless --yes; an ordinary page is imported without a question."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.cli_run import run
from tracker.cli import import_asking
from tracker.library import Library

HF_JSON = Path(__file__).parent.parent / "fixtures" / "sources" / "hf_daily_papers.json"
ABSTRACT = "We study this question in depth with many careful experiments. " * 2


def _two_days(tmp_path: Path) -> Path:
    """A text page that splits into two digests: what a mis-read search view looks like."""
    path = tmp_path / "two.txt"
    path.write_text(
        "Daily Papers\n\nOct 7, 2024\n\nA Paper About Calendars And Weeks\n\n"
        f"{ABSTRACT}\n\nOct 8, 2024\n\nAnother Paper About Clocks And Hours\n\n{ABSTRACT}\n"
    )
    return path


def _one_day(tmp_path: Path) -> Path:
    path = tmp_path / "day.txt"
    path.write_text(f"Daily Papers\n\nOct 9, 2024\n\nAn Ordinary Paper On Lists\n\n{ABSTRACT}\n")
    return path


def _titles(data_dir: Path) -> set[str]:
    if not (data_dir / "library.json").exists():
        return set()
    with Library.open(data_dir, readonly=True) as lib:
        return {p.title for p in lib.papers}


def _answers(monkeypatch: pytest.MonkeyPatch, *answers: str) -> list[str]:
    """A person at a terminal typing ``answers``; returns the prompts they were shown."""
    asked: list[str] = []
    replies = iter(answers)

    def answer(prompt: str) -> str:
        asked.append(prompt)
        return next(replies)

    monkeypatch.setattr(import_asking, "_terminal", lambda: True)
    monkeypatch.setattr("builtins.input", answer)
    return asked


def test_a_script_is_refused_an_unusual_file_and_the_others_go_in(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    two, day = _two_days(tmp_path), _one_day(tmp_path)
    code, out, err = run(capsys, "import", str(two), str(day))
    assert code == 1
    assert "day.txt: Oct 9, 2024 — 1 paper, 1 new" in out
    [line] = err.splitlines()
    assert line == (
        "tracker: two.txt: not imported, as it does not look like one day's page: "
        "2 digests from one file (a page is usually one day) — rerun with --yes to import "
        "it anyway (--dry-run shows what it would add)"
    )
    assert _titles(data_dir) == {"An Ordinary Paper On Lists"}


def test_yes_imports_an_unusual_file_without_asking(
    capsys: pytest.CaptureFixture[str],
    data_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked = _answers(monkeypatch)  # a terminal, but --yes: no question
    code, out, _ = run(capsys, "import", "-y", str(_two_days(tmp_path)))
    assert code == 0 and asked == []
    assert "two.txt: Oct 7, 2024, Oct 8, 2024 — 2 papers, 2 new" in out
    assert len(_titles(data_dir)) == 2


@pytest.mark.parametrize("answer", ["y", "YES"])
def test_a_terminal_shows_the_preview_and_imports_on_yes(
    answer: str,
    capsys: pytest.CaptureFixture[str],
    data_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked = _answers(monkeypatch, answer)
    code, out, _ = run(capsys, "import", str(_two_days(tmp_path)))
    assert code == 0 and asked == ["Import? [y/N] "]
    preview, _ = out.split("two.txt: Oct 7, 2024, Oct 8, 2024 — 2 papers")
    assert "two.txt: would add Oct 7, 2024 (2024-10-07), Oct 8, 2024 (2024-10-08)" in preview
    assert "  · A Paper About Calendars And Weeks" in preview
    assert "  unusual: 2 digests from one file (a page is usually one day)" in preview
    assert len(_titles(data_dir)) == 2


@pytest.mark.parametrize("answer", ["", "n", "no thanks"])
def test_a_terminal_answer_other_than_yes_imports_nothing(
    answer: str,
    capsys: pytest.CaptureFixture[str],
    data_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked = _answers(monkeypatch, answer)
    code, _, err = run(capsys, "import", str(_two_days(tmp_path)))
    assert code == 1 and len(asked) == 1
    assert "tracker: two.txt: not imported" in err
    assert _titles(data_dir) == set()


def test_an_ordinary_page_or_several_days_of_json_are_not_asked_about(
    capsys: pytest.CaptureFixture[str],
    data_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked = _answers(monkeypatch)
    # Hugging Face JSON dates each paper's listing day: two days there are two days.
    code, out, _ = run(capsys, "import", str(_one_day(tmp_path)), str(HF_JSON))
    assert code == 0 and asked == []
    assert "hf_daily_papers.json (hf-json): Oct 8 2024, Oct 9 2024 — 4 papers, 4 new" in out
    assert len(_titles(data_dir)) == 5


def test_a_page_on_stdin_cannot_be_asked_about_and_needs_yes(
    capsys: pytest.CaptureFixture[str],
    data_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked = _answers(monkeypatch)  # stdin holds the page: no answer can come from it
    page = _two_days(tmp_path).read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(page)))
    code, _, err = run(capsys, "import", "-")
    assert code == 1 and asked == []
    assert "stdin: not imported, as it does not look like one day's page" in err
    assert "--yes" in err
    assert _titles(data_dir) == set()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(page)))
    assert run(capsys, "import", "-", "--yes")[0] == 0
    assert len(_titles(data_dir)) == 2


def test_json_output_never_asks(
    capsys: pytest.CaptureFixture[str],
    data_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked = _answers(monkeypatch)
    code, out, _ = run(capsys, "import", "--json", str(_two_days(tmp_path)))
    assert code == 1 and asked == []
    assert '"error": "two.txt: not imported, as it does not look like' in out


def _read_until(fd: int, wanted: bytes, seen: bytearray) -> None:
    deadline = time.monotonic() + 30
    while wanted not in seen:
        assert time.monotonic() < deadline, seen.decode(errors="replace")
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen.extend(chunk)


def test_in_a_real_terminal_the_question_waits_for_the_answer(
    data_dir: Path, tmp_path: Path
) -> None:
    two = _two_days(tmp_path)
    master, slave = pty.openpty()
    child = subprocess.Popen(
        [sys.executable, "-m", "tracker", "import", str(two)],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env={**os.environ, "TRACKER_DATA_DIR": str(data_dir)},
    )
    os.close(slave)
    seen = bytearray()
    try:
        _read_until(master, b"Import? [y/N]", seen)
        assert b"unusual: 2 digests from one file" in seen
        assert _titles(data_dir) == set()  # nothing written while it asks
        os.write(master, b"y\n")
        _read_until(master, b"library: 2 papers in 2 digests", seen)
        assert child.wait(timeout=30) == 0
    finally:
        if child.poll() is None:
            child.kill()
        os.close(master)
    assert len(_titles(data_dir)) == 2
