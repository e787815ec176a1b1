"""Related papers: the few papers that share the most distinctive words with one paper.

A small TF-IDF-like score over the search index's postings, so nothing new
is built or stored: take the paper's own words, weigh each by how rare it
is in the library (idf, doubled for title words), keep the most telling
ones, and add up those weights over every paper that has them (title hits
count more than abstract hits). Common words ("the", "model") carry almost
no weight and are skipped outright, which keeps the posting lists walked
short; a long abstract is damped by the square root of its word count so it
does not win by sheer size.

Cost: proportional to the postings of at most ``MAX_TERMS`` words that occur
in fewer than ``MAX_SHARE`` of the papers (a few ms at 10,000 papers; see
``benchmarks/related.py``).
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict

from tracker.search.search_index import SearchIndex

MAX_TERMS = 16
"""How many of the paper's most distinctive words take part."""
MAX_SHARE = 0.08
"""Words in more than this share of the papers say little about a topic."""
SMALL_LIBRARY = 2000
"""Below this many papers every shared word may take part (cheap anyway)."""
CANDIDATES = 40
"""Papers re-scored with length damping before the final pick."""
TITLE_HIT = 2.0
"""A shared word in the other paper's title counts this much more than in its abstract."""


def related(index: SearchIndex, pos: int, k: int = 5) -> list[tuple[int, float]]:
    """Up to ``k`` (position, score) of the papers most like the one at ``pos``, best first.

    The index must be built (``SearchIndex.build``); papers not indexed yet
    are simply not found.
    """
    n = len(index)
    if n < 2:
        return []
    title, abstract = index.text_of(pos)
    title_words = set(index.word_ids(title))
    words = title_words | set(index.word_ids(abstract))
    # A small library has few words to go by: only the share cutoff's speed
    # matters, and that only for large ones.
    most = n * MAX_SHARE if n >= SMALL_LIBRARY else float(2 * n)
    weights: dict[int, float] = {}
    for wid in words:
        tpost, apost = index.postings(wid)
        df = len(tpost) + len(apost)  # an upper bound; good enough for a weight
        if df <= 1 or df > most:
            continue  # only this paper has it, or nearly every paper does
        weight = math.log1p(n / df)
        weights[wid] = weight * 2 if wid in title_words else weight
    # Ties go by the word and then by position, not by word id: an index fitted
    # to changed papers (reconcile.py) numbers its words otherwise than a fresh one.
    terms = heapq.nlargest(
        MAX_TERMS, weights.items(), key=lambda item: (item[1], index.word(item[0]))
    )
    scores: defaultdict[int, float] = defaultdict(float)
    for wid, weight in terms:
        tpost, apost = index.postings(wid)
        title_weight = weight * TITLE_HIT
        for p in tpost:
            scores[p] += title_weight
        for p in apost:
            scores[p] += weight
    scores.pop(pos, None)
    if not scores:
        return []
    best = heapq.nlargest(CANDIDATES, scores.items(), key=lambda item: (item[1], -item[0]))
    damped = []
    for p, score in best:
        other_title, other_abstract = index.text_of(p)
        length = len(set(index.word_ids(other_title))) + len(set(index.word_ids(other_abstract)))
        damped.append((p, score / math.sqrt(max(length, 16))))
    damped.sort(key=lambda item: (-item[1], item[0]))
    return damped[:k]
