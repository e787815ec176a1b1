"""The text parser's entry point: front matter skipped, then the three passes."""

from __future__ import annotations

import re

from tracker.sources.parsed import (
    DigestError,
    DoubtfulDigestError,
    ParsedDigest,
    decode,
    normalize_newlines,
)
from tracker.sources.text.blocks import Block, ends_sentence, make_block, split_block
from tracker.sources.text.lines import (
    BARE_BY,
    BLANK,
    DOUBTFUL_MIN,
    LONG_LINE,
    NOISE_LINE,
    Date,
    Event,
    Line,
    Meta,
    classify_line,
    collect_refs,
    parse_date,
)
from tracker.sources.text.papers import Builder, Warnings

# --------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------


def _is_user_name(text: str) -> bool:
    """The line after a bare "Submitted by": a user name, not a title."""
    return len(text) <= 30 and len(text.split()) <= 2 and not ends_sentence(text)


def _front_matter(lines: list[str]) -> int:
    """The number of lines of a YAML front matter block ("---" … "---") at the top."""
    if not lines or lines[0].strip() != "---":
        return 0
    for i in range(1, min(len(lines), 100)):
        if lines[i].strip() in ("---", "..."):
            return i + 1
    return 0


def _front_matter_line(raw: str, no: int) -> Event | int:
    key, _, value = raw.partition(":")
    if key.strip().casefold() in ("date", "created", "day"):
        return parse_date(value.strip().strip("\"'"), no) or NOISE_LINE
    return NOISE_LINE


def parse(text: str, source: str = "<text>") -> ParsedDigest:
    """Parse the text of one digest page.

    Raises :class:`DigestError` when no paper at all is found.
    """
    lines = normalize_newlines(text).split("\n")
    refs = collect_refs(lines)
    unwrapped = any(
        len(line) >= LONG_LINE and line.count(" ") >= 20 for line in lines if len(line) >= LONG_LINE
    )
    events: list[Block | Meta | Date] = []
    run: list[Line] = []

    def flush() -> None:
        if run:
            events.extend(make_block(part) for part in split_block(run, unwrapped))
            run.clear()

    front = _front_matter(lines)
    after_by = False  # the previous line was a bare "Submitted by"
    date_key: tuple[int, int, int] | None = None
    for no, raw in enumerate(lines, start=1):
        item = _front_matter_line(raw, no) if no <= front else classify_line(raw, no, refs)
        if isinstance(item, int) and item == BLANK:
            flush()
            continue
        if after_by and isinstance(item, Line) and _is_user_name(item.text):
            item = Meta(no, "submitter name", item.text)
        after_by = (
            isinstance(item, Meta)
            and item.kind == "submitter"
            and BARE_BY.search(item.raw) is not None
        )
        if isinstance(item, Line):
            run.append(item)
            continue
        flush()
        if isinstance(item, Date):
            if item.key == date_key:
                continue  # the same day again: on every card, or the page twice
            date_key = item.key
        if isinstance(item, Meta | Date):
            events.append(item)
    flush()

    warnings = Warnings()
    builder = Builder(warnings)
    next_kinds: list[int | None] = [None] * len(events)
    upcoming: int | None = None
    for i in range(len(events) - 1, -1, -1):
        next_kinds[i] = upcoming
        event = events[i]
        if isinstance(event, Block):
            upcoming = event.kind
        elif isinstance(event, Date):
            upcoming = None
    for event, next_kind in zip(events, next_kinds, strict=True):
        if isinstance(event, Block):
            builder.block(event, next_kind)
        elif isinstance(event, Meta):
            builder.meta(event)
        else:
            builder.date(event)
    sections = builder.finish()
    if not sections:
        raise DigestError(
            source,
            f"no papers found in {source}: expected a date line followed by title and abstract blocks",
        )
    found = sum(len(s.papers) for s in sections)
    doubtful = warnings.count("skipped")
    if doubtful > found and doubtful >= DOUBTFUL_MIN:
        # Most of what could be a title is not one: this is not a digest the parser
        # understands, and a wrong import cannot be told from a right one later.
        raise DoubtfulDigestError(
            source,
            f"{source}: only {found} of {found + doubtful} title-like lines read as papers "
            "(the others have no abstract or stand outside the list); nothing was imported. "
            "If it is a digest in another format, try --format; if it lacks its date line, --date",
        )
    return ParsedDigest(tuple(sections), warnings.finish())


def parse_bytes(data: bytes, source: str) -> ParsedDigest:
    """:func:`decode` then :func:`parse`."""
    return parse(decode(data, source), source)


_DIGEST_PAGE_LINE = re.compile(
    rb"^[ \t#*>-]*(?:Daily Papers|Get trending papers.*|byAK\b.*|Submitted by .*"
    rb"|\[?https?://huggingface\.co/papers/\S+)\s*$",
    re.MULTILINE,
)
"""A line of a Daily Papers page that a copy keeps even without its date line."""


def looks_like_a_page(data: bytes) -> bool:
    """True when the text has a line that only a Daily Papers page has (its header, a paper link)."""
    return _DIGEST_PAGE_LINE.search(data) is not None
