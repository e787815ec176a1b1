"""Closing the terminal (SIGHUP) or SIGTERM while a note is typed loses nothing.

The real app runs in a pseudo-terminal (benchmarks/pty_app.py). A note is
typed, then, with no pause for the autosave, the terminal is closed or the app
gets the signal; the note must be whole in annotations.json, the app must
have exited by itself with 128 + the signal number, and the library lock must
be free. The attack this repeats: closing the terminal 0.1-0.2 s after typing
lost 20 and 50 characters.

The long run with random timing and SIGKILL too is
``python -m benchmarks.note_kill`` (outside CI).
"""

from __future__ import annotations

import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from benchmarks.pty_app import AppInPty, notes, wait_for_note
from tracker.library import Library

READY_TEXT = b"saved as you type"  # the note editor's label: the main screen is up
EDITING_TEXT = b"Leave note"  # the footer once the note editor has the focus


@pytest.fixture
def seeded(data_dir: Path) -> Path:
    with Library.open(data_dir) as lib:
        lib.import_bundled_seeds()
    return data_dir


@pytest.fixture
def app_in_pty(seeded: Path, tmp_path: Path) -> Iterator[AppInPty]:
    app = AppInPty(seeded, tmp_path / "config")
    app.start()
    try:
        assert app.wait_for_output(READY_TEXT, 20), "the app did not show its main screen"
        yield app
    finally:
        app.close()


def _type_note_then(app: AppInPty, data_dir: Path, end: Callable[[], None]) -> str:
    """Type a note, then ``end`` it at once; the note as typed."""
    app.type("i")  # into the note editor
    assert app.wait_for_output(EDITING_TEXT, 10), "the note editor did not take the focus"
    app.type("S")
    assert wait_for_note(data_dir, "S", 5), "the first key was never saved"
    typed = "S"
    for ch in "ome words typed":  # a key every 20 ms, as a fast typist
        app.type(ch)
        typed += ch
        time.sleep(0.02)
    app.type(" and the last ones")  # in one read: still queued when the signal comes
    typed += " and the last ones"
    end()
    return typed


@pytest.mark.parametrize(
    ("how", "code"),
    [
        ("close the terminal", 128 + signal.SIGHUP),
        ("kill -HUP", 128 + signal.SIGHUP),
        ("kill -TERM", 128 + signal.SIGTERM),
    ],
)
def test_the_note_being_typed_survives_the_signal(
    app_in_pty: AppInPty, seeded: Path, how: str, code: int
) -> None:
    app = app_in_pty
    ends = {
        "close the terminal": app.hang_up,
        "kill -HUP": lambda: app.send_signal(signal.SIGHUP),
        "kill -TERM": lambda: app.send_signal(signal.SIGTERM),
    }
    typed = _type_note_then(app, seeded, ends[how])
    exit_code = app.wait(10)
    assert list(notes(seeded).values()) == [typed]
    assert exit_code == code, app.screen_text()
    with Library.open(seeded) as lib:  # the lock was released: a writer can open it
        assert not lib.readonly
