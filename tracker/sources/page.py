"""Pages whose papers are marked by links: read them card by card, anchored on ids.

Most real copies of paper pages keep their links: Markdown conversions of
``huggingface.co/papers`` (daily, weekly, search and trending views), lynx
dumps with their numbered list of links, note-taking exports, and Markdown
digests written by bots (often in another language). On such a page a paper is
a link to ``huggingface.co/papers/ID`` or ``arxiv.org/abs/ID`` (or an
``arXiv:ID``): one id is one paper, however often the page shows it. Only a
line with such evidence can give a title; everything else on the page is the
paper's abstract, one of its fields, or page text that is skipped.

The page is read in three steps:

1. **Lines.** Links are found over the whole text (a link's text may run over
   several lines: a wrapped title, a whole abstract inside a card's link) and
   each line knows its links, its ids, and its decoration (a heading level, a
   bullet, a table row).
2. **Cards.** A card starts at a *title link* (a line that is nothing but a
   link to a paper, whose text reads as a title) or at a heading that owns one
   paper id: the heading level chosen is the one whose sections hold ids most
   often, so sub-headings inside a card are not cards. Pages without any id
   but with ``### [Title][12]`` headings (a copy whose link list was cut off)
   take those headings as their cards.
3. **Fields.** Inside a card: ``Authors:`` and the like become fields, a line
   that is only a date is the paper's publication date, an upvote count is
   its upvotes, an ``Abstract`` / ``摘要`` label or heading marks the
   abstract, an original-title line (``原文标题``) replaces a translated
   heading, and the rest of the card's text is the abstract.

The page's day comes from its head (a date heading or line, ``Daily Papers
(2025-04-25)``, a capture date); a date heading further down starts another
digest; a date inside a card is never a digest boundary.

:func:`parse` returns None for a page without such links: the plain-text
reader (:mod:`tracker.sources.text`) takes those.

Pure: no I/O. Linear in the size of the text.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from tracker.models import normalize_title
from tracker.sources import dates, fields, markup
from tracker.sources.parsed import (
    DoubtfulDigestError,
    ParsedDigest,
    ParsedPaper,
    ParsedSection,
    ParseWarning,
)
from tracker.sources.text import is_page_noise, is_prose

__all__ = ["parse"]

# A page with paper links has Markdown links (so a "]") or paper URLs. Plain
# substring tests, cheapest first: every plain page pays for them, and a
# regex alternation over a 1 MB page costs more than parsing it. A page whose
# only ids are "arXiv:ID" lines is left to the plain-text reader (it reads them).
_URL_HINTS = ("co/papers/", "arxiv.org/")
_SLASH_WALK = 2000  # slashes looked at one by one before two whole-page scans


def _might_link_papers(text: str) -> bool:
    if "]" in text and ("](" in text or "][" in text):
        return True
    # A paper URL has a slash: walk the slashes (found at memchr speed) and look
    # around each, instead of scanning the page for every URL form.
    pos = text.find("/")
    for _ in range(_SLASH_WALK):
        if pos < 0:
            return False
        if text.startswith("co/papers/", pos - 2) or text.startswith("arxiv.org/", pos - 9):
            return True
        pos = text.find("/", pos + 1)
    return any(hint in text for hint in _URL_HINTS)


_ARXIV_TEXT = re.compile(rf"\barxiv\s*:\s*({fields.ARXIV_ID})(?:v\d+)?\b", re.IGNORECASE)
_BARE_URL = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]]+", re.IGNORECASE)

# "[2607.23802 — Title](2026-08-03/2607.23802.md)": the id in the link text.
_ID_TITLE = re.compile(
    rf"(?:arxiv\s*:\s*)?({fields.ARXIV_ID})(?:v\d+)?\s*(?:[—–|:]|\s-)\s*(?P<title>\S.*)", re.I
)
# "**Title** — `2607.23802` — [Hugging Face](…)": an entry of a list of papers.
_ENTRY_SEPARATOR = re.compile(r"\s+[—–|]\s+|\s+-\s+")
# Headings of lists of works a page cites rather than presents.
_REFERENCES = re.compile(
    r"(?:sources?|references?|bibliography|works cited|cited (?:works|papers)|related (?:papers|work)"
    r"|see also|further reading|参考(?:文献|资料)?|引用|참고(?:\s*문헌)?)$",
    re.IGNORECASE,
)
_PLACE = "\x00"  # stands for a link inside a line (control characters are gone by then)
_HEADING = re.compile(r"(#{1,6})(?:\s+|$)")
# "--- 1. Title ---": a plain-text card separator, a heading above all Markdown ones.
_RULE_TITLE = re.compile(r"[-=~*]{2,}\s+(\S.*?\S)\s+[-=~*]{2,}")
_RULE = re.compile(r"[-=_*~\s]{3,}")
_BULLET = re.compile(r"(?:[-*+•◦▪‣]|\d{1,3}[.)])\s+")
_QUOTE = re.compile(r"(?:>\s?)+")
_EMPHASIS = re.compile(r"\*{1,3}|(?<!\w)_{1,3}|_{1,3}(?!\w)|`")
_NUMBERING = re.compile(r"(?:#?\d{1,3}[.)、:]|\(\d{1,3}\)|\[\d{1,3}\])\s+")
_LEAD_SYMBOLS = re.compile(r"[^\w\"'“‘(\[$¿¡]+")
_LINK_DECOR = re.compile(r"[\s#>*_\-+•|·,;:/()\[\]]*")

# "Label: value" lines inside a card; the label is matched without its decoration.
_LABEL = re.compile(r"(?P<label>[^\W\d][\w .()/&'’-]{0,38}?)\s*[:：]\s*(?P<value>.*)", re.DOTALL)
_ORIGINAL_TITLE_LABELS = frozenset(
    {
        "原文标题",
        "英文标题",
        "原标题",
        "论文标题",
        "original title",
        "english title",
        "원제목",
        "원문 제목",
    }
)
_ABSTRACT_LABELS = frozenset(
    {
        "abstract",
        "摘要",
        "summary",
        "tl;dr",
        "tldr",
        "초록",
        "요약",
        "概要",
        "論文概要",
        "abstract (original)",
    }
)
_AUTHOR_LABELS = frozenset({"authors", "author", "저자", "著者", "by"})
_VOTE_LABELS = frozenset({"vote", "votes", "upvote", "upvotes", "likes", "热度", "点赞", "추천"})
_DATE_LABELS = frozenset(
    {"published", "published on", "date", "publication date", "发布日期", "发表日期"}
)
_SKIP_LABELS = frozenset(
    {
        "link", "links", "url", "arxiv", "arxiv id", "paper", "pdf", "code", "github", "project",
        "project page", "source", "hf", "huggingface", "hugging face", "链接", "论文链接", "代码",
        "项目", "作者", "机构", "方向", "领域", "关键词", "keywords", "subjects", "comments",
        "categories", "category", "tags", "submitted by", "organization", "org", "stars",
        "github stars", "upvotes today", "comments count", "링크", "논문 링크", "분야",
    }
)  # fmt: skip
# A label that names another language's copy of the abstract ("초록 (Korean)", "中文摘要").
_TRANSLATION = re.compile(
    r"korean|chinese|japanese|中文|한국어|日本語|译文|翻译|번역|\(ko\)|\(zh\)", re.I
)

_VOTES = re.compile(
    r"(?:[▲△⬆↑⇧👍^]\ufe0f?|upvotes?|votes?|\(button\)|\[[-+ xX]?\])?\s*:?\s*(?P<n>\d{1,3}(?:,\d{3})+|\d{1,7}|\d+(?:\.\d+)?k|-)"
    r"\s*(?:upvotes?|votes?|likes?|[▲⬆]\ufe0f?)?",
    re.IGNORECASE,
)
_VOTE_MARK = re.compile(r"[▲△⬆↑⇧👍^]|upvote|vote|\(button\)|^\s*\[[-+ xX]?\]", re.IGNORECASE)
_AUTHOR_COUNT = re.compile(r"[·•*\-\s]*(?:view\s+all\s+|\+\s*)?\d+\s+(?:more\s+)?authors?", re.I)
_ALT_TEXT = re.compile(r"^(?:\[[^\[\]]*\]\s*)+")
_ALT_ANYWHERE = re.compile(r"\[[^\[\]]*\]")
# A page of one paper: its address, a reader's header lines, the site's title prefix.
_PAPER_PAGE_URL = re.compile(
    rf"(?:huggingface\.co|hf\.co)/papers/{fields.ARXIV_ID}(?:v\d+)?/?(?:[?#].*)?$"
    rf"|arxiv\.org/abs/{fields.ARXIV_ID}(?:v\d+)?/?$",
    re.IGNORECASE,
)
_READER_URL = re.compile(r"(?:url source|url|source)\s*:\s*(\S+)", re.IGNORECASE)
_READER_TITLE = re.compile(r"\s*title\s*:\s*(.+)", re.IGNORECASE)
_PAPER_PAGE = re.compile(r"^\s*paper page\s*[-–—:]\s*", re.IGNORECASE)
_STARS = re.compile(r"(?:link:\s*)?github\s+[\d.,]+k?", re.IGNORECASE)  # "GitHub 11.3k" stars
_AI_SUMMARY = re.compile(r"ai[- ]generated summary", re.IGNORECASE)
_SUBMITTED = re.compile(r"[·•\s]*submitted\s+by\b", re.IGNORECASE)
_COMMENTS = re.compile(r"[·•\s]*\d+\s+comments?", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?。！？](?=\s|$)")
_TRUNCATED = ("...", "…")
_SITE_WORDS = re.compile(
    r"hugging\s*face|huggingface|arxiv|\bpdf\b|github|papers with code|alphaxiv|查看|详情|자세히",
    re.IGNORECASE,
)
_CAPTURE = re.compile(
    r"(?:captured|saved|clipped|fetched|scraped|retrieved|accessed|archived|exported|created"
    r"|(?:last\s+)?updated|generated)"
    r"(?:\s+(?:at|on))?(?:\s*\(utc\))?\s*[:：]",
    re.IGNORECASE,
)
_FRONT_DATE_KEYS = frozenset(
    {"date", "created", "captured", "clipped", "saved", "day", "fetched", "scraped", "exported"}
)
_DAY_IN_URL = re.compile(r"[?&]date=(\d{4}-\d{2}-\d{2})|/papers/(?:date/)?(\d{4}-\d{2}-\d{2})\b")
_WEEK_IN_URL = re.compile(r"/papers/week/(\d{4}-W\d{1,2})\b", re.IGNORECASE)

_NEIGHBOUR = re.compile(
    r"[«»‹›<>←→\s]*(?:previous|prev|next|older|newer|earlier|later)?[«»‹›<>←→\s]*", re.I
)
_TITLE_MAX = 400
_HEAD_LINES = 40  # lines at the top where any short line may name the page's day
_MAX_CARD_IDS = 2  # a heading section with more distinct ids is a list, not one paper's card


# --------------------------------------------------------------------------
# Lines
# --------------------------------------------------------------------------


@dataclass(slots=True)
class _Line:
    no: int  # 1-based number of the line it starts on
    raw: str  # the line with each link replaced by _PLACE
    links: list[markup.Link]
    text: str = ""  # what the line says: links as their text, decoration removed
    heading: int = 0  # 1-6 for Markdown headings, 0 for a "--- x ---" rule title, -1 none
    bullet: bool = False
    table: bool = False
    link_only: bool = False  # nothing on the line but links and decoration
    ids: list[str] = field(default_factory=list)  # paper ids of its links, bare URLs, arXiv:IDs
    blank: bool = False


def _build_lines(text: str, refs: markup.References) -> list[_Line]:
    links = markup.find_links(text, refs)
    out: list[_Line] = []
    parts: list[str] = []
    line_links: list[markup.Link] = []
    no = start_no = 1
    pos = 0

    def finish() -> None:
        out.append(_decorate(_Line(start_no, "".join(parts), list(line_links))))
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
        parts.append(_PLACE)
        line_links.append(link)
        no += text.count("\n", link.start, link.end)
        pos = link.end
    finish()
    return _join_split_headings(out)


def _join_split_headings(lines: list[_Line]) -> list[_Line]:
    """A title wrapped over two heading lines (``### … Serving with`` / ``### PagedAttention``).

    Two headings of one level on consecutive lines are one heading when the
    first does not end a sentence: Markdown has no other way to wrap one.
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
            and len(prev.text) + len(cur.text) < _TITLE_MAX
        ):
            prev.links.extend(cur.links)
            prev.ids.extend(pid for pid in cur.ids if pid not in prev.ids)
            prev.text = f"{prev.text} {cur.text}"
            prev.link_only = prev.link_only and cur.link_only
            prev.raw = f"{prev.raw} {cur.raw.lstrip('# ')}"
            cur.blank, cur.heading, cur.text, cur.links, cur.ids = True, -1, "", [], []
            cur.no = prev.no  # a blank line that is part of the heading above
    return lines


def _decorate(line: _Line) -> _Line:
    raw = line.raw.strip()
    if not raw:
        line.blank = True
        line.heading = -1
        return line
    line.heading = -1
    body = raw
    if body.startswith(">"):
        body = body[_QUOTE.match(body).end() :]  # type: ignore[union-attr]
    m = _HEADING.match(body)
    if m:
        line.heading = len(m.group(1))
        body = body[m.end() :].rstrip().rstrip("#").rstrip()
    else:
        r = _RULE_TITLE.fullmatch(body)
        if r and _PLACE not in body[: r.start(1)]:
            line.heading = 0
            body = r.group(1)
    if body.startswith("|") and body.endswith("|") and body.count("|") >= 3:
        line.table = True
    m = _BULLET.match(body)
    if m and line.heading < 0:
        line.bullet = True
        body = body[m.end() :]
    elif line.heading >= 0:
        m = _NUMBERING.match(body)  # "### 1. [Title](…)"
        if m and _PLACE in body[m.end() : m.end() + 2]:
            body = body[m.end() :]
    line.link_only = bool(line.links) and not _LINK_DECOR.sub("", body.replace(_PLACE, ""))
    # The text: each link by its words (images by nothing).
    shown = body.count(_PLACE)
    if shown:
        pieces = body.split(_PLACE)
        words = [pieces[0]]
        for link, piece in zip(line.links[len(line.links) - shown :], pieces[1:], strict=True):
            words.append("" if link.image else link.text)
            words.append(piece)
        body = "".join(words)
    if "*" in body or "_" in body or "`" in body:
        body = _EMPHASIS.sub("", markup.unescape(body))
    elif "\\" in body:
        body = markup.unescape(body)
    line.text = " ".join(body.split())
    ids: list[str] = []
    for link in line.links:
        # A thumbnail linking to the paper is no evidence of where its card is.
        said = _ALT_TEXT.sub("", link.text) if link.text.startswith("[") else link.text
        pid = None if link.image or not said else _link_id(link)[0]
        if pid and pid not in ids:
            ids.append(pid)
    plain = line.raw
    if "://" in plain or "www." in plain:
        for url in _BARE_URL.findall(plain):
            pid = markup.paper_id(url)
            if pid and pid not in ids:
                ids.append(pid)
    if "rxiv" in plain or "RXIV" in plain:
        for m2 in _ARXIV_TEXT.finditer(plain):
            if m2.group(1) not in ids:
                ids.append(m2.group(1))
    line.ids = ids
    return line


def _link_id(link: markup.Link) -> tuple[str | None, str]:
    """The paper id of a link and its text as a title candidate.

    The id is in the URL (``/papers/ID``) or leads the text (``ID — Title``,
    the title is then the rest of the text).
    """
    pid = link.paper_id
    if pid is not None:
        return pid, link.text
    m = _ID_TITLE.fullmatch(link.text)
    if m:
        return m.group(1), m.group("title")
    return None, link.text


# --------------------------------------------------------------------------
# What a piece of text is
# --------------------------------------------------------------------------


def _title_of(text: str, *, heading: bool = False) -> str | None:
    """``text`` cleaned as a title, or None when it cannot be one.

    Not a title: nothing but a number, date, id or URL, a run of sentences,
    page navigation, a count of authors or comments, or (outside a heading) a
    link that names the site it points to (``arXiv Page``, ``View on Hugging Face``).
    """
    text = " ".join(_EMPHASIS.sub("", text).split())
    # "[图片：kandinskylab] Kandinsky Lab", "[Hugging Face's logo] Hugging Face": an
    # image's alt text in front (or all there is) is not part of any title.
    text = _ALT_TEXT.sub("", text).strip()
    m = _NUMBERING.match(text)
    if m and len(text) > m.end() + 3:
        text = text[m.end() :]
    m = _LEAD_SYMBOLS.match(text)
    if m:
        text = text[m.end() :]
    text = text.strip(" -–—|·:,")
    if len(text) < 3 or len(text) > _TITLE_MAX:
        return None
    letters = sum(1 for c in text if c.isalpha())
    if letters < 3:
        return None
    if (
        dates.date_only(text) is not None
        or fields.arxiv_id(text.removeprefix("arXiv:").removeprefix("arxiv:").strip("` "))
        is not None
        or _BARE_URL.fullmatch(text)
        or _AUTHOR_COUNT.fullmatch(text)
        or _COMMENTS.fullmatch(text)
        or is_page_noise(text)
        or _looks_like_prose(text)
    ):
        return None
    if _SITE_WORDS.search(text) and len(_SITE_WORDS.sub(" ", text).split()) <= (
        1 if heading else 3
    ):
        return None  # "arXiv Page", "View on Hugging Face", "到 Huggingface 论文主页查看详情"
    return text


def _reads_as_text(text: str) -> bool:
    """A paragraph: sentences, or one long sentence (an AI summary of a paper)."""
    return is_prose(text) or (len(text) >= 80 and text.endswith((".", "!", "?", "。")))


def _looks_like_prose(text: str) -> bool:
    if len(text) >= 300:
        return True
    return len(_SENTENCE_END.findall(text)) >= 2 and is_prose(text)


def _truncated(title: str) -> bool:
    return title.endswith(_TRUNCATED)


def _without_links(line: _Line) -> str:
    """The line without its links: ``Mar 8, 2024 [ 6][39]`` (a comment count),
    ``[[org] Kandinsky Lab](…) · Published on Oct 4, 2026`` (an organisation badge)."""
    return " ".join(line.raw.replace(_PLACE, " ").split())


def _votes(text: str) -> int | None:
    """An upvote count: ``▲ 181``, ``(BUTTON) 42``, ``Vote: 55``, ``-`` (none yet)."""
    m = _VOTES.fullmatch(text.strip())
    if m is None:
        return None
    n = m.group("n").replace(",", "").lower()
    if n == "-":
        return 0
    if n.endswith("k"):
        return int(float(n[:-1]) * 1000)
    return int(n)


def _label(text: str) -> tuple[str, str] | None:
    """``("authors", "A, B")`` for a line ``**Authors:** A, B`` (decoration dropped)."""
    m = _LEAD_SYMBOLS.match(text)
    if m:
        text = text[m.end() :]
    m = _LABEL.match(text[:60])
    if m is None:
        return None
    label = m.group("label").strip().casefold()
    value = text[m.start("value") :].strip() if m.group("value") or len(text) > 60 else ""
    return label, value


# --------------------------------------------------------------------------
# The page
# --------------------------------------------------------------------------


@dataclass(slots=True)
class _Card:
    line: int  # index into the page's lines
    title: str | None  # from a title link or the heading
    paper_id: str | None
    level: int  # the heading level that ends it (7: any heading ends it)
    truncated: bool = False


@dataclass(slots=True)
class _Paper:
    key: str
    title: str
    line: int
    arxiv_id: str | None
    abstract: str = ""
    authors: tuple[str, ...] = ()
    upvotes: int | None = None
    published: str | None = None
    truncated: bool = False
    title_rank: int = 0


@dataclass(slots=True)
class _Section:
    label: str | None
    iso: str | None
    line: int | None
    papers: list[_Paper] = field(default_factory=list)
    by_key: dict[str, _Paper] = field(default_factory=dict)  # id (or title) -> paper


class _Warnings:
    """Warnings with a line each; many of one kind fold into one with a count."""

    LIMIT = 8

    def __init__(self) -> None:
        self.items: list[ParseWarning] = []
        self.counts: Counter[str] = Counter()
        self.overflow: dict[str, int] = {}  # kind: line of the first one not listed

    def add(self, line: int, message: str, kind: str = "") -> None:
        if kind:
            self.counts[kind] += 1
            if self.counts[kind] > self.LIMIT:
                self.overflow.setdefault(kind, line)
                return
        self.items.append(ParseWarning(line, message))

    def finish(self) -> tuple[ParseWarning, ...]:
        for kind, line in self.overflow.items():
            more = self.counts[kind] - self.LIMIT
            self.items.append(ParseWarning(line, f"… and {more} more {kind} like the above"))
        self.items.sort(key=lambda w: w.line)
        return tuple(self.items)


def _excerpt(text: str, limit: int = 60) -> str:
    text = " ".join(text[: limit * 4].split())
    return repr(text if len(text) <= limit else text[: limit - 1].rstrip() + "…")


def parse(text: str, source: str = "<page>") -> ParsedDigest | None:
    """Read a page whose papers are links; None when it has no such links.

    Raises :class:`DigestError` when the page has paper links but most of what
    looks like a paper cannot be read as one.
    """
    if not _might_link_papers(text):
        return None
    return _Page(text, source).read()


class _Page:
    def __init__(self, text: str, source: str) -> None:
        self.source = source
        self.warn = _Warnings()
        raw_lines = markup.strip_controls(text).split("\n")
        self.front: dict[str, str] = {}
        front = _front_matter(raw_lines)
        for index in range(front):
            key, sep, value = raw_lines[index].partition(":")
            if sep:
                self.front[key.strip().casefold()] = value.strip().strip("\"'")
            raw_lines[index] = ""
        refs = markup.reference_definitions(raw_lines)
        for index in refs.lines:
            raw_lines[index] = raw_lines[index] if raw_lines[index].lstrip()[:1] != "[" else ""
        if "<" in text:
            raw_lines = [markup.html_links_to_markdown(line) for line in raw_lines]
        if refs.lynx:
            raw_lines = markup.lynx_to_markdown(raw_lines, refs)
            for index in refs.lines:
                raw_lines[index] = ""
        self.lines = _build_lines("\n".join(raw_lines), refs)
        self.reader_title = next(
            (m.group(1) for line in raw_lines[:10] if (m := _READER_TITLE.match(line))), ""
        )
        self.has_ids = any(line.ids for line in self.lines)
        # Papers named under a "Sources" / "References" heading: id -> (title, line).
        self.references: dict[str, tuple[str, int]] = {}

    # -- cards ---------------------------------------------------------------------------
    def read(self) -> ParsedDigest | None:
        single = self._single_paper()
        if single is not None:
            return single
        cards = self._cards()
        if not cards:
            return None
        sections = self._sections(cards)
        papers = [p for s in sections for p in s.papers]
        doubtful = self.warn.counts["doubtful"]
        if not papers or doubtful > len(papers):
            found = len(papers)
            raise DoubtfulDigestError(
                self.source,
                f"{self.source}: {doubtful} of the {doubtful + found} paper links or headings "
                "found have no title that can be read (nothing was imported); if this is a "
                "digest in another format, try --format (text, hf-json, arxiv, html), and "
                "--date if it names no day",
            )
        result = tuple(
            ParsedSection(s.label, s.iso, s.line, tuple(_finish(p) for p in s.papers))
            for s in sections
            if s.papers
        )
        if all(s.label is None for s in result):
            self.warn.add(1, "the page names no day (no date line or date heading near the top)")
        return ParsedDigest(result, self.warn.finish())

    # -- the page of one paper ------------------------------------------------------------
    def _single_paper(self) -> ParsedDigest | None:
        """The page of one paper (``huggingface.co/papers/ID`` clipped or converted).

        Known by the page's own address (front matter ``source:``, a reader's
        ``URL Source:`` line): its paper is the first heading, its abstract the
        text under ``Abstract``; the papers it links to (recommendations,
        citations) are not papers of this page.
        """
        pid = self._own_paper_id()
        if pid is None:
            return None
        lines = self.lines
        start = next(
            (
                i
                for i, line in enumerate(lines)
                if 0 < line.heading <= 2
                and _title_of(line.text, heading=True)
                and _heading_key(line.text) not in _ABSTRACT_LABELS
            ),
            None,
        )
        title = _title_of(lines[start].text, heading=True) if start is not None else None
        if title is None:
            named = self.front.get("title") or self.reader_title
            title = _title_of(_PAPER_PAGE.sub("", named), heading=True) if named else None
        if title is None:
            return None
        first = start if start is not None else 0
        end = next((i for i in range(first + 1, len(lines)) if lines[i].heading >= 0), len(lines))
        day_label, day_iso, day_no = self._page_day(end)
        content = _CardContent(self, _Card(first, title, pid, 7), _iso_day(day_iso))
        content.read(lines[first + 1 :])
        paper = content.paper(content.votes[0] if content.votes else None)
        if paper is None:
            return None
        others = {p for line in lines for p in line.ids} - {pid}
        if others:
            self.warn.add(
                lines[first].no,
                f"skipped {len(others)} other paper{'s' if len(others) != 1 else ''} the page "
                "links to: it is the page of one paper",
            )
        section = ParsedSection(day_label, day_iso, day_no, (_finish(paper),))
        return ParsedDigest((section,), self.warn.finish())

    def _own_paper_id(self) -> str | None:
        """The paper id in the page's own address, if the page is one paper's page."""
        for key in ("source", "url", "link", "canonical", "original_url"):
            value = self.front.get(key)
            if value and _PAPER_PAGE_URL.search(value):
                return markup.paper_id(value)
        for line in self.lines[:15]:
            m = _READER_URL.match(line.text)
            if m and _PAPER_PAGE_URL.search(m.group(1)):
                return markup.paper_id(m.group(1))
        return None

    def _cards(self) -> list[_Card]:
        lines = self.lines
        cards: dict[int, _Card] = {}
        if self.has_ids:
            in_references = False
            for index, line in enumerate(lines):
                if line.heading >= 0:
                    in_references = bool(_REFERENCES.fullmatch(_heading_key(line.text)))
                if not line.ids or line.table:
                    continue
                card = self._title_link(line) if line.link_only else self._entry(line)
                if card is None:
                    continue
                card.line = index
                if in_references:
                    # A list of works the page cites: they name papers, they are not its papers.
                    self.references.setdefault(card.paper_id or "", (card.title or "", line.no))
                    continue
                cards[index] = card
            level = self._card_level(cards)
            if level is not None:
                for index, card in self._heading_cards(level, cards):
                    cards[index] = card
        else:
            # No id anywhere: "### [Title][12]" headings whose link list was cut off.
            for index, line in enumerate(lines):
                if line.heading > 0 and line.link_only and len(line.links) == 1:
                    title = _title_of(line.links[0].text, heading=True)
                    if title:
                        cards[index] = _Card(index, title, None, line.heading, _truncated(title))
            if len(cards) < 2:
                cards = self._prose_heading_cards()
            if len(cards) < 2:
                return []
        return [cards[i] for i in sorted(cards)]

    def _prose_heading_cards(self) -> dict[int, _Card]:
        """No link anywhere: ``### Title`` headings over an abstract and a paper's fields.

        A copy of a papers view that lost all its links. The headings of one
        level are cards when most of them have prose right under them and most
        of those also carry a field of a paper card (``8 authors``, upvotes, a
        GitHub star count, a date): a document's headings over paragraphs
        (documentation, a README) have no such fields.
        """
        lines = self.lines
        best: list[int] = []
        best_level = 0
        for level in sorted({line.heading for line in lines if line.heading > 0}):
            heads = [
                i
                for i, line in enumerate(lines)
                if line.heading == level and not self._day_heading(line)
            ]
            good = [i for i in heads if self._card_under(i)]
            if len(good) >= 3 and len(good) * 5 >= len(heads) * 3 and len(good) > len(best):
                best, best_level = good, level
        cards: dict[int, _Card] = {}
        for index in best:
            title = _title_of(lines[index].text, heading=True)
            if title:
                cards[index] = _Card(index, title, None, best_level, _truncated(title))
        return cards

    def _card_under(self, index: int) -> bool:
        """Prose and a card field between this heading and the next one."""
        prose = field_line = False
        paragraph: list[str] = []  # hard-wrapped lines read as the paragraph they make
        for line in self.lines[index + 1 : index + 80]:
            if line.heading >= 0:
                break
            text = line.text
            if (
                _AUTHOR_COUNT.fullmatch(text)
                or _STARS.fullmatch(text)
                or dates.date_only(text)
                or _SUBMITTED.match(text)
                or (_votes(text) is not None and _VOTE_MARK.search(line.raw))
            ):
                field_line = True
                text = ""
            if text:
                paragraph.append(text)
                continue
            prose = prose or (bool(paragraph) and _reads_as_text(" ".join(paragraph)))
            paragraph = []
        prose = prose or (bool(paragraph) and _reads_as_text(" ".join(paragraph)))
        return prose and field_line

    def _title_link(self, line: _Line) -> _Card | None:
        """A card from a line that is a link to a paper whose text reads as a title."""
        for link in line.links:
            pid, text = (None, "") if link.image else _link_id(link)
            if pid is None:
                continue
            title = _title_of(text, heading=line.heading >= 0)
            if title is None:
                continue
            level = line.heading if line.heading >= 0 else 7
            return _Card(0, title, pid, level, _truncated(title))
        return None

    def _entry(self, line: _Line) -> _Card | None:
        """A card from a list entry: ``**Title** — `ID` — [Hugging Face](…)``."""
        if line.heading >= 0:
            return None
        body = line.raw.strip()
        m = _BULLET.match(body)
        if m:
            body = body[m.end() :]
        parts = _ENTRY_SEPARATOR.split(body, maxsplit=1)
        if len(parts) < 2 or _PLACE in parts[0] or "`" in parts[0]:
            return None
        head = parts[0].strip()
        if not (head.startswith(("**", "__")) or (head.startswith("*") and head.endswith("*"))):
            return None  # an entry's title is set off; plain text before a dash is prose
        title = _title_of(markup.unescape(head), heading=False)
        if title is None or title.endswith((":", "：")):
            return None
        return _Card(0, title, line.ids[0], 7, _truncated(title))

    def _card_level(self, title_links: dict[int, _Card]) -> int | None:
        """The heading level whose sections hold one paper each, most often.

        Sub-headings inside a card hold the card's id too (the section with
        the link) as often as the card's heading does; they are told apart by
        the share of headings of their level that hold an id at all: every
        card heading does, most sub-headings do not. A tie goes to the
        shallower level.
        """
        levels = sorted({line.heading for line in self.lines if line.heading >= 0})
        best: tuple[int, float, int] | None = None
        for level in levels:
            sections = [len(ids) for _, ids in self._sections_at(level, title_links)]
            good = [n for n in sections if 1 <= n <= _MAX_CARD_IDS]
            if not good:
                continue
            first = next(i for i, n in enumerate(sections) if 1 <= n <= _MAX_CARD_IDS)
            empty = sum(1 for n in sections[first:] if n == 0)
            key = (len(good), len(good) / (len(good) + empty), -level)
            if best is None or key > best:
                best = key
        return -best[2] if best else None

    def _sections_at(
        self, level: int, title_links: dict[int, _Card]
    ) -> Iterable[tuple[int, list[str]]]:
        """(heading index, distinct ids) per heading of exactly ``level``.

        A section ends at the next heading of ``level`` or above. A section
        holding title links of its own is a list of papers, not one card.
        """
        lines = self.lines
        current: int | None = None
        ids: list[str] = []
        listed = False
        for index, line in enumerate(lines):
            if 0 <= line.heading <= level:
                if current is not None and not listed:
                    yield current, ids
                # A heading naming a day ("Daily Papers (2025-04-25)") heads a digest, not a card.
                own = line.heading == level and index not in title_links
                current = index if own and self._day_heading(line) is None else None
                ids = []
                listed = False
                continue
            if current is None:
                continue
            if index in title_links:
                listed = True
            for pid in line.ids:
                if pid not in ids:
                    ids.append(pid)
        if current is not None and not listed:
            yield current, ids

    def _heading_cards(
        self, level: int, title_links: dict[int, _Card]
    ) -> Iterable[tuple[int, _Card]]:
        for index, ids in self._sections_at(level, title_links):
            line = self.lines[index]
            if not ids:
                continue
            if len(ids) > _MAX_CARD_IDS:
                continue  # "## Papers at a glance" over a table: a list, not one paper
            title = _title_of(line.text, heading=True)
            yield index, _Card(index, title, ids[0], level, bool(title and _truncated(title)))

    # -- sections and papers ---------------------------------------------------------------
    def _sections(self, cards: list[_Card]) -> list[_Section]:
        lines = self.lines
        first = cards[0].line
        page_day = self._page_day(first)
        current = _Section(*page_day)
        sections = [current]
        day = _iso_day(page_day[1])
        found: list[_Paper] = []
        claimed: set[str] = set()
        starts = [c.line for c in cards]
        votes_first = self._votes_first(first)
        carried: int | None = None
        if votes_first:
            carried = self._header_votes(first)
        for number, card in enumerate(cards):
            end = starts[number + 1] if number + 1 < len(cards) else len(lines)
            # A heading at the card's level or above, or a day heading, ends it early.
            stop = end
            for index in range(card.line + 1, end):
                line = lines[index]
                if 0 <= line.heading <= card.level or (
                    line.heading > 0 and self._day_heading(line)
                ):
                    stop = index
                    break
            content = _CardContent(self, card, day)
            content.read(lines[card.line + 1 : stop])
            if votes_first:
                # Each count sits above its title: the counts in this card's region
                # belong to the next card, the one carried here to this one.
                paper = content.paper(carried)
                carried = content.votes[-1] if content.votes else None
            else:
                paper = content.paper(content.votes[0] if content.votes else None)
            line = lines[card.line]
            claimed.update(line.ids)
            claimed.update(content.ids)
            if paper is None:
                self.warn.add(
                    line.no,
                    f"skipped {_excerpt(line.text)} (a link to a paper, but no title for it)",
                    kind="doubtful",
                )
            else:
                self._add(current, paper)
                found.append(paper)
            if stop < end:
                day_line = self._day_between(stop, end)
                if day_line is not None:
                    # A day heading: the next cards are that day's (the same day again,
                    # as on a page copied twice, goes on with the day it names).
                    label, iso, no = day_line
                    known = next((s for s in sections if (s.label, s.iso) == (label, iso)), None)
                    if known is None:
                        known = _Section(label, iso, no)
                        sections.append(known)
                    current = known
                    day = _iso_day(iso) or day
                self._skip_between(stop, end)
        self._skip_between(0, first, header=True)
        keys = {p.key for p in found}
        cited = [(no, pid) for pid, (_, no) in self.references.items() if pid not in keys]
        if cited:
            claimed.update(pid for _, pid in cited)
            self.warn.add(
                min(cited)[0],
                f"skipped {len(cited)} paper{'s' if len(cited) != 1 else ''} listed only under "
                "a sources or references heading (works the page cites, not papers of this page)",
            )
        for line in lines:
            for pid in line.ids:
                if pid not in claimed:
                    claimed.add(pid)
                    self.warn.add(
                        line.no,
                        f"skipped the link to paper {pid}: no title for it on the page",
                        kind="unread paper links",
                    )
        for paper in (p for s in sections for p in s.papers):
            if paper.truncated:
                self.warn.add(
                    paper.line, f"the page shows only {_excerpt(paper.title)}: a cut-off title"
                )
        return sections

    def _add(self, section: _Section, paper: _Paper) -> None:
        """A paper into its day's digest; the same paper again on that day fills in."""
        known = section.by_key.get(paper.key)
        if known is not None:
            _merge(known, paper)
            return
        section.by_key[paper.key] = paper
        section.papers.append(paper)

    def _votes_first(self, first: int) -> bool:
        """Does the page put each upvote count above its title (the site's cards do)?"""
        for line in reversed(self.lines[max(0, first - 12) : first]):
            if line.blank:
                continue
            votes = _votes(line.text)
            if votes is not None and (
                line.link_only or _VOTE_MARK.search(line.raw) or line.text.isdigit()
            ):
                return True
            if line.link_only and not line.ids:
                continue  # an avatar, a user name
            if line.heading >= 0 or (line.text and not is_page_noise(line.text)):
                return False
        return False

    def _header_votes(self, first: int) -> int | None:
        for line in reversed(self.lines[max(0, first - 12) : first]):
            votes = _votes(line.text) if not line.blank else None
            if votes is not None:
                return votes
        return None

    def _skip_between(self, start: int, end: int, header: bool = False) -> None:
        """Say which title-shaped lines outside any card were not taken for papers."""
        for line in self.lines[start:end]:
            if line.blank or line.link_only or line.ids:
                continue
            text = _ALT_ANYWHERE.sub("", line.text)  # "by[图片：…] AK and the research community"
            if not text or len(text.split()) < 3 or _label(text) is not None:
                continue
            if self._day_heading(line) or dates.find_date(text) or _SUBMITTED.match(text):
                continue
            if _title_of(text, heading=True) is not None and not (header and line.heading == 1):
                self.warn.add(
                    line.no,
                    f"skipped {_excerpt(text)} (no link to a paper; not taken for one)",
                    kind="lines without a paper link",
                )

    # -- days --------------------------------------------------------------------------------
    def _day_heading(self, line: _Line) -> dates.DateMention | None:
        if line.heading < 0 or len(line.text) > 120 or line.link_only:
            return None
        return dates.find_date(line.text)

    def _day_between(self, start: int, end: int) -> tuple[str, str | None, int] | None:
        for line in self.lines[start:end]:
            found = self._day_heading(line)
            if found is not None:
                return found.label, found.iso, line.no
        return None

    def _page_day(self, first: int) -> tuple[str | None, str | None, int | None]:
        """The page's own day from its head: (label, ISO date, line)."""
        strong: tuple[dates.DateMention, int] | None = None
        weak: tuple[dates.DateMention, int] | None = None
        linked: tuple[dates.DateMention, int] | None = None
        capture: dates.DateMention | None = None
        for key in _FRONT_DATE_KEYS:
            if key in self.front:
                capture = capture or dates.find_date(self.front[key])
        for index, line in enumerate(self.lines[:first]):
            if line.blank:
                continue
            text = line.text
            if _CAPTURE.match(text.lstrip("-*• ")):
                capture = capture or dates.find_date(text)
                continue
            if strong is None:
                found = self._day_heading(line) or dates.date_only(text)
                if found is not None:
                    strong = (found, line.no)
                    continue
            if linked is None:
                linked = _day_of_links(line)
            if weak is None and index < _HEAD_LINES and len(text) <= 120:
                found = dates.find_date(text)
                if found is not None:
                    weak = (found, line.no)
        chosen = strong or linked or weak
        if chosen is None:
            if capture is not None and capture.iso:
                return capture.label, capture.iso, None
            return None, None, None
        mention, no = chosen
        iso = mention.iso
        if iso is None and capture is not None and capture.iso:
            iso = dates.resolve_year(mention, _iso_day(capture.iso))
        return mention.label, iso, no


def _day_of_links(line: _Line) -> tuple[dates.DateMention, int] | None:
    """The day in a link to a day's list (``papers?date=2023-09-25``, ``papers/week/2026-W22``).

    Not from ``Previous`` / ``Next``: those name the neighbouring days.
    """
    for link in line.links:
        if not link.url or _NEIGHBOUR.fullmatch(link.text):
            continue
        m = _DAY_IN_URL.search(link.url) or _WEEK_IN_URL.search(link.url)
        if m:
            found = dates.find_date(next(g for g in m.groups() if g))
            if found is not None:
                return found, line.no
    return None


def _heading_key(text: str) -> str:
    """A heading's words only: ``## 📚 Sources:`` → ``sources``."""
    text = _NUMBERING.sub("", text, count=1)
    return _LEAD_SYMBOLS.sub("", text, count=1).strip(" :：").casefold()


def _iso_day(iso: str | None) -> dt.date | None:
    if not iso:
        return None
    try:
        return dt.date.fromisoformat(iso)
    except ValueError:
        return None


def _front_matter(lines: list[str]) -> int:
    if not lines or lines[0].strip() != "---":
        return 0
    for index in range(1, min(len(lines), 100)):
        if lines[index].strip() in ("---", "..."):
            return index + 1
    return 0


# --------------------------------------------------------------------------
# One card
# --------------------------------------------------------------------------


class _CardContent:
    """The fields of one card, read from its lines after the title."""

    def __init__(self, page: _Page, card: _Card, day: dt.date | None) -> None:
        self.page = page
        self.card = card
        self.day = day
        self.ids: list[str] = []
        self.paragraphs: list[list[str]] = [[]]  # the card's text, paragraph by paragraph
        self.labelled: list[tuple[str, list[list[str]]]] = []  # ("abstract", paragraphs)
        self.target: list[list[str]] = self.paragraphs
        self.original_title: str | None = None
        self.in_original_title = False
        self.authors: tuple[str, ...] = ()
        self.votes: list[int] = []  # upvote counts in the card's region, in order
        self.published: str | None = None

    def _text(self, text: str, new_paragraph: bool = False) -> None:
        if new_paragraph and self.target[-1]:
            self.target.append([])
        self.target[-1].append(text)

    def _break(self) -> None:
        if self.target[-1]:
            self.target.append([])

    def read(self, lines: list[_Line]) -> None:
        for line in lines:
            self.ids.extend(line.ids)
            if line.blank:
                self.in_original_title = False
                self._break()
                continue
            text = line.text
            if self.in_original_title and not line.heading >= 0 and _label(text) is None:
                self.original_title = f"{self.original_title} {text}"
                continue
            self.in_original_title = False
            if line.heading >= 0:
                self._sub_heading(text)
                continue
            if not text or _RULE.fullmatch(line.raw.strip()):
                continue
            if self._meta(line, text):
                continue
            if line.link_only:
                prose = [link.text for link in line.links if not link.image and is_prose(link.text)]
                if prose:
                    self._text(" ".join(prose), new_paragraph=True)
                continue
            if is_page_noise(text):
                continue
            self._text(text, new_paragraph=line.bullet)

    def _sub_heading(self, text: str) -> None:
        key = _LEAD_SYMBOLS.sub("", _NUMBERING.sub("", text, count=1), count=1)
        key = key.strip(" :：").casefold()
        base = re.sub(r"\s*\(.*\)$", "", key)
        if key in _ABSTRACT_LABELS or base in _ABSTRACT_LABELS:
            self.target = [[]]
            self.labelled.append(("translation" if _TRANSLATION.search(key) else key, self.target))
            return
        self.target = self.paragraphs
        self._break()
        if text:
            self._text(text)
            self._break()

    def _meta(self, line: _Line, text: str) -> bool:
        """Take a field line (authors, votes, a date, an id); False for other text."""
        labelled = _label(text) if not line.link_only else None
        if labelled is not None:
            label, value = labelled
            base = re.sub(r"\s*\(.*\)$", "", label)
            if label in _ORIGINAL_TITLE_LABELS or base in _ORIGINAL_TITLE_LABELS:
                self.original_title = value
                self.in_original_title = True
                return True
            if label in _ABSTRACT_LABELS or base in _ABSTRACT_LABELS:
                self.target = [[]]
                kind = "translation" if _TRANSLATION.search(label) else label
                self.labelled.append((kind, self.target))
                if value:
                    self._text(value)
                return True
            if label in _AUTHOR_LABELS and value:
                if not self.authors:
                    self.authors = fields.split_authors(value)
                return True
            if label in _VOTE_LABELS:
                votes = _votes(_LEAD_SYMBOLS.sub("", value.split()[0]) if value else "")
                if votes is not None:
                    self._set_votes(votes)
                return True
            if label in _DATE_LABELS:
                found = dates.find_date(value)
                if found is not None:
                    self._published(found)
                return True
            if label in _SKIP_LABELS:
                return True
        if line.ids and line.link_only:
            # "[1.09k](…/papers/ID) [4](…/papers/ID#community)": upvotes, then comments.
            for link in line.links:
                votes = _votes(link.text) if link.url and "#" not in link.url else None
                if votes is not None and link.paper_id:
                    self._set_votes(votes)
                    break
            return True
        if line.ids and len(text) < 80 and not is_prose(text):
            return True  # "Link: https://…/papers/ID", "arXiv:2410.05258", a card's own link
        if _SUBMITTED.match(text):
            return True  # "Submitted by taesiri": who put it on the list
        found = dates.date_only(text)
        if found is None and line.links:
            found = dates.date_only(_without_links(line))
        if found is not None:
            self._published(found)
            return True
        votes = _votes(text)
        if votes is not None and (line.link_only or _VOTE_MARK.search(line.raw) or text.isdigit()):
            self._set_votes(votes)
            return True
        if _AUTHOR_COUNT.fullmatch(text) or _COMMENTS.fullmatch(text):
            return True
        return not any(c.isalnum() for c in text)

    def _set_votes(self, votes: int) -> None:
        self.votes.append(votes)

    def _published(self, found: dates.DateMention) -> None:
        if self.published is None:
            self.published = dates.resolve_year(found, self.day) or found.text

    # -- result ------------------------------------------------------------------------------
    def paper(self, votes: int | None) -> _Paper | None:
        card = self.card
        title = card.title
        rank = 2 if title else 0
        if self.original_title:
            original = _title_of(self.original_title, heading=True)
            if original:
                title, rank = original, 3
        if title is None:
            return None
        pid = card.paper_id
        key = pid or normalize_title(title)
        if not key:
            return None
        return _Paper(
            key=key,
            title=title,
            line=self.page.lines[card.line].no,
            arxiv_id=pid,
            abstract=self._abstract(),
            authors=self.authors,
            upvotes=votes,
            published=self.published,
            truncated=card.truncated and rank < 3,
            title_rank=rank,
        )

    def _abstract(self) -> str:
        chosen: list[list[str]] | None = None
        for kind, paragraphs in self.labelled:
            if kind != "translation" and any(paragraphs):
                chosen = paragraphs
                break
        if chosen is None:
            chosen = self.paragraphs if any(self.paragraphs) else None
        if chosen is None:
            for _, paragraphs in self.labelled:
                if any(paragraphs):
                    chosen = paragraphs
                    break
        if chosen is None:
            return ""
        texts = [" ".join(p) for p in chosen if p]
        # The site puts its AI summary first, labelled after it: the abstract follows.
        marks = [i for i, t in enumerate(texts) if _AI_SUMMARY.fullmatch(t)]
        if marks and marks[-1] + 1 < len(texts):
            texts = texts[marks[-1] + 1 :]
        return "\n\n".join(texts)


def _merge(known: _Paper, other: _Paper) -> None:
    """The same paper again (a second rendering, a table row and a card): fill in."""
    better = (other.title_rank, not other.truncated) > (known.title_rank, not known.truncated)
    if known.truncated and not other.truncated:
        better = True
    if better:
        known.title, known.title_rank, known.truncated = (
            other.title,
            other.title_rank,
            other.truncated,
        )
    if len(other.abstract) > len(known.abstract):
        known.abstract = other.abstract
    known.authors = known.authors or other.authors
    if other.upvotes is not None:
        known.upvotes = max(known.upvotes or 0, other.upvotes)
    known.published = known.published or other.published


def _finish(paper: _Paper) -> ParsedPaper:
    pid = paper.arxiv_id
    return ParsedPaper(
        title=paper.title,
        abstract=paper.abstract,
        line=paper.line,
        arxiv_id=pid,
        url=fields.arxiv_url(pid) if pid else None,
        authors=paper.authors,
        upvotes=paper.upvotes,
        published=paper.published,
    )
