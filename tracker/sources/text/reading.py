"""The text parser's entry point: front matter skipped, then the three passes."""

from __future__ import annotations

import dataclasses
import itertools
import re

from tracker.sources import dates
from tracker.sources.parsed import (
    DigestError,
    DoubtfulDigestError,
    ParsedDigest,
    ParsedPaper,
    ParsedSection,
    decode,
    normalize_newlines,
)
from tracker.sources.patterns import lazy
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
        if not raw and no > front:
            flush()  # what classify_line makes of an empty line (half the lines of a page)
            continue
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
    if _dates_are_the_papers(sections):
        sections = _one_digest(sections, warnings)
    if sections and sections[0].label and not sections[0].date:
        sections[0] = _year_from_day_links(sections[0], text, warnings)
    if not sections:
        raise DigestError(
            source,
            f"no papers found in {source}: expected a date line followed by title and abstract blocks",
        )
    found = sum(len(s.papers) for s in sections)
    doubtful = warnings.count("skipped")
    bare = sum(1 for s in sections for p in s.papers if not p.abstract)
    if bare * 2 > found and bare >= DOUBTFUL_MIN:
        # A copy of a papers page gives each title its abstract; lines that stand alone
        # (headings, menus, a document's sections) are not papers, whatever --date says.
        raise DoubtfulDigestError(
            source,
            f"{source}: {bare} of the {found} titles found have no abstract under them "
            "(headings or page text, not papers); nothing was imported. If it is a digest "
            "in another format, try --format",
        )
    headings = _section_heading_titles(sections, lines)
    if headings * 2 > found and headings >= DOUBTFUL_MIN:
        # A Markdown page that links no paper and names none by its id, whose
        # "titles" are its own # headings: an essay, notes or a README in
        # sections. A digest written in Markdown links its papers.
        raise DoubtfulDigestError(
            source,
            f"{source}: {headings} of the {found} titles found are the page's own section "
            "headings, and it links no paper and names none by its arXiv id: a document, "
            "not a digest; nothing was imported",
        )
    unlike = _unlike_titles(sections, lines)
    if unlike * 2 > found and unlike >= DOUBTFUL_MIN:
        # No paper named by a link or an id, and most "titles" are what a Markdown
        # document is made of (list items, code, quotes, headings, sentences): a
        # README or notes. A copy of a papers page sets each title on a plain line.
        raise DoubtfulDigestError(
            source,
            f"{source}: {unlike} of the {found} titles found are list items, code, quotes, "
            "headings or sentences, and it links no paper and names none by its arXiv id: "
            "a document, not a digest; nothing was imported",
        )
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


_HEADING_LINE = lazy(r"\s{0,3}#{1,6}\s")


def _section_heading_titles(sections: list[ParsedSection], lines: list[str]) -> int:
    """How many titles are Markdown headings; 0 when any paper has a link or an id."""
    papers = [p for s in sections for p in s.papers]
    if any(p.arxiv_id or p.url for p in papers):
        return 0
    return sum(
        1 for p in papers if 0 < p.line <= len(lines) and _HEADING_LINE.match(lines[p.line - 1])
    )


# A line a Markdown document is made of: a list item, a code fence or a quote.
_DOCUMENT_LINE = lazy(r"\s*(?:[-*+]\s|\d{1,3}[.)]\s|```|~~~|>)")


def _unlike_titles(sections: list[ParsedSection], lines: list[str]) -> int:
    """How many titles stand on a heading, list item, code or quote line, or are a
    sentence; 0 when any paper has a link or an id (the page names its papers)."""
    papers = [p for s in sections for p in s.papers]
    if any(p.arxiv_id or p.url for p in papers):
        return 0
    count = 0
    for paper in papers:
        raw = lines[paper.line - 1] if 0 < paper.line <= len(lines) else ""
        if _HEADING_LINE.match(raw) or _DOCUMENT_LINE.match(raw) or ends_sentence(paper.title):
            count += 1
    return count


# --------------------------------------------------------------------------
# Per-paper dates
# --------------------------------------------------------------------------


def _dates_are_the_papers(sections: list[ParsedSection]) -> bool:
    """Date lines that each head one paper, out of order: a search or trending view.

    Such views print every paper's publication date (``May 30``, ``Mar 8,
    2024``, ``Feb 20, 2025``) in the order of the results; the days of an
    archive follow each other and usually hold several papers each.
    """
    dated = [s for s in sections if s.label is not None]
    if len(dated) < 3 or sum(1 for s in dated if len(s.papers) == 1) * 3 < len(dated) * 2:
        return False
    keys = [key for s in dated if (key := _day_key(s.label or "")) is not None]
    steps = [_later(a, b) for a, b in itertools.pairwise(keys)]
    return len(set(steps)) > 1  # neither all forward nor all backward


def _day_key(label: str) -> tuple[int, int, int] | None:
    date = parse_date(label, 0)
    return date.key if date is not None else None


def _later(a: tuple[int, int, int], b: tuple[int, int, int]) -> bool:
    """Is ``b`` after ``a``? Years count only when both dates have one."""
    if a[0] and b[0]:
        return b > a
    return b[1:] > a[1:]


def _one_digest(sections: list[ParsedSection], warnings: Warnings) -> list[ParsedSection]:
    """The page as one digest of its first day; each later date goes to the paper above it.

    On these views the date follows its paper's title and abstract, so the
    date that opens section k is the published date of the last paper of
    section k - 1.
    """
    first = sections[0]
    papers: list[ParsedPaper] = []
    for index, section in enumerate(sections):
        if index and papers and section.label:
            papers[-1] = dataclasses.replace(papers[-1], published=section.date or section.label)
        papers.extend(section.papers)
    warnings.add(
        sections[1].line or 1,
        f"read {len(sections) - 1} date lines between papers as the papers' own dates "
        "(a search or trending view), not as digest days",
    )
    return [ParsedSection(first.label, first.date, first.line, tuple(papers))]


def _year_from_day_links(section: ParsedSection, text: str, warnings: Warnings) -> ParsedSection:
    """``Mar 25`` between the page's links to ``…/papers/date/2026-03-24`` and the next day.

    A copy that keeps the page's links to the days around it dates its own
    day: the year that puts the label within a week of one of those days.
    """
    mention = dates.find_date(section.label or "")
    if mention is None:
        return section
    near = dates.near_day(mention, dates.days_linked(text))
    if near is None:
        return section
    iso, linked = near
    warnings.add(
        section.line or 1,
        f"{section.label!r} is dated {iso}: the year comes from the page's link to "
        f"{linked.isoformat()}",
    )
    return dataclasses.replace(section, date=iso)


def parse_bytes(data: bytes, source: str) -> ParsedDigest:
    """:func:`decode` then :func:`parse`."""
    return parse(decode(data, source), source)


_DIGEST_PAGE_LINE = lazy(
    rb"^[ \t#*>-]*(?:Daily Papers|Get trending papers.*|byAK\b.*|Submitted by .*"
    rb"|\[?https?://huggingface\.co/papers/\S+)\s*$",
    re.MULTILINE,
)
"""A line of a Daily Papers page that a copy keeps even without its date line."""


def looks_like_a_page(data: bytes) -> bool:
    """True when the text has a line that only a Daily Papers page has (its header, a paper link)."""
    return _DIGEST_PAGE_LINE.search(data) is not None
