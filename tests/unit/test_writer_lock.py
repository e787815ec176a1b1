"""The writer lock: flock on POSIX, filelock where flock is missing."""

from __future__ import annotations

import errno
import types
from pathlib import Path

import pytest

from tracker.store import lock as lock_module
from tracker.store.errors import LockedError
from tracker.store.lock import WriterLock


def test_two_writers_take_turns(tmp_path: Path) -> None:
    first, second = WriterLock(tmp_path), WriterLock(tmp_path, wait=0.05)
    with first.hold():
        with second.try_hold() as got:
            assert not got
        with pytest.raises(LockedError):
            second._acquire()
    with second.try_hold() as got:
        assert got


@pytest.mark.skipif(lock_module.fcntl is None, reason="flock is POSIX's")
def test_a_file_system_without_flock_gets_filelocks_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = lock_module.fcntl

    def no_flock(fd: int, operation: int) -> None:
        raise OSError(errno.ENOSYS, "Function not implemented")

    # Only this module's flock fails (filelock keeps the real one, as on such a mount
    # its own fallback would take over).
    fake = types.SimpleNamespace(flock=no_flock, LOCK_EX=real.LOCK_EX, LOCK_NB=real.LOCK_NB)
    monkeypatch.setattr(lock_module, "fcntl", fake)
    first, second = WriterLock(tmp_path), WriterLock(tmp_path, wait=0.05)
    with first.hold():
        assert isinstance(first._file, lock_module._FileLock)
        with pytest.raises(LockedError):  # filelock's timeout, said as ours
            second._acquire()
    with second.try_hold() as got:
        assert got
