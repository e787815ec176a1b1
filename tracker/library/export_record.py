"""What exports wrote, so that a later export knows which existing files are its own.

An export may replace a file only if paper-tracker wrote it and nobody
changed it since; anything else at the target is the user's (a notes file
they edit, an earlier export they added to) and is refused unless they say
``--force``. The record that makes this decidable is ``exports.json`` in the
data directory::

    {"kind": "paper-tracker exports", "schema": 1,
     "files": {"/home/ada/notes.md": ["<sha256 of what was written>", ...]},
     "vaults": {"/home/ada/Obsidian/Papers": ["Title (3f2a9c0b1d2e).md", ...]}}

Why here and why this shape:

- The data directory, not beside the export: a single file has no place to
  carry a mark, and an export should put nothing in the user's folders that
  they did not ask for.
- A checksum of the whole file, not a time or a size: a file edited back to
  what we wrote is ours again, and a file changed within the same second is
  not. Paths are recorded with links followed (the file a write replaces).
- A file has a *list* of checksums only while it is being replaced: the new
  one is recorded before the file is written and the old one dropped after,
  so a process killed in between leaves a file (old or new, never half of
  one: the write is atomic) that the next export still knows as its own.
- Vault notes carry the checksum of our part inside themselves (see
  :mod:`tracker.exports.vault`), so they need no entry here; what only this
  record knows is which notes were written into a vault, so that a note the
  user deleted is not written again. It is recorded after the notes are
  written: a kill in between leaves notes the next export recognises by
  their checksums and records then.

It is written like the data files (temporary file, fsync, rename; the
previous version kept as ``exports.json.bak``), under the writer lock, so
two exports at once each add their entry. A record that does not parse is
never written over: the export stops and names it. Entries of files and
folders that no longer exist are dropped on the next write.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tracker.library.core import LibraryError
from tracker.library.keep_aside import remove_stale_temporaries
from tracker.store import StoreError, atomic_write
from tracker.store.lock import WriterLock

RECORD_FILE = "exports.json"
KIND = "paper-tracker exports"
SCHEMA = 1


def real_path(path: Path) -> str:
    """The key of ``path`` in the record: absolute, links followed."""
    return os.path.realpath(path)


def file_checksum(path: Path) -> str | None:
    """SHA-256 of the regular file at ``path`` (links followed), or None if there is none."""
    from tracker.store import open_regular

    digest = hashlib.sha256()
    try:
        with open_regular(path) as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    except FileNotFoundError:
        return None
    except StoreError as err:
        raise LibraryError(f"{err}; nothing was written") from err
    except OSError as err:
        raise LibraryError(
            f"cannot read {path} to check what it holds: {err.strerror or err}; nothing was written"
        ) from err
    return digest.hexdigest()


def checksum(payload: bytes) -> str:
    return hashlib.sha256(payload).hexdigest()


class ExportRecord:
    """``exports.json`` of one data directory."""

    def __init__(self, directory: Path, lock: WriterLock) -> None:
        self.path = directory / RECORD_FILE
        self.directory = directory
        self._lock = lock

    @property
    def writable(self) -> bool:
        """False on a data directory this user cannot write (a library on read-only media).

        Exports still work there, unrecorded: the next export to an existing
        file then needs ``--force`` (the safe side), and a vault note the user
        deleted is written again.
        """
        probe = self.directory if self.directory.exists() else self.directory.parent
        return os.access(probe, os.W_OK)

    def read(self) -> dict[str, Any]:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return {"kind": KIND, "schema": SCHEMA, "files": {}, "vaults": {}}
        except OSError as err:
            raise LibraryError(f"cannot read {self.path}: {err.strerror or err}") from err
        try:
            doc = json.loads(raw)
            ok = (
                isinstance(doc, dict)
                and doc.get("kind") == KIND
                and isinstance(doc.get("files"), dict)
                and isinstance(doc.get("vaults"), dict)
            )
        except (ValueError, UnicodeDecodeError):
            ok = False
        if not ok:
            raise LibraryError(
                f"{self.path}, the record of what exports wrote, does not parse; nothing was "
                "written. Move it away and export again (existing files then need --force)"
            )
        if doc.get("schema", SCHEMA) > SCHEMA:
            raise LibraryError(
                f"{self.path} was written by a newer paper-tracker; nothing was written "
                "(upgrade paper-tracker to export here)"
            )
        return doc  # type: ignore[no-any-return]

    def file_checksums(self, path: Path) -> set[str]:
        """The checksums recorded for the file at ``path`` (empty: not ours)."""
        values = self.read()["files"].get(real_path(path), [])
        return {v for v in values if isinstance(v, str)} if isinstance(values, list) else set()

    def vault_notes(self, folder: Path) -> set[str]:
        """The names of the notes written into the vault ``folder``."""
        values = self.read()["vaults"].get(real_path(folder), [])
        return {v for v in values if isinstance(v, str)} if isinstance(values, list) else set()

    @contextlib.contextmanager
    def changing(self, key: str) -> Iterator[dict[str, Any]]:
        """The record to change in the block (for the entry ``key``), written when it ends.

        Under the writer lock. Entries of other files that are gone are dropped.
        """
        try:
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            with self._lock.hold():
                # A temporary of a writer killed mid-write: only ours are named so.
                remove_stale_temporaries(self.directory, RECORD_FILE)
                doc = self.read()
                yield doc
                _drop_gone(doc, key)
                payload = json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True)
                atomic_write(self.path, payload.encode("utf-8") + b"\n", private=True)
        except StoreError as err:
            raise LibraryError(str(err)) from err
        except OSError as err:
            raise LibraryError(f"cannot write {self.path}: {err.strerror or err}") from err

    def set_file(self, path: Path, checksums: list[str]) -> None:
        if not self.writable:
            return
        key = real_path(path)
        with self.changing(key) as doc:
            doc["files"][key] = checksums

    def add_vault_notes(self, folder: Path, names: set[str]) -> None:
        if not self.writable:
            return
        key = real_path(folder)
        with self.changing(key) as doc:
            known = doc["vaults"].get(key)
            known = set(known) if isinstance(known, list) else set()
            doc["vaults"][key] = sorted(known | names)


def _drop_gone(doc: dict[str, Any], keep: str) -> None:
    for table in ("files", "vaults"):
        for key in [k for k in doc[table] if k != keep and not os.path.lexists(k)]:
            del doc[table][key]
