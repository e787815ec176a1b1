"""RSS and Atom feeds of papers: arXiv's own feeds, feeds that bots re-publish, Hugging Face feeds.

A feed is XML: ``<rss>`` (RSS 2.0: ``channel/item``), ``<rdf:RDF>`` (RSS 1.0,
arXiv's older feeds: ``item`` beside the channel) or ``<feed>`` (Atom:
``entry``). Each item names one paper: its ``title``, its ``link`` (or
``guid``/``id``: ``oai:arXiv.org:2508.02753v1``) carrying the paper's id, its
``description``/``summary``/``content`` (HTML more often than not) holding the
abstract, and ``dc:creator`` / ``author`` its authors.

Papers are anchored on ids, as on any page: an item whose links carry no
arXiv or Hugging Face paper id is not taken for a paper (a news feed's posts
are not papers); it is skipped and said, and a feed most of whose titled
items are such is refused.

The feed's day is its own: the channel's ``pubDate``, else ``lastBuildDate``
(``dc:date``, Atom's ``updated``), as the feed writes it (the day in its own
time zone). Only a feed that names none is dated by the day most of its items
carry. An item's ``pubDate`` is when the feed listed it, not when the paper
came out; an Atom entry's ``published`` is the paper's published date.

arXiv's category feeds announce new versions of older papers too
(``<arxiv:announce_type>replace</arxiv:announce_type>``, ``replace-cross``):
those are not papers of the day; they are skipped with one warning, so that
the feed gives the day's new submissions and cross-lists.

The XML is read with the standard library's parser; a document type that
declares entities is refused (nothing a feed needs, and the way to make a
small file expand into a huge one). Pure: no I/O.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from typing import TYPE_CHECKING

from tracker.sources import fields, html_page, markup
from tracker.sources.parsed import (
    DigestError,
    DoubtfulDigestError,
    ParsedDigest,
    ParsedPaper,
    ParsedSection,
    ParseWarning,
)
from tracker.sources.patterns import lazy

# The XML parser and the mail date reader are imported by the parse: every
# import checks whether a file looks like a feed, and importing them was a
# twentieth of a one-digest `tracker import` of a text page.
if TYPE_CHECKING:
    import xml.etree.ElementTree as ET

__all__ = ["looks_like_feed", "parse"]

# The root element, after an XML declaration, comments and processing instructions.
_ROOT = lazy(
    r"\s*(?:<\?xml[^>]*\?>\s*)?(?:(?:<!--.*?-->|<\?[^>]*\?>)\s*)*"
    r"(?:<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>\s*)?(?:<!--.*?-->\s*)*"
    r"<(?:rss|feed|rdf:RDF)(?=[\s>/])",
    re.S,
)
_ITEM_TAGS = frozenset({"item", "entry"})
_TEXT_TAGS = ("description", "summary", "encoded", "content", "abstract")
# How a feed names its own day, best first.
_FEED_DAY_TAGS = ("pubDate", "lastBuildDate", "date", "updated", "published")
# arXiv's older feeds append the id and category to each title.
_ARXIV_TITLE_TAIL = lazy(
    r"\s*\(arXiv:\d{4}\.\d{4,5}(?:v\d+)?\s*\[[^\]]*\](?:\s*UPDATED)?\)\s*$", re.I
)
# "Abstract" on a line of its own (a heading) or as a label: the abstract follows it.
_ABSTRACT_HEADING = lazy(r"^[ \t]*(?:#{1,6}[ \t]*)?\**abstract\**[ \t]*:?\**[ \t]*$", re.I | re.M)
_ABSTRACT_LABEL = lazy(r"(?:^|\s)Abstract:\s*", re.I)
_AUTHORS_LINE = lazy(r"^[ \t]*\**Authors?\**[ \t]*:\**[ \t]*(.+)$", re.I | re.M)
_HEADING_LINE = lazy(r"^[ \t]*#{1,6}[ \t]")
_REPLACEMENTS = frozenset({"replace", "replace-cross"})
"""arXiv's announce types of a new version of an older paper."""


def looks_like_feed(text: str) -> bool:
    """An RSS or Atom document: its root element is ``rss``, ``feed`` or ``rdf:RDF``."""
    return _ROOT.match(text[:4000]) is not None


def parse(text: str, source: str = "<feed>") -> ParsedDigest:
    """The feed's items as one digest of its day; :class:`DigestError` when it has no papers."""
    if re.search(r"<!ENTITY", text[:20000], re.I):
        raise DigestError(
            source, f"{source} declares XML entities, which a feed does not need; not read"
        )
    import xml.etree.ElementTree as ET

    try:
        root = ET.fromstring(text)
    except ET.ParseError as err:
        line = err.position[0] if err.position else None
        raise DigestError(source, f"{source} is not well-formed XML: {err}", line=line) from None
    items = [el for el in root.iter() if _local(el.tag) in _ITEM_TAGS]
    lines = _item_lines(text, len(items))
    warnings: list[ParseWarning] = []
    papers: list[ParsedPaper] = []
    seen: set[str] = set()
    unlike = 0
    replaced = 0
    item_days: Counter[dt.date] = Counter()
    for number, (item, line) in enumerate(zip(items, lines, strict=True), start=1):
        if _child_text(item, "announce_type").strip().lower() in _REPLACEMENTS:
            replaced += 1
            continue
        paper = _paper(item, line)
        if paper is None:
            warnings.append(ParseWarning(line, f"item {number} has no title; skipped"))
            continue
        day = _item_day(item)
        if day is not None:
            item_days[day] += 1
        if paper.arxiv_id is None:
            unlike += 1
            warnings.append(
                ParseWarning(
                    line,
                    f"item {number} ({paper.title[:60]!r}) links no arXiv or Hugging Face "
                    "paper; skipped",
                )
            )
            continue
        if paper.arxiv_id in seen:
            warnings.append(ParseWarning(line, f"item {number} repeats {paper.arxiv_id}; skipped"))
            continue
        seen.add(paper.arxiv_id)
        papers.append(paper)
    if replaced:
        warnings.append(
            ParseWarning(
                lines[0] if lines else 1,
                f"{replaced} item{'s' if replaced != 1 else ''} announced as replacements "
                "(new versions of older papers) skipped",
            )
        )
    if unlike > len(papers):
        raise DoubtfulDigestError(
            source,
            f"{source}: {unlike} of the {unlike + len(papers)} items of this feed link no arXiv "
            "or Hugging Face paper (nothing was imported): it does not look like a feed of papers",
        )
    if not papers:
        what = "only replacements of older papers" if replaced else "no items"
        raise DigestError(source, f"no papers found in the feed {source}: it has {what}")
    day = _feed_day(root) or (item_days.most_common(1)[0][0] if item_days else None)
    section = ParsedSection(
        fields.label_for(day) if day else None,
        day.isoformat() if day else None,
        1 if day else None,
        tuple(papers),
    )
    return ParsedDigest((section,), tuple(warnings))


# --------------------------------------------------------------------------
# One item
# --------------------------------------------------------------------------


def _paper(item: ET.Element, line: int) -> ParsedPaper | None:
    title = _ARXIV_TITLE_TAIL.sub("", _one_line(_child_text(item, "title")))
    if not title:
        return None
    pid = _paper_id(item)
    body = _body(item)
    authors = _authors(item, body)
    published = _day_of(_child_text(item, "published")) if _local(item.tag) == "entry" else None
    return ParsedPaper(
        title=title,
        abstract=_abstract(body),
        line=line,
        arxiv_id=pid,
        url=fields.arxiv_url(pid) if pid else None,
        authors=authors,
        published=published.isoformat() if published else None,
    )


def _paper_id(item: ET.Element) -> str | None:
    for child in item:
        name = _local(child.tag)
        if name == "link":
            for value in (child.get("href") or "", child.text or ""):
                pid = markup.paper_id(value.strip())
                if pid:
                    return pid
        elif name in ("guid", "id"):
            value = (child.text or "").strip()
            pid = markup.paper_id(value) or _oai_id(value)
            if pid:
                return pid
    return None


def _oai_id(value: str) -> str | None:
    """``oai:arXiv.org:2508.02753v1`` (doubled by some re-publishers) → ``2508.02753``."""
    if not value.lower().startswith("oai:arxiv.org:"):
        return None
    return fields.arxiv_id(value.rsplit(":", 1)[-1])


def _body(item: ET.Element) -> str:
    """The item's text as Markdown-like lines (HTML descriptions converted)."""
    for tag in _TEXT_TAGS:
        raw = _child_text(item, tag)
        if raw.strip():
            text = markup.strip_controls(raw)
            if "<" in text and ">" in text:
                text = html_page.to_markdown(text)
            return text
    return ""


def _abstract(body: str) -> str:
    """The text under an ``Abstract`` heading or after ``Abstract:``; else the whole text."""
    heading = _ABSTRACT_HEADING.search(body)
    if heading is not None:
        rest = body[heading.end() :].lstrip("\n")
        paragraph = re.split(r"\n[ \t]*\n", rest, maxsplit=1)[0]
        if not _HEADING_LINE.match(paragraph):
            return fields.prose(paragraph)
    label = _ABSTRACT_LABEL.search(body)
    if label is not None:
        return fields.prose(body[label.end() :])
    return fields.prose(_AUTHORS_LINE.sub("", body))


def _authors(item: ET.Element, body: str) -> tuple[str, ...]:
    names: list[str] = []
    for child in item:
        name = _local(child.tag)
        if name == "creator":
            names.extend(fields.split_authors(_one_line(child.text or "")))
        elif name == "author":
            inner = [_one_line(g.text or "") for g in child if _local(g.tag) == "name"]
            names.extend(inner or fields.split_authors(_one_line(child.text or "")))
    if not names:
        line = _AUTHORS_LINE.search(body)
        if line is not None:
            names.extend(fields.split_authors(line.group(1)))
    return tuple(n for n in names if n)


def _item_day(item: ET.Element) -> dt.date | None:
    for tag in ("pubDate", "date", "updated"):
        day = _day_of(_child_text(item, tag))
        if day is not None:
            return day
    return None


# --------------------------------------------------------------------------
# The feed
# --------------------------------------------------------------------------


def _feed_day(root: ET.Element) -> dt.date | None:
    """The day the feed names for itself (its channel's, or Atom's top-level elements)."""
    holders = [root, *(el for el in root if _local(el.tag) == "channel")]
    for tag in _FEED_DAY_TAGS:
        for holder in holders:
            day = _day_of(_child_text(holder, tag))
            if day is not None:
                return day
    return None


def _day_of(value: str) -> dt.date | None:
    """``Wed, 06 Aug 2025 12:47:47 +0800`` (RFC 822) or ``2025-08-06T…`` (ISO), in its own zone."""
    text = value.strip()
    if not text or len(text) > 64:
        return None
    try:
        import email.utils

        return email.utils.parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        pass
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def _item_lines(text: str, count: int) -> list[int]:
    """The line each item starts on, in document order (1 when they cannot be told)."""
    starts = []
    line, counted = 1, 0  # counted on from the last item: from the start each time was quadratic
    for m in re.finditer(r"<(?:[\w.-]+:)?(?:item|entry)(?=[\s>])", text):
        line += text.count("\n", counted, m.start())
        counted = m.start()
        starts.append(line)
    return starts if len(starts) == count else [1] * count


def _child_text(element: ET.Element, name: str) -> str:
    for child in element:
        if _local(child.tag) == name:
            return "".join(child.itertext())
    return ""


def _one_line(text: str) -> str:
    return fields.one_line(markup.strip_controls(text, keep_breaks=False))


def _local(tag: object) -> str:
    """``{http://purl.org/dc/elements/1.1/}creator`` → ``creator``."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
