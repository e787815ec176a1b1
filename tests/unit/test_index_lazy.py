"""A command's index: postings read from the saved file when a query asks for them.

`tracker list QUERY` loads the saved index lazily (tracker/search/lazy_postings.py):
only the vocabulary and its tables, the postings of the words the query uses
later. Whatever it reads, a search must give exactly what a full build and a
full load give: the same hits, in the same order, with the same scores and
highlights, and the same related papers.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker.library import Library
from tracker.search import NoFacets, SearchIndex
from tracker.search.index_file import INDEX_FILE, IndexFile
from tracker.search.lazy_postings import LazyPostings
from tracker.search.related import related

PAPERS = 10_000


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], list[str], list[str]]:
    """The benchmark's 10,000-paper library: titles, abstracts and queries (as typed, key by key)."""
    from benchmarks import synth
    from benchmarks.queries import KEYSTROKE_QUERIES, SEED_QUALITY_QUERIES

    lib = synth.generate(PAPERS, tmp_path_factory.mktemp("synth"), keep_texts=True)
    typed = [*KEYSTROKE_QUERIES, *lib.typed_words]
    # As typed: the first letters (the most hits), half the query, all of it.
    queries = [q[:k] for q in typed for k in sorted({1, 2, 3, len(q) // 2, len(q)}) if k]
    queries += [q for _, q, _ in SEED_QUALITY_QUERIES]
    queries += [q for _, q, _ in lib.quality_queries]
    return lib.titles, lib.abstracts, list(dict.fromkeys(queries))


def _index(titles: list[str], abstracts: list[str], store: IndexFile | None) -> SearchIndex:
    index = SearchIndex()
    index.store = store
    for title, abstract in zip(titles, abstracts, strict=True):
        index.add(title, abstract)
    return index


SPANS_OF = 30
"""Hits whose highlights are compared (each is worked out when its row is shown)."""


def _seen(index: SearchIndex, query: str) -> list[tuple[int, float, bool, object]]:
    return [
        (h.pos, h.score, h.abstract_only, h.title_spans if k < SPANS_OF else None)
        for k, h in enumerate(index.search(query, NoFacets()))
    ]


def test_a_lazily_loaded_index_finds_what_a_full_one_finds(
    synthetic: tuple[list[str], list[str], list[str]], tmp_path: Path
) -> None:
    titles, abstracts, queries = synthetic
    path = tmp_path / INDEX_FILE
    built = _index(titles, abstracts, IndexFile(path))
    assert built.build() and path.exists()  # built from the texts, and saved
    loaded = _index(titles, abstracts, IndexFile(path))
    lazy = _index(titles, abstracts, IndexFile(path, lazy=True))
    assert lazy.build() and loaded.build()
    assert isinstance(lazy._tpost, LazyPostings) and isinstance(lazy._apost, LazyPostings)
    assert not isinstance(loaded._tpost, LazyPostings)
    words = len(lazy._tpost)
    assert lazy._tpost.unread() == lazy._apost.unread() == words  # nothing read yet

    first = _seen(lazy, "trasnformer attention")
    # One query reads the postings of the words it expands to, a small share.
    assert lazy._tpost.unread() > 0.95 * words and lazy._apost.unread() > 0.95 * words
    assert first == _seen(built, "trasnformer attention")

    assert len(queries) > 250
    for k, query in enumerate(queries):
        expected = _seen(built, query)
        assert _seen(lazy, query) == expected, query
        if k % 3 == 0:  # the full load is compared on more queries in test_index_file.py
            assert _seen(loaded, query) == expected, query
    for pos in range(0, PAPERS, 997):
        assert related(lazy, pos) == related(built, pos) == related(loaded, pos)


def test_a_damaged_posting_found_by_a_query_is_never_used(
    data_dir: Path, seeds: list[Path]
) -> None:
    """The postings a lazy load reads later are checked then; damaged, the index is built anew."""
    with Library.open(data_dir) as lib:
        lib.import_files(seeds)
        assert lib.build_index()
        expected = [(r.paper.id, r.hit.score) for r in lib.query("transformer language")]
    path = data_dir / INDEX_FILE
    data = bytearray(path.read_bytes())
    # A byte of the title postings of "transformer", which the query reads.
    with Library.open(data_dir, readonly=True, lazy=True) as lib:
        store = lib.index.store
        assert isinstance(store, IndexFile) and store.lazy
        state = store.load()
        assert state is not None and state.lookups is not None
        postings = state.title_postings
        assert isinstance(postings, LazyPostings)
        wid = state.lookups.ids["transformer"]
        posting = postings._source.base + 4 * postings._offsets[wid]
    data[posting] ^= 0x10
    path.write_bytes(bytes(data))
    with Library.open(data_dir, readonly=True, lazy=True) as lib:
        assert [(r.paper.id, r.hit.score) for r in lib.query("transformer language")] == expected
    # The search built the index from the texts and saved it over the damaged file.
    assert path.read_bytes() != bytes(data)
    with Library.open(data_dir, readonly=True, lazy=True) as lib:
        state = lib.index.store.load()  # type: ignore[union-attr]
        assert state is not None
        assert [(r.paper.id, r.hit.score) for r in lib.query("transformer language")] == expected
