"""What an import skips as no paper: a title without words, or far more text than a paper has."""

from __future__ import annotations

import re

from tracker.models import title_has_words
from tracker.rows import MAX_ABSTRACT_CHARS, MAX_TITLE_CHARS
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
    if not _has_words(item.title):
        return f"skipped {_short(item.title)}: a title without a letter or a digit is not a paper title"
    return ""


def _short(title: str) -> str:
    text = " ".join(title.split())
    return repr(text if len(text) <= 60 else text[:59] + "…")


_ASCII_WORD_CHAR = re.compile("[A-Za-z0-9]").search


def _has_words(title: str) -> bool:
    """:func:`title_has_words`, quick for an ASCII title (nearly all): it has a letter or digit.

    The importing process asks it of every paper it plans; normalizing each
    title again for it was a tenth of a 100,000-paper import's planning.
    """
    if title.isascii():
        # What normalize_title keeps of ASCII: letters and digits, nothing else.
        return _ASCII_WORD_CHAR(title) is not None
    return title_has_words(title)
