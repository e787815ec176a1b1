"""Fit an index made for some papers to the papers as they are now, without building it again.

An index (a saved one, or the one in memory after papers were removed or
put back in between) knows each of its papers by the key of the text it
indexed (tracker/search/paper_keys.py). :func:`match` pairs those with the
keys of the papers now, in order; :func:`remap` moves every posting of a
paired paper to its new position and drops those of papers that are gone or
whose text changed. What is left to index is the papers that paired with
nothing: new ones, and texts that changed.

Cost: nothing when the first papers are all in place (the usual start: a
digest was added since); else one pass over the postings of the papers
after the first change (about a second for all of 100,000 papers), instead
of indexing every paper again (about nine).
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from dataclasses import dataclass

from tracker.search.index_state import IndexState, Postings

REBUILD_SHARE = 0.5
"""When fewer than this share of the papers pair with the index, building anew is cheaper."""


@dataclass(frozen=True, slots=True)
class Matching:
    """How an index's papers (slots) pair with the papers now (positions)."""

    positions: list[int]
    """Per slot: its paper's position now, or -1 (gone, or its text changed)."""
    todo: list[int]
    """Positions below ``covered`` that paired with no slot: to index, ascending."""
    covered: int
    """Positions from here on come after every paired one: indexed like new papers."""
    unchanged: int
    """Slots below this keep their position; nothing about them changes."""


def _common_prefix(a: array[int], b: array[int]) -> int:
    """How many leading items two arrays share (compared in C, halving)."""
    lo, hi = 0, min(len(a), len(b))
    if a[:hi] == b[:hi]:
        return hi
    while lo < hi:  # a[:lo] == b[:lo] and a[:hi] != b[:hi]
        mid = (lo + hi + 1) // 2
        if a[:mid] == b[:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def match(slot_keys: array[int], keys: array[int]) -> Matching | None:
    """Pair slots with positions by key, in order; None when building anew is cheaper.

    Papers keep their order relative to each other (an import appends, a
    forget removes, an undo puts papers back where they were), so pairs are
    taken in order: each position pairs with the first slot after the last
    paired one that has its key. A paper that moved before an earlier one
    (never done by this program) is indexed again.
    """
    same = _common_prefix(slot_keys, keys)
    slots, count = len(slot_keys), len(keys)
    positions = list(range(same)) + [-1] * (slots - same)
    if same == slots:
        return Matching(positions, [], slots, slots)
    later: dict[int, list[int]] = {}
    for slot in range(slots - 1, same - 1, -1):  # each list descending: pop() gives the smallest
        later.setdefault(slot_keys[slot], []).append(slot)
    last = same - 1
    todo: list[int] = []
    paired = same
    covered = same
    for pos in range(same, count):
        found = later.get(keys[pos])
        slot = -1
        while found:
            candidate = found.pop()  # the smallest left
            if candidate > last:
                slot = candidate
                break
        if slot < 0:
            todo.append(pos)
            continue
        positions[slot] = pos
        last = slot
        paired += 1
        covered = pos + 1
    if paired < REBUILD_SHARE * count:
        return None
    return Matching(positions, [p for p in todo if p < covered], covered, same)


def remap(state: IndexState, matching: Matching) -> IndexState:
    """``state`` with every paired paper at its new position and the others left out.

    Positions in ``matching.todo`` get no words (no postings, an empty
    title, key 0): the caller indexes them. The vocabulary stays as it was
    (a word only dropped papers had keeps its id and no postings).
    """
    table = [*matching.positions, -1]  # -1 indexes the last item: -1 stays -1
    first = matching.unchanged
    new_position = table.__getitem__
    keep = (-1).__ne__
    dropped = {slot for slot in range(first, len(matching.positions)) if table[slot] < 0}

    def moved(postings: list[Postings | None]) -> list[Postings | None]:
        if first >= state.count:
            # Every posting is below the first slot that moves (the usual case:
            # papers were added since). Kept as it is, a saved index loaded for a
            # command goes on reading its postings only when asked for.
            return postings
        out: list[Postings | None] = []
        for arr in postings:
            if not arr or arr[-1] < first:
                out.append(arr)  # untouched: shared with the old index, never changed
                continue
            head = bisect_left(arr, first)
            rest = arr[head:]
            if dropped.isdisjoint(rest):  # most words: only moved, none dropped
                tail = array("i", map(new_position, rest))
            else:
                tail = array("i", filter(keep, map(new_position, rest)))
            new = arr[:head] + tail if head else tail
            out.append(new or None)
        return out

    covered = matching.covered
    slot_at = [-1] * covered
    for slot, pos in enumerate(matching.positions):
        if 0 <= pos < covered:
            slot_at[pos] = slot
    starts, flat = state.title_starts, state.title_tokens
    pieces = [flat[: starts[first]].tobytes()]
    lengths: list[int] = []
    names = array("B", state.title_names[:first])
    keys = array(state.keys.typecode, state.keys[:first])
    for pos in range(first, covered):
        slot = slot_at[pos]
        if slot < 0:
            lengths.append(0)
            names.append(0)
            keys.append(0)
            continue
        piece = flat[starts[slot] : starts[slot + 1]]
        pieces.append(piece.tobytes())
        lengths.append(len(piece))
        names.append(state.title_names[slot])
        keys.append(state.keys[slot])
    tokens = array("i")
    tokens.frombytes(b"".join(pieces))
    new_starts = array("q", starts[: first + 1])
    total = new_starts[-1]
    for length in lengths:
        total += length
        new_starts.append(total)
    return IndexState(
        covered,
        state.words,
        moved(state.title_postings),
        moved(state.abstract_postings),
        tokens,
        new_starts,
        names,
        keys,
        lookups=state.lookups,
    )
