"""What a search keeps for the next keystroke gives the same hits as a search from scratch.

Typing extends the query a letter at a time: a word still in the query keeps
what it gave each paper (``TokenMatch.scored``), the same words again give the
last hits (``SearchIndex._search_built``), and a query of one word is scored
by a shorter path (``RankedIndex._score_one``). Each is checked here against
a new index that scores every prefix on its own, by the general path.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tracker.library import Library
from tracker.library.search_request import SearchRequest
from tracker.models import Status
from tracker.search import (
    FieldFilter,
    Hit,
    Query,
    SearchIndex,
    parse_query,
    ranking,
    search_index,
)
from tracker.search.hits import NoFacets
from tracker.search.ranking import RankedIndex
from tracker.search.terms import TokenMatch

WORDS = [
    "state", "space", "spaces", "statespace", "copy", "spec", "copyspec", "long",
    "longer", "context", "contexts", "lora", "low", "rank", "mamba", "dna", "storage",
    "stored", "beam", "search", "searching", "transformer", "transformers", "trasnformer",
    "s4", "mr", "t5", "mrt5", "sparse", "survey",
]  # fmt: skip
FEW = ["copy", "spec", "copyspec", "state", "space", "long", "context"]
"""Titles of these have the same word twice, which the other typed words decide between."""
NAMES = ["Ada Long", "Bo Search", "Cy Dna", "Di Mamba"]

titles = st.lists(st.sampled_from(WORDS), min_size=1, max_size=6).map(" ".join) | st.lists(
    st.sampled_from(FEW), min_size=2, max_size=7
).map(" ".join)
named = st.tuples(st.sampled_from(["CopySpec", "MrT5", "LoRA", "Mamba-2"]), titles).map(
    lambda p: f"{p[0]}: {p[1]}"
)
papers = st.lists(
    st.tuples(
        titles | named,
        st.lists(st.sampled_from(WORDS), max_size=8).map(" ".join),
        st.lists(st.sampled_from(NAMES), max_size=2),
    ),
    min_size=1,
    max_size=25,
)
query_words = (
    st.sampled_from(WORDS)
    | st.sampled_from(FEW)
    | st.sampled_from(["sta", "sp", "lon", "co", "ds", "x"])
)
queries = st.lists(query_words, min_size=1, max_size=3).map(" ".join) | st.tuples(
    query_words, query_words
).map(lambda p: f"{p[0]} -{p[1]}")


def _index(items: Sequence[tuple[str, str, list[str]]]) -> SearchIndex:
    index = SearchIndex()
    for title, abstract, authors in items:
        index.add(title, abstract, authors)
    index.build()
    return index


def _rows(hits: Sequence[Hit]) -> list[tuple[int, float, bool, tuple[tuple[int, int], ...]]]:
    return [(h.pos, h.score, h.abstract_only, tuple(h.title_spans)) for h in hits]


def _from_scratch(
    items: Sequence[tuple[str, str, list[str]]], text: str
) -> list[tuple[int, float, bool, tuple[tuple[int, int], ...]]]:
    """The hits of ``text`` on a new index, every query scored by the general path."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(RankedIndex, "_score", RankedIndex._score_many)
        return _rows(_index(items).search(text, NoFacets()))


@pytest.mark.parametrize("fine_limit", [1000, 3])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(items=papers, text=queries)
@example(  # two words matched as one title word ("state space" -> statespace): paired
    items=[("statespace models", "spec copy", []), ("state of a space", "", [])],
    text="state space",
)
@example(items=[("state space state spaces", "statespace", ["Ada Long"])], text="state sp long")
def test_typing_a_query_gives_what_each_prefix_gives_from_scratch(
    fine_limit: int, items: list[tuple[str, str, list[str]]], text: str
) -> None:
    # fine_limit 3: the papers of a large result set are ranked in tiers, some
    # scored one by one and some not (what a letter or two does at 10,000 papers).
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ranking, "FINE_LIMIT", fine_limit)
        index = _index(items)
        for end in range(1, len(text) + 1):
            typed = text[:end]
            assert _rows(index.search(typed, NoFacets())) == _from_scratch(items, typed), typed


def test_a_word_kept_in_the_query_keeps_what_it_gave_each_paper() -> None:
    index = _index([("long context models", "", []), ("longer contexts", "long", [])])
    index.search("long c", NoFacets())
    kept = index._cache["long"]
    assert set(kept.scored) == {0, 1}
    index.search("long co", NoFacets())
    assert index._cache["long"] is kept  # scored again from what it kept


def test_the_same_words_again_give_the_last_hits_until_the_index_changes() -> None:
    index = _index([("long context", "", []), ("short context", "", [])])
    hits = index.search("long", NoFacets())
    assert index.search("long ", NoFacets()) is hits  # a space typed after the word
    index.update(1, "long story", "")  # a title changed in place (the app's edit)
    changed = index.search("long ", NoFacets())
    assert [h.pos for h in changed] == [0, 1]
    index.add("long way", "")  # added, not indexed yet: the next search indexes it
    index.build()
    assert [h.pos for h in index.search("long", NoFacets())] == [0, 1, 2]
    index.truncate(2)  # the last paper taken back (an undone import)
    assert [h.pos for h in index.search("long", NoFacets())] == [0, 1]
    index.set_authors(1, ["Ada Long"])  # an author named like the word: ranked higher
    assert [h.pos for h in index.search("long", NoFacets())] == [1, 0]


@pytest.mark.parametrize("fine_limit", [1000, 3])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(items=papers, texts=st.lists(queries, min_size=2, max_size=4))
def test_queries_typed_again_and_taken_back_give_what_they_give_from_scratch(
    fine_limit: int, items: list[tuple[str, str, list[str]]], texts: list[str]
) -> None:
    # Each query typed a letter at a time, then taken back to nothing, then the
    # next: the kept hits of a prefix typed before are the hits from scratch.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ranking, "FINE_LIMIT", fine_limit)
        index = _index(items)
        for text in [*texts, *texts]:
            ends = [*range(1, len(text) + 1), *range(len(text) - 1, 0, -1)]
            for end in ends:
                typed = text[:end]
                assert _rows(index.search(typed, NoFacets())) == _from_scratch(items, typed), typed


def test_recent_queries_give_their_hits_again_until_too_many_are_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    index = _index([("long context", "", []), ("short context", "", []), ("state space", "", [])])
    first = index.search("long", NoFacets())
    other = index.search("state", NoFacets())
    assert index.search("long", NoFacets()) is first  # typed again after another query
    assert index.search("state", NoFacets()) is other
    for n in range(search_index.RECENT_SEARCHES):  # as many other queries as are kept
        index.search(f"context{'x' * n}", NoFacets())
    again = index.search("long", NoFacets())
    assert again is not first and _rows(again) == _rows(first)  # searched anew, the same
    monkeypatch.setattr(search_index, "RECENT_HITS", 2)  # room for the newest only
    index.search("context", NoFacets())  # two hits
    assert index.search("long", NoFacets()) is not again
    index.add("long way", "")  # another paper: nothing kept is used
    index.build()
    assert [h.pos for h in index.search("long", NoFacets())] == [0, 3]


def test_a_short_word_keeps_its_match_for_the_next_query_until_the_index_changes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    items = [("dna storage", "", []), ("state space", "sparse", []), ("dna search", "", [])]
    index = _index(items)
    index.search("s", NoFacets())
    letter = index._cache["s"]
    index.search("st", NoFacets())  # "s" left the query: parked
    assert index._parked["s"] is letter and not letter.scored
    hits = index.search("dna s", NoFacets())  # a second word starting with the letter
    assert index._cache["s"] is letter
    assert _rows(hits) == _from_scratch(items, "dna s")
    index.search("dna", NoFacets())
    index.update(0, "dna sequencing", "")  # the index changed: nothing parked is used
    changed = [("dna sequencing", "", []), *items[1:]]
    assert _rows(index.search("dna s", NoFacets())) == _from_scratch(changed, "dna s")
    assert index._cache["s"] is not letter
    monkeypatch.setattr(search_index, "PARKED_MAX", 2)
    for text in ["a", "b", "c", "d"]:  # each parked as the next is typed
        index.search(text, NoFacets())
    assert list(index._parked) == ["b", "c"]  # the oldest went first


def test_a_match_made_before_an_index_change_is_not_kept_by_a_search_overlapping_it() -> None:
    # A search in a worker thread, between two of its words, while the UI
    # thread changes the index (another process's change picked up) and
    # searches the new one: the worker's match of "s" was made on the index
    # before, and must not be reused or parked as current afterwards.
    items = [("dna storage", "", []), ("dna search", "", []), ("state space", "", [])]
    index = _index([*items, ("mamba", "", [])])
    index.search("dna s", NoFacets())
    before = index._cache["s"]
    paused, resume = threading.Event(), threading.Event()
    token_match = index._token_match

    def pausing(token: str) -> TokenMatch:
        tm = token_match(token)
        if threading.current_thread().name == "worker" and token == "s":
            paused.set()
            resume.wait(5)
        return tm

    index._token_match = pausing  # type: ignore[method-assign]
    worker = threading.Thread(target=lambda: index.search("dna s mamba", NoFacets()), name="worker")
    worker.start()
    assert paused.wait(5)
    index.update(0, "dna xyz", "")
    index.search("state", NoFacets())
    resume.set()
    worker.join(5)
    del index._token_match
    index.search("dna", NoFacets())  # "s" leaves the query
    assert index._parked.get("s") is not before
    changed = [("dna xyz", "", []), *items[1:], ("mamba", "", [])]
    assert _rows(index.search("dna s", NoFacets())) == _from_scratch(changed, "dna s")


class _Statuses(NoFacets):
    def __init__(self, read: set[int]) -> None:
        self.read = read

    def status(self, pos: int) -> str:
        return "read" if pos in self.read else "new"


def test_hits_with_filters_are_searched_again() -> None:
    # Filters read the annotations, which the index does not follow.
    index = _index([("long context", "", []), ("long story", "", [])])
    query = Query(
        terms=parse_query("long").terms,
        filters=(FieldFilter("status", ("read",), negated=True),),
    )
    assert [h.pos for h in index.search(query, _Statuses(set()))] == [0, 1]
    assert [h.pos for h in index.search(query, _Statuses({0}))] == [1]


DAY_ONE = """Daily Papers

Oct 7, 2024

Attention Is All You Need

We propose the Transformer, based solely on attention mechanisms.

Pointer Networks

We introduce a new neural architecture to learn pointers.
"""
DAY_TWO = DAY_ONE.replace("Oct 7", "Oct 8").replace(
    "Pointer Networks", "Attention Sinks in Streaming Models"
)


def test_the_librarys_hits_follow_imports_undo_and_statuses(data_dir: Path, tmp_path: Path) -> None:
    """What a search keeps is dropped when the library changes: an import, its undo, and
    (through the view's filters, which are searched afresh) a status."""
    one, two = tmp_path / "one.txt", tmp_path / "two.txt"
    one.write_text(DAY_ONE, encoding="utf-8")
    two.write_text(DAY_TWO, encoding="utf-8")
    with Library.open(data_dir) as lib:

        def titles(request: SearchRequest) -> list[str]:
            result = lib.search(request)
            assert result is not None
            return [lib.papers[h.pos].title for h in result.hits]

        lib.import_file(one)
        assert titles(SearchRequest("attention")) == ["Attention Is All You Need"]
        assert titles(SearchRequest("attention ")) == ["Attention Is All You Need"]
        lib.import_file(two)
        found = titles(SearchRequest("attention "))
        assert sorted(found) == ["Attention Is All You Need", "Attention Sinks in Streaming Models"]
        lib.undo()
        assert titles(SearchRequest("attention")) == ["Attention Is All You Need"]
        paper = lib.papers[0].id
        hiding_read = SearchRequest("attention", hidden=(Status.READ,))
        assert titles(hiding_read) == ["Attention Is All You Need"]
        lib.set_status([paper], Status.READ)
        assert titles(hiding_read) == []
        assert titles(SearchRequest("attention")) == ["Attention Is All You Need"]
        lib.set_status([paper], Status.NEW)
        assert titles(hiding_read) == ["Attention Is All You Need"]
