"""Keeping a user's file before an export replaces it (``--force``), and tidying killed exports."""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

from tracker.library.core import LibraryError
from tracker.store import StoreError
from tracker.store.atomic import fsync_dir, real_target, writer_is_gone

_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)


def keep_aside(path: Path) -> Path:
    """Keep what ``path`` holds now as ``NAME.<YYYYmmdd-HHMMSS>.bak`` beside it; its path.

    Never writes over anything: a name that exists gets ``-2``, ``-3`` … A
    hard link where possible (the export then replaces ``path`` with a new
    file, so the link keeps the old one and nothing is copied), else a copy.
    For a link, what is kept is the file it points to, beside the link.
    """
    stamp = time.strftime("%Y%m%d-%H%M%S")
    try:
        source = real_target(path)
        for n in range(1, 1000):
            aside = path.with_name(f"{path.name}.{stamp}{'' if n == 1 else f'-{n}'}.bak")
            try:
                os.link(source, aside, follow_symlinks=False)
            except FileExistsError:
                continue
            except OSError:
                if not _copy(source, aside):
                    continue
            fsync_dir(aside.parent)
            return aside
    except (OSError, StoreError) as err:
        reason = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
        raise LibraryError(
            f"cannot keep a copy of {path} before replacing it: {reason}; nothing was written"
        ) from err
    raise LibraryError(f"no free name to keep a copy of {path} beside it; nothing was written")


def _copy(source: Path, aside: Path) -> bool:
    """Copy ``source`` to the new file ``aside``; False if ``aside`` exists."""
    try:
        fd = os.open(aside, _NEW_FILE, 0o600)
    except FileExistsError:
        return False
    try:
        with source.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                view = memoryview(chunk)
                while view:
                    view = view[os.write(fd, view) :]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            aside.unlink()
        raise
    os.close(fd)
    return True


def remove_stale_temporaries(folder: Path, name_glob: str) -> None:
    """Remove the temporary files (``.NAME.<pid>-<random>.tmp``) of exports that were killed.

    Only those whose writing process is gone: another export may be writing
    one right now.
    """
    with contextlib.suppress(OSError):
        for stale in folder.glob(f".{name_glob}.*.tmp"):
            if writer_is_gone(stale.name):
                with contextlib.suppress(OSError):
                    stale.unlink()
