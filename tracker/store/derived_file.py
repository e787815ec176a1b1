"""Files derived from library.json (``library.catalog``, ``library.heads``): read whole when
they are there, replaced whole when made.

Only shortcuts: a missing, unreadable or damaged one is made again from the
base, so reading one never fails (None), and writing one never fails either
(nothing is written). They are written to a temporary file and renamed, without
fsync: a crash leaves the old file, or a new one that its checks refuse.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from tracker.store.atomic import temporary_name
from tracker.store.regular_file import open_regular


def base_signature(st: os.stat_result) -> tuple[int, int, int]:
    """What names the base a derived file was made from: its inode, size and mtime (ns)."""
    return st.st_ino, st.st_size, st.st_mtime_ns


def base_ident(base_id: str | None) -> bytes:
    """The base's id as a derived file's header keeps it: 16 ASCII bytes, spaces when none."""
    return (base_id or "").encode("ascii", "replace")[:16].ljust(16)


def read_derived(path: Path) -> bytes | None:
    """The whole file, or None when it cannot be read (missing, unreadable, not a file)."""
    try:
        with open_regular(path) as fh:
            return fh.read()
    except Exception:
        return None


def replace_derived(path: Path, write: Callable[[BinaryIO], None]) -> None:
    """Make ``path`` anew with what ``write`` writes; on any failure, leave it as it was."""
    tmp = path.with_name(temporary_name(path.name))
    try:
        fd = os.open(
            tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600
        )
        try:
            with os.fdopen(fd, "wb") as fh:
                write(fh)
        except BaseException:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
        os.replace(tmp, path)
    except (OSError, UnicodeError):
        with contextlib.suppress(OSError):
            tmp.unlink()
