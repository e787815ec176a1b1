"""Atomic file replacement: a crash leaves the old file or the new one, never half of one."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from tracker.store.errors import StoreError


def atomic_write(path: Path, payload: bytes | Iterable[bytes], *, keep_backup: bool = True) -> None:
    """Replace ``path`` with ``payload`` so that a crash leaves the old or the new file.

    ``payload`` may come in pieces (an iterable of bytes), so that a big file
    is never held whole in memory next to the data it is made from. The
    previous file is kept as ``path.bak`` (a hard link, so no copy) unless
    ``keep_backup`` is False (exports and backups the user writes). Raises
    StoreError with a readable sentence on any OS error; the target file is
    untouched in that case (and in any other error raised by ``payload``).
    """
    directory = path.parent
    tmp = directory / f".{path.name}.{os.getpid()}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            for chunk in _chunks([payload] if isinstance(payload, bytes) else payload):
                view = memoryview(chunk)
                while view:
                    written = os.write(fd, view)
                    view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        if keep_backup and path.exists():
            _keep_backup(path)
        os.replace(tmp, path)
        _fsync_dir(directory)
    except OSError as err:
        with contextlib.suppress(OSError):
            tmp.unlink()
        reason = err.strerror or str(err)
        raise StoreError(
            # Neutral on what happens next: the app keeps the change and
            # retries (its banner says so); a CLI command ends here.
            f"could not save {path}: {reason}; the file on disk is unchanged "
            "(free some space or fix the permissions)"
        ) from err
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def _chunks(pieces: Iterable[bytes], size: int = 1 << 20) -> Iterator[bytes]:
    """The pieces joined into chunks of about ``size`` bytes (fewer system calls)."""
    buffer = bytearray()
    for piece in pieces:
        if len(piece) >= size and not buffer:
            yield piece
            continue
        buffer += piece
        if len(buffer) >= size:
            yield bytes(buffer)
            buffer.clear()
    if buffer:
        yield bytes(buffer)


def _keep_backup(path: Path) -> None:
    bak = path.with_name(path.name + ".bak")
    # After a failed replace the backup may already be a link to this very
    # file; renaming a second link onto it would do nothing and leave the
    # temporary link behind (rename(2) between links of one file is a no-op).
    with contextlib.suppress(OSError):
        if bak.samefile(path):
            return
    tmp = path.with_name(f".{path.name}.bak.{os.getpid()}.tmp")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    try:
        os.link(path, tmp)
    except OSError:
        # Some file systems have no hard links; a copy does the same job.
        tmp.write_bytes(path.read_bytes())
    os.replace(tmp, bak)


def _fsync_dir(directory: Path) -> None:
    # Makes the rename itself durable; not possible on every platform.
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
