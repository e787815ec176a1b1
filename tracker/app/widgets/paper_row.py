"""One row of the paper list, rendered to a Strip.

A new result set repaints every visible row, so this runs some 40 times per
keystroke. Building each row as a ``rich.text.Text`` (spans, ``truncate``,
``render``) costs about 0.2 ms a row, most of a frame's budget at 10,000
papers. Rows whose text is all ASCII (one character is one cell) are built
directly as segments instead, with exactly the styles Rich would give them;
any other row takes the Rich path, which knows about wide characters.
``tests/unit/test_paper_row.py`` checks that both paths draw the same row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

Span = tuple[int, int]

ELLIPSIS = "…"


@dataclass(frozen=True, slots=True)
class RowParts:
    """The text of a row: marks, the title with its highlighted spans, a digest label."""

    selected: str  # "◆" or " "
    mark: str  # the status mark
    note: str  # "✎ " or two spaces
    title: str  # on one line, control characters replaced
    spans: Sequence[Span]  # highlighted [start, end) ranges of the title
    tags: str  # "#a #b" (with a space before a label), "" when none or no room
    label: str  # digest label, "" when there is no room
    watched: str = " "  # the watch mark ("★") or a space; drawn after the status mark


@dataclass(frozen=True, slots=True)
class RowStyles:
    """The styles of a row's parts; ``base`` already includes the cursor's."""

    base: Style
    selected: Style | None
    mark: Style
    title: Style | None  # bold for new papers, muted for done ones
    match: Style
    tags: Style
    label: Style
    watched: Style | None = None


def render_row(parts: RowParts, styles: RowStyles, width: int, console: Console) -> Strip:
    """The row as a Strip exactly ``width`` cells wide."""
    if parts.title.isascii() and parts.label.isascii() and _one_cell_each(parts.tags):
        segments = _fast_segments(parts, styles, width)
        # The title, tags and label take a cell per character here; only the
        # marks may not. Counted so rather than cell by cell by the Strip.
        marks = (parts.selected, parts.mark, parts.watched, parts.note)
        cells = sum(len(segment.text) for segment in segments)
        cells += sum(cell_len(mark) - len(mark) for mark in marks)
        strip = Strip(segments, cells)
        if strip.cell_length == width:
            # Already merged and exactly as wide as the row. (crop_extend would
            # cache the strip in itself: a reference cycle, garbage that only
            # the slow full collections of the cyclic GC free.)
            return strip
    else:
        segments = _rich_segments(parts, styles, width, console)
    return Strip(segments).crop_extend(0, width, styles.base).simplify()


def _rich_segments(
    parts: RowParts, styles: RowStyles, width: int, console: Console
) -> list[Segment]:
    base = styles.base
    text = Text(style=base, no_wrap=True, overflow="ellipsis", end="")
    text.append(parts.selected, styles.selected)
    text.append(parts.mark, styles.mark)
    text.append(parts.watched, styles.watched)
    text.append(parts.note, styles.mark)
    title = Text(parts.title, no_wrap=True, end="")
    if styles.title is not None:
        title.stylize(styles.title)
    for start, end in parts.spans:
        title.stylize(styles.match, start, end)
    tags, label = parts.tags, parts.label
    right = len(tags) + len(label)
    room = max(1, width - text.cell_len - (right + 2 if right else 1))
    title.truncate(room, overflow="ellipsis")
    text.append_text(title)
    text.append(" " * max(1, width - text.cell_len - right - 1))
    if tags:
        text.append(tags, styles.tags)
    if label:
        text.append(label, styles.label)
    text.append(" ")
    return list(text.render(console))


def _fast_segments(parts: RowParts, styles: RowStyles, width: int) -> list[Segment]:
    """Like :func:`_rich_segments` for ASCII titles and labels (one cell per character).

    Rich combines the styles of overlapping spans in the order they were
    added: base, then the title style, then the match style; so does this.
    Neighbouring pieces of the same style come out as one segment.
    """
    base = styles.base
    selected, mark, watched, plain, lit, tags_style, label_style = _combined(styles)
    pieces: list[tuple[str, Style]] = []

    def add(text: str, style: Style) -> None:
        if pieces and pieces[-1][1] == style:
            pieces[-1] = (pieces[-1][0] + text, style)
        elif text:
            pieces.append((text, style))

    add(parts.selected, selected)
    add(parts.mark, mark)
    add(parts.watched, watched)
    add(parts.note, mark)
    used = (
        cell_len(parts.selected)
        + cell_len(parts.mark)
        + cell_len(parts.watched)
        + cell_len(parts.note)
    )
    tags, label = parts.tags, parts.label
    right = len(tags) + len(label)
    title = parts.title
    room = max(1, width - used - (right + 2 if right else 1))
    length = len(title)
    if length > room:
        title = title[: room - 1] + ELLIPSIS
    # Spans as Text.stylize keeps them (inside the untruncated title, not
    # empty), then as truncation trims them (end clamped to the new length).
    cut = len(title)
    spans = sorted(
        (start, min(end, length, cut))
        for start, end in parts.spans
        if 0 <= start < length and end > start and start < cut
    )
    at = 0
    for start, end in spans:
        if end <= at:
            continue
        start = max(start, at)
        add(title[at:start], plain)
        add(title[start:end], lit)
        at = end
    add(title[at:], plain)
    used += cut
    gap = width - used - right - 1
    add(" " * max(1, gap), base)
    if tags:
        add(tags, tags_style)
    if label:
        add(label, label_style)
    if gap or right:
        # A title that fills the row with nothing on its right leaves no room
        # for the closing space: Rich draws it one cell too wide and crops it.
        add(" ", base)
    return [Segment(text, style) for text, style in pieces]


_COMBINED: dict[RowStyles, tuple[Style, Style, Style, Style, Style, Style, Style]] = {}
"""A kind of row's part styles laid over its base, made once (see :func:`_combined`)."""


def _combined(styles: RowStyles) -> tuple[Style, Style, Style, Style, Style, Style, Style]:
    """The styles :func:`_fast_segments` gives the selected mark, the status mark, the watch
    mark, the title, a match, the tags and the label: ``base`` + each part's style.

    Added once per kind of row, not about ten times per row drawn (Rich's
    ``Style.__add__``, cached but a call and two hashes each: about 100 a
    keystroke's frame at 10,000 papers; its CPU, median of 3 alternated runs:
    3.61-3.83 -> 3.45-3.59 ms).
    """
    found = _COMBINED.get(styles)
    if found is None:
        if len(_COMBINED) >= 256:  # styles of an earlier theme or focus
            _COMBINED.clear()
        base = styles.base
        plain = base + styles.title if styles.title else base
        found = _COMBINED[styles] = (
            base + styles.selected if styles.selected else base,
            base + styles.mark,
            base + styles.watched if styles.watched else base,
            plain,
            plain + styles.match if styles.match else plain,
            base + styles.tags,
            base + styles.label,
        )
    return found


def _one_cell_each(text: str) -> bool:
    """True when every character of ``text`` takes one terminal cell."""
    return text.isascii() or text.replace(ELLIPSIS, "").isascii()
