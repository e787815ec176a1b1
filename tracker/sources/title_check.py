"""The last check on every parsed page: no paper's title carries markup or is only an id.

Whatever the format and the reader, a title that still holds HTML tags
(``<td>``), Markdown link or emphasis syntax (``](``, ``**``), a table row's
pipes or a stray backslash escape is a piece of the page read as a paper:
it is skipped, with its line, and never stored. When such rows are most of
what the page gave, the page is refused: a reader misread it, and the rows
that look right cannot be trusted either. So is a "title" that is an arXiv
id alone, or behind a field label (``摘要：arXiv:2410.05258``): the page
named the paper but not its title, and an id is no title to find it by;
nor is an id with a tag in brackets (``[Pool] 2501.12948``), nor a
placeholder a tool writes where it found no title (``Untitled Document``,
``[2309.16609] Untitled``, ``No title``). A page whose papers are all named by
an id or a placeholder alone is refused with a sentence that says so. TeX math is no markup: ``$O(1)/|F|$`` in an arXiv title holds no table.

Pure: no I/O.
"""

from __future__ import annotations

import re

from tracker.sources.parsed import (
    DoubtfulDigestError,
    ParsedDigest,
    ParsedPaper,
    ParsedSection,
    ParseWarning,
)
from tracker.sources.patterns import lazy

__all__ = [
    "markup_in",
    "refuse_if_mostly_skipped",
    "skipped_title",
    "without_marked_up_titles",
]

_TAGS = (
    "a|b|i|u|em|strong|p|br|hr|div|span|img|table|thead|tbody|tfoot|tr|td|th|ul|ol|li|dl|dt|dd"
    "|h[1-6]|details|summary|blockquote|pre|code|sup|sub|section|article|header|footer|nav"
    "|button|input|label|form|script|style|iframe|video|audio|source|picture|figure|figcaption"
    "|center|font|small|big|html|head|body|title|meta|link"
)
_MARKUP = lazy(
    rf"(?P<tag></?(?:{_TAGS})(?:\s[^<>]*)?/?>|&(?:lt|gt|amp|quot|nbsp|#\d+);)"
    r"|(?P<link>\]\(|\]\[|!\[)"
    r"|(?P<emphasis>\*\*|__)"
    r"|(?P<table>^[ \t]*\||\|[ \t]*$|\|[^|\n]*\|)"
    r"|(?P<escape>\\(?=[\s\[\]()*_#|<>`]|$))",
    re.IGNORECASE | re.MULTILINE,
)
_WHAT = {
    "tag": "an HTML tag or entity",
    "link": "Markdown link syntax",
    "emphasis": "Markdown emphasis marks",
    "table": "a table row's pipes",
    "escape": "a Markdown backslash escape",
}
_MATH = lazy(r"\$[^$\n]{1,120}\$")
_HINT = lazy(r"[<&\]!*_|\\]")  # a title without any of these holds no markup
# A tag in brackets around an id: "[Pool] 2501.12948", "2501.12948 (cs.CL)", "【HF】".
_TAG = r"[\[(（【][^\]\[()（）【】\n]{0,24}[\])）】]"
_ID_ONLY = lazy(
    rf"^(?:{_TAG}\s*)*(?:[^\s:：\[(（【]{{1,24}}[:：]\s*)?(?:arxiv:\s*)?\d{{4}}\.\d{{4,5}}(?:v\d+)?"
    rf"(?:\s*{_TAG})*$",
    re.IGNORECASE,
)
_ONLY_ID = "only an arXiv id"
_ID_REASON = f"it holds {_ONLY_ID}, not a title of a paper"
_ID_HINT = lazy(r"\d{4}\.\d{4}")
# What a converter or a page template writes where it has no title (ar5iv after a failed
# conversion: "<title>[2309.16609] Untitled Document</title>"), an id or a tag before it.
_PLACEHOLDER_HINT = lazy(r"untitled|no title|title missing", re.IGNORECASE)
_PLACEHOLDER = lazy(
    rf"^(?:{_TAG}\s*)*(?:(?:arxiv:\s*)?\d{{4}}\.\d{{4,5}}(?:v\d+)?\s*[-–—:|]?\s*)?"
    r"[\[(<]?(?:untitled(?:\s+(?:document|paper|page|note))?(?:\s*\d{1,3})?|no\s+title"
    r"|title\s+missing)[\])>]?\.?$",
    re.IGNORECASE,
)
_PLACEHOLDER_ONLY = "only a placeholder for a title"
_PLACEHOLDER_REASON = f"it holds {_PLACEHOLDER_ONLY}, not a title of a paper"


def _not_a_title(title: str) -> str | None:
    """Why ``title`` is no paper's title (markup, only an id, a placeholder), or None."""
    if _ID_HINT.search(title) and _ID_ONLY.match(title.strip()):
        return _ONLY_ID
    if _PLACEHOLDER_HINT.search(title) and _PLACEHOLDER.match(title.strip()):
        return _PLACEHOLDER_ONLY
    return markup_in(title)


def markup_in(title: str) -> str | None:
    """What markup ``title`` carries (``"an HTML tag"``), or None for a clean title."""
    if _HINT.search(title) is None:
        return None
    if "$" in title:
        # "A Rigorous $O(1)/|F|$ Bound": TeX math in an arXiv title, its bars no table's.
        title = _MATH.sub("", title)
    m = _MARKUP.search(title)
    if m is None:
        return None
    return _WHAT[m.lastgroup or "tag"]


def _may_hold_placeholder(titles: str) -> bool:
    """Whether :data:`_PLACEHOLDER_HINT` may match: substring tests on ASCII text.

    The same answer (ASCII text has none of the characters that match a letter
    of the hint only when case is ignored, as ``ſ`` does ``s``) at a twentieth
    of the cost: 0.15 ms instead of 2.5 ms for a 1,000-paper digest's titles.
    """
    if not titles.isascii():
        return _PLACEHOLDER_HINT.search(titles) is not None
    low = titles.lower()
    return "untitled" in low or "no title" in low or "title missing" in low


def without_marked_up_titles(digest: ParsedDigest, source: str) -> ParsedDigest:
    """``digest`` without the papers whose titles carry markup, each skipped with a warning.

    Raises :class:`DoubtfulDigestError` when they are more than the papers kept.
    """
    # One scan over all the titles for the characters markup needs first: a clean page
    # (nearly every page) costs that and nothing more.
    titles = "\n".join(p.title for s in digest.sections for p in s.papers)
    if (
        _HINT.search(titles) is None
        and ("." not in titles or _ID_HINT.search(titles) is None)
        and not _may_hold_placeholder(titles)
    ):
        return digest
    skipped: list[ParseWarning] = []
    sections: list[ParsedSection] = []
    for section in digest.sections:
        kept = []
        for paper in section.papers:
            warning = skipped_title(paper)
            if warning is None:
                kept.append(paper)
            else:
                skipped.append(warning)
        if len(kept) != len(section.papers):
            section = ParsedSection(section.label, section.date, section.line, tuple(kept))
        if section.papers:
            sections.append(section)
    if not skipped:
        return digest
    refuse_if_mostly_skipped(skipped, sum(len(s.papers) for s in sections), source)
    warnings = sorted((*digest.warnings, *skipped), key=lambda w: w.line)
    return ParsedDigest(tuple(sections), tuple(warnings))


def skipped_title(paper: ParsedPaper) -> ParseWarning | None:
    """The warning that skips ``paper`` for its title (see the module's docstring), or None."""
    found = _not_a_title(paper.title)
    if found is None:
        return None
    shown = paper.title if len(paper.title) <= 60 else paper.title[:59] + "…"
    return ParseWarning(paper.line, f"skipped {shown!r}: it holds {found}, not a title of a paper")


def refuse_if_mostly_skipped(skipped: list[ParseWarning], kept: int, source: str) -> None:
    """DoubtfulDigestError when the papers skipped (in page order) are more than those ``kept``."""
    placeholders = any(w.message.endswith(_PLACEHOLDER_REASON) for w in skipped)
    if (
        len(skipped) > kept
        and placeholders
        and all(w.message.endswith((_ID_REASON, _PLACEHOLDER_REASON)) for w in skipped)
    ):
        # ar5iv's page of a paper it failed to convert: "[2309.16609] Untitled Document".
        raise DoubtfulDigestError(
            source,
            f"{source}: {len(skipped)} of the {len(skipped) + kept} papers on it have only "
            f"a placeholder such as 'Untitled Document' or an id alone for a title (first "
            f"at line {skipped[0].line}), so nothing was imported; import a page that "
            "gives their titles, or `tracker fetch` the day",
            line=skipped[0].line,
        )
    if len(skipped) > kept and all(w.message.endswith(_ID_REASON) for w in skipped):
        # A day whose papers the page lists by id and tag only ("[Pool] 2501.12948"):
        # it names no paper by a title, so nothing in it can be found again by one.
        raise DoubtfulDigestError(
            source,
            f"{source}: {len(skipped)} of the {len(skipped) + kept} papers on it are named "
            f"by an id alone, never by a title (first at line {skipped[0].line}), so "
            "nothing was imported; import a page or the Hugging Face JSON that gives their "
            "titles, or `tracker fetch` the day",
            line=skipped[0].line,
        )
    if len(skipped) > kept:
        raise DoubtfulDigestError(
            source,
            f"{source}: {len(skipped)} of the {len(skipped) + kept} papers read from it "
            f"have page markup or an id alone for a title (first at line {skipped[0].line}), "
            "so it was not read right and nothing was imported; if it is a digest in another "
            "format, try "
            "--format (text, hf-json, arxiv, html)",
            line=skipped[0].line,
        )
