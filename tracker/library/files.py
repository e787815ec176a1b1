"""A user's files: read as one consistent version, written atomically (exports, backups)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from tracker.library.core import LibraryError
from tracker.store import StoreError, atomic_write, open_regular

MAX_IMPORT_BYTES = 256 * 1024 * 1024
"""The largest file an import or a merge reads (a digest this large is read in pieces)."""
WHOLE_READ_BYTES = 48 * 1024 * 1024
"""The largest digest read whole. Parsing a file whole takes several times its size in
memory (a 221 MB JSON list took 1.31 GB, a 50 MB text page 259 MB), so a larger
one is read in pieces (tracker/library/page_pieces.py: plain-text pages, JSON
lists and JSON Lines, from 32 MB on) or refused, and an import stays within
400 MB whatever it is given."""
MARKUP_READ_BYTES = 16 * 1024 * 1024
"""The largest HTML page or feed (a file starting with ``<``) read whole: turning markup
into text takes more (a 62 MB HTML page: 532 MB); a real one is a few MB."""
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
                        f"{MAX_IMPORT_BYTES // 2**20} MB a {what} can be; split it into "
                        "smaller files"
                    )
                if what == "digest" and before.st_size > MARKUP_READ_BYTES:
                    refused = refused_whole(path, before.st_size, fh.read(4096))
                    if refused:
                        raise LibraryError(refused)
                    fh.seek(0)
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


def refused_whole(name: Path | str, size: int, head: bytes) -> str | None:
    """Why a digest of ``size`` bytes starting with ``head`` is not read whole (one
    sentence that says what to do), or None when it can be."""
    markup = head.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"<")
    limit = MARKUP_READ_BYTES if markup else WHOLE_READ_BYTES
    if size <= limit:
        return None
    what = "an HTML page or a feed" if markup else "a file that is not a plain list of papers"
    return (
        f"{name} is {size // 2**20} MB, more than the {limit // 2**20} MB {what} can be "
        f"(it is read whole; only a plain-text page, a JSON list of papers or JSON Lines "
        f"is read in pieces, up to {MAX_IMPORT_BYTES // 2**20} MB): split it into smaller "
        "files and import those"
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
