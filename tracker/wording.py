"""How messages say a count (``1 paper``, ``2 papers``) and quote a long text, in one place."""

from __future__ import annotations


def counted(n: int, noun: str) -> str:
    """``n`` and ``noun``, in the plural unless ``n`` is 1 (nouns here take an ``s``)."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def shortened(text: str, limit: int = 60) -> str:
    """``text`` on one line, cut to ``limit`` characters with ``…``: a title or line in a message."""
    text = " ".join(text[: limit * 4].split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
