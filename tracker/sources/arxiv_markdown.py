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


def normalize(text: str) -> str | None:
    """The listing as the arXiv reader's text form; None when it has no Markdown entry."""
    if not _MARKDOWN_ENTRY.search(text) and (
        # A word "Title" alone in an e-mail's abstract is not a label to join
        # with the line below (found by Hypothesis: the abstract "TITLE").
        _TITLE_WITH_VALUE.search(text) or not _TITLE_ALONE.search(text)
    ):
        return None
    lines = [_plain(line) for line in text.split("\n")]
    out = list(lines)
    index = 0
    while index < len(lines):
        label = _LABEL_ONLY.fullmatch(lines[index].strip())
        if label is None:
            index += 1
            continue
        # A label alone: its value is the next non-blank lines, up to a blank line.
        value: list[str] = []
        nxt = index + 1
        while nxt < len(lines) and not lines[nxt].strip() and nxt - index <= 2:
            nxt += 1
        while nxt < len(lines) and lines[nxt].strip() and not _starts_field(lines[nxt]):
            value.append(lines[nxt].strip())
            out[nxt] = ""
            nxt += 1
        name = label.group("name")
        out[index] = f"{name[:1].upper()}{name[1:].lower()}: {' '.join(value)}"
        index = nxt
    _gather_entry_lines(out)
    # The author links under the title carry no label on the page.
    for index, line in enumerate(out):
        if not line.lstrip().lower().startswith("title:"):
            continue
        for nxt in range(index + 1, min(index + 8, len(out))):
            candidate = out[nxt].strip()
            if not candidate:
                continue
            if not _starts_field(candidate) and _names(candidate):
                out[nxt] = "Authors: " + candidate
            break
    return "\n".join(out)


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
