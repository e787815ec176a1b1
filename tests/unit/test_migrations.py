"""Schema migration: files written by the previous release open, upgraded, with a backup.

The fixture ``tests/fixtures/schema1/annotations.json`` is an annotations
file as paper-tracker 0.1 (schema 1) wrote it: statuses, notes, tags and an
undo log, made through the Library API of that release against the bundled
digests (timestamps spread over two weeks by hand).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from tracker import store
from tracker.cli import main
from tracker.library import Library
from tracker.models import Status, StatusChange
from tracker.store import (
    ANNOTATIONS_FILE,
    SCHEMA_VERSIONS,
    CorruptFileError,
    Store,
    StoreError,
    migrations,
)

FIXTURE = Path(__file__).parent.parent / "fixtures" / "schema1" / "annotations.json"
BACKUP = ANNOTATIONS_FILE + ".v1.bak"


@pytest.fixture
def v1_library(data_dir: Path) -> Path:
    """The bundled digests plus the schema-1 annotations file of the fixture."""
    with Library.open(data_dir) as lib:
        lib.import_bundled_seeds()
    shutil.copyfile(FIXTURE, data_dir / ANNOTATIONS_FILE)
    return data_dir


def _v1_docs() -> dict[str, dict[str, object]]:
    raw = json.loads(FIXTURE.read_text())
    assert raw["_meta"]["1"] == {"schema": 1, "kind": "annotations"}
    return {doc["paper_id"]: doc for doc in raw["annotations"].values()}


def test_schema1_file_is_upgraded_with_a_backup_and_nothing_lost(v1_library: Path) -> None:
    before = _v1_docs()
    with Library.open(v1_library) as lib:
        for pid, doc in before.items():
            ann = lib.annotation(pid)
            assert ann.to_dict() | {"history": None} == doc | {"history": None}
            if doc["status"] != "new":
                # One synthesized entry: the current status at the last change time.
                assert ann.history == [StatusChange(str(doc["updated_at"]), Status(doc["status"]))]
            else:
                assert ann.history == []
    assert (v1_library / BACKUP).read_bytes() == FIXTURE.read_bytes()
    raw = json.loads((v1_library / ANNOTATIONS_FILE).read_text())
    meta = raw["_meta"]["1"]
    assert (meta["schema"], meta["kind"]) == (SCHEMA_VERSIONS["annotations"], "annotations")
    on_disk = {doc["paper_id"]: doc for doc in raw["annotations"].values()}
    assert {pid: {k: v for k, v in d.items() if k != "history"} for pid, d in on_disk.items()} == (
        before
    )
    assert all("history" in d for d in on_disk.values())
    # The undo log was carried over too, with histories in the saved copies.
    assert len(raw["undo"]) == len(json.loads(FIXTURE.read_text())["undo"])
    assert all("history" in doc for e in raw["undo"].values() for doc in e["before"])


def test_upgrade_happens_once_and_the_first_backup_is_never_overwritten(v1_library: Path) -> None:
    with Library.open(v1_library) as lib:
        lib.set_status([lib.papers[50].id], Status.READ)
    backup = (v1_library / BACKUP).read_bytes()
    with Library.open(v1_library) as lib:
        assert lib.status(lib.papers[50].id) is Status.READ
    # Put a v1 file back on its own: its journal follows the upgraded file,
    # not this one, so the library is refused rather than mixed up.
    (v1_library / BACKUP).write_bytes(backup + b"\n")
    shutil.copyfile(FIXTURE, v1_library / ANNOTATIONS_FILE)
    with pytest.raises(CorruptFileError, match="does not belong"):
        Library.open(v1_library)
    # The whole v1 state back (the journal too, as restoring a backup of the
    # data directory would): upgraded again, but the backup already there
    # stays the original one.
    (v1_library / "annotations.journal.jsonl").unlink()
    with Library.open(v1_library):
        pass
    assert (v1_library / BACKUP).read_bytes() == backup + b"\n"


def test_read_only_open_upgrades_in_memory_only(v1_library: Path) -> None:
    with Library.open(v1_library, readonly=True) as lib:
        pid = next(p for p, d in _v1_docs().items() if d["status"] == "read")
        assert lib.annotation(pid).history[0].status is Status.READ
    assert (v1_library / ANNOTATIONS_FILE).read_bytes() == FIXTURE.read_bytes()
    assert not (v1_library / BACKUP).exists()


@pytest.mark.parametrize("fault", ["replace", "write"])
def test_a_crash_during_the_upgrade_leaves_the_v1_file_intact(
    v1_library: Path, monkeypatch: pytest.MonkeyPatch, fault: str
) -> None:
    target = v1_library / ANNOTATIONS_FILE
    real_replace, real_write = os.replace, os.write

    def failing_replace(src: object, dst: object) -> None:
        if Path(str(dst)) == target:
            raise OSError(28, "No space left on device")
        real_replace(src, dst)  # type: ignore[arg-type]

    def failing_write(fd: int, data: object) -> int:
        # The backup is written first and succeeds; the upgraded file fails.
        name = os.path.basename(os.readlink(f"/proc/self/fd/{fd}"))
        if re.fullmatch(rf"\.{re.escape(ANNOTATIONS_FILE)}\.[0-9]+-[0-9a-f]+\.tmp", name):
            raise RuntimeError("killed mid-write")
        return real_write(fd, data)  # type: ignore[arg-type]

    if fault == "replace":
        monkeypatch.setattr(os, "replace", failing_replace)
        with pytest.raises(
            StoreError, match=r"could not upgrade .*annotations\.json.*left as it is"
        ):
            Library.open(v1_library)
    else:
        monkeypatch.setattr(os, "write", failing_write)
        with pytest.raises(RuntimeError):
            Library.open(v1_library)
    monkeypatch.undo()
    assert target.read_bytes() == FIXTURE.read_bytes()
    # The lock was released and the next open upgrades it for real.
    with Library.open(v1_library) as lib:
        assert len(lib.annotations) == len(_v1_docs())
    current = SCHEMA_VERSIONS["annotations"]
    assert json.loads(target.read_text())["_meta"]["1"]["schema"] == current
    assert not [p for p in v1_library.iterdir() if p.name.endswith(".tmp")]


def test_future_annotations_schema_is_still_refused(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    future = SCHEMA_VERSIONS["annotations"] + 1
    content = json.dumps({"_meta": {"1": {"schema": future, "kind": "annotations"}}})
    (data_dir / ANNOTATIONS_FILE).write_text(content)
    with pytest.raises(CorruptFileError, match="newer paper-tracker"):
        Store.open(data_dir)
    assert (data_dir / ANNOTATIONS_FILE).read_text() == content


def test_doctor_reports_the_schema_and_a_pending_upgrade(
    v1_library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["doctor"]) == 0
    out = capsys.readouterr().out
    current = SCHEMA_VERSIONS["annotations"]
    assert f"annotations.json: schema 1 (upgraded to {current} on the next writable open)" in out
    assert f"library.json: schema {SCHEMA_VERSIONS['library']}," in out
    with Library.open(v1_library):
        pass
    assert main(["doctor"]) == 0
    assert f"annotations.json: schema {current}," in capsys.readouterr().out


def test_synthesized_history_rules() -> None:
    assert migrations.synthesized_history({"status": "to-read", "updated_at": "T"}) == [
        ["T", "to-read"]
    ]
    assert migrations.synthesized_history({"status": "new", "updated_at": "T"}) == []
    assert migrations.synthesized_history({"status": "read", "updated_at": ""}) == []


def test_upgrade_of_current_tables_does_nothing() -> None:
    current = SCHEMA_VERSIONS["annotations"]
    tables = {
        store.META_TABLE: {"1": {"schema": current, "kind": "annotations"}},
        "annotations": {},
    }
    assert migrations.upgrade("annotations", tables) is None
    library = {"_meta": {"1": {"schema": SCHEMA_VERSIONS["library"], "kind": "library"}}}
    assert migrations.upgrade("library", library) is None
