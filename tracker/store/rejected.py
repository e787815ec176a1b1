"""Rows set aside: stored rows that do not fit their table's schema, kept in ``*.rejected``.

A data file edited by hand, written by another tool or merged from an odd
backup can hold a row of the wrong shape (a status ``"bogus"``, ``history:
5``, an annotation without ``paper_id``, a paper without ``id``). Such a row
used to crash every command. Now each row is checked as it is read (the
schemas are :func:`tracker.rows.paper_row_problem`,
:func:`~tracker.rows.digest_row_problem` and
:func:`~tracker.rows.annotation_row_problem`); a row that fails is *set
aside*: it is left out of the library in memory, and the rest loads.

Nothing of it is lost. The row stays in its data file (paper-tracker never
writes over it: an annotation set aside is not the one a new change of that
paper replaces, a compaction copies it), and a writable open also copies it,
with where it was and why, to ``<data file>.rejected`` beside the data file
(``library.json.rejected`` for rows of ``library.json`` and its journal,
``annotations.json.rejected`` for the annotations'): one JSON object a line,
``{"file", "place", "table", "why", "row"}``, where ``row`` is the row's JSON
text exactly as it was read (for a base in paper-tracker's row-per-line
layout, its line's bytes). A row already in the file is not added again.
``tracker doctor`` names every row set aside and fails until the data file
holds none and the ``.rejected`` file is gone (look at it, put back by hand
what you want, then delete it).
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from tracker.store.errors import StoreError
from tracker.store.regular_file import open_regular

SUFFIX = ".rejected"
_MAX_READ = 64 * 1024 * 1024  # a .rejected file is small; a huge one is only read this far


@dataclass(frozen=True, slots=True)
class RejectedRow:
    """One row set aside: which data file, where in it, which table, why, and its JSON text."""

    file: Path
    place: str
    table: str
    why: str
    text: str

    def sentence(self) -> str:
        return f"{self.file.name}, {self.place}: {self.why}"

    def record(self) -> bytes:
        doc = {
            "file": self.file.name,
            "place": self.place,
            "table": self.table,
            "why": self.why,
            "row": self.text,
        }
        return orjson.dumps(doc) + b"\n"


def row_text(row: Any) -> str:
    """The JSON text of a parsed row (when its bytes are not at hand)."""
    try:
        return orjson.dumps(row, option=orjson.OPT_NON_STR_KEYS).decode("utf-8")
    except (TypeError, orjson.JSONEncodeError):
        return repr(row)


@dataclass(slots=True)
class RejectedRows:
    """The rows set aside while one library was read, and where they are kept."""

    rows: list[RejectedRow] = field(default_factory=list)
    _keys: set[tuple[str, str, str]] = field(default_factory=set)

    def add(self, file: Path, place: str, table: str, why: str, row: Any) -> None:
        """Set a row aside (``row``: its bytes or text as read, or the parsed row)."""
        if isinstance(row, bytes):
            text = row.decode("utf-8", "replace")
        elif isinstance(row, str):
            text = row
        else:
            text = row_text(row)
        key = (file.name, table, text)
        if key in self._keys:
            return  # the same row read again (a refresh, a second load)
        self._keys.add(key)
        self.rows.append(RejectedRow(file, place, table, why, text))

    def __len__(self) -> int:
        return len(self.rows)

    def save(self) -> None:
        """Copy the rows set aside to their ``.rejected`` files (those not there yet), fsynced.

        Never raises: the rows stay in their data files either way, and the
        next writable open tries again.
        """
        by_target: dict[Path, list[RejectedRow]] = {}
        for row in self.rows:
            by_target.setdefault(rejected_path(row.file), []).append(row)
        for target, rows in by_target.items():
            with contextlib.suppress(OSError, ValueError):
                known = {(r["file"], r.get("table", ""), r["row"]) for r in read_rejected(target)}
                new = [r for r in rows if (r.file.name, r.table, r.text) not in known]
                if new:
                    _append(target, b"".join(r.record() for r in new))


def rejected_path(data_file: Path) -> Path:
    """Where rows of ``data_file`` (a base or its journal) are kept: beside the base."""
    name = data_file.name
    if name.endswith(".journal.jsonl"):
        name = name.removesuffix(".journal.jsonl") + ".json"
    return data_file.with_name(name + SUFFIX)


def read_rejected(path: Path) -> list[dict[str, str]]:
    """The records of a ``.rejected`` file (none when there is none); lines that do not parse are skipped."""
    try:
        with open_regular(path) as fh:
            data = fh.read(_MAX_READ)
    except (OSError, StoreError):  # none, or not a file to read: nothing kept there
        return []
    out = []
    for line in data.splitlines():
        with contextlib.suppress(orjson.JSONDecodeError):
            doc = orjson.loads(line)
            if isinstance(doc, dict) and all(isinstance(doc.get(k), str) for k in ("file", "row")):
                out.append({k: str(v) for k, v in doc.items()})
    return out


def _append(path: Path, payload: bytes) -> None:
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags, 0o600)
    try:
        view = memoryview(payload)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)
