"""Authors: how a name matches (``author:"Tri Dao"``, a plain word), and their index.

One set of rules for every place that looks for an author: the filter box,
``tracker list``, saved searches and the watch list all go through
:class:`~tracker.search.SearchIndex`, which asks the :class:`AuthorIndex` here.

A wanted name matches an author when every word of it matches its own word of
that one author's name (in any order): the same word, an initial on either side
(``Y LeCun`` ~ ``Yann LeCun``), or one typo in a word of five letters or more
(``Lecunn``). Shorter name words get no typo: ``Wang``, ``Yang``, ``Tang`` and
``Zhang`` are different people. A plain word typed in the box (``dao``) matches
a paper when one of its authors has that word, exactly or (five letters or
more) with one typo; initials are not words.

The index maps each folded name word to the ascending positions of the papers
that have it. It is built on first use (most libraries have authors only for
the papers of JSON and arXiv imports) and not saved: it is small beside the
word index, and building it reads only the author lists.
"""

from __future__ import annotations

import re
import threading
from array import array
from collections.abc import Iterable, Sequence

from rapidfuzz import process
from rapidfuzz.distance import OSA

from tracker.search.words import fold

__all__ = ["AuthorIndex", "author_matches", "name_word_matches", "name_words"]

_NAME_WORD = re.compile(r"[^\W_]+")
TYPO_MIN = 5
"""Name words this long or longer match with one typo."""


def name_words(text: str) -> tuple[str, ...]:
    """A name as folded words: ``Schrödinger, E.`` -> ``("schrodinger", "e")``."""
    return tuple(_NAME_WORD.findall(fold(text)))


def name_word_matches(want: str, have: str) -> bool:
    """One word of a wanted name against one word of an author's name."""
    if want == have:
        return True
    if len(want) == 1:  # an initial: "Y LeCun" ~ "Yann LeCun"
        return have.startswith(want)
    if len(have) == 1:  # the paper gives an initial
        return want.startswith(have)
    # One typo in names of five letters or more ("Lecunn", "Hinten").
    return len(want) >= TYPO_MIN and OSA.distance(want, have, score_cutoff=1) <= 1


def author_matches(wanted: Sequence[str], authors: Iterable[str]) -> bool:
    """True when one author's name has every wanted word (in any order), each its own word.

    Each wanted word needs a word of the name to itself: ``Yi Yang`` does not
    match ``Daniel Y. Fu``, although both of its words start with that ``Y.``.
    """
    for author in authors:
        words = name_words(author)
        if len(words) >= len(wanted) and _each_its_own(list(wanted), words, set()):
            return True
    return False


def _each_its_own(wanted: list[str], words: Sequence[str], taken: set[int]) -> bool:
    """Can every wanted word match a different word of ``words``? (Names are short.)"""
    if not wanted:
        return True
    first, rest = wanted[0], wanted[1:]
    for i, word in enumerate(words):
        if i not in taken and name_word_matches(first, word):
            taken.add(i)
            if _each_its_own(rest, words, taken):
                return True
            taken.discard(i)
    return False


class AuthorIndex:
    """Name word -> positions of the papers with an author of that word.

    ``authors`` is the search index's list of each position's authors; the
    index covers its first :attr:`indexed` positions and catches up with
    the rest when asked. Not thread-safe against changes of ``authors``
    (the search index calls it under its own rules).
    """

    def __init__(self, authors: list[Sequence[str]]) -> None:
        self._authors = authors
        self._postings: dict[str, array[int]] = {}
        # Typo candidates: (length, first letter) and (length, last letter) -> words.
        self._buckets: dict[tuple[int, str, bool], list[str]] = {}
        self._initials: dict[str, list[str]] = {}  # first letter -> words
        self.indexed = 0
        self._lock = threading.Lock()

    def catch_up(self) -> None:
        """Index the authors of the positions added since the last call."""
        with self._lock:
            end = len(self._authors)
            for pos in range(self.indexed, end):
                names = self._authors[pos]
                if not names:
                    continue
                seen: set[str] = set()
                for author in names:
                    seen.update(name_words(author))
                for word in seen:
                    arr = self._postings.get(word)
                    if arr is None:
                        arr = self._postings[word] = array("i")
                        self._new_word(word)
                    arr.append(pos)
            self.indexed = end

    def _new_word(self, word: str) -> None:
        self._initials.setdefault(word[0], []).append(word)
        if len(word) >= TYPO_MIN - 1:
            for key in ((len(word), word[0], True), (len(word), word[-1], False)):
                self._buckets.setdefault(key, []).append(word)

    def reset(self) -> None:
        """Forget everything indexed (authors changed at a position already indexed)."""
        with self._lock:
            self._postings.clear()
            self._buckets.clear()
            self._initials.clear()
            self.indexed = 0

    def truncate(self, count: int) -> None:
        """Keep only the first ``count`` positions (the search index cut the rest)."""
        with self._lock:
            if self.indexed > count:
                for arr in self._postings.values():
                    while arr and arr[-1] >= count:
                        arr.pop()
                self.indexed = count

    # -- lookups -----------------------------------------------------------
    def _typos(self, word: str) -> list[str]:
        """Words of the index one typo from ``word`` (which has TYPO_MIN letters or more)."""
        found: dict[str, None] = {}
        n = len(word)
        for length in (n - 1, n, n + 1):
            for key in ((length, word[0], True), (length, word[-1], False)):
                bucket = self._buckets.get(key)
                if bucket:
                    for other, _, _ in process.extract(
                        word, bucket, scorer=OSA.distance, score_cutoff=1, limit=None
                    ):
                        found[other] = None
        return list(found)

    def _word_positions(self, words: Iterable[str]) -> set[int]:
        out: set[int] = set()
        for word in words:
            arr = self._postings.get(word)
            if arr:
                out.update(arr)
        return out

    def name_positions(self, name: str) -> set[int]:
        """Positions of the papers with an author matching ``name`` (see the module)."""
        self.catch_up()
        wanted = name_words(name)
        if not wanted:
            return set()
        candidates: set[int] | None = None
        for want in sorted(wanted, key=len, reverse=True):  # long words narrow most
            words = [want] if want in self._postings else []
            if len(want) == 1:
                words = list(self._initials.get(want, ()))
            else:
                words += [w for w in self._initials.get(want[0], ()) if len(w) == 1]
                if len(want) >= TYPO_MIN:
                    words += self._typos(want)
            found = self._word_positions(words)
            candidates = found if candidates is None else candidates & found
            if not candidates:
                return set()
        assert candidates is not None
        if len(wanted) == 1:
            return candidates
        # Every word must be in the same author's name.
        authors = self._authors
        return {p for p in candidates if author_matches(wanted, authors[p])}

    def word_positions(self, token: str) -> tuple[set[int], set[int]]:
        """Papers with an author named ``token`` (a folded typed word): exactly, and by a typo."""
        self.catch_up()
        exact = self._word_positions([token]) if len(token) > 1 else set()
        typo: set[int] = set()
        if len(token) >= TYPO_MIN and token.isalpha():
            typo = self._word_positions(w for w in self._typos(token) if w != token) - exact
        return exact, typo
