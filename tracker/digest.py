"""Parse plain-text copies of Hugging Face "Daily Papers" pages into papers.

The clean format is a run of blocks separated by blank lines: a header of page
noise (``new``, ``Subscribe``, ``Daily Papers`` …), a date line such as
``Aug 25``, then alternating title and abstract blocks. Copies made by other
people, text browsers (lynx, w3m), Markdown converters and note-taking apps add
navigation menus, URLs, upvote counts, Markdown syntax, wrapped lines and so on.

The parser works in three passes, all linear in the size of the text:

1. every line is classified on its own: blank, known page noise (skipped
   silently), a date line, page metadata (a URL, an arXiv id, an upvote count,
   ``Submitted by …``) or text; Markdown / lynx decoration is peeled off first;
2. consecutive text lines form blocks, and each block is classified by its
   shape: a title is short and not a run of sentences, an abstract is prose;
3. a small state machine walks the blocks: a title opens a paper, the prose
   after it is its abstract, further prose blocks are more paragraphs of it.
   Metadata lines attach to the paper they belong to.

Nothing is dropped silently unless it is a known noise pattern: everything else
that is skipped yields a :class:`ParseWarning` naming its line.

Known limits: a title that is itself several sentences, or longer than 300
characters, reads as prose; without blank lines, a page whose lines are all
shorter than 200 characters is taken for text wrapped at a fixed width; a title
without an abstract is only kept between two papers or with an arXiv link.

Pure: no file I/O, no Textual; only the standard library and
:mod:`tracker.models`. Linear time: no line is matched by a pattern that can
backtrack badly, and long lines skip the patterns meant for short ones.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from tracker.models import normalize_title

__all__ = [
    "DigestError",
    "DoubtfulDigestError",
    "ParseWarning",
    "ParsedDigest",
    "ParsedPaper",
    "ParsedSection",
    "decode",
    "is_page_noise",
    "is_prose",
    "parse",
    "parse_bytes",
]


# --------------------------------------------------------------------------
# Public types
# --------------------------------------------------------------------------


class DigestError(ValueError):
    """A digest that cannot be read at all; the message always names the file."""

    def __init__(self, source: str, message: str, line: int | None = None) -> None:
        self.source = source
        self.message = message
        self.line = line
        text = message if source and source in message else f"{source}: {message}"
        if line is not None and f"line {line}" not in text:
            text = f"{text} (line {line})"
        super().__init__(text)


class DoubtfulDigestError(DigestError):
    """A page with paper candidates, most of which cannot be read as papers: refused.

    Its message says why and what to do (``--format``, ``--date``); callers
    pass it on as it is rather than as "no papers found".
    """


@dataclass(frozen=True, slots=True)
class ParsedPaper:
    """One paper as found on the page."""

    title: str
    abstract: str
    line: int  # 1-based line number of the title
    arxiv_id: str | None = None
    url: str | None = None
    authors: tuple[str, ...] = ()
    upvotes: int | None = None
    # When the paper came out, as the page prints it next to the paper (search
    # and trending views): ISO ``YYYY-MM-DD`` when the year is known, else as
    # printed (``Mar 13``). Never the digest's day.
    published: str | None = None


@dataclass(frozen=True, slots=True)
class ParsedSection:
    """The papers under one date line (or the whole page when it has none)."""

    label: str | None  # the date line as printed; None when the page has none
    date: str | None  # ISO date, only when the label carries a year
    line: int | None  # line of the date label
    papers: tuple[ParsedPaper, ...]


@dataclass(frozen=True, slots=True)
class ParseWarning:
    """Something the parser skipped or guessed, with the line it is on."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass(frozen=True, slots=True)
class ParsedDigest:
    """The result of parsing one page."""

    sections: tuple[ParsedSection, ...]
    warnings: tuple[ParseWarning, ...]

    @property
    def papers(self) -> tuple[ParsedPaper, ...]:
        """Every paper of every section, in page order."""
        return tuple(p for s in self.sections for p in s.papers)


# --------------------------------------------------------------------------
# Decoding
# --------------------------------------------------------------------------

_BOM = "\ufeff"
_SAMPLE = 1 << 16


def _normalize_newlines(text: str) -> str:
    if text.startswith(_BOM):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _line_of_offset(data: bytes, offset: int) -> int:
    head = data[:offset]
    return head.count(b"\n") + head.count(b"\r") - head.count(b"\r\n") + 1


def decode(data: bytes, source: str) -> str:
    """Bytes to text: strict UTF-8, BOM stripped, CRLF / CR turned into LF.

    Raises :class:`DigestError` for empty input, binary data and text that is
    not UTF-8 (naming the line of the first bad byte).
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if not data.strip():
        raise DigestError(source, "empty file (no text to parse)")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DigestError(source, "UTF-16 text, not UTF-8 (save the file as UTF-8)")
    if b"\x00" in data:
        raise DigestError(source, "binary data, not a text file (it contains NUL bytes)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        sample = data[:_SAMPLE].decode("utf-8", errors="replace")
        bad = sample.count("\ufffd") + len(_BINARY.findall(sample))
        if bad * 10 > len(sample):
            raise DigestError(source, "binary data, not a text file") from None
        line = _line_of_offset(data, err.start)
        raise DigestError(
            source, f"not UTF-8 text (invalid byte at line {line})", line=line
        ) from None
    sample = text[:_SAMPLE]
    if len(_BINARY.findall(sample)) * 10 > len(sample):
        raise DigestError(source, "binary data, not a text file (mostly control characters)")
    return _normalize_newlines(text)


def parse_bytes(data: bytes, source: str) -> ParsedDigest:
    """:func:`decode` then :func:`parse`."""
    return parse(decode(data, source), source)


# --------------------------------------------------------------------------
# Line patterns
# --------------------------------------------------------------------------

# C0 / C1 control characters other than tab and newline.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Control characters that do not occur in text files (tab, newlines, form feed and
# the escape of terminal colours do).
_BINARY = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
_ANSI = re.compile(r"\x1b(?:\[[0-9;?]{0,32}[ -/]{0,4}[@-~]|\][^\x07\x1b]{0,512}(?:\x07|\x1b\\)?)")
_EDGE_JUNK = "\u200b\u200c\u200d\u2060\ufeff"

# Lines of the site's header, navigation menu and footer, compared case-folded
# with runs of whitespace collapsed and trailing "!.:" dropped.
_NOISE_LINES = """
    new
    get trending papers in your email inbox
    get trending papers in your email inbox once a day
    subscribe
    daily papers
    byak and the research community
    by ak and the research community
    hugging face
    huggingface
    hugging face's logo
    hugging face's logo hugging face
    models
    datasets
    spaces
    posts
    docs
    documentation
    pricing
    enterprise
    solutions
    community
    log in
    login
    sign in
    sign up
    signup
    system theme
    light theme
    dark theme
    theme
    company
    tos
    terms of service
    privacy
    privacy policy
    about
    jobs
    careers
    website
    blog
    learn
    forum
    status
    changelog
    press
    brand assets
    resources
    github
    twitter
    linkedin
    discord
    papers
    trending papers
    trending
    collections
    search
    search models, datasets, users
    search models, datasets, users...
    previous
    next
    prev
    daily
    weekly
    monthly
    day
    week
    month
    view all
    see all
    show more
    load more
    more
    menu
    toggle navigation
    skip to content
    back to top
    abstract
    references
    visible links
    hidden links
    paper page
    submit
    submit a paper
    upvote
    upvotes
    upvoted
    comment
    comments
    share
    copy link
    copied
    follow
    following
    view arxiv page
    view pdf
    add to collection
    pdf
    project page
    code
    demo
    models citing this paper
    datasets citing this paper
    spaces citing this paper
    collections including this paper
"""
_NOISE = frozenset(" ".join(line.split()) for line in _NOISE_LINES.strip().splitlines())
_NOISE_MAX_WORDS = max(len(phrase.split()) for phrase in _NOISE)
_NOISE_WORDS = frozenset(word.rstrip("!.:") for phrase in _NOISE for word in phrase.split())

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH_RE = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_WEEKDAY_RE = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
_DATE_MD = re.compile(
    rf"{_WEEKDAY_RE}(?P<mon>{_MONTH_RE})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?"
    r"(?:,?\s+(?P<year>\d{4}))?",
    re.IGNORECASE,
)
_DATE_DM = re.compile(
    rf"{_WEEKDAY_RE}(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mon>{_MONTH_RE})\.?"
    r"(?:,?\s+(?P<year>\d{4}))?",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"\d")
_DATE_ISO = re.compile(r"(?P<year>\d{4})-(?P<mon>\d{2})-(?P<day>\d{2})")

_ARXIV_ID = r"(\d{4}\.\d{4,5}|[a-z][a-z.-]*/\d{7})"
_PAPER_URL_ID = re.compile(
    r"(?:huggingface\.co/papers/|hf\.co/papers/|^/papers/|arxiv\.org/(?:abs|pdf|html)/)"
    + _ARXIV_ID
    + r"(?:v\d+)?",
    re.IGNORECASE,
)
_URL_IN = re.compile(r"(?:https?://|www\.)\S", re.IGNORECASE)
_URL = re.compile(r"<?((?:https?://|www\.)[^\s<>]+)>?", re.IGNORECASE)
_ARXIV_LINE = re.compile(
    r"arxiv\s*(?::|id:?)?\s*" + _ARXIV_ID + r"(?:v\d+)?(?:\s*\[[\w.\-]+\])?", re.IGNORECASE
)
# "Paper • 2410.05258 • Published Oct 7 • 181" (collections), or a bare id.
_PAPER_LINE = re.compile(
    r"(?:paper\s*[•·|]\s*)?(\d{4}\.\d{4,5})(?:v\d+)?"
    r"(?:\s*[•·|]\s*published\b[^•·|]{0,30})?(?:\s*[•·|]\s*(\d{1,7}))?",
    re.IGNORECASE,
)
_UPVOTES = re.compile(
    r"(?:[▲△⬆↑⇧👍^]|upvotes?:?|votes?:?)?\s*(\d{1,3}(?:,\d{3})+|\d{1,9}|\d+(?:\.\d+)?k)"
    r"\s*(?:upvotes?|votes?|likes?)?",
    re.IGNORECASE,
)
_UPVOTE_MARK = re.compile(r"[▲△⬆↑⇧👍^]|upvotes?|votes?", re.IGNORECASE)
_AUTHOR_COUNT = re.compile(
    r"(?:[·•]\s*)?(?:view\s+all\s+|\+\s*)?\d+\s+(?:more\s+)?authors?", re.IGNORECASE
)
_AUTHORS = re.compile(r"(?:authors?|by)\s*:\s*(?P<names>.+)", re.IGNORECASE)
_BARE_BY = re.compile(r"\bby\s*$", re.IGNORECASE)
_SUBMITTED = re.compile(r"submitted\s+by\b.{0,80}", re.IGNORECASE)
_PUBLISHED = re.compile(
    rf"(?:published|posted|added)(?:\s+on)?\s+(?:{_WEEKDAY_RE}{_MONTH_RE}|\d).{{0,30}}",
    re.IGNORECASE,
)
_COMMENTS = re.compile(r"(?:[·•]\s*)?\d+\s+comments?", re.IGNORECASE)
_COPYRIGHT = re.compile(r"(?:©|\(c\)|copyright\s*(?:©|\(c\)|\d{4})).{0,80}", re.IGNORECASE)

# Markdown and text-browser decoration.
_QUOTE = re.compile(r"(?:>\s*)+")
_HEADING = re.compile(r"#{1,6}(?:\s+|$)")
_BULLET = re.compile(r"[*•+]\s+|\d{1,3}[.)]\s+(?=\[)")
_DASH_BULLET = re.compile(r"-\s+")
_LYNX_REF = re.compile(r"\[\d+\](?![(:])")
_LYNX_DECOR = re.compile(
    r"\[(?:IMG|INLINE|BUTTON|\d+)\](?![(:])|\((?:BUTTON|IMG)\)|IFRAME:", re.IGNORECASE
)
_MD_LINK = re.compile(r"(!?)\[([^\[\]]*)\]\(\s*<?([^()\s<>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
_INLINE_IMAGE = re.compile(r"!\[[^\[\]]*\]\([^()\s]*(?:\s+\"[^\"]*\")?\)")
_INLINE_LINK = re.compile(r"\[([^\[\]]*)\]\([^()\s]*(?:\s+\"[^\"]*\")?\)")
_MD_REF_LINK = re.compile(r"\[([^\[\]]+)\]\[([^\[\]]*)\]")
_BOLD = re.compile(r"(\*\*|__)(.+?)\1")
_MD_REFDEF = re.compile(r"\[([^\[\]]+)\]:\s*<?(\S+?)>?(?:\s+.*)?")
_LYNX_REFDEF = re.compile(r"(\d+)\.\s+((?:https?|ftp|file)://\S+)")
_HAS_ALNUM = re.compile(r"[^\W_]")
_NAV_SEPARATORS = re.compile(r"\[\d+\](?![(:])|[|·•]")
_BRACKETED = re.compile(r"\[[^\[\]]*\]")
_CHECKBOX = re.compile(r"\[[ xX]\]\s+")

# Sentence ends: a terminator followed by the end of the text or by a new
# sentence; "vs.", "e.g.", "et al." and initials do not end one.
_SENTENCE_END = re.compile(
    r"[.!?…][\"'”’)\]]*\s*$"
    r"|(?<![\s.(][A-Za-z])(?<!\bvs)(?<!\bal)(?<!\betc)(?<!\bcf)(?<!\bNo)(?<!\bFig)"
    r"[.!?…][\"'”’)\]]*(?=\s+[\"'“‘(\[]?[^\W_a-z])"
)
_FULL_STOP = re.compile(r"[.!](?:[\"'”’)\]]*)(?=\s|$)")

_DOUBTFUL_MIN = 3  # fewer skipped candidates than this never refuse a page
_MAX_MARKUP = 4000  # longer lines are plain text: no decoration is parsed
_MAX_SHORT = 200  # longer lines are never noise, dates or metadata
_TITLE_MAX = 300  # a title is shorter than this
_LONG_LINE = 200  # a line this long is a paragraph of its own (not hard-wrapped)


# --------------------------------------------------------------------------
# Pass 1: lines
# --------------------------------------------------------------------------

# What _classify_line returns for lines that carry nothing.
_BLANK, _NOISE_LINE = 0, 1


@dataclass(slots=True)
class _Line:
    no: int
    text: str
    strong: bool = False  # heading, whole-line link or bold: a title marker
    lynx: bool = False  # began with a lynx "[12]" link number
    bullet: bool = False  # a list item
    url: str | None = None


@dataclass(slots=True)
class _Meta:
    no: int
    kind: str  # url, arxiv, upvotes, authors, or a page-text kind
    raw: str
    url: str | None = None
    arxiv_id: str | None = None
    upvotes: int | None = None
    authors: tuple[str, ...] = ()


@dataclass(slots=True)
class _Date:
    no: int
    label: str
    iso: str | None
    key: tuple[int, int, int]  # (year or 0, month, day)
    bad: bool = False


def _clean(raw: str) -> str:
    """A line without control characters, terminal colours or edge whitespace."""
    if "\x1b" in raw:
        raw = _ANSI.sub("", raw)
    if _CONTROL.search(raw):
        raw = _CONTROL.sub("", raw.replace("\t", " "))
    elif "\t" in raw:
        raw = raw.replace("\t", " ")
    text = raw.strip()
    if text and (text[0] in _EDGE_JUNK or text[-1] in _EDGE_JUNK):
        text = text.strip(_EDGE_JUNK).strip()
    return text


def _collect_refs(lines: list[str]) -> dict[str, str]:
    """Markdown reference definitions and lynx's numbered link list."""
    refs: dict[str, str] = {}
    for raw in lines:
        text = raw.strip()
        if not text or len(text) > _MAX_MARKUP or "/" not in text:
            continue
        first = text[0]
        if first == "[":
            m = _MD_REFDEF.fullmatch(text)
            if m:
                refs.setdefault(m.group(1).casefold(), m.group(2))
        elif first.isdigit():
            m = _LYNX_REFDEF.fullmatch(text)
            if m:
                refs.setdefault(m.group(1), m.group(2))
    return refs


def _absolute(url: str) -> str:
    if url.startswith("/papers/"):
        return "https://huggingface.co" + url
    if url.startswith("www."):
        return "https://" + url
    return url


def _unwrap(text: str, refs: dict[str, str]) -> _Line | None:
    """Peel Markdown / lynx decoration off a line; None for an image or a bare marker."""
    line = _Line(0, text)
    if len(text) > _MAX_MARKUP:
        return line
    if text.startswith(">"):  # a block quote, maybe nested
        text = text[_QUOTE.match(text).end() :]  # type: ignore[union-attr]
    m = _HEADING.match(text)
    if m:
        line.strong = True
        text = text[m.end() :].rstrip()
        if text.endswith("#"):  # a closing sequence: "## Title ##"
            bare = text.rstrip("#")
            if not bare or bare[-1].isspace():
                text = bare.rstrip()
    m = _BULLET.match(text)
    if m is None:
        m = _DASH_BULLET.match(text)
        if m and len(text) > 60 and text[m.end() : m.end() + 1] not in ("[", "*", "_"):
            m = None  # a dash in wrapped prose, not a list item
    if m:
        line.bullet = True
        text = text[m.end() :]
    m = _CHECKBOX.match(text)
    if m:
        text = text[m.end() :]
    m = _LYNX_REF.match(text)
    if m:
        line.lynx = True
        line.url = refs.get(text[1 : m.end() - 1])
        text = text[m.end() :].lstrip()
        if text.startswith("[") and _LYNX_DECOR.match(text):  # "[12][IMG]"
            return None
    if text.startswith(("[", "![")):
        m = _MD_LINK.fullmatch(text)
        if m:
            if m.group(1):
                return None  # an image
            line.strong = True
            line.url = _absolute(m.group(3)) or None
            text = m.group(2).strip()
        else:
            m = _MD_REF_LINK.fullmatch(text)
            if m:
                line.strong = True
                key = (m.group(2) or m.group(1)).casefold()
                line.url = refs.get(key)
                text = m.group(1).strip()
    elif text.startswith(("**", "__")):
        m = _BOLD.fullmatch(text)
        if m:
            line.strong = True
            text = m.group(2).strip()
    line.text = text
    return line


def _noise_key(text: str) -> str:
    return " ".join(text.casefold().split()).rstrip("!.:")


def _parse_date(text: str, no: int) -> _Date | None:
    year: int | None = None
    m = _DATE_MD.fullmatch(text) or _DATE_DM.fullmatch(text)
    if m:
        month = _MONTHS[m.group("mon")[:3].lower()]
        day = int(m.group("day"))
        if not 1 <= day <= 31:
            return None
        if m.group("year"):
            year = int(m.group("year"))
    else:
        m = _DATE_ISO.fullmatch(text)
        if not m:
            return None
        year, month, day = int(m.group("year")), int(m.group("mon")), int(m.group("day"))
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return None
    key = (year or 0, month, day)
    if year is None:
        return _Date(no, text, None, key)
    try:
        return _Date(no, text, dt.date(year, month, day).isoformat(), key)
    except ValueError:
        return _Date(no, text, None, key, bad=True)


def _parse_upvotes(text: str) -> int:
    text = text.replace(",", "").lower()
    if text.endswith("k"):
        return int(float(text[:-1]) * 1000)
    return int(text)


def _split_authors(names: str) -> tuple[str, ...]:
    parts = re.split(r"\s*(?:,|;|\band\b|&)\s*", names)
    return tuple(p.strip() for p in parts if p.strip())


def _meta(text: str, no: int) -> _Meta | None:
    """Page metadata: URLs, arXiv ids, upvotes, authors and other page text."""
    m = _URL.fullmatch(text)
    if m:
        url = _absolute(m.group(1))
        pid = _PAPER_URL_ID.search(url)
        if pid:
            return _Meta(no, "url", text, url=url, arxiv_id=pid.group(1))
        if "huggingface.co" in url.lower() or "hf.co" in url.lower():
            return _Meta(no, "site", text)
        return _Meta(no, "link", text)
    m = _ARXIV_LINE.fullmatch(text)
    if m:
        return _Meta(no, "arxiv", text, arxiv_id=m.group(1))
    m = _PAPER_LINE.fullmatch(text)
    if m:
        votes = m.group(2)
        return _Meta(no, "arxiv", text, arxiv_id=m.group(1), upvotes=int(votes) if votes else None)
    m = _UPVOTES.fullmatch(text)
    if m:
        return _Meta(no, "upvotes", text, upvotes=_parse_upvotes(m.group(1)))
    if _UPVOTE_MARK.fullmatch(text):
        return _Meta(no, "site", text)
    if _AUTHOR_COUNT.fullmatch(text):
        return _Meta(no, "author count", text)
    m = _AUTHORS.fullmatch(text)
    if m:
        return _Meta(no, "authors", text, authors=_split_authors(m.group("names")))
    if _SUBMITTED.fullmatch(text):
        return _Meta(no, "submitter", text)
    if _PUBLISHED.fullmatch(text):
        return _Meta(no, "publication date", text)
    if _COMMENTS.fullmatch(text):
        return _Meta(no, "comment count", text)
    if _COPYRIGHT.fullmatch(text):
        return _Meta(no, "site", text)
    return None


_Event = _Line | _Meta | _Date


def _is_noise(text: str) -> bool:
    """A known header / navigation / footer line, or a row of them ("TOS Privacy About")."""
    if not _HAS_ALNUM.search(text):
        return True
    key = _noise_key(text)
    if key in _NOISE:
        return True
    if len(key) > 160:
        return False
    words = _NAV_SEPARATORS.sub(" ", key).split()
    if len(words) < 2 or not _NOISE_WORDS.issuperset(w.rstrip("!.:") for w in words):
        return False
    # Can the words be cut into known phrases? (dynamic programming, ≤ 30 words)
    ok = [True] + [False] * len(words)
    for end in range(1, len(words) + 1):
        for size in range(1, min(_NOISE_MAX_WORDS, end) + 1):
            if ok[end - size] and " ".join(words[end - size : end]).rstrip("!.:") in _NOISE:
                ok[end] = True
                break
    return ok[-1]


def _date_in(text: str, no: int) -> _Date | None:
    """A date line, possibly among page words: "Daily Papers — Oct 7, 2024"."""
    if not _DIGIT.search(text):
        return None
    date = _parse_date(text, no)
    if date is not None or len(text) > 80:
        return date
    m = _DATE_MD.search(text) or _DATE_ISO.search(text)
    if m is None:
        return None
    if m.start() > 0 and text[m.start() - 1].isalnum():
        return None
    if m.end() < len(text) and text[m.end()].isalnum():
        return None
    rest = (text[: m.start()] + " " + text[m.end() :]).strip(" -–—|:·,")
    if rest.casefold() != "date" and not _is_noise(rest):
        return None
    return _parse_date(m.group(0), no)


def _classify_line(raw: str, no: int, refs: dict[str, str]) -> _Event | int:
    """One line → a text line, metadata, a date, or _BLANK / _NOISE_LINE."""
    text = _clean(raw)
    if not text:
        return _BLANK
    first = text[0]
    if first in "[0123456789" and len(text) <= _MAX_MARKUP:
        if first == "[" and _MD_REFDEF.fullmatch(text):
            return _NOISE_LINE
        if first != "[" and _LYNX_REFDEF.fullmatch(text):
            return _NOISE_LINE
    line = _unwrap(text, refs)
    if line is None:
        return _NOISE_LINE
    core = line.text
    line.no = no
    if len(core) > _MAX_SHORT:
        return line
    plain = core
    if "[" in core or "(" in core or line.lynx:
        stripped = _LYNX_DECOR.sub(" ", core)
        if "](" in stripped:  # inline Markdown images and links: keep the link text
            stripped = _INLINE_LINK.sub(r"\1", _INLINE_IMAGE.sub(" ", stripped))
        if stripped != core:
            plain = " ".join(stripped.split())
    if _is_noise(plain) or _BRACKETED.fullmatch(plain):
        return _NOISE_LINE
    date = _date_in(plain, no)
    if date is not None:
        return date
    meta = _meta(plain, no)
    if meta is not None:
        return meta
    if line.lynx and len(plain.split()) < 2 and not line.strong:
        # A one-word lynx link (a user name, a button): page text.
        return _Meta(no, "link", text)
    line.text = plain
    return line


def is_page_noise(text: str) -> bool:
    """A line of the site's header, menus or footer (``Models``, ``Log In``, ``TOS Privacy About``).

    For the other page readers (:mod:`tracker.sources.page`): one list of such lines.
    """
    return _is_noise(text)


def is_prose(text: str) -> bool:
    """Text that reads as an abstract (a run of sentences), never as a title."""
    return _classify_text(text) == _PROSE


# --------------------------------------------------------------------------
# Pass 2: blocks
# --------------------------------------------------------------------------

_PROSE, _TITLE, _AMBIGUOUS = range(3)


@dataclass(slots=True)
class _Block:
    lines: list[_Line]
    text: str = ""
    kind: int = _TITLE
    strong: bool = False
    url: str | None = None

    @property
    def no(self) -> int:
        return self.lines[0].no


def _join_lines(lines: list[_Line]) -> str:
    """Lines of one paragraph: hard-wrapped lines join with a space."""
    if len(lines) == 1:
        return lines[0].text
    parts = [lines[0].text]
    for prev, cur in itertools.pairwise(lines):
        if len(prev.text) >= _LONG_LINE and _ends_sentence(prev.text):
            parts.append("\n\n")
        else:
            parts.append(" ")
        parts.append(cur.text)
    return "".join(parts)


def _ends_sentence(text: str) -> bool:
    return text.rstrip("\"'”’)]").endswith((".", "!", "…"))


def _classify_text(text: str) -> int:
    """Prose (an abstract), a title, or ambiguous (decided by the blocks around it).

    A title is short and not a run of sentences; it rarely ends with a full stop
    but may hold a question mark. An abstract is long, or several sentences.
    """
    n = len(text)
    if n >= _TITLE_MAX:
        return _PROSE
    ends = len(_SENTENCE_END.findall(text))
    period = _ends_sentence(text)
    if ends >= 3 or (ends == 2 and (n >= 100 or (period and n >= 60))):
        return _PROSE
    if not period:
        return _TITLE
    return _AMBIGUOUS


def _make_block(lines: list[_Line]) -> _Block:
    block = _Block(lines)
    block.text = _join_lines(lines)
    block.strong = lines[0].strong
    block.url = lines[0].url
    block.kind = (
        _TITLE if block.strong and len(block.text) < 2 * _TITLE_MAX else _classify_text(block.text)
    )
    return block


def _split_block(lines: list[_Line], unwrapped: bool) -> Iterable[list[_Line]]:
    """Split a run of text lines where a title marker or a new paragraph starts.

    ``unwrapped``: the page has paragraphs on one line each (it has prose lines
    longer than any fixed-width wrapping makes them), so a line break inside a
    run is a new paragraph or title unless the text is visibly wrapped there.
    """
    if len(lines) == 1:
        yield lines[:]
        return
    long_mode = unwrapped or any(len(line.text) >= _LONG_LINE for line in lines)
    width = max((len(line.text) for line in lines if len(line.text) < _LONG_LINE), default=0)
    start = 0
    for i in range(1, len(lines)):
        prev, cur = lines[i - 1], lines[i]
        cut = cur.strong or prev.strong or cur.lynx or cur.bullet
        if not cut and long_mode:
            cut = _paragraph_break(prev.text, cur.text, width)
        if cut:
            yield from _split_title_off(lines[start:i])
            start = i
    yield from _split_title_off(lines[start:])


def _paragraph_break(prev: str, cur: str, width: int) -> bool:
    """In unwrapped text, does a new paragraph or title start at ``cur``?"""
    if len(prev) >= _LONG_LINE:
        # A paragraph: the next line continues it only when it is long too and
        # the paragraph stopped mid-sentence.
        return _ends_sentence(prev) or len(cur) < _LONG_LINE
    cur_title = _is_title_line(cur)
    if _is_title_line(prev):
        if cur_title:
            return False  # one title over two lines
        if cur[:1].isupper():
            return True  # a title over its abstract
    elif _ends_any_sentence(prev):
        return True
    # A short line in a run wrapped at a width: it is full unless it ends an element.
    return len(prev) + 1 + len(cur.split(" ", 1)[0]) <= width - 5


def _ends_any_sentence(text: str) -> bool:
    return text.rstrip("\"'”’)]").endswith((".", "!", "?", "…"))


def _is_title_line(text: str) -> bool:
    return len(text) < _LONG_LINE and _classify_text(text) == _TITLE


def _split_title_off(lines: list[_Line]) -> Iterable[list[_Line]]:
    """A hard-wrapped paragraph with a title stuck on top of it: split the two.

    In text wrapped at a fixed width, a line that ends although the next word
    would have fitted ends an element. When the lines up to there read as a
    title and the rest as prose, they are a title and its abstract.
    """
    if len(lines) == 2:
        first, second = lines[0].text, lines[1].text
        if (
            len(first) + 1 + len(second.split(" ", 1)[0]) <= len(second) - 5
            and _classify_text(first) == _TITLE
            and not _FULL_STOP.search(first)
            and _classify_text(second) != _TITLE
        ):
            return ([lines[0]], [lines[1]])
    elif len(lines) >= 3 and all(len(line.text) < _LONG_LINE for line in lines):
        width = max(len(line.text) for line in lines[1:])
        for k in range(min(len(lines) - 2, 3)):
            length = len(lines[k].text)
            word = lines[k + 1].text.split(" ", 1)[0]
            if length + 1 + len(word) <= width - 5:
                head, rest = lines[: k + 1], lines[k + 1 :]
                title = _join_lines(head)
                if (
                    _classify_text(title) == _TITLE
                    and not _FULL_STOP.search(title)
                    and _classify_text(_join_lines(rest)) == _PROSE
                ):
                    return (head, rest)
                break
    return (lines,)


# --------------------------------------------------------------------------
# Pass 3: papers
# --------------------------------------------------------------------------


@dataclass(slots=True)
class _Paper:
    title: str
    no: int
    strong: bool
    paragraphs: list[str] = field(default_factory=list)
    arxiv_id: str | None = None
    url: str | None = None
    authors: tuple[str, ...] = ()
    upvotes: int | None = None

    def apply(self, meta: _Meta) -> None:
        """Take the metadata's values for the fields that are still empty."""
        self.url = self.url or meta.url
        self.arxiv_id = self.arxiv_id or meta.arxiv_id
        if self.upvotes is None:
            self.upvotes = meta.upvotes
        self.authors = self.authors or meta.authors


@dataclass(slots=True)
class _Section:
    label: str | None
    iso: str | None
    no: int | None
    papers: list[_Paper] = field(default_factory=list)


_ATTACHABLE = frozenset({"url", "arxiv", "upvotes", "authors"})
_PAGE_TEXT = frozenset({"link", "author count", "submitter", "publication date", "comment count"})


def _excerpt(text: str, limit: int = 60) -> str:
    text = " ".join(text[: limit * 4].split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class _Warnings:
    """Collects warnings; repeated kinds are folded into one line with a count."""

    LIMIT = 10

    def __init__(self) -> None:
        self.items: list[ParseWarning] = []
        self._counts: dict[str, int] = {}
        self._overflow: dict[str, tuple[int, str]] = {}
        self._page_text: dict[str, tuple[int, str]] = {}

    def add(self, line: int, message: str, kind: str = "", limit: int = LIMIT) -> None:
        if kind:
            count = self._counts.get(kind, 0) + 1
            self._counts[kind] = count
            if count > limit:
                self._overflow.setdefault(kind, (line, message))
                return
        self.items.append(ParseWarning(line, message))

    def count(self, kind: str) -> int:
        """How many warnings of ``kind`` were given (listed or folded)."""
        return self._counts.get(kind, 0)

    def page_text(self, meta: _Meta) -> None:
        """Page text is reported once per kind, with a count of the others."""
        key = "page text: " + meta.kind
        self._counts[key] = self._counts.get(key, 0) + 1
        self._page_text.setdefault(meta.kind, (meta.no, meta.raw))

    def finish(self) -> tuple[ParseWarning, ...]:
        for kind, (line, example) in self._overflow.items():
            more = self._counts[kind] - self.LIMIT
            self.items.append(ParseWarning(line, f"{example} — and {more} more like it"))
        for kind, (line, raw) in self._page_text.items():
            more = self._counts["page text: " + kind] - 1
            tail = f"; {more} more like it" if more else ""
            self.items.append(ParseWarning(line, f"skipped {_excerpt(raw)!r} ({kind}{tail})"))
        self.items.sort(key=lambda w: w.line)
        return tuple(self.items)


class _Builder:
    """The state machine of pass 3."""

    def __init__(self, warnings: _Warnings) -> None:
        self.warn = warnings
        self.sections: list[_Section] = [_Section(None, None, None)]
        self.cur: _Paper | None = None
        self.pending: list[_Meta] = []
        self.meta_first: bool | None = None  # do metadata lines precede titles?
        self.dates = 0

    # -- events ------------------------------------------------------------
    def date(self, date: _Date) -> None:
        self.cur = None
        self.pending.clear()
        self.dates += 1
        if date.bad:
            self.warn.add(date.no, f"{date.label!r} is not a real date; its year is ignored")
        self.sections.append(_Section(date.label, date.iso, date.no))

    def meta(self, meta: _Meta) -> None:
        if meta.kind in _PAGE_TEXT:
            self.warn.page_text(meta)
            return
        if meta.kind not in _ATTACHABLE:
            return
        cur = self.cur
        if cur is not None and not cur.paragraphs:
            cur.apply(meta)  # between a title and its abstract
        elif cur is not None and self.meta_first is False:
            cur.apply(meta)  # after the abstract, on a page that puts it there
        else:
            self.pending.append(meta)

    def block(self, block: _Block, next_kind: int | None) -> None:
        kind = block.kind
        cur = self.cur
        if kind == _TITLE and not block.strong and _URL_IN.search(block.text):
            kind = _PROSE  # "Project page: https://…" is part of an abstract, not a title
        elif (
            kind == _PROSE
            and next_kind == _PROSE
            and cur is not None
            and cur.paragraphs
            and len(block.text) < _TITLE_MAX
            and not _ends_any_sentence(block.text)
            and not _URL_IN.search(block.text)
        ):
            kind = _TITLE  # a title with sentences in it, followed by its abstract
        if (
            kind == _PROSE
            or (
                # A short paragraph ending in a full stop: the abstract of a title
                # that has none yet, or one more paragraph unless an abstract
                # follows (then it is a title that ends with a full stop).
                kind == _AMBIGUOUS
                and cur is not None
                and (not cur.paragraphs or next_kind != _PROSE)
            )
            or (
                # A long "title" under a title that has no abstract, with no
                # abstract after it: a one-sentence abstract without a full stop.
                kind == _TITLE
                and cur is not None
                and not cur.paragraphs
                and next_kind != _PROSE
                and not block.strong
                and (len(block.text) >= 160 or len(block.text.split()) >= 25)
            )
        ):
            if cur is None:
                self.warn.add(
                    block.no,
                    f"skipped {_excerpt(block.text)!r} (text with no title before it)",
                    kind="orphan",
                )
                return
            text = block.text
            if not cur.paragraphs and text[:9].casefold() == "abstract:":
                text = text[9:].lstrip()
            if (
                cur.paragraphs
                and next_kind == _PROSE
                and len(text) < _TITLE_MAX
                and not text.rstrip("\"'”’)]").endswith((".", "!", "?", "…", ":"))
            ):
                # Short, unfinished, then more prose: the shape of a title and its
                # abstract. Read as a paragraph (its sentences or link say so), but
                # say so: if it was a title, a paper would otherwise vanish silently.
                self.warn.add(
                    block.no,
                    f"read {_excerpt(text)!r} as a paragraph of the abstract above; "
                    "if it is a title, that paper is missing",
                    kind="merged",
                )
            cur.paragraphs.append(text)
            return
        self._open(block)

    def _open(self, block: _Block) -> None:
        paper = _Paper(block.text, block.no, block.strong)
        if block.url:
            pid = _PAPER_URL_ID.search(block.url)
            paper.url = block.url
            paper.arxiv_id = pid.group(1) if pid else None
        if self.meta_first is None:
            self.meta_first = any(m.kind in _ATTACHABLE for m in self.pending)
        if self.meta_first:
            # Nearest first: a count right above the title is this paper's, one
            # further up may be the comment count of the paper before.
            for meta in reversed(self.pending):
                paper.apply(meta)
        elif self.cur is not None:
            for meta in self.pending:
                self.cur.apply(meta)
        self.pending.clear()
        self.cur = paper
        self.sections[-1].papers.append(paper)

    # -- result ------------------------------------------------------------
    def finish(self) -> list[ParsedSection]:
        if self.cur is not None and not self.meta_first:
            for meta in self.pending:
                self.cur.apply(meta)
        has_dates = self.dates > 0
        seen: dict[str, tuple[list[ParsedPaper], int]] = {}
        kept_lists: list[tuple[_Section, list[ParsedPaper]]] = []
        for index, section in enumerate(self.sections):
            kept: list[ParsedPaper] = []
            for key, paper in self._resolve(section, undated_prefix=index == 0 and has_dates):
                if key not in seen:
                    seen[key] = (kept, len(kept))
                    kept.append(paper)
                    continue
                where, at = seen[key]
                first = where[at]
                self.warn.add(
                    paper.line,
                    f"skipped duplicate {_excerpt(paper.title)!r} (already on line {first.line})",
                    kind="duplicate",
                )
                if paper.abstract and not first.abstract:  # the later copy is more complete
                    where[at] = dataclasses.replace(first, abstract=paper.abstract)
            kept_lists.append((section, kept))
        result = [
            ParsedSection(section.label, section.iso, section.no, tuple(kept))
            for section, kept in kept_lists
            if kept
        ]
        undated = [s for s in result if s.label is None]
        if undated and has_dates:
            self.warn.add(
                undated[0].papers[0].line, "papers before the first date line have no digest label"
            )
        elif undated:
            self.warn.add(1, "no date line (like 'Aug 25') found; the digest has no label")
        return result

    def _resolve(self, section: _Section, undated_prefix: bool) -> list[tuple[str, ParsedPaper]]:
        """Turn candidates into papers; a title without an abstract must look real.

        It is kept when it has an arXiv id or sits between two papers with
        abstracts ("title, title, abstract"). Otherwise it is more likely page
        text (a menu, a footer) and is skipped with a warning.
        """
        out: list[tuple[str, ParsedPaper]] = []
        papers = section.papers
        real_after = [False] * len(papers)
        seen_real = False
        for i in range(len(papers) - 1, -1, -1):
            real_after[i] = seen_real
            seen_real = seen_real or bool(papers[i].paragraphs)
        real_before = False
        for i, paper in enumerate(papers):
            key = normalize_title(paper.title)
            if not key:
                self.warn.add(
                    paper.no, f"skipped {_excerpt(paper.title)!r} (not a title)", kind="skipped"
                )
                continue
            if not paper.paragraphs:
                words = len(paper.title.split())
                title_like = words >= 3 or (words >= 2 and (real_before or ":" in paper.title))
                keep = paper.arxiv_id is not None or (
                    not undated_prefix and title_like and real_before and real_after[i]
                )
                if not keep:
                    why = "text before the date line" if undated_prefix else "no abstract"
                    self.warn.add(
                        paper.no,
                        f"skipped {_excerpt(paper.title)!r} ({why}; not taken for a paper)",
                        kind="skipped",
                    )
                    continue
                self.warn.add(
                    paper.no, f"no abstract for {_excerpt(paper.title)!r}", kind="no abstract"
                )
            else:
                real_before = True
            parsed = ParsedPaper(
                title=paper.title,
                abstract="\n\n".join(paper.paragraphs),
                line=paper.no,
                arxiv_id=paper.arxiv_id,
                url=paper.url,
                authors=paper.authors,
                upvotes=paper.upvotes,
            )
            out.append((key, parsed))
        return out


# --------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------


def _is_user_name(text: str) -> bool:
    """The line after a bare "Submitted by": a user name, not a title."""
    return len(text) <= 30 and len(text.split()) <= 2 and not _ends_sentence(text)


def _front_matter(lines: list[str]) -> int:
    """The number of lines of a YAML front matter block ("---" … "---") at the top."""
    if not lines or lines[0].strip() != "---":
        return 0
    for i in range(1, min(len(lines), 100)):
        if lines[i].strip() in ("---", "..."):
            return i + 1
    return 0


def _front_matter_line(raw: str, no: int) -> _Event | int:
    key, _, value = raw.partition(":")
    if key.strip().casefold() in ("date", "created", "day"):
        return _parse_date(value.strip().strip("\"'"), no) or _NOISE_LINE
    return _NOISE_LINE


def parse(text: str, source: str = "<text>") -> ParsedDigest:
    """Parse the text of one digest page.

    Raises :class:`DigestError` when no paper at all is found.
    """
    lines = _normalize_newlines(text).split("\n")
    refs = _collect_refs(lines)
    unwrapped = any(
        len(line) >= _LONG_LINE and line.count(" ") >= 20
        for line in lines
        if len(line) >= _LONG_LINE
    )
    events: list[_Block | _Meta | _Date] = []
    run: list[_Line] = []

    def flush() -> None:
        if run:
            events.extend(_make_block(part) for part in _split_block(run, unwrapped))
            run.clear()

    front = _front_matter(lines)
    after_by = False  # the previous line was a bare "Submitted by"
    date_key: tuple[int, int, int] | None = None
    for no, raw in enumerate(lines, start=1):
        item = _front_matter_line(raw, no) if no <= front else _classify_line(raw, no, refs)
        if isinstance(item, int) and item == _BLANK:
            flush()
            continue
        if after_by and isinstance(item, _Line) and _is_user_name(item.text):
            item = _Meta(no, "submitter name", item.text)
        after_by = (
            isinstance(item, _Meta)
            and item.kind == "submitter"
            and _BARE_BY.search(item.raw) is not None
        )
        if isinstance(item, _Line):
            run.append(item)
            continue
        flush()
        if isinstance(item, _Date):
            if item.key == date_key:
                continue  # the same day again: on every card, or the page twice
            date_key = item.key
        if isinstance(item, _Meta | _Date):
            events.append(item)
    flush()

    warnings = _Warnings()
    builder = _Builder(warnings)
    next_kinds: list[int | None] = [None] * len(events)
    upcoming: int | None = None
    for i in range(len(events) - 1, -1, -1):
        next_kinds[i] = upcoming
        event = events[i]
        if isinstance(event, _Block):
            upcoming = event.kind
        elif isinstance(event, _Date):
            upcoming = None
    for event, next_kind in zip(events, next_kinds, strict=True):
        if isinstance(event, _Block):
            builder.block(event, next_kind)
        elif isinstance(event, _Meta):
            builder.meta(event)
        else:
            builder.date(event)
    sections = builder.finish()
    if not sections:
        raise DigestError(
            source,
            f"no papers found in {source}: expected a date line followed by title and abstract blocks",
        )
    found = sum(len(s.papers) for s in sections)
    doubtful = warnings.count("skipped")
    if doubtful > found and doubtful >= _DOUBTFUL_MIN:
        # Most of what could be a title is not one: this is not a digest the parser
        # understands, and a wrong import cannot be told from a right one later.
        raise DoubtfulDigestError(
            source,
            f"{source}: only {found} of {found + doubtful} title-like lines read as papers "
            "(the others have no abstract or stand outside the list); nothing was imported. "
            "If it is a digest in another format, try --format; if it lacks its date line, --date",
        )
    return ParsedDigest(tuple(sections), warnings.finish())
