"""Search: query parsing, a typo-tolerant incremental index, ranking and highlight spans.

Pure: no I/O, no Textual. The library facade owns a :class:`SearchIndex`, feeds it
every paper's title and abstract in library order, and asks it for :class:`Hit`
lists; per-paper user data (status, note, tags, digests) is read through the small
:class:`Facets` protocol so that a status change never touches the index.

How a search stays inside a keystroke at 100,000 papers (the targets are in the
README, "Performance"): fuzzy matching never runs over documents. Every title and abstract is
cut into casefolded words once, in :meth:`SearchIndex.add`; each distinct word gets
an id and two sorted posting arrays (titles, abstracts). A typed word is expanded
against the *vocabulary* -- exact word, words it is a prefix of, simple inflections,
and words within an edit distance found by rapidfuzz in small (length, first/last
letter) buckets -- then the posting arrays of those words are unioned into Python
sets (C speed), the terms' sets are intersected, and only the surviving papers are
scored. Huge result sets (a one-letter query) are ordered by cheap set tiers and
their highlight spans are computed lazily, when a row is actually drawn.

The package, in the order a search uses it: :mod:`~tracker.search.query` (the
query language), :mod:`~tracker.search.words` (folding text into words),
:mod:`~tracker.search.matching` (the word match rules and their qualities),
:mod:`~tracker.search.word_index` (words and posting arrays),
:mod:`~tracker.search.terms` (a typed word or phrase against the index),
:mod:`~tracker.search.filters` (field filters), :mod:`~tracker.search.search_index`
(the search and its ranking), :mod:`~tracker.search.hits` (lazy results) and
:mod:`~tracker.search.highlight` (highlight spans). Beside them:
:mod:`~tracker.search.authors` (how a name matches, and the author index),
:mod:`~tracker.search.prefilter` (matching without an index).
"""

from tracker.search.highlight import highlight_spans
from tracker.search.hits import Facets, Hit, HitList, NoFacets
from tracker.search.query import (
    FIELDS,
    HAS_VALUES,
    IS_VALUES,
    STATUSES,
    FieldFilter,
    Query,
    QueryError,
    SearchCancelled,
    Term,
    parse_query,
)
from tracker.search.search_index import SearchIndex
from tracker.search.word_index import IndexState, IndexStore

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
    "NoFacets",
    "Query",
    "QueryError",
    "SearchCancelled",
    "SearchIndex",
    "Term",
    "highlight_spans",
    "parse_query",
]
