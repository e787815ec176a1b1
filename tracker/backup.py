"""One library on several machines: backup documents and merging them.

A backup is a JSON document holding every annotation (status, note, tags and
the merge bookkeeping below), each with the paper's title and arXiv id so a
person can read it, and optionally the papers and digests themselves so an
empty library on a new machine can be filled from it::

    {"format": "paper-tracker-backup", "version": 1, "created_at": "…",
     "annotations": [{"paper_id": "…", "title": "…", "arxiv_id": "…",
                      "status": "read", "note": "…", "tags": […], …}],
     "papers": […], "digests": […]}          # only with --with-library

Merging another machine's copy of an annotation into ours
(:func:`merge_annotation`), per paper:

- **status** — the one changed more recently wins (``status_at``, else the
  status history; ties: the larger value, so both machines pick the same);
  the status histories are joined;
- **tags** — the set changed more recently wins, as a whole (``tags_at``).
  Not a union: a union would bring back every tag removed on one machine
  from the other's copy, so removing a tag could never stick;
- **note** — never lost. Each annotation remembers fingerprints of the note
  versions it replaced (``note_seen``; a fingerprint is a hash of the text
  and the time it was written, so a note edited back to an earlier text is
  still a new version). If one side's note is among the versions the other
  replaced, it is older and the other note wins. Otherwise both sides
  changed the note since they last met, and the merged note keeps both,
  newer first, with a marked separator line between them (see
  :data:`MERGE_MARK`); the two versions become "seen" so the next merge
  does not repeat it. Edit the note to keep what you want.

The merge is commutative (``merge(a, b) == merge(b, a)``) and idempotent
(merging the same backup again changes nothing); tests/unit/test_backup.py
checks both with hypothesis. It is not associative when three copies all
changed the same note: ``(a+b)+c`` and ``a+(b+c)`` keep the same three
texts but may nest them in a different order. With two machines (the case
this is made for) that never arises.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import orjson

from tracker.models import HISTORY_LIMIT, Annotation, Digest, Paper, checked_paper_id

BACKUP_FORMAT = "paper-tracker-backup"
BACKUP_VERSION = 1

MERGE_MARK = "**paper-tracker merge:** both machines changed this note; the other version (written {at}) follows."
"""The separator between two versions of a note kept by a merge.

Plain Markdown rather than an HTML comment, so that it shows in rendered
views too (Obsidian's reading view hides comments)."""
_MARK_LINE = re.compile(
    r"^\*\*paper-tracker merge:\*\* both machines changed this note; "
    r"the other version \(written [^)\n]*\) follows\.$",
    re.MULTILINE,
)


class BackupError(ValueError):
    """A backup file that cannot be merged, explained in one sentence."""


@dataclass(slots=True)
class Backup:
    """A parsed backup document."""

    created_at: str
    annotations: list[Annotation]
    papers: list[Paper] | None = None
    digests: list[Digest] | None = None


# -- bookkeeping on every local change ----------------------------------------
def fingerprint(text: str, at: str) -> str:
    """16 hex digits identifying one version of a note (its text and when it was written)."""
    return hashlib.sha256(f"{at}\0{text}".encode()).hexdigest()[:16]


def record_edit(before: Annotation, after: Annotation, stamp: str, *, continuing: bool) -> None:
    """Stamp ``after`` (a changed copy of ``before``) with the times merging needs.

    ``continuing`` is True for the later autosaves of one note edit: the
    versions in between were never the note between two merges, so only the
    note as it was before the edit is remembered, not each autosave.
    """
    after.status_at = stamp if after.status is not before.status else before.status_time
    after.tags_at = stamp if after.tags != before.tags else before.tags_time
    if after.note != before.note:
        seen = set(after.note_seen) | set(before.note_seen)
        if before.note.strip() and not continuing:
            seen.add(fingerprint(before.note, before.note_time))
        after.note_seen = sorted(seen)
        after.note_at = stamp
    else:
        after.note_at = before.note_time
    after.updated_at = stamp


# -- merging --------------------------------------------------------------------
def note_parts(text: str) -> list[str]:
    """The versions a merged note is made of (one part for a note never merged)."""
    parts = (p.strip("\n") for p in _MARK_LINE.split(text))
    return [p for p in parts if p.strip()]


def _contains(big: str, small: str) -> bool:
    """True when every version in ``small`` is already one of the versions in ``big``."""
    wanted = note_parts(small)
    return bool(wanted) and set(wanted) <= set(note_parts(big))


def merge_note(a: Annotation, b: Annotation) -> tuple[str, str, list[str]]:
    """The merged note, its time and the merged fingerprints of replaced versions."""
    seen = set(a.note_seen) | set(b.note_seen)
    at = max(a.note_time, b.note_time)
    if a.note == b.note:
        return a.note, at, sorted(seen)
    a_old = bool(a.note.strip()) and fingerprint(a.note, a.note_time) in seen
    b_old = bool(b.note.strip()) and fingerprint(b.note, b.note_time) in seen
    if a_old != b_old:
        newer = b if a_old else a
        return newer.note, newer.note_time, sorted(seen)
    # Neither replaced the other (or, after edits back and forth, both did).
    first, second = sorted((a, b), key=_note_order, reverse=True)
    in_first, in_second = _contains(first.note, second.note), _contains(second.note, first.note)
    if in_first or in_second:
        # One already holds every version of the other (a note merged
        # before): nothing to add.
        kept = first if in_first else second
        return kept.note, kept.note_time, sorted(seen)
    if not a.note.strip() or not b.note.strip():
        # An empty note adds nothing (the other side never wrote one).
        kept = first if first.note.strip() or not second.note.strip() else second
        return kept.note, kept.note_time, sorted(seen)
    text = (
        first.note.rstrip("\n")
        + "\n\n"
        + MERGE_MARK.format(at=second.note_time or "at an unknown time")
        + "\n\n"
        + second.note.strip("\n")
        + "\n"
    )
    seen |= {fingerprint(a.note, a.note_time), fingerprint(b.note, b.note_time)}
    return text, at, sorted(seen)


def _note_order(ann: Annotation) -> tuple[str, str]:
    # Newer first; the text breaks ties so that both machines agree.
    return ann.note_time, ann.note


def merge_annotation(a: Annotation, b: Annotation) -> Annotation:
    """Two copies of one paper's annotation made into one (see the module docstring)."""
    if a.paper_id != b.paper_id:
        raise ValueError(f"cannot merge annotations of {a.paper_id} and {b.paper_id}")
    status_side = max(a, b, key=lambda x: (x.status_time, x.status.value))
    tags_side = max(a, b, key=lambda x: (x.tags_time, x.tags))
    note, note_at, seen = merge_note(a, b)
    return Annotation(
        a.paper_id,
        status_side.status,
        note,
        list(tags_side.tags),
        max(a.updated_at, b.updated_at),
        # Both machines' status changes, for the statistics.
        history=sorted(set(a.history) | set(b.history))[-HISTORY_LIMIT:],
        status_at=status_side.status_time,
        tags_at=tags_side.tags_time,
        note_at=note_at,
        note_seen=seen,
    )


# -- backup documents -------------------------------------------------------------
def backup_document(
    annotations: Iterable[Annotation],
    papers: Mapping[str, Paper],
    *,
    created_at: str,
    library: tuple[Sequence[Paper], Sequence[Digest]] | None = None,
) -> dict[str, Any]:
    """The backup as a JSON-ready dict; ``library`` adds the papers and digests."""
    rows = []
    for ann in sorted(annotations, key=lambda a: a.paper_id):
        paper = papers.get(ann.paper_id)
        row: dict[str, Any] = {"paper_id": ann.paper_id}
        if paper is not None:
            row["title"] = paper.title
            if paper.arxiv_id:
                row["arxiv_id"] = paper.arxiv_id
        row.update(ann.to_dict())
        rows.append(row)
    doc: dict[str, Any] = {
        "format": BACKUP_FORMAT,
        "version": BACKUP_VERSION,
        "created_at": created_at,
        "annotations": rows,
    }
    if library is not None:
        doc["papers"] = [p.to_dict() for p in library[0]]
        doc["digests"] = [d.to_dict() for d in library[1]]
    return doc


def dumps(document: Mapping[str, Any]) -> bytes:
    """The document as indented UTF-8 JSON (readable, and diffs well in a synced folder)."""
    return orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n"


def parse_backup(data: bytes, name: str) -> Backup:
    """Read and check a whole backup; raises BackupError naming ``name`` and the problem."""
    try:
        doc = orjson.loads(data)
    except orjson.JSONDecodeError as err:
        raise BackupError(f"{name} is not valid JSON ({err}); nothing was merged") from None
    if not isinstance(doc, dict) or doc.get("format") != BACKUP_FORMAT:
        raise BackupError(
            f"{name} is not a paper-tracker backup (write one with `tracker backup FILE`); "
            "nothing was merged"
        )
    version = doc.get("version")
    if not isinstance(version, int) or version < 1:
        raise BackupError(f"{name} has an invalid backup version {version!r}; nothing was merged")
    if version > BACKUP_VERSION:
        raise BackupError(
            f"{name} was written by a newer paper-tracker (backup version {version}); "
            "upgrade paper-tracker to merge it"
        )
    backup = Backup(
        created_at=str(doc.get("created_at") or ""),
        annotations=_records(doc, "annotations", name, _annotation),
    )
    if "papers" in doc or "digests" in doc:
        backup.papers = _records(doc, "papers", name, Paper.from_dict)
        backup.digests = _records(doc, "digests", name, _digest)
    return backup


def _digest(row: dict[str, Any]) -> Digest:
    digest = Digest.from_dict(row)
    for pid in digest.paper_ids:  # stored with the library: checked as its papers' ids are
        checked_paper_id(pid)
    return digest


def _annotation(row: dict[str, Any]) -> Annotation:
    if not isinstance(row.get("paper_id"), str) or not row["paper_id"]:
        raise ValueError("it has no paper_id")
    for key in ("note", "updated_at", "tags_at", "note_at"):
        if not isinstance(row.get(key, ""), str):
            raise ValueError(f"its {key} is not text")
    for key in ("tags", "note_seen"):
        if not isinstance(row.get(key, []), list):
            raise ValueError(f"its {key} is not a list")
    return Annotation.from_dict(row)


_T = TypeVar("_T")


def _records(
    doc: dict[str, Any], key: str, name: str, build: Callable[[dict[str, Any]], _T]
) -> list[_T]:
    rows = doc.get(key, [])
    if not isinstance(rows, list):
        raise BackupError(f"{name}: {key!r} is not a list; nothing was merged")
    records: list[_T] = []
    for number, row in enumerate(rows, start=1):
        try:
            if not isinstance(row, dict):
                raise ValueError("it is not an object")
            records.append(build(row))
        except (KeyError, TypeError, ValueError) as err:
            what = f"is missing {err}" if isinstance(err, KeyError) else f"is invalid: {err}"
            raise BackupError(
                f"{name}: entry {number} of {key!r} {what}; nothing was merged"
            ) from None
    return records
