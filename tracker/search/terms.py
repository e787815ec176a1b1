"""One typed word or phrase matched against the index: its words and posting sets."""

from __future__ import annotations

from bisect import bisect_left
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

from tracker.search.bits import Membership, of_positions
from tracker.search.matching import (
    ABSTRACT_OTHER,
    ABSTRACT_PREFIX_MIN,
    COMMON_MIN_PAPERS,
    FUZZY_PREFIX_ALWAYS,
    KNOWN_FUZZY_FACTOR,
    Q_EXACT,
    Q_FUZZY,
    Q_FUZZY_PREFIX,
    Q_STEM,
    STEM_SUFFIXES,
    max_edits,
    prefix_quality,
    prefix_quality_of,
)
from tracker.search.word_index import Postings, WordIndex

QUALITIES_AT_ONCE = 50_000
"""Up to this many candidate words, a typed word's title qualities are listed at once
(:meth:`TokenMatch.title_qualities`): about a millisecond for 10,000 (a letter's
words at 100,000 papers)."""


WordScore = tuple[float, int, tuple[int, ...] | None, float, float]
"""What one typed word alone gives a paper in ``RankedIndex._score``: its best
title quality, the first title word with it (-1: none), where in the title all
the words with it are when there are several (else None: which one counts then
depends on the other typed words), its abstract quality (left out: a short
word's abstract prefixes, which depend on the search) and its author quality."""


class TokenMatch:
    """One typed token expanded against the vocabulary, with its posting sets."""

    __slots__ = (
        "_abs_bits",
        "_abs_in",
        "_all_bits",
        "_author_exact",
        "_author_typo",
        "_qualities",
        "_title_bits",
        "abs_exact",
        "abs_exact_ids",
        "abs_ids",
        "exact",
        "index",
        "made_for",
        "others",
        "prefix_ids",
        "scored",
        "scoring_bytes",
        "title_exact_ids",
        "title_ids",
        "token",
        "tq",
    )

    def __init__(self, index: WordIndex, token: str, made_for: tuple[int, int] = (-1, -1)) -> None:
        self.index = index
        self.token = token
        self.made_for = made_for
        """The state of the index this match was made on (``SearchIndex._token_match``):
        reused only while the index is in that state."""
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
        for suffix in STEM_SUFFIXES:
            if n - len(suffix) >= 3 and token.endswith(suffix):
                stem = ids.get(token[: -len(suffix)])
                if stem is not None:
                    others[stem] = Q_STEM
                    stems.append(stem)
        typos: list[int] = []
        k = max_edits(token)
        if k:
            factor = KNOWN_FUZZY_FACTOR if exact is not None else 1.0
            for word, dist, wid in index._fuzzy(token, k):
                if wid != exact and wid not in others and not word.startswith(token):
                    others[wid] = Q_FUZZY[int(dist)] * factor
                    typos.append(wid)
            if n >= FUZZY_PREFIX_ALWAYS or (exact is None and not prefix_ids):
                for wid in index._fuzzy_prefix(token):
                    if wid not in others:
                        others[wid] = Q_FUZZY_PREFIX
                        typos.append(wid)
        self.others = others
        exact_ids = stems if exact is None else [exact, *stems]
        self.title_exact_ids = exact_ids
        self.title_ids: list[Sequence[int]] = [exact_ids, prefix_ids, typos]
        # A word many papers use was probably typed on purpose: its typo neighbours
        # still count in titles, but searching them in every abstract ("stind" ->
        # "stand", "sting", ...) would match most of the library.
        common = exact is not None and index._doc_frequency(exact) >= max(
            COMMON_MIN_PAPERS, len(index) // 10_000
        )
        # Up to three letters are too weak a clue to search abstracts by prefix or
        # typo ("spe" starts a word in most abstracts): there only the word itself
        # or its plural counts ("rnn" finds "RNNs"); titles still match by prefix.
        if n >= ABSTRACT_PREFIX_MIN:
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
        self.abs_exact_ids = abs_exact_ids
        self.abs_exact = [a for a in map(index._apost.__getitem__, abs_exact_ids) if a]
        self.tq: dict[int, float] = {}
        self.scoring_bytes: tuple[int, tuple[bytes, bytes, bytes, bytes]] | None = None
        """What ``RankedIndex`` tests per paper as it scores, made once per word
        (see ``RankedIndex._bytes_of``): (length, bitmaps as bytes)."""
        self.scored: dict[int, WordScore] = {}
        """Per paper scored so far, what this word alone gives it (see ``WordScore``):
        kept with the word for the next keystroke, which usually types on after it."""
        self._qualities: dict[int, float] | None = None
        self._title_bits: int | None = None
        self._abs_bits: int | None = None
        self._abs_in: Membership | None = None
        self._author_exact: set[int] | None = None
        self._author_typo: set[int] = set()
        self._all_bits: int | None = None

    @staticmethod
    def _union(groups: list[Sequence[int]], postings: list[Postings | None]) -> set[int]:
        out: set[int] = set()
        update = out.update
        for ids in groups:
            # All in C: fetch each word's postings, drop empty ones, add to the set.
            deque(map(update, filter(None, map(postings.__getitem__, ids))), maxlen=0)
        return out

    @property
    def title_bits(self) -> int:
        """Papers whose title matches the word, as a bitmap (tracker/search/bits.py)."""
        if self._title_bits is None:
            if len(self.token) <= 3 and not self.others:
                # Up to three letters and no typos or inflections (there are none
                # below four): exactly the titles with a word it starts, whose
                # bitmap the index keeps ("s" starts ten thousand words at
                # 100,000 papers; each "... s" typed set their postings bit by
                # bit, 5-9 ms).
                self._title_bits = self.index._prefix_bits(self.token, title=True)
            else:
                self._title_bits = self.index._bits(self.title_ids, title=True)
        return self._title_bits

    @property
    def abs_bits(self) -> int:
        """Papers whose abstract matches the word, as a bitmap."""
        if self._abs_bits is None:
            self._abs_bits = self.index._bits(self.abs_ids, title=False)
        return self._abs_bits

    @property
    def author_bits(self) -> int:
        """Papers with an author of this name (exactly or, five letters up, with one typo)."""
        if self._author_exact is None:
            self._author_exact, self._author_typo = self.index.authors.word_positions(self.token)
        found = self._author_exact | self._author_typo if self._author_typo else self._author_exact
        return of_positions(found, len(self.index)) if found else 0

    def matching(self) -> int:
        """Papers matching the word anywhere, as a bitmap."""
        if self._all_bits is None:
            self._all_bits = self.title_bits | self.abs_bits | self.author_bits
        return self._all_bits

    @property
    def has_authors(self) -> bool:
        """Whether any author matches the word (after :meth:`matching`)."""
        return bool(self._author_exact or self._author_typo)

    def author_quality(self, pos: int) -> float:
        if self._author_exact is None:
            return 0.0
        if pos in self._author_exact:
            return Q_EXACT
        return Q_FUZZY[1] if pos in self._author_typo else 0.0

    def title_exact_bits(self) -> int:
        return self.index._bits([self.title_exact_ids], title=True)

    def title_quality(self, wid: int) -> float:
        q = self.tq.get(wid)
        if q is None:
            q = 0.0
            if wid == self.exact:
                q = Q_EXACT
            else:
                q = self.others.get(wid, 0.0)
                word = self.index._words[wid]
                if word.startswith(self.token):
                    q = max(q, prefix_quality(self.token, word))
            self.tq[wid] = q
        return q

    def title_qualities(self) -> dict[int, float] | None:
        """Every word id whose :meth:`title_quality` is not 0, with it (None: too many).

        Scoring a thousand titles asked :meth:`title_quality` of each new word
        it met, a Python call each (a few thousand a search); with this table
        a title's qualities are looked up in C, 0 for a word not in it. Only
        the exact word, its prefixes' words and its typos and inflections can
        match, a few dozen for a word of four letters or more; a word of one
        or two letters starts thousands, and past ``QUALITIES_AT_ONCE`` (then
        :meth:`title_quality` it is, word by word).
        """
        if self._qualities is None:
            prefix = self.prefix_ids
            if len(self.title_exact_ids) + len(prefix) + len(self.others) > QUALITIES_AT_ONCE:
                return None
            # A word the typed one starts (and nothing else) has the quality of
            # its length: one per length, and the table made in C. The letters of
            # "s" start thousands of words: a Python call for each of them took
            # longer than scoring the titles that have some.
            lengths = list(map(len, map(self.index._words.__getitem__, prefix)))
            typed = len(self.token)
            by_length = {n: prefix_quality_of(typed, n) for n in set(lengths)}
            found = dict(zip(prefix, map(by_length.__getitem__, lengths), strict=True))
            quality = self.title_quality  # the exact word, inflections and typos
            for wid in (*self.title_exact_ids, *self.others):
                if q := quality(wid):
                    found[wid] = q
            self._qualities = found
        return self._qualities

    def abstract_quality(self, pos: int) -> float:
        for arr in self.abs_exact:
            i = bisect_left(arr, pos)
            if i < len(arr) and arr[i] == pos:
                return Q_EXACT
        if self._abs_bits is None:
            return 0.0
        found = self._abs_in
        if found is None:
            found = self._abs_in = Membership(self._abs_bits)
        return ABSTRACT_OTHER if pos in found else 0.0


class JoinMatch:
    """Two adjacent typed words joined into one ("mr" + "t5" -> "mrt5"), matched as a name.

    Only exactly or as the start of a word (no typos, no inflections): a joined
    word is a guess at how a name is written, and its typo neighbours would be
    noise. Titles and abstracts alike.
    """

    __slots__ = (
        "_abs_in",
        "_qualities",
        "abs_bits",
        "exact",
        "ids",
        "index",
        "title_bits",
        "token",
        "tq",
    )

    def __init__(self, index: WordIndex, first: str, second: str) -> None:
        self.index = index
        token = self.token = first + second
        words = index._words
        self.exact = index._ids.get(token)
        self.ids = [w for w in index._by_prefix.get(token[:3], ()) if words[w].startswith(token)]
        self.title_bits = index._bits([self.ids], title=True)
        self.abs_bits = index._bits([self.ids], title=False)
        self._abs_in: Membership | None = None
        self.tq: dict[int, float] = {}
        self._qualities: dict[int, float] | None = None

    def title_qualities(self) -> dict[int, float] | None:
        """Every word id whose :meth:`title_quality` is not 0 (the words the joined word
        starts), with it; None when there are too many (see ``TokenMatch.title_qualities``)."""
        if self._qualities is None:
            ids = [*([] if self.exact is None else [self.exact]), *self.ids]
            if len(ids) > QUALITIES_AT_ONCE:
                return None
            quality = self.title_quality
            self._qualities = {wid: q for wid in ids if (q := quality(wid))}
        return self._qualities

    def __bool__(self) -> bool:
        return bool(self.title_bits or self.abs_bits)

    def matching(self) -> int:
        """Papers matching the joined word anywhere, as a bitmap."""
        return self.title_bits | self.abs_bits

    def title_quality(self, wid: int) -> float:
        q = self.tq.get(wid)
        if q is None:
            if wid == self.exact:
                q = Q_EXACT
            else:
                word = self.index._words[wid]
                q = prefix_quality(self.token, word) if word.startswith(self.token) else 0.0
            self.tq[wid] = q
        return q

    def abstract_quality(self, pos: int) -> float:
        found = self._abs_in
        if found is None:
            found = self._abs_in = Membership(self.abs_bits)
        if pos not in found:
            return 0.0
        exact = self.exact
        arr = self.index._apost[exact] if exact is not None else None
        if arr:
            i = bisect_left(arr, pos)
            if i < len(arr) and arr[i] == pos:
                return Q_EXACT
        return ABSTRACT_OTHER


@dataclass(slots=True)
class PhraseMatch:
    phrase: str
    title: set[int]
    abstract: set[int]
