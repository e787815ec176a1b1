"""Run the real app in a pseudo-terminal and type into it, as a person at a terminal would.

Used by the CI test of the note flush on SIGHUP/SIGTERM
(tests/safety/test_note_signals.py) and by the kill soak
(``python -m benchmarks.note_kill``). The app runs as ``tracker`` does: a
child process whose controlling terminal is the pseudo-terminal, so closing
our end (:meth:`AppInPty.hang_up`) is what closing a terminal window does:
the kernel hangs the terminal up and sends the app SIGHUP.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import threading
import time
from pathlib import Path

from tracker.library import Library

_CHILD = "import sys; from tracker.cli import main; sys.exit(main())"


class AppInPty:
    """One ``tracker`` app process in its own pseudo-terminal."""

    def __init__(
        self, data_dir: Path, config_dir: Path, *, cols: int = 120, rows: int = 36
    ) -> None:
        self.data_dir = data_dir
        self.config_dir = config_dir
        self.cols = cols
        self.rows = rows
        self.pid = 0
        self.fd = -1
        self.output = bytearray()
        """Everything the app wrote to its terminal (escape sequences included)."""
        self.status: int | None = None
        """The raw wait status once the process has ended."""
        self._stop = threading.Event()
        self._reader: threading.Thread | None = None

    def start(self) -> None:
        env = dict(os.environ)
        env.update(
            TRACKER_DATA_DIR=str(self.data_dir),
            TRACKER_CONFIG_DIR=str(self.config_dir),
            TERM="xterm-256color",
            COLUMNS=str(self.cols),
            LINES=str(self.rows),
        )
        env.pop("TRACKER_NO_TUI", None)
        env.pop("TEXTUAL_ALLOW_SIGNALS", None)
        pid, fd = pty.fork()
        if pid == 0:  # the child: its stdin/stdout/stderr are the terminal
            try:
                size = struct.pack("HHHH", self.rows, self.cols, 0, 0)
                fcntl.ioctl(0, termios.TIOCSWINSZ, size)
                os.execve(sys.executable, [sys.executable, "-c", _CHILD], env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        # A terminal that nobody reads fills up and then blocks the app's writes.
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while not self._stop.is_set():
            try:
                ready, _, _ = select.select([self.fd], [], [], 0.05)
                if ready:
                    chunk = os.read(self.fd, 65536)
                    if not chunk:
                        return
                    self.output += chunk
            except OSError as err:  # EIO: the app closed its side (it exited)
                if err.errno in (errno.EIO, errno.EBADF):
                    return
                raise

    def wait_for_output(self, text: bytes, timeout: float) -> bool:
        """True once the app has written ``text`` (from now on) to the terminal."""
        start = len(self.output)
        deadline = time.monotonic() + timeout
        while text not in self.output[max(0, start - len(text)) :]:
            if time.monotonic() >= deadline or self.wait(0) is not None:
                return text in self.output[max(0, start - len(text)) :]
            time.sleep(0.02)
        return True

    def type(self, text: str) -> None:
        """Send ``text`` as if typed (one write; a key per call is up to the caller)."""
        os.write(self.fd, text.encode())

    def send_signal(self, sig: int) -> None:
        os.kill(self.pid, sig)

    def hang_up(self) -> None:
        """Close the terminal, as closing its window does (the app gets SIGHUP)."""
        self._stop.set()
        if self._reader is not None:
            self._reader.join()
        os.close(self.fd)
        self.fd = -1

    def wait(self, timeout: float) -> int | None:
        """The process's exit code (negative: the signal that ended it), or None if still running."""
        deadline = time.monotonic() + timeout
        while self.status is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = status
                break
            if time.monotonic() >= deadline:
                return None
            time.sleep(0.01)
        return os.waitstatus_to_exitcode(self.status)

    def close(self) -> None:
        """Make sure the process is gone and the terminal closed."""
        if self.status is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            self.wait(10)
        if self.fd >= 0:
            self.hang_up()

    def screen_text(self, last: int = 600) -> str:
        """The end of the output without escape sequences (for error messages)."""
        text = self.output[-20 * last :].decode("utf-8", "replace")
        return re.sub(r"\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|.)", "", text)[
            -last:
        ]


def notes(data_dir: Path) -> dict[str, str]:
    """Every non-empty note in the library, by paper id, as another process reads it."""
    with Library.open(data_dir, readonly=True) as lib:
        return {p.id: n for p in lib.papers if (n := lib.annotation(p.id).note)}


def wait_for_note(data_dir: Path, wanted: str, timeout: float) -> bool:
    """True once some paper's note on disk is ``wanted`` (polls the files)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if wanted in notes(data_dir).values():
            return True
        time.sleep(0.05)
    return False
