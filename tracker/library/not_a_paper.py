"""What an import skips as no paper: a title without words, or far more text than a paper has."""

from __future__ import annotations

from tracker.models import MAX_ABSTRACT_CHARS, MAX_TITLE_CHARS, title_has_words
from tracker.sources.parsed import ParsedPaper


def why_not_a_paper(item: ParsedPaper) -> str:
    """Why a parsed paper is skipped ("" to keep it): no words in its title, or too much text.

    The library is the user's memory: a row that is no paper is worse than a
    paper left out, so such an item is skipped and the report says where.
    """
    if len(item.title) > MAX_TITLE_CHARS:
        return (
            f"skipped a title of {len(item.title):,} characters (a paper's title has at most "
            f"{MAX_TITLE_CHARS:,}): not a paper"
        )
    if len(item.abstract) > MAX_ABSTRACT_CHARS:
        return (
            f"skipped {_short(item.title)}: its abstract has {len(item.abstract):,} characters "
            f"(at most {MAX_ABSTRACT_CHARS:,} are kept for a paper)"
        )
    if not title_has_words(item.title):
        return f"skipped {_short(item.title)}: a title without a letter or a digit is not a paper title"
    return ""


def _short(title: str) -> str:
    text = " ".join(title.split())
    return repr(text if len(text) <= 60 else text[:59] + "…")
