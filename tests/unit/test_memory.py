"""tracker.memory: glibc's malloc thresholds, set where they exist."""

from __future__ import annotations

import platform
import sys

import pytest

from tracker import memory


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc",
    reason="mallopt is glibc's",
)
def test_sets_the_thresholds_on_glibc() -> None:
    assert memory.return_freed_memory_promptly() is True


def test_does_nothing_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(memory.sys, "platform", "darwin")
    assert memory.return_freed_memory_promptly() is False


def test_no_c_library_found(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(memory.sys, "platform", "linux")
    monkeypatch.setattr(memory.ctypes.util, "find_library", lambda name: None)
    assert memory.return_freed_memory_promptly() is False
