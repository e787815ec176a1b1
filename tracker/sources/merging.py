"""What a page adds to a paper the library has: its digest and the fields the stored copy lacks."""

from __future__ import annotations

from tracker.models import Paper
from tracker.sources.parsed import ParsedPaper


def merge_parsed(paper: Paper, item: ParsedPaper, digest_id: str) -> None:
    """Add the digest to the paper and fill in fields the stored copy lacks.

    Nothing known is lost: an abstract is only replaced by one that extends
    it (a page showing a cut-off abstract, then the JSON with the whole one),
    and the result does not depend on which source came first.
    """
    if digest_id not in paper.digests:
        paper.digests.append(digest_id)
    if _extends(item.abstract, paper.abstract):
        paper.abstract = item.abstract
    paper.arxiv_id = paper.arxiv_id or item.arxiv_id
    paper.url = paper.url or item.url
    if not paper.authors and item.authors:
        paper.authors = list(item.authors)
    paper.published = paper.published or item.published
    paper.primary_class = paper.primary_class or item.primary_class
    if item.upvotes is not None:
        # Upvotes only grow on the site, so the larger count is the newer one.
        paper.upvotes = max(paper.upvotes or 0, item.upvotes)


_ELLIPSIS = ("…", "...", "[…]", "(…)")


def _extends(new: str, old: str) -> bool:
    """True when ``new`` is a longer version of ``old`` (or ``old`` is empty)."""
    if not new or len(new) <= len(old):
        return False
    stem = old.strip()
    for mark in _ELLIPSIS:
        stem = stem.removesuffix(mark).rstrip()
    return _normalize_space(new).startswith(_normalize_space(stem))


def _normalize_space(text: str) -> str:
    return " ".join(text.split())
