"""``note:WORD`` finds a paper by a word of your own note, as half-remembered.

The new-user trial: a note said "zanzibar"; months later ``/zanzibr`` found
nothing, and no query could: notes were not searched at all.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.cli_run import run
from tracker.library import Library
from tracker.library.search_request import SearchRequest
from tracker.search import parse_query
from tracker.search.note_words import note_matches
from tracker.search.query import FieldFilter

NOTE = "Read on the plane to Zanzibar.\n\n- the **CopySpec** trick: reuse drafts\n- Schrödinger?"


@pytest.mark.parametrize(
    ("values", "found"),
    [
        (("zanzibar",), True),
        (("zanzibr",), True),  # one letter left out
        (("zanzi",), True),  # the start of the word
        (("zamzibar",), True),  # one typo
        (("ZANZIBAR",), True),
        (("schrodinger",), True),  # accents do not count
        (("copyspec",), True),
        (("spec",), True),  # a part of a CamelCase name
        (("plane zanzibar",), True),  # every word of a value
        (("plane paris",), False),
        (("paris", "plane"), True),  # values are alternatives
        (("paris",), False),
        (("zan",), True),
        (("zbn",), False),  # short words: no typo allowed
        (("boat",), False),
    ],
)
def test_a_note_matches_its_words_as_people_remember_them(
    values: tuple[str, ...], found: bool
) -> None:
    assert note_matches(NOTE, values) is found


_WORD = st.text(st.characters(whitelist_categories=("Ll", "Lu")), min_size=1, max_size=12)


@given(st.lists(_WORD, min_size=1, max_size=8), st.data())
def test_every_word_of_a_note_and_its_start_finds_it(words: list[str], data: st.DataObject) -> None:
    note = " ".join(words)
    word = data.draw(st.sampled_from(words))
    start = word[: data.draw(st.integers(1, len(word)))]
    assert note_matches(note, (word,))
    assert note_matches(note, (start,))
    assert not note_matches("", (word,))


def test_note_is_a_field_of_the_query_language() -> None:
    assert parse_query('note:zanzibr -note:"read later",todo').filters == (
        FieldFilter("note", ("zanzibr",)),
        FieldFilter("note", ("read later", "todo"), negated=True),
    )
    assert parse_query("Note:X").filters == (FieldFilter("note", ("x",)),)


@pytest.fixture
def noted(data_dir: Path, seeds: list[Path]) -> tuple[Path, str, str]:
    with Library.open(data_dir) as lib:
        lib.import_files(seeds)
        first, second = lib.papers[3].id, lib.papers[40].id
        lib.set_note(first, NOTE)
        lib.set_note(second, "nothing about islands; reread later")
    return data_dir, first, second


def test_the_library_search_finds_a_paper_by_its_note(noted: tuple[Path, str, str]) -> None:
    data_dir, first, second = noted
    with Library.open(data_dir, readonly=True) as lib:

        def found(text: str) -> list[str]:
            result = lib.search(SearchRequest(text))
            assert result is not None and not result.problems, text
            return [lib.papers[p].id for p in result.hits.positions]

        assert found("note:zanzibr") == [first]
        assert found("note:reread") == [second]
        assert found("note:zanzibr,reread") == sorted(
            [first, second], key=lambda i: lib.position(i)
        )
        assert first not in found("-note:zanzibar") and second in found("-note:zanzibar")
        assert found("note:zanzibar status:read") == []
        # With words: the paper must match both its text and its note.
        title_word = lib.papers[3].title.split()[0]
        assert found(f"{title_word} note:zanzibar") == [first]


def test_tracker_list_finds_a_paper_by_its_note(
    capsys: pytest.CaptureFixture[str], noted: tuple[Path, str, str]
) -> None:
    _, first, _ = noted
    code, out, err = run(capsys, "list", "--ids", "note:zanzibr")
    assert (code, err) == (0, "")
    assert out.split() == [first]
