"""What an import skips as no paper: the quick check of a title's words is the full one."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tracker.library.not_a_paper import _has_words
from tracker.models import title_has_words


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_an_ascii_title_has_words_exactly_when_it_normalizes_to_some(title: str) -> None:
    assert _has_words(title) == title_has_words(title)


@given(st.text())
def test_any_title_has_words_exactly_when_it_normalizes_to_some(title: str) -> None:
    assert _has_words(title) == title_has_words(title)


def test_titles_without_a_letter_or_digit() -> None:
    assert not _has_words("??? ... ---")
    assert not _has_words("")
    assert _has_words("*x*") and _has_words("3") and _has_words("Ωmega")
