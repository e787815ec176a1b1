"""Vault export: a folder of one Markdown file per paper with YAML front matter (Obsidian)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence

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


def front_matter_file(
    item: ExportItem, digests: Mapping[str, Digest], key: str | None = None
) -> str:
    """One paper as a note-vault file (Obsidian): YAML front matter, then Markdown."""
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
        fields.append(f"updated: {_yaml_str(ann.updated_at)}")
    fields.append("---")
    body = [f"# {safe_line(to_unicode(paper.title))}", ""]
    if paper.abstract:
        body += ["> " + safe_line(to_unicode(paper.abstract)).lstrip("\\"), ""]
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
    items = list(items)
    keys = cite_keys(item.paper for item in items)
    return {
        file_name(item.paper): front_matter_file(item, by_id, key)
        for item, key in zip(items, keys, strict=True)
    }
