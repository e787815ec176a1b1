"""Abstracts stay in library.json until they are used (tracker/store/base_texts.py)."""

from __future__ import annotations

import gc
import tracemalloc
from pathlib import Path

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.library import Library
from tracker.models import Paper, StoredPaper, paper_id_for
from tracker.search.hits import NoFacets
from tracker.store import LIBRARY_FILE, CorruptFileError, load_stored
from tracker.store.heads_file import without_abstract

ABSTRACT_WORDS = 600  # about 4 KB a paper


def _abstract(i: int) -> str:
    # Each paper its own two words, so that a search tells them apart.
    return f"Uniqueword{i} and marker{i}x. " + " ".join(["prose"] * ABSTRACT_WORDS)


def _digest(day: int, first: int, count: int, *, more: str = "") -> bytes:
    body = "".join(
        f"A Study Of Thing Number {i} In Depth\n\n{_abstract(i)}{more}\n\n"
        for i in range(first, first + count)
    )
    return f"Daily Papers\n\nOct {day}, 2024\n\n{body}".encode()


def _library(data_dir: Path, papers: int) -> None:
    """``papers`` papers in library.json itself (a compacted base, no journal)."""
    with Library.open(data_dir) as lib:
        lib.import_bytes(_digest(1, 0, papers), source="a.txt")
        lib.store.compact(force=True)


def _title(i: int) -> str:
    return f"A Study Of Thing Number {i} In Depth"


def test_an_open_library_keeps_the_abstracts_in_the_file(data_dir: Path) -> None:
    _library(data_dir, 300)
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        lib = Library.open(data_dir, readonly=True)
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    with lib:
        texts = sum(len(p.abstract) for p in lib.papers)
        assert texts > 1_000_000
        # The papers without their texts: less than a third of what the texts take.
        assert held < texts / 3, (held, texts)
        stored = load_stored(data_dir / LIBRARY_FILE, "library")
        assert stored is not None
        by_id = {row["id"]: row for row in stored["papers"].values()}
        assert all(isinstance(p, StoredPaper) for p in lib.papers)
        assert [p.abstract for p in lib.papers] == [by_id[p.id]["abstract"] for p in lib.papers]
        assert lib.paper(paper_id_for(_title(7))).abstract.startswith("Uniqueword7 ")


def test_a_stored_paper_equals_a_paper_with_the_same_fields(data_dir: Path) -> None:
    _library(data_dir, 2)
    with Library.open(data_dir, readonly=True) as lib:
        stored = lib.papers[1]
        plain = Paper(**{name: getattr(stored, name) for name in Paper.__dataclass_fields__})
        assert isinstance(stored, StoredPaper)
        assert stored == plain and plain == stored
        assert stored != Paper(stored.id, stored.title, "another abstract", stored.digests)
        assert stored.to_dict()["abstract"] == _abstract(1)


def test_abstracts_are_read_from_the_base_the_library_opened(data_dir: Path) -> None:
    """Another process's compaction renames a new base into place: the open library's
    papers still read their abstracts, from the file they were read from."""
    _library(data_dir, 20)
    with Library.open(data_dir) as app:
        with Library.open(data_dir) as other:
            other.import_bytes(_digest(2, 20, 5), source="b.txt")
            assert other.store.compact(force=True)
        assert app.paper(paper_id_for(_title(3))).abstract == _abstract(3)
        app.refresh()
        assert len(app) == 25
        assert [p.abstract for p in app.papers] == [_abstract(i) for i in range(25)]


def test_the_word_index_finds_abstract_words_and_forgets_replaced_ones(data_dir: Path) -> None:
    _library(data_dir, 30)
    with Library.open(data_dir) as lib:
        lib.build_index()
        assert [h.pos for h in lib.index.search("marker12x", _no_facets())] == [12]
        assert [p.id for p in lib.related(lib.papers[5].id) or []]
        # Another process fills in a longer abstract of paper 12: the index takes the
        # new text in place (from the text it held before, read from the file, it
        # knows which words to take back).
        with Library.open(data_dir) as other:
            other.import_bytes(_digest(2, 12, 1, more=" Then newmarker."), source="c.txt")
        assert lib.refresh().papers_changed == {paper_id_for(_title(12))}
        assert lib.paper(paper_id_for(_title(12))).abstract.endswith("newmarker.")
        lib.build_index()
        assert [h.pos for h in lib.index.search("newmarker", _no_facets())] == [12]
        assert [h.pos for h in lib.index.search("marker13x", _no_facets())] == [13]
        # A text replaced whole: the words of the one before leave the index.
        lib.index.update(13, _title(13), "Nothing of the old text remains.")
        assert [h.pos for h in lib.index.search("marker13x", _no_facets())] == []
        assert [h.pos for h in lib.index.search("remains", _no_facets())] == [13]


def test_a_base_changed_in_place_is_an_error_never_another_paper_s_abstract(
    data_dir: Path,
) -> None:
    _library(data_dir, 10)
    path = data_dir / LIBRARY_FILE
    with Library.open(data_dir, readonly=True) as lib:
        paper = lib.papers[4]
        data = path.read_bytes()
        with path.open("r+b") as fh:  # the same file, rewritten by another program
            fh.write(data.replace(b"Uniqueword", b"Otherword00"))
        with pytest.raises(CorruptFileError, match="changed by another program"):
            _ = paper.abstract


def _no_facets() -> NoFacets:
    return NoFacets()


_TRICKY = st.text(alphabet=st.sampled_from(['"', "\\", ",", "a", "é", "\n", "}", ":", "\u2028"]))


@settings(max_examples=300, deadline=None)
@given(title=_TRICKY, abstract=_TRICKY, more=st.booleans())
def test_an_abstract_is_cut_out_of_its_row_exactly(title: str, abstract: str, more: bool) -> None:
    """A base known to fit is read without parsing its abstracts (library_base.py)."""
    row: dict[str, object] = {"id": "0123456789ab", "title": title, "abstract": abstract}
    if more:
        row["digests"] = ["d1"]
    line = b'"7":' + orjson.dumps(row)
    cut = without_abstract(line)
    if cut is None:
        assert not abstract or not more  # only an empty or a last abstract is parsed
        return
    assert orjson.loads(b"{" + cut + b"}") == {"7": {**row, "abstract": ""}}


def test_a_library_known_to_fit_opens_without_parsing_abstracts_and_reads_them_back(
    data_dir: Path,
) -> None:
    tricky = ['He said "stop", then \\ left', 'ends in a quote \\"', "", "é\u2028\\n", "a" * 2000]
    rows = [
        {"id": paper_id_for(_title(i)), "title": _title(i), "abstract": text, "digests": ["d1"]}
        for i, text in enumerate(tricky)
    ]
    digest = {"id": "d1", "label": "Oct 1", "paper_ids": [r["id"] for r in rows]}
    with Library.open(data_dir) as lib:
        lib.store.save_import(rows, {}, [digest])
        lib.store.compact(force=True)  # a base written from rows that fit: its catalog says so
    stored = load_stored(data_dir / LIBRARY_FILE, "library")
    assert stored is not None
    expected = {row["id"]: row.get("abstract", "") for row in stored["papers"].values()}
    with Library.open(data_dir, readonly=True) as lib:
        first = lib.papers[0]
        assert isinstance(first, StoredPaper) and first._source.checked  # read without abstracts
        assert {p.id: p.abstract for p in lib.papers} == expected
