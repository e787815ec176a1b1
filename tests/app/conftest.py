"""App-test helpers: a library seeded with the bundled digests in the test's own directory."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tracker.app.app import TrackerApp
from tracker.library import Library
from tracker.models import Status


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


TODAY = dt.date(2026, 11, 25)
"""The fixed 'today' of the stats tests: a Wednesday, so the last week is running."""


def write_history(lib: Library, today: dt.date = TODAY) -> None:
    """Three weeks of triage and reading, with past times, through the Library API.

    Day by day (oldest first): triage six papers a day (to-read, skipped,
    read…), read two of the to-read ones from the second week on, and write
    a note now and then. Deterministic, so snapshots are stable.
    """
    ids = [p.id for p in lib.papers]
    to_read: list[str] = []
    cycle = [
        Status.TO_READ,
        Status.SKIPPED,
        Status.TO_READ,
        Status.READ,
        Status.TO_READ,
        Status.SKIPPED,
    ]
    start = dt.datetime.combine(today - dt.timedelta(days=20), dt.time(8), dt.UTC)
    for day in range(21):
        morning = start + dt.timedelta(days=day)
        for n in range(6 if day % 7 < 5 else 1):  # less on weekends
            pid = ids.pop(0)
            when = morning + dt.timedelta(minutes=5 * n)
            lib.now = lambda when=when: when.isoformat(timespec="milliseconds").replace(
                "+00:00", "Z"
            )
            status = cycle[(day + n) % len(cycle)]
            lib.set_status([pid], status)
            if status is Status.TO_READ:
                to_read.append(pid)
        if day >= 7 and len(to_read) > 4:
            for k in range(2 if day % 2 else 1):
                pid = to_read.pop(0)
                when = morning + dt.timedelta(hours=12, minutes=k)
                lib.now = lambda when=when: when.isoformat(timespec="milliseconds").replace(
                    "+00:00", "Z"
                )
                lib.set_status([pid], Status.READ)
                if day % 3 == 0:
                    lib.set_note(pid, f"Read on day {day}: worth citing.")
    noon = dt.datetime.combine(today, dt.time(12), dt.UTC)
    lib.now = lambda: noon.isoformat(timespec="milliseconds").replace("+00:00", "Z")


@pytest.fixture
def history(seeded: Path) -> Path:
    """The seeded library with three weeks of status history ending on TODAY."""
    with Library.open(seeded) as lib:
        write_history(lib)
    return seeded


@pytest.fixture
def history_today() -> dt.date:
    return TODAY
