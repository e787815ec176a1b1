"""Sets of paper positions as bitmaps: a Python int whose bit ``p`` is set for position ``p``.

A keystroke's search at 100,000 papers unions, intersects and subtracts sets
of tens of thousands of positions. As Python sets each such step cost 1-3 ms
(a hash and a probe per element, and a new set); on bitmaps it is one pass
over N/8 bytes in C, a few microseconds. Positions come out of a bitmap in
ascending order, and only for what is read (see ``hits.Ordered``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import compress

BIT = tuple(1 << i for i in range(8))
"""The byte value of each bit of a byte."""
# The set bits of each byte value, lowest first.
_BYTE_BITS = tuple(tuple(i for i in range(8) if b >> i & 1) for b in range(256))
_NONZERO = re.compile(rb"[^\x00]")
_FROM_DIGITS = bytes.maketrans(b"01", b"\x00\x01")
# Below one set bit in this many positions, walking the non-zero bytes beats
# a pass over every position (measured at 100,000 positions).
_SPARSE = 16


def of_positions(positions: Iterable[int], size: int) -> int:
    """The bitmap of ``positions`` (each ``0 <= p < size``)."""
    buf = bytearray((size >> 3) + 1)
    add_positions(buf, positions)
    return int.from_bytes(buf, "little")


def add_positions(buf: bytearray, positions: Iterable[int]) -> None:
    """Set the bits of ``positions`` in ``buf`` (little-endian, as ``int.from_bytes`` reads it)."""
    bit = BIT
    for p in positions:
        buf[p >> 3] |= bit[p & 7]


def positions(bits: int) -> list[int]:
    """The set bits' positions, ascending."""
    if not bits:
        return []
    if bits.bit_count() * _SPARSE < bits.bit_length():
        return first_positions(bits, -1)
    # One byte per position, 1 where the bit is set: compress() picks them in C.
    flags = bin(bits)[:1:-1].encode("ascii").translate(_FROM_DIGITS)
    return list(compress(range(len(flags)), flags))


def first_positions(bits: int, count: int) -> list[int]:
    """The lowest ``count`` set bits' positions, ascending (all of them for ``count`` < 0)."""
    data = bits.to_bytes((bits.bit_length() + 7) >> 3, "little")
    out: list[int] = []
    byte_bits = _BYTE_BITS
    for m in _NONZERO.finditer(data):
        i = m.start()
        base = i << 3
        out.extend([base + k for k in byte_bits[data[i]]])
        if 0 <= count <= len(out):
            del out[count:]
            break
    return out


def rank_of(bits: int, pos: int) -> int:
    """How many set bits lie below ``pos``."""
    return (bits & ((1 << pos) - 1)).bit_count()


class Membership:
    """Constant-time ``pos in bitmap`` (a shift of a large int copies it: O(N) a test)."""

    __slots__ = ("_data",)

    def __init__(self, bits: int) -> None:
        self._data = bits.to_bytes((bits.bit_length() + 7) >> 3, "little")

    def __contains__(self, pos: int) -> bool:
        i = pos >> 3
        data = self._data
        return i < len(data) and bool(data[i] >> (pos & 7) & 1)
