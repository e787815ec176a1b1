"""`tracker backup FILE` follows the export rule: it never destroys a file of the user's.

The released build replaced whatever was at FILE (a typo'd path over a
thesis draft was gone, no copy kept). Now a file is replaced only if
paper-tracker wrote it and nobody changed it since (``exports.json``);
``--force`` replaces anything else and keeps the old file beside it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_run import run
from tracker.library import ExportExistsError, Library
from tracker.library.export_record import RECORD_FILE, real_path
from tracker.library.syncing import machine_file_name
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


def _backup(capsys: pytest.CaptureFixture[str], library: Path, *args: str) -> tuple[int, str, str]:
    return run(capsys, "--data-dir", str(library), "backup", *args)


def _aside(folder: Path, name: str) -> list[Path]:
    return sorted(folder.glob(f"{name}.*.bak"))


def test_a_file_the_user_wrote_is_refused_in_one_sentence(
    capsys: pytest.CaptureFixture[str], library: Path, tmp_path: Path
) -> None:
    target = tmp_path / "thesis.tex"
    target.write_text("precious")
    code, out, err = _backup(capsys, library, str(target))
    assert code == 1 and not out
    assert target.read_text() == "precious"
    assert str(target) in err and "--force" in err and "nothing was written" in err
    assert len(err.strip().splitlines()) == 1
    assert not _aside(tmp_path, "thesis.tex")


def test_a_backup_replaces_its_own_file_nobody_changed(
    capsys: pytest.CaptureFixture[str], library: Path, tmp_path: Path
) -> None:
    target = tmp_path / "backup.json"
    assert _backup(capsys, library, str(target))[0] == 0
    first = json.loads(target.read_text())
    assert len(first["annotations"]) == 3
    record = json.loads((library / RECORD_FILE).read_text())
    assert real_path(target) in record["files"]

    with Library.open(library) as lib:
        lib.set_status([lib.papers[5].id], Status.TO_READ)
    code, out, err = _backup(capsys, library, str(target))
    assert code == 0 and "wrote 4 annotations" in out and not err
    assert len(json.loads(target.read_text())["annotations"]) == 4
    assert not _aside(tmp_path, "backup.json")


def test_a_backup_changed_since_is_refused_then_forced_with_a_copy_kept(
    capsys: pytest.CaptureFixture[str], library: Path, tmp_path: Path
) -> None:
    target = tmp_path / "backup.json"
    assert _backup(capsys, library, str(target))[0] == 0
    edited = target.read_text().replace("a note of mine", "a note I edited in the file")
    target.write_text(edited)

    code, _, err = _backup(capsys, library, str(target))
    assert code == 1 and "--force" in err
    assert target.read_text() == edited

    code, out, err = _backup(capsys, library, str(target), "--force")
    assert code == 0 and "wrote 3 annotations" in out
    [kept] = _aside(tmp_path, "backup.json")
    assert kept.read_text() == edited
    assert f"kept as {kept}" in err
    assert "a note of mine" in target.read_text()
    # Forced once, the new file is ours: the next backup needs no --force.
    assert _backup(capsys, library, str(target))[0] == 0
    assert _aside(tmp_path, "backup.json") == [kept]


def test_the_library_api_refuses_too(library: Path, tmp_path: Path) -> None:
    target = tmp_path / "mine.json"
    target.write_text("{}")
    with Library.open(library, readonly=True) as lib:
        with pytest.raises(ExportExistsError) as caught:
            lib.write_backup(target)
        assert caught.value.path == target
        report = lib.write_backup(target, force=True)
    assert target.read_text() != "{}"
    assert report.kept is not None and report.kept.read_text() == "{}"


def test_sync_still_rewrites_this_machines_file_every_time(
    capsys: pytest.CaptureFixture[str], library: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "Sync"
    folder.mkdir()
    own = folder / machine_file_name("laptop")
    for status in (Status.TO_READ, Status.SKIPPED):
        with Library.open(library) as lib:
            lib.set_status([lib.papers[7].id], status)
        code, _, err = run(
            capsys, "--data-dir", str(library), "sync", str(folder), "--name", "laptop"
        )
        assert code == 0, err
        statuses = {a["status"] for a in json.loads(own.read_text())["annotations"]}
        assert status.value in statuses
    assert not _aside(folder, own.name)
