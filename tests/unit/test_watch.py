"""Watch list matching: the search engine's rules, authors, and no false alarms."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tracker.library import Library
from tracker.models import Paper, paper_id_for
from tracker.search import FieldFilter, parse_query
from tracker.search.watch import WatchError, match_papers, parse_entries, parse_entry


def paper(title: str, abstract: str = "", authors: tuple[str, ...] = ()) -> Paper:
    return Paper(paper_id_for(title), title, abstract, authors=list(authors))


PAPERS = [
    paper(
        "Denoising Diffusion Probabilistic Models",
        "We present high quality image synthesis results using diffusion probabilistic models.",
        ("Jonathan Ho", "Ajay Jain", "Pieter Abbeel"),
    ),
    paper(
        "Efficiently Modeling Long Sequences with Structured State Spaces",
        "A central goal of sequence modeling is a single principled model for long sequences.",
        ("Albert Gu", "Karan Goel", "Christopher Ré"),
    ),
    paper(
        "Gradient-Based Learning Applied to Document Recognition",
        "Multilayer neural networks trained with back-propagation recognize handwriting.",
        ("Yann LeCun", "Léon Bottou", "Yoshua Bengio", "Patrick Haffner"),
    ),
    paper(
        "Pointer Networks",
        "We introduce a new neural architecture to learn the conditional probability of an "
        "output sequence with elements that are discrete tokens.",
    ),
    paper(
        "A Named Entity Based Approach to Model Recipes",
        "Cooking recipes are written in natural language; we extract their ingredients.",
    ),
]


def matched(*entries: str) -> dict[str, str]:
    """Title → the entry it matched."""
    by_id = {p.id: p.title for p in PAPERS}
    found = match_papers([parse_entry(e) for e in entries], PAPERS)
    return {by_id[pid]: entry.text for pid, entry in found.items()}


def test_a_word_matches_title_and_abstract() -> None:
    assert matched("diffusion") == {"Denoising Diffusion Probabilistic Models": "diffusion"}
    assert matched("ingredients") == {
        "A Named Entity Based Approach to Model Recipes": "ingredients"
    }


@pytest.mark.parametrize("typo", ["difusion", "diffusoin", "diffuson"])
def test_typos_match_like_the_search_box(typo: str) -> None:
    assert list(matched(typo)) == ["Denoising Diffusion Probabilistic Models"]


def test_inflections_and_prefixes() -> None:
    assert list(matched("recipe")) == ["A Named Entity Based Approach to Model Recipes"]
    assert list(matched("pointer network")) == ["Pointer Networks"]


def test_phrase_is_exact_and_words_are_all_required() -> None:
    assert list(matched('"state spaces"')) == [
        "Efficiently Modeling Long Sequences with Structured State Spaces"
    ]
    assert matched('"spaces state"') == {}
    # Both words must be in the paper, as in the filter box.
    assert matched("diffusion handwriting") == {}


@pytest.mark.parametrize(
    "entry",
    ['author:"Yann LeCun"', "author:lecun", 'author:"Y. LeCun"', 'author:"yann lecunn"'],
)
def test_authors(entry: str) -> None:
    assert list(matched(entry)) == ["Gradient-Based Learning Applied to Document Recognition"]


def test_author_with_accents_and_words_together() -> None:
    assert list(matched('author:"Leon Bottou"')) == [
        "Gradient-Based Learning Applied to Document Recognition"
    ]
    assert list(matched("author:Ho diffusion")) == ["Denoising Diffusion Probabilistic Models"]
    # An author and a word that are not in the same paper: no match.
    assert matched("author:Ho handwriting") == {}


def test_no_false_positives_on_unrelated_papers() -> None:
    assert matched("quantum chromodynamics") == {}
    assert matched("reinforcement") == {}
    assert matched('author:"Geoffrey Hinton"') == {}
    assert matched('author:"Yann Dauphin"') == {}  # a first name alone is not the person
    # Short words are not typo-tolerant: "gan" does not match "gap" or "can".
    assert matched("gan") == {}


def test_first_entry_in_the_list_wins() -> None:
    found = matched("diffusion", "probabilistic")
    assert found["Denoising Diffusion Probabilistic Models"] == "diffusion"
    found = matched("probabilistic", "diffusion")
    assert found["Denoising Diffusion Probabilistic Models"] == "probabilistic"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "empty"),
        ("status:read", "status:"),
        ("-diffusion", "needs a word"),
        ("author:", "needs a name"),
        ("-author:LeCun diffusion", "-author"),
    ],
)
def test_entries_that_cannot_be_watched(text: str, fragment: str) -> None:
    with pytest.raises(WatchError, match=fragment):
        parse_entry(text)


def test_library_matches_update_when_the_list_changes(data_dir: Path, seeds: list[Path]) -> None:
    with Library.open(data_dir) as lib:
        lib.import_files(seeds)
        assert lib.watch_matches() == {}
        lib.set_watch([parse_entry("mamba")])
        first = set(lib.watch_matches())
        assert first and all(
            "mamba" in lib.paper(pid).title.lower() or "mamba" in lib.paper(pid).abstract.lower()
            for pid in first
        )
        assert {r.paper.id for r in lib.query("is:watched")} == first
        assert not any(r.paper.id in first for r in lib.query("-is:watched"))
        lib.set_watch([parse_entry("pointer networks")])
        assert [lib.paper(pid).title for pid in lib.watch_matches()] == ["Pointer Networks"]
        assert [r.paper.title for r in lib.query("is:watched")] == ["Pointer Networks"]


def test_import_report_names_watched_papers(data_dir: Path, seeds: list[Path]) -> None:
    with Library.open(data_dir) as lib:
        lib.set_watch([parse_entry('"state space"'), parse_entry("recipes")])
        report = lib.import_file(seeds[1])
        titles = [p.title for p, _ in report.watched]
        assert "A Named Entity Based Approach to Model Recipes" in titles
        assert all(e.text in ('"state space"', "recipes") for _, e in report.watched)
        # The report agrees with what the whole library's matching says.
        assert {p.id for p, _ in report.watched} <= set(lib.watch_matches())
        again = lib.import_file(seeds[1])
        assert again.already_imported and again.watched == []


def test_matching_an_import_costs_what_the_import_costs(tmp_path: Path) -> None:
    """Matching indexes only the imported papers: 2,000 papers, a handful of entries."""
    papers = [
        paper(f"Study {i} of widget{i} behaviour", f"We measure widget{i} under load {i}.")
        for i in range(2000)
    ]
    entries = [parse_entry(e) for e in ("widget77", '"load 1999"', "difusion", "author:Smith")]
    start = time.perf_counter()
    found = match_papers(entries, papers)
    elapsed = time.perf_counter() - start
    assert {papers[77].id, papers[1999].id} <= set(found)
    assert elapsed < 5  # generous: guards against a quadratic blow-up, not a benchmark


def test_is_watched_in_the_query_language() -> None:
    assert parse_query("is:watched").filters == (FieldFilter("is", ("watched",)),)
    assert parse_query("-is:w llm").filters == (FieldFilter("is", ("watched",), negated=True),)
    q = parse_query("is:famous")
    assert q.problems and "is:" in q.problems[0]


@pytest.mark.parametrize(
    "entry",
    [
        "difusion",
        "recipe",
        "spec",  # a camel-case part: CopySpec
        "pretrained",  # a compound written solid: pre-trained
        "stateoftheart",
        "llm",
        "rnn",
        "grammatcal",  # a typo'd prefix of grammatical
        "mamba hippos",
        '"state space"',
        '"free lunch"',
        "transformer -survey",
        "sequnce modelling",
        "mr t5 byte",  # two words that only match joined: MrT5
    ],
)
def test_the_prefilter_loses_no_match(entry: str, seeds: list[Path]) -> None:
    """match_papers indexes only prefiltered papers: it must find what a full index finds."""
    from tracker.search import SearchIndex
    from tracker.search.watch import match_index
    from tracker.sources.text import parse_bytes

    papers: dict[str, Paper] = {}
    for path in seeds:
        for section in parse_bytes(path.read_bytes(), path.name).sections:
            for item in section.papers:
                papers.setdefault(paper_id_for(item.title), paper(item.title, item.abstract))
    listed = list(papers.values())
    entries = [parse_entry(entry)]
    index = SearchIndex()
    for p in listed:
        index.add(p.title, p.abstract)
    full = {listed[pos].id for pos in match_index(entries, index, listed)}
    assert full, f"{entry!r} matches nothing in the seeds: a useless case"
    assert set(match_papers(entries, listed)) == full


def test_a_watch_list_keeps_its_usable_entries_and_says_why_others_are_skipped() -> None:
    entries, problems = parse_entries(["diffusion", "status:read", '"state space"', "  "])
    assert [e.text for e in entries] == ["diffusion", '"state space"']
    assert problems == [
        "'status:read': status: cannot be part of a watch entry "
        '(use words, "phrases" and author:"Name"); it is skipped',
        "a watch entry cannot be empty; it is skipped",
    ]
