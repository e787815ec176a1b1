"""BibTeX for every exported paper: arXiv papers cite as arXiv asks, the others with what is known.

A paper with an arXiv id becomes ``@misc{key, title, author, year, eprint,
archivePrefix, primaryClass?, doi, url, keywords?, annote?}``, the form arXiv
itself gives (``doi`` is the DataCite DOI arXiv registers for every paper,
``10.48550/arXiv.<id>``; ``primaryClass`` when the listing named the
category). A paper without one becomes ``@misc{key, title, author?, year?,
url?, …}``: its title, the year it was published or else the year of its
first dated digest, and its link; the command says how many there are.
Your tags go into ``keywords`` and your note into ``annote``: the standard
bibliography styles do not print ``annote``, so a private note does not end
up in a paper's reference list (``note`` would be printed).

Keys (:func:`cite_key`) depend only on the paper, never on what else is
exported, so a document that cites them keeps working after the next export,
and the vault export writes the same key into each note's front matter.

Escaping: BibTeX counts braces even after a backslash, so a ``\\}`` in a
title would still end the field early. Braces and backslashes are written as
``\\textbraceleft{}``, ``\\textbraceright{}`` and ``\\textbackslash{}``, and
LaTeX's other special characters (``& % $ # _ ^ ~``) are escaped, so no
title can unbalance an entry or inject LaTeX. The exception is the LaTeX a
title brought from arXiv (``$\\mathcal{O}(n)$``): the parts that
:mod:`tracker.latex` finds safe -- balanced, no comment, only symbol and font
commands -- are written as they are, so LaTeX typesets them. Unicode is kept
as it is (biber and bibtex with ``inputenc`` read UTF-8).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from tracker import latex
from tracker.exports.item import ExportItem
from tracker.models import Digest, Paper
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
_AFFILIATION = re.compile(r"\s*\((?:[^()]|\([^()]*\))*\)\s*$")
_YEAR = re.compile(r"^(\d{4})-\d{2}")
_SMALL_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "on",
        "in",
        "for",
        "and",
        "to",
        "with",
        "from",
        "by",
        "at",
        "is",
        "are",
    ]
)
DOI_PREFIX = "10.48550/arXiv."
"""arXiv's DataCite DOIs: 10.48550/arXiv.<id> for every paper."""


@dataclass(frozen=True, slots=True)
class BibTeX:
    """The entries as text, and how many of them are papers without an arXiv id."""

    text: str
    entries: int
    without_id: int


def escape(text: str) -> str:
    """Imported or typed text as a safe, brace-balanced BibTeX field value (one line)."""
    flat = " ".join(text.split())
    return _SPECIAL.sub(lambda m: _LATEX_SPECIAL[m.group()], flat)


def escape_keeping_latex(text: str) -> str:
    """Like :func:`escape`, but the safe LaTeX parts (arXiv's math) are written as they are."""
    flat = " ".join(text.split())
    out: list[str] = []
    at = 0
    for start, end in latex.parts(flat):
        out += [_escape_chars(flat[at:start]), flat[start:end]]
        at = end
    out.append(_escape_chars(flat[at:]))
    return "".join(out)


def _escape_chars(text: str) -> str:
    return _SPECIAL.sub(lambda m: _LATEX_SPECIAL[m.group()], text)


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


def author_name(author: str) -> str:
    """The person, without the affiliation listings add (``Kenji Watanabe (University of Tokyo)``)."""
    name = _AFFILIATION.sub("", author).strip()
    return name or author.strip()


def _surname(author: str) -> str:
    author = author_name(author)
    name = author.split(",")[0] if "," in author else (author.split() or [""])[-1]
    return _plain_ascii(name).lower()


def _bare_id(arxiv_id: str) -> str:
    return re.sub(r"v\d+$", "", arxiv_id.strip())


def _title_word(title: str) -> str:
    """The title's first word that says something (``Pointer Networks`` → ``pointer``)."""
    words = [_plain_ascii(w).lower() for w in latex.to_unicode(title).split()]
    words = [w for w in words if w]
    for word in words:
        if word not in _SMALL_WORDS:
            return word[:20]
    return words[0][:20] if words else "paper"


def cite_key(paper: Paper) -> str:
    """The paper's citation key; it depends only on the paper.

    With an arXiv id: ``surname + year + '-' + id`` (``vaswani2017-1706.03762``).
    Without: ``first title word + '-' + paper id`` (``pointer-3f2a9c0b1d2e``), the
    paper id being a hash of its title, which never changes. (A paper that
    later gains an arXiv id, from a richer source, gets the arXiv key from then on.)
    """
    bare = _bare_id(paper.arxiv_id or "")
    if not bare:
        return _KEY_UNSAFE.sub("-", f"{_title_word(paper.title)}-{paper.id}").strip("-")
    surname = _surname(paper.authors[0]) if paper.authors else ""
    prefix = (surname or "arxiv") + (arxiv_year(bare) or "")
    return _KEY_UNSAFE.sub("-", f"{prefix}-{bare}").strip("-")


def _author(name: str) -> str:
    value = escape(author_name(name))
    # "and" inside a name (a team) or a comma would split or reorder it.
    if re.search(r"\band\b", value, re.IGNORECASE) or "," in value:
        return "{" + value + "}"
    return value


def year_of(paper: Paper, digests: Mapping[str, Digest]) -> str | None:
    """The year to cite: from the arXiv id, else the published date, else the first dated digest."""
    year = arxiv_year(_bare_id(paper.arxiv_id or ""))
    if year:
        return year
    for day in (paper.published, *(digests[d].date for d in paper.digests if d in digests)):
        match = _YEAR.match(day or "")
        if match:
            return match.group(1)
    return None


def entry(item: ExportItem, key: str, digests: Mapping[str, Digest] | None = None) -> str:
    """One ``@misc`` entry."""
    paper, ann = item.paper, item.annotation
    bare = _bare_id(paper.arxiv_id or "")
    # Double braces keep the title's capitals (styles lower-case titles).
    fields = [("title", "{" + escape_keeping_latex(paper.title) + "}")]
    authors = [a for a in paper.authors if author_name(a)]
    if authors:
        fields.append(("author", " and ".join(_author(a) for a in authors)))
    year = year_of(paper, digests or {})
    if year:
        fields.append(("year", year))
    url = paper.url
    if bare:
        fields += [("eprint", escape(bare)), ("archivePrefix", "arXiv")]
        if paper.primary_class:
            fields.append(("primaryClass", escape(paper.primary_class)))
        fields.append(("doi", escape(DOI_PREFIX + bare)))
        url = url if url and "arxiv.org" in url else arxiv_url(bare)
    if url:
        fields.append(("url", _url(url)))
    if ann.tags:
        fields.append(("keywords", ", ".join(escape(t) for t in ann.tags)))
    if ann.note.strip():
        fields.append(("annote", escape(ann.note)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{key},\n{body}\n}}\n"


def bibtex(items: Iterable[ExportItem], digests: Sequence[Digest] = ()) -> BibTeX:
    """One entry per paper, in the order given.

    A paper whose key is already taken (two library papers with the same
    arXiv id) gets its paper id appended, so keys stay unique.
    """
    by_id = {d.id: d for d in digests}
    items = list(items)
    keys = cite_keys(item.paper for item in items)
    parts = [entry(item, key, by_id) for item, key in zip(items, keys, strict=True)]
    without_id = sum(1 for item in items if not (item.paper.arxiv_id or "").strip())
    return BibTeX("\n".join(parts), len(parts), without_id)


def cite_keys(papers: Iterable[Paper]) -> list[str]:
    """Each paper's key among these papers, in order: :func:`cite_key`, with the paper
    id appended to a key that an earlier paper took (two papers with one arXiv id).

    The BibTeX and the vault export both use this, so they agree.
    """
    keys: list[str] = []
    used: set[str] = set()
    for paper in papers:
        key = cite_key(paper)
        if key in used:
            key = f"{key}-{paper.id}"
        used.add(key)
        keys.append(key)
    return keys
