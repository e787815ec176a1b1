"""An export never destroys a file of the user's (issue 18 point 1), driven as a user would.

The released build replaced any file at ``-o`` (a file holding "precious"
was gone, no copy kept), and the app's default name meant a second export
of the day replaced the first.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tests.cli_run import run
from tracker.library import ExportExistsError, Library, LibraryError
from tracker.library.exporting import default_export_path
from tracker.models import Status


@pytest.fixture
def library(seeds: list[Path], tmp_path: Path) -> Path:
    directory = tmp_path / "lib"
    with Library.open(directory) as lib:
        lib.import_bundled_seeds()
        ids = [p.id for p in lib.papers[:3]]
        lib.set_status(ids, Status.READ)
        lib.set_note(ids[0], "a note of mine")
    return directory


def _export(capsys: pytest.CaptureFixture[str], library: Path, *args: str) -> tuple[int, str]:
    code, _, err = run(capsys, "--data-dir", str(library), "export", *args)
    return code, err


def test_a_file_the_user_wrote_is_refused_in_one_sentence(
    capsys: pytest.CaptureFixture[str], library: Path, tmp_path: Path
) -> None:
    target = tmp_path / "notes.md"
    target.write_text("precious")
    code, err = _export(capsys, library, "-o", str(target))
    assert code == 1
    assert target.read_text() == "precious"
    assert str(target) in err and "--force" in err and "nothing was written" in err
    assert len(err.strip().splitlines()) == 1
    assert [p.name for p in tmp_path.iterdir() if p.name != "lib"] == ["notes.md"]


def test_an_export_replaces_its_own_file_nobody_changed(
    capsys: pytest.CaptureFixture[str], library: Path, tmp_path: Path
) -> None:
    target = tmp_path / "notes.md"
    assert _export(capsys, library, "-o", str(target))[0] == 0
    with Library.open(library) as lib:
        lib.set_note(lib.papers[0].id, "changed in the library")
    assert _export(capsys, library, "-o", str(target))[0] == 0
    assert "changed in the library" in target.read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lib", "notes.md"]  # no backup needed


def test_an_export_the_user_changed_afterwards_is_theirs(
    capsys: pytest.CaptureFixture[str], library: Path, tmp_path: Path
) -> None:
    target = tmp_path / "notes.md"
    assert _export(capsys, library, "-o", str(target))[0] == 0
    with target.open("a") as fh:
        fh.write("\nmy own line\n")
    before = target.read_bytes()
    code, err = _export(capsys, library, "-o", str(target))
    assert code == 1 and "was changed since" in err
    assert target.read_bytes() == before


def test_force_keeps_the_old_file_beside_it_and_says_where(
    capsys: pytest.CaptureFixture[str], library: Path, tmp_path: Path
) -> None:
    target = tmp_path / "notes.md"
    target.write_text("precious")
    code, err = _export(capsys, library, "-o", str(target), "--force")
    assert code == 0
    [backup] = [p for p in tmp_path.iterdir() if p.name.endswith(".bak")]
    assert backup.name.startswith("notes.md.") and backup.read_text() == "precious"
    assert str(backup) in err
    assert "a note of mine" in target.read_text()
    # A second forced export of a file we now own needs no backup; a third of a
    # changed one gets a new backup and never writes over the first.
    target.write_text("precious too")
    assert _export(capsys, library, "-o", str(target), "--force")[0] == 0
    backups = sorted(p.read_text() for p in tmp_path.iterdir() if p.name.endswith(".bak"))
    assert backups == ["precious", "precious too"]


def test_the_same_bytes_are_no_reason_to_refuse(
    capsys: pytest.CaptureFixture[str], library: Path, tmp_path: Path
) -> None:
    # A file copied back from elsewhere, or written before the record existed.
    target = tmp_path / "notes.md"
    assert _export(capsys, library, "-o", str(target))[0] == 0
    (library / "exports.json").unlink()
    assert _export(capsys, library, "-o", str(target))[0] == 0


def test_a_linked_export_is_recognised_through_the_link(
    capsys: pytest.CaptureFixture[str], library: Path, tmp_path: Path
) -> None:
    real = tmp_path / "synced" / "notes.md"
    real.parent.mkdir()
    link = tmp_path / "notes.md"
    link.symlink_to(real)
    assert _export(capsys, library, "-o", str(link))[0] == 0
    with Library.open(library) as lib:
        lib.set_note(lib.papers[0].id, "second version")
    assert _export(capsys, library, "-o", str(real))[0] == 0  # the same file by its real name
    assert link.is_symlink() and "second version" in real.read_text()


def test_a_damaged_record_stops_the_export_and_is_kept(
    capsys: pytest.CaptureFixture[str], library: Path, tmp_path: Path
) -> None:
    record = library / "exports.json"
    record.write_text("{not json")
    code, err = _export(capsys, library, "-o", str(tmp_path / "notes.md"))
    assert code == 1 and str(record) in err
    assert record.read_text() == "{not json"
    assert not (tmp_path / "notes.md").exists()


def test_the_record_lists_what_was_written(library: Path, tmp_path: Path) -> None:
    target = tmp_path / "refs.bib"
    with Library.open(library) as lib:
        items = lib.export_items([p.id for p in lib.papers[:2]])
        lib.write_export(items, target, fmt="bibtex")
        with pytest.raises(ExportExistsError):
            lib.write_export(items, tmp_path / "lib" / "library.json", fmt="json")
    doc = json.loads((library / "exports.json").read_text())
    assert list(doc["files"]) == [str(target.resolve())]
    # The library's own data files are never an export's target.
    assert (library / "library.json").read_bytes().startswith(b"{")


def test_a_folder_in_the_way_is_still_refused(library: Path, tmp_path: Path) -> None:
    with Library.open(library) as lib, pytest.raises(LibraryError, match="is a folder"):
        lib.write_export(lib.export_items([lib.papers[0].id]), tmp_path)


def test_the_default_name_never_meets_an_earlier_export_of_the_day(tmp_path: Path) -> None:
    day = dt.date(2026, 12, 3)
    first = default_export_path(tmp_path, "md", day)
    assert first.name == "paper-notes-2026-12-03.md"
    first.write_text("the morning's export")
    second = default_export_path(tmp_path, "md", day)
    assert second.name == "paper-notes-2026-12-03-2.md"
    second.write_text("x")
    assert default_export_path(tmp_path, "md", day).name == "paper-notes-2026-12-03-3.md"
    assert default_export_path(tmp_path, "csv", day).name == "paper-notes-2026-12-03.csv"
    (tmp_path / "paper-notes-2026-12-03").mkdir()
    assert default_export_path(tmp_path, "vault", day).name == "paper-notes-2026-12-03-2"


def test_a_data_directory_that_cannot_be_written_still_exports(
    capsys: pytest.CaptureFixture[str],
    library: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A library on read-only media (as root, no folder is read-only: say so through access()).
    monkeypatch.setattr(
        "tracker.library.export_record.os.access", lambda path, mode: Path(path) != library
    )
    target = tmp_path / "notes.md"
    assert _export(capsys, library, "-o", str(target))[0] == 0
    assert "a note of mine" in target.read_text()
    assert not (library / "exports.json").exists()
    with Library.open(library) as lib:
        lib.set_note(lib.papers[0].id, "changed")
    # Unrecorded, so the next export to it is refused: the safe side.
    assert _export(capsys, library, "-o", str(target))[0] == 1
