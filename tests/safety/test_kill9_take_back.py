"""kill -9 while a digest is forgotten or the forget is undone: the old state or the new one.

Forgetting writes two files (the undo log in annotations.json, then
library.json with the change and its undo record), undoing writes them in the
other order; a child does one after the other in a loop and the parent kills
it at random moments. After every kill the library must open, hold exactly
one of the two states, and its undo log must match it.

CI runs a short loop; ``TRACKER_KILL_LOOPS=200 python -m pytest tests/safety -q -s``
runs the full one.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from tracker.library import Library

LOOPS = int(os.environ.get("TRACKER_KILL_LOOPS", "20"))

CHILD = r"""
import sys
from tracker.library import Library

lib = Library.open(sys.argv[1])
print("ready", flush=True)
while True:
    if any(d.label == "Aug 25" for d in lib.digests):
        lib.forget_digest("Aug 25")
        print("forgot", flush=True)
    else:
        lib.undo()
        print("undid", flush=True)
"""


def _state(lib: Library) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    return [p.to_dict() for p in lib.papers], [d.to_dict() for d in lib.digests]


def test_kill_minus_nine_during_forget_and_undo(data_dir: Path, seeds: list[Path]) -> None:
    with Library.open(data_dir) as lib:
        lib.import_files(seeds)
        lib.set_note(lib.papers[0].id, "a note keeps its paper")
        whole = _state(lib)
        lib.forget_digest("Aug 25")
        forgotten = _state(lib)
        lib.undo()
        assert _state(lib) == whole
    rng = random.Random(4321)
    seen = {"whole": 0, "forgotten": 0}
    kills = 0
    deadline = time.monotonic() + 180
    while kills < LOOPS and time.monotonic() < deadline:
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(data_dir)], stdout=subprocess.PIPE, text=True
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 0.3))
        child.send_signal(signal.SIGKILL)
        child.communicate()
        kills += 1
        with Library.open(data_dir, readonly=True) as lib:
            state = _state(lib)
        assert state in (whole, forgotten), f"a mixed state after kill {kills}"
        seen["whole" if state == whole else "forgotten"] += 1
        with Library.open(data_dir) as lib:  # a writable open drops what a kill cut short
            entries = list(lib.store.undo_entries().values())
            tokens = {e["token"] for e in entries if e.get("kind") == "library"}
            assert tokens <= set(lib._undo_records), "an undo entry without its record"
            newest = entries[-1]["label"]
            if state == forgotten:
                assert newest.startswith("forgot digest Aug 25"), newest
            else:
                assert not newest.startswith("forgot"), newest
    assert kills >= min(LOOPS, 10)
    assert seen["whole"] and seen["forgotten"], seen
    print(f"\nkill -9 during forget/undo: {kills} kills, states seen {seen}")
