"""Several machines that edit one paper and exchange backups in any order agree in the end.

A sync merges every other machine's backup in whatever order the folder
lists them, and the machines' clocks disagree. What each machine ends with
must not depend on either: merging is commutative, idempotent and
associative, also when the clocks are skewed.
"""

from __future__ import annotations

import itertools

from hypothesis import example, given, settings
from hypothesis import strategies as st

from tracker.backup import merge_annotation, note_parts, record_edit
from tracker.clock import next_stamp
from tracker.models import Annotation, Status

PID = "0123456789ab"


class SkewedClock:
    """A machine's wall clock: real time (a shared tick) plus its own offset in seconds."""

    def __init__(self, ticks: list[int], offset: int) -> None:
        self.ticks, self.offset = ticks, offset

    def __call__(self) -> str:
        self.ticks[0] += 1
        seconds = 40_000 + self.ticks[0] + self.offset
        hours, rest = divmod(seconds, 3600)
        return f"2026-02-01T{hours:02d}:{rest // 60:02d}:{rest % 60:02d}.000Z"


def d(ann: Annotation) -> dict[str, object]:
    return Annotation.from_dict(ann.to_dict()).to_dict()


def edit(ann: Annotation, wall: str, *, note: str | None = None, **fields: object) -> Annotation:
    """A change made on a machine whose clock says ``wall``, stamped as the library stamps it."""
    now = next_stamp(wall, [ann.latest_stamp])
    after = ann.copy()
    if note is not None:
        after.note = note
    if "status" in fields:
        after.change_status(Status(str(fields.pop("status"))), now)
    for key, value in fields.items():
        setattr(after, key, value)
    record_edit(ann, after, now, continuing=False)
    return after


operations = st.lists(
    st.tuples(
        st.integers(0, 3),  # which machine acts
        st.sampled_from(["note", "note", "status", "tags", "merge"]),
        st.integers(0, 3),  # the other machine (merge) / which text, status or tags
    ),
    max_size=30,
)
offsets = st.lists(st.sampled_from([0, -7200, -90, 0, 45, 3600, 86_400]), min_size=4, max_size=4)


def run(ops: list[tuple[int, str, int]], skew: list[int]) -> list[Annotation]:
    ticks = [0]
    clocks = [SkewedClock(ticks, offset) for offset in skew]
    machines = [Annotation(PID) for _ in skew]
    for who, op, arg in ops:
        ann, now = machines[who], clocks[who]()
        if op == "note":
            machines[who] = edit(ann, now, note=["first", "second", "", f"by {who}"][arg])
        elif op == "status":
            machines[who] = edit(ann, now, status=list(Status)[arg].value)
        elif op == "tags":
            machines[who] = edit(ann, now, tags=[["t1"], ["t1", "t2"], [], [f"m{who}"]][arg])
        else:
            machines[who] = merge_annotation(ann, machines[arg])
    return machines


def fold(states: tuple[Annotation, ...]) -> Annotation:
    merged = states[0]
    for other in states[1:]:
        merged = merge_annotation(merged, other)
    return merged


@settings(max_examples=400, deadline=None)
@given(operations, offsets)
# Found by Hypothesis: machine 2 deletes a note after "second" while machine 0
# wrote "first" (which machine 1 replaced): every order must end deleted.
@example([(0, "note", 0), (1, "note", 0), (1, "note", 1), (2, "note", 1), (2, "note", 2)], [0] * 4)
def test_machines_that_merge_everyone_in_any_order_end_the_same(
    ops: list[tuple[int, str, int]], skew: list[int]
) -> None:
    machines = run(ops, skew)
    # Every machine merges every backup once, each in its own order: all agree.
    results = {orjson_key(d(fold(order))) for order in itertools.permutations(machines)}
    assert len(results) == 1


def orjson_key(doc: dict[str, object]) -> str:
    return repr(sorted(doc.items()))


@settings(max_examples=300, deadline=None)
@given(operations, offsets)
def test_merge_is_commutative_and_idempotent_with_skewed_clocks(
    ops: list[tuple[int, str, int]], skew: list[int]
) -> None:
    machines = run(ops, skew)
    for a, b in itertools.combinations(machines, 2):
        merged = merge_annotation(a, b)
        assert d(merged) == d(merge_annotation(b, a))
        assert d(merge_annotation(merged, a)) == d(merged)
        assert d(merge_annotation(merged, b)) == d(merged)


def test_three_machines_that_changed_one_note_agree_on_the_order_of_its_versions() -> None:
    ticks = [0]
    one, two, three = (SkewedClock(ticks, 0) for _ in range(3))
    base = edit(Annotation(PID), one(), note="shared start")
    a = edit(base, one(), note="written on the laptop")
    c = edit(base, three(), note="written on the server")
    b = edit(base, two(), note="written on the desktop")
    laptop = merge_annotation(merge_annotation(a, b), c)
    server = merge_annotation(merge_annotation(c, b), a)
    assert laptop.note == server.note
    assert note_parts(laptop.note) == [
        "written on the desktop",
        "written on the server",
        "written on the laptop",
    ]


def test_a_change_made_after_seeing_one_from_a_clock_ahead_wins_over_it() -> None:
    ticks = [0]
    desktop, laptop = SkewedClock(ticks, 7200), SkewedClock(ticks, 0)  # the desktop runs 2 h ahead
    there = edit(Annotation(PID), desktop(), status="read", tags=["x"], note="from the desktop")
    here = merge_annotation(Annotation(PID), there)
    # Later, on the laptop, after it took the desktop's changes in:
    here = edit(here, laptop(), status="to-read", tags=["y"], note="changed on the laptop")
    for merged in (merge_annotation(here, there), merge_annotation(there, here)):
        assert (merged.status, merged.tags, merged.note) == (
            Status.TO_READ,
            ["y"],
            "changed on the laptop",
        )
