"""`tracker fetch` against a local server: the same papers as importing the saved response.

No test touches the network: the server is an http.server on 127.0.0.1 in
this process (tests/fake_services.py), serving answers in the exact shape of
Hugging Face's and arXiv's, with the seeds' papers in them (the workplace
forbids committing data fetched from public repositories; see
tests/fixtures/real/SOURCES.md). The recorded real answers are served byte for
byte by test_fetch_real.py when $TRACKER_REAL_CORPUS is set.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli_run import run
from tests.fake_services import SEEDS, FakeServer, arxiv_rss, hf_day, seed_papers, serve
from tracker.fetching import http, utc_today
from tracker.library import Library
from tracker.store.lock import OWNER_FILE

DAY = dt.date(2026, 8, 20)
PAPERS = seed_papers()


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeServer]:
    waits: list[float] = []
    monkeypatch.setattr(http, "pause", waits.append)  # no real waiting in tests
    for running in serve():
        monkeypatch.setenv("TRACKER_HF_API", running.base + "/api")
        monkeypatch.setenv("TRACKER_ARXIV_API", running.base + "/rss")
        running.waits = waits  # type: ignore[attr-defined]
        yield running


def hf_path(day: dt.date) -> str:
    return f"/api/daily_papers?date={day.isoformat()}"


def library_state(
    data_dir: Path,
) -> tuple[list[tuple[str, str, str | None, int | None]], list[tuple[str, str | None, int]]]:
    """Papers (id, title, arXiv id, upvotes) and digests (label, date, papers) as stored."""
    with Library.open(data_dir, readonly=True) as lib:
        papers = sorted((p.id, p.title, p.arxiv_id, p.upvotes) for p in lib.papers)
        digests = [(d.label, d.date, len(d.paper_ids)) for d in lib.digests]
    return papers, digests


def files_of(data_dir: Path) -> dict[str, bytes]:
    """The library's files and their bytes.

    Not the writer lock's owner record: it says who last took the lock and
    since when (a writable open takes it), which is no part of the library;
    compared, it failed a test whenever the clock's second ticked between two
    commands.
    """
    if not data_dir.exists():
        return {}
    return {
        p.name: p.read_bytes()
        for p in sorted(data_dir.iterdir())
        if p.is_file() and p.name != OWNER_FILE
    }


def test_fetch_a_day_imports_what_importing_the_saved_answer_imports(
    server: FakeServer, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    body = hf_day(DAY, PAPERS[:12])
    server.json(hf_path(DAY), body)
    fetched, imported = tmp_path / "fetched", tmp_path / "imported"
    code, out, err = run(capsys, "--data-dir", str(fetched), "fetch", "--date", "2026-08-20")
    assert code == 0, err
    assert "hf-daily-2026-08-20.json (hf-json): Aug 20 2026 — 12 papers, 12 new" in out
    assert server.requests == [hf_path(DAY)]
    saved = tmp_path / "day.json"
    saved.write_bytes(body)
    assert run(capsys, "--data-dir", str(imported), "import", str(saved))[0] == 0
    assert library_state(fetched) == library_state(imported)
    papers, digests = library_state(fetched)
    assert digests == [("Aug 20", "2026-08-20", 12)]
    assert {title for _, title, _, _ in papers} == {title for title, _ in PAPERS[:12]}


def test_the_same_day_again_is_not_fetched_again(
    server: FakeServer, capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    server.json(hf_path(DAY), hf_day(DAY, PAPERS[:5]))
    assert run(capsys, "fetch", "--date", "2026-08-20")[0] == 0
    # Upvotes changed since: other bytes, the same day. Still one digest.
    server.json(hf_path(DAY), hf_day(DAY, PAPERS[:6]))
    code, out, _ = run(capsys, "fetch", "--date", "2026-08-20")
    assert code == 0
    assert out == "hf: 2026-08-20 already fetched (`tracker forget` its digest to fetch it again)\n"
    assert len(server.requests) == 1
    assert library_state(data_dir)[1] == [("Aug 20", "2026-08-20", 5)]


def test_offline_is_one_line_exit_1_and_the_library_untouched(
    capsys: pytest.CaptureFixture[str], data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for running in serve():
        base = running.base
    # The server is gone: its port refuses connections, as a machine offline does.
    monkeypatch.setenv("TRACKER_HF_API", base + "/api")
    assert run(capsys, "import", str(SEEDS[0]))[0] == 0
    before = files_of(data_dir)
    code, out, err = run(capsys, "fetch", "--date", "2026-08-20")
    assert code == 1
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("tracker: cannot reach 127.0.0.1:")
    assert err.rstrip().endswith("check the network connection; nothing was imported")
    assert files_of(data_dir) == before


def test_an_http_error_on_one_day_of_a_range_imports_no_day(
    server: FakeServer, capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    today = utc_today()
    days = [today - dt.timedelta(days=n) for n in (3, 2, 1)]
    server.json(hf_path(days[0]), hf_day(days[0], PAPERS[:3]))
    server.routes[hf_path(days[1])] = (404, {}, b'{"error":"Not Found"}')
    server.json(hf_path(days[2]), hf_day(days[2], PAPERS[3:6]))
    code, _, err = run(capsys, "fetch", "--since", days[0].isoformat())
    assert code == 1
    assert err.count("\n") == 1
    assert f"answered 404 Not Found for {server.base}{hf_path(days[1])}" in err
    assert "nothing was imported" in err
    assert not (data_dir / "library.json").exists()
    assert server.requests == [hf_path(days[0]), hf_path(days[1])]  # no use going on


def test_busy_server_is_asked_again_with_backoff(
    server: FakeServer, capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    server.routes[hf_path(DAY)] = [
        (503, {}, b"busy"),
        (429, {"Retry-After": "7"}, b"slow down"),
        (200, {}, hf_day(DAY, PAPERS[:4])),
    ]
    code, _, err = run(capsys, "fetch", "--date", "2026-08-20")
    assert code == 0, err
    assert server.requests == [hf_path(DAY)] * 3
    assert server.waits == [1.0, 7.0]  # type: ignore[attr-defined]
    assert library_state(data_dir)[1] == [("Aug 20", "2026-08-20", 4)]


def test_a_server_that_stays_busy_fails_in_one_line(
    server: FakeServer, capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    server.routes[hf_path(DAY)] = (502, {}, b"bad gateway")
    code, _, err = run(capsys, "fetch", "--date", "2026-08-20")
    assert code == 1 and err.count("\n") == 1
    assert "answered 502 Bad Gateway" in err and "(after 4 tries)" in err
    assert server.waits == [1.0, 2.0, 4.0]  # type: ignore[attr-defined]
    assert not (data_dir / "library.json").exists()


def test_a_range_is_one_import_per_day_with_empty_days_passed_over(
    server: FakeServer, capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    today = utc_today()
    days = [today - dt.timedelta(days=n) for n in (3, 2, 1)]
    server.json(hf_path(days[0]), hf_day(days[0], PAPERS[:3]))
    server.json(hf_path(days[1]), b"[]")  # a weekend
    server.json(hf_path(days[2]), hf_day(days[2], PAPERS[3:7]))
    # The preview counts every day asked for, the empty one too.
    code, out, _ = run(capsys, "fetch", "--since", "3d", "--dry-run")
    assert code == 0
    assert out.endswith(
        "3 days fetched: would add 2 digests and 7 new papers; nothing was written (dry run)\n"
    )
    server.requests.clear()
    code, out, err = run(capsys, "fetch", "--since", "3d")
    assert code == 0, err
    assert f"{days[1].isoformat()}: no papers listed" in out
    digests = library_state(data_dir)[1]
    assert [(date, n) for _, date, n in digests] == [
        (days[0].isoformat(), 3),
        (days[2].isoformat(), 4),
    ]
    # Requests kept the polite interval between them (waits are recorded, not slept).
    assert len(server.requests) == 3
    # The next morning's plain `tracker fetch` starts after the newest day fetched.
    server.requests.clear()
    code, out, err = run(capsys, "fetch")
    assert code == 0 and err == ""
    assert server.requests == []
    assert out == f"hf: up to date (every day to {days[2].isoformat()} is in)\n"


def test_plain_fetch_catches_up_from_the_last_day_fetched(
    server: FakeServer, capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    today = utc_today()
    old = today - dt.timedelta(days=4)
    server.json(hf_path(old), hf_day(old, PAPERS[:2]))
    assert run(capsys, "fetch", "--date", old.isoformat())[0] == 0
    for n in (3, 2, 1):
        day = today - dt.timedelta(days=n)
        server.json(hf_path(day), hf_day(day, PAPERS[10 * n : 10 * n + 2]))
    server.requests.clear()
    code, _, err = run(capsys, "fetch")
    assert code == 0, err
    assert server.requests == [hf_path(today - dt.timedelta(days=n)) for n in (3, 2, 1)]
    assert len(library_state(data_dir)[1]) == 4


def test_dry_run_shows_the_preview_and_writes_nothing(
    server: FakeServer, capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    server.json(hf_path(DAY), hf_day(DAY, PAPERS[:7]))
    code, out, err = run(capsys, "fetch", "--date", "2026-08-20", "--dry-run")
    assert code == 0, err
    assert "would add Aug 20 2026 (2026-08-20) — 7 papers, 7 new" in out
    assert f"  · {PAPERS[0][0]}" in out
    assert out.rstrip().endswith(
        "1 day fetched: would add 1 digest and 7 new papers; nothing was written (dry run)"
    )
    assert not data_dir.exists() or files_of(data_dir) == {}


def test_json_gives_one_object_per_day(
    server: FakeServer, capsys: pytest.CaptureFixture[str]
) -> None:
    server.json(hf_path(DAY), hf_day(DAY, PAPERS[:2]))
    _, out, _ = run(capsys, "fetch", "--date", "2026-08-20", "--json")
    [record] = [json.loads(line) for line in out.splitlines()]
    assert record["day"] == "2026-08-20" and record["new"] == 2
    assert record["url"].endswith(hf_path(DAY))


def test_arxiv_category_feed_imports_its_new_submissions(
    server: FakeServer, capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    announced = dt.date(2026, 8, 19)
    feed = arxiv_rss("cs.CL", announced, PAPERS[:4], replaced=PAPERS[20:22])
    server.rss("/rss/cs.CL", feed)
    code, out, err = run(capsys, "fetch", "--source", "arxiv:cs.CL")
    assert code == 0, err
    assert "arxiv-cs.CL-2026-08-19.xml (feed): Aug 19 2026 — 4 papers, 4 new" in out
    assert "2 items announced as replacements (new versions of older papers) skipped" in err
    with Library.open(data_dir, readonly=True) as lib:
        titles = [p.title for p in lib.papers]
        first = next(p for p in lib.papers if p.title == PAPERS[0][0])
    assert titles == [t for t, _ in PAPERS[:4]]
    assert first.abstract == " ".join(PAPERS[0][1].split())
    assert first.authors == ["Ana Example", "Bo Sample", "Chen Placeholder"]
    # Fetched again the same day: nothing new.
    code, out, err = run(capsys, "fetch", "--source", "arxiv:cs.CL")
    assert code == 0 and "already fetched" in out


def test_arxiv_has_no_days_to_ask_for(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "fetch", "--source", "arxiv:cs.CL", "--date", "2026-08-20")
    assert code == 1 and err.count("\n") == 1
    assert "holds only the latest announcement; --date and --since are for --source hf" in err
    code, _, err = run(capsys, "fetch", "--source", "arxive:cs.CL")
    assert code == 1 and "unknown source 'arxive:cs.CL'" in err


def test_configured_sources_are_fetched_without_source(
    server: FakeServer, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config = tmp_path / "config"
    config.mkdir(exist_ok=True)
    (config / "config.toml").write_text('[fetch]\nsources = ["arxiv:cs.LG"]\n')
    server.rss("/rss/cs.LG", arxiv_rss("cs.LG", DAY, PAPERS[:2]))
    code, _, err = run(capsys, "fetch")
    assert code == 0, err
    assert server.requests == ["/rss/cs.LG"]


# -- the client itself ------------------------------------------------------------------


def test_requests_keep_the_interval_between_them() -> None:
    now = [100.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    client = http.Http(interval=3.0, sleep=sleep, clock=lambda: now[0])
    bodies = []
    for running in serve():
        running.json("/a", b"[1]")
        for _ in range(3):
            bodies.append(client.get(running.base + "/a"))
            now[0] += 0.5  # the caller's own work between requests
    assert bodies == [b"[1]"] * 3
    assert waits == [2.5, 2.5]


def test_retry_after_is_capped() -> None:
    client = http.Http()
    assert client._pause(1, "86400") == http.MAX_WAIT
    assert client._pause(3, None) == 4.0
