"""SearchIndex: a search over the word index, its filters and its ranking."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from itertools import compress
from operator import not_

from tracker.search import bits as bitmaps
from tracker.search.filters import FILTER_ORDER, filter_bits, filter_mask
from tracker.search.highlight import Highlighter
from tracker.search.hits import Facets, HitList
from tracker.search.matching import (
    ABSTRACT_PREFIX_MIN,
    POLL_EVERY,
    SHORT_CHECK_LIMIT,
    STEM_SUFFIXES,
    Plan,
    is_stem_of,
    may_join,
)
from tracker.search.query import FIELDS, FieldFilter, Query, QueryError, SearchCancelled, as_query
from tracker.search.ranking import RankedIndex
from tracker.search.terms import JoinMatch, PhraseMatch, TokenMatch
from tracker.search.words import WORD, fold

RECENT_SEARCHES = 32
"""How many queries' hits :meth:`SearchIndex._search_built` keeps for when they are typed again.

Enough for the prefixes of the last few queries (backspace through a word, a
query typed again). Measured with 256: the kept hits (their rows' Hit objects)
made each full garbage collection 3-4 ms longer, and the app 8 MB larger at
100,000 papers, to speed up keys that were not the slow ones."""
RECENT_HITS = 50_000
"""At most this many positions held by the kept hits in all (``HitList.held``; with
its score and flag some 80 bytes each: 4 MB). A result keeps its scored papers'
positions (up to a thousand or so) and, for the rest of a large result set,
bitmaps (12.5 kB a tier at 100,000 papers); a query of exclusions alone keeps
every position it matched. (A result scrolled far, G, works out its bitmaps'
positions and holds more than counted.)"""
PARKED_LEN = 2
"""Typed words up to this many letters keep their match (:class:`TokenMatch`) after
their query moves on, for :meth:`SearchIndex._token_match` to find again.

Every query starts with a letter, and a second word starts with one again
("dna s", "beam s"): matching a letter lists the title qualities of the
thousands of words it starts (1.1 ms for "s" at 10,000 papers), the same each
time while the index is unchanged. Kept without what they gave each paper
(``TokenMatch.scored``), the last ``PARKED_MAX`` of them."""
PARKED_MAX = 64
"""How many short words' matches are parked at most (``PARKED_LEN``). Measured at
100,000 papers: some 110 kB each (their bitmaps and title-quality tables), 7 MB
for 64; every letter and two-letter start kept would have been 80 MB."""


class SearchIndex(RankedIndex):
    """An incrementally built inverted index over titles and abstracts.

    Positions are assigned by :meth:`add` in call order (0, 1, 2, ...) and are the
    library order. The index keeps references to the title and abstract strings it
    was given (for phrase search and highlighting), so it costs little beyond the
    papers themselves: one id per distinct word and 4 bytes per (word, paper)
    posting.

    Not thread-safe against itself: do not call :meth:`add` or :meth:`update` while
    a :meth:`search` runs in another thread (searches may overlap each other).
    :meth:`update` may run while :meth:`build` indexes or loads in another
    thread (the app imports while its worker builds).
    """

    def __init__(self) -> None:
        super().__init__()
        self._cache: dict[str, TokenMatch] = {}
        self._cache_version: tuple[int, int] = (-1, -1)
        self._parked: dict[str, TokenMatch] = {}
        """Short typed words' matches no longer in the query (see ``PARKED_LEN``);
        reset with :attr:`_cache`."""
        self._parked_lock = threading.Lock()
        self._joins: dict[tuple[str, str], JoinMatch] = {}
        self._join_version = -1
        self.saves_in_search = True
        """Whether a search that has to build the index first also saves it (to
        :attr:`store`) before it answers. The app says no: its background build
        saves, and a search answers without waiting for the file."""
        self._dropped: list[object] = []
        """What searches stopped using (cached word matches and their sets), freed by
        :meth:`release` or by the search after the next one."""
        self._recent: dict[tuple[object, ...], tuple[HitList, int]] = {}
        """The last queries with words and no filters on the built index, and their
        hits with what they hold (``HitList.held``), oldest first: see :meth:`_search_built`."""
        self._recent_held = 0
        self._recent_version: tuple[int, int] = (-1, -1)
        """(``_version``, papers) of the index the hits in :attr:`_recent` were found in."""
        self._recent_lock = threading.Lock()
        self.answers_while_indexing = False
        """Whether a search made while abstracts are still being indexed (by a
        build in another thread) answers from what is indexed, with its result
        marked ``partial``, instead of waiting for the build. It waits for the
        titles only (a second at 100,000 papers, against nine for all). The
        app says yes: it searches again when the build is done."""

    def _search_state(self) -> tuple[int, int]:
        """What a kept search result or word match was made on: ``_version`` (any
        text or author indexed or changed) and the number of papers."""
        return (self._version, len(self._titles))

    def _token_match(self, token: str) -> TokenMatch:
        state = self._search_state()
        with self._parked_lock:
            if self._cache_version != state:
                self._cache = {}
                self._dropped.append(list(self._parked.values()))  # freed by release()
                self._parked = {}
                self._cache_version = state
            tm = self._cache.get(token)
            if tm is None or tm.made_for != state:
                tm = self._parked.pop(token, None)
        # Each match says which state of the index it was made on: a search in
        # another thread that overlapped a change of the index may have left
        # one made on the state before in the cache.
        if tm is None or tm.made_for != state:
            tm = TokenMatch(self, token, state)
        return tm

    def _let_go(self, matches: list[TokenMatch]) -> None:
        """These words left the query: parked if short (``PARKED_LEN``), else dropped."""
        dropped: list[TokenMatch] = []
        # (Searches may overlap in two threads: the parked words change under a lock.)
        with self._parked_lock:
            state = self._search_state()
            parked = self._parked
            for tm in matches:
                if tm.made_for == state and len(tm.token) <= PARKED_LEN:
                    # Without what it gave each paper, which the next query scores
                    # anyway: kept, a letter's would grow to most of the library.
                    tm.scored = {}
                    parked[tm.token] = tm  # the newest last (a dict keeps that order)
                else:
                    dropped.append(tm)
            while len(parked) > PARKED_MAX:
                dropped.append(parked.pop(next(iter(parked))))
        self._dropped.append(dropped)

    def forget_searches(self) -> None:
        """Search from scratch from now on: nothing kept from the searches before.

        For tests and measurements that compare searches made afresh."""
        with self._parked_lock:
            self._cache = {}
            self._parked = {}
        self._joins = {}
        with self._recent_lock:
            self._recent = {}
            self._recent_held = 0

    # ----------------------------------------------------------------- searching

    def search(
        self,
        query: Query | str,
        facets: Facets,
        *,
        limit: int | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> HitList:
        """Find papers; see the docstring of the tracker.search package for how.

        Empty query: every position in index order. Filters (and exclusions) only:
        the matching positions in index order, score 0. With words or phrases: the
        papers matching all of them, best first; equal scores keep index order.
        ``limit`` caps the number of hits. ``cancelled`` is polled between stages
        and every few hundred papers; when it returns True the search stops by
        raising :class:`SearchCancelled` (never a partial result).
        """
        self.searched_at = time.monotonic()  # the bitmaps thread steps aside (_warm_bitmaps)
        q = as_query(query)
        poll = cancelled

        def check() -> None:
            if poll is not None and poll():
                raise SearchCancelled

        plan = Plan.of(q)
        check()
        if not (plan.tokens or plan.phrases or plan.excluded or plan.excluded_phrases):
            return self._search(q, plan, facets, limit, check)  # no words: no index
        if not self.answers_while_indexing:
            if not self.is_built:
                self.build(save=self.saves_in_search)
            return self._search_built(q, plan, facets, limit, check)
        if not self.titles_built:
            self._wait_for_titles()
        if self.is_built:
            return self._search_built(q, plan, facets, limit, check)
        # Abstracts are being indexed in another thread: answer from what is
        # indexed, with the build held off meanwhile, and say that more papers
        # may match. The build waits for the search between two chunks: left
        # to the lock, the build took it again at once for chunk after chunk
        # (measured at 100,000 papers: 0.1-0.2 s on a first start's search).
        waiting = self._searches_waiting
        waiting.append(None)
        try:
            self._text_lock.acquire()
        finally:
            waiting.pop()
        try:
            partial = not self.is_built
            hits = self._search(q, plan, facets, limit, check)
        finally:
            self._text_lock.release()
        hits.partial = partial
        return hits

    def _search_built(
        self,
        q: Query,
        plan: Plan,
        facets: Facets,
        limit: int | None,
        check: Callable[[], None],
    ) -> HitList:
        """:meth:`_search` on the built index; words searched lately give the same hits.

        A space typed after a word ("long" -> "long "), a letter taken back
        ("long c" -> "long "), or a query typed again after the filter was
        cleared (queries start with one of a few letters) searches words
        searched a moment ago: their hits are kept, for the last ``RECENT_SEARCHES`` queries, while
        nothing the index holds changes (``_version``: any text or author indexed
        or changed; the number of papers). fzf keeps its results per query the
        same way. Not with filters: they read the annotations, which the index
        does not follow. The hits are shared: a HitList is read-only.
        """
        if q.filters:
            return self._search(q, plan, facets, limit, check)
        state = self._search_state()
        key = (plan, limit)
        with self._recent_lock:
            if self._recent_version != state:
                self._recent = {}
                self._recent_held = 0
                self._recent_version = state
            kept = self._recent.pop(key, None)
            if kept is not None:
                self._recent[key] = kept  # the newest now
                return kept[0]
        hits = self._search(q, plan, facets, limit, check)
        with self._recent_lock:
            recent = self._recent
            if self._recent_version == state == self._search_state():
                if key not in recent:  # (another thread may have searched it meanwhile)
                    held = hits.held()
                    recent[key] = (hits, held)
                    self._recent_held += held
                while len(recent) > RECENT_SEARCHES or (
                    self._recent_held > RECENT_HITS and len(recent) > 1
                ):
                    self._recent_held -= recent.pop(next(iter(recent)))[1]
        return hits

    def release(self) -> None:
        """Free what the last searches stopped using (call it when nothing waits on a search).

        A search keeps the word matches of the words its query no longer has
        (their sets of positions) instead of freeing them itself: at 100,000
        papers that took milliseconds of a keystroke's search. The app calls
        this once a search's results are on screen.
        """
        self._dropped.clear()

    def _wait_for_titles(self) -> None:
        """Until every title is indexed: by this thread, or by a build under way in another."""
        while not self.titles_built:
            if self._build_lock.acquire(timeout=0.02):
                try:
                    if not self.titles_built:
                        self.build_titles_locked()
                finally:
                    self._build_lock.release()

    def _search(
        self,
        q: Query,
        plan: Plan,
        facets: Facets,
        limit: int | None,
        check: Callable[[], None],
    ) -> HitList:
        n = len(self._titles)
        if not plan.tokens and not plan.phrases:
            excluded = self._excluded(plan, None, check)
            if not excluded and not q.filters:
                return HitList(range(n if limit is None else min(limit, n)))
            kept = ((1 << n) - 1) & ~excluded
            if q.filters:
                kept = self._filter(kept, q.filters, facets, check)
            if limit is None:
                return HitList(bitmaps.positions(kept))
            return HitList(bitmaps.first_positions(kept, limit))

        # What the search before the last dropped goes now, if release() was
        # not called since (a command never calls it).
        del self._dropped[:-2]
        # Keep only the cached words this query still has: the others (the word
        # just extended, "transforme" -> "transformer") would stay alive through
        # this search.
        still = set(plan.tokens)
        self._let_go([tm for t, tm in self._cache.items() if t not in still])
        self._cache = {t: tm for t, tm in self._cache.items() if t in still}
        matches = [self._token_match(t) for t in plan.tokens]
        self._cache = {tm.token: tm for tm in matches}  # reused by the next keystroke
        joins = self._join_matches(plan.tokens)
        # Sets of positions are bitmaps here (tracker/search/bits.py).
        candidates: int | None = None
        # Papers where a short word matched only by starting a word of the abstract.
        by_abstract_prefix: dict[str, set[int]] = {}
        # Longer words first: they narrow the candidates for the short ones.
        for tm in sorted(matches, key=lambda m: (len(m.token) < ABSTRACT_PREFIX_MIN, len(m.token))):
            check()
            short = len(tm.token) < ABSTRACT_PREFIX_MIN
            if short and candidates is not None and candidates.bit_count() <= SHORT_CHECK_LIMIT:
                # A short word is usually the one being typed ("fair us|e"). Its
                # index sets leave out abstract prefixes (too broad for the whole
                # library), so among the few remaining papers, those with a word of
                # the abstract starting with it match too: no flicker while typing.
                # (Asked of the index: reading up to 1,500 abstracts from
                # library.json took 20-50 ms of a keystroke at 100,000 papers.)
                direct = candidates & tm.matching()
                started = self._abstract_prefix_bits(tm.token, candidates & ~direct)
                by_abstract_prefix[tm.token] = set(bitmaps.positions(started))
                candidates = direct | started
            else:
                found = tm.matching()
                candidates = found if candidates is None else candidates & found
            if not candidates:
                break
        if joins:
            check()
            candidates = (candidates or 0) | self._joined(matches, joins)
        if candidates is not None and not candidates:
            return HitList([])
        phrases: list[PhraseMatch] = []
        for phrase in plan.phrases:
            check()
            within = None if candidates is None else set(bitmaps.positions(candidates))
            pm = self._phrase_match(phrase, within, check)
            phrases.append(pm)
            candidates = bitmaps.of_positions(pm.title | pm.abstract, n)
            if not candidates:
                return HitList([])
        assert candidates is not None
        excluded = self._excluded(plan, candidates, check)
        if excluded:
            candidates &= ~excluded
        if q.filters:
            candidates = self._filter(candidates, q.filters, facets, check)
        check()
        extra_abstract = [by_abstract_prefix.get(tm.token, set()) for tm in matches]
        return self._rank(
            candidates, matches, extra_abstract, phrases, joins, Highlighter(plan), check, limit
        )

    def _join_matches(self, tokens: Sequence[str]) -> dict[int, JoinMatch]:
        """Each pair of adjacent typed words that, joined, start a word of the index.

        Keyed by the first word's place in ``tokens``; see ``matching.may_join``.
        """
        if self._join_version != self._version:
            self._joins = {}
            self._join_version = self._version
        found: dict[int, JoinMatch] = {}
        cache: dict[tuple[str, str], JoinMatch] = {}
        for k in range(len(tokens) - 1):
            first, second = tokens[k], tokens[k + 1]
            if not may_join(first, second):
                continue
            jm = self._joins.get((first, second)) or JoinMatch(self, first, second)
            cache[first, second] = jm
            if jm:
                found[k] = jm
        self._dropped.append([jm for pair, jm in self._joins.items() if pair not in cache])
        self._joins = cache  # like the token cache: only this query's pairs stay
        return found

    @staticmethod
    def _joined(matches: list[TokenMatch], joins: dict[int, JoinMatch]) -> int:
        """Papers that match every typed word when some adjacent pairs count as one word.

        ``mr t5 byte`` finds "MrT5: ... Byte-level ...", where no title or
        abstract word starts with "t5". Over the ways to group the words
        (each pair in ``joins`` joined or not): papers matching the words up to
        the i-th are those matching up to the one before and the i-th word,
        or up to two before and the pair ending at the i-th word.
        """
        before: int | None = None  # up to two words back (None: any paper)
        last: int | None = matches[0].matching()
        for i in range(1, len(matches)):
            found = matches[i].matching()
            current = found if last is None else last & found
            jm = joins.get(i - 1)
            if jm is not None:
                pair = jm.matching()
                current |= pair if before is None else before & pair
            before, last = last, current
        return last or 0

    def _phrase_match(
        self, phrase: str, within: set[int] | None, check: Callable[[], None]
    ) -> PhraseMatch:
        """Papers whose title or abstract contains ``phrase`` (folded), among ``within``."""
        words = WORD.findall(phrase)
        if len(words) == 1 and words[0] == phrase:
            # One bare word: any text word containing it is a match; no verification.
            ids = self._words_with(phrase)
            title = TokenMatch._union([ids], self._tpost)
            abstract = TokenMatch._union([ids], self._apost)
            if within is not None:
                title, abstract = title & within, abstract & within
            return PhraseMatch(phrase, title, abstract)
        if within is None or len(within) > 64:
            # Narrow down by words first. Inside the phrase words are whole; the
            # first may be the end of a longer word, the last the start of one.
            groups: list[list[int]]
            if len(words) == 1:
                groups = [self._words_with(words[0])]
            else:
                middle = [self._ids.get(w) for w in words[1:-1]]
                if None in middle:
                    return PhraseMatch(phrase, set(), set())  # no paper has that word
                groups = [self._words_with(words[0], at_end=True)]
                groups += [[w] for w in middle if w is not None]
                groups.append(self._words_with(words[-1], at_start=True))
            for ids in groups:
                check()
                found = TokenMatch._union([ids], self._tpost)
                found |= TokenMatch._union([ids], self._apost)
                within = found if within is None else within & found
                if not within:
                    return PhraseMatch(phrase, set(), set())
        in_title: set[int] = set()
        in_abstract: set[int] = set()
        titles, abstracts = self._titles, self._abstracts
        spaced = " " in phrase
        for i, p in enumerate(sorted(within or ())):
            if i % POLL_EVERY == 0:
                check()
            t = fold(titles[p])
            if phrase in (" ".join(t.split()) if spaced else t):
                in_title.add(p)
            a = fold(abstracts[p])
            if phrase in (" ".join(a.split()) if spaced else a):
                in_abstract.add(p)
        return PhraseMatch(phrase, in_title, in_abstract)

    def _excluded(self, plan: Plan, within: int | None, check: Callable[[], None]) -> int:
        """Positions that a ``-word`` or ``-"phrase"`` rules out, as a bitmap."""
        out = 0
        ids = self._ids
        n = len(self._titles)
        for tokens in plan.excluded:
            group: int | None = None
            for token in tokens:
                # The word and its simple inflections: -llm also drops "LLMs".
                forms = [token, token + "s", token + "es"]
                forms += [
                    token[: -len(s)] for s in STEM_SUFFIXES if is_stem_of(token, token[: -len(s)])
                ]
                wids = [w for w in map(ids.get, forms) if w is not None]
                found = self._bits([wids], title=True) | self._bits([wids], title=False)
                authors = self.authors.word_positions(token)[0]  # "-dao": not by Dao either
                if authors:
                    found |= bitmaps.of_positions(authors, n)
                group = found if group is None else group & found
            if group:
                out |= group
        for phrase in plan.excluded_phrases:
            check()
            rest = None if within is None else set(bitmaps.positions(within & ~out))
            pm = self._phrase_match(phrase, rest, check)
            out |= bitmaps.of_positions(pm.title | pm.abstract, n)
        return out

    def _filter(
        self,
        candidates: int,
        filters: Sequence[FieldFilter],
        facets: Facets,
        check: Callable[[], None],
    ) -> int:
        """The candidates (a bitmap) that every filter keeps."""
        for flt in filters:
            if flt.field not in FIELDS:  # only possible for a FieldFilter built by hand
                raise QueryError(f"unknown filter field {flt.field!r} (use {', '.join(FIELDS)})")
        n = len(self._titles)
        per_paper: list[FieldFilter] = []
        # Cheapest first: the filters answered as bitmaps, then those asked per paper,
        # which only see what the others kept.
        for flt in sorted(filters, key=lambda f: FILTER_ORDER.index(f.field)):
            check()
            if flt.field == "author":
                # Any of the names (values are OR-ed, as for every filter).
                named = set().union(*(self.authors.name_positions(v) for v in flt.values))
                found: int | None = bitmaps.of_positions(named, n)
            else:
                found = filter_bits(flt, facets, n)
            if found is None:
                per_paper.append(flt)
            else:
                candidates = candidates & ~found if flt.negated else candidates & found
        if per_paper and candidates:
            kept = bitmaps.positions(candidates)
            for flt in per_paper:
                check()
                mask = filter_mask(flt, kept, facets)
                kept = list(compress(kept, map(not_, mask) if flt.negated else mask))
            candidates = bitmaps.of_positions(kept, n)
        return candidates
