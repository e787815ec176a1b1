"""Bitmaps of positions (tracker/search/bits.py) and the ranked hits kept as bitmaps (hits.Ordered)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tracker.search.bits import Membership, first_positions, of_positions, positions, rank_of
from tracker.search.highlight import Highlighter
from tracker.search.hits import HEAD, NoFacets, Ordered, Scored, SpanSource, ranked_hits
from tracker.search.matching import Plan
from tracker.search.query import parse_query

SIZE = 3000
position_sets = st.sets(st.integers(0, SIZE - 1), max_size=400) | st.sets(
    st.integers(0, 200), min_size=150
)


@given(position_sets)
def test_positions_come_back_ascending(found: set[int]) -> None:
    bits = of_positions(found, SIZE)
    assert bits.bit_count() == len(found)
    assert positions(bits) == sorted(found)


@given(position_sets, st.integers(-1, 500))
def test_first_positions(found: set[int], count: int) -> None:
    bits = of_positions(found, SIZE)
    want = sorted(found) if count < 0 else sorted(found)[:count]
    assert first_positions(bits, count) == want


@given(position_sets, st.integers(0, SIZE + 20))
def test_membership_and_rank(found: set[int], pos: int) -> None:
    bits = of_positions(found, SIZE)
    assert (pos in Membership(bits)) == (pos in found)
    assert rank_of(bits, pos) == sum(1 for p in found if p < pos)


def test_dense_and_sparse_bitmaps_read_alike() -> None:
    dense = set(range(0, 5000, 2))  # one position in two: read by a pass over all of them
    sparse = set(range(0, 5000, 97))  # walked byte by byte
    for found in (dense, sparse):
        assert positions(of_positions(found, 5000)) == sorted(found)


def _source(titles: list[str]) -> SpanSource:
    return SpanSource(titles, Highlighter(Plan.of(parse_query("paper"))))


def test_ranked_parts_read_as_the_lists_they_stand_for() -> None:
    """Scored hits first, then a tier in index order: read row by row, past the
    first screenful too, the same hits as plain lists would give."""
    titles = [f"paper {i}" for i in range(1000)]
    tier = set(range(10, 1000, 3))
    scored = Scored([7, 2, 5], [2.0, 1.5, 1.5], [False, True, False])
    titles_matched = of_positions(set(range(0, 1000, 2)), 1000)  # even papers: in a title
    ordered = Ordered(of_positions(tier, 1000), 200, 0.3, titles_matched)
    hits = ranked_hits([scored, ordered], _source(titles))
    expected_pos = [7, 2, 5, *sorted(tier)[:200]]
    assert len(hits) == 203
    assert [h.pos for h in hits] == expected_pos
    assert [h.score for h in hits] == [2.0, 1.5, 1.5, *[0.3] * 200]
    assert [h.abstract_only for h in hits] == [False, True, False] + [
        p % 2 == 1 for p in sorted(tier)[:200]
    ]
    assert list(hits.positions) == expected_pos
    for row in (0, 3, 3 + HEAD - 1, 3 + HEAD, 202):
        assert hits.pos_at(row) == expected_pos[row]
        assert hits.index_of(expected_pos[row]) == row
    assert hits.index_of(sorted(tier)[200]) is None  # in the tier, past the hits taken
    assert hits.index_of(11) is None  # not in the tier
    assert hits[-1].pos == expected_pos[-1]


def test_a_tier_read_past_its_head_first() -> None:
    """The row far down read before any other (the list jumps to the end): all positions."""
    tier = set(range(0, 900, 2))
    titles = [f"paper {i}" for i in range(900)]
    hits = ranked_hits([Ordered(of_positions(tier, 900), 450, 1.0, None)], _source(titles))
    assert hits.pos_at(449) == 898
    assert hits.pos_at(0) == 0
    assert not hits[5].abstract_only
    assert hits[5].title_spans == ((0, 5),)


def test_the_apps_build_ends_with_the_frequent_words_bitmaps_made() -> None:
    """The app's index (``warms_bitmaps``) makes every frequent word's bitmap after its
    build (in a thread), so that no keystroke waits for one; a command's makes none."""
    from tracker.search import SearchIndex

    for warm in (True, False):
        idx = SearchIndex()
        idx.warms_bitmaps = warm
        for k in range(200):
            idx.add(f"Paper {k} on models", f"We study models and word{k}.")
        idx.build()
        if warm:
            assert idx.warming is not None
            idx.warming.join(10)
        else:
            assert idx.warming is None
        models = idx._ids["models"]
        rare = idx._ids["word7"]
        assert (models in idx._bit_cache[1]) is warm  # in every abstract: frequent
        assert (models in idx._bit_cache[0]) is warm
        assert rare not in idx._bit_cache[1]  # in one paper: set bit by bit when used
        hits = idx.search("models", NoFacets())
        assert len(hits) == 200


def test_the_bitmaps_are_made_in_the_pauses_between_searches() -> None:
    """The bitmaps thread waits while searches come (a key's search and frame first) and
    makes them once the searches pause."""
    import time

    from tracker.search import SearchIndex

    idx = SearchIndex()
    idx.warms_bitmaps = True
    for k in range(200):
        idx.add(f"Paper {k} on models", f"We study models and word{k}.")
    idx.searched_at = time.monotonic() + 0.3  # as if a search had just started
    idx.build()
    assert idx.warming is not None
    idx.warming.join(0.1)
    assert idx.warming.is_alive()  # still waiting for the pause
    assert idx._ids["models"] not in idx._bit_cache[1]
    idx.warming.join(10)
    assert not idx.warming.is_alive()
    assert idx._ids["models"] in idx._bit_cache[1]
