"""A page's lines: each knows its links, its paper ids and its decoration.

Links are found over the whole text first (a link's text may run over
several lines: a wrapped title, a whole abstract inside a card's link), then
the text is cut into lines, each link standing in its line as one
placeholder character. A line records what it says (links by their text,
Markdown decoration removed), whether it is a heading (and of which level), a
bullet or a table row, and the paper ids it carries (link targets, bare
URLs, ``arXiv:ID``).

Pure: no I/O. Linear in the size of the text.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from tracker.sources import fields, markup
from tracker.sources.page.shapes import ALT_TEXT, BARE_URL, NUMBERING, TITLE_MAX, known_field

# An Obsidian (wiki) link to the note of a paper named by its id: "[[2607.18597]]",
# "[[2607.18597|SAFE]]". The id is the paper's as surely as in an arxiv.org link.
WIKI_ID = re.compile(rf"\[\[({fields.ARXIV_ID})(?:v\d+)?(?:\|([^\[\]|\n]{{1,200}}))?\]\]")


def wiki_ids_as_links(line: str) -> str:
    """``[[ID]]`` / ``[[ID|text]]`` as the Markdown link to the paper it names."""
    if "[[" not in line:
        return line
    return WIKI_ID.sub(
        lambda m: (
            f"[{markup.escape_brackets(m.group(2) or m.group(1))}]({fields.arxiv_url(m.group(1))})"
        ),
        line,
    )


ARXIV_TEXT = re.compile(rf"\barxiv\s*:\s*({fields.ARXIV_ID})(?:v\d+)?\b", re.IGNORECASE)
# A field that names the paper by its bare id: "**论文ID:** 2508.03694v1", "Paper ID: 2508.03694",
# "arXiv ID：2508.03694" (a report written by a bot, with no link anywhere). A new-style
# id only: a bare "hep-th/9901001" after "ID:" could be anything's identifier.
LABELLED_ID = re.compile(
    r"(?<![A-Za-z])ID\s*[*_]{0,2}\s*[:：]\s*[*_]{0,2}\s*(\d{4}\.\d{4,5})(?:v\d+)?(?![\d.])"
)

# A page named by the paper's id and a slug of its title ("…/2601.05184-observations-….md"),
# or by the id alone: a folder or file of a site's own page of it ("../paper/2602.22897/index.html").
ID_SLUG = re.compile(
    r"(?:^|[/#])(\d{4}\.\d{4,5})(?:v\d+)?(?:-(?=[a-z0-9])|/|\.(?:html?|md)(?=$|[?#]))",
    re.IGNORECASE,
)
# "[2607.23802 — Title](2026-08-03/2607.23802.md)": the id in the link text.
ID_TITLE = re.compile(
    rf"(?:arxiv\s*:\s*)?({fields.ARXIV_ID})(?:v\d+)?\s*(?:[—–|:]|\s-)\s*(?P<title>\S.*)", re.I
)

PLACE = "\x00"  # stands for a link inside a line (control characters are gone by then)
HEADING = re.compile(r"(#{1,6})(?:\s+|$)")
# "--- 1. Title ---": a plain-text card separator, a heading above all Markdown ones.
RULE_TITLE = re.compile(r"[-=~*]{2,}\s+(\S.*?\S)\s+[-=~*]{2,}")
RULE = re.compile(r"[-=_*~\s]{3,}")
BULLET = re.compile(r"(?:[-*+•◦▪‣]|\d{1,3}[.)])\s+")
QUOTE = re.compile(r"(?:>\s?)+")
LINK_DECOR = re.compile(r"[\s#>*_\-+•|·,;:/()\[\]]+")


@dataclass(slots=True)
class Line:
    no: int  # 1-based number of the line it starts on
    raw: str  # the line with each link replaced by PLACE
    links: list[markup.Link]
    text: str = ""  # what the line says: links as their text, decoration removed
    heading: int = 0  # 1-6 for Markdown headings, 0 for a "--- x ---" rule title, -1 none
    bullet: bool = False
    table: bool = False
    link_only: bool = False  # nothing on the line but links and decoration
    outside: str = ""  # its words outside its links ("📄 … CV": "📄 CV"), decoration dropped
    ids: list[str] = field(default_factory=list)  # paper ids of its links, bare URLs, arXiv:IDs
    blank: bool = False


def build_lines(text: str, refs: markup.References) -> list[Line]:
    links = markup.find_links(text, refs)
    out: list[Line] = []
    parts: list[str] = []
    line_links: list[markup.Link] = []
    no = start_no = 1
    pos = 0

    def finish() -> None:
        out.append(decorate(Line(start_no, "".join(parts), list(line_links))))
        parts.clear()
        line_links.clear()

    for link in [*links, None]:
        end = link.start if link is not None else len(text)
        segment = text[pos:end]
        pieces = segment.split("\n")
        parts.append(pieces[0])
        for piece in pieces[1:]:
            finish()
            no += 1
            start_no = no
            parts.append(piece)
        if link is None:
            break
        parts.append(PLACE)
        line_links.append(link)
        no += text.count("\n", link.start, link.end)
        pos = link.end
    finish()
    return join_split_headings(join_wrapped_emphasis(join_wrapped_table_rows(out)))


def join_wrapped_table_rows(lines: list[Line]) -> list[Line]:
    """A table row its writer wrapped inside a cell, onto an indented line.

    ``| Game-TARS: … for Scalable Generalist`` then ``  Multimodal Game Agents
    (…)| | summary |``: in a table, a line that opens a row without closing
    it, followed by indented lines up to one that closes it, is one row.
    Read apart, neither line is a table line, and the table ends there.
    """
    return _joined(
        lines,
        lambda index, out: (
            _wrapped_row(lines, index) if out and out[-1].table and not lines[index].table else None
        ),
    )


def _joined(
    lines: list[Line], joined_at: Callable[[int, list[Line]], tuple[Line, int] | None]
) -> list[Line]:
    """``lines`` with each run that ``joined_at(index, lines kept so far)`` joins as one line.

    ``joined_at`` gives the joined line and the number of lines it took, or None.
    """
    out: list[Line] = []
    index = 0
    while index < len(lines):
        joined = joined_at(index, out)
        if joined is None:
            out.append(lines[index])
            index += 1
            continue
        whole, used = joined
        out.append(whole)
        index += used
    return out


def _wrapped_row(lines: list[Line], index: int) -> tuple[Line, int] | None:
    """The row that starts at ``lines[index]`` and the number of lines it takes."""
    first = lines[index]
    if not first.raw.lstrip().startswith("|") or first.raw.rstrip().endswith("|"):
        return None
    raw, links = first.raw.rstrip(), list(first.links)
    for used in range(1, 4):
        if index + used >= len(lines):
            return None
        cur = lines[index + used]
        if cur.blank or cur.raw[:1] not in (" ", "\t") or cur.heading >= 0 or cur.table:
            return None
        raw = f"{raw} {cur.raw.strip()}"
        links.extend(cur.links)
        if cur.raw.rstrip().endswith("|"):
            row = decorate(Line(first.no, raw, links))
            return (row, used + 1) if row.table else None
    return None


_STRONG_MARKS = ("**", "__")
_EMPHASIS_LINES = 3  # a bold title wrapped further than this is no title


def join_wrapped_emphasis(lines: list[Line]) -> list[Line]:
    """A bold span its writer wrapped onto the next lines is one line.

    ``5. **StereoPilot: … via`` then ``   Generative Priors** - 👍 31``:
    converters such as pandoc wrap a list item at 72 columns, bold title and
    all. Emphasis spans soft line breaks in Markdown (never a blank line), so
    a line that opens ``**`` without closing it, followed by lines of the
    same paragraph (not blank, not a heading, list item or table row) up to
    one that closes it, is one line. Read apart, neither half is a bold line.
    """
    return _joined(lines, lambda index, _out: _wrapped_emphasis(lines, index))


def _wrapped_emphasis(lines: list[Line], index: int) -> tuple[Line, int] | None:
    """The line that starts at ``lines[index]`` with a bold span left open, and its length."""
    first = lines[index]
    mark = next((m for m in _STRONG_MARKS if first.raw.count(m) % 2), None)
    if mark is None or first.table or first.blank:
        return None
    raw, links = first.raw.rstrip(), list(first.links)
    for used in range(1, _EMPHASIS_LINES + 1):
        if index + used >= len(lines):
            return None
        cur = lines[index + used]
        if cur.blank or cur.heading >= 0 or cur.bullet or cur.table:
            return None
        raw = f"{raw} {cur.raw.strip()}"
        links.extend(cur.links)
        if cur.raw.count(mark) % 2:
            return decorate(Line(first.no, raw, links)), used + 1
    return None


def join_split_headings(lines: list[Line]) -> list[Line]:
    """A title wrapped over two heading lines (``### … Serving with`` / ``### PagedAttention``).

    Two headings of one level on consecutive lines are one heading when the
    first does not end a sentence: Markdown has no other way to wrap one. Not
    when each links a paper of its own (``### **[Title](abs/1)**`` then
    ``### **[Title](abs/2)**``: a list of papers, one per heading line).
    """
    for prev, cur in itertools.pairwise(lines):
        wrapped = (
            # "### SmolDocling: … for end-to-end" then "  multi-modal document conversion"
            cur.heading < 0
            and not cur.blank
            and not cur.bullet
            and cur.raw[:1] in (" ", "\t")
            and len(cur.text) < 120
            and not cur.text.endswith((".", "。"))
        )
        if (
            prev.heading > 0
            and (cur.heading == prev.heading or wrapped)
            and not prev.blank
            and cur.no == prev.no + 1
            and prev.text
            and cur.text
            and not prev.text.endswith((".", "!", "?", ":", "。"))
            and known_field(cur.text) is None  # "### Authors: …" under "### Title": a field
            and len(prev.text) + len(cur.text) < TITLE_MAX
            # Each heading a link to a paper of its own: a list of papers, not one title.
            and not (prev.ids and cur.ids and not set(cur.ids) & set(prev.ids))
        ):
            prev.links.extend(cur.links)
            prev.ids.extend(pid for pid in cur.ids if pid not in prev.ids)
            prev.text = f"{prev.text} {cur.text}"
            prev.link_only = prev.link_only and cur.link_only
            prev.raw = f"{prev.raw} {cur.raw.lstrip('# ')}"
            cur.blank, cur.heading, cur.text, cur.links, cur.ids = True, -1, "", [], []
            cur.no = prev.no  # a blank line that is part of the heading above
    return lines


def decorate(line: Line) -> Line:
    raw = line.raw.strip()
    if not raw:
        line.blank = True
        line.heading = -1
        return line
    line.heading = -1
    body = raw
    if body.startswith(">"):
        body = body[QUOTE.match(body).end() :]  # type: ignore[union-attr]
    m = HEADING.match(body)
    if m:
        line.heading = len(m.group(1))
        body = body[m.end() :].rstrip().rstrip("#").rstrip()
    else:
        r = RULE_TITLE.fullmatch(body)
        if r and PLACE not in body[: r.start(1)]:
            line.heading = 0
            body = r.group(1)
    if body.startswith("|") and body.endswith("|") and body.count("|") >= 3:
        line.table = True
    m = BULLET.match(body)
    if m and line.heading < 0:
        line.bullet = True
        body = body[m.end() :]
    elif line.heading >= 0:
        m = NUMBERING.match(body)  # "### 1. [Title](…)"
        if m and PLACE in body[m.end() : m.end() + 2]:
            body = body[m.end() :]
    if line.links:
        line.outside = " ".join(LINK_DECOR.sub(" ", body.replace(PLACE, " ")).split())
        line.link_only = not line.outside
    # The text: each link by its words (images by nothing); the markup around them as
    # what it shows (link texts are shown text already: not read a second time).
    shown = body.count(PLACE)
    if shown:
        pieces = body.split(PLACE)
        words = [markup.inline_text(pieces[0])]
        for link, piece in zip(line.links[len(line.links) - shown :], pieces[1:], strict=True):
            words.append("" if link.image else link.text)
            words.append(markup.inline_text(piece))
        body = "".join(words)
    else:
        body = markup.inline_text(body)
    line.text = " ".join(body.split())
    ids: list[str] = []
    for link in line.links:
        # A thumbnail linking to the paper is no evidence of where its card is.
        said = ALT_TEXT.sub("", link.text) if link.text.startswith("[") else link.text
        pid = None if link.image or not said else link_id(link)[0]
        if pid and pid not in ids:
            ids.append(pid)
    plain = line.raw
    if "://" in plain or "www." in plain:
        for url in BARE_URL.findall(plain):
            pid = markup.paper_id(url)
            if pid and pid not in ids:
                ids.append(pid)
    if "xiv" in plain.lower():  # arXiv:ID, ARXIV:ID, arxiv : ID
        for m2 in ARXIV_TEXT.finditer(plain):
            if m2.group(1) not in ids:
                ids.append(m2.group(1))
    if "ID" in plain:
        for m3 in LABELLED_ID.finditer(plain):
            if m3.group(1) not in ids:
                ids.append(m3.group(1))
    line.ids = ids
    return line


def link_id(link: markup.Link) -> tuple[str | None, str]:
    """The paper id of a link and its text as a title candidate.

    The id is in the URL (``/papers/ID``), leads the text (``ID — Title``,
    the title is then the rest of the text), or names the page the link goes
    to (an archive's own page of the paper: ``/cs/ai/2601.05184-observations-….md``,
    ``#/201706/12/1706.03762v1-attention-is-all-you-need``).
    """
    pid = link.paper_id
    if pid is not None:
        return pid, link.text
    m = ID_TITLE.fullmatch(link.text)
    if m:
        return m.group(1), m.group("title")
    m = ID_SLUG.search(link.url) if link.url else None
    if m:
        return m.group(1), link.text
    return None, link.text


def without_links(line: Line) -> str:
    """The line without its links: ``Mar 8, 2024 [ 6][39]`` (a comment count),
    ``[[org] Kandinsky Lab](…) · Published on Oct 4, 2026`` (an organisation badge)."""
    return " ".join(line.raw.replace(PLACE, " ").split())
