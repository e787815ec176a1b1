"""Atomic file replacement: a crash leaves the old file or the new one, never half of one.

What a replacement does with what is already there:

- A symbolic link is written through: the file it points to is replaced
  (its temporary file made beside it) and the link stays a link, so a data
  file or a config.toml linked into a synced folder or a dotfiles
  repository keeps being the one updated. A link loop is refused.
- A replaced file keeps its permission bits (a ``chmod 600`` stays). A new
  file is created ``0o600`` when ``private`` (the data files), otherwise
  ``0o666`` less the umask, as any program's output (exports, backups).
- A FIFO, device, socket or folder in the way is refused, never replaced.
- The temporary file gets a random name and is created with
  ``O_CREAT | O_EXCL | O_NOFOLLOW``: a file or link planted under the name
  it will have can neither be written through nor be truncated.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from tracker.store.errors import StoreError
from tracker.store.regular_file import not_regular

_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
_NEW_FILE |= getattr(os, "O_CLOEXEC", 0)


def atomic_write(
    path: Path,
    payload: bytes | Iterable[bytes],
    *,
    keep_backup: bool = True,
    private: bool = False,
    follow_links: bool = True,
) -> None:
    """Replace ``path`` with ``payload`` so that a crash leaves the old or the new file.

    ``payload`` may come in pieces (an iterable of bytes), so that a big file
    is never held whole in memory next to the data it is made from. The
    previous file is kept as ``path.bak`` (a hard link, so no copy) unless
    ``keep_backup`` is False (exports and backups the user writes). See the
    module for links, modes and what is refused; with ``follow_links`` False
    a link at ``path`` is replaced itself (a file of ours nobody should link). Raises StoreError with a
    readable sentence on any OS error; the target file is untouched in that
    case (and in any other error raised by ``payload``).
    """
    target = real_target(path) if follow_links else path
    directory = target.parent
    tmp: Path | None = None
    try:
        try:
            existing: os.stat_result | None = os.stat(target, follow_symlinks=follow_links)
        except FileNotFoundError:
            existing = None
        if existing is not None and stat.S_ISLNK(existing.st_mode):
            existing = None  # not followed: the link itself is replaced
        if existing is not None and not stat.S_ISREG(existing.st_mode):
            raise not_regular(path, existing.st_mode)
        tmp, fd = _create_temporary(target, 0o600 if private else 0o666)
        try:
            if existing is not None:
                os.fchmod(fd, stat.S_IMODE(existing.st_mode))
            for chunk in _chunks([payload] if isinstance(payload, bytes) else payload):
                _write_all(fd, chunk)
            os.fsync(fd)
        finally:
            os.close(fd)
        if keep_backup and existing is not None:
            # Beside the name we were given (for a link, not beside its
            # target), where `tracker doctor` looks for it.
            _keep_backup(target, path.with_name(path.name + ".bak"))
        os.replace(tmp, target)
        tmp = None
        _fsync_dir(directory)
    except OSError as err:
        reason = err.strerror or str(err)
        raise StoreError(
            # Neutral on what happens next: the app keeps the change and
            # retries (its banner says so); a CLI command ends here.
            f"could not save {path}: {reason}; the file on disk is unchanged "
            "(free some space or fix the permissions)"
        ) from err
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink()


def real_target(path: Path) -> Path:
    """The file a write to ``path`` replaces: ``path`` with its symbolic links followed."""
    try:
        return Path(os.path.realpath(path, strict=False)) if path.is_symlink() else path
    except (OSError, RuntimeError, ValueError) as err:  # a loop, a name too long
        raise StoreError(f"cannot follow the link {path}: {err}") from err


def _create_temporary(target: Path, mode: int) -> tuple[Path, int]:
    """A new file beside ``target`` that nobody else could have made or linked (path, fd)."""
    for _attempt in range(8):
        tmp = target.with_name(temporary_name(target.name))
        try:
            return tmp, os.open(tmp, _NEW_FILE, mode)
        except FileExistsError:
            continue  # astronomically unlikely, or planted: another name
    raise FileExistsError(f"no free temporary name beside {target}")


def temporary_name(name: str) -> str:
    """``.<name>.<pid>-<random>.tmp``: unguessable, and saying which process writes it.

    The process id lets the next writer remove a temporary file whose
    writer died (kill -9 between writing and renaming) while leaving those
    of live writers alone (see Store._remove_stale_temp_files).
    """
    # os.urandom is what secrets.token_hex reads, without importing secrets
    # (and base64, binascii): a few milliseconds of every command's start.
    return f".{name}.{os.getpid()}-{os.urandom(6).hex()}.tmp"


def writer_is_gone(temporary: str) -> bool:
    """True when the process that made a :func:`temporary_name` file no longer runs."""
    pid_part = temporary.rsplit(".", 2)[-2].partition("-")[0] if temporary.count(".") >= 2 else ""
    if not pid_part.isdigit():
        return False
    pid = int(pid_part)
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


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


def _keep_backup(path: Path, bak: Path) -> None:
    """Make ``bak`` a copy of ``path``: a hard link where possible (no copying)."""
    # After a failed replace the backup may already be a link to this very
    # file; renaming a second link onto it would do nothing and leave the
    # temporary link behind (rename(2) between links of one file is a no-op).
    with contextlib.suppress(OSError):
        if bak.samefile(path):
            return
    tmp = bak.with_name(temporary_name(bak.name))
    try:
        os.link(path, tmp)  # fails on an existing name: never writes through one
    except OSError:
        # Another file system (a linked data file), or none with hard links.
        tmp, fd = _create_temporary(bak, 0o600)
        try:
            os.fchmod(fd, stat.S_IMODE(os.stat(path).st_mode))
            _write_all(fd, path.read_bytes())
        finally:
            os.close(fd)
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


def fsync_dir(directory: Path) -> None:
    """Make renames in ``directory`` durable (where the platform allows it)."""
    _fsync_dir(directory)


def keep_copy(path: Path, copy: Path) -> None:
    """Make ``copy`` hold what ``path`` holds now: a hard link where possible, else a copy.

    For a file that is later replaced by a rename (never changed in place),
    a hard link is a copy that costs nothing (the upgrade of a 150 MB
    library keeps its original as ``library.json.v1.bak`` that way).
    """
    try:
        _keep_backup(real_target(path), copy)
        _fsync_dir(copy.parent)
    except OSError as err:
        raise StoreError(f"could not keep a copy of {path}: {err.strerror or err}") from err


class Replacement:
    """A new version of a file, written and fsynced now, put in place later (or never).

    :func:`atomic_write` in two steps, for a write that takes long and must
    not hold the writer lock meanwhile (folding a journal into a 150 MB
    library): :meth:`commit` (with the lock held) only renames. Links,
    modes and temporary names as in :func:`atomic_write`.
    """

    def __init__(self, path: Path, payload: Iterable[bytes], *, private: bool = True) -> None:
        self.path = path
        self.target = real_target(path)
        self._tmp: Path | None = None
        try:
            try:
                existing: os.stat_result | None = os.stat(self.target)
            except FileNotFoundError:
                existing = None
            if existing is not None and not stat.S_ISREG(existing.st_mode):
                raise not_regular(path, existing.st_mode)
            self._tmp, fd = _create_temporary(self.target, 0o600 if private else 0o666)
            try:
                if existing is not None:
                    os.fchmod(fd, stat.S_IMODE(existing.st_mode))
                for chunk in _chunks(payload):
                    _write_all(fd, chunk)
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as err:
            self.discard()
            raise StoreError(
                f"could not save {path}: {err.strerror or err}; the file on disk is unchanged "
                "(free some space or fix the permissions)"
            ) from err
        except BaseException:
            self.discard()
            raise

    def commit(self, *, keep_backup: bool = True) -> None:
        """Put the new version in place (the previous one kept as ``*.bak``)."""
        tmp = self._tmp
        if tmp is None:
            raise StoreError(f"the new version of {self.path} is gone")
        try:
            if keep_backup and self.target.exists():
                _keep_backup(self.target, self.path.with_name(self.path.name + ".bak"))
            os.replace(tmp, self.target)
            self._tmp = None
            _fsync_dir(self.target.parent)
        except OSError as err:
            self.discard()
            raise StoreError(
                f"could not save {self.path}: {err.strerror or err}; the file on disk is "
                "unchanged (free some space or fix the permissions)"
            ) from err

    def discard(self) -> None:
        if self._tmp is not None:
            with contextlib.suppress(OSError):
                self._tmp.unlink()
            self._tmp = None
