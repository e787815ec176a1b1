"""App-test helpers: a library seeded with the bundled digests in the test's own directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker.app.app import TrackerApp
from tracker.library import Library


@pytest.fixture
def seeded(data_dir: Path) -> Path:
    """A data directory holding the two bundled digests (114 papers)."""
    with Library.open(data_dir) as lib:
        lib.import_bundled_seeds()
    return data_dir


@pytest.fixture
def make_app(tmp_path: Path):  # type: ignore[no-untyped-def]
    def make(data_dir: Path, **kwargs: object) -> TrackerApp:
        return TrackerApp(data_dir, config=tmp_path / "config", **kwargs)  # type: ignore[arg-type]

    return make


@pytest.fixture
def reopen():  # type: ignore[no-untyped-def]
    """Open the library as a fresh process would see it (read-only)."""

    def open_readonly(data_dir: Path) -> Library:
        return Library.open(data_dir, readonly=True)

    return open_readonly
