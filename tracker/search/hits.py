"""Search results: Hit, the lazy HitList, and the Facets protocol filters read per paper."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from operator import eq
from typing import Any, Protocol, overload

from tracker.search.bits import Membership, first_positions, positions, rank_of
from tracker.search.highlight import Highlighter
from tracker.search.words import Span


class Facets(Protocol):
    """Per-paper fields for the filters, looked up by index position."""

    def status(self, pos: int) -> str:
        """``new``, ``to-read``, ``reading``, ``read`` or ``skipped``."""
        ...

    def has_note(self, pos: int) -> bool:
        """True when the paper has a non-empty note."""
        ...

    def tags(self, pos: int) -> Sequence[str]:
        """The paper's tags."""
        ...

    def digest_keys(self, pos: int) -> Sequence[str]:
        """Casefolded labels (``aug 25``), digest ids and ISO dates of the paper's digests."""
        ...

    def watched(self, pos: int) -> bool:
        """True when the paper matches an entry of the user's watch list (``is:watched``)."""
        ...


class NoFacets:
    """Facets of papers nobody annotated: for searches with words only (watch lists, tests)."""

    def status(self, pos: int) -> str:
        return "new"

    def has_note(self, pos: int) -> bool:
        return False

    def tags(self, pos: int) -> Sequence[str]:
        return ()

    def digest_keys(self, pos: int) -> Sequence[str]:
        return ()

    def watched(self, pos: int) -> bool:
        return False


@dataclass(frozen=True, slots=True)
class Hit:
    """One search result.

    ``title_spans`` are ``[start, end)`` character ranges of the original title to
    highlight. In hits returned by :meth:`SearchIndex.search` they are computed on
    first access (a list shows a screenful of 100,000 hits), from the index's title
    at that moment.
    """

    pos: int
    score: float
    title_spans: tuple[Span, ...] = ()
    abstract_only: bool = False


_SPANS_SLOT = Hit.__dict__["title_spans"]
_SET_POS = Hit.__dict__["pos"].__set__
_SET_SCORE = Hit.__dict__["score"].__set__
_SET_ABSTRACT_ONLY = Hit.__dict__["abstract_only"].__set__


class SpanSource:
    __slots__ = ("highlighter", "titles")

    def __init__(self, titles: list[str], highlighter: Highlighter) -> None:
        self.titles = titles
        self.highlighter = highlighter


class _LazyHit(Hit):
    """A :class:`Hit` whose ``title_spans`` are computed when first read.

    Made without ``__init__`` by :class:`HitList` (frozen dataclasses cannot
    set a slot of their own otherwise).
    """

    __slots__ = ("_source",)
    _source: SpanSource

    @property
    def title_spans(self) -> tuple[Span, ...]:
        try:
            return _SPANS_SLOT.__get__(self, Hit)  # type: ignore[no-any-return]
        except AttributeError:
            source = self._source
            spans = source.highlighter.spans(source.titles[self.pos])
            _SPANS_SLOT.__set__(self, spans)
            return spans

    @title_spans.setter
    def title_spans(self, value: tuple[Span, ...]) -> None:
        # Used by dataclasses.replace() and unpickling.
        _SPANS_SLOT.__set__(self, value)

    def _fields(self) -> tuple[object, ...]:
        return (self.pos, self.score, self.title_spans, self.abstract_only)

    def __eq__(self, other: object) -> bool:
        # The generated __eq__ only compares objects of exactly the same class.
        if isinstance(other, Hit):
            return self._fields() == (
                other.pos,
                other.score,
                other.title_spans,
                other.abstract_only,
            )
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        return (
            f"Hit(pos={self.pos!r}, score={self.score!r}, "
            f"title_spans={self.title_spans!r}, abstract_only={self.abstract_only!r})"
        )


_SET_SOURCE = _LazyHit.__dict__["_source"].__set__


class HitList(Sequence[Hit]):
    """Search results, best first, as a read-only sequence of :class:`Hit`.

    The results are kept as plain lists of positions, scores and flags; a
    :class:`Hit` object is made only for a row that is read (and then kept). A
    one-letter query at 100,000 papers matches 70,000 of them and the app draws
    forty: making every Hit up front cost more than the whole rest of the search
    (measured: 17 of 37 ms for "to"), and left tens of thousands of objects for
    the garbage collector on every keystroke. Compares equal to any sequence of
    the same hits, so ``results == []`` reads naturally.
    """

    __slots__ = ("_abstract_only", "_made", "_positions", "_scores", "_source", "partial")

    def __init__(
        self,
        positions: Sequence[int],
        scores: Sequence[float] | None = None,
        abstract_only: Sequence[bool] | None = None,
        source: SpanSource | None = None,
    ) -> None:
        """``scores``/``abstract_only`` None: all 0.0/False; ``source`` None: no highlights."""
        self._positions = positions
        self._scores = scores
        self._abstract_only = abstract_only
        self._source = source
        self._made: dict[int, Hit] = {}
        self.partial = False
        """True when abstracts were still being indexed: more papers may match."""

    @property
    def positions(self) -> Sequence[int]:
        """The papers' positions in result order (no Hit objects made)."""
        return self._positions

    def pos_at(self, i: int) -> int:
        """The position of the ``i``-th result: ``self[i].pos`` without making a Hit."""
        return self._positions[i]

    def index_of(self, pos: int) -> int | None:
        """Where the paper at ``pos`` is in the results, or None."""
        try:
            return self._positions.index(pos)
        except ValueError:
            return None

    def __len__(self) -> int:
        return len(self._positions)

    def held(self) -> int:
        """About how many positions this result keeps in memory now (with a score and
        a flag each; 32 bytes of a bitmap counted as one; a range as none)."""
        positions = self._positions
        if isinstance(positions, range):
            return 0
        if not isinstance(positions, _PartsView):
            return len(positions)
        return sum(
            part.held() if isinstance(part, Ordered) else len(part.positions)
            for part in positions.parts.parts
        )

    @overload
    def __getitem__(self, i: int) -> Hit: ...

    @overload
    def __getitem__(self, i: slice) -> list[Hit]: ...

    def __getitem__(self, i: int | slice) -> Hit | list[Hit]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self._positions)))]
        if i < 0:
            i += len(self._positions)
        hit = self._made.get(i)
        if hit is None:
            hit = self._made[i] = self._make(i)
        return hit

    def _make(self, i: int) -> Hit:
        pos = self._positions[i]  # IndexError for a row past the end, as a list
        score = 0.0 if self._scores is None else self._scores[i]
        abstract_only = False if self._abstract_only is None else self._abstract_only[i]
        source = self._source
        if source is None:
            return Hit(pos, score, (), abstract_only)
        hit = object.__new__(_LazyHit)
        _SET_POS(hit, pos)
        _SET_SCORE(hit, score)
        _SET_ABSTRACT_ONLY(hit, abstract_only)
        _SET_SOURCE(hit, source)
        return hit

    def __iter__(self) -> Iterator[Hit]:
        return map(self.__getitem__, range(len(self._positions)))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(map(eq, self, other))

    __hash__ = None  # type: ignore[assignment]  # mutable cache, compared by value

    def __repr__(self) -> str:
        shown = ", ".join(map(repr, self[:3]))
        more = f", ... {len(self) - 3} more" if len(self) > 3 else ""
        return f"HitList([{shown}{more}])"


HEAD = 64
"""Positions of an :class:`Ordered` part taken out first: a screenful and then some."""


class Ordered:
    """Hits in index order, all with one score, kept as a bitmap until they are read.

    A query of a letter or two at 100,000 papers has tens of thousands of
    hits past the few hundred that are scored one by one; they follow in
    index order. Their positions (and which matched in no title) are only
    worked out for the rows that are read: the first ``HEAD`` at once, all of
    them when a row past those is read (scrolling far, ``G``).
    """

    __slots__ = ("_in_title", "_positions", "bits", "count", "score", "size", "titles")

    def __init__(self, bits: int, count: int, score: float, titles: int | None) -> None:
        self.bits = bits
        """The tier's papers; its hits are the first ``count`` in index order."""
        self.count = count
        self.size = bits.bit_count()
        self.score = score
        self.titles = titles
        """Papers matched in some title (None: every hit was): the others are abstract-only."""
        self._positions: list[int] = []
        self._in_title: Membership | None = None

    def position(self, k: int) -> int:
        found = self._positions
        if k >= len(found):
            want = self.count if k >= HEAD else min(HEAD, self.count)
            if want * 2 < self.size:
                found = first_positions(self.bits, want)
            else:
                found = positions(self.bits)
                del found[want:]
            self._positions = found
        return found[k]

    def abstract_only(self, pos: int) -> bool:
        if self.titles is None:
            return False
        found = self._in_title
        if found is None:
            found = self._in_title = Membership(self.titles)
        return pos not in found

    def held(self) -> int:
        """See :meth:`HitList.held`."""
        return len(self._positions) + self.bits.bit_length() // 256

    def index(self, pos: int) -> int | None:
        """Where ``pos`` is among this part's hits, or None."""
        if pos < 0 or not self.bits >> pos & 1:
            return None
        k = rank_of(self.bits, pos)
        return k if k < self.count else None


@dataclass(frozen=True, slots=True)
class Scored:
    """Hits in rank order, each with its own score."""

    positions: list[int]
    scores: list[float]
    abstract_only: list[bool]


class _Parts:
    """The parts of a ranked result, read by row."""

    __slots__ = ("_ends", "parts")

    def __init__(self, parts: Sequence[Scored | Ordered]) -> None:
        self.parts = [p for p in parts if (p.count if isinstance(p, Ordered) else p.positions)]
        ends: list[int] = []
        total = 0
        for part in self.parts:
            total += part.count if isinstance(part, Ordered) else len(part.positions)
            ends.append(total)
        self._ends = ends

    def __len__(self) -> int:
        return self._ends[-1] if self._ends else 0

    def locate(self, i: int) -> tuple[Scored | Ordered, int]:
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError("hit index out of range")
        k = bisect_right(self._ends, i)
        return self.parts[k], i - (self._ends[k - 1] if k else 0)


class _PartsView(Sequence[Any]):
    """Positions, scores or abstract-only flags of a ranked result, row by row."""

    __slots__ = ("_field", "_parts")

    def __init__(self, parts: _Parts, field: str) -> None:
        self._parts = parts
        self._field = field

    @property
    def parts(self) -> _Parts:
        return self._parts

    def __len__(self) -> int:
        return len(self._parts)

    @overload
    def __getitem__(self, i: int) -> Any: ...

    @overload
    def __getitem__(self, i: slice) -> list[Any]: ...

    def __getitem__(self, i: int | slice) -> Any:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        part, k = self._parts.locate(i)
        field = self._field
        if isinstance(part, Scored):
            return getattr(part, field)[k]
        if field == "positions":
            return part.position(k)
        if field == "scores":
            return part.score
        return part.abstract_only(part.position(k))

    def index(self, value: Any, start: int = 0, stop: int | None = None) -> int:
        if self._field != "positions" or start or stop is not None:
            return super().index(value, start, len(self) if stop is None else stop)
        offset = 0
        for part in self._parts.parts:
            if isinstance(part, Scored):
                if value in part.positions:
                    return offset + part.positions.index(value)
                offset += len(part.positions)
            else:
                k = part.index(value)
                if k is not None:
                    return offset + k
                offset += part.count
        raise ValueError(f"{value!r} is not in the hits")


def ranked_hits(parts: Sequence[Scored | Ordered], source: SpanSource) -> HitList:
    """A :class:`HitList` of these parts, in this order."""
    joined = _Parts(parts)
    return HitList(
        _PartsView(joined, "positions"),
        _PartsView(joined, "scores"),
        _PartsView(joined, "abstract_only"),
        source,
    )
