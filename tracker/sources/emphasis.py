"""Markdown's inline marks as a reader sees them: emphasis goes, a literal asterisk stays.

Titles hold asterisks, carets and underscores of their own: ``S*: Test Time
Scaling``, ``FaSTA^*: Fast-Slow Toolpath Agent``, ``V_{0.5}: Generalist Value
Model``. A Markdown renderer shows those characters, because a run of ``*`` or
``_`` is emphasis only when it opens and closes a span (CommonMark's
flanking rules: an opening run is followed by a word, a closing one follows
one). So runs are paired the CommonMark way and the pairs removed; a run left
without a partner is shown as written when it stands between two
non-space characters (``S*:``), and dropped otherwise: copies cut emphasis at
line ends and around links (``**[Title](url)**`` reaches the reader as
``**`` before and after the link text), and a ``**`` at a word's edge is
never part of a title.

Also: backslashes before a line break or spaces are a hard line break
(converters write arXiv's wrapped titles and abstracts that way: ``Engage\\
with``), a backslash escape shows its character (``\\[Citation needed\\]``;
not before a quote, where it is a TeX accent: ``Pad\\'e``), code ticks go when
they pair (a run of backticks closed by a run of the same length, as in
CommonMark); a tick without a partner is shown as written.
TeX math (``Yb$_3$Fe$_5$O$_{12}$``, arXiv's titles as their authors typed
them) is left as written but for backslash escapes: its underscores and asterisks are TeX's, and
Markdown renderers with math show them so; pairing them as emphasis across
two spans turned that title into ``Yb$_3$Fe$5$O${12}$``.

Pure: no I/O.
"""

from __future__ import annotations

import re
import unicodedata

from tracker.sources.patterns import lazy

__all__ = ["shown_text"]

_TOKEN = lazy(
    # TeX math, kept as written: '$' then no space, up to a '$' after no space that
    # no digit follows (the rule of Markdown's math extensions: '$5 and $6' is none).
    r"(?P<math>(?<!\\)\$(?=[^\s$])[^$\n]*?(?<=[^\s\\])\$(?!\d))"
    r"|\\+(?=\s|$)|\\(?P<escaped>[\\`*_{}\[\]()#+\-.!|<>~])|(?P<run>\*+|_+)|(?P<ticks>`+)"
)
_ESCAPE = lazy(r"\\([\\`*_{}\[\]()#+\-.!|<>~])")
_HINTS = ("\\", "*", "_", "`")


def shown_text(text: str) -> str:
    """``text`` as Markdown shows it: ``**N\\_0-VTLA**`` → ``N_0-VTLA``, ``S*: …`` kept."""
    if not any(hint in text for hint in _HINTS):
        return text
    out: list[str] = []
    runs: list[tuple[int, bool, bool, bool]] = []  # (index in out, opens, closes, between words)
    pos = 0
    tokens = list(_TOKEN.finditer(text))
    paired_ticks = _paired_tick_runs(tokens)
    for m in tokens:
        out.append(text[pos : m.start()])
        pos = m.end()
        ticks = m.group("ticks")
        if ticks:
            out.append("" if m.start() in paired_ticks else ticks)
            continue
        run = m.group("run")
        if m.group("math"):
            # A converter's escapes go here too ('$\\\\mathcal{O}$' is '$\\mathcal{O}$').
            out.append(_ESCAPE.sub(r"\1", m.group("math")))
        elif run:
            before = text[m.start() - 1] if m.start() else " "
            after = text[m.end()] if m.end() < len(text) else " "
            opens, closes = _flanking(run[0], before, after)
            runs.append((len(out), opens, closes, not before.isspace() and not after.isspace()))
            out.append(run)
        else:
            out.append(m.group("escaped") or "")
    out.append(text[pos:])
    if runs:
        _pair(out, runs)
    return "".join(out)


def _paired_tick_runs(tokens: list[re.Match[str]]) -> set[int]:
    """Where the backtick runs that open or close a code span start."""
    paired: set[int] = set()
    open_runs: dict[int, int] = {}  # run length -> start of the run waiting for its partner
    for m in tokens:
        ticks = m.group("ticks")
        if not ticks:
            continue
        start = open_runs.pop(len(ticks), None)
        if start is None:
            open_runs[len(ticks)] = m.start()
        else:
            paired.update((start, m.start()))
    return paired


def _pair(out: list[str], runs: list[tuple[int, bool, bool, bool]]) -> None:
    """Remove paired emphasis delimiters from ``out``; show or drop the rest (module doc)."""
    left = {index: len(out[index]) for index, _, _, _ in runs}
    openers: list[int] = []  # indexes in out, innermost last
    for index, opens, closes, _ in runs:
        char = out[index][0]
        while closes and left[index]:
            match = next(
                (k for k in range(len(openers) - 1, -1, -1) if out[openers[k]][0] == char), None
            )
            if match is None:
                break
            opener = openers[match]
            used = min(left[opener], left[index])
            left[opener] -= used
            left[index] -= used
            del openers[match + 1 :]  # runs between a pair cannot pair across it
            if not left[opener]:
                openers.pop()
        if opens and left[index]:
            openers.append(index)
    for index, _, _, between_words in runs:
        rest = left[index]
        # Any length: a lone '**' glued to words on both sides is shown too ('0[]**Title:'
        # rendered as written); dropping it joined the two words into one.
        out[index] = out[index][0] * rest if between_words else ""


def _flanking(char: str, before: str, after: str) -> tuple[bool, bool]:
    """(can open, can close) for a delimiter run between ``before`` and ``after``."""
    left = not after.isspace() and (
        not _punctuation(after) or before.isspace() or _punctuation(before)
    )
    right = not before.isspace() and (
        not _punctuation(before) or after.isspace() or _punctuation(after)
    )
    if char == "_":  # intraword underscores are letters: snake_case, N_0
        return left and (not right or _punctuation(before)), right and (
            not left or _punctuation(after)
        )
    return left, right


def _punctuation(char: str) -> bool:
    return unicodedata.category(char)[0] in "PS"
