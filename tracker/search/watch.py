"""Watch list matching: which papers match which watch entry.

A watch entry is a line of the filter language: bare words (typo-tolerant,
all must match, in the title or the abstract), ``"exact phrases"`` and
``author:"Name"``. Words and phrases are matched by the search engine itself
(:class:`tracker.search.SearchIndex`), so an entry finds exactly what typing
it into the filter box finds; authors are matched here, name word by name
word with one typo allowed in longer names.

Matches are computed, never stored: the watch list lives in config.toml and a
person may change it at any time, so the library recomputes the flags from
the current list (see :meth:`tracker.library.Library.watch_matches`). Checking
one import needs no library-wide index: :func:`match_papers` indexes just the
imported papers, so the cost follows the import, not the library.

Pure: no I/O, no Textual.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz.distance import OSA

from tracker.models import Paper
from tracker.search.hits import NoFacets
from tracker.search.prefilter import prefilter
from tracker.search.query import Query, Term, parse_query
from tracker.search.search_index import SearchIndex

__all__ = [
    "WatchEntry",
    "WatchError",
    "match_index",
    "match_papers",
    "parse_entries",
    "parse_entry",
]

_AUTHOR = re.compile(r"""(-?)author:(?:"([^"]*)"?|(\S*))""", re.IGNORECASE)
_NAME_WORD = re.compile(r"[^\W_]+")


class WatchError(ValueError):
    """A watch entry that cannot be used, explained in one sentence."""


@dataclass(frozen=True, slots=True)
class WatchEntry:
    """One parsed watch entry; ``text`` is what the user wrote (and what is shown)."""

    text: str
    terms: tuple[Term, ...]
    authors: tuple[tuple[str, ...], ...]  # each author name as folded words

    @property
    def query(self) -> Query:
        return Query(self.terms, ())


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def parse_entry(text: str) -> WatchEntry:
    """Parse one entry; raise :class:`WatchError` for one that could never match usefully."""
    text = " ".join(text.split())
    if not text:
        raise WatchError("a watch entry cannot be empty")
    authors: list[tuple[str, ...]] = []
    for m in _AUTHOR.finditer(text):
        if m.group(1):
            raise WatchError(f"{text!r}: -author: cannot be watched (watch what you want to see)")
        words = tuple(_NAME_WORD.findall(_fold(m.group(2) or m.group(3) or "")))
        if not words:
            raise WatchError(f'{text!r}: author: needs a name, like author:"Yann LeCun"')
        authors.append(words)
    rest = _AUTHOR.sub(" ", text)
    query = parse_query(rest)
    if query.filters:
        names = ", ".join(f"{f.field}:" for f in query.filters)
        raise WatchError(
            f"{text!r}: {names} cannot be part of a watch entry "
            '(use words, "phrases" and author:"Name")'
        )
    if not any(not t.negated for t in query.terms) and not authors:
        raise WatchError(f"{text!r}: a watch entry needs a word, a phrase or an author")
    return WatchEntry(text, query.terms, tuple(authors))


def parse_entries(texts: Iterable[str]) -> tuple[list[WatchEntry], list[str]]:
    """A watch list's usable entries, and one sentence for each entry that is skipped."""
    entries: list[WatchEntry] = []
    problems: list[str] = []
    for text in texts:
        try:
            entries.append(parse_entry(text))
        except WatchError as err:
            problems.append(f"{err}; it is skipped")
    return entries, problems


def _name_word_matches(want: str, have: str) -> bool:
    if want == have:
        return True
    if len(want) == 1:  # an initial: "Y LeCun" ~ "Yann LeCun"
        return have.startswith(want)
    if len(have) == 1:  # the paper gives an initial
        return want.startswith(have)
    # One typo in names of five letters or more ("Lecunn", "Hinten").
    return len(want) >= 5 and OSA.distance(want, have, score_cutoff=1) <= 1


def author_matches(wanted: tuple[str, ...], authors: Sequence[str]) -> bool:
    """True when one author's name has every wanted word (in any order)."""
    for author in authors:
        words = _NAME_WORD.findall(_fold(author))
        if all(any(_name_word_matches(w, h) for h in words) for w in wanted):
            return True
    return False


def match_index(
    entries: Sequence[WatchEntry],
    index: SearchIndex,
    papers: Sequence[Paper],
    positions: Iterable[int] | None = None,
) -> dict[int, WatchEntry]:
    """Position → first matching entry, for the papers at ``positions`` (default: all).

    ``index`` holds ``papers`` in the same order. Entries are tried in order,
    so the first one in the watch list is the one a paper is shown with.
    """
    wanted: set[int] | None = None if positions is None else set(positions)
    out: dict[int, WatchEntry] = {}
    facets = NoFacets()  # watch entries have no filters
    for entry in entries:
        if entry.terms:
            found: Iterable[int] = (h.pos for h in index.search(entry.query, facets))
            if wanted is not None:
                found = [p for p in found if p in wanted]
        else:
            found = range(len(papers)) if wanted is None else sorted(wanted)
        for pos in found:
            if pos in out:
                continue
            if entry.authors and not all(
                author_matches(a, papers[pos].authors) for a in entry.authors
            ):
                continue
            out[pos] = entry
    return out


def match_papers(entries: Sequence[WatchEntry], papers: Sequence[Paper]) -> dict[str, WatchEntry]:
    """Paper id → first matching entry, indexing only these papers (an import's).

    Only the papers an entry's words could match are indexed (most of an
    import matches none, and the index's vocabulary is what costs: about
    0.1 ms a paper); entries of authors alone need no index at all.
    """
    if not entries or not papers:
        return {}
    texts = [(p.title, p.abstract) for p in papers]
    worded = [e for e in entries if e.terms]
    keep = prefilter([e.query for e in worded], texts) if worded else set()
    candidates = list(range(len(papers))) if keep is None else sorted(keep)
    index = SearchIndex()
    for i in candidates:
        index.add(papers[i].title, papers[i].abstract)
    sub = [papers[i] for i in candidates]
    # Per entry, the papers it matches (positions into ``papers``).
    matched: list[set[int]] = []
    for entry in entries:
        if entry.terms:
            found = match_index([entry], index, sub)
            matched.append({candidates[pos] for pos in found})
        else:
            matched.append(set(match_index([entry], SearchIndex(), papers)))
    out: dict[str, WatchEntry] = {}
    for entry, positions in zip(entries, matched, strict=True):
        for pos in sorted(positions):
            out.setdefault(papers[pos].id, entry)
    return out
