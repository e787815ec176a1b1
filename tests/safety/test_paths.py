"""Paths and files: links, planted temporaries, modes, traversal through ids, FIFOs and devices.

Each test repeats an attack on the released build:
- a symlinked annotations.json was replaced by a regular file (its target
  silently stopped being updated);
- a symlink planted at an export's temporary name (``.NAME.<pid>.tmp``) made
  ``tracker export -o shared/notes.md`` overwrite another file, and
  ``tracker.lock.owner`` was written through a link;
- notes, backups and exports were 0644 and the data folder 0755 under umask
  022, and a ``chmod 600`` on annotations.json was undone by the next write;
- a merged backup's id ``x/../../../../tmp/…/TRAVERSED`` wrote outside the vault;
- importing a FIFO hung, a FIFO data file hung ``list``/``mark``/``doctor``,
  library.json linked to /dev/zero ran out of memory.
"""

from __future__ import annotations

import json
import os
import secrets
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tracker import store as store_module
from tracker.exports import ExportItem
from tracker.library import Library, LibraryError
from tracker.models import Annotation, Paper, Status
from tracker.store import StoreError, atomic, atomic_write

SEEDS = sorted((Path(__file__).parent.parent.parent / "seeds").glob("*.txt"))


@pytest.fixture
def seeded(data_dir: Path) -> Path:
    with Library.open(data_dir) as lib:
        lib.import_bundled_seeds()
    return data_dir


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _tracker(*args: str, data_dir: Path, timeout: float = 20) -> subprocess.CompletedProcess[str]:
    """The CLI in a child process (a hang is a failure after ``timeout``, not a stuck suite)."""
    return subprocess.run(
        [sys.executable, "-c", "import sys; from tracker.cli import main; sys.exit(main())", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "TRACKER_DATA_DIR": str(data_dir)},
        stdin=subprocess.DEVNULL,
    )


# -- 2: a symlinked data file ---------------------------------------------------


def test_a_symlinked_data_file_is_written_through_and_stays_a_link(
    seeded: Path, tmp_path: Path
) -> None:
    synced = tmp_path / "Sync"
    synced.mkdir()
    real = synced / "annotations.json"
    link = seeded / "annotations.json"
    with Library.open(seeded) as lib:
        pid = lib.papers[0].id
        lib.set_note(pid, "first")
        lib.store.compact(force=True)  # "first" in annotations.json itself
    os.replace(link, real)
    link.symlink_to(real)
    with Library.open(seeded) as lib:
        assert lib.annotation(pid).note == "first"
        lib.set_note(pid, "second")  # appended to the journal
        lib.store.compact(force=True)  # annotations.json written anew, through the link
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert "second" in real.read_text(encoding="utf-8")
    # The backup is where `tracker doctor` looks for it: beside the link.
    assert "first" in (seeded / "annotations.json.bak").read_text(encoding="utf-8")
    assert not [p for p in (*synced.iterdir(), *seeded.iterdir()) if p.name.endswith(".tmp")]
    with Library.open(seeded, readonly=True) as lib:
        assert lib.annotation(pid).note == "second"


def test_a_symlinked_library_file_survives_an_import_and_a_restore(
    seeded: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    real = elsewhere / "library.json"
    link = seeded / "library.json"
    os.replace(link, real)
    link.symlink_to(real)
    digest = tmp_path / "d.txt"
    abstract = "An abstract long enough to be taken for prose by the text parser. " * 3
    digest.write_text(f"Daily Papers\n\nOct 7, 2024\n\nA brand new paper\n\n{abstract}\n")
    with Library.open(seeded) as lib:
        lib.import_file(digest)
        count = len(lib)
        lib.store.compact(force=True)  # the import folded into library.json, through the link
    assert link.is_symlink() and "A brand new paper" in real.read_text(encoding="utf-8")
    real.write_text("{damaged")  # doctor --restore puts the backup back through the link
    assert _tracker("doctor", "--restore", data_dir=seeded).returncode == 0
    assert link.is_symlink()
    assert any(p.name.startswith("library.json.damaged-") for p in elsewhere.iterdir())
    with Library.open(seeded, readonly=True) as lib:
        # The backup and the journal that followed it: nothing of the import is lost.
        assert len(lib) == count


# -- 8: temporaries and the lock owner never followed ----------------------------


def test_a_link_planted_at_the_temporary_name_is_never_written_through(
    seeded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    # The old, guessable name, and the exact name the next write will pick.
    (shared / f".notes.md.{os.getpid()}.tmp").symlink_to(victim)
    (shared / f".notes.md.{os.getpid()}-aaaaaaaaaaaa.tmp").symlink_to(victim)
    with Library.open(seeded) as lib:
        lib.set_note(lib.papers[0].id, "exported")
        names = iter(["aaaaaaaaaaaa", "bbbbbbbbbbbb"])
        token_hex = secrets.token_hex
        # The export's own temporaries get the planted names; the record of
        # exports (exports.json) is written with temporaries of its own.
        writing = [False]
        temporary_name = atomic.temporary_name

        def name_of(name: str) -> str:
            writing[0] = name == "notes.md"
            try:
                return temporary_name(name)
            finally:
                writing[0] = False

        monkeypatch.setattr(
            secrets, "token_hex", lambda n: next(names) if writing[0] else token_hex(n)
        )

        monkeypatch.setattr(atomic, "temporary_name", name_of)
        lib.write_export(lib.export_items([lib.papers[0].id]), shared / "notes.md")
        monkeypatch.undo()
    assert victim.read_text() == "precious"
    assert "exported" in (shared / "notes.md").read_text(encoding="utf-8")
    assert (shared / f".notes.md.{os.getpid()}-aaaaaaaaaaaa.tmp").is_symlink()  # not ours


def test_the_lock_owner_file_is_not_written_through_a_link(seeded: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (seeded / "tracker.lock.owner").unlink(missing_ok=True)  # left by the seeding writes
    (seeded / "tracker.lock.owner").symlink_to(victim)
    with Library.open(seeded) as lib:
        lib.set_note(lib.papers[0].id, "a write takes the lock")
        owner = seeded / "tracker.lock.owner"
        assert not owner.is_symlink() and f"pid {os.getpid()}" in owner.read_text()
        # A long write of this process makes another writer give up, naming it.
        with lib.store.lock.hold(), Library.open(seeded) as other:
            other.store.lock.wait = 0.2
            with pytest.raises(store_module.LockedError, match=f"pid {os.getpid()}"):
                other.set_note(other.papers[0].id, "waits")
    assert victim.read_text() == "precious"


def test_a_lock_file_that_is_a_link_is_refused(seeded: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (seeded / "tracker.lock").unlink(missing_ok=True)
    (seeded / "tracker.lock").symlink_to(victim)
    # Opening only reads (no lock taken); the first write refuses.
    with (
        Library.open(seeded) as lib,
        pytest.raises(StoreError, match=r"tracker\.lock is a symbolic link"),
    ):
        lib.set_note(lib.papers[0].id, "a write")
    assert victim.read_text() == "precious"  # the lock opens with O_TRUNC: never through a link


# -- 9: privacy ---------------------------------------------------------------


def test_new_data_and_config_folders_are_private_and_data_files_too(
    tmp_path: Path, umask_022: None
) -> None:
    data = tmp_path / "new" / "data"
    with Library.open(data) as lib:
        lib.import_bundled_seeds()
        lib.set_note(lib.papers[0].id, "private")
    assert _mode(data) == 0o700
    assert _mode(data / "annotations.json") == 0o600
    assert _mode(data / "library.json") == 0o600
    from tracker.config import ConfigFile

    config = tmp_path / "new" / "config"
    ConfigFile(config).set_theme("nord")
    assert _mode(config) == 0o700


def test_a_replaced_file_keeps_its_mode(seeded: Path, tmp_path: Path, umask_022: None) -> None:
    with Library.open(seeded) as lib:
        pid = lib.papers[0].id
        lib.set_status([pid], Status.READ)
        os.chmod(seeded / "annotations.json", 0o640)
        lib.set_status([pid], Status.SKIPPED)
        assert _mode(seeded / "annotations.json") == 0o640
        out = tmp_path / "notes.md"
        lib.write_export(lib.export_items([pid]), out)
        assert _mode(out) == 0o644  # a new export: 0o666 less the umask
        os.chmod(out, 0o600)
        lib.write_export(lib.export_items([pid]), out)
        assert _mode(out) == 0o600
        backup = tmp_path / "backup.json"
        os.umask(0o077)
        lib.write_backup(backup)
        assert _mode(backup) == 0o600  # follows the umask too


# -- 7: ids of the wrong shape, file names outside the vault --------------------


def test_an_id_of_the_wrong_shape_in_a_data_file_is_set_aside(seeded: Path, tmp_path: Path) -> None:
    # The row is left out of the library (issue 17 point 11: the rest loads)
    # and kept in *.rejected: the id never reaches a vault file name.
    evil = "x/../../../../tmp/TRAVERSED"
    path = seeded / "annotations.json"
    with Library.open(seeded) as lib:
        lib.set_note(lib.papers[0].id, "n")
        lib.store.compact(force=True)  # both journals folded into the files edited below
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["annotations"]["99"] = {"paper_id": evil, "note": "planted"}
    path.write_text(json.dumps(doc), encoding="utf-8")
    lib_path = seeded / "library.json"
    lines = lib_path.read_text(encoding="utf-8").splitlines()
    good = lines[2].split('"id":"')[1].split('"')[0]
    lines[2] = lines[2].replace(good, evil, 1)
    lib_path.write_text("\n".join(lines), encoding="utf-8")
    (seeded / "library.catalog").unlink(missing_ok=True)
    with Library.open(seeded) as lib:
        assert evil not in lib.annotations and not lib.has_paper(good)
        assert all(p.id != evil for p in lib.papers)
        lib.write_export(lib.export_items([p.id for p in lib.papers]), tmp_path / "v", fmt="vault")
    assert [p for p in tmp_path.rglob("*") if "TRAVERSED" in p.name] == []
    for name in ("annotations.json.rejected", "library.json.rejected"):
        kept = (seeded / name).read_text(encoding="utf-8")
        assert "12 hex digits" in kept and "TRAVERSED" in kept, name


def test_a_vault_export_never_writes_outside_its_folder(seeded: Path, tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    outside = tmp_path / "TRAVERSED (x).md"
    # An id that slipped past every check (made here directly, not read from a file).
    paper = Paper("x/../../TRAVERSED", "A title", "An abstract", [])
    with Library.open(seeded) as lib:
        good = lib.export_items([lib.papers[0].id])
        with pytest.raises(LibraryError, match="would not stay inside"):
            lib.write_export([*good, ExportItem(paper, Annotation(paper.id))], vault, fmt="vault")
    assert not outside.exists() and not list(tmp_path.rglob("*TRAVERSED*"))
    assert not vault.exists() or not list(vault.iterdir())  # nothing written at all


# -- 10: FIFOs and devices ------------------------------------------------------


def test_importing_a_fifo_is_refused_at_once(seeded: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "digest.txt"
    os.mkfifo(fifo)
    started = time.monotonic()
    result = _tracker("import", str(fifo), data_dir=seeded)
    assert time.monotonic() - started < 15
    assert result.returncode != 0
    assert f"{fifo} is a named pipe (FIFO), not a regular file" in result.stdout + result.stderr
    with Library.open(seeded) as lib:
        assert isinstance(lib.import_files([fifo])[0], LibraryError)
        with pytest.raises(LibraryError, match="not a regular file"):
            lib.merge_backup(fifo)


@pytest.mark.parametrize("command", [["list"], ["mark", "read", "c47bf430fe36"], ["doctor"]])
def test_a_fifo_data_file_is_refused_in_one_sentence(seeded: Path, command: list[str]) -> None:
    annotations = seeded / "annotations.json"
    annotations.unlink(missing_ok=True)
    os.mkfifo(annotations)
    result = _tracker(*command, data_dir=seeded)
    assert result.returncode != 0
    out = result.stdout + result.stderr
    assert f"{annotations} is a named pipe (FIFO), not a regular file" in out
    assert "Traceback" not in out
    assert stat.S_ISFIFO(os.lstat(annotations).st_mode)  # left as it is


def test_a_data_file_linked_to_a_device_is_refused(seeded: Path) -> None:
    library = seeded / "library.json"
    library.unlink()
    library.symlink_to("/dev/zero")
    result = _tracker("list", data_dir=seeded)
    assert result.returncode != 0
    assert f"{library} is a device, not a regular file" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_fifo_in_place_of_the_search_index_is_rebuilt_around(seeded: Path) -> None:
    index = seeded / "search-index.cache"
    index.unlink(missing_ok=True)
    os.mkfifo(index)
    result = _tracker("list", "pointer", "-n", "1", data_dir=seeded)
    assert result.returncode == 0 and "Pointer Networks" in result.stdout


def test_nothing_replaces_a_fifo_or_a_folder_in_the_way_of_a_write(tmp_path: Path) -> None:
    fifo = tmp_path / "out.md"
    os.mkfifo(fifo)
    with pytest.raises(StoreError, match="named pipe"):
        atomic_write(fifo, b"x", keep_backup=False)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_settings_files_that_are_fifos_are_reported_not_waited_on(tmp_path: Path) -> None:
    from tracker.app.keymap import load_keymap
    from tracker.config import ConfigFile

    config = tmp_path / "config"
    config.mkdir()
    os.mkfifo(config / "config.toml")
    os.mkfifo(config / "keymap.toml")
    _, problems = ConfigFile(config).load()
    assert any("named pipe" in p for p in problems)
    keymap, problem = load_keymap(config)
    assert keymap == {} and problem is not None and "named pipe" in problem
