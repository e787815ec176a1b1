"""Highlight spans: the parts of a title that a query's words and phrases match."""

from __future__ import annotations

from functools import lru_cache
from itertools import repeat

from rapidfuzz.distance import OSA

from tracker.search.matching import (
    FUZZY_PREFIX_ALWAYS,
    Plan,
    fuzzy_prefix_distance,
    is_stem_of,
    max_edits,
    may_join,
)
from tracker.search.query import Query, as_query
from tracker.search.words import Span, fold, title_word_spans


class Highlighter:
    """Finds the characters of a title that a query's positive terms matched."""

    __slots__ = ("joined", "phrases", "tokens")

    def __init__(self, plan: Plan) -> None:
        self.tokens = plan.tokens
        self.phrases = plan.phrases
        tokens = plan.tokens
        # Adjacent words that the index also matches as one ("mr t5" -> MrT5).
        self.joined = tuple(
            tokens[k] + tokens[k + 1]
            for k in range(len(tokens) - 1)
            if may_join(tokens[k], tokens[k + 1])
        )

    def spans(self, title: str) -> tuple[Span, ...]:
        if not self.tokens and not self.phrases:
            return ()
        spans: list[Span] = []
        if self.tokens:
            words = title_word_spans(title)
            for token in self.tokens:
                spans.extend(_token_spans(title, token))
            for joined in self.joined:
                for start, end, word in words:
                    if word.startswith(joined):
                        spans.append((start, _prefix_end(title, start, end, word, len(joined))))
        for phrase in self.phrases:
            spans.extend(_phrase_spans(title, phrase))
        return _merge(spans)


@lru_cache(maxsize=8192)
def _token_spans(title: str, token: str) -> tuple[Span, ...]:
    """The parts of ``title`` that one typed word matches (unmerged).

    Cached: each keystroke highlights the visible rows again, and typing a
    second word ("graph n", "graph ne") asks for the first one's parts of
    mostly the same titles again (typo checks of every title word each time).
    """
    words = title_word_spans(title)
    out: list[Span] = []
    k = max_edits(token)
    found = False
    for start, end, word in words:
        if word.startswith(token):
            # Highlight only what was typed of a longer word ("Struct|ured").
            out.append((start, _prefix_end(title, start, end, word, len(token))))
            found = True
        elif is_stem_of(token, word) or (k and OSA.distance(token, word, score_cutoff=k) <= k):
            out.append((start, end))
            found = True
    # A typo in a word still being typed ("trasnf"): like the index, always for
    # long words, for short ones only when nothing else matched.
    if k and (len(token) >= FUZZY_PREFIX_ALWAYS or not found):
        for start, end, word in words:
            if fuzzy_prefix_distance(token, word) <= 1:
                out.append((start, min(end, start + len(token))))
    return tuple(out)


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
            f = fold(ch)
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
    return Highlighter(Plan.of(as_query(query))).spans(title)
