"""The benchmark's app child (benchmarks/app_child.py) still drives the app.

It replaces a few of the app's methods to time keystrokes, so a change of
their signatures broke the benchmark, not the app (PaperList.set_hits took
a new keyword and every benchmark run ended in a TypeError). A short run
on the bundled digests catches that in the regular tests.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tracker.library import Library

ROOT = Path(__file__).resolve().parents[2]


def test_the_app_child_types_queries_and_reports_keystrokes(data_dir: Path, tmp_path: Path) -> None:
    with Library.open(data_dir) as lib:
        lib.import_bundled_seeds()
    out = tmp_path / "result.json"
    (tmp_path / "config").mkdir()
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.app_child",
            "--data-dir",
            str(data_dir),
            "--config",
            str(tmp_path / "config"),
            "--out",
            str(out),
            "--queries",
            json.dumps(["mamba", "status:read"]),
            "--scroll-pages",
            "2",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    result = json.loads(out.read_text())
    typed = [k["typed"] for k in result["keystrokes"]]
    assert "mamba" in typed and "status:read" in typed
    assert all(k["frame_ms"] > 0 for k in result["keystrokes"])
