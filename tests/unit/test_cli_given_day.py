"""--date is the day of the pages that name none; a page's own day is never overwritten.

A new user's case (2026-12-04): ``tracker import a.md b.md --date 2025-10-20``,
a.md dated 2025-11-03 by its front matter, stored a digest labelled Nov 3
and dated 2025-10-20, without a word. And a page of paper links with no day
was refused as "not a digest ... nothing of a Daily Papers page".
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_run import run
from tracker.library import Library

ABSTRACT = "We study this question in depth with many experiments. " * 3


def _page(path: Path, head: str, title: str, paper_id: str) -> Path:
    path.write_text(f"{head}## [{title}](https://huggingface.co/papers/{paper_id})\n\n{ABSTRACT}\n")
    return path


def _dated(tmp_path: Path) -> Path:
    head = "---\ndate: 2025-11-03\n---\n\n# Week\n\n"
    return _page(tmp_path / "a.md", head, "A Paper Dated By Its Own Page", "2511.00001")


def _undated(tmp_path: Path) -> Path:
    return _page(tmp_path / "b.md", "# My picks\n\n", "A Paper Of A Page With No Day", "2511.00002")


def test_a_pages_own_day_wins_over_date_and_the_import_says_so(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    a, b = _dated(tmp_path), _undated(tmp_path)
    code, _, err = run(capsys, "import", str(a), str(b), "--date", "2025-10-20")
    assert code == 0, err
    assert "the day given (2025-10-20) is not used: a.md gives its own date (2025-11-03)" in err
    with Library.open(data_dir, readonly=True) as lib:
        dates = {d.source: (d.label, d.date) for d in lib.digests}
    assert dates == {"a.md": ("Nov 3", "2025-11-03"), "b.md": ("Oct 20", "2025-10-20")}


def test_a_page_of_paper_links_without_a_day_is_asked_for_its_day(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    code, _, err = run(capsys, "import", "--dry-run", str(_undated(tmp_path)))
    assert code == 1
    assert "b.md names no day" in err and "import it with --date YYYY-MM-DD" in err
    assert "does not look like a digest" not in err


def test_date_on_a_page_imported_before_is_said_not_used(
    capsys: pytest.CaptureFixture[str], data_dir: Path, tmp_path: Path
) -> None:
    a = _dated(tmp_path)
    assert run(capsys, "import", str(a))[0] == 0
    code, out, err = run(capsys, "import", "--dry-run", str(a), "--date", "2025-10-01")
    assert code == 0 and "already imported" in out
    assert "the day given (2025-10-01) is not used: the page was imported before" in err
    _, _, err = run(capsys, "import", "--dry-run", str(a), "--date", "2025-11-03")
    assert "not used" not in err  # its own day: nothing to say
