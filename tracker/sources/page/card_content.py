"""One card of a page: its title and the fields read from the lines under it.

Inside a card: ``Authors:`` and the like become fields, a line that is only
a date is the paper's publication date, an upvote count is its upvotes, an
``Abstract`` / ``摘要`` label or heading marks the abstract, an
original-title line (``原文标题``) replaces a translated heading, a bold line
opening a card whose heading is only a counter (``## Paper 1``) is its title,
and the rest of the card's text is the abstract.

Pure: no I/O.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from tracker.models import normalize_title
from tracker.sources import dates, fields, markup
from tracker.sources.names import looks_like_names
from tracker.sources.page.lines import RULE, Line, without_links
from tracker.sources.page.shapes import (
    ABSTRACT_LABELS,
    AI_SUMMARY,
    AUTHOR_COUNT,
    AUTHOR_LABELS,
    BYLINE,
    CJK,
    COMMENTS,
    DATE_LABELS,
    LEAD_SYMBOLS,
    NUMBERING,
    ORIGINAL_TITLE_LABELS,
    RECORD_NUMBER,
    SKIP_LABELS,
    SUBMITTED,
    TITLE_LABELS,
    TRANSLATION,
    VOTE_LABELS,
    VOTE_MARK,
    field_label,
    known_field,
    title_of,
    vote_count,
)
from tracker.sources.parsed import ParsedPaper
from tracker.sources.text import is_page_noise, is_prose
from tracker.sources.text.blocks import ends_sentence

ORIGINAL_RANK = 4  # an original-title line ("原文标题: …") names the title outright
# "**Title**" as a whole line: the title of a card whose heading is a counter.
_BYLINE_BREAK = re.compile(r"\s+[·•|]\s+")
_WHOLE_BOLD = re.compile(r"(\*\*|__)(?!\s)(.+?)(?<!\s)\1")


@dataclass(slots=True)
class Card:
    """Where a paper's card starts and what its start says."""

    line: int  # index into the page's lines
    title: str | None  # from a title link or the heading
    paper_id: str | None
    level: int  # the heading level that ends it (7: any heading ends it)
    truncated: bool = False
    # How much the page says this is the title (the same paper's other cards
    # give way to a higher rank): a heading over the card's section 1, a link
    # to the paper 2, such a link set off (a heading, bold) 3.
    rank: int = 2
    url: str | None = None  # where a paper with no id is (its "Paper Link" to a PDF)


@dataclass(slots=True)
class Paper:
    """A paper as read from its card(s), before it becomes a ParsedPaper."""

    key: str
    title: str
    line: int
    arxiv_id: str | None
    abstract: str = ""
    authors: tuple[str, ...] = ()
    upvotes: int | None = None
    published: str | None = None
    truncated: bool = False
    title_rank: int = 0
    url: str | None = None  # a paper without an id: where the page links it


class CardContent:
    """The fields of one card, read from its lines after the title."""

    def __init__(self, card: Card, line_no: int, day: dt.date | None) -> None:
        self.line_no = line_no  # where the card's title is, for warnings
        self.card = card
        self.day = day
        self.ids: list[str] = []
        self.paragraphs: list[list[str]] = [[]]  # the card's text, paragraph by paragraph
        self.labelled: list[tuple[str, list[list[str]]]] = []  # ("abstract", paragraphs)
        self.target: list[list[str]] = self.paragraphs
        self.original_title: str | None = None
        self.in_original_title = False
        self.authors: tuple[str, ...] = ()
        # The card's first line when its heading names no title ("## Paper 1") and
        # that line is wholly bold: the title the page sets off under the counter.
        self.lead_title: str | None = None
        self.first_line = card.title is None
        # A title in Chinese, Japanese or Korean script may be a translation, with the
        # original printed on the card's first line of text (checked once).
        self.translated = bool(card.title and CJK.search(card.title))
        self.votes: list[int] = []  # upvote counts in the card's region, in order
        self.published: str | None = None

    def _text(self, text: str, new_paragraph: bool = False) -> None:
        if new_paragraph and self.target[-1]:
            self.target.append([])
        self.target[-1].append(text)

    def _prose_yet(self) -> bool:
        """Has the card's text begun (more than a button's label or a tag above it)?"""
        return any(is_prose(line) for paragraph in self.paragraphs for line in paragraph)

    def _break(self) -> None:
        if self.target[-1]:
            self.target.append([])

    def read(self, lines: list[Line]) -> None:
        for line in lines:
            self.ids.extend(line.ids)
            if line.blank:
                self.in_original_title = False
                self._break()
                continue
            if self.first_line:
                self.first_line = False
                if self._lead_title(line):
                    continue
            if self.translated:
                self.translated = False
                if self._original_under(line):
                    continue
            text = line.text
            if self.in_original_title and not line.heading >= 0 and field_label(text) is None:
                self.original_title = f"{self.original_title} {text}"
                continue
            self.in_original_title = False
            if line.heading >= 0:
                labelled = known_field(text)  # "### Authors: A, B": a field set as a heading
                if labelled is None or not self.field(*labelled):
                    self._sub_heading(text)
                continue
            if not text or RULE.fullmatch(line.raw.strip()):
                continue
            if self._meta(line, text):
                continue
            if line.link_only:
                prose = [link.text for link in line.links if not link.image and is_prose(link.text)]
                if prose:
                    self._text(" ".join(prose), new_paragraph=True)
                continue
            if is_page_noise(text):
                continue
            self._text(text, new_paragraph=line.bullet)

    def _lead_title(self, line: Line) -> bool:
        if line.heading >= 0 or line.links or line.ids:
            return False
        m = _WHOLE_BOLD.fullmatch(line.raw.strip())
        if m is None:
            return False
        self.lead_title = title_of(markup.inline_text(m.group(2)), heading=False)
        return self.lead_title is not None

    def _original_under(self, line: Line) -> bool:
        """``全能代理：邁向原生全模態`` then ``Omni Agents: Towards …``: the original title.

        The card's first line of text, right under a title in Chinese,
        Japanese or Korean script, that is itself a title in another script
        (no such characters, no link, no label, not a sentence, not a list of
        names) is the title the translation was made from.
        """
        text = line.text
        if line.heading >= 0 or line.links or line.ids or line.bullet or CJK.search(text):
            return False
        if known_field(text) is not None or looks_like_names(text) or ends_sentence(text):
            return False
        original = title_of(text, heading=True)
        if original is None:
            return False
        self.original_title = original
        return True

    def _sub_heading(self, text: str) -> None:
        key = LEAD_SYMBOLS.sub("", NUMBERING.sub("", text, count=1), count=1)
        key = key.strip(" :：").casefold()
        base = re.sub(r"\s*\(.*\)$", "", key)
        if key in ABSTRACT_LABELS or base in ABSTRACT_LABELS:
            self.target = [[]]
            self.labelled.append(("translation" if TRANSLATION.search(key) else key, self.target))
            return
        self.target = self.paragraphs
        self._break()
        if text:
            self._text(text)
            self._break()

    def _meta(self, line: Line, text: str) -> bool:
        """Take a field line (authors, votes, a date, an id); False for other text."""
        labelled = field_label(text) if not line.link_only else None
        if labelled is not None and self.field(*labelled):
            return True
        # "May 29", "Jul 24, 2024 [2](…/papers/ID#community)": the paper's own date (with
        # a comment count that links to the paper).
        found = dates.date_only(text)
        if found is None and line.links:
            found = dates.date_only(without_links(line))
        if found is not None:
            self._published(found)
            return True
        if line.link_only and any(not link.image and is_prose(link.text) for link in line.links):
            return False  # the abstract as the text of a link to the paper: the card's text
        if line.ids and line.link_only:
            # "[1.09k](…/papers/ID) [4](…/papers/ID#community)": upvotes, then comments.
            for link in line.links:
                votes = vote_count(link.text) if link.url and "#" not in link.url else None
                if votes is not None and link.paper_id:
                    self._set_votes(votes)
                    break
            return True
        if line.ids and len(text) < 80 and not is_prose(text):
            return True  # "Link: https://…/papers/ID", "arXiv:2410.05258", a card's own link
        if SUBMITTED.match(text):
            return True  # "Submitted by taesiri": who put it on the list
        if RECORD_NUMBER.fullmatch(text):
            return True  # "Match 2:": the number of the next record, not text of this one
        votes = vote_count(text)
        if votes is not None and (line.link_only or VOTE_MARK.search(line.raw) or text.isdigit()):
            self._set_votes(votes)
            return True
        if AUTHOR_COUNT.fullmatch(text) or COMMENTS.fullmatch(text):
            return True
        if not self.authors and not self._prose_yet() and BYLINE.fullmatch(text):
            # "Seung Y. Lee & Iván Marinovic · Stanford GSB WP 4253 · 2025年4月": the
            # authors, then where and when the paper appeared (a field, as "Comments:").
            names = _BYLINE_BREAK.split(text, maxsplit=1)[0]
            self.authors = fields.split_authors(names.replace(" & ", ", "))
            return True
        if not self.authors and not self._prose_yet() and looks_like_names(text):
            # "Bum-Hoon Lee, Nils A. Nilsson, Somyadip Thakur" under the title, unlabelled.
            self.authors = fields.split_authors(text.replace(" & ", ", "))
            return True
        return not any(c.isalnum() for c in text)

    def field(self, label: str, value: str) -> bool:
        """Take a labelled field (``Authors: A, B``, a table's column); False for an unknown label."""
        base = re.sub(r"\s*\(.*\)$", "", label)
        if label in ORIGINAL_TITLE_LABELS or base in ORIGINAL_TITLE_LABELS:
            head, bar, rest = value.partition(" | ")
            if bar and field_label(rest) is not None:
                value = head  # "**论文标题**: Title | **Link**: arXiv": the next field's, not its
            self.original_title = value
            self.in_original_title = True
            return True
        if label in ABSTRACT_LABELS or base in ABSTRACT_LABELS:
            self.target = [[]]
            kind = "translation" if TRANSLATION.search(label) else label
            self.labelled.append((kind, self.target))
            if value:
                self._text(value)
            return True
        if label in AUTHOR_LABELS and value:
            if not self.authors:
                self.authors = fields.split_authors(value)
            return True
        if label in VOTE_LABELS:
            votes = vote_count(LEAD_SYMBOLS.sub("", value.split()[0]) if value else "")
            if votes is not None:
                self._set_votes(votes)
            return True
        if label in DATE_LABELS:
            found = dates.find_date(value)
            if found is not None:
                self._published(found)
            return True
        # The card's own title as a field ("Title: …"): already its title, not its text.
        return label in SKIP_LABELS or label in TITLE_LABELS or base in TITLE_LABELS

    def _set_votes(self, votes: int) -> None:
        self.votes.append(votes)

    def _published(self, found: dates.DateMention) -> None:
        if self.published is None:
            self.published = dates.resolve_year(found, self.day) or found.text

    # -- result ------------------------------------------------------------------------------
    def paper(self, votes: int | None) -> Paper | None:
        card = self.card
        title = card.title
        rank = card.rank if title else 0
        if self.original_title and (title is None or CJK.search(title)):
            # The original wins over a translated heading, never over one in the original's
            # own script: "**论文标题**: AAA" under "### 1. Why Small Fridges …" is a field.
            original = title_of(self.original_title, heading=True)
            if original:
                title, rank = original, ORIGINAL_RANK
        if title is None and self.lead_title:
            title, rank = self.lead_title, 2
        if title is None:
            return None
        pid = card.paper_id
        key = pid or normalize_title(title)
        if not key:
            return None
        return Paper(
            key=key,
            title=title,
            line=self.line_no,
            arxiv_id=pid,
            abstract=self._abstract(),
            authors=self.authors,
            upvotes=votes,
            published=self.published,
            truncated=card.truncated and rank < ORIGINAL_RANK,
            title_rank=rank,
            url=card.url,
        )

    def _abstract(self) -> str:
        chosen: list[list[str]] | None = None
        for kind, paragraphs in self.labelled:
            if kind != "translation" and any(paragraphs):
                chosen = paragraphs
                break
        if chosen is None:
            chosen = self.paragraphs if any(self.paragraphs) else None
        if chosen is None:
            for _, paragraphs in self.labelled:
                if any(paragraphs):
                    chosen = paragraphs
                    break
        if chosen is None:
            return ""
        texts = [" ".join(p) for p in chosen if p]
        # The site puts its AI summary first, labelled after it: the abstract follows.
        marks = [i for i, t in enumerate(texts) if AI_SUMMARY.fullmatch(t)]
        if marks and marks[-1] + 1 < len(texts):
            texts = texts[marks[-1] + 1 :]
        return "\n\n".join(texts)


def merge_into(known: Paper, other: Paper) -> None:
    """The same paper again (a second rendering, a table row and a card): fill in."""
    better = (other.title_rank, not other.truncated) > (known.title_rank, not known.truncated)
    if known.truncated and not other.truncated:
        better = True
    if better:
        known.title, known.title_rank, known.truncated = (
            other.title,
            other.title_rank,
            other.truncated,
        )
    if len(other.abstract) > len(known.abstract):
        known.abstract = other.abstract
    known.authors = known.authors or other.authors
    if other.upvotes is not None:
        known.upvotes = max(known.upvotes or 0, other.upvotes)
    known.published = known.published or other.published
    known.url = known.url or other.url


def to_parsed(paper: Paper) -> ParsedPaper:
    pid = paper.arxiv_id
    return ParsedPaper(
        title=paper.title,
        abstract=paper.abstract,
        line=paper.line,
        arxiv_id=pid,
        url=fields.arxiv_url(pid) if pid else paper.url,
        authors=paper.authors,
        upvotes=paper.upvotes,
        published=paper.published,
    )
