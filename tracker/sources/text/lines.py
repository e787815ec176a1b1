"""Pass 1 of the text parser: the line patterns, and each line classified on its own."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from tracker.sources.fields import ARXIV_ID, MONTH_NAME, MONTHS
from tracker.sources.markup import REF_DESTINATION
from tracker.sources.names import looks_like_names
from tracker.sources.patterns import lazy

# --------------------------------------------------------------------------
# The line patterns
# --------------------------------------------------------------------------

# C0 / C1 control characters other than tab and newline.
_CONTROL = lazy(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_ANSI = lazy(r"\x1b(?:\[[0-9;?]{0,32}[ -/]{0,4}[@-~]|\][^\x07\x1b]{0,512}(?:\x07|\x1b\\)?)")
_EDGE_JUNK = "\u200b\u200c\u200d\u2060\ufeff"
_ASCII_CONTROLS = bytes([*range(32), 127])  # what str.isprintable refuses in ASCII text

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
    read more
    continue reading
    link
    links
    details
    show more
    show less
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

_WEEKDAY_RE = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
_DATE_MD = lazy(
    rf"{_WEEKDAY_RE}(?P<mon>{MONTH_NAME})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?"
    r"(?:,?\s+(?P<year>\d{4}))?",
    re.IGNORECASE,
)
_DATE_DM = lazy(
    rf"{_WEEKDAY_RE}(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mon>{MONTH_NAME})\.?"
    r"(?:,?\s+(?P<year>\d{4}))?",
    re.IGNORECASE,
)
_DIGIT = lazy(r"\d")
_ASCII_DIGITS = b"0123456789"


def _has_digit(text: str) -> bool:
    """``_DIGIT.search(text) is not None``: whether ``text`` holds a decimal digit.

    ASCII text (most lines) is asked without the pattern: ``\\d`` matches no
    other ASCII character than 0-9, and deleting those from the text's bytes
    took 0.25 us a title's line against the pattern's 0.76 (every short line
    is asked twice, for a date and for metadata; most titles have no digit).
    """
    if text.isascii():
        return len(text.encode().translate(None, _ASCII_DIGITS)) != len(text)
    return _DIGIT.search(text) is not None


_DATE_ISO = lazy(r"(?P<year>\d{4})-(?P<mon>\d{2})-(?P<day>\d{2})")

_ARXIV_ID = rf"({ARXIV_ID})"
PAPER_URL_ID = lazy(
    r"(?:huggingface\.co/papers/|hf\.co/papers/|^/papers/|arxiv\.org/(?:abs|pdf|html)/)"
    + _ARXIV_ID
    + r"(?:v\d+)?",
    re.IGNORECASE,
)
URL_IN = lazy(r"(?:https?://|www\.)\S", re.IGNORECASE)


def has_url(text: str) -> bool:
    """Whether ``text`` holds a web address (URL_IN), tried only when it has a "/" or a
    "." (each address has one): most titles have neither."""
    return ("/" in text or "." in text) and URL_IN.search(text) is not None


_URL = lazy(r"<?((?:https?://|www\.)[^\s<>]+)>?", re.IGNORECASE)
_ARXIV_LINE = lazy(
    r"arxiv\s*(?::|id:?)?\s*" + _ARXIV_ID + r"(?:v\d+)?(?:\s*\[[\w.\-]+\])?"
    # arXiv's RSS puts the kind of announcement after the id: "Announce Type: cross".
    r"(?:\s+announce\s+type:\s*[\w-]+)?",
    re.IGNORECASE,
)
# "Score: 8/10", "Category: cs.AI Published: 2025-08-14 Score: 4.5": labelled numbers,
# days and arXiv categories only, a paper's fields (a title's part after a colon is words).
_FIELD_VALUES = lazy(
    r"(?:[^\W\d][\w ]{0,24}?:\s*"
    r"(?:\d{4}-\d\d-\d\d(?:[ T]\d\d:\d\d(?::\d\d)?)?(?:\s*UTC)?|\d+(?:\.\d+)?(?:\s*/\s*\d+)?%?"
    r"|[a-z-]+\.[A-Za-z]{2})\s*)+"
)
# "Paper • 2410.05258 • Published Oct 7 • 181" (collections), or a bare id.
_PAPER_LINE = lazy(
    r"(?:paper\s*[•·|]\s*)?(\d{4}\.\d{4,5})(?:v\d+)?"
    r"(?:\s*[•·|]\s*published\b[^•·|]{0,30})?(?:\s*[•·|]\s*(\d{1,7}))?",
    re.IGNORECASE,
)
_UPVOTES = lazy(
    # "[-] 33": a text browser's unticked upvote box, then the count.
    r"(?:[▲△⬆↑⇧👍^]|upvotes?:?|votes?:?|\[[-+ xX]?\])?\s*(\d{1,3}(?:,\d{3})+|\d{1,9}|\d+(?:\.\d+)?k)"
    r"\s*(?:upvotes?|votes?|likes?)?",
    re.IGNORECASE,
)
_UPVOTE_MARK = lazy(r"[▲△⬆↑⇧👍^]|upvotes?|votes?", re.IGNORECASE)
_AUTHOR_COUNT = lazy(
    r"(?:[·•]\s*)?(?:view\s+all\s+|\+\s*)?\d+\s+(?:more\s+)?authors?", re.IGNORECASE
)
_AUTHORS = lazy(r"(?:authors?|by)\s*:\s*(?P<names>.+)", re.IGNORECASE)
BARE_BY = lazy(r"\bby\s*$", re.IGNORECASE)
_SUBMITTED = lazy(r"submitted\s+by\b.{0,80}", re.IGNORECASE)
_PUBLISHED = lazy(
    rf"(?:published|posted|added)(?:\s+on)?\s+(?:{_WEEKDAY_RE}{MONTH_NAME}|\d).{{0,30}}",
    re.IGNORECASE,
)
_COMMENTS = lazy(r"(?:[·•]\s*)?\d+\s+comments?", re.IGNORECASE)
_COPYRIGHT = lazy(r"(?:©|\(c\)|copyright\s*(?:©|\(c\)|\d{4})).{0,80}", re.IGNORECASE)

# Markdown and text-browser decoration.
_QUOTE = lazy(r"(?:>\s*)+")
_HEADING = lazy(r"#{1,6}(?:\s+|$)")
_BULLET = lazy(r"[*•+]\s+|\d{1,3}[.)]\s+(?=\[)")
_DASH_BULLET = lazy(r"-\s+")
_LYNX_REF = lazy(r"\[\d+\](?![(:])")
_LYNX_DECOR = lazy(
    r"\[(?:IMG|INLINE|BUTTON|\d+)\](?![(:])|\((?:BUTTON|IMG)\)|IFRAME:", re.IGNORECASE
)
_MD_LINK = lazy(r"(!?)\[([^\[\]]*)\]\(\s*<?([^()\s<>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
_INLINE_IMAGE = lazy(r"!\[[^\[\]]*\]\([^()\s]*(?:\s+\"[^\"]*\")?\)")
_INLINE_LINK = lazy(r"\[([^\[\]]*)\]\([^()\s]*(?:\s+\"[^\"]*\")?\)")
_MD_REF_LINK = lazy(r"\[([^\[\]]+)\]\[([^\[\]]*)\]")
_BOLD = lazy(r"(\*\*|__)(.+?)\1")
# A reference definition: where it points as markup.REF_DESTINATION says.
_MD_REFDEF = lazy(rf"\[([^\[\]]+)\]:\s*{REF_DESTINATION}(?:\s+.*)?")
_LYNX_REFDEF = lazy(r"(\d+)\.\s+((?:https?|ftp|file)://\S+)")
_HAS_ALNUM = lazy(r"[^\W_]")
_NAV_SEPARATORS = lazy(r"\[\d+\](?![(:])|[|·•]")
_BRACKETED = lazy(r"\[[^\[\]]*\]")
_CHECKBOX = lazy(r"\[[ xX]\]\s+")

# Sentence ends: a terminator followed by the end of the text or by a new
# sentence; "vs.", "e.g.", "et al." and initials do not end one. The lookahead
# in front of the lookbehinds only says what the next character must be
# anyway: without it the six lookbehinds ran at every character of every
# title (a fifth of parsing a digest, measured at 100,000 papers).
SENTENCE_END = lazy(
    r"[.!?…][\"'”’)\]]*\s*$"
    r"|(?=[.!?…])(?<![\s.(][A-Za-z])(?<!\bvs)(?<!\bal)(?<!\betc)(?<!\bcf)(?<!\bNo)(?<!\bFig)"
    r"[.!?…][\"'”’)\]]*(?=\s+[\"'“‘(\[]?[^\W_a-z])"
)
FULL_STOP = lazy(r"[.!](?:[\"'”’)\]]*)(?=\s|$)")

DOUBTFUL_MIN = 3  # fewer skipped candidates than this never refuse a page
_MAX_MARKUP = 4000  # longer lines are plain text: no decoration is parsed
_MAX_SHORT = 200  # longer lines are never noise, dates or metadata
TITLE_MAX = 300  # a title is shorter than this
LONG_LINE = 200  # a line this long is a paragraph of its own (not hard-wrapped)


# --------------------------------------------------------------------------
# Pass 1: lines
# --------------------------------------------------------------------------

# What classify_line returns for lines that carry nothing.
BLANK, NOISE_LINE = 0, 1


@dataclass(slots=True)
class Line:
    no: int
    text: str
    strong: bool = False  # heading, whole-line link or bold: a title marker
    lynx: bool = False  # began with a lynx "[12]" link number
    bullet: bool = False  # a list item
    url: str | None = None


@dataclass(slots=True)
class Meta:
    no: int
    kind: str  # url, arxiv, upvotes, authors, or a page-text kind
    raw: str
    url: str | None = None
    arxiv_id: str | None = None
    upvotes: int | None = None
    authors: tuple[str, ...] = ()


@dataclass(slots=True)
class Date:
    no: int
    label: str
    iso: str | None
    key: tuple[int, int, int]  # (year or 0, month, day)
    bad: bool = False


def _clean(raw: str) -> str:
    """A line without control characters, terminal colours or edge whitespace."""
    if raw.isascii() and len(raw.encode().translate(None, _ASCII_CONTROLS)) == len(raw):
        # Nothing to take out but the edges (most lines; the regular expressions
        # below scanned every abstract: 7% of parsing a digest). Bytes with the
        # control characters deleted, not ``raw.isprintable()``: the same answer
        # for ASCII text, 1.5 instead of 5 us for a 1,700-character abstract.
        return raw.strip()
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


def collect_refs(lines: list[str]) -> dict[str, str]:
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


def _unwrap(text: str, refs: dict[str, str]) -> Line | None:
    """Peel Markdown / lynx decoration off a line; None for an image or a bare marker."""
    line = Line(0, text)
    if len(text) > _MAX_MARKUP or text[:1].isalpha():
        # Every decoration below starts with a mark, never a letter (most lines:
        # five patterns tried for nothing were 1 us a line).
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


def parse_date(text: str, no: int) -> Date | None:
    year: int | None = None
    m = _DATE_MD.fullmatch(text) or _DATE_DM.fullmatch(text)
    if m:
        month = MONTHS[m.group("mon")[:3].lower()]
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
        return Date(no, text, None, key)
    try:
        return Date(no, text, dt.date(year, month, day).isoformat(), key)
    except ValueError:
        return Date(no, text, None, key, bad=True)


def _parse_upvotes(text: str) -> int:
    text = text.replace(",", "").lower()
    if text.endswith("k"):
        return int(float(text[:-1]) * 1000)
    return int(text)


def _split_authors(names: str) -> tuple[str, ...]:
    parts = re.split(r"\s*(?:,|;|\band\b|&)\s*", names)
    return tuple(p.strip() for p in parts if p.strip())


# A letter none of _meta's labelled patterns can start with (they start with <, a
# mark, a digit, a space or a letter of a, b, c, h, p, s, u, v, w, in either case).
_NO_LABEL_START = frozenset("defgijklmnoqrtxyzDEFGIJKLMNOQRTXYZ")


def _meta(text: str, no: int) -> Meta | None:
    """Page metadata: URLs, arXiv ids, upvotes, authors and other page text."""
    if text[:1] in _NO_LABEL_START:
        # Only the unlabelled shapes can match (most titles: nine patterns were
        # tried for nothing, a microsecond a line); the same answer as all of them.
        return _unlabelled_meta(text, no)
    return _meta_by_patterns(text, no)


def _unlabelled_meta(text: str, no: int) -> Meta | None:
    """:func:`_meta_by_patterns` for a text that starts with a letter of _NO_LABEL_START."""
    return _unlabelled_authors(text, no) or _field_values(text, no)


def _unlabelled_authors(text: str, no: int) -> Meta | None:
    """ "*Xuemei Tang, Jun Wang, Qi Su*": the authors under a title, unlabelled (a copy
    that lost the page's marks and links); never a title of its own."""
    if "," in text and looks_like_names(text.strip("*_ "), least=_NAMES_LEAST):
        return Meta(no, "authors", text, authors=_split_authors(text.strip("*_ ")))
    return None


def _field_values(text: str, no: int) -> Meta | None:
    """A row of a page's fields and their values ("Downloads: 12 Stars: 40")."""
    if ":" in text and _FIELD_VALUES.fullmatch(text):
        return Meta(no, "fields", text)
    return None


def _meta_by_patterns(text: str, no: int) -> Meta | None:
    """:func:`_meta`, every pattern tried in turn."""
    m = _URL.fullmatch(text)
    if m:
        url = _absolute(m.group(1))
        pid = PAPER_URL_ID.search(url)
        if pid:
            return Meta(no, "url", text, url=url, arxiv_id=pid.group(1))
        if "huggingface.co" in url.lower() or "hf.co" in url.lower():
            return Meta(no, "site", text)
        return Meta(no, "link", text)
    # Five of the patterns below need a digit: most titles have none, and each
    # pattern tried costs a title's line a little (the same test as _date_in's).
    digit = _has_digit(text)
    m = _ARXIV_LINE.fullmatch(text) if digit else None
    if m:
        return Meta(no, "arxiv", text, arxiv_id=m.group(1))
    m = _PAPER_LINE.fullmatch(text) if digit else None
    if m:
        votes = m.group(2)
        return Meta(no, "arxiv", text, arxiv_id=m.group(1), upvotes=int(votes) if votes else None)
    m = _UPVOTES.fullmatch(text) if digit else None
    if m:
        return Meta(no, "upvotes", text, upvotes=_parse_upvotes(m.group(1)))
    if _UPVOTE_MARK.fullmatch(text):
        return Meta(no, "site", text)
    if digit and _AUTHOR_COUNT.fullmatch(text):
        return Meta(no, "author count", text)
    m = _AUTHORS.fullmatch(text)
    if m:
        return Meta(no, "authors", text, authors=_split_authors(m.group("names")))
    authors = _unlabelled_authors(text, no)
    if authors is not None:
        return authors
    if _SUBMITTED.fullmatch(text):
        return Meta(no, "submitter", text)
    if _PUBLISHED.fullmatch(text):
        return Meta(no, "publication date", text)
    if digit and _COMMENTS.fullmatch(text):
        return Meta(no, "comment count", text)
    if _COPYRIGHT.fullmatch(text):
        return Meta(no, "site", text)
    return _field_values(text, no)


Event = Line | Meta | Date

# Three names at least: two capitalised phrases with a comma can be a title
# ("Large Language Models, Small Data"); a run of three is a list of people.
_NAMES_LEAST = 3


_LABEL_WORDS = 4  # "📊 Statistics", "🚀 How to Use": a pictograph and a few words


def _is_section_label(text: str) -> bool:
    """A page's section label led by a pictograph ("📚 Recent Papers"), never a title.

    No paper's title in the corpus starts with one (``∆-SQIsign`` starts with a
    math sign, which stays); a headline that does ("♾️ All-order structure of
    …") runs longer than a label.
    """
    return (
        bool(text) and unicodedata.category(text[0]) == "So" and len(text.split()) <= _LABEL_WORDS
    )


def _is_noise(text: str) -> bool:
    """A known header / navigation / footer line, or a row of them ("TOS Privacy About")."""
    if not _HAS_ALNUM.search(text):
        return True
    folded = text.casefold()
    if folded.split(None, 1)[0].rstrip("!.:") not in _NOISE_WORDS and not (
        "[" in folded or "|" in folded or "·" in folded or "•" in folded
    ):
        # Every word of such a line is a noise word, its first one too (without
        # separators the first word is the text's first): most lines, titles among
        # them, start with another word (a title's line took 2.6 us here, 0.6 so).
        return False
    return _is_noise_by_words(text)


def _is_noise_by_words(text: str) -> bool:
    """:func:`_is_noise` for a text with a letter or digit, word by word."""
    key = _noise_key(text)
    if key in _NOISE:
        return True
    if len(key) > 160:
        return False
    # The separators' pattern cannot match without one of these (a title seldom has one).
    if "[" in key or "|" in key or "·" in key or "•" in key:
        words = _NAV_SEPARATORS.sub(" ", key).split()
    else:
        words = key.split()
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


# "Papers for 2026-08-22", "Daily papers of Aug 25": what a page calls its day.
_DAY_NAME = lazy(
    r"(?:(?:daily|hf|hugging\s*face|arxiv)\s+)?(?:papers?|digest|picks|reads|updates|list)"
    r"(?:\s+(?:for|of|on|from))?",
    re.IGNORECASE,
)
# "Mar 8, 2024 [ 6]": a search view's date with the paper's comment count.
_COUNT_AFTER = lazy(r"^\s*(?:\[\s*[\d,.k]*\s*\]\s*)+")


def _date_in(text: str, no: int) -> Date | None:
    """A date line, possibly among page words: "Daily Papers — Oct 7, 2024"."""
    if not _has_digit(text):
        return None
    date = parse_date(text, no)
    if date is not None or len(text) > 80:
        return date
    m = _DATE_MD.search(text) or _DATE_ISO.search(text)
    if m is None:
        return None
    if m.start() > 0 and text[m.start() - 1].isalnum():
        return None
    if m.end() < len(text) and text[m.end()].isalnum():
        return None
    rest = (text[: m.start()] + " " + _COUNT_AFTER.sub("", text[m.end() :])).strip(" -–—|:·,")
    if rest and rest.casefold() != "date" and not _is_noise(rest) and not _DAY_NAME.fullmatch(rest):
        return None
    return parse_date(m.group(0), no)


def classify_line(raw: str, no: int, refs: dict[str, str]) -> Event | int:
    """One line → a text line, metadata, a date, or BLANK / NOISE_LINE."""
    if "\t" in raw and "\t" in raw.strip():
        # Cells set apart by tabs: a table's row as a browser copies it ("Title\tAuthors",
        # "2604.1\tSome Title\t12"). A title never holds a tab; which cell names the
        # paper is the table's to say, and a plain-text page has no header to ask.
        return NOISE_LINE
    text = _clean(raw)
    if not text:
        return BLANK
    first = text[0]
    if first in "[0123456789" and len(text) <= _MAX_MARKUP:
        if first == "[" and _MD_REFDEF.fullmatch(text):
            return NOISE_LINE
        if first != "[" and _LYNX_REFDEF.fullmatch(text):
            return NOISE_LINE
    line = _unwrap(text, refs)
    if line is None:
        return NOISE_LINE
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
        return NOISE_LINE
    date = _date_in(plain, no)
    if date is not None:
        return date
    meta = _meta(plain, no)
    if meta is not None:
        return meta  # "▲ 13": a vote count, before a pictograph makes it a label
    if _is_section_label(plain):
        return NOISE_LINE
    if line.lynx and len(plain.split()) < 2 and not line.strong:
        # A one-word lynx link (a user name, a button): page text.
        return Meta(no, "link", text)
    line.text = plain
    return line


def is_page_noise(text: str) -> bool:
    """A line of the site's header, menus or footer (``Models``, ``Log In``, ``TOS Privacy About``).

    For the other page readers (:mod:`tracker.sources.page`): one list of such lines.
    """
    return _is_noise(text)
