"""Pages saved as HTML: turned into the Markdown the page reader knows.

A page saved from the browser (``huggingface.co/papers``, an arXiv listing, a
newsletter a bot renders to HTML) is rewritten as the Markdown a converter
would make of it: ``<h3>`` becomes ``###``, ``<a href>`` a ``[text](url)``
link, ``<strong>`` ``**bold**``, ``<li>`` a bullet, block elements new lines,
and scripts, styles, SVG and images go. :mod:`tracker.sources.page` (or the
arXiv reader, for an arXiv listing) then reads that text, so a saved page
gives the same papers as its Markdown copy.

Only the standard library's :mod:`html.parser`; no network (a page's images
and scripts are never fetched). Line numbers in warnings are those of the
Markdown, which follows the page's order.

Pure: no I/O.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from tracker.sources import fields, markup
from tracker.sources.patterns import lazy

__all__ = ["html_blocks_to_markdown", "looks_like_html", "to_markdown"]

_DOCTYPE = lazy(
    r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S
)
_TAG_LINE = lazy(r"\s*</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")
_SKIP = frozenset(
    {"script", "style", "noscript", "svg", "template", "iframe", "select", "math", "canvas"}
)
_BLOCK = frozenset(
    {
        "p", "div", "section", "article", "header", "footer", "main", "nav", "aside", "ul",
        "ol", "li", "tr", "table", "thead", "tbody", "blockquote", "pre", "dl", "dt", "dd",
        "figure", "figcaption", "form", "details", "summary", "body", "hr", "br",
        "h1", "h2", "h3", "h4", "h5", "h6",
    }
)  # fmt: skip
# After these a blank line: they end a paragraph, not just a line.
_PARAGRAPH = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "article", "section", "blockquote", "hr", "dd"}
)
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_TABLE_PARTS = frozenset({"tr", "table", "thead", "tbody", "tfoot"})
_SPACE = lazy(r"\s+")
# What would make a line of text a Markdown heading.
_HASHES = lazy(r"#{1,6}(?:\s|$)")


def looks_like_html(text: str) -> bool:
    """A saved page (``<!DOCTYPE html>``, ``<html>``) or a fragment made of tags.

    Markdown may hold some HTML (a centred ``<div>`` at the top of a README):
    a fragment counts only when most of its lines are tags.
    """
    head = text[:2000]
    if _DOCTYPE.match(head):
        return True
    if not head.lstrip().startswith("<"):
        return False
    lines = [line for line in text[:20000].split("\n") if line.strip()]
    tagged = sum(1 for line in lines if _TAG_LINE.match(line))
    return len(lines) >= 3 and tagged * 10 >= len(lines) * 6


class _Markdown(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.buffer: list[str] = []
        self.prefix = ""
        self.skip = 0
        self.in_title = False
        self.title: list[str] = []
        self.links: list[tuple[str, int]] = []  # open <a href>: (href, where its text starts)
        self.cells = 0  # cells of the table row being read
        self.header_cells = 0  # of them, header cells (<th>)
        self.pre = 0

    # -- lines ---------------------------------------------------------------------------
    def _flush(self, paragraph: bool = False) -> None:
        if self.links:
            self.buffer.append(" ")  # a block inside a link: the link stays on one line
            return
        text = "".join(self.buffer)
        text = text.strip() if self.pre else _SPACE.sub(" ", text).strip()
        if _HASHES.match(text) and not self.prefix.startswith("#"):
            # "# 論文摘要翻譯" as a div's text: HTML shows the hash, it heads nothing.
            text = "\\" + text
        if text:
            self.lines.append(self.prefix + text)
        self.buffer = []
        self.prefix = ""
        if paragraph and self.lines and self.lines[-1]:
            self.lines.append("")

    # -- parser events ---------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title" and not self.title and not self.skip:
            self.in_title = True
            return
        if self.skip or tag in _SKIP:
            if tag in _SKIP:
                self.skip += 1
            return
        if tag in _HEADINGS:
            self._flush(paragraph=True)
            self.prefix = "#" * _HEADINGS[tag] + " "
            if self.links:  # <a><h3>Title</h3></a>: the heading mark goes before the link
                self.lines.append("")
        elif tag == "li":
            self._flush()
            self.prefix = self.prefix or "- "
        elif tag in _BLOCK:
            if tag in _TABLE_PARTS:
                self._end_row()  # the previous row's </tr> was left out
            self._flush(paragraph=tag in _PARAGRAPH)
            if tag == "pre":
                self.pre += 1
        elif tag == "a":
            href = dict(attrs).get("href") or ""
            self.links.append((href, len(self.buffer)))
        elif tag in ("strong", "b"):
            self.buffer.append("**")
        elif tag in ("td", "th"):
            # A table row becomes a Markdown row ("| 1 | [Title](…) |"), its header row
            # followed by the separator row that makes it a Markdown table.
            self.buffer.append(" | ")
            self.cells += 1
            self.header_cells += tag == "th"
        for name, value in attrs:
            # <button data-arxiv-id="2508.18673v2">: the paper's id, given only as an attribute.
            if value and "arxiv" in name.lower() and (pid := fields.arxiv_id(value)):
                self.buffer.append(f" arXiv:{pid} ")

    def _end_row(self) -> None:
        cells, header = self.cells, self.header_cells
        self.cells = self.header_cells = 0
        if not cells or self.links:
            return
        self.buffer.append(" |")
        self._flush()
        if header == cells:
            self.lines.append("|" + "---|" * cells)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "hr") and not self.skip:
            self._flush(paragraph=tag == "hr")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self.in_title:
            self.in_title = False
            return
        if self.skip:
            if tag in _SKIP:
                self.skip -= 1
            return
        if tag == "a" and self.links:
            href, start = self.links.pop()
            text = _SPACE.sub(" ", "".join(self.buffer[start:])).strip()
            del self.buffer[start:]
            if text and text != "**" * (len(text) // 2) and href and not href.startswith("#"):
                text = markup.escape_brackets(text)
                self.buffer.append(f"[{text}]({href.replace(' ', '%20')})")
            elif text:
                self.buffer.append(text)
        elif tag in ("strong", "b"):
            self.buffer.append("**")
        elif tag in _TABLE_PARTS:
            self._end_row()
            self._flush()
        elif tag in _BLOCK:
            self._flush(paragraph=tag in _PARAGRAPH)
            if tag == "pre" and self.pre:
                self.pre -= 1

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
            return
        if not self.skip:
            self.buffer.append(data)


def to_markdown(text: str) -> str:
    """The page as Markdown lines; its ``<title>`` first, as a line of its own."""
    parser = _Markdown()
    # Escapes go before links are rewritten: "ESC [2J" in a link's text must not
    # become "ESC (2J" that no longer reads as one.
    parser.feed(markup.strip_controls(text))
    parser.close()
    parser.links.clear()
    parser._flush()
    lines = parser.lines
    title = _SPACE.sub(" ", "".join(parser.title)).strip()
    if any(c.isdigit() for c in title):  # kept only for the day it may name
        lines = [title, "", *lines]
    # "** text**" from <strong> around spaces: Markdown wants the marks on the words.
    return "\n".join(re.sub(r"\*\*\s+\*\*", " ", line) for line in lines) + "\n"


# HTML blocks inside Markdown, as CommonMark delimits them: a line that opens (or
# closes) a block-level tag starts one, which ends at the next blank line; a
# <script>, <style>, <pre> or <textarea> block and a comment run to their end.
_BLOCK_TAGS = (
    "address|article|aside|blockquote|body|caption|center|col|colgroup|dd|details|dialog|dir"
    "|div|dl|dt|fieldset|figcaption|figure|footer|form|h[1-6]|head|header|hr|html|iframe"
    "|legend|li|link|main|menu|nav|ol|optgroup|option|p|section|summary|table|tbody|td|tfoot"
    "|th|thead|title|tr|ul"
)
_BLOCK_START = lazy(rf" {{0,3}}</?(?:{_BLOCK_TAGS})(?:[\s/>]|$)", re.IGNORECASE)
_RAW_START = lazy(r" {0,3}(?:<(script|pre|style|textarea)(?:[\s>]|$)|<!--)", re.IGNORECASE)
_NESTING = "div|section|article|main|aside|details|blockquote|ul|ol|table|nav|header|footer"
_OPENS = lazy(rf"<(?:{_NESTING})(?=[\s>])", re.IGNORECASE)
_CLOSES = lazy(rf"</(?:{_NESTING})\s*>", re.IGNORECASE)
_ANY_BLOCK = lazy(
    rf"^ {{0,3}}(?:</?(?:{_BLOCK_TAGS})(?:[\s/>]|$)|<(?:script|pre|style|textarea)\b|<!--)",
    re.IGNORECASE | re.MULTILINE,
)


def html_blocks_to_markdown(text: str) -> str:
    """Markdown whose HTML blocks (a ``<table>``, a ``<details>``, …) are turned into Markdown.

    A README or a site's page written in Markdown often holds HTML: its tables,
    headings and link lists are read as the Markdown they stand for, never as
    text. Each block keeps its place; it is padded with blank lines to the
    number of lines it had, so that the lines after it keep their numbers.
    """
    if "<" not in text or _ANY_BLOCK.search(text) is None:
        return text
    lines = text.split("\n")
    out: list[str] = []
    index = 0
    depth = 0  # block elements the HTML blocks so far opened and did not close
    while index < len(lines):
        line = lines[index]
        raw = _RAW_START.match(line)
        # Inside an element an earlier block opened (a card's <div> over blank lines), an
        # indented tag goes on with it, as Jekyll's kramdown reads it; elsewhere CommonMark
        # makes an indented line code.
        inside = depth > 0 and _BLOCK_START.match(line.lstrip()) is not None
        if raw is None and not _BLOCK_START.match(line) and not inside:
            out.append(line)
            index += 1
            continue
        end = _block_end(lines, index, raw)
        block = "\n".join(lines[index:end])
        depth = max(0, depth + len(_OPENS.findall(block)) - len(_CLOSES.findall(block)))
        converted = _fragment(lines[index:end])
        out.extend(converted)
        out.extend([""] * (end - index - len(converted)))
        index = end
    return "\n".join(out)


def _block_end(lines: list[str], start: int, raw: re.Match[str] | None) -> int:
    if raw is not None:
        closing = f"</{raw.group(1).lower()}>" if raw.group(1) else "-->"
        for index in range(start, len(lines)):
            if closing in lines[index].lower():
                return index + 1
        return len(lines)
    for index in range(start + 1, len(lines)):
        if not lines[index].strip():
            return index
    return len(lines)


def _fragment(lines: list[str]) -> list[str]:
    """One HTML block as Markdown lines (no page title: a fragment has none)."""
    parser = _Markdown()
    parser.feed(markup.strip_controls("\n".join(lines)))
    parser.close()
    parser.links.clear()
    parser._end_row()
    parser._flush()
    while parser.lines and not parser.lines[-1]:
        parser.lines.pop()
    return [re.sub(r"\*\*\s+\*\*", " ", line) for line in parser.lines]
