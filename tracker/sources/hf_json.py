"""Parse Hugging Face "Daily Papers" JSON (``huggingface.co/api/daily_papers``).

The endpoint serves a list of objects::

    {"paper": {"id": "2410.05258", "title": …, "summary": …,
               "authors": [{"name": "…", "hidden": false}, …],
               "publishedAt": …, "submittedOnDailyAt": …, "upvotes": 181, …},
     "publishedAt": …, "title": …, "summary": …, "numComments": 3, …}

``paper.id`` is the arXiv id. ``paper.submittedOnDailyAt`` is the day the
paper was put on the daily list; when it is missing the top-level
``publishedAt`` stands in for it. Items are grouped by that (UTC) day into one
section per day, labelled like the text digests (``Oct 8``).

Tolerated: missing optional fields, authors given as plain strings, a single
object instead of a list, JSON Lines (one item object per line, no list), the list inside a wrapper object (the page's own
``{"dailyPapers": […]}`` props, ``{"papers": […]}``, a JSON Feed's
``{"version": …, "title": <the feed's name>, "items": […]}``), an item that is
the paper itself (the ``api/papers/<id>`` shape), and other JSON lists of
papers: objects with a title and a paper link or id (``url``, ``arxiv_url``,
``id``) or an abstract (``summary``, ``abstract``, ``content_text``). A wrapper
object's own day (``"time_utc": "2024-11-14 07:10"``), or that of the header
object beside the items (``"header": {"generatedAt": …}``), dates the items
that carry none. Items with the same arXiv id (its versions, ``…v1`` then
``…v2``) are one paper. An item with a title and nothing else of a paper is
skipped and said; anything else is refused with one sentence naming the file.

Pure: no I/O, only the text given.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Collection, Iterator
from typing import Any

from tracker.sources import fields, markup
from tracker.sources.parsed import (
    DigestError,
    DoubtfulDigestError,
    ParsedDigest,
    ParsedPaper,
    ParsedSection,
    ParseWarning,
)
from tracker.sources.patterns import lazy

__all__ = ["Items", "document_items", "is_json", "looks_like_json", "parse", "section_days"]

_WRAPPER_KEYS = ("dailyPapers", "daily_papers", "papers", "items", "data", "results")
# How deep a wrapper may hide the list ({"props": {"dailyPapers": […]}}).
_WRAPPER_DEPTH = 3
_SHAPE_HINT = (
    "expected a list of objects with a paper title, as served by huggingface.co/api/daily_papers"
)
# The date an item was listed on, best first (see the module docstring).
_DATE_KEYS = (
    ("paper", "submittedOnDailyAt"),
    ("item", "submittedOnDailyAt"),
    ("item", "scraped_date"),  # scrapers of the page record the day they read it
    ("details", "scraped_at"),
    # Bots that keep a daily list record the day an item was put on it
    # ("recommended_date": "2026-02-25_AI_enhanced_Chinese", "recommended_at").
    ("item", "recommended_date"),
    ("item", "recommended_at"),
)
# The list's own publishedAt is the day an item was put on it; a paper's
# publishedAt is when the paper came out on arXiv (its published date, never a
# digest's day). An item that is the paper itself has only the latter.
_FALLBACK_DATE_KEYS = (("wrapper", "publishedAt"),)
# When the paper itself came out (never a digest's day).
_PUBLISHED_KEYS = ("publishedAt", "date_published", "pub_date", "published")
# Where scraped variants keep a link to the paper (the arXiv id is its tail).
_URL_KEYS = ("arxiv_url", "arxiv_page_url", "paper_url", "url", "page_url", "pdf_url", "link")


def looks_like_json(text: str) -> bool:
    """True when the text starts like a JSON object or array of objects.

    A text digest may start with ``[`` too (a Markdown link), so an array
    must open with an object, a string, a nested array or be empty.
    """
    head = text.lstrip()[:64]
    if head.startswith("{"):
        return True
    if head.startswith("["):
        return head[1:].lstrip()[:1] in ("{", '"', "[", "]")
    return False


def is_json(text: str) -> bool:
    """True when the whole text is a JSON array or object (``[1, 2]`` but not ``[1] Title``)."""
    if text.lstrip()[:1] not in ("[", "{"):
        return False
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return False
    return True


def parse(text: str, source: str = "<json>") -> ParsedDigest:
    """Parse daily-papers JSON; :class:`DigestError` names the file when it is not that."""
    located, document_day = _located_items(text, source)
    items = Items(source, document_day)
    by_day: dict[dt.date | None, list[ParsedPaper]] = {}
    # A paper is one arXiv id: arXiv's versions of it listed one after the other
    # (arxiv-2607.07965v1, then v2 with a changed title) are that paper again, so
    # they keep the title it was first listed under (the library knows a paper by
    # its title) and the import adds it once.
    first_titles: dict[str, str] = {}
    for item, line in located:
        found = items.add(item, line)
        if found is None:
            continue
        paper, day = found
        if paper.arxiv_id:
            first = first_titles.setdefault(paper.arxiv_id, paper.title)
            if first != paper.title:
                paper = dataclasses.replace(paper, title=first)
        by_day.setdefault(day, []).append(paper)
    items.check()
    sections = [
        ParsedSection(label, date, by_day[day][0].line, tuple(by_day[day]))
        for day, label, date in section_days(by_day)
    ]
    return ParsedDigest(tuple(sections), tuple(items.warnings))


class Items:
    """The papers of a JSON file's items, read one at a time in file order.

    :func:`parse` and the reader of a large file a paper at a time
    (tracker/library/json_pieces.py) both read items with it, so that both
    take and skip the same items with the same warnings.
    """

    def __init__(self, source: str, document_day: dt.date | None) -> None:
        self.source = source
        self.document_day = document_day
        """The day the object around the items names (for the items that name none)."""
        self.warnings: list[ParseWarning] = []
        self.items = 0
        self.found = 0
        self.unlike = 0  # items with a title but nothing else of a paper

    def add(self, item: object, line: int) -> tuple[ParsedPaper, dt.date | None] | None:
        """The paper of the next item and the day it is listed on; None for one skipped (said)."""
        self.items += 1
        number = self.items
        parsed = _paper(item, number, line, self.warnings)
        if parsed is None:
            return None
        paper, day = parsed
        if not (paper.arxiv_id or paper.abstract or paper.authors or _known_shape(item)):
            self.unlike += 1
            self.warnings.append(
                ParseWarning(
                    line,
                    f"item {number} ({paper.title[:60]!r}) has no link, id, abstract or "
                    "authors of a paper; skipped",
                )
            )
            return None
        self.found += 1
        return paper, day or self.document_day

    def check(self) -> None:
        """Once every item was added: DigestError for a file that is no list of papers."""
        source = self.source
        if self.unlike > self.found:
            raise DoubtfulDigestError(
                source,
                f"{source}: {self.unlike} of the {self.unlike + self.found} titled items in this "
                "JSON have no link, id, abstract or authors of a paper (nothing was imported): "
                "it does not look like a list of papers",
            )
        if not self.found:
            if not self.items:
                raise DigestError(source, f"no papers in {source}: the JSON list is empty")
            raise DigestError(
                source, f"{source} is JSON but not Hugging Face daily papers: {_SHAPE_HINT}"
            )


def section_days(
    days: Collection[dt.date | None],
) -> list[tuple[dt.date | None, str | None, str | None]]:
    """The sections of these days in page order (by day, the undated last): day, label, date."""
    dated = sorted((d for d in days if d is not None), key=lambda d: d.toordinal())
    order: list[tuple[dt.date | None, str | None, str | None]] = [
        (day, fields.label_for(day), day.isoformat()) for day in dated
    ]
    if None in days:
        order.append((None, None, None))
    return order


# --------------------------------------------------------------------------
# Finding the items
# --------------------------------------------------------------------------


def _located_items(text: str, source: str) -> tuple[list[tuple[object, int]], dt.date | None]:
    """The items with the line each starts on (1 when the file is one line), and the day
    the object around them names."""
    try:
        if text.lstrip().startswith("["):
            return list(_array_items(text)), None
        document = json.loads(text)
    except json.JSONDecodeError as err:
        lines = _json_lines(text) if err.msg == "Extra data" else None
        if lines is not None:
            return lines, None
        raise DigestError(
            source,
            f"{source} is not valid JSON: {err.msg} at line {err.lineno} column {err.colno}",
            line=err.lineno,
        ) from None
    except (ValueError, RecursionError) as err:
        # Numbers past the int-conversion limit, nesting past the recursion limit.
        raise DigestError(source, f"{source} is not JSON this program can read: {err}") from None
    return document_items(document, source)


def document_items(
    document: object, source: str
) -> tuple[list[tuple[object, int]], dt.date | None]:
    """The items of a JSON document that is not a list (each on line 1), and its day."""
    found = _find_items(document, _WRAPPER_DEPTH)
    if found is None:
        raise DigestError(
            source, f"{source} is JSON but not Hugging Face daily papers: {_SHAPE_HINT}"
        )
    items, wrapper = found
    return [(item, 1) for item in items], _wrapper_day(wrapper)


def _array_items(text: str) -> Iterator[tuple[object, int]]:
    """Decode a top-level array element by element, so each knows its line."""
    decoder = json.JSONDecoder()
    size = len(text)
    pos = _skip_space(text, text.index("[") + 1)
    line, counted = 1, 0
    if pos < size and text[pos] == "]":
        pos += 1
    else:
        while True:
            line += text.count("\n", counted, pos)
            counted = pos
            item, pos = decoder.raw_decode(text, pos)
            yield item, line
            pos = _skip_space(text, pos)
            if pos < size and text[pos] == ",":
                pos = _skip_space(text, pos + 1)
                continue
            if pos < size and text[pos] == "]":
                pos += 1
                break
            raise json.JSONDecodeError("expected ',' or ']'", text, pos)
    if _skip_space(text, pos) != size:
        raise json.JSONDecodeError("extra data after the list", text, pos)


def _json_lines(text: str) -> list[tuple[object, int]] | None:
    """JSON Lines (``.jsonl``): one object per line, the way bots append their records.

    None unless every line that is not blank is one JSON object: a document
    with something else after it stays an error of the document.
    """
    items: list[tuple[object, int]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except (ValueError, RecursionError):
            return None
        if not isinstance(item, dict):
            return None
        items.append((item, number))
    return items if len(items) > 1 else None


def _skip_space(text: str, pos: int) -> int:
    size = len(text)
    while pos < size and text[pos] in " \t\n\r":
        pos += 1
    return pos


def _is_item(value: object) -> bool:
    return isinstance(value, dict) and (
        isinstance(value.get("paper"), dict) or isinstance(value.get("title"), str)
    )


def _find_items(document: object, depth: int) -> tuple[list[object], dict[str, Any]] | None:
    """The list of items and the object that holds it (``{}`` for a top-level list).

    A list of items is looked for before the object itself is taken for one
    paper: a JSON Feed's ``title`` is the feed's name, not a paper.
    """
    if isinstance(document, list):
        return document, {}
    if not isinstance(document, dict):
        return None
    found = _find_list(document, depth)
    if found is not None:
        return found
    if _is_item(document):
        return [document], {}
    return None


def _find_list(document: dict[str, Any], depth: int) -> tuple[list[object], dict[str, Any]] | None:
    for key in _WRAPPER_KEYS:
        value = document.get(key)
        if isinstance(value, list):
            return value, document
    for value in document.values():
        if isinstance(value, list) and any(_is_item(v) for v in value[:20]):
            return value, document
    if depth == 0:
        return None
    for value in document.values():
        if isinstance(value, dict) and not _is_item(value):
            found = _find_list(value, depth - 1)
            if found is not None:
                return found
    return None


# Keys of a wrapper object that say when it was made ("time_utc", "updated", "date",
# "generatedAt", a scraper's "timestamp", "fetched_at").
_WRAPPER_DAY_KEY = lazy(
    r"(?:date|day|time|timestamp|updated|generated|created|modified|fetched|scraped|retrieved)"
    r"(?:_utc|_at|At)?",
    re.I,
)
# Objects beside the items that describe the file ({"header": {"generatedAt": …},
# "items": […]}): their day is the file's when the wrapper names none itself.
_HEADER_KEYS = ("header", "meta", "metadata", "info")


def _wrapper_day(wrapper: dict[str, Any]) -> dt.date | None:
    """The day the object holding the items names for itself (``"time_utc": "2024-11-14 07:10"``),
    or its header object (``"header": {"generatedAt": "2026-08-21T02:25:58Z"}``)."""
    places = [wrapper] + [
        value for key in _HEADER_KEYS if isinstance(value := wrapper.get(key), dict)
    ]
    for place in places:
        for key, value in place.items():
            if isinstance(value, str) and _WRAPPER_DAY_KEY.fullmatch(key):
                day = _day(value)
                if day is not None:
                    return day
    return None


def _known_shape(item: object) -> bool:
    """An item of the Daily Papers API (a ``paper`` object inside): a paper however bare."""
    return isinstance(item, dict) and isinstance(item.get("paper"), dict)


# --------------------------------------------------------------------------
# One item
# --------------------------------------------------------------------------


def _paper(
    item: object, number: int, line: int, warnings: list[ParseWarning]
) -> tuple[ParsedPaper, dt.date | None] | None:
    if not isinstance(item, dict):
        warnings.append(ParseWarning(line, f"item {number} is not an object; skipped"))
        return None
    inner = item.get("paper")
    paper: dict[str, Any] = inner if isinstance(inner, dict) else item
    found = item.get("details")
    details: dict[str, Any] = found if isinstance(found, dict) else {}
    title = _text(item.get("title")) or _text(paper.get("title")) or _text(details.get("title"))
    title = fields.one_line(markup.strip_controls(title, keep_breaks=False))
    if not title:
        warnings.append(ParseWarning(line, f"item {number} has no title; skipped"))
        return None
    abstract = fields.prose(
        markup.strip_controls(
            _text(paper.get("summary"))
            or _text(item.get("summary"))
            or _text(item.get("abstract"))
            or _text(details.get("abstract"))
            or _text(item.get("content_text"))  # a JSON Feed item's text
            or _text(item.get("description"))  # a scraper's name for the abstract
        )
    )
    arxiv = fields.arxiv_id(_text(paper.get("id"))) or _id_from_urls(item, details)
    upvotes = _count(paper.get("upvotes"))
    if upvotes is None:
        upvotes = _count(item.get("upvotes"))
    published = next(
        (day for key in _PUBLISHED_KEYS if (day := _day(paper.get(key))) is not None), None
    )
    parsed = ParsedPaper(
        title=title,
        abstract=abstract,
        line=line,
        arxiv_id=arxiv,
        url=fields.arxiv_url(arxiv) if arxiv else None,
        authors=_authors(paper.get("authors") or item.get("authors")),
        upvotes=upvotes,
        published=published.isoformat() if published else None,
    )
    places = {
        "paper": paper,
        "item": item,
        "details": details,
        "wrapper": item if paper is not item else {},
    }
    day = _first_day(places, _DATE_KEYS) or _first_day(places, _FALLBACK_DATE_KEYS)
    return parsed, day


def _id_from_urls(*places: dict[str, Any]) -> str | None:
    for place in places:
        for key in _URL_KEYS:
            value = place.get(key)
            if isinstance(value, str):
                pid = markup.paper_id(value)
                if pid:
                    return pid
    return None


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _count(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and 0 <= value < 10**9:
        return value
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) < 10:
        return int(value.strip())
    return None


def _authors(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return fields.split_authors(markup.strip_controls(value, keep_breaks=False))
    if not isinstance(value, list):
        return ()
    names: list[str] = []
    for author in value:
        if isinstance(author, dict):
            author = author.get("name") or author.get("fullname")
        name = (
            fields.one_line(markup.strip_controls(author, keep_breaks=False))
            if isinstance(author, str)
            else ""
        )
        if name:
            names.append(name)
    return tuple(names)


def _first_day(
    places: dict[str, dict[str, Any]], keys: tuple[tuple[str, str], ...]
) -> dt.date | None:
    for place, key in keys:
        day = _day(places[place].get(key))
        if day is not None:
            return day
    return None


def _day(value: object) -> dt.date | None:
    """The UTC day of an ISO timestamp (``2024-10-08T01:23:45.000Z``) or date."""
    if not isinstance(value, str) or not 10 <= len(value.strip()) <= 40:
        return None
    text = value.strip()
    try:
        stamp = dt.datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        try:
            return dt.date.fromisoformat(text[:10])
        except ValueError:
            return None
    if stamp.tzinfo is not None:
        try:
            stamp = stamp.astimezone(dt.UTC)
        except OverflowError:  # 0001-01-01T00:00+01:00 has no UTC day
            return None
    return stamp.date()
