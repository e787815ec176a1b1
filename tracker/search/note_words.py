"""``note:WORD``: the papers whose note holds a word, as a person half-remembers it.

A note is the reader's own text, a few lines on a few hundred papers, and it
changes as it is typed: it is matched word by word when a search asks, never
indexed. A query word matches a note word that starts with it (``zanz`` finds
"Zanzibar") or is one typo away from one (two from eight letters on), folded
like every searched text (case and accents do not count). A value of several
words (``note:"reread later"``) needs every word; values joined by commas are
alternatives, as for every filter.
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz.distance import Levenshtein

from tracker.search.words import doc_words, plain_words

TYPO_FROM = 4
"""Query words this long or longer may have one typo (shorter ones match as prefixes only)."""

TWO_TYPOS_FROM = 8
"""... and from this length, two."""


def note_matches(note: str, values: Iterable[str]) -> bool:
    """Does ``note`` hold every word of one of ``values`` (as typed, any case)?"""
    words: set[str] | None = None
    for value in values:
        wanted = plain_words(value)[1]
        if not wanted:
            continue
        if words is None:
            words = set(doc_words(note))
        if all(_has_word(words, w) for w in wanted):
            return True
    return False


def _has_word(words: set[str], wanted: str) -> bool:
    if wanted in words:
        return True
    typos = 2 if len(wanted) >= TWO_TYPOS_FROM else 1 if len(wanted) >= TYPO_FROM else 0
    for word in words:
        if word.startswith(wanted):
            return True
        # The word as far as the query went ("zanzibr" for "zanzibar") or whole.
        if typos and (
            Levenshtein.distance(wanted, word[: len(wanted) + typos], score_cutoff=typos) <= typos
            or Levenshtein.distance(wanted, word, score_cutoff=typos) <= typos
        ):
            return True
    return False
