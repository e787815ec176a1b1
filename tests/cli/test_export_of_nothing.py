"""`tracker export -o` with nothing to export writes nothing and says why, as the app's dialog does."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_run import run

NOT_ANNOTATED = (
    "tracker: nothing was written: by default only the papers you gave a status, a note or "
    "tags are exported, and there are none; --all exports every paper\n"
)


@pytest.mark.usefixtures("seeded")
def test_no_annotated_paper_writes_no_file_and_names_all(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "out.md"
    assert run(capsys, "export", "-o", str(target)) == (1, "", NOT_ANNOTATED)
    assert not target.exists()
    vault = tmp_path / "vault"
    assert run(capsys, "export", "--per-paper", str(vault)) == (1, "", NOT_ANNOTATED)
    assert not vault.exists()


@pytest.mark.usefixtures("seeded")
def test_nothing_to_export_leaves_a_file_there_alone_even_with_force(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # Replacing it with an empty export (and its .bak) would only lose the old one from view.
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "notes.md"
    target.write_text("my own notes\n", encoding="utf-8")
    assert run(capsys, "export", "--force", "-o", str(target)) == (1, "", NOT_ANNOTATED)
    assert target.read_text(encoding="utf-8") == "my own notes\n"
    assert [p.name for p in folder.iterdir()] == ["notes.md"]


@pytest.mark.usefixtures("seeded")
def test_a_query_that_matches_nothing_today_is_written_and_says_so(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A file exported each morning by cron (`--status to-read -o reading.md`) must not
    go on listing papers read since: a query's empty export is written (a review finding)."""
    target = tmp_path / "reading.md"
    pid = run(capsys, "list", "--ids", "-n", "1")[1].strip()
    assert run(capsys, "mark", "to-read", pid)[0] == 0
    assert run(capsys, "export", "--status", "to-read", "-o", str(target))[0] == 0
    assert pid in target.read_text(encoding="utf-8")
    assert run(capsys, "mark", "read", pid)[0] == 0
    code, out, err = run(capsys, "export", "--status", "to-read", "-o", str(target))
    assert (code, out) == (0, "")
    assert err.endswith("tracker: no paper matches --status to-read\n")
    assert pid not in target.read_text(encoding="utf-8")


def test_an_empty_library_says_how_to_fill_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "all.md"
    code, out, err = run(capsys, "export", "--all", "-o", str(target))
    assert (code, out) == (1, "")
    assert err.startswith("tracker: nothing was written: the library is empty: ")
    assert "`tracker import FILE`" in err and err.count("\n") == 1
    assert not target.exists()


@pytest.mark.usefixtures("seeded")
def test_to_stdout_the_output_stays_and_stderr_says_why(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # A script reading the export gets what it always got; a person is told why it is empty.
    code, out, err = run(capsys, "export", "--format", "json")
    assert code == 0 and '"annotations": []' in out
    assert err == NOT_ANNOTATED.replace("nothing was written: ", "")


@pytest.mark.usefixtures("seeded")
def test_an_export_with_papers_is_unchanged(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    first = run(capsys, "list", "--ids")[1].split()[0]
    assert run(capsys, "mark", "read", first)[0] == 0
    _, shown, _ = run(capsys, "export")
    target = tmp_path / "out.md"
    code, out, err = run(capsys, "export", "-o", str(target))
    assert (code, out, err) == (0, "", f"wrote 1 paper to {target}\n")
    assert target.read_text(encoding="utf-8") == shown
    # A file changed since is refused, and --force keeps it beside as .bak.
    target.write_text("changed\n", encoding="utf-8")
    code, _, err = run(capsys, "export", "-o", str(target))
    assert code == 1 and "give --force to replace it" in err
    code, _, err = run(capsys, "export", "--force", "-o", str(target))
    assert code == 0 and "the file that was there is kept as" in err
    [bak] = tmp_path.glob("out.md.*.bak")
    assert bak.read_text(encoding="utf-8") == "changed\n"
    assert target.read_text(encoding="utf-8") == shown
