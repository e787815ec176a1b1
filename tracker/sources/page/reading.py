"""Reading a page with paper links: cards into papers, papers into the page's day(s).

Pure: no I/O. Linear in the size of the text.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from tracker.sources import dates, markup
from tracker.sources.page.card_content import Card, CardContent, Paper, merge_into, to_parsed
from tracker.sources.page.cards import CardFinder
from tracker.sources.page.days import (
    capture_day,
    day_between,
    day_heading,
    front_matter_end,
    iso_day,
    page_day,
)
from tracker.sources.page.lines import RULE, build_lines, wiki_ids_as_links
from tracker.sources.page.link_hints import might_link_papers
from tracker.sources.page.one_paper import READER_TITLE, read_one_paper
from tracker.sources.page.shapes import (
    ALT_ANYWHERE,
    SUBMITTED,
    VOTE_MARK,
    excerpt,
    field_label,
    heading_key,
    title_of,
    vote_count,
)
from tracker.sources.page.short_names import abbreviates
from tracker.sources.page.skipped import Warnings
from tracker.sources.parsed import DoubtfulDigestError, ParsedDigest, ParsedSection
from tracker.sources.text import is_page_noise


@dataclass(slots=True)
class Section:
    label: str | None
    iso: str | None
    line: int | None
    papers: list[Paper] = field(default_factory=list)
    by_key: dict[str, Paper] = field(default_factory=dict)  # id (or title) -> paper


def parse(text: str, source: str = "<page>") -> ParsedDigest | None:
    """Read a page whose papers are links; None when it has no such links.

    Raises :class:`DigestError` when the page has paper links but most of what
    looks like a paper cannot be read as one.
    """
    if not might_link_papers(text):
        return None
    return Page(text, source).read()


class Page:
    """One page read card by card."""

    def __init__(self, text: str, source: str) -> None:
        self.source = source
        self.warn = Warnings()
        raw_lines = markup.strip_controls(text).split("\n")
        self.front: dict[str, str] = {}
        front = front_matter_end(raw_lines)
        for index in range(front):
            key, sep, value = raw_lines[index].partition(":")
            if sep:
                self.front[key.strip().casefold()] = value.strip().strip("\"'")
            raw_lines[index] = ""
        refs = markup.reference_definitions(raw_lines)
        for index in refs.lines:
            raw_lines[index] = raw_lines[index] if raw_lines[index].lstrip()[:1] != "[" else ""
        if "<" in text:
            raw_lines = [markup.html_links_to_markdown(line) for line in raw_lines]
        if "[[" in text:
            raw_lines = [wiki_ids_as_links(line) for line in raw_lines]
        if refs.lynx:
            raw_lines = markup.lynx_to_markdown(raw_lines, refs)
            for index in refs.lines:
                raw_lines[index] = ""
        self.lines = build_lines("\n".join(raw_lines), refs)
        self.reader_title = next(
            (m.group(1) for line in raw_lines[:10] if (m := READER_TITLE.match(line))), ""
        )
        self.finder = CardFinder(self.lines)
        self.short_rows: set[int] = set()  # table rows skipped as short names of papers

    def read(self) -> ParsedDigest | None:
        single = read_one_paper(self.lines, self.front, self.reader_title, self.warn)
        if single is not None:
            return single
        cards = self._without_short_names(self.finder.cards())
        if not cards:
            return None
        sections = self._sections(cards)
        papers = [p for s in sections for p in s.papers]
        doubtful = self.warn.counts["doubtful"]
        if not papers or doubtful > len(papers):
            found = len(papers)
            raise DoubtfulDigestError(
                self.source,
                f"{self.source}: {doubtful} of the {doubtful + found} paper links or headings "
                "found have no title that can be read (nothing was imported); if this is a "
                "digest in another format, try --format (text, hf-json, arxiv, html), and "
                "--date if it names no day",
            )
        result = tuple(
            ParsedSection(s.label, s.iso, s.line, tuple(to_parsed(p) for p in s.papers))
            for s in sections
            if s.papers
        )
        # A page that names no day is the import's to settle: dated by --date,
        # else refused with what to do (tracker/library/import_plan.py).
        return ParsedDigest(result, self.warn.finish())

    def _without_short_names(self, cards: list[Card]) -> list[Card]:
        """Table rows that name a paper of the page again by a short name are not papers.

        ``| IndexCache | 高效 LLM | … |`` in a summary table, with no link to any
        paper, under the papers ``### 1. IndexCache: Accelerating …``: the row
        is that paper again, and ``IndexCache`` is not a title.
        """
        rows = self.finder.rows.cards
        titled = [c for c in cards if c.title and c.line not in rows]
        kept: list[Card] = []
        for card in cards:
            full = None
            if card.line in rows and card.paper_id is None and card.title:
                name = card.title
                full = next((c for c in titled if abbreviates(name, c.title or "")), None)
            if full is None:
                kept.append(card)
                continue
            self.short_rows.add(card.line)
            self.warn.add(
                self.lines[card.line].no,
                f"skipped the table row {excerpt(card.title or '')}: a short name of "
                f"{excerpt(full.title or '')} (line {self.lines[full.line].no}), the same paper",
                kind="short names",
            )
        return kept

    def _card_parts(self, cards: list[Card]) -> set[int]:
        """Headings at a card's own level that are parts of every card, not ends of one.

        A bot's report sets each paper's sections at the level of the paper's
        heading (``#### 1. <Title>``, then ``#### 研究背景和问题``, ``#### 主要方法``
        … under every paper): a heading naming no paper whose words come back
        under two or more cards of that level is the cards' template, so the
        card goes on over it. A heading that comes once (``## About``) still
        ends the last card.
        """
        levels = {card.level for card in cards}
        starts = {card.line for card in cards}
        seen: dict[tuple[int, str], list[int]] = {}
        for index, line in enumerate(self.lines):
            if line.heading in levels and index not in starts and not line.ids:
                seen.setdefault((line.heading, heading_key(line.text)), []).append(index)
        parts: set[int] = set()
        ordered = sorted(starts)
        for found in seen.values():
            under = {bisect.bisect(ordered, index) for index in found}  # the card above each
            if len(found) >= 2 and len(under) >= 2 and 0 not in under:
                parts.update(found)
        return parts

    def _sections(self, cards: list[Card]) -> list[Section]:
        lines = self.lines
        first = cards[0].line
        own_day = page_day(lines, self.front, first)
        if own_day[0] is None:
            # Nothing at the top names the day: a "Generated: …" / "总结时间: …" line
            # further down (a footer, each card of a bot's report) says when it was made.
            own_day = capture_day(lines) or own_day
        current = Section(*own_day)
        sections = [current]
        day = iso_day(own_day[1])
        found: list[Paper] = []
        claimed: set[str] = set()
        inside: dict[str, tuple[int, str]] = {}  # id -> (line, title) of the card it is in
        starts = [c.line for c in cards]
        votes_first = self._votes_first(first)
        parts = self._card_parts(cards)
        carried: int | None = None
        if votes_first:
            carried = self._header_votes(first)
        for number, card in enumerate(cards):
            end = starts[number + 1] if number + 1 < len(cards) else len(lines)
            # A heading at the card's level or above, or a day heading, ends it early;
            # a table row is a card of its own.
            row = self.finder.rows.fields.get(card.line)
            stop = card.line + 1 if row is not None else end
            for index in range(card.line + 1, stop):
                line = lines[index]
                if 0 <= line.heading <= card.level and index not in parts:
                    stop = index
                    break
                if line.heading > 0 and day_heading(line):
                    stop = index
                    break
                if card.level == 0 and line.heading < 0 and RULE.fullmatch(line.raw.strip()):
                    stop = index  # a rule under a plain-text record closes it: a footer follows
                    break
            content = CardContent(card, lines[card.line].no, day)
            content.read(lines[card.line + 1 : stop])
            for label, value in row or ():
                content.field(label, value)
            if row is not None:
                paper = content.paper(content.votes[0] if content.votes else None)
            elif votes_first:
                # Each count sits above its title: the counts in this card's region
                # belong to the next card, the one carried here to this one.
                paper = content.paper(carried)
                carried = content.votes[-1] if content.votes else None
            else:
                paper = content.paper(content.votes[0] if content.votes else None)
            line = lines[card.line]
            claimed.update(line.ids)
            if card.paper_id is None:
                claimed.update(content.ids)  # a card without an id: its links may be its own
            else:
                # Another paper's link inside this card's text is no part of this paper:
                # unless it has a card of its own, the reader is told it was skipped.
                for pid in content.ids:
                    if pid == card.paper_id:
                        claimed.add(pid)
                    else:
                        inside.setdefault(pid, (line.no, card.title or pid))
            if paper is None:
                self.warn.add(
                    line.no,
                    f"skipped {excerpt(line.text)} (a link to a paper, but no title for it)",
                    kind="doubtful",
                )
            else:
                self._add(current, paper)
                found.append(paper)
            if stop < end:
                day_line = day_between(lines[stop:end])
                if day_line is not None:
                    # A day heading: the next cards are that day's (the same day again,
                    # as on a page copied twice, goes on with the day it names).
                    label, iso, no = day_line
                    known = next((s for s in sections if (s.label, s.iso) == (label, iso)), None)
                    if known is None:
                        known = Section(label, iso, no)
                        sections.append(known)
                    current = known
                    day = iso_day(iso) or day
                self._skip_between(stop, end)
        self._skip_between(0, first, header=True)
        for no, shown in self.finder.rows.skipped:
            self.warn.add(
                no, f"skipped the table row {excerpt(shown)} (no title in it)", kind="doubtful"
            )
        keys = {p.key for p in found}
        cited = [(no, pid) for pid, (_, no) in self.finder.references.items() if pid not in keys]
        if cited:
            claimed.update(pid for _, pid in cited)
            self.warn.add(
                min(cited)[0],
                f"skipped {len(cited)} paper{'s' if len(cited) != 1 else ''} listed only under "
                "a sources or references heading (works the page cites, not papers of this page)",
            )
        for line in lines:
            for pid in line.ids:
                if pid not in claimed:
                    claimed.add(pid)
                    where = inside.get(pid)
                    reason = (
                        f"it is in the text of {excerpt(where[1])} (line {where[0]}), "
                        "not a paper of its own"
                        if where is not None
                        else "no title for it on the page"
                    )
                    self.warn.add(
                        line.no,
                        f"skipped the link to paper {pid}: {reason}",
                        kind="unread paper links",
                    )
        for paper in (p for s in sections for p in s.papers):
            if paper.truncated:
                self.warn.add(
                    paper.line, f"the page shows only {excerpt(paper.title)}: a cut-off title"
                )
        return sections

    def _add(self, section: Section, paper: Paper) -> None:
        """A paper into its day's digest; the same paper again on that day fills in."""
        known = section.by_key.get(paper.key)
        if known is not None:
            merge_into(known, paper)
            return
        section.by_key[paper.key] = paper
        section.papers.append(paper)

    def _votes_first(self, first: int) -> bool:
        """Does the page put each upvote count above its title (the site's cards do)?"""
        for line in reversed(self.lines[max(0, first - 12) : first]):
            if line.blank:
                continue
            votes = vote_count(line.text)
            if votes is not None and (
                line.link_only or VOTE_MARK.search(line.raw) or line.text.isdigit()
            ):
                return True
            if line.link_only and not line.ids:
                continue  # an avatar, a user name
            if line.heading >= 0 or (line.text and not is_page_noise(line.text)):
                return False
        return False

    def _header_votes(self, first: int) -> int | None:
        for line in reversed(self.lines[max(0, first - 12) : first]):
            votes = vote_count(line.text) if not line.blank else None
            if votes is not None:
                return votes
        return None

    def _skip_between(self, start: int, end: int, header: bool = False) -> None:
        """Say which title-shaped lines outside any card were not taken for papers."""
        for index in range(start, end):
            line = self.lines[index]
            if line.blank or line.link_only or line.ids or index in self.short_rows:
                continue
            text = ALT_ANYWHERE.sub("", line.text)  # "by[图片：…] AK and the research community"
            if not text or len(text.split()) < 3 or field_label(text) is not None:
                continue
            if day_heading(line) or dates.find_date(text) or SUBMITTED.match(text):
                continue
            if title_of(text, heading=True) is not None and not (header and line.heading == 1):
                self.warn.add(
                    line.no,
                    f"skipped {excerpt(text)} (no link to a paper; not taken for one)",
                    kind="lines without a paper link",
                )
