"""The parsers' shortcuts answer as their plain definitions do.

Every import runs whole-page tests before reading a page (is it an arXiv
listing? may it have setext headings? may a title be a placeholder?), each
rewritten to walk the page at memchr speed, and tests on every line, some
now skipped when a line lacks the character they need (2026-12-04: a
1,000-paper digest's parse went from 60 to 40 ms). The definitions they
replaced are kept here as the oracles.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tracker.sources import arxiv_listing, markup, title_check
from tracker.sources.page import link_hints
from tracker.sources.text import lines

# Pieces that make the answers differ: entry lines, labels, underlines, odd cases.
PIECES = [
    "arXiv:2401.01234",
    "[12] arXiv:2401.01234 [pdf, other]",
    "  arXiv: 2401.01234v2",
    "ARXIV:2401.01234",
    "arxıv:2401.01234",  # a dotless i: the pattern ignores case the Unicode way
    "Title: A Paper",
    "  title: lower",
    "Subjects: Computation and Language (cs.CL)",
    "Authors: A. B",
    "x" * 210 + " arXiv:2401.01234",
    "===",
    "---",
    "  -",
    " =",
    "Untitled Document",
    "UNTITLED",
    "no title",
    "Title Missing",
    "ſo untitled",
    "A plain title",
    "An abstract: with a colon.",
    ":",
    "",
]

pages = st.lists(
    st.one_of(st.sampled_from(PIECES), st.text(alphabet="aXiv:Tt-= \n[]1.", max_size=12)),
    max_size=30,
).map("\n".join)


def looks_like_arxiv_by_lines(text: str) -> bool:
    """The definition: an entry line followed within 12 lines by ``Title:`` (or, on the
    web listing, ``Subjects:``)."""
    lines = text.split("\n")
    for no, line in enumerate(lines):
        if len(line) < 200 and arxiv_listing._ENTRY.match(line):
            web = arxiv_listing._WEB_LINKS.search(line) is not None
            for after in lines[no + 1 : no + 1 + arxiv_listing._DETECT_WINDOW]:
                label = after.lstrip()[:9].lower()
                if label.startswith("title:") or (web and label == "subjects:"):
                    return True
    return False


@given(pages)
def test_the_arxiv_test_answers_as_reading_every_line_would(text: str) -> None:
    assert arxiv_listing.looks_like_arxiv(text) == looks_like_arxiv_by_lines(text)


def test_the_arxiv_test_finds_an_entry_past_a_line_of_colons() -> None:
    text = "Note: a: b: c\n\n[1] arXiv:2401.01234 [pdf]\nTitle: A Paper\nAuthors: A"
    assert arxiv_listing.looks_like_arxiv(text)
    assert not arxiv_listing.looks_like_arxiv(text.replace("Title", "Topic"))


@given(pages)
def test_setext_headings_are_rewritten_as_before(text: str) -> None:
    may = "\n=" in text or "\n-" in text or "\n " in text
    assert (markup._MAY_UNDERLINE.search(text) is not None) == may


@given(pages)
def test_the_placeholder_test_answers_as_its_pattern(text: str) -> None:
    expected = re.search(r"untitled|no title|title missing", text, re.IGNORECASE) is not None
    assert title_check._may_hold_placeholder(text) == expected


# -- the line-level shortcuts ------------------------------------------------------
LINE_PIECES = [*"aZ 1.!?…:[]|·•\t\x00\x1b\x7f\x85é,-٣", "vs", "Fig", "No", "arXiv", "upvotes"]
lines_of_text = st.lists(st.sampled_from(LINE_PIECES), max_size=30).map("".join)


NOISE_PIECES = [" ", "  ", "\u00a0", "!", ".", ":", "|", "·", "•", "[1]", "[", "]", "ß", "İ", "Σ"]
noise_lines = st.lists(
    st.sampled_from([*NOISE_PIECES, *sorted(lines._NOISE_WORDS), *sorted(lines._NOISE)]),
    min_size=1,
    max_size=12,
).map("".join)
spaced_noise = st.lists(
    st.sampled_from([*sorted(lines._NOISE_WORDS), *sorted(lines._NOISE), "x", "Models", "LOG"]),
    min_size=1,
    max_size=8,
).flatmap(
    lambda words: st.sampled_from([" ", " | ", "|", "·", " · ", "\n", "  "]).map(
        lambda s: s.join(words)
    )
)


@given(st.one_of(noise_lines, spaced_noise, lines_of_text, st.text(max_size=40)))
@example("Models|Datasets")  # a row of menu items the first word of which is no word
@example("[1]Models [2]Datasets")
@example("Models·Spaces")
@example("Log In!")
def test_the_noise_test_answers_as_word_by_word(text: str) -> None:
    """A line whose first word is no noise word is not noise: the same answer as word by word."""
    if lines._HAS_ALNUM.search(text):
        assert lines._is_noise(text) == lines._is_noise_by_words(text)


META_PIECES = [
    *"dDkKzZqQ aAbBcCpPsSuUvVwW0123:,.;&*_-<^+([•·▲©ſK",
    "https://huggingface.co/papers/2410.01234",
    "www.x.org",
    "arxiv:2410.01234",
    "upvotes",
    "votes: 12",
    "Authors: Ann Lee, Bo Chan",
    "by: Kim",
    "Submitted by ak",
    "Published on Oct 7, 2024",
    "12 comments",
    "(c) 2024 x",
    "Copyright 2024",
    "View all 12 authors",
    "Daniel Kim, Eve Park, Dora Lu",
    "Downloads: 12",
    "Date: 2024-10-07",
    "Kernel",
]
meta_lines = st.lists(st.sampled_from(META_PIECES), min_size=1, max_size=8).map("".join)


LABELLED = [
    "arxiv:2410.01234",
    "Authors: Ann Lee, Bo Chan",
    "by: Kim",
    "Submitted by ak",
    "Published on Oct 7, 2024",
    "posted 3 days ago",
    "added Mar 2",
    "https://huggingface.co/papers/2410.01234",
    "www.example.org/x",
    "Copyright 2024 Someone",
    "(c) Someone",
    "upvotes",
    "Votes: 3",
    "View all 12 authors",
    "Paper • 2410.01234 • 12",
    "Daniel Kim, Eve Park, Dora Lu",
    "Downloads: 12 Stars: 40",
]


@pytest.mark.parametrize("text", [f(t) for t in LABELLED for f in (str, str.lower, str.upper)])
def test_each_labelled_shape_is_found_in_either_case(text: str) -> None:
    assert lines._meta(text, 3) == lines._meta_by_patterns(text, 3)


@given(st.one_of(meta_lines, lines_of_text, st.text(max_size=40)))
def test_metadata_is_found_as_by_trying_every_pattern(text: str) -> None:
    """A line starting with a letter no labelled pattern starts with: the same metadata."""
    assert lines._meta(text, 3) == lines._meta_by_patterns(text, 3)


def test_an_empty_line_is_blank() -> None:
    """What the parser's loop takes for granted when it skips empty lines."""
    assert lines.classify_line("", 1, {}) == lines.BLANK


def test_only_a_r_x_and_v_themselves_spell_those_letters_of_arxiv() -> None:
    """What sources._may_name_arxiv takes for granted of the pattern that ignores case."""
    pattern = re.compile("arxiv", re.IGNORECASE)
    others = {
        at: "".join(
            chr(c)
            for c in range(0x110000)
            if pattern.fullmatch("arxiv"[:at] + chr(c) + "arxiv"[at + 1 :])
            and chr(c).lower() != "arxiv"[at]
        )
        for at in (0, 1, 2, 4)
    }
    assert others == {0: "", 1: "", 2: "", 4: ""}


ARXIV_PIECES = ["arXiv", "ARXİV", "arxıv", "ArXiv", "arxiv", ":", " ", "x", "\n", "Title: T"]


@given(st.lists(st.sampled_from(ARXIV_PIECES), max_size=12).map("".join))
@example("ARXİV:2410.01234\nTitle: T")
def test_a_page_the_listing_reader_would_take_is_never_passed_over(text: str) -> None:
    from tracker import sources
    from tracker.sources import arxiv_listing

    if arxiv_listing.looks_like_arxiv(text):
        assert sources._may_name_arxiv(text)


def _labelled_id_by_find(text: str) -> bool:
    """link_hints._has_labelled_id as it was, with str.find."""
    pos = text.find("ID")
    for _ in range(link_hints.SLASH_WALK):
        if pos < 0:
            return False
        after = text[pos + 2 : pos + 24].lstrip("*_ ")
        if after[:1] in (":", "："):
            value = after[1:].lstrip("*_ ")
            if link_hints._is_new_id(value):
                return True
        pos = text.find("ID", pos + 2)
    return False


ID_PIECES = ["ID", "IDID", "I", "D", ":", "：", "*", "_", " ", "2508.03694", "2508.0369", "x", "٣"]


@given(st.lists(st.sampled_from(ID_PIECES), max_size=25).map("".join))
def test_labelled_ids_are_found_as_with_find(text: str) -> None:
    assert link_hints._has_labelled_id(text) == _labelled_id_by_find(text)


def test_labelled_ids_past_the_walk_are_not_looked_for() -> None:
    text = "ID " * link_hints.SLASH_WALK + "Paper ID: 2508.03694"
    assert link_hints._has_labelled_id(text) is _labelled_id_by_find(text) is False
    assert link_hints._has_labelled_id("Paper ID: 2508.03694") is True


@given(st.one_of(st.text(max_size=60), lines_of_text))
def test_the_digit_test_answers_as_its_pattern(text: str) -> None:
    """ASCII lines are asked for a digit without the pattern; the same answer (٣ is a digit)."""
    assert lines._has_digit(text) == (re.search(r"\d", text) is not None)


@given(st.text(max_size=60))
def test_clean_lines_keep_what_isprintable_would(raw: str) -> None:
    """_clean's quick test takes an ASCII line as clean exactly when isprintable did."""
    quick = raw.isascii() and len(raw.encode().translate(None, lines._ASCII_CONTROLS)) == len(raw)
    assert quick == (raw.isascii() and raw.isprintable())


@given(lines_of_text)
def test_a_text_without_end_marks_has_no_sentence_end(text: str) -> None:
    if not any(mark in text for mark in ".!?…"):
        assert lines.SENTENCE_END.findall(text) == []


@given(lines_of_text)
def test_meta_lines_read_as_without_the_digit_gate(text: str) -> None:
    """The patterns _meta skips for a line without a digit never match one."""
    if lines._DIGIT.search(text) is None:
        for pattern in (
            lines._ARXIV_LINE,
            lines._PAPER_LINE,
            lines._UPVOTES,
            lines._AUTHOR_COUNT,
            lines._COMMENTS,
        ):
            assert pattern.fullmatch(text) is None


@given(lines_of_text)
def test_navigation_separators_need_one_of_their_marks(text: str) -> None:
    if not any(mark in text for mark in "[|·•"):
        assert lines._NAV_SEPARATORS.search(text) is None


@given(lines_of_text, st.sampled_from(["", "#", "## ", "* ", "- ", "1. ", "[1] ", "[x] ", "> "]))
def test_a_line_starting_with_a_letter_has_no_decoration_to_peel(text: str, mark: str) -> None:
    """_unwrap returns such a line as it is: none of its patterns can match at a letter."""
    line = mark + text
    if line[:1].isalpha():
        for pattern in (
            lines._HEADING,
            lines._BULLET,
            lines._DASH_BULLET,
            lines._CHECKBOX,
            lines._LYNX_REF,
            lines._QUOTE,
        ):
            assert pattern.match(line) is None
        assert not line.startswith(("[", "![", "**", "__", ">"))


@given(
    st.lists(
        st.sampled_from([*LINE_PIECES, "http", "://", "www", "WWW.", "x.y", "/"]), max_size=20
    ).map("".join)
)
def test_an_address_needs_a_slash_or_a_dot(text: str) -> None:
    assert lines.has_url(text) == (lines.URL_IN.search(text) is not None)


@given(
    st.lists(
        st.sampled_from(
            [*LINE_PIECES, "1", "1.", " 2. ", "2)", "Method", "KEYWORDS", "：", "\u212a"]
        ),
        max_size=20,
    ).map("".join)
)
def test_fields_and_runs_of_points_need_their_marks(text: str) -> None:
    from tracker.sources.text import blocks

    assert blocks.is_field_line(text) == (blocks._FIELD_LEAD.match(text) is not None)
    if blocks._RUN_OF_POINTS.match(text) is not None:
        assert text.lstrip()[:1] == "1"
