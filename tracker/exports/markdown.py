"""Markdown export: one file with a table of contents, grouped by digest or by status.

Notes are written verbatim: they are the user's own Markdown. Titles and
other imported text are escaped where they could break the structure
(a title starting with ``#`` or containing a newline, say).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence

from tracker.exports.item import ExportItem
from tracker.latex import to_unicode
from tracker.models import Digest, Paper, Status

GROUPS = ("digest", "status")


_STATUS_ORDER = [Status.READING, Status.TO_READ, Status.READ, Status.NEW, Status.SKIPPED]
_STATUS_HEADINGS = {
    Status.READING: "Reading",
    Status.TO_READ: "To read",
    Status.READ: "Read",
    Status.NEW: "Not triaged yet",
    Status.SKIPPED: "Skipped",
}


def safe_line(text: str) -> str:
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
    # arXiv's LaTeX ($\\beta$-VAE) reads as Unicode (β-VAE) in Markdown.
    lines = [f"{'#' * level} {safe_line(to_unicode(paper.title))}", ""]
    meta = [f"- Status: {ann.status.value}"]
    names = _digest_names(paper, digests)
    if names:
        meta.append(f"- Digests: {names}")
    if ann.tags:
        meta.append(f"- Tags: {', '.join(safe_line(t) for t in ann.tags)}")
    if paper.url:
        meta.append(f"- Link: <{paper.url}>")
    meta.append(f"- Id: `{paper.id}`")
    lines += meta
    if abstracts and paper.abstract:
        lines += ["", "> " + safe_line(to_unicode(paper.abstract)).lstrip("\\")]
    if ann.note.strip():
        # The note's own headings go below the paper's: a note that starts with
        # "# Summary" must not become a section beside the digests.
        lines += ["", shift_headings(ann.note.strip("\n"), level)]
        fence = open_fence(ann.note.split("\n"))
        if fence:
            # A code block the note leaves open would swallow every paper
            # after it in the one-file export; close it here.
            lines.append(fence)
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
    head = [f"# {title}", "", f"{len(items)} paper{'s' if len(items) != 1 else ''}."]
    if groups:
        head += ["", "## Contents", ""]
    toc_at = len(head)
    lines = head + [""] * len(groups)  # the contents, filled in below
    group_lines: list[int] = []
    for name, members in groups.items():
        lines.append("")
        group_lines.append(len(lines))
        lines.append(f"## {safe_line(name)}")
        for item in members:
            lines.append("")
            lines += _paper_block(item, by_id, abstracts=abstracts, level=3).split("\n")
    # An anchor is only known once every heading before it is (a repeated
    # heading text gets -1, -2, ...), the headings in notes included.
    anchors = heading_anchors(lines)
    for number, (name, members) in enumerate(groups.items()):
        anchor = anchors[group_lines[number]]
        lines[toc_at + number] = f"- [{_link_text(name)}](#{anchor}) ({len(members)})"
    return "\n".join(lines) + "\n"


def _link_text(text: str) -> str:
    return re.sub(r"([\\\[\]])", r"\\\1", safe_line(text))


_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_NOT_PARAGRAPH = re.compile(r"^ {0,3}(?:[-+*>]|\d+[.)]|#|\||```|~~~)|^\s*$|^ {4}")
_QUOTE = re.compile(r"^(?: {0,3}> ?)+")
_THEMATIC_BREAK = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_LIST_ITEM = re.compile(r"^ {0,3}(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)")
_BLOCK_START = re.compile(r"^ {0,3}(?:[-+*>]\s|\d+[.)]\s|#|```|~~~)")


def _fence_step(fence: str, line: str) -> tuple[str, bool]:
    """The open fence after ``line`` and whether ``line`` is inside or on a fence."""
    match = _FENCE.match(line)
    if not fence:
        return (match.group(1), True) if match else ("", False)
    closing = (
        match is not None
        and match.group(1)[0] == fence[0]
        and len(match.group(1)) >= len(fence)
        and not line[match.end() :].strip()
    )
    return ("" if closing else fence), True


MAX_LEVEL = 6
"""The deepest Markdown heading; a note's headings shifted further stay at this level."""


def shift_headings(text: str, by: int) -> str:
    """``text`` with every heading ``by`` levels deeper (at most level 6).

    ATX headings (``## x``) get more ``#``; setext headings (a line underlined
    with ``===`` or ``---``) become ATX headings, since they have only two
    levels. Fenced code is left alone, headings inside block quotes keep their
    ``>``. Everything else is the note verbatim.
    """
    out: list[str] = []
    fence = ""
    paragraph: list[str] = []  # the paragraph just before, which an underline makes a heading
    paragraph_prefix = ""
    lazy = False
    for raw in text.split("\n"):
        quote = _QUOTE.match(raw)
        prefix = quote.group() if quote else ""
        line = raw[len(prefix) :]
        if prefix.replace(" ", "") != paragraph_prefix.replace(" ", ""):
            # Another quote depth: not the same paragraph. Text right after a
            # quoted paragraph continues it (lazily) until a blank line.
            lazy = lazy or (bool(paragraph) and len(prefix) < len(paragraph_prefix))
            paragraph = []
        paragraph_prefix = prefix
        fence, code = _fence_step(fence, line)
        atx = None if code else _ATX.match(line)
        setext = None if code or atx else _SETEXT.match(line)
        if atx:
            level = min(len(atx.group(1)) + by, MAX_LEVEL)
            out.append(f"{prefix}{'#' * level} {atx.group(2) or ''}".rstrip())
        elif setext and paragraph:
            level = min((1 if setext.group(1)[0] == "=" else 2) + by, MAX_LEVEL)
            del out[-len(paragraph) :]
            out.append(f"{prefix}{'#' * level} {' '.join(p.strip() for p in paragraph)}")
        else:
            out.append(raw)
            if code or not line.strip() or _THEMATIC_BREAK.match(line):
                paragraph, lazy = [], False
            elif _LIST_ITEM.match(line):
                # Lines after a list item continue it (lazily) until a blank line:
                # an underline there is no heading.
                paragraph, lazy = [], True
            elif paragraph:  # a continuation line, unless another block starts here
                paragraph = [] if _BLOCK_START.match(line) else [*paragraph, line]
            elif not lazy:
                paragraph = [] if _NOT_PARAGRAPH.match(line) else [line]
            continue
        paragraph, lazy = [], False
    return "\n".join(out)


def open_fence(lines: Sequence[str]) -> str:
    """The fence (```` ``` ```` or ``~~~``) still open at the end of ``lines``, or ''."""
    fence = ""
    for raw in lines:
        fence, _ = _fence_step(fence, _QUOTE.sub("", raw))
    return fence


def _headings(lines: Sequence[str]) -> Iterator[tuple[int, str]]:
    """(line number, text) of the Markdown headings, skipping fenced code.

    ATX (``## x``) and setext (a line underlined with ``===`` or ``---``)
    headings count, also inside block quotes, as GitHub counts them.
    """
    fence = ""
    previous = ""
    for number, raw in enumerate(lines):
        line = _QUOTE.sub("", raw)
        fence, code = _fence_step(fence, line)
        if code:
            previous = ""
            continue
        atx = _ATX.match(line)
        if atx:
            yield number, atx.group(2) or ""
            previous = ""
            continue
        if _SETEXT.match(line) and previous and not _NOT_PARAGRAPH.match(previous):
            yield number - 1, previous.strip()
            previous = ""
            continue
        previous = line


def slug(text: str) -> str:
    """GitHub's anchor for a heading text: lower case, punctuation dropped, spaces to hyphens.

    The same anchors work in GitLab, VS Code, pandoc (gfm) and most static
    site generators.
    """
    kept = "".join(c for c in text.lower() if c in "-_ " or unicodedata.category(c)[0] in "LNM")
    return kept.replace(" ", "-")


def heading_anchors(lines: Sequence[str]) -> dict[int, str]:
    """Line number → anchor of every heading, with -1, -2 … for repeated texts."""
    seen: set[str] = set()
    anchors: dict[int, str] = {}
    for number, text in _headings(lines):
        base = slug(text)
        anchor, n = base, 0
        while anchor in seen:
            n += 1
            anchor = f"{base}-{n}"
        seen.add(anchor)
        anchors[number] = anchor
    return anchors
