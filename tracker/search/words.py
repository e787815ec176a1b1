"""Text folding and words: how titles, abstracts and typed text are cut into comparable words."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from tracker.models import SMART_PUNCTUATION

Span = tuple[int, int]
"""A [start, end) range of a text."""


_MARK_CLASS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_MARKS = re.compile(f"[{_MARK_CLASS}]")
# A word: letters and digits; '_' and punctuation separate words.
WORD = re.compile(r"[^\W_]+")
# The same on unfolded text, where a decomposed accent must not split a word.
_RAW_WORD = re.compile(rf"[^\W_](?:[^\W_]|[{_MARK_CLASS}])*")
# Patterns that start with a class matching most characters ("[^\W_]+(?:-...)+")
# backtrack on every word of an abstract (170 us each, measured); these start at
# the rare character instead and the word around it is found by hand.
# An upper-case letter right after a lower-case one: "CopySpec".
_CAMEL_HINT = re.compile(r"[A-Z](?<=[a-z][A-Z])")
_CAMEL_PART = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+")
# The hyphenated tail of a compound: "-of-the-art".
_HYPHEN_TAIL = re.compile(r"-[^\W_]+(?:-[^\W_]+)*")
ASCII_SEPARATORS = bytes(c if chr(c).isalnum() or c > 127 else 32 for c in range(256))
"""For ``bytes.translate``: every ASCII character but letters and digits made a space."""


def ascii_words(text: str) -> list[str]:
    """The words of ASCII ``text`` as ``WORD.findall`` finds them (letters and digits).

    Translated as bytes: ``str.translate`` looks each character up in a dict
    (2.4 us for an 85-character title, 40 for an abstract), ``bytes.translate``
    in a table (0.9 us for the title, with the encoding and decoding).
    """
    return text.encode().translate(ASCII_SEPARATORS).decode().split()


def fold(text: str) -> str:
    """Casefold and drop accents, so ``Schrödinger`` is found by ``schrodinger``.

    Per character, so folding a whole text equals folding its pieces.
    """
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKD", text.translate(SMART_PUNCTUATION).casefold())
    return _MARKS.sub("", text)


def _word_start(text: str, i: int, floor: int = 0) -> int:
    """Where the word ending just before ``text[i]`` starts (``i`` if none)."""
    while i > floor and text[i - 1].isalnum():
        i -= 1
    return i


def _camel_spans(text: str) -> list[Span]:
    """Spans of the camel-case words of ``text`` (``CopySpec``, ``InfLLM``)."""
    spans: list[Span] = []
    end = 0
    for m in _CAMEL_HINT.finditer(text):
        if m.start() < end:
            continue  # a second hump of the same word
        start = _word_start(text, m.start())
        rest = WORD.match(text, m.start())
        end = rest.end() if rest else m.end()
        spans.append((start, end))
    return spans


def _compound_spans(text: str) -> list[Span]:
    """Spans of hyphenated compounds in ``text`` (``pre-trained``, ``state-of-the-art``)."""
    spans: list[Span] = []
    end = 0
    for m in _HYPHEN_TAIL.finditer(text):
        start = _word_start(text, m.start(), end)
        if start < m.start():
            spans.append((start, m.end()))
        end = m.end()
    return spans


def plain_words(text: str) -> tuple[str, list[str]]:
    """The folded text and its words, in order."""
    if text.isascii():  # the same words as WORD.findall, twice as fast
        folded = text.lower()
        return folded, ascii_words(folded)
    folded = fold(text)
    return folded, WORD.findall(folded)


def doc_words(text: str) -> list[str]:
    """The folded words of a text, in order, then the extra forms people type.

    Extras: the parts of a camel-case word (``CopySpec`` -> ``copy``, ``spec``) and
    hyphenated compounds written solid (``pre-trained`` -> ``pretrained``).
    """
    folded, words = plain_words(text)
    if _CAMEL_HINT.search(text):
        for start, end in _camel_spans(text):
            parts = _CAMEL_PART.findall(text, start, end)
            words.extend(fold(p) for p in parts if len(p) > 1)
    if "-" in folded:
        words.extend(folded[s:e].replace("-", "") for s, e in _compound_spans(folded))
    return words


NAME_MAX_CHARS = 40
"""A title's name is at most this long ("Infini-gram mini", "SlimPajama-DC")."""


def _looks_made_up(word: str) -> bool:
    """A word shaped like a coined name: a digit, a hyphen or a capital inside (M4LE, LM-Infinite, InfLLM)."""
    return any(c.isdigit() or c == "-" for c in word) or any(c.isupper() for c in word[1:])


def name_end(title: str) -> int:
    """Where the title's name ends: the colon after "CopySpec" in "CopySpec: Accelerating ...".

    Papers are remembered by the name they give a method or a model, written
    before a colon at the start of the title: one word ("Mamba", "LASP-2"), or
    two when the first is shaped like a coined name ("Infini-gram mini"). A
    longer head ("Order Matters: ...", "Best of Both Worlds: ...") is a main
    title, not a name. 0 when the title has no name.
    """
    colon = title.find(":", 0, NAME_MAX_CHARS + 1)
    if colon <= 0:
        return 0
    words = title[:colon].split()
    if not words or not any(c.isalnum() for c in words[0]):
        return 0
    if len(words) == 1 or (len(words) == 2 and _looks_made_up(words[0])):
        return colon
    return 0


def title_words(title: str) -> tuple[list[str], int]:
    """:func:`doc_words` of a title with its name's words first, and how many those are.

    The same words as ``doc_words(title)`` (a colon separates words anyway),
    ordered so that the index can tell a paper's own name ("CopySpec") from
    the same word later in another title ("... with CopySpec").
    """
    end = name_end(title)
    if not end:
        return doc_words(title), 0
    name = doc_words(title[:end])
    return name + doc_words(title[end:]), len(name)


@lru_cache(maxsize=4096)
def title_word_spans(title: str) -> tuple[tuple[int, int, str], ...]:
    """Like :func:`doc_words` for one title, with each word's span in the original.

    Cached: each keystroke highlights the visible rows again, and the rows of
    one keystroke are mostly those of the one before.
    """
    out: list[tuple[int, int, str]] = []
    for m in _RAW_WORD.finditer(title):
        raw = m.group()
        folded = fold(raw)
        if raw.isascii() or WORD.fullmatch(folded):
            out.append((m.start(), m.end(), folded))
        else:  # folding may split a word (rare: '½' -> '1⁄2'); the parts share its span
            out.extend((m.start(), m.end(), part) for part in WORD.findall(folded))
    for start, end in _camel_spans(title):
        for p in _CAMEL_PART.finditer(title, start, end):
            if p.end() - p.start() > 1:
                out.append((p.start(), p.end(), fold(p.group())))
    dashed = title.translate(SMART_PUNCTUATION)  # same length: unicode hyphens become '-'
    for start, end in _compound_spans(dashed):
        out.append((start, end, "".join(WORD.findall(fold(title[start:end])))))
    return tuple(out)


def fold_phrase(text: str) -> str:
    return " ".join(fold(text).split())
