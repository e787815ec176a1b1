"""Unit tests for tracker.search: parsing, matching, filters, ranking, spans, cancellation."""

from __future__ import annotations

import dataclasses
import gc
import pickle
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker import search as search_module
from tracker.search import (
    STATUSES,
    FieldFilter,
    Hit,
    Query,
    QueryError,
    SearchCancelled,
    SearchIndex,
    Term,
    highlight_spans,
    parse_query,
)

# ------------------------------------------------------------------------ helpers


class FakeFacets:
    """Per-position facets backed by plain dicts (default: new, no note, no tags)."""

    def __init__(
        self,
        status: dict[int, str] | None = None,
        notes: set[int] | None = None,
        tags: dict[int, list[str]] | None = None,
        digests: dict[int, list[str]] | None = None,
    ) -> None:
        self._status = status or {}
        self._notes = notes or set()
        self._tags = tags or {}
        self._digests = digests or {}

    def status(self, pos: int) -> str:
        return self._status.get(pos, "new")

    def has_note(self, pos: int) -> bool:
        return pos in self._notes

    def tags(self, pos: int) -> Sequence[str]:
        return self._tags.get(pos, [])  # a list on purpose: unhashable must work

    def digest_keys(self, pos: int) -> Sequence[str]:
        return self._digests.get(pos, [])


NO_FACETS = FakeFacets()

PAPERS = [
    ("Pointer Networks", "We introduce a neural architecture to learn pointers."),
    ("Efficiently Modeling Long Sequences with Structured State Spaces", "The S4 model."),
    ("Music Transformer", "Generating music with long-term structure using attention."),
    (
        "A Named Entity Based Approach to Model Recipes",
        "Traditional cooking recipes follow a structure.",
    ),
    (
        "Copyright Traps for Large Language Models",
        "Questions of fair use of copyright-protected content.",
    ),
    ("Schrödinger Bridges for Straße Networks", "Crème brûlée of diffusion models."),
]


@pytest.fixture
def index() -> SearchIndex:
    idx = SearchIndex()
    for title, abstract in PAPERS:
        idx.add(title, abstract)
    return idx


def positions(hits: Sequence[Hit]) -> list[int]:
    return [h.pos for h in hits]


def spanned(title: str, spans: Sequence[tuple[int, int]]) -> list[str]:
    return [title[s:e] for s, e in spans]


# ------------------------------------------------------------------------ parsing


def test_parse_words_negation_and_phrases() -> None:
    q = parse_query('pointer -lstm "exact phrase" -"not this"')
    assert q.terms == (
        Term("pointer"),
        Term("lstm", negated=True),
        Term("exact phrase", phrase=True),
        Term("not this", negated=True, phrase=True),
    )
    assert q.filters == ()
    assert q.problems == ()


def test_parse_filters() -> None:
    q = parse_query('status:new,to-read -status:read digest:"Aug 25" has:note tag:ML')
    assert q.filters == (
        FieldFilter("status", ("new", "to-read")),
        FieldFilter("status", ("read",), negated=True),
        FieldFilter("digest", ("aug 25",)),
        FieldFilter("has", ("note",)),
        FieldFilter("tag", ("ml",)),
    )
    assert q.terms == ()


@pytest.mark.parametrize(
    ("typed", "status"),
    [
        ("to", "to-read"),
        ("to_read", "to-read"),
        ("toread", "to-read"),
        ("TO-READ", "to-read"),
        ("read", "read"),
        ("readi", "reading"),
        ("n", "new"),
        ("sk", "skipped"),
    ],
)
def test_status_values_accept_prefixes_and_spellings(typed: str, status: str) -> None:
    q = parse_query(f"status:{typed}")
    assert q.filters == (FieldFilter("status", (status,)),)
    assert q.problems == ()


def test_bad_status_is_a_problem_not_an_error() -> None:
    q = parse_query("status:raed")
    assert q.problems == (
        "unknown status 'raed' (did you mean read? use new, to-read, reading, read, skipped)",
    )
    assert q.filters == (FieldFilter("status", ("raed",)),)
    ambiguous = parse_query("status:re")
    assert ambiguous.problems == ("ambiguous status 're' (could be reading, read)",)


def test_bad_has_value_is_a_problem() -> None:
    assert parse_query("has:notes").filters == (FieldFilter("has", ("note",)),)
    assert parse_query("has:tags").filters == (FieldFilter("has", ("tag",)),)
    q = parse_query("has:pdf")
    assert q.problems == ("unknown has: value 'pdf' (use note, tag)",)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"unclosed phrase', Query((Term("unclosed phrase", phrase=True),), ())),
        ("word -", Query((Term("word"),), ())),
        ("-", Query((), ())),
        ("status:", Query((), ())),
        ("status:new,", Query((), (FieldFilter("status", ("new",)),))),
        ('digest:"Aug', Query((), (FieldFilter("digest", ("aug",)),))),
        ('""', Query((), ())),
        ("   ", Query((), ())),
    ],
)
def test_partial_input_parses(text: str, expected: Query) -> None:
    assert parse_query(text) == expected


def test_unknown_field_is_a_plain_word() -> None:
    assert parse_query("foo:bar").terms == (Term("foo:bar"),)
    assert parse_query("https://example.org").terms == (Term("https://example.org"),)


def test_field_names_ignore_case_and_quoted_values_keep_commas() -> None:
    q = parse_query('Digest:"Oct 7, 2024",mar')
    assert q.filters == (FieldFilter("digest", ("oct 7, 2024", "mar")),)


def test_smart_quotes_make_phrases() -> None:
    assert parse_query("\u201cstate space\u201d").terms == (Term("state space", phrase=True),)


def test_is_empty() -> None:
    assert parse_query("").is_empty
    assert parse_query("status:").is_empty
    assert not parse_query("x").is_empty
    assert not parse_query("has:note").is_empty


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_parse_query_never_raises(text: str) -> None:
    q = parse_query(text)
    assert isinstance(q, Query)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from('ab c-":,\u00e9\u00df\u0301_1sttus:ratgdhn')))
def test_parse_query_never_raises_on_syntax_heavy_text(text: str) -> None:
    parse_query(text)


_VALUE_CHARS = st.characters(whitelist_categories=("Ll", "Lu", "Nd"), whitelist_characters="-_.' ,")


def _filter_strategy() -> st.SearchStrategy[FieldFilter]:
    text_value = st.text(_VALUE_CHARS, min_size=1, max_size=12).map(
        lambda v: " ".join(v.casefold().split())
    )
    values = {
        "status": st.sampled_from(STATUSES),
        "has": st.sampled_from(("note", "tag")),
        "digest": text_value.filter(bool),
        "tag": text_value.filter(bool),
        "note": text_value.filter(bool),
    }
    return st.sampled_from(sorted(values)).flatmap(
        lambda field: st.builds(
            FieldFilter,
            st.just(field),
            st.lists(values[field], min_size=1, max_size=3).map(tuple),
            st.booleans(),
        )
    )


def _render(flt: FieldFilter) -> str:
    def quote(v: str) -> str:
        return f'"{v}"' if any(c in v for c in ' ,"') else v

    return ("-" if flt.negated else "") + flt.field + ":" + ",".join(map(quote, flt.values))


@settings(max_examples=300, deadline=None)
@given(st.lists(_filter_strategy(), max_size=4))
def test_filters_round_trip(filters: list[FieldFilter]) -> None:
    text = " ".join(_render(f) for f in filters)
    q = parse_query(text)
    assert q.filters == tuple(filters), text
    assert q.terms == ()
    assert q.problems == ()


# ---------------------------------------------------------------------- matching


def test_empty_query_returns_everything_in_index_order(index: SearchIndex) -> None:
    hits = index.search("", NO_FACETS)
    assert positions(hits) == list(range(len(PAPERS)))
    assert all(h.score == 0 and h.title_spans == () for h in hits)
    assert positions(index.search("", NO_FACETS, limit=2)) == [0, 1]


def test_typo_prefix_and_order(index: SearchIndex) -> None:
    assert positions(index.search("poiner netwroks", NO_FACETS))[:1] == [0]
    assert positions(index.search("trasnformer", NO_FACETS))[:1] == [2]
    assert positions(index.search("struct state", NO_FACETS)) == [1]
    assert positions(index.search("networks pointer", NO_FACETS))[:1] == [0]


def test_all_positive_terms_must_match(index: SearchIndex) -> None:
    assert positions(index.search("pointer", NO_FACETS)) == [0]
    assert index.search("pointer music", NO_FACETS) == []


def test_abstract_only_match(index: SearchIndex) -> None:
    hits = index.search("cooking", NO_FACETS)
    assert positions(hits) == [3]
    assert hits[0].abstract_only
    assert hits[0].title_spans == ()


def test_accents_and_case_fold(index: SearchIndex) -> None:
    assert positions(index.search("SCHRODINGER", NO_FACETS)) == [5]
    assert positions(index.search("strasse", NO_FACETS)) == [5]
    assert positions(index.search("creme brulee", NO_FACETS)) == [5]


def test_exact_beats_prefix_beats_fuzzy() -> None:
    idx = SearchIndex()
    idx.add("Modal logic", "")  # 'model' with one typo
    idx.add("Modeling things", "")  # 'model' is a prefix
    idx.add("A model", "")  # exact
    assert positions(idx.search("model", NO_FACETS)) == [2, 1, 0]


def test_ties_keep_index_order() -> None:
    idx = SearchIndex()
    for _ in range(5):
        idx.add("Same title", "")
    assert positions(idx.search("same", NO_FACETS)) == [0, 1, 2, 3, 4]


def test_scores_are_non_increasing(index: SearchIndex) -> None:
    hits = index.search("model", NO_FACETS)
    assert len(hits) >= 3
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_limit(index: SearchIndex) -> None:
    assert len(index.search("model", NO_FACETS, limit=1)) == 1
    assert index.search("model", NO_FACETS, limit=0) == []


def test_results_read_like_a_list_of_hits(index: SearchIndex) -> None:
    hits = index.search("model", NO_FACETS)
    as_list = [hits[i] for i in range(len(hits))]
    assert hits == as_list and as_list == list(hits)
    assert hits[-1] == as_list[-1] and hits[1:3] == as_list[1:3]
    assert hits[0] is hits[0]  # made once, then kept (spans are computed once)
    assert [hits.pos_at(i) for i in range(len(hits))] == positions(as_list)
    assert list(hits.positions) == positions(as_list)
    assert hits.index_of(as_list[1].pos) == 1
    assert hits.index_of(-7) is None
    with pytest.raises(IndexError):
        hits[len(hits)]
    assert hits != [*as_list[:-1], dataclasses.replace(as_list[-1], score=-1.0)]
    assert hits != as_list[:-1]
    assert "HitList" in repr(hits)


def test_filter_only_results_are_plain_hits(index: SearchIndex) -> None:
    hits = index.search("-music", NO_FACETS)
    assert all(type(h) is Hit and h.score == 0.0 and not h.abstract_only for h in hits)


def test_camel_case_and_compounds() -> None:
    idx = SearchIndex()
    idx.add("CopySpec: speculative decoding", "")
    idx.add("Pre-trained Multi-Modal models", "")
    assert positions(idx.search("copy spec", NO_FACETS)) == [0]
    assert positions(idx.search("pretrained multimodal", NO_FACETS)) == [1]
    assert positions(idx.search("pre trained", NO_FACETS)) == [1]


def test_short_words_match_abstracts_only_whole() -> None:
    idx = SearchIndex()
    idx.add("Nothing here", "We use RNNs and an SSM.")
    assert positions(idx.search("rnn", NO_FACETS)) == [0]  # plural counts
    assert positions(idx.search("ssm", NO_FACETS)) == [0]
    assert idx.search("ss", NO_FACETS) == []  # but not a prefix of an abstract word
    assert positions(idx.search("noth", NO_FACETS)) == [0]  # titles match by prefix


def test_results_do_not_vanish_while_a_word_is_typed(index: SearchIndex) -> None:
    # "use" is only in the abstract; every prefix of it must keep the paper.
    for typed in ("fair", "fair u", "fair us", "fair use"):
        assert 4 in positions(index.search(typed, NO_FACETS)), typed
    hits = index.search("fair us", NO_FACETS)
    assert hits[0].pos == 4 and hits[0].abstract_only


def test_a_short_word_being_typed_starts_a_word_of_the_index_in_an_abstract() -> None:
    """Among the few papers the other words leave, a word of one to three letters matches
    an abstract word it starts, as the index splits them: a name's parts count
    ("ll" of InfLLM, as "infl" or "llm" would), the middle of a word does not."""
    idx = SearchIndex()
    idx.add("Extending context windows", "We build on InfLLM for memory.")
    idx.add("Extending recurrent networks", "A small study.")
    idx.add("Unrelated", "We build on InfLLM too.")
    assert positions(idx.search("extending ll", NO_FACETS)) == [0]
    assert positions(idx.search("extending sm", NO_FACETS)) == [1]
    assert idx.search("extending tud", NO_FACETS) == []  # inside "study"


def test_a_short_last_word_finds_the_same_papers_with_or_without_the_letters_made_ahead() -> None:
    """A letter typed after other words ("beam s") matches the papers whose abstract has a
    word starting with it: through the frequent words' bitmaps when they cover every
    candidate, else through every word's postings; the same before and after the app's
    index made the letters' bitmaps ahead (``warms_bitmaps``)."""
    for warm in (False, True):
        idx = SearchIndex()
        idx.warms_bitmaps = warm
        for k in range(200):  # "study" and "some" are frequent words, "sxq7" is a rare one
            idx.add(f"Paper {k} on some models", f"We study some models, {k}.")
        decoding = idx.add("Beam decoding", "We study beams.")
        pruning = idx.add("Beam pruning", "A rare sxq7 word.")
        idx.add("Beam widths", "Nothing here.")  # no word of its abstract starts with s
        idx.build()
        if warm:
            assert idx.warming is not None
            idx.warming.join(10)
            for title in (False, True):  # made in steps, the same as made at once
                letters = idx._by_prefix.get("s", ())
                assert idx._letter_cache[title, "s"] == idx._bits([letters], title=title)
        assert sorted(positions(idx.search("beam s", NO_FACETS))) == [decoding, pruning]
        assert positions(idx.search("beam decoding s", NO_FACETS)) == [decoding]
        assert positions(idx.search("beam pruning s", NO_FACETS)) == [pruning]
        assert positions(idx.search("beam sxq", NO_FACETS)) == [pruning]


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=30))
def test_search_never_raises(text: str) -> None:
    idx = SearchIndex()
    for title, abstract in PAPERS:
        idx.add(title, abstract)
    hits = idx.search(text, NO_FACETS)
    assert len({h.pos for h in hits}) == len(hits)
    for h in hits:
        title = PAPERS[h.pos][0]
        assert all(0 <= s < e <= len(title) for s, e in h.title_spans)


# ---------------------------------------------------------------------- negation


def test_negated_word_excludes_papers_containing_it(index: SearchIndex) -> None:
    assert 4 not in positions(index.search("model -copyright", NO_FACETS))
    assert 4 in positions(index.search("model", NO_FACETS))


def test_negation_covers_plurals_and_abstracts(index: SearchIndex) -> None:
    everything = set(range(len(PAPERS)))
    assert set(positions(index.search("-network", NO_FACETS))) == everything - {0, 5}
    assert set(positions(index.search("-cooking", NO_FACETS))) == everything - {3}


def test_negation_only_query_keeps_index_order(index: SearchIndex) -> None:
    hits = index.search("-music", NO_FACETS)
    assert positions(hits) == [0, 1, 3, 4, 5]
    assert all(h.score == 0 for h in hits)


def test_negated_phrase(index: SearchIndex) -> None:
    assert positions(index.search('-"fair use"', NO_FACETS)) == [0, 1, 2, 3, 5]
    assert 4 in positions(index.search('-"use fair"', NO_FACETS))


# ----------------------------------------------------------------------- phrases


def test_phrase_is_a_case_insensitive_substring(index: SearchIndex) -> None:
    assert positions(index.search('"STATE SPACES"', NO_FACETS)) == [1]
    assert positions(index.search('"tate spa"', NO_FACETS)) == [1]  # mid-word edges
    assert index.search('"spaces state"', NO_FACETS) == []
    assert positions(index.search('"fair use of"', NO_FACETS)) == [4]  # in the abstract
    assert positions(index.search('"copyright-protected"', NO_FACETS)) == [4]


def test_phrase_single_word_matches_inside_words(index: SearchIndex) -> None:
    assert positions(index.search('"former"', NO_FACETS)) == [2]


def test_phrase_and_words_combine(index: SearchIndex) -> None:
    assert positions(index.search('"long sequences" struct', NO_FACETS)) == [1]
    assert index.search('"long sequences" music', NO_FACETS) == []


def test_phrase_with_accents(index: SearchIndex) -> None:
    hits = index.search('"schrodinger bridges"', NO_FACETS)
    assert positions(hits) == [5]
    assert spanned(PAPERS[5][0], hits[0].title_spans) == ["Schrödinger Bridges"]


# ----------------------------------------------------------------------- filters


def facets_for_filters() -> FakeFacets:
    return FakeFacets(
        status={0: "read", 1: "to-read", 2: "reading", 3: "skipped"},
        notes={1, 4},
        tags={2: ["ML", "music"], 4: ["law"]},
        digests={
            0: ["aug 25", "d-aug", "2024-08-25"],
            1: ["mar 17", "d-mar", "2025-03-17"],
            2: ["aug 25", "d-aug", "2024-08-25", "mar 17", "d-mar", "2025-03-17"],
        },
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status:read", [0]),
        ("status:new", [4, 5]),
        ("status:new,to-read", [1, 4, 5]),
        ("-status:new", [0, 1, 2, 3]),
        ("-status:read", [1, 2, 3, 4, 5]),
        ("status:to", [1]),
        ("status:raed", []),  # a bad value matches nothing
        ("-status:raed", [0, 1, 2, 3, 4, 5]),  # ... so its negation excludes nothing
        ("has:note", [1, 4]),
        ("-has:note", [0, 2, 3, 5]),
        ("has:tag", [2, 4]),
        ("has:note,tag", [1, 2, 4]),
        ("has:pdf", []),
        ("tag:ml", [2]),
        ("tag:LAW,music", [2, 4]),
        ("-tag:ml", [0, 1, 3, 4, 5]),
        ('digest:"aug 25"', [0, 2]),
        ("digest:aug", [0, 2]),
        ("digest:2025", [1, 2]),
        ("digest:d-mar", [1, 2]),
        ("digest:mar,aug", [0, 1, 2]),
        ("-digest:aug", [1, 3, 4, 5]),
        ("status:read,reading digest:aug", [0, 2]),
    ],
)
def test_filters(index: SearchIndex, query: str, expected: list[int]) -> None:
    hits = index.search(query, facets_for_filters())
    assert positions(hits) == expected
    assert all(h.score == 0 for h in hits)


def test_filters_with_terms(index: SearchIndex) -> None:
    facets = facets_for_filters()
    # "model" is in the titles of 3 and 4 (and "Modeling" in 1's), the abstracts of 1 and 5.
    assert positions(index.search("model status:new", facets)) == [4, 5]
    assert sorted(positions(index.search("model -status:new", facets))) == [1, 3]
    assert index.search("pointer status:new", facets) == []


def test_hand_built_filter_with_unknown_field_is_rejected(index: SearchIndex) -> None:
    query = Query((), (FieldFilter("colour", ("red",)),))
    with pytest.raises(QueryError, match="unknown filter field 'colour'"):
        index.search(query, NO_FACETS)


def test_accepts_a_parsed_query(index: SearchIndex) -> None:
    q = parse_query("music")
    assert index.search(q, NO_FACETS) == index.search("music", NO_FACETS)


# -------------------------------------------------------------------------- spans


@pytest.mark.parametrize(
    ("title", "query", "expected"),
    [
        ("Pointer Networks", "pointer", ["Pointer"]),
        ("Pointer Networks", "poiner netwroks", ["Pointer", "Networks"]),
        ("Structured State Spaces", "struct", ["Struct"]),
        ("Structured State Spaces", "STATE", ["State"]),
        ("Structured State Spaces", '"state space"', ["State Space"]),
        ("Schrödinger Bridges", "schrodinger", ["Schrödinger"]),
        ("Schrödinger Bridges", "schrö", ["Schrö"]),
        ("Große Straße", "strasse", ["Straße"]),
        ("Große Straße", "stras", ["Straße"]),  # folding changed the length: whole word
        ("ÉCOLE normale", "ecole", ["ÉCOLE"]),
        ("Set-Based Prompting", "setbased", ["Set-Based"]),
        ("Set-Based Prompting", "setb", ["Set-B"]),
        ("CopySpec: Copy", "spec", ["Spec"]),
        ("Music Transformer", "music -transformer", ["Music"]),  # negations don't light up
        ("Music Transformer", "status:read", []),
        ("a-b", '"-"', []),  # a phrase without letters is ignored
    ],
)
def test_highlight_spans(title: str, query: str, expected: list[str]) -> None:
    spans = highlight_spans(title, query)
    assert spanned(title, spans) == expected
    assert list(spans) == sorted(spans)


def test_spans_are_merged() -> None:
    title = "State Space"
    assert highlight_spans(title, '"state space" state') == ((0, 11),)


def test_hit_spans_equal_highlight_spans(index: SearchIndex) -> None:
    for query in ("struct state", "model", '"fair use"', "schrödinger networks", "m"):
        for hit in index.search(query, NO_FACETS):
            assert hit.title_spans == highlight_spans(PAPERS[hit.pos][0], query)


def test_spans_with_decomposed_accents() -> None:
    title = "Cafe\u0301 Society"  # 'é' as 'e' + combining accent
    assert spanned(title, highlight_spans(title, "cafe")) == ["Cafe\u0301"]


# -------------------------------------------------------------------------- hits


def test_hits_behave_like_plain_hits(index: SearchIndex) -> None:
    hit = index.search("pointer", NO_FACETS)[0]
    plain = Hit(hit.pos, hit.score, hit.title_spans, hit.abstract_only)
    assert hit == plain
    assert plain == hit
    assert hash(hit) == hash(plain)
    assert repr(hit) == repr(plain)
    assert pickle.loads(pickle.dumps(hit)) == plain
    assert dataclasses.replace(hit, score=9.0) == dataclasses.replace(plain, score=9.0)
    assert isinstance(hit, Hit)
    with pytest.raises(dataclasses.FrozenInstanceError):
        hit.score = 1.0  # type: ignore[misc]


# ------------------------------------------------------------------- cancellation


def test_cancelled_search_raises(index: SearchIndex) -> None:
    with pytest.raises(SearchCancelled):
        index.search("model", NO_FACETS, cancelled=lambda: True)
    with pytest.raises(SearchCancelled):
        index.search("status:read", facets_for_filters(), cancelled=lambda: True)


def test_cancellation_is_polled_during_a_long_search() -> None:
    idx = SearchIndex()
    for i in range(3000):
        idx.add(f"Paper {i} about models", "")
    calls = 0

    def cancelled() -> bool:
        nonlocal calls
        calls += 1
        return calls > 3

    with pytest.raises(SearchCancelled):
        idx.search("model", NO_FACETS, cancelled=cancelled)
    assert calls == 4
    assert len(idx.search("model", NO_FACETS, cancelled=lambda: False)) == 3000


# ------------------------------------------------------------------------ update


def test_update_replaces_the_text(index: SearchIndex) -> None:
    index.update(0, "Pointer Sentinel Mixture Models", "A longer abstract about sentinels.")
    assert positions(index.search("sentinel", NO_FACETS)) == [0]
    assert index.search("networks pointer", NO_FACETS) == []
    assert index.search("architecture", NO_FACETS) == []  # the old abstract is gone
    assert positions(index.search('"sentinel mixture"', NO_FACETS)) == [0]
    assert len(index) == len(PAPERS)
    assert positions(index.search("pointer", NO_FACETS)) == [0]
    assert index.search("pointer", NO_FACETS)[0].title_spans == ((0, 7),)


def test_update_keeps_postings_sorted() -> None:
    idx = SearchIndex()
    for _ in range(4):
        idx.add("Alpha", "")
    idx.update(1, "Beta", "")
    assert positions(idx.search("alpha", NO_FACETS)) == [0, 2, 3]
    idx.update(1, "Alpha", "")  # back in the middle of the posting lists
    assert positions(idx.search("alpha", NO_FACETS)) == [0, 1, 2, 3]
    assert positions(idx.search("", NO_FACETS)) == [0, 1, 2, 3]
    with pytest.raises(IndexError):
        idx.update(9, "x", "")


def test_add_returns_positions() -> None:
    idx = SearchIndex()
    assert [idx.add(f"t{i}", "") for i in range(3)] == [0, 1, 2]
    assert len(idx) == 3


# ------------------------------------------------------------------ large results


@pytest.fixture
def big_index() -> SearchIndex:
    idx = SearchIndex()
    words = ["alpha", "beta", "gamma", "delta", "sigma", "omega"]
    for i in range(6000):
        title = f"{words[i % 6]} {words[(i // 6) % 6]} study {i}"
        abstract = "signal processing" if i % 3 == 0 else "nothing"
        idx.add(title, abstract)
    return idx


def test_large_result_sets_are_ordered_by_tiers(big_index: SearchIndex) -> None:
    hits = big_index.search("s", NO_FACETS)
    assert len(hits) == 6000  # every title has "study"
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
    sig = big_index.search("sig", NO_FACETS)  # "sigma" in titles; short, so not abstracts
    assert all(not h.abstract_only for h in sig)
    signal = big_index.search("signal", NO_FACETS)
    assert signal and all(h.abstract_only for h in signal)
    assert positions(big_index.search("sigma", NO_FACETS, limit=3)) == [4, 10, 16]


def test_a_large_tier_marks_the_papers_matched_in_no_title() -> None:
    # More candidates than are scored one by one, none with every word in its
    # title: the ones with some word in the title are not abstract-only.
    idx = SearchIndex()
    for i in range(3000):
        title = f"processing study {i}" if i % 2 else f"study {i}"
        idx.add(title, "signal processing of signals")
    hits = idx.search("signal processing", NO_FACETS)
    assert len(hits) == 3000
    assert {h.pos for h in hits if h.abstract_only} == set(range(0, 3000, 2))
    phrase = idx.search('signal "study"', NO_FACETS)
    assert len(phrase) == 3000 and not any(h.abstract_only for h in phrase)


def test_what_searches_drop_is_freed_by_release_or_two_searches_later(
    big_index: SearchIndex,
) -> None:
    typed = ["s", "si", "sig", "sigm", "sigma", "sigma s", "sigma st", "sigma stu"]
    for text in typed:
        big_index.search(text, NO_FACETS)
    # A command never calls release(): only the last two searches' leftovers stay.
    assert len(big_index._dropped) <= 4
    kept = big_index.search("sigma stu", NO_FACETS)
    big_index.release()
    assert big_index._dropped == []
    assert big_index.search("sigma stu", NO_FACETS) == kept
    fresh = SearchIndex()
    for pos in range(len(big_index)):
        fresh.add(big_index._titles[pos], big_index._abstracts[pos])
    assert fresh.search("sigma stu", NO_FACETS) == kept


@pytest.mark.parametrize("query", ["s", "sigma", "sigma st", "signal", "alpha beta"])
def test_limit_returns_the_top_of_the_full_list(big_index: SearchIndex, query: str) -> None:
    full = big_index.search(query, NO_FACETS)
    for limit in (1, 7, 100, 2500):
        assert big_index.search(query, NO_FACETS, limit=limit) == full[:limit]


def test_gc_state_is_restored(big_index: SearchIndex) -> None:
    assert gc.isenabled()
    big_index.search("s", NO_FACETS)
    assert gc.isenabled()
    gc.disable()
    try:
        big_index.search("s", NO_FACETS)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_typing_reuses_work_but_never_goes_stale(index: SearchIndex) -> None:
    index.search("music transf", NO_FACETS)
    index.add("Music Theory", "")
    assert positions(index.search("music", NO_FACETS)) == [2, 6]


def test_module_exports() -> None:
    exported = set(search_module.__all__)
    assert {"parse_query", "SearchIndex", "Hit", "Query", "highlight_spans"} <= exported


# ---------------------------------------------------------------------- names


def _named_index() -> SearchIndex:
    idx = SearchIndex()
    idx.add("Sparse routing with VeloRant for long inputs", "We extend VeloRant to routing.")
    idx.add("VeloRant: Fast Sparse Routing", "We introduce VeloRant, a router.")
    idx.add("MrT5: Dynamic Token Merging for Byte-level Models", "A byte model.")
    idx.add("States of the art", "Survey of states.")
    idx.add("State space models", "Linear recurrences.")
    return idx


def test_the_paper_with_the_name_comes_before_a_paper_that_mentions_it() -> None:
    idx = _named_index()
    for query in ("velorant", "velo rant", "velor", "velorant routing"):
        assert positions(idx.search(query, NO_FACETS))[0] == 1, query


def test_two_typed_words_match_a_name_written_as_one() -> None:
    idx = _named_index()
    # No word of MrT5's title or abstract starts with "t5": only "mr"+"t5" matches.
    assert positions(idx.search("mr t5 byte", NO_FACETS)) == [2]
    assert positions(idx.search("mrt5", NO_FACETS)) == [2]
    assert highlight_spans("MrT5: Dynamic", "mr t5") == ((0, 4),)


def test_two_words_are_joined_only_when_the_second_is_more_than_a_letter() -> None:
    from tracker.search.matching import may_join

    # "state s" is "state s|pace" being typed, not "states".
    assert not may_join("state", "s")
    assert may_join("mr", "t5") and may_join("re", "search")
    assert not may_join("a", "b")  # "ab" is too short to stand for a name
    idx = SearchIndex()
    idx.add("Retrieval", "A research agenda.")
    assert positions(idx.search("re search", NO_FACETS)) == [0]


def test_one_part_of_a_name_is_a_word_of_its_own_not_the_name() -> None:
    idx = SearchIndex()
    idx.add("SequenceMatch: Imitation Learning for Decoding", "")
    idx.add("Decoding every sequence", "")
    idx.add("Mamba-360: A Survey", "")
    idx.add("A survey of mamba", "")
    # "sequence" is a word of many titles; only more of the name says SequenceMatch.
    assert positions(idx.search("sequence", NO_FACETS))[0] == 1
    assert positions(idx.search("sequencem", NO_FACETS))[0] == 0
    assert positions(idx.search("sequence match", NO_FACETS))[0] == 0
    assert positions(idx.search("mamba", NO_FACETS))[0] == 3
    assert positions(idx.search("mamba 360", NO_FACETS))[0] == 2


def test_a_misspelt_field_is_a_problem_naming_the_field_meant() -> None:
    """Issue 16 point 4: stauts:read gave 0 results and said nothing."""
    assert parse_query("stauts:read").problems == (
        "unknown field 'stauts:': did you mean status:?",
    )
    assert parse_query("-auther:Dao").problems == (
        "unknown field 'auther:': did you mean author:?",
    )
    assert parse_query("tags:ssm").problems == ("unknown field 'tags:': did you mean tag:?",)
    # Words with a colon that are no field stay plain words, without a problem.
    for text in ("arXiv:2410.05434", "Re:Invent", "https://arxiv.org/abs/1", "Mamba: linear"):
        q = parse_query(text)
        assert q.problems == () and q.terms, text


class ListingFacets(FakeFacets):
    """FakeFacets that also list their annotated papers, as the library's facets do:
    status, note and tag filters are then answered from that list (filters.filter_bits)."""

    def annotated(self) -> list[tuple[int, str, bool, Sequence[str]]]:
        marked = set(self._status) | self._notes | set(self._tags)
        return [(p, self.status(p), self.has_note(p), self.tags(p)) for p in sorted(marked)]


@pytest.mark.parametrize(
    "query",
    [
        "status:read",
        "status:new",
        "status:new,read",
        "-status:read",
        "-status:new",
        "has:note",
        "has:tag",
        "has:note,tag",
        "-has:note",
        "tag:ml",
        "-tag:ml",
        "tag:ml status:to-read",
        "model status:new",
        "model -status:new has:note",
        "model tag:ML",
        "status:read digest:aug",
        "-model status:new",
    ],
)
def test_filters_from_the_annotated_papers_alone_keep_what_asking_each_paper_keeps(
    index: SearchIndex, query: str
) -> None:
    """The library's facets list their annotated papers and the filters read only those;
    the result is what asking every paper gives (the only way for facets that cannot)."""
    for k in range(4):  # papers nobody annotated: new, no note, no tags
        index.add(f"Another model {k}", "Nothing to say about it.")
    kwargs = {
        "status": {0: "read", 1: "to-read", 3: "new"},
        "notes": {1, 5},
        "tags": {1: ["ML"], 2: ["other"], 4: []},
        "digests": {0: ["aug 25"], 3: ["aug 25"], 4: ["sep 1"]},
    }
    asked = index.search(query, FakeFacets(**kwargs))  # type: ignore[arg-type]
    listed = index.search(query, ListingFacets(**kwargs))  # type: ignore[arg-type]
    assert list(listed) == list(asked)
    for limit in (1, 2):
        assert list(index.search(query, ListingFacets(**kwargs), limit=limit)) == list(  # type: ignore[arg-type]
            index.search(query, FakeFacets(**kwargs), limit=limit)  # type: ignore[arg-type]
        )
