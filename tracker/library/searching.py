"""Search over the library, and the watch list (matched through the search index)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, MutableSequence, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tracker.library.abstracts import PaperAbstracts
from tracker.library.core import LibraryCore
from tracker.library.facets import Facets
from tracker.models import Annotation, Paper, Status
from tracker.store import StoreError, gc_paused
from tracker.store.lazy_rows import LazyRows

# Search (with rapidfuzz), the index cache, watch matching, exports and
# what's new are imported where they are used: `tracker import` and the parse
# worker processes need none of them, and importing them took about a third
# of a short command's start-up (issue 5). The other modules of
# this package do the same.

if TYPE_CHECKING:
    from tracker.library.search_request import SearchRequest, SearchResult
    from tracker.search import Hit, HitList, Query, SearchIndex
    from tracker.search.index_state import Candidates
    from tracker.search.watch import WatchEntry

WATCH_HERE_BELOW = 5000
"""Below this many papers, matching the watch list against them on the spot beats
waiting for the library-wide matches (which need the whole word index)."""


@dataclass(slots=True)
class Result:
    """One query result: the paper, its annotation and how it matched."""

    paper: Paper
    annotation: Annotation
    hit: Hit


class Searching(LibraryCore):
    """Queries, the search index, related papers and the watch list."""

    @property
    def index(self) -> SearchIndex:
        """The search index, created on first use.

        Creating it only hands it the texts; the word index is built by
        :meth:`build_index` (the TUI does it in a worker after the first frame)
        or by the first search that needs words. Building loads the index saved
        by the last build when it was made from these very texts, indexes only
        what was added since, and saves the result (tracker/search/index_file.py).
        """
        with self._index_lock:
            if self._index is None:
                from tracker.search import SearchIndex
                from tracker.search.index_file import INDEX_FILE, IndexFile

                index = SearchIndex()
                # Saved next to library.json: see tracker/search/index_file.py for
                # where and why; tagged with the library's state, so that a saved
                # index of this very state is used without reading every text.
                # A command (papers read when used) reads the saved postings of the
                # words its query uses, not all of them (60 MB at 100,000 papers).
                index.store = IndexFile(
                    self.directory / INDEX_FILE,
                    self.store.library_state,
                    lazy=isinstance(self.papers, LazyRows),
                    changes=self._index_candidates,
                )
                # The app saves it from its background build, never in a search,
                # and while that build indexes abstracts, searches answer from the
                # titles (marked partial) instead of waiting (it searches again);
                # the build ends by making the frequent words' bitmaps.
                app = bool(self.origin.get("app"))
                index.saves_in_search = not app
                index.defers_small_saves = not app
                index.answers_while_indexing = app
                index.warms_bitmaps = app
                if isinstance(self.papers, LazyRows):
                    # Papers read when used (a command): so are their texts.
                    papers = self.papers
                    index.attach(
                        _Texts(papers, "title"), _Texts(papers, "abstract"), papers.all_authors()
                    )
                else:
                    # Abstracts stay where they are (most in library.json, see
                    # tracker/library/abstracts.py): the index asks the papers.
                    # Unlike a command's texts, these take a changed text in place
                    # (the index keeps it), so the index is kept when a paper changes.
                    with gc_paused():
                        index.attach(
                            [p.title for p in self.papers],
                            PaperAbstracts(self.papers),
                            [p.authors for p in self.papers],
                        )
                    index.has_lazy_texts = False
                self._index = index
            return self._index

    def _index_candidates(self, saved_as: str, indexed: int) -> Candidates | None:
        """For a saved index of the first ``indexed`` papers in the state named ``saved_as``:
        the papers written since (their texts may differ), when the journal tells it.

        The first ``tracker list`` after a ``tracker import`` compared the saved
        index's key of every paper with its text, reading every abstract (1.8 s
        at 100,000 papers); the import's record says which papers it wrote.
        None (compare every key) unless the papers written since are the ones
        after the first ``indexed`` (new) and some of those (met again).
        """
        from tracker.search.index_state import Candidates

        try:
            written = self.store.paper_puts_since(saved_as)
        except StoreError:
            return None
        if written is None:
            return None
        papers = len(self.papers)
        positions = self._pos
        known: set[int] = set()
        new: set[int] = set()
        for pid in written:
            pos = positions.get(pid)
            if pos is None:
                return None
            (known if pos < indexed else new).add(pos)
        # Every paper after the indexed ones is one the journal added since.
        if len(new) != papers - indexed:
            return None
        return Candidates(sorted(known), papers)

    def release_search_memory(self) -> None:
        """Free what the last searches left behind; the app calls it once results are on screen.

        Searches leave freeing it to this (see ``SearchIndex.release``): at
        100,000 papers it took milliseconds of every keystroke's search.
        """
        with self._index_lock:
            index = self._index
        if index is not None:
            index.release()

    def build_index(self, cancelled: Callable[[], bool] | None = None) -> bool:
        """Index every paper's words now; False if ``cancelled`` stopped it."""
        return self.index.build(cancelled)

    def related(self, paper_id: str, k: int = 5) -> list[Paper] | None:
        """The ``k`` papers most like this one, or None while the word index is not built.

        Never builds the index itself: the app calls this as the cursor moves
        and must not stall for seconds at 100,000 papers; the CLI builds first.
        """
        from tracker.search.related import related as related_positions

        index = self.index
        if not index.is_built:
            return None
        from tracker.search.lazy_postings import IndexDamaged

        try:
            found = related_positions(index, self._pos[paper_id], k)
        except IndexDamaged:  # postings of a saved index, read when first used
            index.drop_saved()
            index.build()
            found = related_positions(index, self._pos[paper_id], k)
        return [self.papers[pos] for pos, _ in found]

    def query(
        self,
        text: str | Query = "",
        *,
        statuses: Sequence[str] = (),
        digest: str | None = None,
        limit: int | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> list[Result]:
        """Papers matching a query (the language of tracker.search.query), best first.

        ``statuses`` and ``digest`` add filters the way ``status:`` and
        ``digest:`` in the text would (the CLI's ``--status``/``--digest``).
        """
        hits = self.hits(text, statuses=statuses, digest=digest, limit=limit, cancelled=cancelled)
        return [Result(self.papers[h.pos], self.annotation(self.papers[h.pos].id), h) for h in hits]

    def hits(
        self,
        text: str | Query = "",
        *,
        statuses: Sequence[str] = (),
        digest: str | None = None,
        limit: int | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> HitList:
        """Like :meth:`query` but only the search hits (positions into ``papers``).

        Only the hits: a list that renders visible rows never needs a result
        object for each of 100,000 papers.
        """
        from tracker.search import parse_query

        query = parse_query(text) if isinstance(text, str) else text
        query = self._narrowed(
            query,
            digest=self.resolve_digest(digest).id if digest else None,
            statuses=tuple(Status.parse(s) for s in statuses),
        )
        return self._search(query, limit=limit, cancelled=cancelled)

    def search(
        self, request: SearchRequest, *, cancelled: Callable[[], bool] | None = None
    ) -> SearchResult | None:
        """The hits of the app's request (its text in its view), or None if ``cancelled``.

        A text the query language cannot fully understand still searches
        (typing is under way); the result says what was wrong with it.
        """
        from tracker.library.search_request import SearchResult
        from tracker.search import SearchCancelled, parse_query

        order_serial = self.order_serial
        parsed = parse_query(request.text)
        query = self._narrowed(
            parsed, digest=request.digest, statuses=request.statuses, hidden=request.hidden
        )
        try:
            hits = self._search(query, cancelled=cancelled)
        except SearchCancelled:
            return None
        return SearchResult(
            request,
            hits,
            problems=parsed.problems,
            uses_watch_list=any(f.field == "is" for f in query.filters),
            partial=hits.partial,
            order_serial=order_serial,
        )

    def waits_for_index(self, request: SearchRequest) -> bool:
        """True when the request's words need the word index, which is not built yet."""
        from tracker.search import parse_query

        return bool(parse_query(request.text).terms) and not self.index.is_built

    def request_as_query(self, request: SearchRequest) -> str:
        """The request as one query text (box, digest, statuses), as a saved search keeps it."""
        parts = [request.text.strip()]
        if request.digest is not None:
            parts.append(f"digest:{self._digest_ref(request.digest)}")
        if request.statuses:
            parts.append("status:" + ",".join(s.value for s in request.statuses))
        if request.hidden:
            parts.append("-status:" + ",".join(s.value for s in request.hidden))
        return " ".join(p for p in parts if p)

    def _digest_ref(self, digest_id: str) -> str:
        """How a query names a digest: its label when that is unambiguous, else its id.

        Labels read better in config.toml, but two sources can give the same
        day the same label, and a saved search must not widen to both.
        """
        label = self.digest(digest_id).display_label
        key = label.casefold()
        # digest: matches by prefix, so "Aug 2" would also take "Aug 25".
        same = [
            d for d in self.digests if any(k.startswith(key) for k in self.keys_of_digests((d.id,)))
        ]
        if len(same) == 1 and '"' not in label:
            return f'"{label}"'
        return digest_id

    def _narrowed(
        self,
        query: Query,
        *,
        digest: str | None = None,
        statuses: Sequence[Status] = (),
        hidden: Sequence[Status] = (),
    ) -> Query:
        """``query`` with the filters of a view: a digest (by id), statuses shown, statuses hidden."""
        from tracker.search import FieldFilter

        extra: list[FieldFilter] = []
        if statuses:
            extra.append(FieldFilter("status", tuple(s.value for s in statuses)))
        if hidden:
            extra.append(FieldFilter("status", tuple(s.value for s in hidden), negated=True))
        if digest is not None:
            extra.append(FieldFilter("digest", (digest,)))
        if not extra:
            return query
        return dataclasses.replace(query, filters=query.filters + tuple(extra))

    def _search(
        self,
        query: Query,
        *,
        limit: int | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> HitList:
        facets = Facets(self)
        if any(f.field == "is" for f in query.filters):
            facets.watched_ids = self.watch_matches()
        from tracker.search.lazy_postings import IndexDamaged

        index = self.index
        try:
            return index.search(query, facets, limit=limit, cancelled=cancelled)
        except IndexDamaged:  # postings of a saved index, read when first used
            index.drop_saved()
            return index.search(query, facets, limit=limit, cancelled=cancelled)

    # -- watch list ------------------------------------------------------
    @property
    def watch_entries(self) -> tuple[WatchEntry, ...]:
        return self._watch

    def set_watch(self, entries: Sequence[WatchEntry]) -> None:
        """Use this watch list from now on (the caller keeps it in config.toml).

        Matches are recomputed from the list, never stored, so a change to the
        list (in the app or by hand) shows everywhere at once.
        """
        with self._watch_lock:
            self._watch = tuple(entries)
            self._watch_cache = None

    def watch_matches(self) -> dict[str, WatchEntry]:
        """Paper id → the first watch entry it matches, over the whole library.

        Needs the word index (built here if it is not yet): the app calls it
        from a worker; :meth:`watch_match` never waits for it.
        """
        with self._watch_lock:
            cache = self._watch_cache
            if cache is None:
                if self._watch:
                    from tracker.search.watch import match_index

                    index = self.index
                    index.build()  # every abstract: never marks from a partial index
                    found = match_index(self._watch, index, self.papers)
                    cache = {self.papers[pos].id: entry for pos, entry in found.items()}
                else:
                    cache = {}
                self._watch_cache = cache
            return cache

    def watch_counts(self) -> dict[str, int]:
        """Watch entry text → the number of papers that entry matches, on its own."""
        if not self._watch:
            return {}
        from tracker.search.watch import count_matches

        index = self.index
        index.build()
        return count_matches(self._watch, index)

    def watch_match(self, paper_id: str) -> WatchEntry | None:
        """The entry the paper matches, if the matches are computed; never computes them."""
        cache = self._watch_cache
        return cache.get(paper_id) if cache is not None else None

    def watch_matches_among(self, paper_ids: Sequence[str]) -> dict[str, WatchEntry]:
        """Paper id → the watch entry it matches, for these papers only (triage's queue).

        A few papers are matched on the spot, without the word index (a
        first start may still be building it); many, or once the library-wide
        matches are known, are looked up in those.
        """
        if not self._watch:
            return {}
        if self.watch_ready or len(paper_ids) >= WATCH_HERE_BELOW:
            matches = self.watch_matches()
            return {pid: matches[pid] for pid in paper_ids if pid in matches}
        from tracker.search.watch import match_papers

        return match_papers(self._watch, [self.paper(pid) for pid in paper_ids])

    @property
    def watch_ready(self) -> bool:
        """True when :meth:`watch_match` answers for every paper."""
        return self._watch_cache is not None


class _Texts(MutableSequence[Any]):
    """One field of every paper (titles, abstracts) for the search index, read when used.

    A view of the papers as they are when the index is made: appending
    (a paper added to the library) only counts it, since the papers have it
    already. A text changed in place drops the index instead (see
    ``LibraryCore._texts_changed``), so this view never has to remember an
    old text.
    """

    def __init__(self, papers: LazyRows, field: str) -> None:
        self._papers = papers
        self._field = field
        self._count = len(papers)

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._count))]
        if not -self._count <= index < self._count:
            raise IndexError(index)
        return getattr(self._papers[index % self._count], self._field)

    def __setitem__(self, index: Any, value: Any) -> None:
        raise TypeError("texts read when used are not changed in place (the index is dropped)")

    def __delitem__(self, index: Any) -> None:
        if isinstance(index, slice) and index.stop is None and index.step is None:
            self._count = min(self._count, index.start or 0)  # the last papers taken back
            return
        raise TypeError("texts read when used lose only their last papers")

    def insert(self, index: int, value: Any) -> None:
        if index != self._count:
            raise TypeError("texts read when used only grow at their end")
        self._count += 1
