"""Reading only regular files: a FIFO, a device or a folder is refused in one sentence.

Opening a named pipe for reading waits until something writes to it (an
import of a FIFO hung the CLI and froze the app), and a device such as
``/dev/zero`` never ends (``library.json`` linked to it ran out of memory). A
symbolic link to a regular file is fine: it is the file that counts.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from tracker.store.errors import StoreError

_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # (Windows has no FIFOs to wait on)


class NotRegularFileError(StoreError):
    """The path is a FIFO, a device, a socket or a folder, not a file to read or replace."""


def kind_of(mode: int) -> str:
    """What a non-regular file is, for a sentence ("a named pipe (FIFO)")."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def not_regular(path: Path, mode: int) -> NotRegularFileError:
    return NotRegularFileError(
        f"{path} is {kind_of(mode)}, not a regular file; paper-tracker reads and writes "
        "only regular files"
    )


def open_regular(path: Path) -> BinaryIO:
    """``path`` opened for binary reading if it is a regular file (or a link to one).

    Raises NotRegularFileError for anything else, and OSError (such as
    FileNotFoundError) as ``open`` does. Opened without blocking, so that a
    FIFO is refused at once instead of waiting for a writer.
    """
    fd = os.open(path, os.O_RDONLY | _NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise not_regular(path, mode)
        if _NONBLOCK:
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_regular(path: Path) -> bytes:
    """The whole of a regular file (see :func:`open_regular`)."""
    with open_regular(path) as fh:
        return fh.read()
