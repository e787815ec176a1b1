"""Damaged and oversized input (issue 17, points 11-14): each test repeats an attack on the released build.

- 12: a 50 MB one-paragraph digest was accepted (selecting its paper froze the app);
- 14: importing /dev/zero said "kept changing while it was read"; ``tracker``
  without a terminal on a library it could not lock failed with "cannot
  lock" although it only reads; a data folder that is a file made ``tracker
  doctor`` say "missing" and exit 0; titles made only of punctuation all got
  one paper id and merged into one paper.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
from pathlib import Path

import pytest

from tracker.cli import main
from tracker.library import Library
from tracker.rows import MAX_ABSTRACT_CHARS, MAX_TITLE_CHARS
from tracker.sources.parsed import DigestError

FIXTURES = Path(__file__).parent.parent / "fixtures"
HF_JSON = FIXTURES / "sources" / "hf_daily_papers.json"


# -- 14: messages ----------------------------------------------------------------


def test_importing_dev_zero_says_it_is_a_device(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero on this system")
    assert main(["import", "/dev/zero"]) == 1
    err = capsys.readouterr().err
    assert "/dev/zero is a device, not a regular file" in err
    assert "kept changing" not in err


def test_a_data_folder_that_is_a_file_is_named_and_doctor_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "data-is-a-file"
    folder.write_text("my shopping list\n")
    for command in (["doctor"], ["list"], ["mark", "read", "abcd"], []):
        assert main(["--data-dir", str(folder), *command]) == 1, command
        err = capsys.readouterr().err
        assert f"the data folder {folder} is a file, not a folder" in err, command
        assert "missing" not in err
    assert folder.read_text() == "my shopping list\n"  # nothing replaced it


def test_the_summary_without_a_terminal_needs_no_lock(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A library of an older version (its upgrade takes the lock) on a disk
    # where the lock file cannot be made: a read-only file system. Injected,
    # since the tests may run as root.
    shutil.copytree(FIXTURES / "before-journal", data_dir)
    real_open = os.open

    def read_only_fs(path: object, flags: int, *args: object) -> int:
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real_open(path, flags, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", read_only_fs)
    assert main([]) == 0  # stdin is no terminal under pytest: the summary
    out, err = capsys.readouterr()
    assert "papers in" in out and "cannot lock" not in err
    assert main(["list"]) == 0


async def test_the_app_offers_read_only_when_it_cannot_write(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tracker.app.app import TrackerApp
    from tracker.app.screens.main import MainScreen
    from tracker.store import StoreError

    with Library.open(data_dir) as lib:
        lib.import_bundled_seeds()
    real = Library.open.__func__  # type: ignore[attr-defined]

    def denied(cls: type[Library], *args: object, readonly: bool = False, **kw: object) -> Library:
        if not readonly:
            raise StoreError(f"cannot lock {data_dir}/tracker.lock: Permission denied")
        return real(cls, *args, readonly=readonly, **kw)  # type: ignore[no-any-return]

    monkeypatch.setattr(Library, "open", classmethod(denied))
    app = TrackerApp(data_dir, config=tmp_path / "config")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert type(app.screen).__name__ == "ErrorScreen"
        assert "read-only" in str(app.screen.query_one("#error-hint").render())
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert app.library is not None and app.library.readonly
        assert len(app.library.papers) == 114


def _hf_page(tmp_path: Path, titles: list[str]) -> Path:
    items = json.loads(HF_JSON.read_text(encoding="utf-8"))
    for item, title in zip(items, titles, strict=False):
        item["title"] = title
    page = tmp_path / "page.json"
    page.write_text(json.dumps(items), encoding="utf-8")
    return page


def test_titles_made_only_of_punctuation_are_skipped_not_merged(
    data_dir: Path, tmp_path: Path
) -> None:
    page = _hf_page(tmp_path, ["???", "...", "!!! ---"])
    with Library.open(data_dir) as lib:
        [report] = lib.import_files([page])
        assert not isinstance(report, Exception), report
        titles = [p.title for p in lib.papers]
    assert "???" not in titles and "..." not in titles and "!!! ---" not in titles
    assert len(titles) == len(set(titles)) == len(json.loads(page.read_text())) - 3
    skipped = [w for w in report.warnings if "without a letter or a digit" in w]
    assert len(skipped) == 3 and all(w.startswith("line ") for w in skipped)
    assert all(d.paper_ids for d in lib.digests)  # no digest left empty


# -- 12: what one paper may hold -------------------------------------------------


def _text_page(title: str, abstract: str) -> str:
    good = "A Paper That Is Fine\n\nWe study a small thing and report what we found in it.\n\n"
    return f"Daily Papers\n\nOct 7, 2024\n\n{good}{title}\n\n{abstract}\n"


def test_a_50_mb_one_paragraph_abstract_is_skipped_with_its_line(
    data_dir: Path, tmp_path: Path
) -> None:
    page = tmp_path / "huge.txt"
    page.write_text(_text_page("An Ordinary Title", "word " * 10_000_000), encoding="utf-8")
    with Library.open(data_dir) as lib:
        [report] = lib.import_files([page])
        assert not isinstance(report, Exception), report
        assert [p.title for p in lib.papers] == ["A Paper That Is Fine"]
    [warning] = [w for w in report.warnings if "abstract has" in w]
    assert warning.startswith("line 9: skipped 'An Ordinary Title'")
    assert f"at most {MAX_ABSTRACT_CHARS:,}" in warning


def test_a_title_longer_than_any_paper_title_is_skipped(data_dir: Path, tmp_path: Path) -> None:
    # A JSON source gives its titles as they are (a text page would not read
    # 12,000 characters as a title at all).
    page = _hf_page(tmp_path, ["Title " * 2_000])
    with Library.open(data_dir) as lib:
        [report] = lib.import_files([page])
        assert not isinstance(report, Exception), report
        assert all(len(p.title) < 200 for p in lib.papers)
        assert len(lib.papers) == len(json.loads(page.read_text())) - 1
    assert any(f"at most {MAX_TITLE_CHARS:,}" in w for w in report.warnings)


def test_a_page_of_only_oversized_papers_imports_nothing(data_dir: Path, tmp_path: Path) -> None:
    page = tmp_path / "only-huge.txt"
    text = "Daily Papers\n\nOct 7, 2024\n\nAn Ordinary Title\n\n" + "word " * 30_000 + "\n"
    page.write_text(text, encoding="utf-8")
    with Library.open(data_dir) as lib:
        [outcome] = lib.import_files([page])
        assert isinstance(outcome, DigestError), outcome
        assert "nothing to import" in str(outcome) and "line 5" in str(outcome)
        assert not lib.papers and not lib.digests
