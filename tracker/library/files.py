"""A user's files: read as one consistent version, written atomically (exports, backups)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from tracker.library.core import LibraryError
from tracker.store import StoreError, atomic_write, open_regular

# An import reads the whole file before touching the library; this bounds
# the memory a mistaken `tracker import /var/log/huge.log` can take.
MAX_IMPORT_BYTES = 256 * 1024 * 1024
READ_ATTEMPTS = 5
"""Reads of a file that changes under us before the import gives up on it."""


def read_limited(path: Path, what: str) -> bytes:
    """The file's bytes, read as one consistent version.

    A file still being written (a download, a sync client) can change while
    we read it, and a torn read could mix two versions into one. So
    the size, mtime and inode are compared before and after the read, and a
    file that changed is read again a few times before giving up.
    """
    if path.is_dir():
        raise LibraryError(f"{path} is a directory, not a {what} file")
    try:
        for _attempt in range(READ_ATTEMPTS):
            with open_regular(path) as fh:  # a FIFO or a device is refused, never waited on
                before = os.fstat(fh.fileno())
                if before.st_size > MAX_IMPORT_BYTES:
                    raise LibraryError(
                        f"{path} is {before.st_size // 2**20} MB, larger than the "
                        f"{MAX_IMPORT_BYTES // 2**20} MB a {what} can be"
                    )
                data = fh.read(MAX_IMPORT_BYTES + 1)
            after = path.stat()
            if same_version(before, after) and len(data) == after.st_size:
                return data
            time.sleep(0.05)
    except OSError as err:
        raise LibraryError(f"cannot read {path}: {err.strerror or err}") from err
    except StoreError as err:
        raise LibraryError(str(err)) from err
    again = "import" if what == "digest" else "merge"
    raise LibraryError(
        f"{path} kept changing while it was read; {again} it again once it is complete"
    )


def same_version(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_ino, a.st_size, a.st_mtime_ns) == (b.st_ino, b.st_size, b.st_mtime_ns)


def file_in(folder: Path, name: str) -> Path:
    """``folder / name``, if ``name`` is one plain file name that cannot lead out of ``folder``."""
    if (
        name in ("", ".", "..")
        or any(sep in name for sep in ("/", "\\", "\0"))
        or Path(name).name != name
    ):
        raise LibraryError(
            f"the file name {name!r} would not stay inside {folder}; nothing was written"
        )
    return folder / name


def make_dirs(path: Path) -> None:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise LibraryError(f"cannot create the folder {path}: {err.strerror or err}") from err


def write_file(path: Path, payload: bytes) -> None:
    """Write an export or backup file atomically (no ``.bak``: it is not library data)."""
    try:
        atomic_write(path, payload, keep_backup=False)
    except StoreError as err:
        cause = err.__cause__
        reason = cause.strerror if isinstance(cause, OSError) and cause.strerror else str(cause)
        raise LibraryError(f"cannot write {path}: {reason}") from err
