"""How messages say a count: ``1 paper``, ``2 papers`` (one place for the CLI, app and library)."""

from __future__ import annotations


def counted(n: int, noun: str) -> str:
    """``n`` and ``noun``, in the plural unless ``n`` is 1 (nouns here take an ``s``)."""
    return f"{n} {noun}{'' if n == 1 else 's'}"
