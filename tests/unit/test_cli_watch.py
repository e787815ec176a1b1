"""The watch list from the command line: `tracker watch`, the import report, is:watched, --ascii."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.cli_run import run


def config_path() -> Path:
    directory = Path(os.environ["TRACKER_CONFIG_DIR"])
    directory.mkdir(parents=True, exist_ok=True)
    return directory / "config.toml"


def test_import_reports_watched_papers_and_list_filters_them(
    capsys: pytest.CaptureFixture[str], seeds: list[Path]
) -> None:
    code, out, _ = run(capsys, "watch", "add", "recipes", '"state space"')
    assert code == 0
    assert "recipes" in out and '"state space"' in out
    assert 'terms = ["recipes", "\\"state space\\""]' in config_path().read_text(encoding="utf-8")

    code, out, _ = run(capsys, "import", *map(str, seeds))
    assert code == 0
    # Each file says how many of its papers matched, and names the first few.
    assert "papers match your watch list:" in out
    assert "★ A Named Entity Based Approach to Model Recipes  [recipes]" in out
    assert '["state space"]' in out

    code, out, _ = run(capsys, "list", "--json", "is:watched")
    listed = [json.loads(line) for line in out.splitlines()]
    assert listed, "is:watched found nothing"
    assert all(p["watched"] in ("recipes", '"state space"') for p in listed)
    titles = {p["title"] for p in listed}
    assert "A Named Entity Based Approach to Model Recipes" in titles
    assert "Pointer Networks" not in titles

    code, out, _ = run(capsys, "list", "-is:watched", "--ids")
    assert len(out.split()) == 114 - len(listed)

    code, out, _ = run(capsys, "list", "recipes")
    assert "★ recipes" in out.splitlines()[0]


def test_watch_list_changes_show_at_once(
    capsys: pytest.CaptureFixture[str], seeds: list[Path]
) -> None:
    run(capsys, "import", *map(str, seeds))
    run(capsys, "watch", "add", "pointer")
    _, out, _ = run(capsys, "list", "is:watched")
    assert [line.split("  ", 1)[1].split("  ★")[0][11:] for line in out.splitlines()] == [
        "Pointer Networks"
    ]
    code, out, _ = run(capsys, "watch", "remove", "pointer")
    assert code == 0
    assert "empty" in out
    _, out, _ = run(capsys, "list", "is:watched")
    assert out == ""
    code, _, err = run(capsys, "watch", "remove", "pointer")
    assert code == 1
    assert "not on the watch list" in err


def test_watch_add_refuses_filters(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "watch", "add", "status:read")
    assert code == 1
    assert err.count("\n") == 1 and "status:" in err
    assert not config_path().exists()


def test_ascii_marks(capsys: pytest.CaptureFixture[str], seeds: list[Path]) -> None:
    run(capsys, "import", *map(str, seeds))
    run(capsys, "watch", "add", "pointer")
    code, out, _ = run(capsys, "--ascii", "list", "pointer networks")
    assert code == 0
    first = out.splitlines()[0]
    assert " * new " in first and "! pointer" in first
    assert "★" not in out and "•" not in out


def test_ascii_from_the_config_file(capsys: pytest.CaptureFixture[str], seeds: list[Path]) -> None:
    run(capsys, "import", *map(str, seeds))
    config_path().write_text("[look]\nascii = true\n", encoding="utf-8")
    _, out, _ = run(capsys, "list", "status:new", "-n", "1")
    assert " * new " in out


def test_a_broken_config_is_a_warning_not_a_stop(
    capsys: pytest.CaptureFixture[str], seeds: list[Path]
) -> None:
    run(capsys, "import", *map(str, seeds))
    config_path().write_text("[watch\nterms = []\n", encoding="utf-8")
    code, out, err = run(capsys, "list", "-n", "2")
    assert code == 0
    assert len(out.splitlines()) == 2
    [warning] = err.splitlines()
    assert "config.toml, line 1" in warning and "default settings" in warning


def test_each_entry_counts_every_paper_it_matches(
    capsys: pytest.CaptureFixture[str], seeds: list[Path]
) -> None:
    """A paper two entries match counted only under the first: `author:"Tri Dao"` said
    0 papers with one paper by him on the list (a second new-user trial)."""
    run(capsys, "import", *map(str, seeds))
    run(capsys, "watch", "add", "mamba")
    code, out, _ = run(capsys, "watch", "add", "state space")
    assert code == 0
    _, listed, _ = run(capsys, "list", "--ids", "state space")
    _, both, _ = run(capsys, "list", "--ids", "mamba state space")
    assert both.strip()  # a paper both entries match: the case that was miscounted
    _, out, _ = run(capsys, "watch", "--json")
    counts = {row["entry"]: row["papers"] for row in map(json.loads, out.splitlines())}
    assert counts["state space"] == len(listed.split())
