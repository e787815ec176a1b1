"""Markdown export of papers and notes: pure functions from data to text.

Notes are written verbatim: they are the user's own Markdown. Titles and
other imported text are escaped where they could break the structure
(a title starting with ``#`` or containing a newline, say).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from tracker.models import Annotation, Digest, Paper, Status

GROUPS = ("digest", "status")

_STATUS_ORDER = [Status.READING, Status.TO_READ, Status.READ, Status.NEW, Status.SKIPPED]
_STATUS_HEADINGS = {
    Status.READING: "Reading",
    Status.TO_READ: "To read",
    Status.READ: "Read",
    Status.NEW: "Not triaged yet",
    Status.SKIPPED: "Skipped",
}


@dataclass(frozen=True, slots=True)
class ExportItem:
    paper: Paper
    annotation: Annotation


def _one_line(text: str) -> str:
    """Imported text on one line with Markdown-significant leading characters escaped."""
    flat = " ".join(text.split())
    # A leading '#', '>', '-', '+', '*' or 'N.' would turn the line into
    # another block; escape just that character.
    return re.sub(r"^([#>\-+*]|\d+[.)])", r"\\\1", flat)


def _digest_names(paper: Paper, digests: Mapping[str, Digest]) -> str:
    return ", ".join(digests[d].display_label for d in paper.digests if d in digests)


def _paper_block(
    item: ExportItem, digests: Mapping[str, Digest], *, abstracts: bool, level: int
) -> str:
    paper, ann = item.paper, item.annotation
    lines = [f"{'#' * level} {_one_line(paper.title)}", ""]
    meta = [f"- Status: {ann.status.value}"]
    names = _digest_names(paper, digests)
    if names:
        meta.append(f"- Digests: {names}")
    if ann.tags:
        meta.append(f"- Tags: {', '.join(_one_line(t) for t in ann.tags)}")
    if paper.url:
        meta.append(f"- Link: <{paper.url}>")
    meta.append(f"- Id: `{paper.id}`")
    lines += meta
    if abstracts and paper.abstract:
        lines += ["", "> " + _one_line(paper.abstract).lstrip("\\")]
    if ann.note.strip():
        lines += ["", ann.note.strip("\n")]
    return "\n".join(lines)


def markdown(
    items: Iterable[ExportItem],
    digests: Sequence[Digest],
    *,
    group_by: str = "digest",
    abstracts: bool = True,
    title: str = "Paper notes",
) -> str:
    """One Markdown document: a section per digest (or status), a subsection per paper."""
    if group_by not in GROUPS:
        raise ValueError(f"group_by must be one of {', '.join(GROUPS)}")
    by_id = {d.id: d for d in digests}
    items = list(items)
    groups: dict[str, list[ExportItem]] = {}
    if group_by == "digest":
        order = {d.id: i for i, d in enumerate(digests)}
        for item in items:
            first = min(item.paper.digests, key=lambda d: order.get(d, len(order)), default="")
            name = by_id[first].display_label if first in by_id else "No digest"
            groups.setdefault(name, []).append(item)
    else:
        for status in _STATUS_ORDER:
            members = [i for i in items if i.annotation.status is status]
            if members:
                groups[_STATUS_HEADINGS[status]] = members
    parts = [f"# {title}", "", f"{len(items)} paper{'s' if len(items) != 1 else ''}."]
    for name, members in groups.items():
        parts += ["", f"## {_one_line(name)}"]
        for item in members:
            parts += ["", _paper_block(item, by_id, abstracts=abstracts, level=3)]
    return "\n".join(parts) + "\n"


def _yaml_str(text: str) -> str:
    # A JSON string is a valid YAML double-quoted scalar; it escapes quotes,
    # colons, newlines and control characters safely.
    return json.dumps(text, ensure_ascii=False)


def front_matter_file(item: ExportItem, digests: Mapping[str, Digest]) -> str:
    """One paper as a note-vault file (Obsidian): YAML front matter, then Markdown."""
    paper, ann = item.paper, item.annotation
    fields = [
        "---",
        f"title: {_yaml_str(paper.title)}",
        f"id: {_yaml_str(paper.id)}",
        f"status: {_yaml_str(ann.status.value)}",
        "digests: ["
        + ", ".join(_yaml_str(digests[d].display_label) for d in paper.digests if d in digests)
        + "]",
        "tags: [" + ", ".join(_yaml_str(t) for t in ann.tags) + "]",
    ]
    if paper.arxiv_id:
        fields.append(f"arxiv: {_yaml_str(paper.arxiv_id)}")
    if paper.url:
        fields.append(f"url: {_yaml_str(paper.url)}")
    if ann.updated_at:
        fields.append(f"updated: {_yaml_str(ann.updated_at)}")
    fields.append("---")
    body = [f"# {_one_line(paper.title)}", ""]
    if paper.abstract:
        body += ["> " + _one_line(paper.abstract).lstrip("\\"), ""]
    if ann.note.strip():
        body += ["## Notes", "", ann.note.strip("\n"), ""]
    return "\n".join(fields) + "\n\n" + "\n".join(body).rstrip("\n") + "\n"


_UNSAFE = re.compile(r"[^\w\- ]+", re.UNICODE)


def file_name(paper: Paper) -> str:
    """A file name that is safe on every OS and unique thanks to the id."""
    stem = " ".join(_UNSAFE.sub(" ", paper.title).split())[:80].rstrip() or "paper"
    return f"{stem} ({paper.id}).md"


def per_paper_files(items: Iterable[ExportItem], digests: Sequence[Digest]) -> dict[str, str]:
    """File name → content for a folder of one Markdown file per paper."""
    by_id = {d.id: d for d in digests}
    return {file_name(item.paper): front_matter_file(item, by_id) for item in items}
