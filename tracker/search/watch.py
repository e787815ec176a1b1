"""Watch list matching: which papers match which watch entry.

A watch entry is a line of the filter language: bare words (typo-tolerant,
all must match, in the title or the abstract), ``"exact phrases"`` and
``author:"Name"``. An entry is a query, matched by the search engine itself
(:class:`tracker.search.SearchIndex`, authors by the rules of
:mod:`tracker.search.authors`), so it finds exactly what typing it into the
filter box finds.

Matches are computed, never stored: the watch list lives in config.toml and a
person may change it at any time, so the library recomputes the flags from
the current list (see :meth:`tracker.library.Library.watch_matches`). Checking
one import needs no library-wide index: :func:`match_papers` indexes just the
imported papers, so the cost follows the import, not the library.

Pure: no I/O, no Textual.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tracker.models import Paper
from tracker.search.authors import name_words
from tracker.search.hits import NoFacets
from tracker.search.prefilter import prefilter
from tracker.search.query import FieldFilter, Query, Term, parse_query
from tracker.search.search_index import SearchIndex

__all__ = [
    "WatchEntry",
    "WatchError",
    "match_index",
    "match_papers",
    "parse_entries",
    "parse_entry",
]


class WatchError(ValueError):
    """A watch entry that cannot be used, explained in one sentence."""


@dataclass(frozen=True, slots=True)
class WatchEntry:
    """One parsed watch entry; ``text`` is what the user wrote (and what is shown)."""

    text: str
    terms: tuple[Term, ...]
    authors: tuple[FieldFilter, ...] = ()
    """Its ``author:`` filters: searched by the index like any other query's."""

    @property
    def query(self) -> Query:
        return Query(self.terms, self.authors)


def parse_entry(text: str) -> WatchEntry:
    """Parse one entry; raise :class:`WatchError` for one that could never match usefully."""
    text = " ".join(text.split())
    if not text:
        raise WatchError("a watch entry cannot be empty")
    query = parse_query(text)
    authors = tuple(f for f in query.filters if f.field == "author")
    if any(f.negated for f in authors):
        raise WatchError(f"{text!r}: -author: cannot be watched (watch what you want to see)")
    others = [f for f in query.filters if f.field != "author"]
    if others:
        names = ", ".join(f"{f.field}:" for f in others)
        raise WatchError(
            f"{text!r}: {names} cannot be part of a watch entry "
            '(use words, "phrases" and author:"Name")'
        )
    if re.search(r"(?i)(?:^|\s)author:(?:\s|$|\"\")", text) or any(
        not name_words(v) for f in authors for v in f.values
    ):
        raise WatchError(f'{text!r}: author: needs a name, like author:"Yann LeCun"')
    if not any(not t.negated for t in query.terms) and not authors:
        raise WatchError(f"{text!r}: a watch entry needs a word, a phrase or an author")
    return WatchEntry(text, query.terms, authors)


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
    facets = NoFacets()  # watch entries have no filters the facets answer
    for entry in entries:
        found: Iterable[int] = (h.pos for h in index.search(entry.query, facets))
        if wanted is not None:
            found = [p for p in found if p in wanted]
        for pos in found:
            out.setdefault(pos, entry)
    return out


def count_matches(entries: Sequence[WatchEntry], index: SearchIndex) -> dict[str, int]:
    """Entry text → how many papers it matches, each entry on its own (a paper that two
    entries match counts for both; :func:`match_index` shows it with the first only)."""
    facets = NoFacets()
    return {entry.text: len(index.search(entry.query, facets)) for entry in entries}


def match_papers(entries: Sequence[WatchEntry], papers: Sequence[Paper]) -> dict[str, WatchEntry]:
    """Paper id → first matching entry, indexing only these papers (an import's).

    Only the papers an entry's words could match are indexed (most of an
    import matches none, and the index's vocabulary is what costs: about
    0.1 ms a paper); entries of authors alone need no index at all.
    """
    if not entries or not papers:
        return {}
    # Plain words match authors too: their names are part of what the words may hit.
    texts = [(p.title, f"{p.abstract} {' '.join(p.authors)}") for p in papers]
    worded = [e for e in entries if e.terms]
    keep = prefilter([Query(e.terms, ()) for e in worded], texts) if worded else set()
    candidates = list(range(len(papers))) if keep is None else sorted(keep)
    index = SearchIndex()
    for i in candidates:
        index.add(papers[i].title, papers[i].abstract, papers[i].authors)
    sub = [papers[i] for i in candidates]
    # Entries of authors alone search every paper's authors, no words: adding
    # papers costs nothing until words are searched.
    names = SearchIndex()
    for paper in papers:
        names.add(paper.title, paper.abstract, paper.authors)
    # Per entry, the papers it matches (positions into ``papers``).
    matched: list[set[int]] = []
    for entry in entries:
        if entry.terms:
            found = match_index([entry], index, sub)
            matched.append({candidates[pos] for pos in found})
        else:
            matched.append(set(match_index([entry], names, papers)))
    out: dict[str, WatchEntry] = {}
    for entry, positions in zip(entries, matched, strict=True):
        for pos in sorted(positions):
            out.setdefault(papers[pos].id, entry)
    return out
