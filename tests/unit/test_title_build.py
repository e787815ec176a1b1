"""The build's shortcuts index as the plain way does (tracker/search/word_index.py, words.py).

A first start on a library just imported waits for every title to be
indexed; the titles are indexed in runs (``WordIndex._append_titles``) and
words are split by ``bytes.translate`` (``ascii_words``). Both must give
exactly what ``_index_title`` and ``WORD.findall`` give.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.search.search_index import SearchIndex
from tracker.search.word_index import WordIndex
from tracker.search.words import WORD, ascii_words

PIECES = ["Mamba", "mamba", "CopySpec", "LM-Infinite", "pre-trained", "Schrödinger", "é", "M4LE"]
PIECES += [": ", " ", "-", "_", "'", "(", ")", "½", "Ω", "x", "x", "state", "space"]
titles = st.lists(st.sampled_from(PIECES), min_size=1, max_size=12).map("".join)


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=80))
def test_ascii_words_are_the_words_the_pattern_finds(text: str) -> None:
    assert ascii_words(text) == WORD.findall(text)


def _state(index: WordIndex) -> tuple[object, ...]:
    toks = index._title_toks
    return (
        list(index._words),
        dict(index._ids),
        [None if a is None else list(a) for a in index._tpost],
        list(toks.flat),
        list(toks.starts),
        list(toks.names),
        list(index._keys),
        index._titled,
        {k: list(index._by_prefix[k]) for k in index._by_prefix.group_keys()},
        {k: tuple(map(list, index._fuzzy_buckets[k])) for k in index._fuzzy_buckets.group_keys()},
    )


@settings(max_examples=200)
@given(st.lists(titles, min_size=1, max_size=20), st.integers(min_value=0, max_value=20))
def test_titles_indexed_in_a_run_are_indexed_as_one_by_one(papers: list[str], split: int) -> None:
    """A run of titles, after some indexed one by one: the same words, ids and postings."""
    split = min(split, len(papers))
    one, run = SearchIndex(), SearchIndex()
    for index in (one, run):
        for title in papers:
            index.add(title, "")
        for pos in range(split):
            index._index_title(pos, append=True)
            index._titled = pos + 1
    for pos in range(split, len(papers)):
        one._index_title(pos, append=True)
        one._titled = pos + 1
    run._append_titles(split, len(papers))
    assert _state(run) == _state(one)
