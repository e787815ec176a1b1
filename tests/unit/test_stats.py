"""Reading statistics from synthetic histories with fixed dates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tracker import stats
from tracker.library import Library
from tracker.models import Annotation, Status, StatusChange

D = dt.date


def ann(pid: str, *changes: tuple[str, str], note: str = "") -> Annotation:
    history = [StatusChange(at, Status(s)) for at, s in changes]
    status = history[-1].status if history else Status.NEW
    return Annotation(pid, status, note, [], changes[-1][0] if changes else "", history)


def test_week_start_is_monday_across_a_year_boundary() -> None:
    assert stats.week_start(D(2026, 1, 1)) == D(2025, 12, 29)  # a Thursday
    assert stats.week_start(D(2025, 12, 29)) == D(2025, 12, 29)
    assert stats.week_start(D(2026, 1, 4)) == D(2025, 12, 29)  # Sunday
    assert stats.week_start(D(2026, 1, 5)) == D(2026, 1, 5)


def test_empty_library_gives_twelve_empty_weeks() -> None:
    result = stats.compute([], [], papers=0, today=D(2026, 11, 23))
    assert len(result.weeks) == 12
    assert result.weeks[-1].start == D(2026, 11, 23)
    assert result.weeks[0].start == D(2026, 9, 7)
    assert all((w.triaged, w.read, w.backlog) == (0, 0, 0) for w in result.weeks)
    assert result.notes == 0 and result.triaged_total == 0 and result.read_total == 0
    assert result.by_status == dict.fromkeys(Status, 0)


def test_triaged_read_and_backlog_per_week_across_new_year() -> None:
    today = D(2026, 1, 7)  # Wednesday of the week starting Mon 2026-01-05
    anns = [
        # Triaged in the week of Dec 22, read in the week of Dec 29 (across new year).
        ann("a", ("2025-12-23T10:00:00.000Z", "to-read"), ("2026-01-01T09:00:00.000Z", "read")),
        # Read straight away: triaged and read in the same week.
        ann("b", ("2025-12-31T23:59:59.999Z", "read")),
        # Still in the backlog.
        ann("c", ("2025-12-24T08:00:00Z", "to-read"), ("2025-12-30T08:00:00Z", "reading")),
        # Skipped, then put back to new, then triaged again this week.
        ann(
            "d",
            ("2025-12-22T08:00:00Z", "skipped"),
            ("2025-12-26T08:00:00Z", "new"),
            ("2026-01-06T08:00:00Z", "to-read"),
        ),
        # Long before the window: only the backlog sees it.
        ann("e", ("2025-01-10T08:00:00Z", "to-read")),
    ]
    result = stats.compute(anns, [], papers=10, today=today, weeks=3)
    by_week = {w.start: (w.triaged, w.read, w.backlog) for w in result.weeks}
    assert by_week == {
        D(2025, 12, 22): (3, 0, 3),  # a, c, d triaged; backlog a, c, e (d is new again)
        D(2025, 12, 29): (1, 2, 2),  # b triaged; a and b read; backlog c, e
        D(2026, 1, 5): (0, 0, 3),  # d marked again: triaged once already; backlog c, d, e
    }
    assert result.by_status[Status.NEW] == 5  # papers without an annotation
    assert result.by_status[Status.TO_READ] == 2


def test_the_running_week_stops_at_today_and_future_times_are_ignored() -> None:
    anns = [ann("a", ("2026-11-25T08:00:00Z", "read"))]  # after today (clock skew)
    [week] = stats.weekly(anns, D(2026, 11, 23), weeks=1)
    assert (week.triaged, week.read, week.backlog) == (0, 0, 0)


def test_annotations_without_history_count_with_their_current_status() -> None:
    old = Annotation("x", Status.TO_READ, "", [], "", [])
    weeks = stats.weekly([old], D(2026, 11, 23), weeks=2)
    assert [w.backlog for w in weeks] == [1, 1]
    assert [w.triaged for w in weeks] == [0, 0]


def test_unreadable_times_are_skipped() -> None:
    bad = ann("a", ("yesterday", "read"), ("2026-11-23T07:00:00Z", "to-read"))
    [week] = stats.weekly([bad], D(2026, 11, 23), weeks=1)
    assert (week.triaged, week.backlog) == (1, 1)


def test_notes_and_digest_progress() -> None:
    digest = stats.DigestProgress("d1", "Aug 25 2024", total=4, triaged=3, read=1)
    result = stats.compute(
        [ann("a", note="hi"), ann("b", note="  ")], [digest], papers=4, today=D(2026, 1, 1)
    )
    assert result.notes == 1
    assert result.digests[0].done == 0.25
    assert stats.DigestProgress("d2", "empty", 0, 0, 0).done == 0.0


def test_sparkline_and_bar_pictures() -> None:
    assert stats.sparkline([0, 1, 4, 8]) == "▁▂▅█"
    assert stats.sparkline([0, 0]) == "▁▁"
    assert stats.sparkline([]) == ""
    assert stats.bar(5, 10, 4) == "██"
    assert stats.bar(1, 16, 2) == "▏"
    assert stats.bar(0, 10, 4) == "" and stats.bar(3, 0, 4) == ""
    assert stats.bar(20, 10, 3) == "███"


def test_library_stats_from_changes_made_through_the_api(data_dir: Path) -> None:
    with Library.open(data_dir) as lib:
        lib.import_bundled_seeds()
        ids = [p.id for p in lib.papers]
        clock = iter(["2026-11-10T08:00:00.000Z", "2026-11-17T08:00:00.000Z"])
        lib.now = lambda: next(clock)
        lib.set_status(ids[:4], Status.TO_READ)
        lib.set_status(ids[:1], Status.READ)
        lib.now = lambda: "2026-11-18T08:00:00.000Z"
        lib.set_note(ids[2], "read the appendix")
        result = lib.reading_stats(today=D(2026, 11, 23), weeks=3)
    assert [(w.start, w.triaged, w.read, w.backlog) for w in result.weeks] == [
        (D(2026, 11, 9), 4, 0, 4),
        (D(2026, 11, 16), 0, 1, 3),
        (D(2026, 11, 23), 0, 0, 3),
    ]
    assert result.notes == 1 and result.papers == 114
    assert [d.total for d in result.digests] == [71, 62]


def test_daily_figures_across_new_year_and_only_up_to_today() -> None:
    anns = [
        ann("a", ("2025-12-31T23:59:59Z", "to-read"), ("2026-01-01T00:00:01Z", "read")),
        ann("b", ("2026-01-02T10:00:00Z", "read")),
        ann("c", ("2026-01-03T10:00:00Z", "skipped")),  # after today: not counted
        ann("d", ("2025-12-01T10:00:00Z", "to-read")),  # before the window
    ]
    days = stats.daily(anns, D(2026, 1, 2), days=3)
    assert [(d.date, d.triaged, d.read) for d in days] == [
        (D(2025, 12, 31), 1, 0),
        (D(2026, 1, 1), 0, 1),
        (D(2026, 1, 2), 1, 1),
    ]
    result = stats.compute(anns, [], papers=4, today=D(2026, 1, 2))
    assert len(result.days) == stats.DAYS and result.days[-1].date == D(2026, 1, 2)


def _zone(monkeypatch, posix: str) -> None:  # type: ignore[no-untyped-def]
    """Put the process in the time zone ``posix`` (a POSIX TZ string: ``XYZ-10`` is UTC+10)."""
    import time

    monkeypatch.setenv("TZ", posix)
    time.tzset()


def test_days_and_weeks_follow_the_local_time_zone(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _zone(monkeypatch, "AEST-10")
    # Sunday 20:00 UTC is Monday 06:00 in UTC+10: a new local week.
    anns = [ann("a", ("2026-01-04T20:00:00Z", "read"))]
    today = D(2026, 1, 6)
    local = stats.compute(anns, [], papers=1, today=today, weeks=2)
    assert [(w.start, w.triaged) for w in local.weeks] == [(D(2025, 12, 29), 0), (D(2026, 1, 5), 1)]
    assert {d.date: d.read for d in local.days if d.read} == {D(2026, 1, 5): 1}
    utc = stats.compute(anns, [], papers=1, today=today, weeks=2, utc=True)
    assert [(w.start, w.triaged) for w in utc.weeks] == [(D(2025, 12, 29), 1), (D(2026, 1, 5), 0)]
    assert {d.date: d.read for d in utc.days if d.read} == {D(2026, 1, 4): 1}


def test_the_backlog_is_taken_at_local_midnight(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _zone(monkeypatch, "XXX+05")  # UTC-5
    # To-read on Sunday 23:00 local (Monday 04:00 UTC): in the local week that ends that night.
    anns = [ann("a", ("2026-01-05T04:00:00Z", "to-read"))]
    weeks = stats.weekly(anns, D(2026, 1, 6), weeks=2)
    assert [w.backlog for w in weeks] == [1, 1]
    weeks = stats.weekly(anns, D(2026, 1, 6), weeks=2, utc=True)
    assert [w.backlog for w in weeks] == [0, 1]


def test_a_paper_marked_again_after_going_back_to_new_counts_once() -> None:
    anns = [
        ann(
            "a",
            ("2026-01-05T08:00:00Z", "to-read"),
            ("2026-01-05T09:00:00Z", "new"),
            ("2026-01-06T08:00:00Z", "read"),
            ("2026-01-06T09:00:00Z", "to-read"),
            ("2026-01-06T10:00:00Z", "read"),
        ),
    ]
    result = stats.compute(anns, [], papers=1, today=D(2026, 1, 7), weeks=1)
    assert (result.triaged_total, result.read_total) == (1, 1)
    assert [(d.triaged, d.read) for d in result.days[-3:]] == [(1, 0), (0, 1), (0, 0)]
