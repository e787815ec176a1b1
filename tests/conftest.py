"""Fixtures shared by every test: each test gets its own data and config directory."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

SEEDS = sorted((Path(__file__).parent.parent / "seeds").glob("*.txt"))


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the default data and config directories at the test's own folder.

    Autouse, so that a test which forgets to pass --data-dir still cannot
    touch the real user library.
    """
    data = tmp_path / "data"
    monkeypatch.setenv("TRACKER_DATA_DIR", str(data))
    monkeypatch.setenv("TRACKER_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    return data


@pytest.fixture(autouse=True)
def utc_clock() -> Iterator[None]:
    """Run every test in UTC, whatever the machine's zone: days and weeks are local time.

    Tests of local time set ``TZ`` themselves (see ``_zone`` in test_stats);
    subprocesses inherit it.
    """
    before = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if before is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = before
    time.tzset()


@pytest.fixture
def data_dir(isolated_dirs: Path) -> Path:
    return isolated_dirs


@pytest.fixture
def seeds() -> list[Path]:
    assert len(SEEDS) == 2, "the two bundled digests must be in seeds/"
    return SEEDS
