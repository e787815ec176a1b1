"""Authors are searchable: author:"Name" in queries, saved searches and the watch list; plain words."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.cli import main
from tracker.library import Library
from tracker.search import SearchIndex, parse_query
from tracker.search.authors import author_matches, name_words
from tracker.search.hits import NoFacets
from tracker.search.watch import WatchError, match_papers, parse_entry

ABSTRACT = "We study sequence models and report careful experiments on many benchmarks."

PAPERS = [
    ("Mamba: Linear-Time Sequence Modeling with Selective State Spaces", ["Albert Gu", "Tri Dao"]),
    ("FlashAttention: Fast and Memory-Efficient Exact Attention", ["Tri Dao", "Daniel Y. Fu"]),
    ("The Dao of Sequence Models", ["Jane Roe"]),
    ("Quantum Cats in Boxes", ["Erwin Schrödinger"]),
    ("Graphs at Scale", ["Yi Wang", "Wei Li"]),
    ("Graphs at Small Scale", ["Yi Yang"]),
    ("Tridiagonal Solvers", ["Dao Tri"]),  # the same words, another person: same words match
]


def hf_json(papers: list[tuple[str, list[str]]], day: str = "2024-10-08") -> str:
    items = []
    for n, (title, authors) in enumerate(papers):
        items.append(
            {
                "paper": {
                    "id": f"2410.{n:05d}",
                    "title": title,
                    "summary": ABSTRACT,
                    "authors": [{"name": a} for a in authors],
                    "upvotes": n,
                    "publishedAt": f"{day}T10:00:00.000Z",
                },
                "publishedAt": f"{day}T10:00:00.000Z",
                "title": title,
            }
        )
    return json.dumps(items)


@pytest.fixture
def library(data_dir: Path, tmp_path: Path) -> Path:
    page = tmp_path / "day.json"
    page.write_text(hf_json(PAPERS))
    with Library.open(data_dir) as lib:
        lib.import_file(page)
        assert len(lib) == len(PAPERS)
    return data_dir


def titles(lib: Library, query: str) -> list[str]:
    return [r.paper.title for r in lib.query(query)]


def test_author_filter_finds_every_paper_of_that_author(library: Path) -> None:
    with Library.open(library, readonly=True) as lib:
        mamba, flash = PAPERS[0][0], PAPERS[1][0]
        assert set(titles(lib, 'author:"Tri Dao"')) == {mamba, flash, "Tridiagonal Solvers"}
        assert titles(lib, 'author:"Albert Gu"') == [mamba]
        assert titles(lib, 'author:"Gu Albert"') == [mamba]  # any order
        assert titles(lib, 'author:"A Gu"') == [mamba]  # an initial
        assert titles(lib, 'author:"Albret Gu"') == [mamba]  # a typo in a long word
        assert titles(lib, "author:schrodinger") == ["Quantum Cats in Boxes"]  # accents
        # Short name words get no typo: Wang is not Yang.
        assert titles(lib, 'author:"Yi Wang"') == ["Graphs at Scale"]
        # All words in one author's name: "Yi Li" is nobody here (Yi Wang, Wei Li),
        # each its own word: "Yi Yang" is not "Daniel Y. Fu" (two words, one initial).
        assert titles(lib, 'author:"Yi Li"') == []
        assert titles(lib, 'author:"Yi Yang"') == ["Graphs at Small Scale"]
        # Values are OR-ed, the filter negates, and words narrow it.
        assert set(titles(lib, 'author:"Albert Gu","Yi Yang"')) == {mamba, "Graphs at Small Scale"}
        assert mamba not in titles(lib, '-author:"Tri Dao"')
        assert titles(lib, 'attention author:"Tri Dao"') == [flash]


def test_plain_words_match_authors_below_titles(library: Path) -> None:
    with Library.open(library, readonly=True) as lib:
        found = titles(lib, "dao")
        # The title match first, then the papers by Dao.
        assert found[0] == "The Dao of Sequence Models"
        assert set(found[1:]) == {PAPERS[0][0], PAPERS[1][0], "Tridiagonal Solvers"}
        assert titles(lib, "schrodinger") == ["Quantum Cats in Boxes"]
        assert titles(lib, "schrodnger") == ["Quantum Cats in Boxes"]  # a typo
        assert titles(lib, "graphs wang") == ["Graphs at Scale"]
        assert "The Dao of Sequence Models" in titles(lib, "-gu sequence")
        assert PAPERS[0][0] not in titles(lib, "-gu sequence")


def test_tracker_list_takes_author_filters(
    library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["list", "--ids", 'author:"Albert Gu"']) == 0
    ids = capsys.readouterr().out.split()
    with Library.open(library, readonly=True) as lib:
        assert [lib.paper(i).title for i in ids] == [PAPERS[0][0]]


def test_watch_entries_use_the_same_author_search(library: Path, tmp_path: Path) -> None:
    entries = [parse_entry('author:"Tri Dao" attention'), parse_entry("schrodinger")]
    with Library.open(library) as lib:
        lib.set_watch(entries)
        found = {lib.paper(pid).title: e.text for pid, e in lib.watch_matches().items()}
        assert found == {
            PAPERS[1][0]: 'author:"Tri Dao" attention',
            "Quantum Cats in Boxes": "schrodinger",
        }
        # What an import reports (only its papers indexed) is what the library finds.
        assert {lib.paper(pid).title for pid in match_papers(entries, list(lib.papers))} == set(
            found
        )
    with pytest.raises(WatchError, match="-author: cannot be watched"):
        parse_entry('-author:"Tri Dao"')
    with pytest.raises(WatchError, match="author: needs a name"):
        parse_entry("author: mamba")
    with pytest.raises(WatchError, match="status: cannot be part"):
        parse_entry('author:"Tri Dao" status:new')


def test_authors_filled_in_by_a_later_import_are_found(data_dir: Path, tmp_path: Path) -> None:
    text = tmp_path / "oct8.txt"
    text.write_text(f"Daily Papers\n\nOct 8, 2024\n\n{PAPERS[0][0]}\n\n{ABSTRACT}\n")
    with Library.open(data_dir) as lib:
        lib.import_file(text)
        assert titles(lib, 'author:"Albert Gu"') == []  # the text page has no authors
        page = tmp_path / "day.json"
        page.write_text(hf_json(PAPERS[:1]))
        lib.import_file(page)
        assert titles(lib, 'author:"Albert Gu"') == [PAPERS[0][0]]
        lib.undo()  # the JSON import: the authors go again
        assert titles(lib, 'author:"Albert Gu"') == []
        assert titles(lib, "gu") == []


def test_the_query_language_reads_author_filters() -> None:
    query = parse_query('mamba author:"Tri Dao",Gu -author:"Yi Wang"')
    assert [(f.field, f.values, f.negated) for f in query.filters] == [
        ("author", ("tri dao", "gu"), False),
        ("author", ("yi wang",), True),
    ]
    assert [t.text for t in query.terms] == ["mamba"]


def test_an_index_without_authors_answers_author_filters_with_nothing() -> None:
    index = SearchIndex()
    index.add("A Paper", "An abstract.")
    assert list(index.search('author:"Tri Dao"', NoFacets())) == []
    assert [h.pos for h in index.search("paper", NoFacets())] == [0]


NAME_PART = st.text(
    st.characters(blacklist_characters='"\u201c\u201d\u201e\u00ab\u00bb,'), min_size=1, max_size=12
)


@given(st.lists(NAME_PART, min_size=1, max_size=4), st.data())
def test_a_name_always_matches_itself_and_its_own_words(names: list[str], data) -> None:  # type: ignore[no-untyped-def]
    author = " ".join(names)
    words = name_words(author)
    if words:
        assert author_matches(words, [author])
        subset = data.draw(st.lists(st.sampled_from(words), min_size=1, unique=True))
        assert author_matches(tuple(subset), [author])
        index = SearchIndex()
        index.add("t", "a", [author])
        assert [h.pos for h in index.search(parse_query(f'author:"{author}"'), NoFacets())] == [0]
