"""Which texts a query could match, without an index (a watch list against an import)."""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import process
from rapidfuzz.distance import OSA

from tracker.search.matching import STEM_SUFFIXES, Plan, max_edits, may_join
from tracker.search.query import Query
from tracker.search.words import WORD, ascii_words, doc_words, fold, fold_phrase


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
    plans = [Plan.of(q) for q in queries]
    if any(not p.tokens and not p.phrases for p in plans):
        return None
    words = [_loose_words(t) | _loose_words(a) for t, a in texts]
    vocabulary = list(set().union(*words))
    out: set[int] = set()
    for plan in plans:
        keep: list[int] = list(range(len(texts)))
        tokens = plan.tokens
        joined = {
            k: {w for w in vocabulary if w.startswith(tokens[k] + tokens[k + 1])}
            for k in range(len(tokens) - 1)
            if may_join(tokens[k], tokens[k + 1])
        }
        if any(joined.values()):
            # Adjacent words may match as one (the index's JoinMatch): per text, can
            # the words up to the i-th match, with or without the last pair joined?
            found = [_candidate_words(t, vocabulary) for t in tokens]
            keep = [i for i in keep if _matches_grouped(words[i], found, joined)]
        else:
            for token in tokens:
                candidates = _candidate_words(token, vocabulary)
                keep = [i for i in keep if not words[i].isdisjoint(candidates)]
        for phrase in plan.phrases:
            keep = [
                i
                for i in keep
                if phrase in fold_phrase(texts[i][0]) or phrase in fold_phrase(texts[i][1])
            ]
        out.update(keep)
    return out


def _matches_grouped(words: set[str], found: list[set[str]], joined: dict[int, set[str]]) -> bool:
    before, last = True, not words.isdisjoint(found[0])
    for i in range(1, len(found)):
        current = last and not words.isdisjoint(found[i])
        pair = joined.get(i - 1)
        if not current and pair and before:
            current = not words.isdisjoint(pair)
        before, last = last, current
    return last


# Every character fold turns into "-": hyphenated compounds are made of them.
_HYPHENS = "-\u2010\u2011\u2013\u2014"
_HYPHEN_TO_SPACE = str.maketrans({h: " " for h in _HYPHENS})
_HYPHEN_DROPPED = str.maketrans({h: None for h in _HYPHENS})


def _loose_words(text: str) -> set[str]:
    """A superset of ``doc_words(text)``, cheaper: compounds come from the text
    with its hyphens dropped instead of being found one by one."""
    spaced = text.translate(_HYPHEN_TO_SPACE)
    words = set(doc_words(spaced))
    if spaced != text:
        joined = text.translate(_HYPHEN_DROPPED)
        if joined.isascii():  # as in doc_words: the same words as WORD, faster
            words.update(ascii_words(joined.lower()))
        else:
            words.update(WORD.findall(fold(joined)))
    return words


def _candidate_words(token: str, vocabulary: list[str]) -> set[str]:
    n = len(token)
    found = {w for w in vocabulary if w.startswith(token)}
    found.update(token[: -len(s)] for s in STEM_SUFFIXES if n - len(s) >= 3 and token.endswith(s))
    k = max_edits(token)
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
