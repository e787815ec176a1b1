"""The paper list's digest column: each row's digest label, every label's day at one column.

A paper in several digests shows its latest digest and how many others
(``Mar 17 +1``). Right-aligned as they were, those rows put their day three
cells left of the others' and cut their title at another place. So every
label is padded to the widest one and the ``+N`` goes in a slot of its own,
kept only when some paper is in two digests.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rich.cells import cell_len

SLOT = len(" +9")
"""Cells kept for ``+N`` (more than nine other digests take one more)."""
WIDEST = 16
"""Labels are padded to at most this many cells: a long name the user gave
one digest does not narrow every title (it is shown whole, out of line)."""


@dataclass(frozen=True, slots=True)
class DigestColumn:
    width: int
    """Cells the labels are padded to."""
    slot: int
    """Cells kept after them for ``+N``: 0 when no paper is in two digests."""

    @classmethod
    def of(cls, labels: Iterable[str], *, several: bool) -> DigestColumn:
        """The column for these digest labels; ``several``: some paper is in two digests."""
        widest = max(map(cell_len, labels), default=0)
        return cls(min(widest, WIDEST), SLOT if several else 0)

    def cell(self, label: str, others: int) -> str:
        """The row's text in the column: ``label`` padded, then ``+others`` (0: none) in the slot."""
        padded = label + " " * max(0, self.width - cell_len(label))
        more = f" +{others}" if others else ""
        return padded + more.rjust(self.slot)
