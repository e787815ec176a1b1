"""BibTeX for the papers that have an arXiv id.

Each paper becomes ``@misc{key, title, author, year, eprint, archivePrefix,
url, keywords?, annote?}``, the form arXiv itself suggests.
Your tags go into ``keywords`` and your note into ``annote``: the standard
bibliography styles do not print ``annote``, so a private note does not end
up in a paper's reference list (``note`` would be printed).

Escaping: BibTeX counts braces even after a backslash, so a ``\\}`` in a
title would still end the field early. Braces and backslashes are written as
``\\textbraceleft{}``, ``\\textbraceright{}`` and ``\\textbackslash{}``, and
LaTeX's other special characters (``& % $ # _ ^ ~``) are escaped, so no
title can unbalance an entry or inject LaTeX. Unicode is kept as it is
(biber and bibtex with ``inputenc`` read UTF-8).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from tracker.exports.item import ExportItem
from tracker.sources.fields import arxiv_url

_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
}
_SPECIAL = re.compile("[" + re.escape("".join(_LATEX_SPECIAL)) + "]")
# Old-style ids (hep-th/9901001) and new ones (2410.05434), with a version.
_NEW_ID = re.compile(r"^(\d{2})(\d{2})\.\d{4,5}(v\d+)?$")
_OLD_ID = re.compile(r"^[a-z][a-z.\-]*(?:\.[A-Z]{2})?/(\d{2})(\d{2})\d{3}(v\d+)?$")
_KEY_UNSAFE = re.compile(r"[^A-Za-z0-9.:\-]+")


@dataclass(frozen=True, slots=True)
class BibTeX:
    """The entries as text and how many papers had no arXiv id (and were left out)."""

    text: str
    entries: int
    skipped: int


def escape(text: str) -> str:
    """Imported or typed text as a safe, brace-balanced BibTeX field value (one line)."""
    flat = " ".join(text.split())
    return _SPECIAL.sub(lambda m: _LATEX_SPECIAL[m.group()], flat)


def _url(text: str) -> str:
    # URLs are read verbatim by the url package: escaping % would break
    # them, so only the characters that cannot be in a URL are encoded.
    return "".join(
        {"{": "%7B", "}": "%7D", "\\": "%5C", " ": "%20", "\n": "%0A"}.get(c, c) for c in text
    )


def arxiv_year(arxiv_id: str) -> str | None:
    """The year an arXiv id was assigned (``2410.05434`` → 2024), when the id says it."""
    match = _NEW_ID.match(arxiv_id) or _OLD_ID.match(arxiv_id)
    if not match:
        return None
    yy = int(match.group(1))
    # arXiv started in 1991: two-digit years from 91 are the 1990s.
    return str(1900 + yy if yy >= 91 else 2000 + yy)


def _plain_ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isascii() and c.isalnum())


def _surname(author: str) -> str:
    name = author.split(",")[0] if "," in author else (author.split() or [""])[-1]
    return _plain_ascii(name).lower()


def _bare_id(arxiv_id: str) -> str:
    return re.sub(r"v\d+$", "", arxiv_id.strip())


def cite_key(item: ExportItem) -> str:
    """``surname + year + '-' + arXiv id``: readable, and the same paper always gets it.

    The key depends only on the paper, not on what else is exported, so a
    document that cites it keeps working after the next export.
    """
    paper = item.paper
    bare = _bare_id(paper.arxiv_id or "")
    surname = _surname(paper.authors[0]) if paper.authors else ""
    prefix = (surname or "arxiv") + (arxiv_year(bare) or "")
    return _KEY_UNSAFE.sub("-", f"{prefix}-{bare}").strip("-")


def _author(name: str) -> str:
    value = escape(name)
    # "and" inside a name (a team) or a comma would split or reorder it.
    if re.search(r"\band\b", value, re.IGNORECASE) or "," in value:
        return "{" + value + "}"
    return value


def entry(item: ExportItem, key: str) -> str:
    """One ``@misc`` entry."""
    paper, ann = item.paper, item.annotation
    bare = _bare_id(paper.arxiv_id or "")
    # Double braces keep the title's capitals (styles lower-case titles).
    fields = [("title", "{" + escape(paper.title) + "}")]
    authors = [a for a in paper.authors if a.strip()]
    if authors:
        fields.append(("author", " and ".join(_author(a) for a in authors)))
    year = arxiv_year(bare)
    if year:
        fields.append(("year", year))
    fields += [("eprint", escape(bare)), ("archivePrefix", "arXiv")]
    url = paper.url if paper.url and "arxiv.org" in paper.url else None
    fields.append(("url", _url(url or arxiv_url(bare))))
    if ann.tags:
        fields.append(("keywords", ", ".join(escape(t) for t in ann.tags)))
    if ann.note.strip():
        fields.append(("annote", escape(ann.note)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{key},\n{body}\n}}\n"


def bibtex(items: Iterable[ExportItem]) -> BibTeX:
    """Entries for the papers with an arXiv id, in the order given.

    A paper whose key is already taken (two library papers with the same
    arXiv id) gets its paper id appended, so keys stay unique.
    """
    parts: list[str] = []
    used: set[str] = set()
    skipped = 0
    for item in items:
        if not (item.paper.arxiv_id or "").strip():
            skipped += 1
            continue
        key = cite_key(item)
        if key in used:
            key = f"{key}-{item.paper.id}"
        used.add(key)
        parts.append(entry(item, key))
    return BibTeX("\n".join(parts), len(parts), skipped)
