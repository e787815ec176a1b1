"""Upgrading data files written by older versions of paper-tracker.

Every data file carries ``_meta: {"1": {"schema": N, "kind": ...}}``. When a
file's schema is older than :data:`CURRENT` for its kind, :func:`upgrade`
runs the registered steps one version at a time (1 → 2 → 3 …) on the parsed
tables. This module only transforms dicts; the store decides when the result
is written (after keeping the original as ``<file>.v<N>.bak``, under the
writer lock) and a read-only open uses the upgraded tables in memory only.

Adding a migration: bump the kind's version in :data:`CURRENT`, write a
function that changes the tables from version N to N+1 in place, register it
in :data:`_STEPS` under ``(kind, N)``, and add a fixture file written by the
previous release to ``tests/fixtures/``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

META_TABLE = "_meta"

CURRENT: dict[str, int] = {"library": 2, "annotations": 3}
"""The schema version this release writes, per kind of file."""

Tables = dict[str, dict[str, Any]]


def schema_of(tables: Tables) -> int:
    """The schema version recorded in a parsed file (checked by the store first)."""
    version: int = tables[META_TABLE]["1"]["schema"]
    return version


def upgrade(kind: str, tables: Tables) -> int | None:
    """Bring ``tables`` up to the current schema, in place.

    Returns the version the file had when it was older (so the caller knows
    to save it and what to call the backup), or None when it was current.
    """
    start = schema_of(tables)
    target = CURRENT[kind]
    if start >= target:
        return None
    for version in range(start, target):
        _STEPS[(kind, version)](tables)
        tables[META_TABLE]["1"] = {"schema": version + 1, "kind": kind}
    return start


# -- annotations 1 → 2: the status history -------------------------------------
def synthesized_history(doc: dict[str, Any]) -> list[list[str]]:
    """The history a schema-1 annotation gets: one entry, or none.

    Schema 1 kept only the current status and the time of the last change.
    A paper that is no longer ``new`` gets one entry ``[updated_at, status]``:
    the status is right, the time is when the annotation last changed (the
    status change itself, or a later note or tag edit). ``new`` papers and
    annotations without a time get no entry, since nothing is known.
    """
    status = str(doc.get("status") or "new")
    updated_at = str(doc.get("updated_at") or "")
    if status == "new" or not updated_at:
        return []
    return [[updated_at, status]]


def _annotations_1_to_2(tables: Tables) -> None:
    for doc in tables.get("annotations", {}).values():
        doc.setdefault("history", synthesized_history(doc))
    # Undo restores the saved "before" copies whole, so they get the same
    # history; otherwise undoing an old change would drop the entry.
    for entry in tables.get("undo", {}).values():
        for doc in entry.get("before") or []:
            if isinstance(doc, dict):
                doc.setdefault("history", synthesized_history(doc))


# -- library 1 → 2, annotations 2 → 3: a base and its journal ------------------
def _journal_layout(tables: Tables) -> None:
    """Nothing in the tables changes: the file becomes the base of a journal.

    Files of these schemas are the base snapshot of a journal of later
    changes (``*.journal.jsonl``, see tracker/store/journal.py) and carry the
    snapshot's id and last record in their ``_meta`` row. Raising the
    version makes an older paper-tracker refuse the file instead of reading
    the snapshot without the changes made since.
    """


_STEPS: dict[tuple[str, int], Callable[[Tables], None]] = {
    ("annotations", 1): _annotations_1_to_2,
    ("annotations", 2): _journal_layout,
    ("library", 1): _journal_layout,
}
