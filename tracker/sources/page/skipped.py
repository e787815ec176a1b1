"""What the page reader skipped or guessed, each with its line."""

from __future__ import annotations

from collections import Counter

from tracker.sources.parsed import ParseWarning


class Warnings:
    """Warnings with a line each; many of one kind fold into one with a count."""

    LIMIT = 8

    def __init__(self) -> None:
        self.items: list[ParseWarning] = []
        self.counts: Counter[str] = Counter()
        self.overflow: dict[str, int] = {}  # kind: line of the first one not listed

    def add(self, line: int, message: str, kind: str = "") -> None:
        if kind:
            self.counts[kind] += 1
            if self.counts[kind] > self.LIMIT:
                self.overflow.setdefault(kind, line)
                return
        self.items.append(ParseWarning(line, message))

    def finish(self) -> tuple[ParseWarning, ...]:
        for kind, line in self.overflow.items():
            more = self.counts[kind] - self.LIMIT
            self.items.append(ParseWarning(line, f"… and {more} more {kind} like the above"))
        self.items.sort(key=lambda w: w.line)
        return tuple(self.items)
