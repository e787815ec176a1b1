"""Days and weeks in local time for stats, what's new and its summary; --utc and [look] utc."""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

import pytest

from tests.cli_run import run
from tracker import whats_new


def _zone(monkeypatch: pytest.MonkeyPatch, posix: str) -> None:
    monkeypatch.setenv("TZ", posix)
    time.tzset()


def _zone_on_another_day(monkeypatch: pytest.MonkeyPatch) -> tuple[dt.date, dt.date]:
    """A zone whose date differs from UTC's right now; (local date, UTC date)."""
    now = dt.datetime.now(dt.UTC)
    # Before noon UTC, UTC-12 is still yesterday; after, UTC+12 is already tomorrow.
    _zone(monkeypatch, "WEST+12" if now.hour < 12 else "EAST-12")
    local = dt.datetime.now().astimezone().date()
    return local, dt.datetime.now(dt.UTC).date()


def test_stats_counts_today_in_local_time_and_utc_when_asked(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, seeds: list[Path]
) -> None:
    run(capsys, "import", str(seeds[0]))
    _, out, _ = run(capsys, "list", "--ids", "-n", "1")
    local, utc = _zone_on_another_day(monkeypatch)
    assert local != utc
    assert run(capsys, "mark", "read", out.strip())[0] == 0
    _, out, _ = run(capsys, "stats", "--json")
    figures = json.loads(out)
    assert figures["today"] == local.isoformat()
    assert figures["days"][-1] == {"day": local.isoformat(), "triaged": 1, "read": 1}
    _, out, _ = run(capsys, "stats", "--json", "--utc")
    figures = json.loads(out)
    assert figures["today"] == utc.isoformat()
    assert figures["days"][-1] == {"day": utc.isoformat(), "triaged": 1, "read": 1}
    _, out, _ = run(capsys, "stats")
    assert "weeks start on Monday, local time" in out


def test_config_utc_setting_is_the_default_for_utc(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    seeds: list[Path],
    tmp_path: Path,
) -> None:
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.toml").write_text("[look]\nutc = true\n")
    run(capsys, "import", str(seeds[0]))
    _, utc = _zone_on_another_day(monkeypatch)
    _, out, _ = run(capsys, "stats", "--json")
    assert json.loads(out)["today"] == utc.isoformat()


def test_since_a_date_is_local_midnight(monkeypatch: pytest.MonkeyPatch) -> None:
    _zone(monkeypatch, "CET-1")
    now = dt.datetime(2026, 11, 21, 12, tzinfo=dt.UTC)
    since = whats_new.parse_since("2026-11-20", now)
    assert since == dt.datetime(2026, 11, 19, 23, tzinfo=dt.UTC)
    assert whats_new.parse_since("2026-11-20T07:30", now) == dt.datetime(
        2026, 11, 20, 6, 30, tzinfo=dt.UTC
    )
    assert whats_new.parse_since("2026-11-20", now, utc=True) == dt.datetime(
        2026, 11, 20, tzinfo=dt.UTC
    )


def test_whats_new_shows_local_times(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, seeds: list[Path]
) -> None:
    run(capsys, "import", str(seeds[0]))
    _zone(monkeypatch, "CET-1")
    _, out, _ = run(capsys, "whats-new", "--since", "2000-01-01")
    assert out.startswith("# What's new since 2000-01-01 00:00 CET")
    _, out, _ = run(capsys, "whats-new", "--since", "2000-01-01", "--utc")
    assert out.startswith("# What's new since 2000-01-01 00:00 UTC")
