"""The order of a search's hits: scores by where and how well each word matched.

:class:`RankedIndex` adds the ranking to the word index: a title match
before an abstract match, every query word before some, a method's name
before a mention of it (``NAME_BONUS``), adjacent words, and the ties broken
by word, not word id. :class:`~tracker.search.search_index.SearchIndex`
finds the candidates and hands them here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import repeat
from typing import cast

from tracker.search.bits import of_positions, positions
from tracker.search.highlight import Highlighter
from tracker.search.hits import HitList, Ordered, Scored, SpanSource, ranked_hits
from tracker.search.matching import (
    ABSTRACT_OTHER,
    ABSTRACT_WEIGHT,
    ADJACENT_BONUS,
    AUTHOR_WEIGHT,
    COVERAGE_BONUS,
    FINE_LIMIT,
    NAME_BONUS,
    NAME_COVERAGE,
    POLL_EVERY,
    Q_EXACT,
    Q_PREFIX_MIN,
)
from tracker.search.terms import JoinMatch, PhraseMatch, TokenMatch, WordScore
from tracker.search.word_index import WordIndex

_ZEROS = repeat(0.0)
"""The quality of a title word not listed (map() stops at the shorter of its inputs)."""


def _as_bytes(bits: int, positions: int) -> bytes:
    """``bits`` as little-endian bytes, long enough to test each of ``positions`` positions."""
    return bits.to_bytes(max(positions >> 3, bits.bit_length() >> 3) + 1, "little")


def _places(values: Sequence[float], best: float) -> tuple[int, ...]:
    """Where ``best`` is in ``values`` (qualities, or word ids)."""
    return tuple(j for j, q in enumerate(values) if q == best)


Look = tuple[
    TokenMatch,
    dict[int, WordScore],
    "dict[int, float] | None",
    set[int],
    bytes,
    bytes,
    bytes,
    bytes,
    bool,
]
"""A typed word in :meth:`RankedIndex._score_many`: the word, what it gave each paper
scored so far, its title qualities, its abstract prefixes (a short word), its bitmaps
as bytes (``RankedIndex._bytes_of``) and whether an author matches it."""


class RankedIndex(WordIndex):
    """A :class:`WordIndex` that ranks the papers a search found."""

    def _rank(
        self,
        pset: int,
        matches: list[TokenMatch],
        extra_abstract: list[set[int]],
        phrases: list[PhraseMatch],
        joins: dict[int, JoinMatch],
        highlighter: Highlighter,
        check: Callable[[], None],
        limit: int | None,
    ) -> HitList:
        """Rank the papers of ``pset`` (a bitmap, tracker/search/bits.py)."""
        source = SpanSource(self._titles, highlighter)
        size = pset.bit_count()
        want = size if limit is None else min(limit, size)
        if size <= FINE_LIMIT:
            scored = self._score(positions(pset), matches, extra_abstract, phrases, joins, check)
            scored.sort(key=lambda s: -s[0])  # stable: ties keep index order
            top = scored[:want]
            return HitList([s[1] for s in top], [s[0] for s in top], [s[2] for s in top], source)

        # Too many to score one by one (a query of a letter or two): tiers by sets.
        # 0: every word exactly in the title; 1: every word in the title somehow;
        # 2: the rest. Tiers small enough are scored; the others keep index order.
        n = len(self._titles)
        phrase_titles = [of_positions(pm.title, n) for pm in phrases]
        in_title = pset
        for tm in matches:
            if tm.abs_ids:  # else every candidate matched this token in its title
                in_title &= tm.title_bits
        for titles in phrase_titles:
            in_title &= titles
        exact = in_title
        for tm in matches:
            exact &= tm.title_exact_bits()
        check()
        # In no title: abstract-only. The papers matched in some title, for those.
        some_title = 0
        for titles in [*(tm.title_bits for tm in matches), *phrase_titles]:
            some_title |= titles
        # (positions, score when not scored one by one, all matched in the title)
        tiers = (
            (exact, 1.0, True),
            (in_title & ~exact, 0.8, True),
            (pset & ~in_title, 0.3, False),
        )
        parts: list[Scored | Ordered] = []
        taken = 0
        budget = FINE_LIMIT
        floor = float("inf")  # keeps scores non-increasing across tiers
        for tier, tier_score, in_titles in tiers:
            need = want - taken
            if need <= 0:
                break
            count = tier.bit_count()
            if not count:
                continue
            if count <= budget:
                budget -= count
                scored = self._score(
                    positions(tier), matches, extra_abstract, phrases, joins, check
                )
                scored.sort(key=lambda s: -s[0])
                out_score: list[float] = []
                for score, _, _ in scored[:need]:
                    floor = min(floor, score)
                    out_score.append(floor)
                top = scored[:need]
                parts.append(Scored([s[1] for s in top], out_score, [s[2] for s in top]))
                taken += len(top)
            else:
                floor = min(floor, tier_score)
                take = min(need, count)
                parts.append(Ordered(tier, take, floor, None if in_titles else some_title))
                taken += take
            check()
        return ranked_hits(parts, source)

    def _score(
        self,
        positions: list[int],
        matches: list[TokenMatch],
        extra_abstract: list[set[int]],
        phrases: list[PhraseMatch],
        joins: dict[int, JoinMatch],
        check: Callable[[], None],
    ) -> list[tuple[float, int, bool]]:
        """Score each paper: per term, title quality + a share of abstract quality.

        Bonuses for query words matched by consecutive title words in the typed
        order, for matching a large share of the title (short exact titles win),
        and for matching the paper's own name (see ``NAME_BONUS``). A pair of
        typed words in ``joins`` counts as the joined word where one of them
        does not match the title well on its own ("mr t5" -> MrT5).
        """
        if len(matches) == 1 and not phrases:
            return self._score_one(positions, matches[0], extra_abstract[0], check)
        if len(matches) == 2 and not phrases:
            return self._score_two(positions, matches, extra_abstract, joins, check)
        return self._score_many(positions, matches, extra_abstract, phrases, joins, check)

    def _score_many(
        self,
        positions: list[int],
        matches: list[TokenMatch],
        extra_abstract: list[set[int]],
        phrases: list[PhraseMatch],
        joins: dict[int, JoinMatch],
        check: Callable[[], None],
    ) -> list[tuple[float, int, bool]]:
        """:meth:`_score` for any query (words, phrases, pairs of words joined)."""
        units = len(matches) + len(phrases)
        title_toks = self._title_toks
        names = title_toks.names
        tokens = [tm.token for tm in matches]
        # Per typed word, looked up per paper in constant time: papers whose
        # title matches it at all (the others need no look at their title
        # words), whose abstract has it exactly or matches it otherwise, and
        # whether any author does.
        # The bitmaps as bytes, one bit per paper, tested inline below
        # ("data[p >> 3] >> (p & 7) & 1"): a method call per test (bits.Membership)
        # was a tenth of the scoring of a thousand papers.
        last = self._bytes_length(positions)
        looks = [
            self._look(tm, extra, last) for tm, extra in zip(matches, extra_abstract, strict=True)
        ]
        joined_titles, joined_at = self._joined_bytes(joins, last)
        # A title's word ids sliced here rather than through TitleTokens.__getitem__
        # (a Python call per paper), unless some titles were replaced since the build.
        flat, starts = title_toks.flat, title_toks.starts
        tokens_of = title_toks.__getitem__ if title_toks.replaced else None
        out: list[tuple[float, int, bool]] = []
        for k, p in enumerate(positions):
            if k % POLL_EVERY == 0:
                check()
            toks = flat[starts[p] : starts[p + 1]] if tokens_of is None else tokens_of(p)
            byte, bit = p >> 3, p & 7
            # Per typed word: its best title quality, where (-1: nowhere), its abstract quality.
            quality: list[float] = []
            where: list[int] = []
            abstracts: list[float] = []
            joined = joined_at[byte] >> bit & 1
            typed = list(tokens) if joined else tokens  # what matched there (a joined pair: both)
            authors = 0.0
            after = -1  # right after the previous word's match
            for i, look in enumerate(looks):
                tm, scored, _, extra, *_, has_authors = look
                # What this word alone gives the paper: worked out once per word
                # and paper, reused while the word stays in the query ("long co"
                # after "long c").
                alone = scored.get(p)
                if alone is None:
                    alone = scored[p] = self._alone(p, toks, byte, bit, tm, look)
                best, best_j, places, in_abstract, by_author = alone
                if places:  # the same word twice ("CopySpec ... Copy-and-Paste")
                    best_j = self._tie(toks, places, after, matches, i)
                after = best_j + 1 if best_j >= 0 else -1
                quality.append(best)
                where.append(best_j)
                abstracts.append(ABSTRACT_OTHER if p in extra else in_abstract)
                if has_authors:
                    authors += by_author
            paired = (
                self._apply_joins(
                    p, toks, quality, where, abstracts, typed, joins, joined_titles, byte, bit
                )
                if joined
                else ()
            )
            bonus = 0.0
            prev = -2
            matched: set[int] = set()
            name = names[p]
            in_name = False
            for i, j in enumerate(where):
                if j >= 0:
                    matched.add(j)
                    if j == prev + 1 or i in paired:
                        bonus += ADJACENT_BONUS
                    if j < name and quality[i] >= Q_PREFIX_MIN:
                        in_name = True
                prev = j
            named = in_name and self._names_it(toks[:name], quality, where, typed)
            total = sum(quality) + ABSTRACT_WEIGHT * sum(abstracts) + AUTHOR_WEIGHT * authors
            in_title = bool(matched)
            for pm in phrases:
                if p in pm.title:
                    total += 1.0
                    in_title = True
                if p in pm.abstract:
                    total += ABSTRACT_WEIGHT
            if matched and toks:
                bonus += COVERAGE_BONUS * len(matched) / len(toks)
            score = (total + bonus) / units
            out.append((score + NAME_BONUS if named else score, p, not in_title))
        return out

    @staticmethod
    def _alone(
        p: int, toks: Sequence[int], byte: int, bit: int, tm: TokenMatch, look: Look
    ) -> WordScore:
        """What the word ``tm`` alone gives the paper at ``p`` (see ``WordScore``);
        ``look`` is the word's entry of ``looks`` in :meth:`_score_many`."""
        _, _, listed, _, titled, whole, abs_exact, abs_any, has_authors = look
        if abs_exact[byte] >> bit & 1:
            in_abstract = Q_EXACT
        else:
            in_abstract = ABSTRACT_OTHER if abs_any[byte] >> bit & 1 else 0.0
        alone: WordScore
        if not titled[byte] >> bit & 1:
            alone = (0.0, -1, None, in_abstract, 0.0)
        elif whole[byte] >> bit & 1:
            # The word itself: Q_EXACT, which no other title word has.
            exact = cast("int", tm.exact)  # whole is empty without it
            alone = (
                Q_EXACT,
                toks.index(exact),
                _places(toks, exact) if toks.count(exact) > 1 else None,
                in_abstract,
                0.0,
            )
        else:
            # Each title word's quality, looked up in C; the first best wins.
            if listed is not None:
                qs = list(map(listed.get, toks, _ZEROS))
            else:
                known = list(map(tm.tq.get, toks))
                qs = (
                    list(map(tm.title_quality, toks))
                    if None in known
                    else cast("list[float]", known)
                )
            best = max(qs, default=0.0)
            alone = (
                (
                    best,
                    qs.index(best),
                    _places(qs, best) if qs.count(best) > 1 else None,
                    in_abstract,
                    0.0,
                )
                if best > 0
                else (0.0, -1, None, in_abstract, 0.0)
            )
        if has_authors:
            alone = (*alone[:4], tm.author_quality(p))
        return alone

    def _score_two(
        self,
        positions: list[int],
        matches: list[TokenMatch],
        extra_abstract: list[set[int]],
        joins: dict[int, JoinMatch],
        check: Callable[[], None],
    ) -> list[tuple[float, int, bool]]:
        """:meth:`_score_many` for a query of two words (no phrase): the same scores.

        The same steps with two of everything named instead of lists and
        loops ("long c", "state sp", "dna s": the slowest keystrokes of the
        benchmark). Each sum is written in the order ``_score_many`` adds, so
        each score is the same float (tests/unit/test_search_reuse.py).
        """
        title_toks = self._title_toks
        names = title_toks.names
        tokens = [tm.token for tm in matches]
        last = self._bytes_length(positions)
        first, second = matches
        extra0, extra1 = extra_abstract
        look0, look1 = self._look(first, extra0, last), self._look(second, extra1, last)
        scored0, scored1 = first.scored, second.scored
        authors0, authors1 = look0[-1], look1[-1]
        joined_titles, joined_at = self._joined_bytes(joins, last)
        flat, starts = title_toks.flat, title_toks.starts
        tokens_of = title_toks.__getitem__ if title_toks.replaced else None
        alone_of = self._alone
        out: list[tuple[float, int, bool]] = []
        append = out.append
        for k, p in enumerate(positions):
            if k % POLL_EVERY == 0:
                check()
            toks = flat[starts[p] : starts[p + 1]] if tokens_of is None else tokens_of(p)
            byte, bit = p >> 3, p & 7
            alone = scored0.get(p)
            if alone is None:
                alone = scored0[p] = alone_of(p, toks, byte, bit, first, look0)
            q0, j0, places, a0, by_author0 = alone
            if places:
                j0 = self._tie(toks, places, -1, matches, 0)
            alone = scored1.get(p)
            if alone is None:
                alone = scored1[p] = alone_of(p, toks, byte, bit, second, look1)
            q1, j1, places, a1, by_author1 = alone
            if places:
                j1 = self._tie(toks, places, j0 + 1 if j0 >= 0 else -1, matches, 1)
            if p in extra0:
                a0 = ABSTRACT_OTHER
            if p in extra1:
                a1 = ABSTRACT_OTHER
            authors = 0.0
            if authors0:
                authors += by_author0
            if authors1:
                authors += by_author1
            typed = tokens
            paired: set[int] | tuple[()] = ()
            if joined_at[byte] >> bit & 1:
                quality, where, abstracts = [q0, q1], [j0, j1], [a0, a1]
                typed = list(tokens)
                paired = self._apply_joins(
                    p, toks, quality, where, abstracts, typed, joins, joined_titles, byte, bit
                )
                q0, q1 = quality
                j0, j1 = where
                a0, a1 = abstracts
            bonus = 0.0
            name = names[p]
            in_name = j0 >= 0 and j0 < name and q0 >= Q_PREFIX_MIN
            if j1 >= 0:
                if j1 == j0 + 1 or 1 in paired:
                    bonus += ADJACENT_BONUS
                if j1 < name and q1 >= Q_PREFIX_MIN:
                    in_name = True
            named = in_name and self._names_it(toks[:name], [q0, q1], [j0, j1], typed)
            total = q0 + q1 + ABSTRACT_WEIGHT * (a0 + a1) + AUTHOR_WEIGHT * authors
            matched = (j0 >= 0) + (j1 >= 0 and j1 != j0)
            if matched and toks:
                bonus += COVERAGE_BONUS * matched / len(toks)
            score = (total + bonus) / 2
            append((score + NAME_BONUS if named else score, p, not matched))
        return out

    def _bytes_length(self, positions: list[int]) -> int:
        """How many papers the bitmaps as bytes of a search scoring ``positions`` cover."""
        return max(len(self._titles), positions[-1] + 1 if positions else 0)

    def _look(self, tm: TokenMatch, extra: set[int], last: int) -> Look:
        """A typed word's entry of ``looks`` in :meth:`_score_many` (see ``Look``)."""
        return (
            tm,
            tm.scored,
            tm.title_qualities(),
            extra,
            *self._bytes_of(tm, last),
            tm.has_authors,
        )

    @staticmethod
    def _joined_bytes(joins: dict[int, JoinMatch], last: int) -> tuple[dict[int, bytes], bytes]:
        """Per joined pair, the papers whose title has the joined word at all, and the
        papers with some joined word in their title or abstract: bitmaps as bytes.

        For the papers outside the first its title look-up finds nothing ("state sp"
        at 10,000 papers: 981 papers scored, almost none titled "statesp…"); for
        those outside the second the pairs change nothing (a look at each pair for
        each paper was a fifth of the scoring).
        """
        joined_any = 0
        for jm in joins.values():
            joined_any |= jm.title_bits | jm.abs_bits
        titles = {k: _as_bytes(jm.title_bits, last) for k, jm in joins.items()}
        return titles, _as_bytes(joined_any, last)

    def _bytes_of(self, tm: TokenMatch, last: int) -> tuple[bytes, bytes, bytes, bytes]:
        """The papers whose title matches ``tm`` at all, whose title has the word
        itself, whose abstract has it exactly, and whose abstract matches it:
        bitmaps as bytes, long enough for ``last`` papers. Made once per word and
        kept with it: a search scores in up to three parts, and the next
        keystroke may keep the word."""
        found = tm.scoring_bytes
        if found is None or found[0] != last:
            exact = tm.exact
            whole = self._bits([[exact]], title=True) if exact is not None else 0
            found = tm.scoring_bytes = (
                last,
                (
                    _as_bytes(tm.title_bits, last),
                    _as_bytes(whole, last),
                    _as_bytes(self._bits([tm.abs_exact_ids], title=False), last),
                    _as_bytes(tm.abs_bits, last),
                ),
            )
        return found[1]

    def _score_one(
        self,
        positions: list[int],
        tm: TokenMatch,
        extra: set[int],
        check: Callable[[], None],
    ) -> list[tuple[float, int, bool]]:
        """:meth:`_score` for a query of one word: the same scores, with less to do.

        Most keystrokes type a first word ("l", "lo", "lon", ...). With one word
        there is nothing to order or pair: no adjacency bonus, and where in the
        title it matched matters only for the paper's name (of the title words
        that match it equally well the first counts, as ``_tie`` gives it). The
        sums are written as ``_score_many`` makes them (a sum of one is that
        number), so each score is the same float. What the word gives each
        paper is not kept for the next keystroke (``TokenMatch.scored``): most
        next keystrokes change this word, and keeping it cost a fifth more.
        Measured at 10,000 papers, the search CPU of the benchmark's one-word
        prefixes typed ("long": 5.1 -> 3.4 ms; "h": 4.5 -> 3.6 ms).
        """
        title_toks = self._title_toks
        names = title_toks.names
        last = self._bytes_length(positions)
        listed = tm.title_qualities()
        quality_of = listed.get if listed is not None else None
        # whole: titles with the word itself. Its quality there is Q_EXACT, the
        # best any title word can have (no look at the others needed).
        titled, whole, abs_exact, abs_any = self._bytes_of(tm, last)
        author_quality = tm.author_quality if tm.has_authors else None
        flat, starts = title_toks.flat, title_toks.starts
        tokens_of = title_toks.__getitem__ if title_toks.replaced else None
        out: list[tuple[float, int, bool]] = []
        append = out.append
        for k, p in enumerate(positions):
            if k % POLL_EVERY == 0:
                check()
            byte, bit = p >> 3, p & 7
            if abs_exact[byte] >> bit & 1:
                in_abstract = Q_EXACT
            else:
                in_abstract = ABSTRACT_OTHER if abs_any[byte] >> bit & 1 else 0.0
            if p in extra:
                in_abstract = ABSTRACT_OTHER
            by_author = 0.0 if author_quality is None else author_quality(p)
            if not titled[byte] >> bit & 1:
                append((ABSTRACT_WEIGHT * in_abstract + AUTHOR_WEIGHT * by_author, p, True))
                continue
            toks = flat[starts[p] : starts[p + 1]] if tokens_of is None else tokens_of(p)
            if whole[byte] >> bit & 1:
                best = Q_EXACT
            elif quality_of is not None:
                best = max(map(quality_of, toks, _ZEROS), default=0.0)
            else:
                best = max(map(tm.title_quality, toks), default=0.0)
            total = best + ABSTRACT_WEIGHT * in_abstract + AUTHOR_WEIGHT * by_author
            if not best > 0:
                append((total, p, True))
                continue
            score = total + COVERAGE_BONUS * 1 / len(toks)
            name = names[p]
            if name and best >= Q_PREFIX_MIN:
                qs = (
                    list(map(quality_of, toks, _ZEROS))
                    if quality_of is not None
                    else list(map(tm.title_quality, toks))
                )
                best_j = qs.index(best)
                if best_j < name and self._names_it(toks[:name], [best], [best_j], [tm.token]):
                    score += NAME_BONUS
            append((score, p, False))
        return out

    @staticmethod
    def _tie(
        toks: Sequence[int],
        places: Sequence[int],
        after: int,
        matches: list[TokenMatch],
        i: int,
    ) -> int:
        """Which of the title words that match a typed word equally well it is taken to be.

        ``places``: where in the title those words are. The one right after the
        previous typed word's, else one followed by a match of the next typed
        word (the words in the typed order), else the first.
        """
        if after in places:
            return after
        if i + 1 < len(matches):
            following = matches[i + 1]
            for j in places:
                if j + 1 < len(toks) and following.title_quality(toks[j + 1]) > 0:
                    return j
        return places[0]

    def _names_it(
        self, name: Sequence[int], quality: list[float], where: list[int], typed: list[str]
    ) -> bool:
        """Whether the typed words that matched the title's name say that name.

        They do when they make up ``NAME_COVERAGE`` of the name's longest word
        ("lasp" of LASP-2, "copy spec" of CopySpec, "velora" of VeloRant), or
        when one runs on past a part of the name ("slimpaj" past "slim"). One
        part alone ("sequence" of SequenceMatch, "mamba" of Mamba-360) is a
        word of its own, found in many titles: no bonus.
        """
        words = [self._words[w] for w in name]
        letters: dict[int, int] = {}  # name word -> letters typed of it
        for i, j in enumerate(where):
            if 0 <= j < len(words) and quality[i] >= Q_PREFIX_MIN:
                text = typed[i]
                letters[j] = max(letters.get(j, 0), min(len(text), len(words[j])))
                if quality[i] < Q_EXACT and any(
                    len(part) < len(text) and text.startswith(part) for part in words
                ):
                    return True
        return sum(letters.values()) >= NAME_COVERAGE * max(map(len, words))

    @staticmethod
    def _apply_joins(
        pos: int,
        toks: Sequence[int],
        quality: list[float],
        where: list[int],
        abstracts: list[float],
        typed: list[str],
        joins: dict[int, JoinMatch],
        joined_titles: dict[int, bytes],
        byte: int,
        bit: int,
    ) -> set[int]:
        """Let joined pairs stand in for their words where they match better.

        Only where one word of the pair does not match the title well on its
        own: "state space" and "statespace" find the same papers. Returns the
        places of the second words of pairs matched as one title word.
        ``joined_titles[k]`` holds the papers whose title has pair ``k``'s joined
        word (as bytes, tested at ``byte`` and ``bit``): for the others every
        title word's quality for it is 0.
        """
        paired: set[int] = set()
        for k, jm in joins.items():
            pair = (k, k + 1)
            if min(quality[k], quality[k + 1]) < Q_PREFIX_MIN and joined_titles[k][byte] >> bit & 1:
                best = 0.0
                best_j = -1
                listed = jm.title_qualities()
                if listed is not None:  # looked up in C; the first best wins
                    qs = list(map(listed.get, toks, _ZEROS))
                    top = max(qs, default=0.0)
                    if top > 0:
                        best, best_j = top, qs.index(top)
                else:
                    tq = jm.tq
                    for j, w in enumerate(toks):
                        q = tq.get(w)
                        if q is None:
                            q = jm.title_quality(w)
                        if q > best:
                            best, best_j = q, j
                if best_j >= 0:
                    for i in pair:
                        if best > quality[i]:
                            quality[i], where[i], typed[i] = best, best_j, jm.token
                    if where[k] == where[k + 1]:
                        paired.add(k + 1)
            if min(abstracts[k], abstracts[k + 1]) < Q_PREFIX_MIN:
                joined = jm.abstract_quality(pos)
                for i in pair:
                    abstracts[i] = max(abstracts[i], joined)
        return paired
