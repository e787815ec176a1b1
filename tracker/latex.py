"""LaTeX inside titles and abstracts: kept as LaTeX for BibTeX, shown as Unicode elsewhere.

arXiv (and the Hugging Face pages that copy it) write math as LaTeX:
``Attention in $\\mathcal{O}(n)$ time``. The library stores the text as it
came. BibTeX gets the LaTeX as written (LaTeX typesets it), and the screen and
the Markdown exports show it as Unicode (``Attention in 𝒪(n) time``), converted
by pylatexenc.

Only the *LaTeX parts* of a text are converted or kept, never the whole text:
a title is mostly plain words, in which ``50%`` (a comment in LaTeX) or
``R&D`` must stay what they are. A LaTeX part is

* inline math ``$…$`` under pandoc's rule (a non-space after the opening
  ``$``, a non-space before the closing one, and no digit right after it, so
  ``$5 and $10`` is no math), or ``\\(…\\)``;
* a command with its braced arguments (``\\textit{word}``, ``\\LaTeX``) or an
  escaped character (``\\&``, ``\\%``);

and only when it is safe to hand to LaTeX as written: its braces balance,
counted as BibTeX counts them (a ``\\{`` counts too), so that keeping it can
never unbalance an entry; it holds no bare ``%`` (a comment), ``#`` or ``&``;
and every command in it is one pylatexenc knows as a symbol, an accent or a
font (``\\mathcal``, ``\\beta``, ``\\textit``), less those that read files,
define commands or make document structure (``\\input``, ``\\def``,
``\\section``, ``\\cite``…). Anything else is plain text: BibTeX gets it
escaped, the screen shows it as written.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

_MATH = re.compile(r"(?<![\\$])\$(?=[^\s$])((?:[^$\\\n]|\\.)+?)(?<=[^\s\\])\$(?![\d$])")
_PAREN_MATH = re.compile(r"\\\((.+?)\\\)")
_COMMAND = re.compile(r"\\[A-Za-z]+\*?(?:\{[^{}]*\})*|\\[&%$#_{}]")


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


_MACRO_NAME = re.compile(r"\\([A-Za-z]+)")
_BARE_SPECIAL = re.compile(r"(?<!\\)[%#&]")

_NOT_SAFE = frozenset(
    [
        "input",
        "include",
        "includeonly",
        "write",
        "immediate",
        "openout",
        "openin",
        "read",
        "def",
        "edef",
        "gdef",
        "xdef",
        "let",
        "catcode",
        "csname",
        "endcsname",
        "newcommand",
        "renewcommand",
        "providecommand",
        "usepackage",
        "documentclass",
        "special",
        "author",
        "title",
        "date",
        "maketitle",
        "chapter",
        "section",
        "subsection",
        "subsubsection",
        "paragraph",
        "subparagraph",
        "part",
        "cite",
        "citep",
        "citet",
        "ref",
        "cref",
        "Cref",
        "autoref",
        "eqref",
        "label",
        "url",
        "href",
        "item",
        "begin",
        "end",
        "hspace",
        "vspace",
        "newline",
        "linebreak",
        "pagebreak",
        "newpage",
        "footnote",
        "thanks",
        "bibliography",
        "bibitem",
        "colorbox",
        "color",
        "verb",
    ]
)
"""Commands pylatexenc knows that LaTeX must not be given from a downloaded title."""

_ALSO_SAFE = frozenset(
    [
        "left",
        "right",
        "middle",
        "big",
        "Big",
        "bigg",
        "Bigg",
        "bigl",
        "bigr",
        "Bigl",
        "Bigr",
        "operatorname",
        "LaTeX",
        "TeX",
        "boldsymbol",
        "bm",
        "mathit",
        "mathsf",
        "mathtt",
        "mathfrak",
        "mathscr",
        "text",
        "textrm",
        "textsf",
        "textsc",
    ]
)
"""Common math and font commands pylatexenc has no Unicode for (it keeps their argument)."""


@functools.lru_cache(maxsize=1)
def _safe_macros() -> frozenset[str]:
    from pylatexenc.latex2text import get_default_latex_context_db

    db = get_default_latex_context_db()
    known = {spec.macroname for cat in db.categories() for spec in db.iter_macro_specs([cat])}
    return frozenset((known | _ALSO_SAFE) - _NOT_SAFE)


def _safe(part: str) -> bool:
    if not _balanced(part) or _BARE_SPECIAL.search(part):
        return False
    return all(name in _safe_macros() for name in _MACRO_NAME.findall(part))


def parts(text: str) -> list[tuple[int, int]]:
    """The [start, end) ranges of the LaTeX parts of ``text``, in order, not overlapping."""
    if "$" not in text and "\\" not in text:
        return []
    found: list[tuple[int, int]] = []
    taken = [False] * len(text)
    for pattern in (_MATH, _PAREN_MATH, _COMMAND):
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(taken[start:end]) or not _safe(match.group()):
                continue
            found.append((start, end))
            for i in range(start, end):
                taken[i] = True
    return sorted(found)


@functools.lru_cache(maxsize=1)
def _converter():  # type: ignore[no-untyped-def]
    from pylatexenc.latex2text import LatexNodes2Text

    return LatexNodes2Text(math_mode="text")


@functools.lru_cache(maxsize=4096)
def _unicode(part: str) -> str:
    converted: str = _converter().latex_to_text(part)
    return converted


def to_unicode(text: str) -> str:
    """``text`` with its LaTeX parts as Unicode (``$\\beta$-VAE`` → ``β-VAE``); the rest as is."""
    return to_unicode_spans(text, ())[0]


def to_unicode_spans(
    text: str, spans: Sequence[tuple[int, int]]
) -> tuple[str, list[tuple[int, int]]]:
    """:func:`to_unicode`, with highlight ``spans`` of ``text`` moved onto the result.

    A span that reaches into a LaTeX part covers that part's whole Unicode form.
    """
    found = parts(text)
    if not found:
        return text, list(spans)
    pieces: list[str] = []
    # offset[i]: where character i of ``text`` starts in the result (and len(text) at the end)
    offset = [0] * (len(text) + 1)
    at = 0
    length = 0
    for start, end in found:
        for i in range(at, start):
            offset[i] = length + i - at
        pieces.append(text[at:start])
        length += start - at
        shown = _unicode(text[start:end])
        for i in range(start, end):
            offset[i] = length
        pieces.append(shown)
        length += len(shown)
        at = end
    for i in range(at, len(text) + 1):
        offset[i] = length + i - at
    pieces.append(text[at:])
    moved = []
    for start, end in spans:
        # The end of a span inside a LaTeX part reaches the end of that part's form.
        last = end
        for p_start, p_end in found:
            if p_start < end < p_end:
                last = p_end
        moved.append((offset[start], offset[min(last, len(text))]))
    return "".join(pieces), moved


__all__ = ["parts", "to_unicode", "to_unicode_spans"]
