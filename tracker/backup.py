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
- **note** — never lost. A note is a set of *versions* (a note never merged
  is one; a merged note holds several, each after a :data:`MERGE_MARK` line
  that gives the time it was written). Each annotation remembers which
  versions were replaced by an edit made with them in front of it
  (``note_seen``: :func:`version_key`, a hash of the text and the time up to
  which that text was replaced). A merge keeps every version of either side
  that neither side replaced, one per text (the latest), newest first; so a
  note changed on one machine only replaces the older one, and notes changed
  on several machines since they last met keep every version. Edit the note
  to keep what you want: the versions it held are then replaced everywhere.

Every time above is a stamp of the hybrid logical clock (:mod:`tracker.clock`),
so an edit made after taking in another machine's change sorts after it
whatever the clocks say.

The merge is commutative (``merge(a, b) == merge(b, a)``), idempotent
(merging the same backup again changes nothing) and associative: what is
replaced only grows and the versions are a set, so machines that exchange
backups in any order end with the same annotations
(tests/unit/test_backup.py and tests/unit/test_merge_convergence.py check
this with hypothesis, with clocks that disagree).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import orjson

from tracker.clock import next_stamp
from tracker.models import HISTORY_LIMIT, Annotation, Digest, Paper
from tracker.rows import checked_paper_id

BACKUP_FORMAT = "paper-tracker-backup"
BACKUP_VERSION = 1

MERGE_MARK = "**paper-tracker merge:** both machines changed this note; the other version (written {at}) follows."
"""The separator between two versions of a note kept by a merge.

Plain Markdown rather than an HTML comment, so that it shows in rendered
views too (Obsidian's reading view hides comments)."""
_MARK_LINE = re.compile(
    r"^\*\*paper-tracker merge:\*\* both machines changed this note; "
    r"the other version \(written ([^)\n]*)\) follows\.$",
    re.MULTILINE,
)
_UNKNOWN = "at an unknown time"


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
    """16 hex digits identifying one version of a note (its text and when it was written).

    The form paper-tracker used before version keys (:func:`version_key`);
    such entries in ``note_seen`` still mean "this exact note was replaced".
    """
    return hashlib.sha256(f"{at}\0{text}".encode()).hexdigest()[:16]


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def version_key(text: str, at: str) -> str:
    """A ``note_seen`` entry: this text, in every version written at ``at`` or before, was replaced.

    The time is kept in the clear so that two entries for one text fold into
    the later one (:func:`compact_seen`): what was seen only grows, which is
    what makes merging associative.
    """
    return f"{text_hash(text)}@{at}"


def compact_seen(entries: Iterable[str]) -> list[str]:
    """``note_seen`` with one version key per text (the latest), sorted."""
    latest: dict[str, str] = {}
    kept: set[str] = set()
    for entry in entries:
        digest, sep, at = entry.partition("@")
        if not sep:
            kept.add(entry)  # an old fingerprint: opaque, kept as it is
        elif digest not in latest or at > latest[digest]:
            latest[digest] = at
    kept.update(f"{digest}@{at}" for digest, at in latest.items())
    return sorted(kept)


def _replaced_until(seen: Iterable[str]) -> dict[str, str]:
    """Per text hash, the time up to which its versions were replaced."""
    until: dict[str, str] = {}
    for entry in seen:
        digest, sep, at = entry.partition("@")
        if sep and (digest not in until or at > until[digest]):
            until[digest] = at
    return until


def is_replaced(text: str, at: str, seen: Iterable[str]) -> bool:
    """Whether the version of a note (or one part of a merged note) ``text`` written at ``at`` was
    replaced by an edit that had it in front of it."""
    until = _replaced_until(seen).get(text_hash(text))
    return until is not None and until >= at


def record_edit(before: Annotation, after: Annotation, stamp: str, *, continuing: bool) -> None:
    """Stamp ``after`` (a changed copy of ``before``) with the times merging needs.

    ``stamp`` is the change's clock time (:func:`tracker.clock.next_stamp`).
    ``continuing`` is True for the later autosaves of one note edit: the
    versions in between were never the note between two merges, so only the
    note as it was before the edit is remembered, not each autosave. Every
    version the edited note held (each part of a merged note) is remembered
    as replaced, except the parts the edit kept as they were.
    """
    after.status_at = stamp if after.status is not before.status else before.status_time
    after.tags_at = stamp if after.tags != before.tags else before.tags_time
    if after.note != before.note:
        seen = set(after.note_seen) | set(before.note_seen)
        if not continuing:
            kept = set(timed_parts(after.note, stamp))
            seen.update(version_key(*part) for part in timed_parts(before.note, before.note_time))
            seen.difference_update(version_key(*part) for part in kept)
        after.note_seen = compact_seen(seen)
        after.note_at = _time_of(after.note, stamp)
    else:
        after.note_at = before.note_time
    after.updated_at = stamp


# -- merging --------------------------------------------------------------------
def note_parts(text: str) -> list[str]:
    """The versions a merged note is made of (one part for a note never merged)."""
    return [part for part, _ in timed_parts(text, "")]


def timed_parts(text: str, at: str) -> list[tuple[str, str]]:
    """The versions a note is made of, each with when it was written.

    The first version was written at ``at`` (the note's time); each later
    one at the time its separator line gives ("" when it says unknown).
    """
    pieces = _MARK_LINE.split(text)
    times = [at, *("" if t == _UNKNOWN else t for t in pieces[1::2])]
    parts = ((p.strip("\n"), t) for p, t in zip(pieces[::2], times, strict=True))
    return [(p, t) for p, t in parts if p.strip()]


def render_note(parts: Sequence[tuple[str, str]]) -> str:
    """Versions of a note, newest first, as one note with a separator line before each later one."""
    text = parts[0][0]
    for part, at in parts[1:]:
        text += "\n\n" + MERGE_MARK.format(at=at or _UNKNOWN) + "\n\n" + part
    return text + "\n" if len(parts) > 1 else text


def merge_note(a: Annotation, b: Annotation) -> tuple[str, str, list[str]]:
    """The merged note, its time and the merged keys of replaced versions.

    The note is the set of versions neither side replaced (each part of a
    merged note is a version), newest first; see the module docstring.
    """
    seen = set(a.note_seen) | set(b.note_seen)
    if a.note == b.note:
        return a.note, _time_of(a.note, max(a.note_time, b.note_time)), compact_seen(seen)
    # A fingerprint of a whole note from before version keys.
    old = [bool(x.note.strip()) and fingerprint(x.note, x.note_time) in seen for x in (a, b)]
    if all(old):
        old = [False, False]  # after edits back and forth, both did: keep both
    until = _replaced_until(seen)
    sides = [
        (x, timed_parts(x.note, x.note_time))
        for x, gone in zip((a, b), old, strict=True)
        if not gone
    ]
    live: dict[str, str] = {}
    for _, parts in sides:
        for part, at in parts:
            replaced = until.get(text_hash(part))
            if (replaced is None or replaced < at) and at >= live.get(part, at):
                live[part] = at
    if not live:
        # Every version replaced (here or on another machine whose knowledge one
        # side merged in): the note was deleted. Keeping replaced versions "just
        # in case" made the result depend on the order machines merged in
        # (tests/unit/test_merge_convergence.py), so a replaced version stays
        # replaced, as everywhere else.
        return "", "", compact_seen(seen)
    versions = sorted(live.items(), key=lambda item: (item[1], item[0]), reverse=True)
    # A side that already holds exactly these versions keeps its text as it is.
    same = [x for x, parts in sides if sorted(set(parts)) == sorted(versions)]
    if same:
        kept = max(same, key=_note_order)
        return kept.note, kept.note_time, compact_seen(seen)
    text, at = render_note(versions), versions[0][1]
    while fingerprint(text, at) in seen:
        # The very note a pre-version-key fingerprint says was replaced, put
        # together again from its parts: it is a new version, one step later.
        at = next_stamp(at, [at])
    return text, at, compact_seen(seen)


def _time_of(note: str, at: str) -> str:
    """A note's time as merging stores it: none for an empty note (a deleted note has
    no version; what it replaced is in ``note_seen``), so that every machine agrees."""
    return at if note.strip() else ""


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
