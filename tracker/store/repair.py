"""Checking and repairing the data files (``tracker doctor``)."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from tracker.store import migrations
from tracker.store.atomic import atomic_write, real_target
from tracker.store.errors import StoreError
from tracker.store.regular_file import read_regular
from tracker.store.store import ANNOTATIONS_FILE, LIBRARY_FILE
from tracker.store.tables import META_TABLE, SCHEMA_VERSIONS, load_tables

DATA_FILES = ((LIBRARY_FILE, "library"), (ANNOTATIONS_FILE, "annotations"))


@dataclass(frozen=True, slots=True)
class FileCheck:
    """What ``tracker doctor`` found for one data file."""

    path: Path
    state: str  # "ok", "missing" or "damaged"
    detail: str
    backup_ok: bool

    @property
    def restorable(self) -> bool:
        return self.state != "ok" and self.backup_ok


def _describe(path: Path, kind: str) -> tuple[str, str]:
    try:
        tables = load_tables(path, kind)
    except StoreError as err:
        return "damaged", str(err)
    if tables is None:
        return "missing", f"{path} does not exist"
    counts = ", ".join(f"{len(rows)} {name}" for name, rows in tables.items() if name != META_TABLE)
    schema = migrations.schema_of(tables)
    current = SCHEMA_VERSIONS[kind]
    upgrade = f" (upgraded to {current} on the next writable open)" if schema < current else ""
    return "ok", f"{path}: schema {schema}{upgrade}, {counts or 'empty'}"


def check_files(directory: Path) -> list[FileCheck]:
    """Check both data files and their backups; changes nothing."""
    checks = []
    for name, kind in DATA_FILES:
        path = directory / name
        state, detail = _describe(path, kind)
        backup_state, _ = _describe(path.with_name(name + ".bak"), kind)
        checks.append(FileCheck(path, state, detail, backup_state == "ok"))
    return checks


def restore_from_backup(check: FileCheck) -> Path | None:
    """Put the backup in place of a missing or damaged file.

    The damaged file is kept beside it as ``*.damaged-<time>``, never
    deleted. Returns that path (None when the file was missing). Call only
    while holding the library lock.
    """
    path = check.path
    bak = path.with_name(path.name + ".bak")
    target = real_target(path)  # a linked data file: the file it points to (the link stays)
    kept: Path | None = None
    if os.path.lexists(target):
        kept = target.with_name(f"{target.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
        os.replace(target, kept)
    # A copy, not a rename: the backup stays a backup.
    atomic_write(path, read_regular(bak), private=True)
    return kept
