"""Short names of papers: ``BAVT``, ``Auto RL Envs``, ``IndexCache`` for the full title.

A page that presents its papers under their titles often sums them up again
in a table by short names (``| IndexCache | 高效 LLM | … |``). Such a row,
with no link to any paper, names a paper of the page a second time; it is
not a paper of its own, and its name is not a title.

Pure: no I/O.
"""

from __future__ import annotations

import re

__all__ = ["abbreviates"]

_WORD = re.compile(r"[^\W_]+")


def abbreviates(name: str, title: str) -> bool:
    """Is ``name`` a short name of the paper titled ``title``?

    It is when it is the title's lead before its colon (``IndexCache`` for
    ``IndexCache: Accelerating …``), or when its words stand, in order, for
    words of the title and at least one of them is shortened: cut
    (``Auto`` for ``Automatic``, ``Envs`` for ``Environments``) or the
    initials of several words (``BAVT`` for ``Budget-Aware Value Tree``).
    Words that are only the title's own words, in full, are a shorter title,
    not a short name (``Segment Anything`` beside ``Segment Anything in …``).
    """
    lead, colon, _ = title.partition(":")
    if colon and _words(lead) == _words(name) and len(_words(title)) > len(_words(name)):
        return True
    short = _WORD.findall(name)
    words = _WORD.findall(title)
    if not short or len(short) >= len(words):
        return False
    at = 0
    shortened = False
    for token in short:
        for start in range(at, len(words)):
            used, cut = _stands_for(token, words, start)
            if used:
                at = start + used
                shortened = shortened or cut
                break
        else:
            return False
    return shortened


def _words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def _stands_for(token: str, words: list[str], start: int) -> tuple[int, bool]:
    """(words of the title ``token`` stands for from ``start``, whether it shortens them)."""
    low = token.casefold()
    word = words[start].casefold()
    if low == word:
        return 1, False
    if len(token) >= 2 and token.isupper() and start + len(token) <= len(words):
        initials = "".join(w[0] for w in words[start : start + len(token)]).casefold()
        if initials == low:
            return len(token), True  # "BAVT": Budget-Aware Value Tree
    if len(low) >= 3 and low[0] == word[0] and len(word) > len(low) and _in_order(low, word):
        return 1, True  # "Envs": Environments
    return 0, False


def _in_order(short: str, word: str) -> bool:
    letters = iter(word)
    return all(c in letters for c in short)
