"""The writer lock: held for one write at a time, never for a whole session.

Every process that writes to a library (the app, ``tracker import`` from
cron, ``tracker mark`` from a script) takes ``tracker.lock`` in the data
directory for the few milliseconds one change takes: it reads what others
appended since it last looked, appends its own change, fsyncs, and lets go.
So the app can stay open for days while the command line keeps writing.
Readers never take it: files are appended to or replaced whole, never
rewritten in place.

The lock is ``flock`` on the file (released by the kernel when a process
dies, so a killed writer never leaves it behind) plus a thread lock, so that
two threads of one process (the app's note autosave and a compaction in a
worker) also take turns.
"""

from __future__ import annotations

import contextlib
import errno
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from tracker.store.atomic import temporary_name
from tracker.store.errors import LockedError, StoreError
from tracker.store.regular_file import open_regular

try:
    import fcntl
except ImportError:  # not POSIX (Windows): filelock's lock, imported by the first write
    fcntl = None  # type: ignore[assignment]

_NO_FLOCK = frozenset(
    getattr(errno, name) for name in ("ENOSYS", "EOPNOTSUPP", "ENOTSUP") if hasattr(errno, name)
)
"""flock's answers where the file system has no such lock."""

LOCK_FILE = "tracker.lock"
OWNER_FILE = "tracker.lock.owner"
LOCK_WAIT_SECONDS = 30.0
"""How long a writer waits for another one before giving up with a message.

A write holds the lock for milliseconds; an import of one digest file a
little longer; upgrading a 100,000-paper library written by an older
version once, a second or two."""
POLL_SECONDS = 0.002


class WriterLock:
    """``tracker.lock`` of one data directory, re-entrant within a thread."""

    def __init__(self, directory: Path, *, wait: float = LOCK_WAIT_SECONDS) -> None:
        self.directory = directory
        self.wait = wait
        self._file: _FileLock | _Flock | None = None
        self._thread = threading.RLock()
        self._depth = 0

    @property
    def held(self) -> bool:
        """True when this process holds it (in the calling thread or another)."""
        return self._depth > 0

    @contextlib.contextmanager
    def hold(self) -> Iterator[bool]:
        """Hold the lock for a block; yields True when this is the outermost hold."""
        with self._thread:
            outermost = self._depth == 0
            if outermost:
                self._acquire()
            self._depth += 1
            try:
                yield outermost
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self._release()

    @contextlib.contextmanager
    def in_process(self) -> Iterator[None]:
        """Keep this process's other threads out (not other processes): for reading state."""
        with self._thread:
            yield

    def try_hold(self) -> contextlib.AbstractContextManager[bool]:
        """Like :meth:`hold` but never waits: yields False when someone else holds it."""
        return _TryHold(self)

    def _acquire(self, timeout: float | None = None) -> None:
        path = self.directory / LOCK_FILE
        if path.is_symlink():
            # The lock is opened with O_TRUNC: through a link it would empty
            # whatever file the link points to.
            raise StoreError(
                f"{path} is a symbolic link, not paper-tracker's lock file; "
                "remove it (nothing was changed)"
            )
        if self._file is None:
            self._file = _Flock(path) if fcntl is not None else _FileLock(path)
        wait = self.wait if timeout is None else timeout
        try:
            try:
                self._file.acquire(timeout=wait, poll_interval=POLL_SECONDS)
            except OSError as err:
                if not isinstance(self._file, _Flock) or err.errno not in _NO_FLOCK:
                    raise
                # A file system without flock (some network mounts): filelock's
                # own way there, as before flock was taken directly.
                self._file = _FileLock(path)
                self._file.acquire(timeout=wait, poll_interval=POLL_SECONDS)
        except _Timeout:
            raise LockedError(
                f"another paper-tracker ({self._read_owner()}) has been writing to the library "
                f"in {self.directory} for over {self.wait:.0f} s; nothing was changed — try "
                "again when it is done"
            ) from None
        except OSError as err:
            raise StoreError(f"cannot lock {path}: {err.strerror or err}") from err
        _write_owner(self.directory / OWNER_FILE)

    def _release(self) -> None:
        if self._file is not None:
            self._file.release()

    def _read_owner(self) -> str:
        try:
            with open_regular(self.directory / OWNER_FILE) as fh:
                owner = fh.read(_OWNER_MAX_BYTES).decode("utf-8", "replace")
        except (OSError, StoreError):
            return "unknown pid"
        return " ".join(owner.split()) or "unknown pid"


_OWNER_MAX_BYTES = 200
_NEW = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)


def _write_owner(path: Path) -> None:
    """Say who holds the lock, for the message of a writer that waited too long.

    Only a courtesy: never an error, no fsync (it is written on every
    write). Replaced through a new file with a random name, never opened,
    so that a link planted under its name is not followed.
    """
    tmp = path.with_name(temporary_name(path.name))
    try:
        fd = os.open(tmp, _NEW, 0o600)
        try:
            os.write(fd, f"pid {os.getpid()}, writing since {time.strftime('%H:%M:%S')}\n".encode())
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()


class _TryHold:
    def __init__(self, lock: WriterLock) -> None:
        self.lock = lock
        self.got = False

    def __enter__(self) -> bool:
        lock = self.lock
        if not lock._thread.acquire(blocking=False):
            return False
        if lock._depth == 0:
            try:
                lock._acquire(timeout=0)
            except (LockedError, StoreError):
                lock._thread.release()
                return False
        lock._depth += 1
        self.got = True
        return True

    def __exit__(self, *exc: object) -> None:
        if not self.got:
            return
        lock = self.lock
        lock._depth -= 1
        if lock._depth == 0:
            lock._release()
        lock._thread.release()


class _Timeout(Exception):
    """Waited ``timeout`` seconds for the lock in vain (filelock.Timeout where that is used)."""


class _FileLock:
    """filelock's FileLock (imported when first used), its timeout raised as :class:`_Timeout`."""

    def __init__(self, path: Path) -> None:
        import filelock

        self._lock = filelock.FileLock(path, thread_local=False)
        self._timeout = filelock.Timeout

    def acquire(self, timeout: float, poll_interval: float) -> None:
        try:
            self._lock.acquire(timeout=timeout, poll_interval=poll_interval)
        except self._timeout:
            raise _Timeout(str(self._lock.lock_file)) from None

    def release(self) -> None:
        self._lock.release()


class _Flock:
    """``flock`` on the lock file: the lock filelock's FileLock takes on POSIX, without it.

    The same kernel lock on the same file, so a writer of an earlier release
    (through filelock) and this one still take turns; importing filelock was
    a twentieth of a one-digest ``tracker import``. The file is never removed
    (a waiter holds it open: a new file would be a second lock).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def acquire(self, timeout: float, poll_interval: float) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)
        deadline = time.monotonic() + timeout
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise _Timeout(str(self.path)) from None
                    time.sleep(poll_interval)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)
