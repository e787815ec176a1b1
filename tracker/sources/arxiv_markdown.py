"""arXiv listings in their Markdown and HTML-converted forms, made plain for the arXiv reader.

A listing page (``arxiv.org/list/cs.CL/new``) run through a Markdown
converter or saved as HTML looks like this::

    [1] [arXiv:2610.08778](https://arxiv.org/abs/2610.08778) [[pdf](…), [html](…)]

    **Title:**
    Differential Transformer

    [Tianzhu Ye](https://arxiv.org/a/ye_t_1), [Li Dong](https://arxiv.org/a/dong_l_1)

    Comments:
    32 pages, 6 figures

    Subjects:
    Computation and Language (cs.CL)

:func:`normalize` rewrites it line for line into the text form
:mod:`tracker.sources.arxiv_listing` reads (``arXiv:ID``, ``Title: …`` on one
line, ``Authors: …``): links become their text, emphasis, bullets and heading
marks go, a label alone on its line takes the value below it, and the
unlabelled line of author links after the title gets its ``Authors:`` label.
Line numbers stay those of the file (a moved value leaves a blank line).

Some converters put no blank line between the fields (the title, then the
author links on the very next line): a title ends where a line of links to
arXiv author pages begins, and the subjects where a line names no arXiv
category (the abstract, when it follows them at once).

Pure: no I/O.
"""

from __future__ import annotations

import re

from tracker.sources import markup
from tracker.sources.patterns import lazy

__all__ = ["normalize"]

_LINK = lazy(r"\[([^\[\]]*)\](?:\([^()\s]*(?:\s+\"[^\"]*\")?\)|\[[^\[\]]*\])")
_DECOR = lazy(r"^\s*(?:(?:>\s*)+|#{1,6}\s+|[-*+]\s+)+")
_EMPHASIS = lazy(r"\*\*|__")
_LABEL_ONLY = lazy(
    r"(?P<name>title|authors?|comments|subjects|journal-ref|doi|categories|report-no)\s*:?",
    re.IGNORECASE,
)
_LABELLED = lazy(
    r"(?:title|authors?|comments|subjects|journal-ref|doi|categories|report-no|abstract)\s*:",
    re.IGNORECASE,
)
_ENTRY = lazy(r"(?:\[\d{1,6}\]\s*)?arxiv:\s*\S", re.IGNORECASE)
_ENTRY_ALONE = lazy(r"\s*arxiv:\s*\S+\s*$", re.IGNORECASE)
_NUMBER_ALONE = lazy(r"\s*\[\d{1,6}\]\s*")
_LINKS_ALONE = lazy(r"\s*\[(?:pdf|ps|html|other)\b[^\]]*\]\s*", re.IGNORECASE)
_TITLE_ALONE = lazy(r"^[ \t>#*-]*\**title\**\s*:?\s*\**\s*$", re.IGNORECASE | re.MULTILINE)
_MARKDOWN_ENTRY = lazy(r"\[arxiv:\s*[^\]]+\]\(", re.IGNORECASE)
# "Title: value" on one line: the text form already (an e-mail, a plain copy).
_TITLE_WITH_VALUE = lazy(r"^[ \t]*title[ \t]*:[ \t]*\S", re.IGNORECASE | re.MULTILINE)
# A link to an arXiv author's page, as listings link each author: "/a/lima_a_1",
# "/search/cs?searchtype=author&query=Lima,+A", the old "/find/cs/1/au:+Lima_A/0/1/0/all/0/1".
_AUTHOR_LINK = lazy(
    r"\[[^\[\]]+\]\([^()\s]*?(?:/a/[^()\s/?#]+/?|searchtype=author[^()\s]*|/find/[^()\s]*au:[^()\s]*)"
    r"(?:\s+\"[^\"]*\")?\)",
    re.IGNORECASE,
)
# What stands between the author links of a listing: commas, "and", "et al.".
_BETWEEN_AUTHORS = lazy(r"(?:[\s,;&]|\band\b|\bet\s+al\b\.?)*", re.IGNORECASE)
# An arXiv category as the Subjects field names it: "(cs.CL)", "(quant-ph)".
_CATEGORY = lazy(
    r"\((?:[a-z][a-z-]*\.[A-Za-z][A-Za-z-]*|gr-qc|hep-(?:ex|lat|ph|th)|math-ph|nucl-(?:ex|th)|quant-ph)\)"
)
# How far (in lines) below a title its authors may stand.
_AUTHORS_WINDOW = 8


def normalize(text: str) -> str | None:
    """The listing as the arXiv reader's text form; None when it has no Markdown entry."""
    if not _MARKDOWN_ENTRY.search(text) and (
        # A word "Title" alone in an e-mail's abstract is not a label to join
        # with the line below (found by Hypothesis: the abstract "TITLE").
        _TITLE_WITH_VALUE.search(text) or not _TITLE_ALONE.search(text)
    ):
        return None
    raw = text.split("\n")
    lines = [_plain(line) for line in raw]
    out = list(lines)
    index = 0
    while index < len(lines):
        label = _LABEL_ONLY.fullmatch(lines[index].strip())
        if label is None:
            index += 1
            continue
        # A label alone: its value is the next non-blank lines, up to a blank line.
        name = label.group("name").lower()
        value: list[str] = []
        nxt = index + 1
        while nxt < len(lines) and not lines[nxt].strip() and nxt - index <= 2:
            nxt += 1
        while (
            nxt < len(lines)
            and lines[nxt].strip()
            and not _ends_value(name, bool(value), lines[nxt], raw[nxt])
        ):
            value.append(lines[nxt].strip())
            out[nxt] = ""
            nxt += 1
        out[index] = f"{name[:1].upper()}{name[1:]}: {' '.join(value)}"
        index = nxt
    _gather_entry_lines(out)
    # The author links under the title carry no label on the page.
    for index, line in enumerate(out):
        if line.lstrip().lower().startswith("title:"):
            _label_authors(out, raw, index)
    return "\n".join(out)


def _ends_value(name: str, started: bool, line: str, raw: str) -> bool:
    """Whether ``line`` (``raw`` in the file) is past the value of the label ``name`` alone
    on its line; ``started``: the value has a line already."""
    if _starts_field(line):
        return True
    if name == "title":
        # Without a blank line between them, the author links would be the title's last words.
        return _author_links(raw)
    if name == "subjects" and started:
        # Subjects are the entry's last field: a line naming no category is its abstract.
        return _CATEGORY.search(line) is None
    return False


def _label_authors(out: list[str], raw: list[str], index: int) -> None:
    """Label the authors under the title on ``out[index]``: the line of author links, else
    the first line below that reads as names.

    Lines right under a title with its value beside the label, before the author
    links, are the title wrapped: they go back onto the title's line.
    """
    wrapped: list[int] = []  # the lines right under the title, no blank line between
    first: int | None = None  # the first line under the title
    for nxt in range(index + 1, min(index + _AUTHORS_WINDOW, len(out))):
        candidate = out[nxt].strip()
        if not candidate:
            continue
        if _starts_field(candidate):
            break
        if _author_links(raw[nxt]):
            if wrapped:
                out[index] = " ".join([out[index].rstrip(), *(out[w].strip() for w in wrapped)])
                for w in wrapped:
                    out[w] = ""
            out[nxt] = "Authors: " + candidate
            return
        if first is None:
            first = nxt
        if nxt - 1 != (wrapped[-1] if wrapped else index):
            break  # after a blank line: no more of the title
        wrapped.append(nxt)
    if first is not None and _names(out[first].strip()):
        out[first] = "Authors: " + out[first].strip()


def _gather_entry_lines(out: list[str]) -> None:
    """``[1]`` / ``arXiv:ID`` / ``[pdf, html, other]`` on three lines: one entry line.

    A converter puts each piece of the listing's ``<dt>`` on a line of its own;
    the arXiv reader knows an entry by its ``[N] arXiv:ID [pdf, …]`` line.
    """
    for index, line in enumerate(out):
        if not _ENTRY_ALONE.match(line):
            continue
        before = _neighbour(out, index, -1)
        if before is not None and _NUMBER_ALONE.fullmatch(out[before]):
            out[index] = f"{out[before].strip()} {line.strip()}"
            out[before] = ""
        after = _neighbour(out, index, +1)
        if after is not None and _LINKS_ALONE.fullmatch(out[after]):
            out[index] = f"{out[index]} {out[after].strip()}"
            out[after] = ""


def _neighbour(out: list[str], index: int, step: int) -> int | None:
    """The nearest non-blank line within two lines of ``index`` in direction ``step``."""
    for other in (index + step, index + 2 * step, index + 3 * step):
        if 0 <= other < len(out) and out[other].strip():
            return other
    return None


def _starts_field(line: str) -> bool:
    line = line.strip()
    return bool(_LABELLED.match(line) or _LABEL_ONLY.fullmatch(line) or _ENTRY.match(line))


def _author_links(line: str) -> bool:
    """Whether ``line`` is nothing but links to arXiv author pages (a listing's authors)."""
    if "<" in line:  # '<a href="/a/lima_a_1">Ana Lima</a>' left as HTML by the converter
        line = markup.html_links_to_markdown(line)
    if "](" not in line:
        return False  # most lines: no pattern run on them
    rest, count = _AUTHOR_LINK.subn("", _EMPHASIS.sub("", line))
    m = _DECOR.match(rest)
    if m:
        rest = rest[m.end() :]
    return count > 0 and _BETWEEN_AUTHORS.fullmatch(rest) is not None


def _names(line: str) -> bool:
    """A line of author names: comma-separated short parts, no sentence."""
    parts = [p.strip() for p in line.replace(" and ", ", ").split(",") if p.strip()]
    return (
        bool(parts)
        and all(1 <= len(p.split()) <= 5 for p in parts)
        and not line.rstrip().endswith(".")
    )


def _plain(line: str) -> str:
    """A line without Markdown: links as their text, no emphasis, bullets or heading marks."""
    if "<" in line:  # '<a id="source-section-3"></a>' anchors of an HTML extraction
        line = markup.html_links_to_markdown(line)
    if "[" in line:
        for _ in range(3):  # "[[pdf](…), [html](…)]": inner links first
            changed = _LINK.sub(r"\1", line)
            if changed == line:
                break
            line = changed
    line = _EMPHASIS.sub("", line)
    m = _DECOR.match(line)
    return line[m.end() :] if m else line
