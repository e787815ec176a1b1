"""A data file's tables: read in whichever layout it has, checked for its kind and schema."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from tracker.store import migrations
from tracker.store.errors import CorruptFileError, StoreError, damaged, restore_hint
from tracker.store.gc_pause import gc_paused
from tracker.store.row_per_line import _parse_file

SCHEMA_VERSIONS = migrations.CURRENT
"""The schema each kind of file is written with; older files are upgraded on open."""
META_TABLE = migrations.META_TABLE

Tables = migrations.Tables


def load_tables(path: Path, kind: str) -> Tables | None:
    """Read and check one data file; ``None`` when it does not exist yet."""
    if not path.exists():
        return None
    try:
        with gc_paused():
            data = _parse_file(path)
    except FileNotFoundError:
        return None
    except OSError as err:
        raise StoreError(f"cannot read {path}: {err.strerror or err}") from err
    except orjson.JSONDecodeError as err:
        raise damaged(path, err) from err
    return check_tables(path, kind, data)


def check_tables(path: Path, kind: str, data: Any) -> Tables:
    """``data`` parsed from ``path`` if it is a ``kind`` file this version reads; else why not."""
    if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
        raise CorruptFileError(f"{path} is not a paper-tracker {kind} file; {restore_hint(path)}")
    meta = data.get(META_TABLE, {}).get("1")
    if not isinstance(meta, dict) or meta.get("kind") != kind:
        raise CorruptFileError(f"{path} is not a paper-tracker {kind} file; {restore_hint(path)}")
    schema = meta.get("schema")
    if not isinstance(schema, int) or schema < 1:
        raise CorruptFileError(
            f"{path} has an invalid schema version {schema!r}; {restore_hint(path)}"
        )
    if schema > SCHEMA_VERSIONS[kind]:
        raise CorruptFileError(
            f"{path} was written by a newer paper-tracker (schema {schema}, this one reads "
            f"{SCHEMA_VERSIONS[kind]}); upgrade paper-tracker to open it"
        )
    return data


@dataclass(frozen=True, slots=True)
class BaseInfo:
    """Which snapshot a base file is: its id, the id of the one it replaced, the last record in it.

    Written in the file's ``_meta`` row (``id``, ``prev``, ``seq``) since the
    journal layout (library schema 2, annotations schema 3); files of older
    versions have none (``id`` None, ``seq`` 0) and no journal.
    """

    id: str | None = None
    prev: str | None = None
    seq: int = 0


def base_info(tables: Tables | None) -> BaseInfo:
    """The snapshot facts of parsed tables (all empty for a missing or older file)."""
    if not tables:
        return BaseInfo()
    meta = tables.get(META_TABLE, {}).get("1") or {}
    ident, prev, seq = meta.get("id"), meta.get("prev"), meta.get("seq")
    return BaseInfo(
        ident if isinstance(ident, str) else None,
        prev if isinstance(prev, str) else None,
        seq if isinstance(seq, int) and seq >= 0 else 0,
    )


def new_base_meta(kind: str, *, prev: str | None, seq: int) -> dict[str, Any]:
    """The ``_meta`` row of a new base: a fresh id, the one it replaces, its last record."""
    return {
        "schema": SCHEMA_VERSIONS[kind],
        "kind": kind,
        "id": os.urandom(8).hex(),  # as secrets.token_hex, without importing it
        "prev": prev,
        "seq": seq,
    }
