"""Word-level match rules: inflections, prefixes, typos and the quality each match earns."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import OSA

from tracker.search.query import Query
from tracker.search.words import WORD, fold, fold_phrase

# Inflections accepted between a typed word and a text word ("recipes" ~ "recipe").
STEM_SUFFIXES = ("s", "es", "ed", "d", "ing", "ings")

# Match qualities (0..1). A title match counts fully, an abstract match by
# ABSTRACT_WEIGHT, so a word in the title always beats the same word in an abstract.
Q_EXACT = 1.0
Q_STEM = 0.9
Q_PREFIX_MIN = 0.75  # plus up to Q_PREFIX_SPAN for the share of the word typed
Q_PREFIX_SPAN = 0.2
Q_FUZZY = (0.0, 0.7, 0.55)  # by edit distance
Q_FUZZY_PREFIX = 0.5
# A typo'd prefix ("grammar" -> "grammat|ical") is tried for every word this long;
# shorter words try it only when nothing else matches (a typo while typing).
FUZZY_PREFIX_ALWAYS = 6
# A typed word that exists in the library is probably meant: its near neighbours
# ("model" -> "modal") still match, but rank well below it.
KNOWN_FUZZY_FACTOR = 0.6
ABSTRACT_WEIGHT = 0.3
# A typed word that is an author's name: a match, ranked with abstract
# matches, below any title match (a title word counts at least 0.5).
AUTHOR_WEIGHT = 0.3
ABSTRACT_PREFIX_MIN = 4  # letters typed before abstracts match by prefix or typo
# ... unless the other words left at most this many papers (checked one by one).
SHORT_CHECK_LIMIT = 1500
COMMON_MIN_PAPERS = 3  # or 1 in 10,000 papers: then a typed word is "common"
ABSTRACT_OTHER = 0.7  # quality of a prefix/fuzzy match in the abstract
ADJACENT_BONUS = 0.1  # consecutive query words matched by consecutive title words
COVERAGE_BONUS = 0.15  # times the share of the title's words that matched
# A query word (or two joined) that is the paper's own name ("lasp" for "LASP-2: ...",
# "copy spec" for "CopySpec: ..."), exactly or as a prefix: that paper first, ahead of
# the papers that only mention the name. Added to the final score.
NAME_BONUS = 0.3
# ... when the words typed there make up this share of the name's longest word
# ("lasp" of LASP-2, "copy spec" of CopySpec; not "sequence" of SequenceMatch,
# a word of its own), or one of them runs on past a part of the name ("slimpaj").
NAME_COVERAGE = 2 / 3
# Two typed words written as one name ("mr t5" for MrT5, "lm infinite" for LM-Infinite)
# are tried joined when the joined word has at least this many letters.
JOIN_MIN = 4

# Above this many candidates, order by set tiers instead of scoring each paper.
FINE_LIMIT = 1000
POLL_EVERY = 256


def max_edits(token: str) -> int:
    """Typos tolerated in a typed word: none below 4 letters, 1 up to 7, then 2."""
    if len(token) < 4 or not token.isalpha():
        return 0
    return 1 if len(token) < 8 else 2


def may_join(first: str, second: str) -> bool:
    """Whether two adjacent typed words are also tried as one (see ``JOIN_MIN``).

    Not when the second has a single letter: that is a word still being
    typed ("state s" is not "states").
    """
    return len(second) >= 2 and len(first) + len(second) >= JOIN_MIN


def is_stem_of(token: str, word: str) -> bool:
    """True when ``token`` is ``word`` plus an inflection suffix."""
    extra = len(token) - len(word)
    return (
        extra > 0
        and len(word) >= 3
        and token.startswith(word)
        and token[len(word) :] in STEM_SUFFIXES
    )


def prefix_quality(token: str, word: str) -> float:
    return prefix_quality_of(len(token), len(word))


def prefix_quality_of(typed: int, length: int) -> float:
    """The quality of a word of ``length`` letters that the ``typed`` letters start."""
    return Q_PREFIX_MIN + Q_PREFIX_SPAN * typed / length


def fuzzy_prefix_distance(token: str, word: str) -> int:
    """Edit distance between ``token`` and the closest prefix of ``word`` (capped at 2)."""
    n = len(token)
    best = 2
    for length in (n, n + 1, n - 1):
        if 0 < length <= len(word):
            d = OSA.distance(token, word[:length], score_cutoff=1)
            best = min(best, d)
    return best


@dataclass(frozen=True, slots=True)
class Plan:
    """A query reduced to what the index needs: folded tokens and phrases."""

    tokens: tuple[str, ...]  # positive word tokens, deduplicated, in typed order
    excluded: tuple[tuple[str, ...], ...]  # each negated word's tokens (all must match)
    phrases: tuple[str, ...]  # folded, whitespace-collapsed
    excluded_phrases: tuple[str, ...]

    @classmethod
    def of(cls, query: Query) -> Plan:
        tokens: dict[str, None] = {}
        excluded: list[tuple[str, ...]] = []
        phrases: list[str] = []
        excluded_phrases: list[str] = []
        for term in query.terms:
            if term.phrase:
                text = fold_phrase(term.text)
                if text and WORD.search(text):
                    (excluded_phrases if term.negated else phrases).append(text)
                continue
            words = WORD.findall(fold(term.text))
            if not words:
                continue
            if term.negated:
                excluded.append(tuple(words))
            else:
                tokens.update(dict.fromkeys(words))
        return cls(tuple(tokens), tuple(excluded), tuple(phrases), tuple(excluded_phrases))
