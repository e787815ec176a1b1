"""Whether a page may link papers: the test every text import makes before the card reader.

Apart from :mod:`.lines` so that a plain-text digest, which has no such links,
does not import the card reader (and compile its patterns) to learn that.

Pure: no I/O.
"""

from __future__ import annotations

from tracker.sources.patterns import lazy

# A page with paper links has Markdown links (so a "]") or paper URLs. Plain
# substring tests, cheapest first: every plain page pays for them, and a
# regex alternation over a 1 MB page costs more than parsing it. A page whose
# only ids are "arXiv:ID" lines is left to the plain-text reader (it reads them).
URL_HINTS = ("co/papers/", "arxiv.org/")
SLASH_WALK = 2000  # slashes looked at one by one before two whole-page scans


def might_link_papers(text: str) -> bool:
    if "]" in text and ("](" in text or "][" in text):
        return True
    # "[" first: a one-character test runs at memchr speed, a two-character one at
    # about 1 ns a character (1.5 ms of a 1.4 MB page without any "[").
    if "[" in text and "[[" in text and _has_wiki_id(text):
        return True
    if _has_labelled_id(text):  # it finds "ID" itself: a test before it read the page twice
        return True
    # A paper URL has a slash: walk the slashes (found at memchr speed) and look
    # around each, instead of scanning the page for every URL form.
    pos = text.find("/")
    for _ in range(SLASH_WALK):
        if pos < 0:
            return False
        if text.startswith("co/papers/", pos - 2) or text.startswith("arxiv.org/", pos - 9):
            return True
        pos = text.find("/", pos + 1)
    return any(hint in text for hint in URL_HINTS)


# "ID" found by a pattern: str.find of two characters runs at about 1 ns a
# character, the pattern's literal search at half that (a 1.4 MB page without a
# labelled id: 1.57 -> 0.74 ms). The one pattern of this module, and a literal.
_ID = lazy("ID")


def _has_labelled_id(text: str) -> bool:
    """A field naming a paper by its bare id (``**论文ID:** 2508.03694v1``, ``Paper ID: 2508.03694``).

    The same shape as :data:`.lines.LABELLED_ID`, by string tests.
    """
    found = _ID.search(text)
    for _ in range(SLASH_WALK):
        if found is None:
            return False
        pos = found.start()
        after = text[pos + 2 : pos + 24].lstrip("*_ ")
        if after[:1] in (":", "："):
            value = after[1:].lstrip("*_ ")
            if _is_new_id(value):
                return True
        found = _ID.search(text, pos + 2)
    return False


def _is_new_id(head: str) -> bool:
    """``head`` starts with a new-style arXiv id (``2508.03694``)."""
    return head[:4].isdigit() and head[4:5] == "." and head[5:9].isdigit()


def _has_wiki_id(text: str) -> bool:
    """An Obsidian note link named by an arXiv id (``[[2607.18597]]``) somewhere in ``text``.

    String tests, no pattern: this module is imported by every text import.
    """
    pos = text.find("[[")
    for _ in range(SLASH_WALK):
        if pos < 0:
            return False
        if _is_new_id(text[pos + 2 : pos + 13]):
            return True
        pos = text.find("[[", pos + 2)
    return False
