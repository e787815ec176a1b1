"""The page of one paper (``huggingface.co/papers/ID`` clipped or converted).

Pure: no I/O.
"""

from __future__ import annotations

import re

from tracker.sources import fields, markup
from tracker.sources.page.card_content import Card, CardContent, to_parsed
from tracker.sources.page.days import capture_day, iso_day, page_day
from tracker.sources.page.lines import Line
from tracker.sources.page.shapes import ABSTRACT_LABELS, heading_key, title_of
from tracker.sources.page.skipped import Warnings
from tracker.sources.parsed import ParsedDigest, ParsedSection

# A page of one paper: its address, a reader's header lines, the site's title prefix.
PAPER_PAGE_URL = re.compile(
    rf"(?:huggingface\.co|hf\.co)/papers/{fields.ARXIV_ID}(?:v\d+)?/?(?:[?#].*)?$"
    rf"|arxiv\.org/abs/{fields.ARXIV_ID}(?:v\d+)?/?$",
    re.IGNORECASE,
)
READER_URL = re.compile(r"(?:url source|url|source)\s*:\s*(\S+)", re.IGNORECASE)
READER_TITLE = re.compile(r"\s*title\s*:\s*(.+)", re.IGNORECASE)
PAPER_PAGE = re.compile(r"^\s*paper page\s*[-–—:]\s*", re.IGNORECASE)


def read_one_paper(
    lines: list[Line], front: dict[str, str], reader_title: str, warn: Warnings
) -> ParsedDigest | None:
    """The page of one paper (``huggingface.co/papers/ID`` clipped or converted).

    Known by the page's own address (front matter ``source:``, a reader's
    ``URL Source:`` line): its paper is the first heading, its abstract the
    text under ``Abstract``; the papers it links to (recommendations,
    citations) are not papers of this page.
    """
    pid = own_paper_id(lines, front)
    if pid is None:
        return None
    start = next(
        (
            i
            for i, line in enumerate(lines)
            if 0 < line.heading <= 2
            and title_of(line.text, heading=True)
            and heading_key(line.text) not in ABSTRACT_LABELS
        ),
        None,
    )
    # The front matter's title is the note's own name for its paper: a note whose first
    # heading is a section of it ("## 核心贡献", "## Key Contributions") has its title there.
    title = _named(front.get("title", ""))
    if title is None and start is not None:
        title = title_of(lines[start].text, heading=True)
    if title is None:
        title = _named(reader_title)
    if title is None:
        return None
    first = start if start is not None else 0
    end = next((i for i in range(first + 1, len(lines)) if lines[i].heading >= 0), len(lines))
    day_label, day_iso, day_no = page_day(lines, front, end)
    if day_iso is None:
        # A paper's page keeps when it was taken with its metadata ("**Collected**: …").
        day_label, day_iso, day_no = capture_day(lines) or (day_label, day_iso, day_no)
    content = CardContent(Card(first, title, pid, 7), lines[first].no, iso_day(day_iso))
    content.read(lines[first + 1 :])
    paper = content.paper(content.votes[0] if content.votes else None)
    if paper is None:
        return None
    others = {p for line in lines for p in line.ids} - {pid}
    if others:
        warn.add(
            lines[first].no,
            f"skipped {len(others)} other paper{'s' if len(others) != 1 else ''} the page "
            "links to: it is the page of one paper",
        )
    section = ParsedSection(day_label, day_iso, day_no, (to_parsed(paper),))
    return ParsedDigest((section,), warn.finish())


def _named(named: str) -> str | None:
    """The title a page names in its front matter or a reader's ``Title:`` line, if one."""
    return title_of(PAPER_PAGE.sub("", markup.inline_text(named)), heading=True) if named else None


def own_paper_id(lines: list[Line], front: dict[str, str]) -> str | None:
    """The paper id in the page's own address, if the page is one paper's page."""
    for key in ("source", "url", "link", "canonical", "original_url", "arxiv_url", "paper_url"):
        value = front.get(key)
        if value and PAPER_PAGE_URL.search(value):
            return markup.paper_id(value)
    # A site's post about one paper, named by its id in its front matter (Jekyll, Hugo).
    for key in ("arxiv_id", "arxiv"):
        found = fields.arxiv_id(front.get(key, ""))
        if found is not None:
            return found
    for line in lines[:15]:
        if line.raw[:1].isspace():
            continue  # "    URL: …" under "[1] Title": a record's field, not the page's address
        m = READER_URL.match(line.text)
        if m and PAPER_PAGE_URL.search(m.group(1)):
            return markup.paper_id(m.group(1))
    return None
