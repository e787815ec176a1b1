"""`tracker import --json`: a file that failed is named in its object, as a file imported is."""

from __future__ import annotations

import datetime as dt
import io
import json
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli_run import run
from tests.fake_services import FakeServer, serve
from tracker.fetching import http

JUNK = b"nothing like a page of papers\n"


def _objects(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.splitlines()]


def test_a_missing_and_an_unreadable_file_carry_their_file(
    capsys: pytest.CaptureFixture[str], seeds: list[Path], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(JUNK)
    missing = tmp_path / "sub" / "missing.txt"
    for dry_run in ([], ["--dry-run"]):
        code, out, _ = run(
            capsys, "import", "--json", *dry_run, str(seeds[0]), str(missing), str(bad)
        )
        assert code == 1
        ok, gone, junk = _objects(out)
        # Named as the objects of the files imported name theirs (the file's name).
        assert ok["file"] == seeds[0].name
        assert set(gone) == {"file", "error"} and gone["file"] == "missing.txt"
        assert "cannot read" in str(gone["error"])
        assert set(junk) == {"file", "error"} and junk["file"] == "bad.txt"


def test_a_refused_file_carries_its_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # Two digests in one file look unusual: a script is not asked, the file is left out.
    two = tmp_path / "two.txt"
    two.write_text(
        "Aug 25, 2025\n\nA first paper\n\nIts abstract, long enough to be one.\n\n"
        "Aug 26, 2025\n\nA second paper\n\nIts abstract, long enough to be one too.\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "import", "--json", str(two))
    [refused] = _objects(out)
    assert code == 1 and refused["file"] == "two.txt"
    assert "not imported" in str(refused["error"])


def test_stdin_that_fails_is_named_stdin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for dry_run in ([], ["--dry-run"]):
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(JUNK)))
        code, out, _ = run(capsys, "import", "--json", *dry_run, "-")
        [failed] = _objects(out)
        assert code == 1 and failed["file"] == "stdin" and "error" in failed


def test_the_clipboard_that_fails_is_named_clipboard(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    xclip = bin_dir / "xclip"
    xclip.write_text("#!/bin/sh\necho 'nothing like a page of papers'\n", encoding="utf-8")
    xclip.chmod(xclip.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("TMUX", raising=False)
    code, out, _ = run(capsys, "import", "--json", "--clipboard")
    [failed] = _objects(out)
    assert code == 1 and failed["file"] == "clipboard" and "error" in failed


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeServer]:
    monkeypatch.setattr(http, "pause", lambda seconds: None)  # no real waiting in tests
    for running in serve():
        monkeypatch.setenv("TRACKER_HF_API", running.base + "/api")
        yield running


def test_a_fetched_day_that_fails_carries_the_file_it_would_be_stored_as(
    server: FakeServer, capsys: pytest.CaptureFixture[str]
) -> None:
    # `tracker fetch --json` prints `tracker import --json`'s objects, with day and url.
    day = dt.date(2026, 8, 20)
    server.routes[f"/api/daily_papers?date={day.isoformat()}"] = (200, {}, b'{"error": "x"}')
    code, out, _ = run(capsys, "fetch", "--date", day.isoformat(), "--json")
    [failed] = _objects(out)
    assert code == 1 and "error" in failed
    assert failed["file"] == "hf-daily-2026-08-20.json" and failed["day"] == "2026-08-20"
