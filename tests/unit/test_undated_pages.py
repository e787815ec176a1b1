"""A page that names no day: refused with what to do (--date), whatever its kind; never
imported under a label made from its file name. One rule for every format and message."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_run import run
from tracker.library import Library

ABSTRACT = "We study this question in depth with many careful experiments and show why. " * 2
HINT = "import it with --date YYYY-MM-DD"


def _page(tmp_path: Path) -> Path:
    """A copy of a Daily Papers page without its date line: a page, but of no day."""
    path = tmp_path / "my-papers.txt"
    path.write_text(
        "Daily Papers\n\nbyAK and the research community\n\n"
        f"A Paper About Calendars And Weeks\n\n{ABSTRACT}\n\n"
        f"Another Paper About Clocks And Hours\n\n{ABSTRACT}\n"
    )
    return path


def test_an_undated_page_is_refused_with_what_to_do_and_nothing_is_stored(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    code, out, err = run(capsys, "import", str(_page(tmp_path)))
    assert code == 1
    assert err.splitlines() == [
        "tracker: my-papers.txt names no day (no date line or date heading, no date in its "
        "front matter or header), and a digest is dated by its page; " + HINT
    ]
    assert "my-papers" not in out  # no digest named after the file
    if (data_dir / "library.json").exists():
        with Library.open(data_dir, readonly=True) as lib:
            assert lib.digests == [] and len(lib) == 0


def test_with_date_the_undated_page_is_that_day(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    code, out, err = run(capsys, "import", "--date", "2024-10-07", str(_page(tmp_path)))
    assert code == 0, err
    assert out.startswith("my-papers.txt: Oct 7 2024 — 2 papers, 2 new")
    assert err == ""  # no warning that the page has no date line: --date gave its day
    with Library.open(data_dir, readonly=True) as lib:
        assert [(d.label, d.date) for d in lib.digests] == [("Oct 7", "2024-10-07")]


def test_a_text_that_is_no_page_says_the_same_thing_to_do(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text(f"Things to read\n\n{ABSTRACT}\n\nMore things\n\n{ABSTRACT}\n")
    code, _, err = run(capsys, "import", str(notes))
    assert code == 1
    assert err.startswith("tracker: notes.txt does not look like a digest (it names no day")
    assert err.rstrip().endswith(HINT)


def test_a_preview_of_an_undated_page_says_so_too(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run(capsys, "import", "--dry-run", str(_page(tmp_path)))
    assert code == 1
    assert "my-papers.txt names no day" in err and HINT in err
    assert "1 cannot be imported; nothing was written (dry run)" in out
