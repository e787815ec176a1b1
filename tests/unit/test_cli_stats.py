"""`tracker stats`: per-digest progress plus the weekly figures from the status history."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tracker.cli import main
from tracker.library import Library
from tracker.models import Status


def _iso(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


@pytest.fixture
def two_weeks(data_dir: Path) -> dt.date:
    """Four papers triaged last week, one of them read this week; returns today."""
    now = dt.datetime.now(dt.UTC)
    today = now.date()
    monday = today - dt.timedelta(days=today.weekday())
    with Library.open(data_dir) as lib:
        lib.import_bundled_seeds()
        ids = [p.id for p in lib.papers]
        last_week = dt.datetime.combine(monday - dt.timedelta(days=5), dt.time(9), dt.UTC)
        lib.now = lambda: _iso(last_week)
        lib.set_status(ids[:4], Status.TO_READ)
        this_week = min(dt.datetime.combine(monday, dt.time(0, 30), dt.UTC), now)
        lib.now = lambda: _iso(this_week)
        lib.set_status(ids[:1], Status.READ)
        lib.set_note(ids[1], "method section")
    return today


def test_stats_text_keeps_the_digest_lines_and_adds_the_weeks(
    capsys: pytest.CaptureFixture[str], two_weeks: dt.date
) -> None:
    assert main(["stats", "--weeks", "3"]) == 0
    out = capsys.readouterr().out
    assert "114 papers in 2 digests, 1 note (" in out
    # The per-digest lines stay (the first paper is in both bundled digests).
    assert "   1/71   read" in out and "   1/62   read" in out
    monday = two_weeks - dt.timedelta(days=two_weeks.weekday())
    previous = (monday - dt.timedelta(weeks=1)).isoformat()
    assert "Last 3 weeks" in out
    lines = {line.split()[0]: line.split()[1:] for line in out.splitlines() if line[:4] == "  20"}
    assert lines[previous] == ["4", "0", "4"]
    assert lines[monday.isoformat()][:3] == ["0", "1", "3"]
    assert "(so far)" in out
    assert "triaged  ▁█▁  4 in 3 weeks" in out
    assert "backlog" in out and "3 now" in out
    assert "Last 14 days (" in out and "one mark a day" in out


def test_stats_json_has_the_weeks(capsys: pytest.CaptureFixture[str], two_weeks: dt.date) -> None:
    assert main(["stats", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["today"] == two_weeks.isoformat()
    assert len(data["weeks"]) == 12
    assert [w["triaged"] for w in data["weeks"]][-2:] == [4, 0]
    assert data["weeks"][-1] == {
        "week": (two_weeks - dt.timedelta(days=two_weeks.weekday())).isoformat(),
        "triaged": 0,
        "read": 1,
        "backlog": 3,
    }
    assert data["notes"] == 1 and data["papers"] == 114
    assert len(data["days"]) == 14 and data["days"][-1]["day"] == two_weeks.isoformat()
    assert sum(d["triaged"] for d in data["days"]) == 4
    assert sum(d["read"] for d in data["days"]) == 1


def test_stats_rejects_a_bad_week_count(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["stats", "--weeks", "0"])
    assert "'0' is not a whole number of 1 or more" in capsys.readouterr().err
