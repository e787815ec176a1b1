"""Digest pages made for the storage tests: many papers, each with a prose abstract."""

from __future__ import annotations


def digest_page(day: int, titles: list[str]) -> bytes:
    """A plain-text digest of October ``day``, 2024 with these titles."""
    abstract = "An abstract that is long enough to be prose for the parser to accept. " * 3
    body = "".join(f"{t}\n\n{abstract}\n\n" for t in titles)
    return f"Daily Papers\n\nOct {day}, 2024\n\n{body}".encode()


def numbered_titles(n: int, start: int = 0) -> list[str]:
    """``n`` distinct titles, numbered from ``start``."""
    return [f"A Study Of Thing Number {i} In Depth" for i in range(start, start + n)]
