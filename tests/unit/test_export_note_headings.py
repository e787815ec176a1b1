"""The one-file Markdown export puts a note's own headings below its paper's heading."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from tracker.exports.item import ExportItem
from tracker.exports.markdown import markdown, shift_headings
from tracker.models import Annotation, Digest, Paper, Status

DIGESTS = [Digest("d1", "Aug 25", "2025-08-25", "a.txt", "x", "t")]
PAPER_LEVEL = 3


def _headings(text: str) -> list[tuple[int, str]]:
    """(level, text) of every heading, as a CommonMark parser reads them."""
    tokens = MarkdownIt("commonmark").parse(text)
    # A setext heading over two lines becomes one ATX line: the same words.
    return [
        (int(tok.tag[1]), " ".join(tokens[i + 1].content.split()))
        for i, tok in enumerate(tokens)
        if tok.type == "heading_open"
    ]


def _export(note: str) -> str:
    paper = Paper("0123456789ab", "Pointer Networks", "", ["d1"])
    return markdown([ExportItem(paper, Annotation(paper.id, Status.READ, note))], DIGESTS)


def test_a_note_starting_with_a_top_level_heading_stays_inside_its_paper() -> None:
    note = "# Summary\n\nGood.\n\nDetails\n=======\n\nMore.\n\n## Method\n"
    text = _export(note)
    assert _headings(text) == [
        (1, "Paper notes"),
        (2, "Contents"),
        (2, "Aug 25 2025"),
        (3, "Pointer Networks"),
        (4, "Summary"),
        (4, "Details"),
        (5, "Method"),
    ]
    # Everything else of the note is as written.
    assert "Good.\n\n#### Details\n\nMore." in text


def test_code_and_quotes_are_left_alone_and_levels_stop_at_six() -> None:
    note = "```\n# not a heading\n```\n> ## quoted\n##### deep\n"
    shifted = shift_headings(note, PAPER_LEVEL)
    assert shifted == "```\n# not a heading\n```\n> ##### quoted\n###### deep\n"


_LINES = st.sampled_from(
    [
        "# Top",
        "## Second",
        "### Third",
        "text line",
        "another line",
        "",
        "===",
        "---",
        "- item",
        "> quote",
        "> # quoted heading",
        "```",
        "    indented code",
        "1. numbered",
    ]
)


@given(st.lists(_LINES, max_size=12))
def test_shifting_keeps_every_heading_one_level_set_deeper(lines: list[str]) -> None:
    note = "\n".join(lines)
    before = _headings(note)
    after = _headings(shift_headings(note, PAPER_LEVEL))
    assert [text for _, text in after] == [text for _, text in before]
    assert [level for level, _ in after] == [min(level + PAPER_LEVEL, 6) for level, _ in before]
