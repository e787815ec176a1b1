"""The app's one search request: its text in its view (digest, status view, hidden statuses)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker.library import Library
from tracker.library.search_request import SearchRequest
from tracker.models import Status
from tracker.search.watch import parse_entry


@pytest.fixture
def lib(data_dir: Path, seeds: list[Path]):  # type: ignore[no-untyped-def]
    with Library.open(data_dir) as library:
        library.import_files(seeds)
        ids = [p.id for p in library.papers]
        library.set_status(ids[:5], Status.READ)
        library.set_status(ids[5:8], Status.SKIPPED)
        library.set_status(ids[8:12], Status.TO_READ)
        yield library


def ids_of(lib: Library, request: SearchRequest) -> list[str]:
    result = lib.search(request)
    assert result is not None
    return [lib.papers[pos].id for pos in result.hits.positions]


def test_the_view_narrows_the_text_as_the_query_language_would(lib: Library) -> None:
    digest = lib.digests[1]
    same_in_words = {
        SearchRequest("model", digest=digest.id): f"model digest:{digest.id}",
        SearchRequest("", statuses=(Status.TO_READ, Status.READ)): "status:to-read,read",
        SearchRequest("sequence", hidden=(Status.READ, Status.SKIPPED)): (
            "sequence -status:read,skipped"
        ),
        SearchRequest(
            "-status:new", digest=digest.id, hidden=(Status.READ,)
        ): f"-status:new digest:{digest.id} -status:read",
    }
    for request, text in same_in_words.items():
        expected = ids_of(lib, SearchRequest(text))
        assert expected, text
        assert ids_of(lib, request) == expected, text
    # Each part narrows: a digest's papers only, no hidden status, the view's statuses only.
    in_digest = set(ids_of(lib, SearchRequest(digest=digest.id)))
    assert in_digest == set(digest.paper_ids)
    shown = ids_of(lib, SearchRequest(hidden=(Status.READ, Status.SKIPPED)))
    assert len(shown) == len(lib) - 8
    assert {lib.status(pid) for pid in ids_of(lib, SearchRequest(statuses=(Status.SKIPPED,)))} == {
        Status.SKIPPED
    }


def test_the_result_says_what_the_text_got_wrong(lib: Library) -> None:
    result = lib.search(SearchRequest("status:reed"))
    assert result is not None
    assert result.problems and "reed" in result.problems[0]
    fine = lib.search(SearchRequest("status:read"))
    assert fine is not None and fine.problems == () and len(fine.hits) == 5


def test_a_cancelled_search_gives_no_result(lib: Library) -> None:
    assert lib.search(SearchRequest("model"), cancelled=lambda: True) is None


def test_the_result_says_when_it_follows_the_watch_list(lib: Library) -> None:
    lib.set_watch([parse_entry("mamba")])
    watched = lib.search(SearchRequest("is:watched"))
    assert watched is not None and watched.uses_watch_list and len(watched.hits) > 0
    plain = lib.search(SearchRequest("mamba"))
    assert plain is not None and not plain.uses_watch_list


def test_a_request_saved_as_one_query_finds_the_same_papers(lib: Library) -> None:
    digest = lib.digests[0]
    request = SearchRequest(
        "model", digest=digest.id, statuses=(Status.NEW,), hidden=(Status.READ, Status.SKIPPED)
    )
    text = lib.request_as_query(request)
    assert text == f'model digest:"{digest.display_label}" status:new -status:read,skipped'
    assert ids_of(lib, SearchRequest(text)) == ids_of(lib, request)
    assert lib.request_as_query(SearchRequest()) == ""


def test_words_wait_for_the_index_and_filters_do_not(data_dir: Path, seeds: list[Path]) -> None:
    with Library.open(data_dir) as lib:
        lib.import_files(seeds)
    with Library.open(data_dir) as lib:
        assert not lib.index.is_built
        assert lib.waits_for_index(SearchRequest("model"))
        assert not lib.waits_for_index(SearchRequest("status:new has:note"))
        lib.build_index()
        assert not lib.waits_for_index(SearchRequest("model"))


def test_watch_matches_among_a_few_papers_agree_with_the_whole_library(lib: Library) -> None:
    lib.set_watch([parse_entry("mamba"), parse_entry('"state space"')])
    queue = [p.id for p in lib.papers[:60]]
    few = lib.watch_matches_among(queue)  # matched on the spot: the index is not needed
    assert few
    everything = lib.watch_matches()
    assert few == {pid: everything[pid] for pid in queue if pid in everything}
    lib.set_watch([])
    assert lib.watch_matches_among(queue) == {}
