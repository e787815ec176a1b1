"""Reading the markup of copied pages: control characters, links and paper ids.

A page copied by a Markdown converter, a text browser or a note-taking app
marks its links in several ways: inline ``[text](url)``, reference-style
``[text][12]`` with ``[12]: url`` further down, lynx's ``[12]text`` with a
numbered list of URLs at the end, bare URLs, HTML ``<a href>``. A link's text
may run over several lines (a wrapped title, or a whole abstract inside the
link of a card). :func:`find_links` finds them all in one pass over the text.

:func:`paper_id` reads the paper id (the arXiv id) from a link to a paper:
``huggingface.co/papers/ID``, ``arxiv.org/abs/ID`` (and ``pdf``, ``html``).

Pure: no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tracker.sources.emphasis import shown_text
from tracker.sources.fields import ARXIV_ID
from tracker.sources.patterns import lazy

__all__ = [
    "Link",
    "escape_brackets",
    "find_links",
    "html_links_to_markdown",
    "inline_text",
    "lynx_to_markdown",
    "paper_id",
    "reference_definitions",
    "strip_controls",
]

# Terminal escape sequences (CSI "ESC [ … letter", OSC "ESC ] … BEL/ST") go as a
# whole, so that no "[2J" is left behind; then every other C0 / C1 control but
# tab and newline.
_ANSI = lazy(r"\x1b(?:\[[0-9;?]{0,32}[ -/]{0,4}[@-~]|\][^\x07\x1b]{0,512}(?:\x07|\x1b\\)?)")
_CONTROL = lazy(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL_NO_BREAKS = lazy(r"[\x00-\x1f\x7f-\x9f]")


def strip_controls(text: str, *, keep_breaks: bool = True) -> str:
    """``text`` without terminal escapes and control characters.

    ``keep_breaks``: newline and tab stay (text of several lines); without it
    they go too (a title, a name), each becoming a space.
    """
    if "\x1b" in text:
        text = _ANSI.sub("", text)
    if keep_breaks:
        return _CONTROL.sub("", text) if _CONTROL.search(text) else text
    if _CONTROL_NO_BREAKS.search(text):
        text = _CONTROL.sub("", text.replace("\n", " ").replace("\t", " ").replace("\r", " "))
    return text


# -- paper ids -----------------------------------------------------------------------------

_PAPER_URL = lazy(
    r"(?:(?:huggingface\.co|hf\.co)/papers/|^/papers/|arxiv\.org/(?:abs|pdf|html)/|^/abs/)"
    rf"({ARXIV_ID})(?:v\d+)?(?:\.pdf)?(?=$|[/?#\s\")>.,;])",
    re.IGNORECASE,
)


def paper_id(url: str) -> str | None:
    """The arXiv id a link to a paper page carries, or None for any other link."""
    m = _PAPER_URL.search(url)
    return m.group(1) if m else None


# -- reference definitions -----------------------------------------------------------------

# Where a reference definition points: a scheme, a path or an anchor ("[12]: https://…",
# "[a]: /papers/ID", "[b]: #top"). '[tgt lang]:". However, …' at the start of a line is a
# wrapped sentence that happens to start with brackets and a colon, not a definition.
# Both text readers use it (text/lines.py too).
REF_DESTINATION = r"<?((?:[A-Za-z][\w+.-]*:|[/#.~]|www\.)\S*?)>?"
_MD_REFDEF = lazy(rf"^ {{0,3}}\[([^\[\]]{{1,200}})\]:\s*{REF_DESTINATION}(?:\s+.*)?$")
_LYNX_REFDEF = lazy(r"^\s*(\d{1,5})\.\s+((?:https?|ftp|file)://\S+)\s*$")


@dataclass(frozen=True, slots=True)
class References:
    """``[key]: url`` definitions (Markdown) and lynx's numbered list of links."""

    markdown: dict[str, str]
    lynx: dict[str, str]
    lines: frozenset[int]  # 0-based indexes of the definition lines (not page text)


def reference_definitions(lines: list[str]) -> References:
    markdown: dict[str, str] = {}
    lynx: dict[str, str] = {}
    where: set[int] = set()
    for index, line in enumerate(lines):
        if len(line) > 2000 or "/" not in line:
            continue
        stripped = line.lstrip()
        if stripped.startswith("["):
            m = _MD_REFDEF.match(line)
            if m:
                markdown.setdefault(m.group(1).strip().casefold(), m.group(2))
                where.add(index)
        elif stripped[:1].isdigit():
            m = _LYNX_REFDEF.match(line)
            if m:
                lynx.setdefault(m.group(1), m.group(2))
                where.add(index)
    return References(markdown, lynx, frozenset(where))


# -- links ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Link:
    """One link of the page: where it is, what it says, where it points."""

    start: int  # offset of its first character ("[" or "!")
    end: int  # offset after its last character
    text: str  # the link text with inner markup reduced to words, whitespace collapsed
    url: str | None  # None: a reference whose definition the copy lacks
    image: bool
    strong: bool = False  # set off in bold: "[**Title**](…)", "**[Title](…)**"

    @property
    def paper_id(self) -> str | None:
        return paper_id(self.url) if self.url else None


_BRACKET = lazy(r"[\[\]]")
_INLINE_TARGET = lazy(r"\(\s*<?([^()\s<>]*)>?(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'))?\s*\)")
_REF_TARGET = lazy(r"\[([^\[\]\n]{0,100})\]")
_INNER_IMAGE = lazy(r"!\[[^\[\]]*\]\([^()]*\)")
_INNER_LINK = lazy(r"\[([^\[\]]*)\](?:\([^()]*\)|\[[^\[\]]*\])")
_WRAPPED_HEADING = lazy(r"\n[ \t>]*#{1,6}[ \t]+")
_MAX_LINK_TEXT = 6000  # a card's whole abstract can be one link; longer is a stray bracket


def _display(raw: str) -> str:
    """Link text as words: inner images, media and tags dropped, inner links as their text."""
    if "<" in raw:  # [<video src=…></video>](…/papers/ID): a thumbnail, not a title
        raw = _HTML_TAG.sub(" ", raw)
    if "[" in raw:
        raw = _INNER_IMAGE.sub(" ", raw)
        # Links nested in link text, innermost first: each pass unwraps one level
        # and shortens the text, so the loop ends.
        while (unwrapped := _INNER_LINK.sub(r"\1", raw)) != raw:
            raw = unwrapped
    if "\n" in raw and "#" in raw:  # a title wrapped over two heading lines
        raw = _WRAPPED_HEADING.sub(" ", raw)
    return " ".join(inline_text(raw).split())


def inline_text(text: str) -> str:
    """``text`` as Markdown shows it (:func:`tracker.sources.emphasis.shown_text`)."""
    return shown_text(text)


def _escaped(text: str, at: int) -> bool:
    """Is the character at ``at`` escaped (an odd number of backslashes before it)?"""
    start = at
    while start and text[start - 1] == "\\":
        start -= 1
    return (at - start) % 2 == 1


def find_links(text: str, refs: References) -> list[Link]:
    """The outermost links of ``text`` in page order (an image inside a link is part of it).

    Linear: one scan with a stack of open brackets; a ``]`` closes the
    innermost open ``[``, and an open bracket further back than any link text
    can be is forgotten.
    """
    found: list[Link] = []
    stack: list[int] = []
    pos = 0
    size = len(text)
    while True:
        m = _BRACKET.search(text, pos)
        if m is None:
            break
        at = m.start()
        pos = at + 1
        if at and text[at - 1] == "\\" and _escaped(text, at):
            continue  # "\[Citation needed\]": a bracket the text shows, not markup
        if text[at] == "[":
            stack.append(at)
            continue
        if not stack:
            continue
        start = stack.pop()
        if at - start > _MAX_LINK_TEXT:
            stack.clear()
            continue
        raw = text[start + 1 : at]
        url: str | None
        after = text[at + 1 : at + 2] if at + 1 < size else ""
        if after == "(":
            t = _INLINE_TARGET.match(text, at + 1)
            if t is None:
                continue
            url, end = t.group(1), t.end()
        elif after == "[":
            t = _REF_TARGET.match(text, at + 1)
            if t is None:
                continue
            key = (t.group(1) or raw).strip().casefold()
            url, end = refs.markdown.get(key), t.end()
        elif raw.strip().casefold() in refs.markdown and "\n" not in raw:
            url, end = refs.markdown[raw.strip().casefold()], at + 1
        else:
            continue
        image = start > 0 and text[start - 1] == "!"
        begin = start - 1 if image else start
        # Links found inside this one (an image in a link) are part of it.
        while found and found[-1].start >= begin:
            found.pop()
        strong = raw.lstrip().startswith(("**", "__")) or text.startswith(
            ("**", "__"), max(begin - 2, 0)
        )
        found.append(Link(begin, end, _display(raw), url or None, image, strong))
        pos = end
    return found


# -- lynx and HTML -------------------------------------------------------------------------

_LYNX_LINK = lazy(r"\[(\d{1,5})\](?![(\[:])")


def lynx_to_markdown(lines: list[str], refs: References) -> list[str]:
    """lynx's ``[12]Title`` links as Markdown ``[Title](url)``, using its numbered list.

    A link's text runs to the next link or the end of the line, and over the
    next line when lynx wrapped it there: the line is full (as long as the
    page's wrapped lines get) and the next one carries on without a link.
    """
    if not refs.lynx:
        return lines
    width = max((len(line) for line in lines if len(line) < 200), default=0)
    out: list[str] = []
    skip_next = False
    for index, line in enumerate(lines):
        if skip_next:
            skip_next = False
            out.append("")
            continue
        if "[" not in line or index in refs.lines:
            out.append(line)
            continue
        parts = _LYNX_LINK.split(line)
        if len(parts) == 1:
            out.append(line)
            continue
        pieces = [parts[0]]
        for number_at in range(1, len(parts), 2):
            url = refs.lynx.get(parts[number_at])
            label = parts[number_at + 1]
            last = number_at + 2 >= len(parts)
            if last and url and paper_id(url) and len(line) >= width - 12:
                following = lines[index + 1] if index + 1 < len(lines) else ""
                if following.strip() and not _LYNX_LINK.search(following):
                    label = label.rstrip() + " " + following.strip()
                    skip_next = True
            stripped = label.strip()
            if url and stripped and not stripped.startswith("["):
                pieces.append(f"[{escape_brackets(stripped)}]({url})")
            else:
                pieces.append(label)
        out.append("".join(pieces))
    return out


def escape_brackets(text: str) -> str:
    """Text to put inside a Markdown link's brackets: its own brackets escaped."""
    if "[" not in text and "]" not in text:
        return text
    return text.replace("[", "\\[").replace("]", "\\]")


_HTML_LINK = lazy(r"<a\s[^<>]*?href\s*=\s*[\"']([^\"'<>]*)[\"'][^<>]*>(.*?)</a\s*>", re.I)
_HTML_TAG = lazy(
    r"</?(?:a|img|div|span|br|p|sup|sub|b|i|u|em|strong|details|summary|center|font|hr"
    r"|h[1-6]|table|thead|tbody|tr|td|th|ul|ol|li|picture|source|svg|path|section|article"
    r"|video|audio|iframe|track|embed|object|input|button|label|time|figure|figcaption)"
    r"\b[^<>]{0,1000}>",
    re.IGNORECASE,
)


def html_links_to_markdown(line: str) -> str:
    """Inline HTML in Markdown: ``<a href=u>t</a>`` becomes ``[t](u)``, other tags go."""
    if "<" not in line:
        return line
    line = _HTML_LINK.sub(lambda m: f"[{escape_brackets(m.group(2))}]({m.group(1)})", line)
    return _HTML_TAG.sub(" ", line)


_UNDERLINE = lazy(r"^ {0,3}(?:=+|-+)[ \t]*$")
_NOT_SETEXT = lazy(r"^ {0,3}(?:[-*+>#|]|\d{1,9}[.)]|```|~~~|<)|^(?: {4}|\t)")
# A line that may be an underline starts with one of these. One pattern search, not
# three substring tests: a two-character `in` walks a 1.4 MB page at about 1 ns a
# character (Python's single-character search is memchr, 70 times faster), and the
# three tests were 6 ms of a 63 ms, 1,000-paper digest's parse (measured 2026-12-04).
_MAY_UNDERLINE = lazy(r"\n[-= ]")


_CLOSED_HEADING = lazy(r"(?m)^( {0,3}#{1,6}[ \t]+\S.*?)[ \t]+#+[ \t]*$")
_AUTOLINK = lazy(r"<((?:https?|ftp)://[^\s<>]+)>", re.IGNORECASE)


def plain_markdown(text: str) -> str:
    """Markdown written the way both readers expect, every line keeping its number.

    Converters differ in ways that mean the same to a reader: pandoc wrote
    level 1 and 2 headings underlined (setext) until 2.11.2 and writes a bare
    address as an autolink (``<https://arxiv.org/abs/ID>``); some writers close
    a heading with hashes (``## Title ##``). Here those become ``# Title``,
    the bare address and ``## Title``.
    """
    if "<" in text and "://" in text:
        text = _AUTOLINK.sub(r"\1", text)
    if "#" in text:
        text = _CLOSED_HEADING.sub(r"\1", text)
    return atx_headings(text)


def atx_headings(text: str) -> str:
    """Setext headings (``Title`` over a line of ``=`` or ``-``) written as ``# Title``.

    Only a line of text standing alone (a blank line or the page's start
    above it; not a list item, quote, table row, heading or code) is taken,
    and its underline becomes a blank line.
    """
    if _MAY_UNDERLINE.search(text) is None:
        return text
    lines = text.split("\n")
    for index in range(len(lines) - 1):
        line = lines[index]
        if (
            not line.strip()
            or (index > 0 and lines[index - 1].strip())
            or not _UNDERLINE.match(lines[index + 1])
            or _NOT_SETEXT.match(line)
            or _UNDERLINE.match(line)
        ):
            continue
        level = "#" if "=" in lines[index + 1] else "##"
        lines[index] = f"{level} {line.strip()}"
        lines[index + 1] = ""
    return "\n".join(lines)
