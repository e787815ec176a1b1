"""tracker import - (a page on stdin), --json on import, related, watch and whats-new,
and import warnings on stderr apart from the results."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli_run import run
from tracker.library import Library

FIXTURES = Path(__file__).parent.parent / "fixtures" / "sources"
HF_JSON = FIXTURES / "hf_daily_papers.json"


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


def test_import_dash_reads_a_page_from_stdin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, data_dir: Path
) -> None:
    _stdin(monkeypatch, HF_JSON.read_bytes())
    code, out, _ = run(capsys, "import", "-")
    assert code == 0
    assert out.startswith("stdin (hf-json): Oct 8 2024, Oct 9 2024 — 4 papers, 4 new")
    with Library.open(data_dir, readonly=True) as lib:
        assert len(lib) == 4
        assert {d.source for d in lib.digests} == {"stdin"}


def test_import_dash_dry_run_writes_nothing(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, data_dir: Path
) -> None:
    _stdin(monkeypatch, HF_JSON.read_bytes())
    code, out, _ = run(capsys, "import", "-", "--dry-run", "--json")
    assert code == 0
    [report] = [json.loads(line) for line in out.splitlines()]
    assert report["preview"] is True and report["new"] == 4
    assert not (data_dir / "library.json").exists()


def test_import_dash_with_a_pipe_in_a_real_process(data_dir: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tracker", "import", "-", "--date", "2024-10-08", "--json"],
        input=HF_JSON.read_bytes(),
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    [report] = [json.loads(line) for line in done.stdout.splitlines()]
    assert report["file"] == "stdin" and report["papers"] == 4


def test_import_dash_with_files_or_garbage_is_one_clear_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, seeds: list[Path]
) -> None:
    _stdin(monkeypatch, b"")
    code, _, err = run(capsys, "import", "-", str(seeds[0]))
    assert code == 1 and "cannot be combined" in err
    _stdin(monkeypatch, b"just a line of text\n")
    code, out, err = run(capsys, "import", "-")
    assert code == 1 and out == ""
    assert "stdin" in err and len(err.splitlines()) == 1


def test_import_warnings_go_to_stderr_results_to_stdout(
    capsys: pytest.CaptureFixture[str], seeds: list[Path]
) -> None:
    code, out, err = run(capsys, "import", str(seeds[0]))
    assert code == 0
    assert "warning" not in out
    assert out.splitlines()[0].startswith(seeds[0].name)
    assert f"tracker: warning: {seeds[0].name}: " in err


def test_import_json_one_object_per_file_with_its_warnings(
    capsys: pytest.CaptureFixture[str], seeds: list[Path], tmp_path: Path
) -> None:
    missing = tmp_path / "missing.txt"
    code, out, err = run(capsys, "import", "--json", *map(str, seeds), str(missing))
    assert code == 1
    reports = [json.loads(line) for line in out.splitlines()]
    assert [r.get("file") for r in reports[:2]] == [s.name for s in seeds]
    assert reports[0]["papers"] == 71 and reports[1]["known"] == 19
    assert reports[0]["warnings"]  # the seeds' pages print no year
    assert reports[0]["digests"][0]["label"] == "Aug 25"
    assert "missing.txt" in reports[2]["error"]
    assert "missing.txt" in err


def _seeded(capsys: pytest.CaptureFixture[str], seeds: list[Path]) -> None:
    assert run(capsys, "import", *map(str, seeds))[0] == 0


def test_related_json(capsys: pytest.CaptureFixture[str], seeds: list[Path]) -> None:
    _seeded(capsys, seeds)
    _, out, _ = run(capsys, "list", "--ids", "-n", "1", "pointer networks")
    code, out, _ = run(capsys, "related", out.strip(), "-n", "3", "--json")
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert len(records) == 3
    assert {"id", "title", "status", "digests", "arxiv_id"} <= set(records[0])


def test_watch_json(capsys: pytest.CaptureFixture[str], seeds: list[Path]) -> None:
    _seeded(capsys, seeds)
    code, out, _ = run(capsys, "watch", "add", "sequence", "--json")
    assert code == 0
    [entry] = [json.loads(line) for line in out.splitlines()]
    assert entry["entry"] == "sequence" and entry["papers"] > 0


def test_whats_new_json(capsys: pytest.CaptureFixture[str], seeds: list[Path]) -> None:
    _seeded(capsys, seeds)
    code, out, _ = run(capsys, "whats-new", "--json")
    assert code == 0
    summary = json.loads(out)
    assert [d["label"] for d in summary["digests"]] == ["Aug 25", "Mar 17"]
    assert len(summary["papers"]) == 114
    assert summary["papers"][0]["digest_label"] == "Aug 25"
