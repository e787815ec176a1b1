"""The query language: words, "phrases", -negation and field filters, parsed into a Query."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from tracker.models import Status

STATUSES: tuple[str, ...] = tuple(s.value for s in Status)
FIELDS: tuple[str, ...] = ("status", "digest", "has", "tag", "is", "author", "note")
HAS_VALUES: tuple[str, ...] = ("note", "tag")
IS_VALUES: tuple[str, ...] = ("watched",)


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
_FIELD_RE = re.compile(r"(status|digest|has|tag|is|author|note):", re.IGNORECASE)


def parse_query(text: str) -> Query:
    """Parse a search-box string; never raises, whatever has been typed so far.

    Syntax: bare words (fuzzy, all must match), ``-word`` (exclude), ``"a phrase"``
    (an unclosed quote runs to the end), and the filters ``status:``, ``digest:``,
    ``has:``, ``tag:`` and ``is:watched`` with comma-separated values (quote a value that contains
    spaces or commas: ``digest:"Oct 7, 2024"``); ``-status:read`` negates a filter.
    A filter with no value yet (``status:``) is ignored; an unknown field
    (``foo:bar``) is an ordinary word, and one that looks like a misspelt
    field (``stauts:read``) is also a problem naming the field meant.
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
        word = s[i:j]
        _check_field_typo(word, problems)
        terms.append(Term(word, negated))
        i = j
    return Query(tuple(terms), tuple(filters), tuple(problems))


_NAME_VALUE_RE = re.compile(r"([a-z]{2,12}):\S", re.IGNORECASE)


def _check_field_typo(word: str, problems: list[str]) -> None:
    """``stauts:read`` searched as a word finds nothing and said nothing: say which field was meant.

    Only a name close to a field's counts: ``arXiv:2410.05434`` or ``Re:Invent``
    are words people search for.
    """
    m = _NAME_VALUE_RE.match(word)
    if m is None:
        return
    name = m.group(1).casefold()
    near = difflib.get_close_matches(name, FIELDS, n=1, cutoff=0.6)
    if near:
        problems.append(f"unknown field {name + ':'!r}: did you mean {near[0]}:?")


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
        problems.append(f"unknown status {value!r} ({Status.guess(key)}use {', '.join(STATUSES)})")
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


def as_query(query: Query | str) -> Query:
    return parse_query(query) if isinstance(query, str) else query
