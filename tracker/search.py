"""Search: query parsing, a typo-tolerant incremental index, ranking and highlight spans.

Pure: no I/O, no Textual. The library facade owns a :class:`SearchIndex`, feeds it
every paper's title and abstract in library order, and asks it for :class:`Hit`
lists; per-paper user data (status, note, tags, digests) is read through the small
:class:`Facets` protocol so that a status change never touches the index.

How a search stays inside a keystroke at 100,000 papers (DESIGN.md, "Performance
targets"): fuzzy matching never runs over documents. Every title and abstract is
cut into casefolded words once, in :meth:`SearchIndex.add`; each distinct word gets
an id and two sorted posting arrays (titles, abstracts). A typed word is expanded
against the *vocabulary* -- exact word, words it is a prefix of, simple inflections,
and words within an edit distance found by rapidfuzz in small (length, first/last
letter) buckets -- then the posting arrays of those words are unioned into Python
sets (C speed), the terms' sets are intersected, and only the surviving papers are
scored. Huge result sets (a one-letter query) are ordered by cheap set tiers and
their highlight spans are computed lazily, when a row is actually drawn.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from array import array
from bisect import bisect_left, bisect_right, insort
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, compress, repeat
from operator import eq, not_
from typing import Protocol, TypeAlias, cast, overload

from rapidfuzz import process
from rapidfuzz.distance import OSA

from tracker.models import Status

__all__ = [
    "FIELDS",
    "HAS_VALUES",
    "IS_VALUES",
    "STATUSES",
    "Facets",
    "FieldFilter",
    "Hit",
    "HitList",
    "IndexState",
    "IndexStore",
    "Query",
    "QueryError",
    "SearchCancelled",
    "SearchIndex",
    "Term",
    "highlight_spans",
    "parse_query",
    "prefilter",
]

STATUSES: tuple[str, ...] = tuple(s.value for s in Status)
FIELDS: tuple[str, ...] = ("status", "digest", "has", "tag", "is")
HAS_VALUES: tuple[str, ...] = ("note", "tag")
IS_VALUES: tuple[str, ...] = ("watched",)

Span = tuple[int, int]


# --------------------------------------------------------------------------- query


class QueryError(ValueError):
    """A query that cannot be searched.

    :func:`parse_query` is deliberately lenient and never raises it: a bad filter
    value becomes a sentence in :attr:`Query.problems` instead, because the query
    is parsed on every keystroke and half-typed input is normal. Only a
    :class:`FieldFilter` built by hand with an unknown field makes
    :meth:`SearchIndex.search` raise it.
    """


class SearchCancelled(Exception):
    """Raised by :meth:`SearchIndex.search` when its ``cancelled()`` callback returns True."""


@dataclass(frozen=True, slots=True)
class Term:
    """A bare word (matched fuzzily) or a quoted phrase (case-insensitive substring)."""

    text: str
    negated: bool = False
    phrase: bool = False


@dataclass(frozen=True, slots=True)
class FieldFilter:
    """``field:value[,value...]``; the values are OR-ed, ``negated`` inverts the filter.

    Values are normalized: statuses to their canonical name (``to-read``), ``has``
    values to ``note``/``tag``, digest and tag values casefolded. A value that could
    not be understood is kept as typed (casefolded) and matches nothing.
    """

    field: str
    values: tuple[str, ...]
    negated: bool = False


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed query: terms (AND-ed), filters (AND-ed) and problems to show the user."""

    terms: tuple[Term, ...]
    filters: tuple[FieldFilter, ...]
    problems: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        """True when there are neither terms nor filters (everything matches)."""
        return not self.terms and not self.filters


# Quotes pasted from web pages and word processors count as the ASCII quote.
_QUERY_QUOTES = str.maketrans(
    {"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"'}
)
_FIELD_RE = re.compile(r"(status|digest|has|tag|is):", re.IGNORECASE)


def parse_query(text: str) -> Query:
    """Parse a search-box string; never raises, whatever has been typed so far.

    Syntax: bare words (fuzzy, all must match), ``-word`` (exclude), ``"a phrase"``
    (an unclosed quote runs to the end), and the filters ``status:``, ``digest:``,
    ``has:``, ``tag:`` and ``is:watched`` with comma-separated values (quote a value that contains
    spaces or commas: ``digest:"Oct 7, 2024"``); ``-status:read`` negates a filter.
    A filter with no value yet (``status:``) is ignored; an unknown field
    (``foo:bar``) is an ordinary word.
    """
    s = text.translate(_QUERY_QUOTES)
    n = len(s)
    terms: list[Term] = []
    filters: list[FieldFilter] = []
    problems: list[str] = []
    i = 0
    while i < n:
        if s[i].isspace():
            i += 1
            continue
        negated = False
        if s[i] == "-":
            negated = True
            i += 1
            if i >= n or s[i].isspace():
                continue  # a lone '-' is a minus about to be followed by something
        if s[i] == '"':
            end = s.find('"', i + 1)
            body = s[i + 1 :] if end < 0 else s[i + 1 : end]
            i = n if end < 0 else end + 1
            body = " ".join(body.split())
            if body:
                terms.append(Term(body, negated, True))
            continue
        m = _FIELD_RE.match(s, i)
        if m:
            values, i = _parse_values(s, m.end())
            flt = _make_filter(m.group(1).lower(), values, negated, problems)
            if flt is not None:
                filters.append(flt)
            continue
        j = i
        while j < n and not s[j].isspace():
            j += 1
        terms.append(Term(s[i:j], negated))
        i = j
    return Query(tuple(terms), tuple(filters), tuple(problems))


def _parse_values(s: str, j: int) -> tuple[list[str], int]:
    """Read ``v1,"v 2",v3`` starting at ``j``; return the raw values and the end."""
    n = len(s)
    values: list[str] = []
    while True:
        if j < n and s[j] == '"':
            end = s.find('"', j + 1)
            values.append(s[j + 1 :] if end < 0 else s[j + 1 : end])
            j = n if end < 0 else end + 1
        else:
            k = j
            while k < n and not s[k].isspace() and s[k] not in ',"':
                k += 1
            values.append(s[j:k])
            j = k
        if j < n and s[j] == ",":
            j += 1
            continue
        return values, j


def _make_filter(
    field: str, raw: list[str], negated: bool, problems: list[str]
) -> FieldFilter | None:
    values = [v for v in (" ".join(r.split()) for r in raw) if v]
    if not values:
        return None  # 'status:' alone: the user has not typed the value yet
    out: list[str] = []
    for value in values:
        if field == "status":
            out.append(_parse_status(value, problems))
        elif field == "has":
            out.append(_parse_has(value, problems))
        elif field == "is":
            out.append(_parse_is(value, problems))
        else:
            out.append(value.casefold())
    return FieldFilter(field, tuple(out), negated)


def _parse_status(value: str, problems: list[str]) -> str:
    key = value.casefold().replace("_", "-").replace(" ", "-")
    for status in STATUSES:
        if key in (status, status.replace("-", "")):
            return status
    bare = key.replace("-", "")
    found = [s for s in STATUSES if s.startswith(key) or s.replace("-", "").startswith(bare)]
    if len(found) == 1:
        return found[0]
    if found:
        problems.append(f"ambiguous status {value!r} (could be {', '.join(found)})")
    else:
        problems.append(f"unknown status {value!r} (use {', '.join(STATUSES)})")
    return value.casefold()  # matches no paper's status, so the filter matches nothing


def _parse_is(value: str, problems: list[str]) -> str:
    key = value.casefold()
    found = [v for v in IS_VALUES if v.startswith(key)]
    if len(found) == 1:
        return found[0]
    problems.append(f"unknown is: value {value!r} (use {', '.join(IS_VALUES)})")
    return key


def _parse_has(value: str, problems: list[str]) -> str:
    key = value.casefold()
    found = [h for h in HAS_VALUES if h.startswith(key) or key == h + "s"]
    if len(found) == 1:
        return found[0]
    problems.append(f"unknown has: value {value!r} (use {', '.join(HAS_VALUES)})")
    return key


# ------------------------------------------------------------------------ text folding

# Smart quotes and dashes differ between copies of the same page.
_PUNCT = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u00a0": " ",
    }
)
_MARK_CLASS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_MARKS = re.compile(f"[{_MARK_CLASS}]")
# A word: letters and digits; '_' and punctuation separate words.
_WORD = re.compile(r"[^\W_]+")
# The same on unfolded text, where a decomposed accent must not split a word.
_RAW_WORD = re.compile(rf"[^\W_](?:[^\W_]|[{_MARK_CLASS}])*")
# Patterns that start with a class matching most characters ("[^\W_]+(?:-...)+")
# backtrack on every word of an abstract (170 us each, measured); these start at
# the rare character instead and the word around it is found by hand.
# An upper-case letter right after a lower-case one: "CopySpec".
_CAMEL_HINT = re.compile(r"[A-Z](?<=[a-z][A-Z])")
_CAMEL_PART = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+")
# The hyphenated tail of a compound: "-of-the-art".
_HYPHEN_TAIL = re.compile(r"-[^\W_]+(?:-[^\W_]+)*")
_ASCII_SEPARATORS = str.maketrans({chr(c): " " for c in range(128) if not chr(c).isalnum()})


def _fold(text: str) -> str:
    """Casefold and drop accents, so ``Schrödinger`` is found by ``schrodinger``.

    Per character, so folding a whole text equals folding its pieces.
    """
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKD", text.translate(_PUNCT).casefold())
    return _MARKS.sub("", text)


def _word_start(text: str, i: int, floor: int = 0) -> int:
    """Where the word ending just before ``text[i]`` starts (``i`` if none)."""
    while i > floor and text[i - 1].isalnum():
        i -= 1
    return i


def _camel_spans(text: str) -> list[Span]:
    """Spans of the camel-case words of ``text`` (``CopySpec``, ``InfLLM``)."""
    spans: list[Span] = []
    end = 0
    for m in _CAMEL_HINT.finditer(text):
        if m.start() < end:
            continue  # a second hump of the same word
        start = _word_start(text, m.start())
        rest = _WORD.match(text, m.start())
        end = rest.end() if rest else m.end()
        spans.append((start, end))
    return spans


def _compound_spans(text: str) -> list[Span]:
    """Spans of hyphenated compounds in ``text`` (``pre-trained``, ``state-of-the-art``)."""
    spans: list[Span] = []
    end = 0
    for m in _HYPHEN_TAIL.finditer(text):
        start = _word_start(text, m.start(), end)
        if start < m.start():
            spans.append((start, m.end()))
        end = m.end()
    return spans


def _doc_words(text: str) -> list[str]:
    """The folded words of a text, in order, then the extra forms people type.

    Extras: the parts of a camel-case word (``CopySpec`` -> ``copy``, ``spec``) and
    hyphenated compounds written solid (``pre-trained`` -> ``pretrained``).
    """
    if text.isascii():  # the same words as _WORD.findall, twice as fast
        folded = text.lower()
        words = folded.translate(_ASCII_SEPARATORS).split()
    else:
        folded = _fold(text)
        words = _WORD.findall(folded)
    if _CAMEL_HINT.search(text):
        for start, end in _camel_spans(text):
            parts = _CAMEL_PART.findall(text, start, end)
            words.extend(_fold(p) for p in parts if len(p) > 1)
    if "-" in folded:
        words.extend(folded[s:e].replace("-", "") for s, e in _compound_spans(folded))
    return words


@lru_cache(maxsize=4096)
def _title_words(title: str) -> tuple[tuple[int, int, str], ...]:
    """Like :func:`_doc_words` for one title, with each word's span in the original.

    Cached: each keystroke highlights the visible rows again, and the rows of
    one keystroke are mostly those of the one before.
    """
    out: list[tuple[int, int, str]] = []
    for m in _RAW_WORD.finditer(title):
        raw = m.group()
        folded = _fold(raw)
        if raw.isascii() or _WORD.fullmatch(folded):
            out.append((m.start(), m.end(), folded))
        else:  # folding may split a word (rare: '½' -> '1⁄2'); the parts share its span
            out.extend((m.start(), m.end(), part) for part in _WORD.findall(folded))
    for start, end in _camel_spans(title):
        for p in _CAMEL_PART.finditer(title, start, end):
            if p.end() - p.start() > 1:
                out.append((p.start(), p.end(), _fold(p.group())))
    dashed = title.translate(_PUNCT)  # same length: unicode hyphens become '-'
    for start, end in _compound_spans(dashed):
        out.append((start, end, "".join(_WORD.findall(_fold(title[start:end])))))
    return tuple(out)


def _starts_a_word(text: str, prefix: str) -> bool:
    """True when a word of ``text`` starts with the folded ``prefix``."""
    folded = text.casefold()  # cheap; the full fold only for non-ASCII misses
    for candidate in (folded, _fold(text)) if not text.isascii() else (folded,):
        i = candidate.find(prefix)
        while i >= 0:
            if i == 0 or not candidate[i - 1].isalnum():
                return True
            i = candidate.find(prefix, i + 1)
    return False


def _fold_phrase(text: str) -> str:
    return " ".join(_fold(text).split())


# ----------------------------------------------------------------- word-level matching

# Inflections accepted between a typed word and a text word ("recipes" ~ "recipe").
_STEM_SUFFIXES = ("s", "es", "ed", "d", "ing", "ings")

# Match qualities (0..1). A title match counts fully, an abstract match by
# _ABSTRACT_WEIGHT, so a word in the title always beats the same word in an abstract.
_Q_EXACT = 1.0
_Q_STEM = 0.9
_Q_PREFIX_MIN = 0.75  # plus up to _Q_PREFIX_SPAN for the share of the word typed
_Q_PREFIX_SPAN = 0.2
_Q_FUZZY = (0.0, 0.7, 0.55)  # by edit distance
_Q_FUZZY_PREFIX = 0.5
# A typo'd prefix ("grammar" -> "grammat|ical") is tried for every word this long;
# shorter words try it only when nothing else matches (a typo while typing).
_FUZZY_PREFIX_ALWAYS = 6
# A typed word that exists in the library is probably meant: its near neighbours
# ("model" -> "modal") still match, but rank well below it.
_KNOWN_FUZZY_FACTOR = 0.6
_ABSTRACT_WEIGHT = 0.3
_ABSTRACT_PREFIX_MIN = 4  # letters typed before abstracts match by prefix or typo
# ... unless the other words left at most this many papers (checked one by one).
_SHORT_CHECK_LIMIT = 1500
_COMMON_MIN_PAPERS = 3  # or 1 in 10,000 papers: then a typed word is "common"
_ABSTRACT_OTHER = 0.7  # quality of a prefix/fuzzy match in the abstract
_ADJACENT_BONUS = 0.1  # consecutive query words matched by consecutive title words
_COVERAGE_BONUS = 0.15  # times the share of the title's words that matched

# Above this many candidates, order by set tiers instead of scoring each paper.
_FINE_LIMIT = 1000
_POLL_EVERY = 256


def _max_edits(token: str) -> int:
    """Typos tolerated in a typed word: none below 4 letters, 1 up to 7, then 2."""
    if len(token) < 4 or not token.isalpha():
        return 0
    return 1 if len(token) < 8 else 2


def _is_stem_of(token: str, word: str) -> bool:
    """True when ``token`` is ``word`` plus an inflection suffix."""
    extra = len(token) - len(word)
    return (
        extra > 0
        and len(word) >= 3
        and token.startswith(word)
        and token[len(word) :] in _STEM_SUFFIXES
    )


def _prefix_quality(token: str, word: str) -> float:
    return _Q_PREFIX_MIN + _Q_PREFIX_SPAN * len(token) / len(word)


def _fuzzy_prefix_distance(token: str, word: str) -> int:
    """Edit distance between ``token`` and the closest prefix of ``word`` (capped at 2)."""
    n = len(token)
    best = 2
    for length in (n, n + 1, n - 1):
        if 0 < length <= len(word):
            d = OSA.distance(token, word[:length], score_cutoff=1)
            best = min(best, d)
    return best


@dataclass(frozen=True, slots=True)
class _Plan:
    """A query reduced to what the index needs: folded tokens and phrases."""

    tokens: tuple[str, ...]  # positive word tokens, deduplicated, in typed order
    excluded: tuple[tuple[str, ...], ...]  # each negated word's tokens (all must match)
    phrases: tuple[str, ...]  # folded, whitespace-collapsed
    excluded_phrases: tuple[str, ...]

    @classmethod
    def of(cls, query: Query) -> _Plan:
        tokens: dict[str, None] = {}
        excluded: list[tuple[str, ...]] = []
        phrases: list[str] = []
        excluded_phrases: list[str] = []
        for term in query.terms:
            if term.phrase:
                text = _fold_phrase(term.text)
                if text and _WORD.search(text):
                    (excluded_phrases if term.negated else phrases).append(text)
                continue
            words = _WORD.findall(_fold(term.text))
            if not words:
                continue
            if term.negated:
                excluded.append(tuple(words))
            else:
                tokens.update(dict.fromkeys(words))
        return cls(tuple(tokens), tuple(excluded), tuple(phrases), tuple(excluded_phrases))


def prefilter(queries: Sequence[Query], texts: Sequence[tuple[str, str]]) -> set[int] | None:
    """Which (title, abstract) pairs any of the queries' words and phrases could match.

    A superset of what :meth:`SearchIndex.search` finds in an index of the same
    texts, computed without building one: a word-index vocabulary costs more
    than anything else in a small index. Each typed word is compared with the
    texts' distinct words by every rule of the index (exact, prefix,
    inflection, typo, typo'd prefix), without the index's narrowing buckets;
    phrases are looked for as substrings. None when a query has neither
    (every text may match it). Used to match a watch list against an import.
    """
    plans = [_Plan.of(q) for q in queries]
    if any(not p.tokens and not p.phrases for p in plans):
        return None
    words = [_loose_words(t) | _loose_words(a) for t, a in texts]
    vocabulary = list(set().union(*words))
    out: set[int] = set()
    for plan in plans:
        keep: list[int] = list(range(len(texts)))
        for token in plan.tokens:
            found = _candidate_words(token, vocabulary)
            keep = [i for i in keep if not words[i].isdisjoint(found)]
        for phrase in plan.phrases:
            keep = [
                i
                for i in keep
                if phrase in _fold_phrase(texts[i][0]) or phrase in _fold_phrase(texts[i][1])
            ]
        out.update(keep)
    return out


# Every character _fold turns into "-": hyphenated compounds are made of them.
_HYPHENS = "-\u2010\u2011\u2013\u2014"
_HYPHEN_TO_SPACE = str.maketrans({h: " " for h in _HYPHENS})
_HYPHEN_DROPPED = str.maketrans({h: None for h in _HYPHENS})


def _loose_words(text: str) -> set[str]:
    """A superset of ``_doc_words(text)``, cheaper: compounds come from the text
    with its hyphens dropped instead of being found one by one."""
    spaced = text.translate(_HYPHEN_TO_SPACE)
    words = set(_doc_words(spaced))
    if spaced != text:
        joined = text.translate(_HYPHEN_DROPPED)
        if joined.isascii():  # as in _doc_words: the same words as _WORD, faster
            words.update(joined.lower().translate(_ASCII_SEPARATORS).split())
        else:
            words.update(_WORD.findall(_fold(joined)))
    return words


def _candidate_words(token: str, vocabulary: list[str]) -> set[str]:
    n = len(token)
    found = {w for w in vocabulary if w.startswith(token)}
    found.update(token[: -len(s)] for s in _STEM_SUFFIXES if n - len(s) >= 3 and token.endswith(s))
    k = _max_edits(token)
    if k:
        for word, _, _ in process.extract(
            token, vocabulary, scorer=OSA.distance, score_cutoff=k, limit=None
        ):
            found.add(word)
        for length in (n - 1, n, n + 1):
            heads = [w[:length] for w in vocabulary]
            for _, _, i in process.extract(
                token, heads, scorer=OSA.distance, score_cutoff=1, limit=None
            ):
                found.add(vocabulary[i])
    return found


def _as_query(query: Query | str) -> Query:
    return parse_query(query) if isinstance(query, str) else query


# ------------------------------------------------------------------------- highlighting


class _Highlighter:
    """Finds the characters of a title that a query's positive terms matched."""

    __slots__ = ("phrases", "tokens")

    def __init__(self, plan: _Plan) -> None:
        self.tokens = plan.tokens
        self.phrases = plan.phrases

    def spans(self, title: str) -> tuple[Span, ...]:
        if not self.tokens and not self.phrases:
            return ()
        spans: list[Span] = []
        if self.tokens:
            words = _title_words(title)
            for token in self.tokens:
                self._token_spans(title, token, words, spans)
        for phrase in self.phrases:
            spans.extend(_phrase_spans(title, phrase))
        return _merge(spans)

    @staticmethod
    def _token_spans(
        title: str, token: str, words: Sequence[tuple[int, int, str]], out: list[Span]
    ) -> None:
        k = _max_edits(token)
        found = False
        for start, end, word in words:
            if word.startswith(token):
                # Highlight only what was typed of a longer word ("Struct|ured").
                out.append((start, _prefix_end(title, start, end, word, len(token))))
                found = True
            elif _is_stem_of(token, word) or (k and OSA.distance(token, word, score_cutoff=k) <= k):
                out.append((start, end))
                found = True
        # A typo in a word still being typed ("trasnf"): like the index, always for
        # long words, for short ones only when nothing else matched.
        if k and (len(token) >= _FUZZY_PREFIX_ALWAYS or not found):
            for start, end, word in words:
                if _fuzzy_prefix_distance(token, word) <= 1:
                    out.append((start, min(end, start + len(token))))


def _prefix_end(title: str, start: int, end: int, word: str, typed: int) -> int:
    """Where the first ``typed`` folded characters of ``title[start:end]`` end."""
    if len(word) == end - start:
        return start + typed  # folding kept the length, offsets line up
    raw = title[start:end]
    if raw.isascii():  # a compound written with hyphens ("Set-Based" ~ "setbased")
        seen = 0
        for i, ch in enumerate(raw):
            if ch.isalnum():
                seen += 1
                if seen == typed:
                    return start + i + 1
    return end  # accents folded away or split: highlight the whole word


def _phrase_spans(title: str, phrase: str) -> list[Span]:
    if title.isascii():
        folded = title.lower()
        origin: list[int] | None = None
    else:  # fold char by char, remembering where each folded char came from
        pieces: list[str] = []
        origin = []
        for i, ch in enumerate(title):
            f = _fold(ch)
            pieces.append(f)
            origin.extend(repeat(i, len(f)))
        folded = "".join(pieces)
    out: list[Span] = []
    start = folded.find(phrase)
    while start >= 0:
        end = start + len(phrase)
        if origin is None:
            out.append((start, end))
        else:
            out.append((origin[start], origin[end - 1] + 1))
        start = folded.find(phrase, end)
    return out


def _merge(spans: list[Span]) -> tuple[Span, ...]:
    spans.sort()
    merged: list[Span] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return tuple(merged)


def highlight_spans(title: str, query: Query | str) -> tuple[Span, ...]:
    """The ``[start, end)`` ranges of ``title`` that the query's positive terms match.

    Uses the same word rules as the index (exact, prefix, inflection, typo) and
    case-insensitive substring search for phrases; ranges are sorted, merged and
    index the original title, whatever its case or accents.
    """
    return _Highlighter(_Plan.of(_as_query(query))).spans(title)


# -------------------------------------------------------------------------------- hits


class Facets(Protocol):
    """Per-paper fields for the filters, looked up by index position."""

    def status(self, pos: int) -> str:
        """``new``, ``to-read``, ``reading``, ``read`` or ``skipped``."""
        ...

    def has_note(self, pos: int) -> bool:
        """True when the paper has a non-empty note."""
        ...

    def tags(self, pos: int) -> Sequence[str]:
        """The paper's tags."""
        ...

    def digest_keys(self, pos: int) -> Sequence[str]:
        """Casefolded labels (``aug 25``), digest ids and ISO dates of the paper's digests."""
        ...

    def watched(self, pos: int) -> bool:
        """True when the paper matches an entry of the user's watch list (``is:watched``)."""
        ...


class NoFacets:
    """Facets of papers nobody annotated: for searches with words only (watch lists, tests)."""

    def status(self, pos: int) -> str:
        return "new"

    def has_note(self, pos: int) -> bool:
        return False

    def tags(self, pos: int) -> Sequence[str]:
        return ()

    def digest_keys(self, pos: int) -> Sequence[str]:
        return ()

    def watched(self, pos: int) -> bool:
        return False


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result.

    ``title_spans`` are ``[start, end)`` character ranges of the original title to
    highlight. In hits returned by :meth:`SearchIndex.search` they are computed on
    first access (a list shows a screenful of 100,000 hits), from the index's title
    at that moment.
    """

    pos: int
    score: float
    title_spans: tuple[Span, ...] = ()
    abstract_only: bool = False


_SPANS_SLOT = Hit.__dict__["title_spans"]
_SET_POS = Hit.__dict__["pos"].__set__
_SET_SCORE = Hit.__dict__["score"].__set__
_SET_ABSTRACT_ONLY = Hit.__dict__["abstract_only"].__set__


class _SpanSource:
    __slots__ = ("highlighter", "titles")

    def __init__(self, titles: list[str], highlighter: _Highlighter) -> None:
        self.titles = titles
        self.highlighter = highlighter


class _LazyHit(Hit):
    """A :class:`Hit` whose ``title_spans`` are computed when first read.

    Made without ``__init__`` by :class:`HitList` (frozen dataclasses cannot
    set a slot of their own otherwise).
    """

    __slots__ = ("_source",)
    _source: _SpanSource

    @property
    def title_spans(self) -> tuple[Span, ...]:
        try:
            return _SPANS_SLOT.__get__(self, Hit)  # type: ignore[no-any-return]
        except AttributeError:
            source = self._source
            spans = source.highlighter.spans(source.titles[self.pos])
            _SPANS_SLOT.__set__(self, spans)
            return spans

    @title_spans.setter
    def title_spans(self, value: tuple[Span, ...]) -> None:
        # Used by dataclasses.replace() and unpickling.
        _SPANS_SLOT.__set__(self, value)

    def _fields(self) -> tuple[object, ...]:
        return (self.pos, self.score, self.title_spans, self.abstract_only)

    def __eq__(self, other: object) -> bool:
        # The generated __eq__ only compares objects of exactly the same class.
        if isinstance(other, Hit):
            return self._fields() == (
                other.pos,
                other.score,
                other.title_spans,
                other.abstract_only,
            )
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        return (
            f"Hit(pos={self.pos!r}, score={self.score!r}, "
            f"title_spans={self.title_spans!r}, abstract_only={self.abstract_only!r})"
        )


_SET_SOURCE = _LazyHit.__dict__["_source"].__set__


class HitList(Sequence[Hit]):
    """Search results, best first, as a read-only sequence of :class:`Hit`.

    The results are kept as plain lists of positions, scores and flags; a
    :class:`Hit` object is made only for a row that is read (and then kept). A
    one-letter query at 100,000 papers matches 70,000 of them and the app draws
    forty: making every Hit up front cost more than the whole rest of the search
    (measured: 17 of 37 ms for "to"), and left tens of thousands of objects for
    the garbage collector on every keystroke. Compares equal to any sequence of
    the same hits, so ``results == []`` reads naturally.
    """

    __slots__ = ("_abstract_only", "_made", "_positions", "_scores", "_source")

    def __init__(
        self,
        positions: Sequence[int],
        scores: Sequence[float] | None = None,
        abstract_only: Sequence[bool] | None = None,
        source: _SpanSource | None = None,
    ) -> None:
        """``scores``/``abstract_only`` None: all 0.0/False; ``source`` None: no highlights."""
        self._positions = positions
        self._scores = scores
        self._abstract_only = abstract_only
        self._source = source
        self._made: dict[int, Hit] = {}

    @property
    def positions(self) -> Sequence[int]:
        """The papers' positions in result order (no Hit objects made)."""
        return self._positions

    def pos_at(self, i: int) -> int:
        """The position of the ``i``-th result: ``self[i].pos`` without making a Hit."""
        return self._positions[i]

    def index_of(self, pos: int) -> int | None:
        """Where the paper at ``pos`` is in the results, or None."""
        try:
            return self._positions.index(pos)
        except ValueError:
            return None

    def __len__(self) -> int:
        return len(self._positions)

    @overload
    def __getitem__(self, i: int) -> Hit: ...

    @overload
    def __getitem__(self, i: slice) -> list[Hit]: ...

    def __getitem__(self, i: int | slice) -> Hit | list[Hit]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self._positions)))]
        if i < 0:
            i += len(self._positions)
        hit = self._made.get(i)
        if hit is None:
            hit = self._made[i] = self._make(i)
        return hit

    def _make(self, i: int) -> Hit:
        pos = self._positions[i]  # IndexError for a row past the end, as a list
        score = 0.0 if self._scores is None else self._scores[i]
        abstract_only = False if self._abstract_only is None else self._abstract_only[i]
        source = self._source
        if source is None:
            return Hit(pos, score, (), abstract_only)
        hit = object.__new__(_LazyHit)
        _SET_POS(hit, pos)
        _SET_SCORE(hit, score)
        _SET_ABSTRACT_ONLY(hit, abstract_only)
        _SET_SOURCE(hit, source)
        return hit

    def __iter__(self) -> Iterator[Hit]:
        return map(self.__getitem__, range(len(self._positions)))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(map(eq, self, other))

    __hash__ = None  # type: ignore[assignment]  # mutable cache, compared by value

    def __repr__(self) -> str:
        shown = ", ".join(map(repr, self[:3]))
        more = f", ... {len(self) - 3} more" if len(self) > 3 else ""
        return f"HitList([{shown}{more}])"


# ------------------------------------------------------------------------------- index

_Postings: TypeAlias = "array[int]"  # positions, ascending
_BUILD_CHUNK = 256  # papers indexed between two looks at cancelled() and at update()
_ARRAY_APPEND = array.append


class _TokenMatch:
    """One typed token expanded against the vocabulary, with its posting sets."""

    __slots__ = (
        "_abs_set",
        "_title_set",
        "abs_exact",
        "abs_ids",
        "all_set",
        "exact",
        "index",
        "others",
        "prefix_ids",
        "title_exact_ids",
        "title_ids",
        "token",
        "tq",
    )

    def __init__(self, index: SearchIndex, token: str) -> None:
        self.index = index
        self.token = token
        words = index._words
        ids = index._ids
        n = len(token)
        exact = ids.get(token)
        self.exact = exact
        # Prefix: for 1-3 letters the bucket is exactly the words with that prefix.
        prefix_ids: Sequence[int]
        if n <= 3:
            prefix_ids = index._by_prefix.get(token, ())
        else:
            prefix_ids = [
                w for w in index._by_prefix.get(token[:3], ()) if words[w].startswith(token)
            ]
        self.prefix_ids = prefix_ids
        others: dict[int, float] = {}  # inflections and typos: word id -> quality
        stems: list[int] = []
        for suffix in _STEM_SUFFIXES:
            if n - len(suffix) >= 3 and token.endswith(suffix):
                stem = ids.get(token[: -len(suffix)])
                if stem is not None:
                    others[stem] = _Q_STEM
                    stems.append(stem)
        typos: list[int] = []
        k = _max_edits(token)
        if k:
            factor = _KNOWN_FUZZY_FACTOR if exact is not None else 1.0
            for word, dist, wid in index._fuzzy(token, k):
                if wid != exact and wid not in others and not word.startswith(token):
                    others[wid] = _Q_FUZZY[int(dist)] * factor
                    typos.append(wid)
            if n >= _FUZZY_PREFIX_ALWAYS or (exact is None and not prefix_ids):
                for wid in index._fuzzy_prefix(token):
                    if wid not in others:
                        others[wid] = _Q_FUZZY_PREFIX
                        typos.append(wid)
        self.others = others
        exact_ids = stems if exact is None else [exact, *stems]
        self.title_exact_ids = exact_ids
        self.title_ids: list[Sequence[int]] = [exact_ids, prefix_ids, typos]
        # A word many papers use was probably typed on purpose: its typo neighbours
        # still count in titles, but searching them in every abstract ("stind" ->
        # "stand", "sting", ...) would match most of the library.
        common = exact is not None and index._doc_frequency(exact) >= max(
            _COMMON_MIN_PAPERS, len(index) // 10_000
        )
        # Up to three letters are too weak a clue to search abstracts by prefix or
        # typo ("spe" starts a word in most abstracts): there only the word itself
        # or its plural counts ("rnn" finds "RNNs"); titles still match by prefix.
        if n >= _ABSTRACT_PREFIX_MIN:
            self.abs_ids: list[Sequence[int]] = [exact_ids, prefix_ids]
            if not common:
                self.abs_ids.append(typos)
            abs_exact_ids = exact_ids
        elif n >= 2:
            forms = (token, token + "s", token + "es")
            abs_exact_ids = [w for w in map(ids.get, forms) if w is not None]
            self.abs_ids = [abs_exact_ids]
        else:
            abs_exact_ids = []
            self.abs_ids = []
        self.abs_exact = [a for a in map(index._apost.__getitem__, abs_exact_ids) if a]
        self.tq: dict[int, float] = {}
        self._title_set: set[int] | None = None
        self._abs_set: set[int] | None = None
        self.all_set: set[int] | None = None

    @staticmethod
    def _union(groups: list[Sequence[int]], postings: list[_Postings | None]) -> set[int]:
        out: set[int] = set()
        update = out.update
        for ids in groups:
            # All in C: fetch each word's postings, drop empty ones, add to the set.
            deque(map(update, filter(None, map(postings.__getitem__, ids))), maxlen=0)
        return out

    @property
    def title_set(self) -> set[int]:
        if self._title_set is None:
            self._title_set = self._union(self.title_ids, self.index._tpost)
        return self._title_set

    @property
    def abs_set(self) -> set[int]:
        if self._abs_set is None:
            self._abs_set = self._union(self.abs_ids, self.index._apost)
        return self._abs_set

    def matching(self) -> set[int]:
        if self.all_set is None:
            title, abstract = self.title_set, self.abs_set
            self.all_set = title | abstract if abstract else title
        return self.all_set

    def title_exact_set(self) -> set[int]:
        return self._union([self.title_exact_ids], self.index._tpost)

    def title_quality(self, wid: int) -> float:
        q = self.tq.get(wid)
        if q is None:
            q = 0.0
            if wid == self.exact:
                q = _Q_EXACT
            else:
                q = self.others.get(wid, 0.0)
                word = self.index._words[wid]
                if word.startswith(self.token):
                    q = max(q, _prefix_quality(self.token, word))
            self.tq[wid] = q
        return q

    def abstract_quality(self, pos: int) -> float:
        for arr in self.abs_exact:
            i = bisect_left(arr, pos)
            if i < len(arr) and arr[i] == pos:
                return _Q_EXACT
        abs_set = self._abs_set
        return _ABSTRACT_OTHER if abs_set is not None and pos in abs_set else 0.0


@dataclass(slots=True)
class _PhraseMatch:
    phrase: str
    title: set[int]
    abstract: set[int]


class _TitleTokens:
    """Every indexed title's word ids, in order, in one flat array.

    One small array per paper cost 13.7 MB at 100,000 papers (an array object
    is 64 bytes before its first item); flat, it is 4 bytes a word and 8 a
    paper. A title changed by :meth:`SearchIndex.update` keeps its new ids in
    ``replaced`` instead: the flat array only ever grows at its end.
    """

    __slots__ = ("flat", "replaced", "starts")

    def __init__(self, flat: array[int] | None = None, starts: array[int] | None = None) -> None:
        self.flat: array[int] = array("i") if flat is None else flat
        self.starts: array[int] = array("q", [0]) if starts is None else starts
        self.replaced: dict[int, array[int]] = {}

    def __len__(self) -> int:
        return len(self.starts) - 1

    def __getitem__(self, pos: int) -> array[int]:
        if self.replaced:
            toks = self.replaced.get(pos)
            if toks is not None:
                return toks
        starts = self.starts
        return self.flat[starts[pos] : starts[pos + 1]]

    def append(self, ids: Iterable[int]) -> None:
        self.flat.extend(ids)
        self.starts.append(len(self.flat))

    def replace(self, pos: int, ids: Iterable[int]) -> None:
        self.replaced[pos] = array("i", ids)


@dataclass(slots=True)
class IndexState:
    """A built index as plain arrays: what an :class:`IndexStore` saves and loads.

    The first ``count`` papers are indexed. Word ``i`` of ``words`` has id
    ``i``; ``title_postings[i]`` and ``abstract_postings[i]`` are the ascending
    positions of the papers whose title / abstract has it (None: none).
    ``title_tokens[title_starts[p] : title_starts[p + 1]]`` are the ids of the
    words of paper ``p``'s title, in order (``title_starts`` has ``count + 1``
    items, the first 0).
    """

    count: int
    words: list[str]
    title_postings: list[_Postings | None]
    abstract_postings: list[_Postings | None]
    title_tokens: array[int]
    title_starts: array[int]


class IndexStore(Protocol):
    """Keeps a built index between runs (see tracker/index_cache.py)."""

    def load(self, titles: Sequence[str], abstracts: Sequence[str]) -> IndexState | None:
        """The saved index of the first papers of these texts; None if there is none
        that was made from exactly those texts by this version of the code."""
        ...

    def save(
        self,
        state: IndexState,
        titles: Sequence[str],
        abstracts: Sequence[str],
        still_valid: Callable[[], bool],
    ) -> None:
        """Save ``state``, made from ``titles[:state.count]`` and ``abstracts[:state.count]``,
        unless ``still_valid()`` is False once it is written; never raises."""
        ...


class SearchIndex:
    """An incrementally built inverted index over titles and abstracts.

    Positions are assigned by :meth:`add` in call order (0, 1, 2, ...) and are the
    library order. The index keeps references to the title and abstract strings it
    was given (for phrase search and highlighting), so it costs little beyond the
    papers themselves: one id per distinct word and 4 bytes per (word, paper)
    posting.

    Not thread-safe against itself: do not call :meth:`add` or :meth:`update` while
    a :meth:`search` runs in another thread (searches may overlap each other).
    :meth:`update` may run while :meth:`build` indexes or loads in another
    thread (the app imports while its worker builds).
    """

    def __init__(self) -> None:
        self._titles: list[str] = []
        self._abstracts: list[str] = []
        self._title_toks = _TitleTokens()  # per paper: title word ids in order
        self._ids: dict[str, int] = {}
        self._words: list[str] = []
        self._tpost: list[_Postings | None] = []
        self._apost: list[_Postings | None] = []
        self._by_prefix: dict[str, list[int]] = {}  # first 1, 2 and 3 letters -> ids
        # Candidates for typo matching: (length, first letter) and (length, last
        # letter) -> (words, ids). One typo leaves the first or the last letter alone.
        self._fuzzy_buckets: dict[tuple[int, str, bool], tuple[list[str], list[int]]] = {}
        self._indexed = 0  # papers before this position have their words indexed
        self._build_lock = threading.Lock()
        self.store: IndexStore | None = None
        """Where :meth:`build` loads a saved index from and saves it to (None: nowhere)."""
        # False once update() changed an indexed paper: the vocabulary then keeps
        # the old text's words, so this index is no longer what a build of the
        # current texts would give, and is not saved.
        self._pure = True
        # update() runs on the app's main thread (an import) while build() may
        # run in a worker. This lock makes "is this paper indexed yet?" and the
        # change of its text one step, so that a paper is indexed from its new
        # text or re-indexed, never left with its old text's words; the counter
        # tells a build that a text changed while it was loading a saved index.
        self._text_lock = threading.Lock()
        self._text_changes = 0
        self._version = 0
        self._cache: dict[str, _TokenMatch] = {}
        self._cache_version = -1
        # All words on lines of one string, for substring search by the regex engine:
        # (blob, start offset of each word, number of words). One tuple, replaced
        # whole, so overlapping searches never pair a new blob with old offsets.
        self._blob: tuple[str, array[int], int] = ("", array("q"), 0)

    # ------------------------------------------------------------------ building

    def __len__(self) -> int:
        return len(self._titles)

    def add(self, title: str, abstract: str) -> int:
        """Add a paper; return its position (the number of papers added before it).

        Adding is cheap: the words are indexed later, by :meth:`build` or by the
        first search that needs them. Empty and filter-only queries never do, so
        the app can show its list at once and index 100,000 papers (seconds) in
        the background.
        """
        pos = len(self._titles)
        self._titles.append(title)
        self._abstracts.append(abstract)
        return pos

    @property
    def is_built(self) -> bool:
        """True when every added paper's words are indexed."""
        return self._indexed == len(self._titles)

    def build(self, cancelled: Callable[[], bool] | None = None) -> bool:
        """Index the words of papers added since the last build.

        Safe to call from a worker thread while searches run: the first search
        that needs words waits for the build instead of starting its own.
        Returns False if ``cancelled`` stopped it (what is indexed stays indexed).

        With a :attr:`store`, the first build loads the index saved for these
        texts (or for the first papers of them) instead of indexing from
        scratch, and a build that indexed anything saves the result.
        """
        with self._build_lock:
            store = self.store
            if store is not None and self._indexed == 0 and self._titles:
                if cancelled is not None and cancelled():
                    return False
                changes = self._text_changes
                state = store.load(self._titles, self._abstracts)
                if state is not None and state.count <= len(self._titles):
                    with self._text_lock:
                        if changes == self._text_changes:  # else it may hold an old text
                            self._restore(state)
            start = self._indexed
            end = len(self._titles)
            for chunk in range(start, end, _BUILD_CHUNK):
                if cancelled is not None and cancelled():
                    return False
                with self._text_lock:
                    for pos in range(chunk, min(chunk + _BUILD_CHUNK, end)):
                        title_words = _doc_words(self._titles[pos])
                        self._post(pos, dict.fromkeys(title_words), self._tpost, append=True)
                        self._title_toks.append(map(self._ids.__getitem__, title_words))
                        abstract_words = set(_doc_words(self._abstracts[pos]))
                        self._post(pos, abstract_words, self._apost, append=True)
                        self._indexed = pos + 1
            self._version += 1
            if store is not None and self._indexed > start:
                with self._text_lock:  # an update() on another thread makes it impure
                    state = self._state() if self._pure else None
                if state is not None:
                    store.save(state, self._titles, self._abstracts, lambda: self._pure)
            return True

    def _state(self) -> IndexState:
        """The built index as plain arrays, for :attr:`store` (build and text locks held)."""
        toks = self._title_toks
        assert not toks.replaced, "only an index without updates is saved"
        return IndexState(
            self._indexed, self._words, self._tpost, self._apost, toks.flat, toks.starts
        )

    def _restore(self, state: IndexState) -> None:
        """Take a saved index of the first ``state.count`` papers (build lock held, empty index)."""
        for word in state.words:
            self._new_word(word)
        self._tpost = state.title_postings
        self._apost = state.abstract_postings
        self._title_toks = _TitleTokens(state.title_tokens, state.title_starts)
        self._version += 1
        self._indexed = state.count  # last: from here on the words are searchable

    def update(self, pos: int, title: str, abstract: str) -> None:
        """Replace the text of the paper at ``pos`` (e.g. a longer abstract was merged in)."""
        if not 0 <= pos < len(self._titles):
            raise IndexError(f"no paper at position {pos}")
        with self._text_lock:
            self._text_changes += 1
            self._update(pos, title, abstract)

    def _update(self, pos: int, title: str, abstract: str) -> None:
        if pos >= self._indexed:  # its words are not indexed yet: just new text
            self._titles[pos] = title
            self._abstracts[pos] = abstract
            return
        self._pure = False  # first: a save under way must see it before anything changes
        for text, postings in (
            (self._titles[pos], self._tpost),
            (self._abstracts[pos], self._apost),
        ):
            for word in set(_doc_words(text)):
                arr = postings[self._ids[word]]
                if arr is not None:
                    i = bisect_left(arr, pos)
                    if i < len(arr) and arr[i] == pos:
                        del arr[i]
        self._titles[pos] = title
        self._abstracts[pos] = abstract
        title_words = _doc_words(title)
        self._post(pos, dict.fromkeys(title_words), self._tpost, append=False)
        self._title_toks.replace(pos, map(self._ids.__getitem__, title_words))
        self._post(pos, set(_doc_words(abstract)), self._apost, append=False)
        self._version += 1

    def _post(
        self, pos: int, words: Iterable[str], postings: list[_Postings | None], *, append: bool
    ) -> None:
        word_list = list(words)
        if append:
            try:  # the common case, all in C: every word known and already posted
                known = list(map(postings.__getitem__, map(self._ids.__getitem__, word_list)))
            except (KeyError, TypeError):
                pass  # a new word, or one not yet seen in this field
            else:
                if None not in known:
                    arrays_known = cast("list[array[int]]", known)
                    deque(map(_ARRAY_APPEND, arrays_known, repeat(pos)), maxlen=0)
                    return
        ids = list(map(self._ids.get, word_list))
        if None in ids:
            ids = [
                self._new_word(w) if i is None else i for i, w in zip(ids, word_list, strict=True)
            ]
        wids: list[int] = ids  # type: ignore[assignment]  # no None left
        found = list(map(postings.__getitem__, wids))
        if None in found:
            for k, arr in enumerate(found):
                if arr is None:
                    found[k] = postings[wids[k]] = array("i")
        arrays: list[array[int]] = found  # type: ignore[assignment]  # no None left
        if append:  # the common case, kept in C: every array gets the new, largest pos
            deque(map(_ARRAY_APPEND, arrays, repeat(pos)), maxlen=0)
        else:
            for arr in arrays:
                insort(arr, pos)

    # ------------------------------------------ term statistics (related papers)

    def word_ids(self, text: str) -> list[int]:
        """Ids of the indexed words of ``text``, in order; unknown words are left out."""
        return [i for i in map(self._ids.get, _doc_words(text)) if i is not None]

    def postings(self, wid: int) -> tuple[Sequence[int], Sequence[int]]:
        """Positions (ascending) of the papers whose title / abstract has the word."""
        return self._tpost[wid] or (), self._apost[wid] or ()

    def text_of(self, pos: int) -> tuple[str, str]:
        """The title and abstract indexed at ``pos``."""
        return self._titles[pos], self._abstracts[pos]

    def _doc_frequency(self, wid: int) -> int:
        """Papers whose title or abstract has the word (an upper bound: both count)."""
        return len(self._tpost[wid] or ()) + len(self._apost[wid] or ())

    def _new_word(self, word: str) -> int:
        wid = len(self._words)
        self._words.append(word)
        self._ids[word] = wid
        self._tpost.append(None)
        self._apost.append(None)
        for k in (1, 2, 3):
            if len(word) >= k:
                self._by_prefix.setdefault(word[:k], []).append(wid)
        if len(word) >= 3 and word.isalpha():
            for key in ((len(word), word[0], True), (len(word), word[-1], False)):
                bucket = self._fuzzy_buckets.get(key)
                if bucket is None:
                    bucket = self._fuzzy_buckets[key] = ([], [])
                bucket[0].append(word)
                bucket[1].append(wid)
        return wid

    # ---------------------------------------------------------- vocabulary lookups

    def _fuzzy(self, token: str, k: int) -> Iterator[tuple[str, float, int]]:
        """Vocabulary words within ``k`` edits of ``token`` (not itself)."""
        n = len(token)
        seen: set[int] = set()
        for length in range(n - k, n + k + 1):
            for key in ((length, token[0], True), (length, token[-1], False)):
                bucket = self._fuzzy_buckets.get(key)
                if bucket is None:
                    continue
                words, ids = bucket
                for word, dist, i in process.extract(
                    token, words, scorer=OSA.distance, score_cutoff=k, limit=None
                ):
                    wid = ids[i]
                    if dist and wid not in seen:
                        seen.add(wid)
                        yield word, dist, wid

    def _fuzzy_prefix(self, token: str) -> list[int]:
        """Words starting with a one-typo variant of ``token`` (``trasnf`` -> transformer)."""
        bucket = self._by_prefix.get(token[:2], [])
        words = self._words
        found: dict[int, None] = {}
        n = len(token)
        for length in (n, n + 1, n - 1):
            heads = [words[w][:length] for w in bucket]
            for _, _, i in process.extract(
                token, heads, scorer=OSA.distance, score_cutoff=1, limit=None
            ):
                if len(heads[i]) == length:
                    found[bucket[i]] = None
        return list(found)

    def _words_with(
        self, needle: str, *, at_start: bool = False, at_end: bool = False
    ) -> list[int]:
        """Ids of vocabulary words containing ``needle`` (or starting/ending with it)."""
        if at_start and not at_end:
            if len(needle) <= 3:
                return list(self._by_prefix.get(needle, ()))
            return [
                w for w in self._by_prefix.get(needle[:3], ()) if self._words[w].startswith(needle)
            ]
        blob, starts, count = self._blob
        if count != len(self._words):  # the vocabulary grew since the last phrase search
            words = self._words[:]
            blob = "\n" + "\n".join(words) + "\n"
            starts = array("q", accumulate((len(w) + 1 for w in words), initial=1))
            self._blob = (blob, starts, len(words))
        pattern = re.escape(needle)
        if at_start:
            pattern = "(?<=\n)" + pattern
        if at_end:
            pattern += "(?=\n)"
        found: dict[int, None] = {}
        for m in re.finditer(pattern, blob):
            found[bisect_right(starts, m.start()) - 1] = None
        return list(found)

    def _token_match(self, token: str) -> _TokenMatch:
        if self._cache_version != self._version:
            self._cache = {}
            self._cache_version = self._version
        tm = self._cache.get(token)
        if tm is None:
            tm = _TokenMatch(self, token)
        return tm

    # ----------------------------------------------------------------- searching

    def search(
        self,
        query: Query | str,
        facets: Facets,
        *,
        limit: int | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> HitList:
        """Find papers; see the module docstring for how.

        Empty query: every position in index order. Filters (and exclusions) only:
        the matching positions in index order, score 0. With words or phrases: the
        papers matching all of them, best first; equal scores keep index order.
        ``limit`` caps the number of hits. ``cancelled`` is polled between stages
        and every few hundred papers; when it returns True the search stops by
        raising :class:`SearchCancelled` (never a partial result).
        """
        q = _as_query(query)
        poll = cancelled

        def check() -> None:
            if poll is not None and poll():
                raise SearchCancelled

        n = len(self._titles)
        plan = _Plan.of(q)
        check()
        if (plan.tokens or plan.phrases or plan.excluded or plan.excluded_phrases) and (
            not self.is_built
        ):
            self.build()
        if not plan.tokens and not plan.phrases:
            excluded = self._excluded(plan, None, check)
            positions: list[int] | range = range(n)
            if excluded:
                positions = list(
                    compress(positions, map(not_, map(excluded.__contains__, positions)))
                )
            kept = self._filter(positions, q.filters, facets, check, limit)
            return HitList(kept)

        # Keep only the cached words this query still has: the others (the word
        # just extended, "transforme" -> "transformer") would stay alive through
        # this search, with sets of up to 100,000 positions each.
        still = set(plan.tokens)
        self._cache = {t: tm for t, tm in self._cache.items() if t in still}
        matches = [self._token_match(t) for t in plan.tokens]
        self._cache = {tm.token: tm for tm in matches}  # reused by the next keystroke
        candidates: set[int] | None = None
        # Papers where a short word matched only by starting a word of the abstract.
        by_abstract_prefix: dict[str, set[int]] = {}
        # Longer words first: they narrow the candidates for the short ones.
        for tm in sorted(
            matches, key=lambda m: (len(m.token) < _ABSTRACT_PREFIX_MIN, len(m.token))
        ):
            check()
            short = len(tm.token) < _ABSTRACT_PREFIX_MIN
            if short and candidates is not None and len(candidates) <= _SHORT_CHECK_LIMIT:
                # A short word is usually the one being typed ("fair us|e"). Its
                # index sets leave out abstract prefixes (too broad), so check the
                # few remaining papers' abstracts directly: no flicker while typing.
                direct = candidates & tm.matching()
                extra = {
                    p for p in candidates - direct if _starts_a_word(self._abstracts[p], tm.token)
                }
                by_abstract_prefix[tm.token] = extra
                candidates = direct | extra
            else:
                found = tm.matching()
                candidates = found if candidates is None else candidates & found
            if not candidates:
                return HitList([])
        phrases: list[_PhraseMatch] = []
        for phrase in plan.phrases:
            check()
            pm = self._phrase_match(phrase, candidates, check)
            phrases.append(pm)
            candidates = pm.title | pm.abstract
            if not candidates:
                return HitList([])
        assert candidates is not None
        excluded = self._excluded(plan, candidates, check)
        if excluded:
            candidates = candidates - excluded
        if q.filters:  # order does not matter here: ranking sorts
            candidates = set(self._filter(list(candidates), q.filters, facets, check, None))
        check()
        extra_abstract = [by_abstract_prefix.get(tm.token, set()) for tm in matches]
        return self._rank(
            candidates, matches, extra_abstract, phrases, _Highlighter(plan), check, limit
        )

    def _phrase_match(
        self, phrase: str, within: set[int] | None, check: Callable[[], None]
    ) -> _PhraseMatch:
        """Papers whose title or abstract contains ``phrase`` (folded), among ``within``."""
        words = _WORD.findall(phrase)
        if len(words) == 1 and words[0] == phrase:
            # One bare word: any text word containing it is a match; no verification.
            ids = self._words_with(phrase)
            title = _TokenMatch._union([ids], self._tpost)
            abstract = _TokenMatch._union([ids], self._apost)
            if within is not None:
                title, abstract = title & within, abstract & within
            return _PhraseMatch(phrase, title, abstract)
        if within is None or len(within) > 64:
            # Narrow down by words first. Inside the phrase words are whole; the
            # first may be the end of a longer word, the last the start of one.
            groups: list[list[int]]
            if len(words) == 1:
                groups = [self._words_with(words[0])]
            else:
                middle = [self._ids.get(w) for w in words[1:-1]]
                if None in middle:
                    return _PhraseMatch(phrase, set(), set())  # no paper has that word
                groups = [self._words_with(words[0], at_end=True)]
                groups += [[w] for w in middle if w is not None]
                groups.append(self._words_with(words[-1], at_start=True))
            for ids in groups:
                check()
                found = _TokenMatch._union([ids], self._tpost)
                found |= _TokenMatch._union([ids], self._apost)
                within = found if within is None else within & found
                if not within:
                    return _PhraseMatch(phrase, set(), set())
        in_title: set[int] = set()
        in_abstract: set[int] = set()
        titles, abstracts = self._titles, self._abstracts
        spaced = " " in phrase
        for i, p in enumerate(sorted(within or ())):
            if i % _POLL_EVERY == 0:
                check()
            t = _fold(titles[p])
            if phrase in (" ".join(t.split()) if spaced else t):
                in_title.add(p)
            a = _fold(abstracts[p])
            if phrase in (" ".join(a.split()) if spaced else a):
                in_abstract.add(p)
        return _PhraseMatch(phrase, in_title, in_abstract)

    def _excluded(
        self, plan: _Plan, within: set[int] | None, check: Callable[[], None]
    ) -> set[int]:
        """Positions that a ``-word`` or ``-"phrase"`` rules out."""
        out: set[int] = set()
        ids = self._ids
        for tokens in plan.excluded:
            group: set[int] | None = None
            for token in tokens:
                # The word and its simple inflections: -llm also drops "LLMs".
                forms = [token, token + "s", token + "es"]
                forms += [
                    token[: -len(s)] for s in _STEM_SUFFIXES if _is_stem_of(token, token[: -len(s)])
                ]
                wids = [w for w in map(ids.get, forms) if w is not None]
                found = _TokenMatch._union([wids], self._tpost) | _TokenMatch._union(
                    [wids], self._apost
                )
                group = found if group is None else group & found
            if group:
                out |= group
        for phrase in plan.excluded_phrases:
            check()
            pm = self._phrase_match(phrase, None if within is None else within - out, check)
            out |= pm.title | pm.abstract
        return out

    def _filter(
        self,
        positions: Sequence[int],
        filters: Sequence[FieldFilter],
        facets: Facets,
        check: Callable[[], None],
        limit: int | None,
    ) -> list[int]:
        for flt in filters:
            if flt.field not in FIELDS:  # only possible for a FieldFilter built by hand
                raise QueryError(f"unknown filter field {flt.field!r} (use {', '.join(FIELDS)})")
        kept: Iterable[int] = positions
        # Cheapest first: later filters only see what earlier ones kept.
        for flt in sorted(filters, key=lambda f: _FILTER_ORDER.index(f.field)):
            check()
            cur = list(kept)
            mask = _filter_mask(flt, cur, facets)
            kept = compress(cur, map(not_, mask) if flt.negated else mask)
        if limit is not None:
            out: list[int] = []
            for p in kept:
                if len(out) >= limit:
                    break
                out.append(p)
            return out
        return list(kept)

    # ------------------------------------------------------------------- ranking

    def _rank(
        self,
        pset: set[int],
        matches: list[_TokenMatch],
        extra_abstract: list[set[int]],
        phrases: list[_PhraseMatch],
        highlighter: _Highlighter,
        check: Callable[[], None],
        limit: int | None,
    ) -> HitList:
        source = _SpanSource(self._titles, highlighter)
        want = len(pset) if limit is None else min(limit, len(pset))
        if len(pset) <= _FINE_LIMIT:
            scored = self._score(sorted(pset), matches, extra_abstract, phrases, check)
            scored.sort(key=lambda s: -s[0])  # stable: ties keep index order
            top = scored[:want]
            return HitList([s[1] for s in top], [s[0] for s in top], [s[2] for s in top], source)

        # Too many to score one by one (a query of a letter or two): tiers by sets.
        # 0: every word exactly in the title; 1: every word in the title somehow;
        # 2: the rest. Tiers small enough are scored; the others keep index order.
        in_title = pset
        for tm in matches:
            if tm.abs_ids:  # else every candidate matched this token in its title
                in_title = in_title & tm.title_set
        for pm in phrases:
            in_title = in_title & pm.title
        exact = in_title
        for tm in matches:
            exact = exact & tm.title_exact_set()
        check()
        # (positions, score when not scored one by one, all matched in the title)
        tiers = (
            (exact, 1.0, True),
            (in_title - exact, 0.8, True),
            (pset - in_title, 0.3, False),
        )
        out_pos: list[int] = []
        out_score: list[float] = []
        out_abs: list[bool] = []
        budget = _FINE_LIMIT
        floor = float("inf")  # keeps scores non-increasing across tiers
        for tier, tier_score, in_titles in tiers:
            need = want - len(out_pos)
            if need <= 0:
                break
            if not tier:
                continue
            if len(tier) <= budget:
                budget -= len(tier)
                scored = self._score(sorted(tier), matches, extra_abstract, phrases, check)
                scored.sort(key=lambda s: -s[0])
                for score, p, abstract_only in scored[:need]:
                    floor = min(floor, score)
                    out_pos.append(p)
                    out_score.append(floor)
                    out_abs.append(abstract_only)
            else:
                chosen = sorted(tier)[:need]
                floor = min(floor, tier_score)
                out_pos.extend(chosen)
                out_score.extend(repeat(floor, len(chosen)))
                if in_titles:
                    out_abs.extend(repeat(False, len(chosen)))
                else:
                    any_title = set().union(*(tm.title_set for tm in matches))
                    any_title = any_title.union(*(pm.title for pm in phrases))
                    out_abs.extend(map(not_, map(any_title.__contains__, chosen)))
            check()
        return HitList(out_pos, out_score, out_abs, source)

    def _score(
        self,
        positions: list[int],
        matches: list[_TokenMatch],
        extra_abstract: list[set[int]],
        phrases: list[_PhraseMatch],
        check: Callable[[], None],
    ) -> list[tuple[float, int, bool]]:
        """Score each paper: per term, title quality + a share of abstract quality.

        Bonuses for query words matched by consecutive title words in the typed
        order, and for matching a large share of the title (short exact titles win).
        """
        units = len(matches) + len(phrases)
        title_toks = self._title_toks
        out: list[tuple[float, int, bool]] = []
        for k, p in enumerate(positions):
            if k % _POLL_EVERY == 0:
                check()
            toks = title_toks[p]
            total = 0.0
            bonus = 0.0
            prev = -2
            matched: set[int] = set()
            for tm, extra in zip(matches, extra_abstract, strict=True):
                tq = tm.tq
                best = 0.0
                best_j = -1
                for j, w in enumerate(toks):
                    q = tq.get(w)
                    if q is None:
                        q = tm.title_quality(w)
                    if q > best:
                        best, best_j = q, j
                if best_j >= 0:
                    matched.add(best_j)
                    if best_j == prev + 1:
                        bonus += _ADJACENT_BONUS
                prev = best_j
                abstract = _ABSTRACT_OTHER if p in extra else tm.abstract_quality(p)
                total += best + _ABSTRACT_WEIGHT * abstract
            in_title = bool(matched)
            for pm in phrases:
                if p in pm.title:
                    total += 1.0
                    in_title = True
                if p in pm.abstract:
                    total += _ABSTRACT_WEIGHT
            if matched and toks:
                bonus += _COVERAGE_BONUS * len(matched) / len(toks)
            out.append(((total + bonus) / units, p, not in_title))
        return out


def _filter_mask(flt: FieldFilter, positions: list[int], facets: Facets) -> Iterable[bool]:
    values = flt.values
    if flt.field == "status":
        allowed = frozenset(values)
        return map(allowed.__contains__, map(facets.status, positions))
    if flt.field == "has":
        want_note = "note" in values
        want_tag = "tag" in values
        if want_note and not want_tag:
            return map(bool, map(facets.has_note, positions))
        if want_tag and not want_note:
            return map(bool, map(facets.tags, positions))
        if not want_note:
            return repeat(False, len(positions))
        return (bool(facets.has_note(p) or facets.tags(p)) for p in positions)
    if flt.field == "tag":
        wanted = frozenset(values)
        tag_memo = _Memo(lambda tags: any(t.casefold() in wanted for t in tags))
        return map(tag_memo.__getitem__, map(tuple, map(facets.tags, positions)))
    if flt.field == "is":
        if "watched" in values:
            return map(facets.watched, positions)
        return repeat(False, len(positions))
    if flt.field == "digest":
        prefixes = tuple(values)
        digest_memo = _Memo(lambda keys: any(k.startswith(prefixes) for k in keys))
        return map(digest_memo.__getitem__, map(tuple, map(facets.digest_keys, positions)))
    return repeat(False, len(positions))


_FILTER_ORDER = ("status", "is", "has", "tag", "digest")


class _Memo(dict[tuple[str, ...], bool]):
    """A predicate over tag/digest tuples, evaluated once per distinct tuple.

    Most papers share a few combinations, so at 100k papers a filter costs a dict
    lookup per paper (in C, through map) instead of a Python call.
    """

    def __init__(self, predicate: Callable[[tuple[str, ...]], bool]) -> None:
        super().__init__()
        self._predicate = predicate

    def __missing__(self, key: tuple[str, ...]) -> bool:
        value = self[key] = self._predicate(key)
        return value
