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

from tracker.sources import markup

__all__ = ["looks_like_html", "to_markdown"]

_DOCTYPE = re.compile(
    r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S
)
_TAG_LINE = re.compile(r"\s*</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")
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
_SPACE = re.compile(r"\s+")


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
        self.pre = 0

    # -- lines ---------------------------------------------------------------------------
    def _flush(self, paragraph: bool = False) -> None:
        if self.links:
            self.buffer.append(" ")  # a block inside a link: the link stays on one line
            return
        text = "".join(self.buffer)
        text = text.strip() if self.pre else _SPACE.sub(" ", text).strip()
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
            self._flush(paragraph=tag in _PARAGRAPH)
            if tag == "pre":
                self.pre += 1
        elif tag == "a":
            href = dict(attrs).get("href") or ""
            self.links.append((href, len(self.buffer)))
        elif tag in ("strong", "b"):
            self.buffer.append("**")
        elif tag in ("td", "th"):
            self.buffer.append(" | ")

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
                text = text.replace("[", "(").replace("]", ")")
                self.buffer.append(f"[{text}]({href.replace(' ', '%20')})")
            elif text:
                self.buffer.append(text)
        elif tag in ("strong", "b"):
            self.buffer.append("**")
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
