"""Pages whose papers are marked by links: read them card by card, anchored on ids.

Most real copies of paper pages keep their links: Markdown conversions of
``huggingface.co/papers`` (daily, weekly, search and trending views), lynx
dumps with their numbered list of links, note-taking exports, and Markdown
digests written by bots (often in another language). On such a page a paper is
a link to ``huggingface.co/papers/ID`` or ``arxiv.org/abs/ID`` (or an
``arXiv:ID``, or a field naming its bare id: ``**论文ID:** 2508.03694v1``):
one id is one paper, however often the page shows it. Only a
line with such evidence can give a title; everything else on the page is the
paper's abstract, one of its fields, or page text that is skipped.

The page is read in three steps, each in its module:

1. **Lines** (:mod:`.lines`). Links are found over the whole text (a link's
   text may run over several lines: a wrapped title, a whole abstract inside
   a card's link) and each line knows its links, its ids, and its decoration
   (a heading level, a bullet, a table row).
2. **Cards** (:mod:`.cards`). A card starts at a *title link* (a line that is
   a link to a paper whose text reads as a title, give or take a mark or a
   short badge), at a row of a table of papers (:mod:`.tables`), or at a
   heading that owns one paper id: the heading level chosen is the one whose
   sections hold ids most often, so sub-headings inside a card are not cards,
   and a heading over cards of its own is not one. Pages without any id but
   with ``### [Title][12]`` headings (a copy whose link list was cut off) take
   those headings as their cards. The same id on several cards is one paper;
   its title is the one the page sets off most (a heading or bold link over a
   plain link, a link over a heading that only holds it).
3. **Fields** (:mod:`.card_content`). Inside a card: ``Authors:`` and the
   like become fields, a line that is only a date is the paper's publication
   date, an upvote count is its upvotes, an ``Abstract`` / ``摘要`` label or
   heading marks the abstract, an original-title line (``原文标题``) replaces
   a translated heading, and the rest of the card's text is the abstract.

The page's day (:mod:`.days`) comes from its head (a date heading or line,
``Daily Papers (2025-04-25)``, a capture date, the days its links point
to); a date heading further down starts another digest; a date inside a
card is never a digest boundary.

The page of one paper is read apart (:mod:`.one_paper`); :mod:`.shapes` says
what a piece of text is (a title, a label, a count), :mod:`.reading` puts it
all together. :func:`parse` returns None for a page without such links: the
plain-text reader (:mod:`tracker.sources.text`) takes those.

Pure: no I/O. Linear in the size of the text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tracker.sources.page.link_hints import might_link_papers

if TYPE_CHECKING:
    from tracker.sources.parsed import ParsedDigest

__all__ = ["parse", "untitled_links"]


def parse(text: str, source: str = "<page>") -> ParsedDigest | None:
    """Read a page whose papers are links; None when it has no such links.

    Raises :class:`DigestError` when the page has paper links but most of what
    looks like a paper cannot be read as one.
    """
    if not might_link_papers(text):
        return None
    # The card reader is imported for a page with links only: a plain-text digest
    # (most days' import) does not pay for importing it and compiling its patterns.
    from tracker.sources.page import reading

    return reading.parse(text, source)


def untitled_links(text: str, source: str = "<page>") -> tuple[int, int, str] | None:
    """(paper links, first line, first link text) of a page that links papers but titles none.

    For the sentence that refuses such a page (a site's sidebar of short names
    and one-liners, ``[UniMesh | 统一三维网格…](/day/papers/ID.md)``): it names
    papers, so "not a format paper-tracker reads" would be wrong. Asked only
    once the page gave no paper: it reads the page's links again.
    """
    if not might_link_papers(text):
        return None
    from tracker.sources.page.lines import link_id
    from tracker.sources.page.reading import Page

    found: dict[str, tuple[int, str]] = {}  # id -> its first line and link text
    for line in Page(text, source).lines:
        for link in line.links:
            pid = None if link.image else link_id(link)[0]
            if pid is not None:
                found.setdefault(pid, (line.no, link.text))
    if not found:
        return None
    first_no, first_text = next(iter(found.values()))
    return len(found), first_no, first_text
