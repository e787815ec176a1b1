"""Look before you write: previews store nothing; the same page is the same digest."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli_run import run
from tracker.library import ImportReport, Library, LibraryError
from tracker.library.import_text import outcome_lines, totals_line, unusual
from tracker.library.page_hash import page_hashes
from tracker.sources.parsed import DigestError

SOURCES = Path(__file__).parent.parent / "fixtures" / "sources"

PAGE = (
    "Daily Papers\n\nOct 7, 2024\n\n"
    "A Brand New Paper About Kill Safety\n\n"
    + "We study crash safety of note-taking apps in depth. " * 4
    + "\n\nAnother Paper On Undo Logs\n\n"
    + "Undo logs make every change reversible, which we measure here. " * 3
    + "\n"
)


def snapshot(directory: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under ``directory`` with its bytes and modification time."""
    if not directory.exists():
        return {}
    return {
        str(p.relative_to(directory)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


# -- the same page is the same digest ----------------------------------------------


def test_line_endings_and_a_bom_do_not_make_a_second_digest(data_dir: Path, tmp_path: Path) -> None:
    lf = tmp_path / "oct7.txt"
    lf.write_bytes(PAGE.encode())
    crlf = tmp_path / "oct7-windows.txt"
    crlf.write_bytes(b"\xef\xbb\xbf" + PAGE.replace("\n", "\r\n").encode())
    cr = tmp_path / "oct7-mac.txt"
    cr.write_bytes(PAGE.replace("\n", "\r").encode())
    with Library.open(data_dir) as lib:
        first = lib.import_file(lf)
        assert not first.already_imported and first.new == 2
        for copy in (crlf, cr):
            again = lib.import_file(copy)
            assert again.already_imported, copy.name
        assert len(lib.digests) == 1
    # Before: the hash of the raw bytes, so the CRLF copy was a second digest.
    assert page_hashes(crlf.read_bytes()).content == hashlib.sha256(PAGE.encode()).hexdigest()


def test_a_digest_stored_with_the_old_raw_hash_still_matches_its_file(
    data_dir: Path, tmp_path: Path
) -> None:
    crlf = tmp_path / "oct7-windows.txt"
    crlf.write_bytes(PAGE.replace("\n", "\r\n").encode())
    with Library.open(data_dir) as lib:
        lib.import_file(crlf)
        stored = lib.digests[0].sha256
        lib.store.compact(force=True)  # the digest into library.json, for the edit below
    # What an older paper-tracker stored: the sha256 of the file's bytes.
    raw = hashlib.sha256(crlf.read_bytes()).hexdigest()
    assert stored != raw
    library_json = data_dir / "library.json"
    library_json.write_text(library_json.read_text().replace(stored, raw))
    with Library.open(data_dir) as lib:
        assert lib.digests[0].sha256 == raw
        assert lib.import_file(crlf).already_imported
        assert len(lib.digests) == 1


def test_a_file_without_cr_or_bom_keeps_the_hash_older_versions_stored() -> None:
    data = PAGE.encode()
    hashes = page_hashes(data)
    assert hashes.content == hashes.raw == hashlib.sha256(data).hexdigest()


# -- previews ------------------------------------------------------------------------


def test_preview_tells_what_the_import_will_do_and_stores_nothing(
    data_dir: Path, tmp_path: Path, seeds: list[Path]
) -> None:
    page = tmp_path / "oct7.txt"
    page.write_text(PAGE)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01binary")
    with Library.open(data_dir) as lib:
        lib.import_file(seeds[0])
    before = snapshot(data_dir)
    with Library.open(data_dir, readonly=True) as lib:
        outcomes = lib.preview_files([seeds[0], seeds[1], page, bad, page], date="2024-10-07")
        assert len(lib) == 71 and len(lib.digests) == 1  # nothing in memory either
    assert snapshot(data_dir) == before
    again, second, oct7, error, repeat = outcomes
    assert isinstance(again, ImportReport) and again.already_imported
    assert isinstance(second, ImportReport) and second.preview
    assert (second.papers, second.new, second.known) == (62, 43, 19)
    assert [d.date for d in second.digests] == ["2024-10-07"]
    assert isinstance(oct7, ImportReport)
    assert oct7.titles == ["A Brand New Paper About Kill Safety", "Another Paper On Undo Logs"]
    assert isinstance(error, DigestError)
    # The same page twice in one preview: the second is "already imported", as in an import.
    assert isinstance(repeat, ImportReport) and repeat.already_imported
    # The import does what the preview said.
    with Library.open(data_dir) as lib:
        done = lib.import_files([seeds[1], page], date="2024-10-07")
    assert [(r.papers, r.new, r.known) for r in done if isinstance(r, ImportReport)] == [
        (second.papers, second.new, second.known),
        (oct7.papers, oct7.new, oct7.known),
    ]


def test_preview_sees_papers_of_earlier_files_as_known(data_dir: Path, seeds: list[Path]) -> None:
    with Library.open(data_dir, readonly=True) as lib:
        first, second = lib.preview_files(seeds)
    assert isinstance(first, ImportReport) and isinstance(second, ImportReport)
    assert (first.new, second.new, second.known) == (71, 43, 19)
    assert totals_line([first, second], preview=True) == (
        "2 files: would add 2 digests and 114 new papers; nothing was written (dry run)"
    )


def test_preview_lines_show_dates_titles_and_warnings_with_lines(
    data_dir: Path, tmp_path: Path
) -> None:
    page = tmp_path / "oct7.txt"
    page.write_text(PAGE.replace("Oct 7, 2024", "Oct 7"))
    with Library.open(data_dir, readonly=True) as lib:
        [report] = lib.preview_files([page])
    lines = outcome_lines(report)
    assert lines[0] == "oct7.txt: would add Oct 7 (no date) — 2 papers, 2 new, 0 already known"
    assert "  · A Brand New Paper About Kill Safety" in lines
    assert any(line.startswith("  warning: Oct 7: the digest's year is unknown") for line in lines)


def test_unusual_previews_say_why(data_dir: Path, tmp_path: Path) -> None:
    page = tmp_path / "two.txt"
    page.write_text(
        "Oct 7, 2024\n\nA Paper About Calendars\n\nCalendars matter a lot.\n\n"
        "Oct 8, 2024\n\nA Paper About Clocks\n\nClocks matter a lot.\n"
    )
    with Library.open(data_dir, readonly=True) as lib:
        [report, exact] = lib.preview_files([page, SOURCES / "hf_daily_papers.json"])
    assert isinstance(report, ImportReport) and isinstance(exact, ImportReport)
    assert len(report.digests) == 2
    assert unusual(report) == ["2 digests from one file (a page is usually one day)"]
    # JSON names each paper's listing day: its two days are not a page split by mistake.
    assert len(exact.digests) == 2 and unusual(exact) == []
    report = exact
    report.without_abstract = report.papers
    report.warnings = [f"line {n}: skipped" for n in range(5)]
    assert unusual(report) == [
        "5 warnings",
        f"{report.papers} of {report.papers} papers have no abstract",
    ]
    assert "  unusual: 5 warnings" in outcome_lines(report)


# -- the command line ----------------------------------------------------------------


def test_cli_dry_run_writes_nothing_and_prints_the_preview(
    capsys: pytest.CaptureFixture[str], data_dir: Path, seeds: list[Path]
) -> None:
    assert run(capsys, "import", str(seeds[0]))[0] == 0
    before = snapshot(data_dir)
    code, out, err = run(capsys, "import", "--dry-run", "--date", "2025-03-17", str(seeds[1]))
    assert code == 0 and err == ""
    assert snapshot(data_dir) == before
    assert (
        f"{seeds[1].name}: would add Mar 17 2025 (2025-03-17) — 62 papers, 43 new, "
        "19 already known" in out
    )
    assert out.count("\n  · ") == 6  # five titles, then how many more
    assert "  · … and 57 more" in out
    assert "1 file: would add 1 digest and 43 new papers; nothing was written (dry run)" in out


def test_cli_dry_run_of_a_fresh_directory_creates_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, seeds: list[Path]
) -> None:
    fresh = tmp_path / "never-created"
    code, out, _ = run(capsys, "--data-dir", str(fresh), "import", "-n", *map(str, seeds))
    assert code == 0 and "2 files: would add 2 digests and 114 new papers" in out
    assert not fresh.exists()


def test_cli_dry_run_works_while_another_process_holds_the_library(
    data_dir: Path, seeds: list[Path]
) -> None:
    with Library.open(data_dir) as lib:  # holds the writer lock, as the open app does
        lib.import_file(seeds[0])
        before = snapshot(data_dir)
        env = {**os.environ, "TRACKER_DATA_DIR": str(data_dir)}
        done = subprocess.run(
            [sys.executable, "-m", "tracker", "import", "--dry-run", str(seeds[1])],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        assert "43 new, 19 already known" in done.stdout
        assert snapshot(data_dir) == before


def test_cli_dry_run_reports_a_bad_file_and_fails(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, seeds: list[Path]
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01binary")
    code, out, err = run(capsys, "import", "--dry-run", str(bad), str(seeds[0]))
    assert code == 1
    assert "bad.txt" in err and "binary" in err
    assert "71 papers, 71 new" in out
    assert "1 cannot be imported" in out


def _seen(outcomes: list[ImportReport | DigestError | LibraryError]) -> list[object]:
    """What a preview tells, digest ids and times left out (they are made anew each time)."""
    seen: list[object] = []
    for o in outcomes:
        if not isinstance(o, ImportReport):
            seen.append(str(o))
            continue
        seen.append(
            (
                o.source,
                [(d.label, d.date, d.sha256, d.paper_ids) for d in o.digests],
                (o.papers, o.new, o.known, o.without_abstract, o.already_imported),
                o.warnings,
                o.titles,
                o.format,
                [(p.to_dict(), entry) for p, entry in o.watched],
            )
        )
    return seen


def test_a_preview_of_large_files_tells_what_a_whole_read_tells(
    data_dir: Path, tmp_path: Path, seeds: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large file is previewed as it is imported: its new papers wait in a temporary file.

    Every file is 'large' here: later files must still see the papers of earlier
    ones, a failing file's papers must go, and the watch list must see them.
    """
    from tracker.library import page_pieces
    from tracker.search.watch import parse_entry

    page = tmp_path / "oct7.txt"
    page.write_text(PAGE)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01binary")
    files = [seeds[0], page, bad, seeds[1], SOURCES / "hf_daily_papers.json", page]
    with Library.open(data_dir) as lib:
        lib.import_file(seeds[1])
    before = snapshot(data_dir)
    with Library.open(data_dir, readonly=True) as lib:
        lib.set_watch([parse_entry("sequence"), parse_entry("undo logs")])
        monkeypatch.setattr(page_pieces, "STREAM_MIN_BYTES", 1 << 62)
        whole = lib.preview_files(files, date="2024-10-07")
        monkeypatch.setattr(page_pieces, "STREAM_MIN_BYTES", 0)
        pieces = lib.preview_files(files, date="2024-10-07")
        assert len(lib) == 62
    assert snapshot(data_dir) == before
    assert _seen(pieces) == _seen(whole)
    assert any(isinstance(o, ImportReport) and o.watched for o in whole)
    assert sum(isinstance(o, ImportReport) and o.known > 0 for o in whole) >= 2


def test_a_date_that_is_not_the_pages_day_is_said(
    capsys: pytest.CaptureFixture[str], seeds: list[Path]
) -> None:
    """The trial: --date was taken without a word when the page named another day."""
    code, out, err = run(capsys, "import", "--dry-run", "--date", "2020-01-01", str(seeds[0]))
    assert code == 0 and "(2020-01-01)" in out
    assert "--date 2020-01-01 is not the page's day (Aug 25)" in err
    code, out, err = run(capsys, "import", "--dry-run", "--date", "2020-08-25", str(seeds[0]))
    assert code == 0 and "(2020-08-25)" in out and "not the page's day" not in err


@pytest.mark.parametrize(
    ("label", "month_day"),
    [
        ("Aug 25", (8, 25)),
        ("Sept. 3", (9, 3)),
        ("HF daily, Oct 7", (10, 7)),
        ("Daily Papers", None),
        ("2024-10-07", None),
        (None, None),
        ("Top 10", None),
    ],
)
def test_label_month_day(label: str | None, month_day: tuple[int, int] | None) -> None:
    from tracker.models import label_month_day

    assert label_month_day(label) == month_day
