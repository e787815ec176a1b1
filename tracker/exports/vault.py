"""Vault export: a folder of one Markdown file per paper with YAML front matter (Obsidian).

A vault is where people keep writing, so a note has two owners. Ours: the
front matter and the *generated part*, the lines between :data:`BEGIN` and
the end line (:func:`end_line`). Theirs: everything else -- the lines
between the front matter and :data:`BEGIN`, and everything after the end
line. A re-export rewrites our part and keeps theirs byte for byte.

The end line carries a checksum of our part as it was written
(:func:`part_checksum`), so the note itself says whether anyone changed our
part since: no record kept elsewhere is needed, and a vault synced to
another machine is updated the same way there. A note whose checksum does
not match was edited inside our part, and is left alone (the export lists
it). Notes written before the markers existed (:attr:`VaultNote.old`, the
whole file ours) are recognised by being byte for byte what that release wrote
for the library as it is now.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from tracker.clock import wall_part
from tracker.exports.bibtex import cite_key, cite_keys
from tracker.exports.item import ExportItem
from tracker.exports.markdown import safe_line
from tracker.latex import to_unicode
from tracker.models import Digest, Paper

# Characters YAML does not allow unescaped in a document (C0/C1 controls,
# DEL, non-characters) or reads as line breaks (NEL, LS, PS).
_YAML_UNSAFE = re.compile(
    "[^\t\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


def _yaml_str(text: str) -> str:
    """``text`` as a YAML double-quoted scalar.

    A JSON string is one (quotes, backslashes, colons, newlines and C0
    controls escaped); the characters JSON leaves raw but YAML refuses or
    folds are escaped as well, so any title parses back to itself.
    """
    return _YAML_UNSAFE.sub(
        lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False)
    )


def front_matter(item: ExportItem, digests: Mapping[str, Digest], key: str | None = None) -> str:
    """The note's YAML front matter, ``---`` lines included (ends with a newline)."""
    paper, ann = item.paper, item.annotation
    fields = [
        "---",
        f"title: {_yaml_str(paper.title)}",  # as stored (the heading below is Unicode)
        f"id: {_yaml_str(paper.id)}",
        # The key of the paper's BibTeX entry, so a note can be linked to its
        # reference (Obsidian's and Zotero's citation plugins read `citekey`).
        f"citekey: {_yaml_str(key or cite_key(paper))}",
        f"status: {_yaml_str(ann.status.value)}",
        "digests: ["
        + ", ".join(_yaml_str(digests[d].display_label) for d in paper.digests if d in digests)
        + "]",
        "tags: [" + ", ".join(_yaml_str(t) for t in ann.tags) + "]",
    ]
    if paper.authors:
        fields.append("authors: [" + ", ".join(_yaml_str(a) for a in paper.authors) + "]")
    if paper.arxiv_id:
        fields.append(f"arxiv: {_yaml_str(paper.arxiv_id)}")
    if paper.url:
        fields.append(f"url: {_yaml_str(paper.url)}")
    if ann.updated_at:
        # The time, without the logical clock's counter (tracker.clock): a date for Obsidian.
        fields.append(f"updated: {_yaml_str(wall_part(ann.updated_at))}")
    fields.append("---")
    return "\n".join(fields) + "\n"


def generated_part(item: ExportItem) -> str:
    """The Markdown between the markers: title, abstract, the note (ends with a newline)."""
    paper, ann = item.paper, item.annotation
    body = [f"# {safe_line(to_unicode(paper.title))}", ""]
    if paper.abstract:
        body += ["> " + safe_line(to_unicode(paper.abstract)).lstrip("\\"), ""]
    if ann.note.strip():
        body += ["## Notes", "", ann.note.strip("\n"), ""]
    return "\n".join(body).rstrip("\n") + "\n"


BEGIN = "<!-- paper-tracker: generated, rewritten by each export; write above or below -->"
"""The line that opens the generated part."""
_END = "<!-- paper-tracker: end of generated part {} -->"
_END_LINE = re.compile(
    r"^<!-- paper-tracker: end of generated part ([0-9a-f]{16}) -->(?:\n|$)", re.M
)
_BEGIN_LINE = re.compile("^" + re.escape(BEGIN) + "\n", re.M)


def part_checksum(front: str, generated: str) -> str:
    """What the end line records: 16 hex digits of SHA-256 over our two parts."""
    return hashlib.sha256(f"{front}\0{generated}".encode()).hexdigest()[:16]


def end_line(front: str, generated: str) -> str:
    return _END.format(part_checksum(front, generated)) + "\n"


def compose(front: str, generated: str, *, above: str = "\n", below: str = "") -> str:
    """A whole note: our front matter and generated part around the user's ``above`` and ``below``."""
    return front + above + BEGIN + "\n" + generated + end_line(front, generated) + below


@dataclass(frozen=True, slots=True)
class NoteParts:
    """A note split into our parts and the user's, as found on disk."""

    front: str
    above: str
    generated: str
    below: str
    intact: bool
    """The checksum on the end line matches our parts: nobody changed them since."""

    def with_ours(self, front: str, generated: str) -> str:
        """The note with our parts replaced and the user's kept byte for byte."""
        return compose(front, generated, above=self.above, below=self.below)


def _front_end(text: str) -> int | None:
    """Where the front matter ends (after its closing ``---`` line), if the note has one."""
    if not text.startswith("---\n"):
        return None
    close = text.find("\n---\n", 3)
    if close >= 0:
        return close + 5
    return len(text) if text.endswith("\n---") else None


def _candidates(text: str, start: int) -> Iterator[tuple[int, int, int, int, str]]:
    """(begin start, generated start, end start, end end, checksum) of every marker pair."""
    ends = list(_END_LINE.finditer(text, start))
    for begin in _BEGIN_LINE.finditer(text, start):
        for end in ends:
            if end.start() >= begin.end():
                yield begin.start(), begin.end(), end.start(), end.end(), end.group(1)


def split_note(text: str) -> NoteParts | None:
    """The note's parts, or None when it has no front matter and markers (not in our format).

    The user's own text may quote a marker line (a note about this very
    format, pasted twice): the pair whose checksum matches wins; when none
    does, the first pair is taken and the note is not :attr:`~NoteParts.intact`.
    """
    front_end = _front_end(text)
    if front_end is None:
        return None
    front = text[:front_end]
    first: NoteParts | None = None
    for b_start, g_start, e_start, e_end, checksum in _candidates(text, front_end):
        generated = text[g_start:e_start]
        parts = NoteParts(
            front,
            text[front_end:b_start],
            generated,
            text[e_end:],
            part_checksum(front, generated) == checksum,
        )
        if parts.intact:
            return parts
        first = first or parts
    return first


_UNSAFE = re.compile(r"[^\w\- ]+", re.UNICODE)


def file_name(paper: Paper) -> str:
    """A file name that is safe on every OS and unique thanks to the id."""
    stem = " ".join(_UNSAFE.sub(" ", paper.title).split())[:80].rstrip() or "paper"
    return f"{stem} ({paper.id}).md"


@dataclass(frozen=True, slots=True)
class VaultNote:
    """What the export has to say about one paper: its file name and our two parts."""

    name: str
    front: str
    generated: str
    old: str
    """The whole note as releases before the markers wrote it, for the paper as it is now:
    the front matter, a blank line, the generated part."""

    @property
    def text(self) -> str:
        """The note as a new file."""
        return compose(self.front, self.generated)


def vault_notes(items: Iterable[ExportItem], digests: Sequence[Digest]) -> list[VaultNote]:
    """One :class:`VaultNote` per paper, in the order given."""
    by_id = {d.id: d for d in digests}
    items = list(items)
    keys = cite_keys(item.paper for item in items)
    notes = []
    for item, key in zip(items, keys, strict=True):
        front = front_matter(item, by_id, key)
        generated = generated_part(item)
        notes.append(VaultNote(file_name(item.paper), front, generated, front + "\n" + generated))
    return notes


def per_paper_files(items: Iterable[ExportItem], digests: Sequence[Digest]) -> dict[str, str]:
    """File name → content of a new vault: one Markdown file per paper."""
    return {note.name: note.text for note in vault_notes(items, digests)}
