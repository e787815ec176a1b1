"""`tracker whats-new`: what's new, as a cron job would run it."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tests.cli_run import run


def test_whats_new_lists_what_was_imported_today(
    capsys: pytest.CaptureFixture[str], seeds: list[Path]
) -> None:
    assert run(capsys, "import", str(seeds[0]))[0] == 0
    code, out, err = run(capsys, "whats-new")
    assert code == 0 and err == ""
    assert out.startswith("# What's new since ")
    assert "1 digest imported: Aug 25 (71 papers). 71 papers, 71 new to the library." in out
    assert "## Aug 25 (71 papers)" in out
    assert out.count("\n- **") == 71
    # The second digest shares 19 papers with the first: they are "already in the library".
    assert run(capsys, "import", str(seeds[1]))[0] == 0
    since = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M")
    _, again, _ = run(capsys, "whats-new", "--since", since)
    assert "2 digests imported" in again
    assert "## Mar 17 (43 papers)" in again
    assert "## Already in the library" not in again  # both digests are new since then
    code, stable, _ = run(capsys, "whats-new", "--since", since)
    assert stable == again  # same input, same text


def test_whats_new_says_nothing_new_in_one_line(
    capsys: pytest.CaptureFixture[str], seeds: list[Path], tmp_path: Path
) -> None:
    assert run(capsys, "import", str(seeds[0]))[0] == 0
    code, out, _ = run(capsys, "whats-new", "--since", "2099-01-01")
    assert code == 0
    assert out == "Nothing new since 2099-01-01 00:00 UTC.\n"
    target = tmp_path / "summary.md"
    code, out, err = run(capsys, "whats-new", "--since", "2099-01-01", "-o", str(target))
    assert code == 0 and out == ""
    assert target.read_text() == "Nothing new since 2099-01-01 00:00 UTC.\n"
    assert err.strip() == "Nothing new since 2099-01-01 00:00 UTC."


def test_whats_new_to_a_file_and_watched_only(
    capsys: pytest.CaptureFixture[str], seeds: list[Path], tmp_path: Path
) -> None:
    assert run(capsys, "import", *map(str, seeds))[0] == 0
    code, _, err = run(capsys, "whats-new", "--watched-only")
    assert code == 1 and "--watched-only needs a watch list" in err
    assert run(capsys, "watch", "add", "mamba")[0] == 0
    target = tmp_path / "out" / "morning.md"
    target.parent.mkdir()
    code, out, err = run(capsys, "whats-new", "--since", "1d", "--watched-only", "-o", str(target))
    assert code == 0 and out == ""
    text = target.read_text()
    watched = [line for line in text.splitlines() if line.startswith("- **")]
    assert watched and all("watch: `mamba`" in line for line in watched)
    assert f"wrote {len(watched)} papers to {target}" in err
    assert "## Aug 25" not in text
    _, full, _ = run(capsys, "whats-new")
    assert full.index("## Watched") < full.index("## Aug 25")


def test_whats_new_rejects_a_bad_since_and_an_unwritable_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "whats-new", "--since", "last tuesday")
    assert code == 1 and "--since 'last tuesday' is not a date" in err
    code, _, err = run(capsys, "whats-new", "-o", str(tmp_path / "missing" / "x.md"))
    assert code == 1 and f"the folder {tmp_path / 'missing'} does not exist" in err


def test_the_old_name_digest_still_works_with_a_note(
    capsys: pytest.CaptureFixture[str], seeds: list[Path], data_dir: Path
) -> None:
    """Cron lines written for `tracker digest` keep working; stderr says the new name."""
    assert run(capsys, "import", str(seeds[0]))[0] == 0
    _, new, _ = run(capsys, "whats-new", "--since", "1d")
    code, old, err = run(capsys, "--data-dir", str(data_dir), "digest", "--since", "1d")
    assert code == 0 and old == new
    assert err == (
        "tracker: note: `tracker digest` is now `tracker whats-new`; "
        "the old name will be removed in a later release\n"
    )
    # A query word "digest" is not a command name.
    code, _, err = run(capsys, "list", "digest")
    assert code == 0 and "is now" not in err


def test_the_json_lists_the_papers_in_the_markdowns_order(
    capsys: pytest.CaptureFixture[str], seeds: list[Path]
) -> None:
    """The README says so; the watched papers were mixed in at their digest's places
    (a second new-user trial)."""
    assert run(capsys, "import", *map(str, seeds))[0] == 0
    assert run(capsys, "watch", "add", "mamba")[0] == 0
    _, text, _ = run(capsys, "whats-new", "--since", "1d")
    _, raw, _ = run(capsys, "whats-new", "--since", "1d", "--json")
    papers = json.loads(raw)["papers"]
    watched = [p for p in papers if p["watch"]]
    assert watched and papers[: len(watched)] == watched
    # The Markdown names each paper by its title, in the same order.
    positions = [text.index(f"**{p['title']}**") for p in papers]
    assert positions == sorted(positions)
