"""Kill the app at random moments while a note is being typed; count the lost characters.

    python -m benchmarks.note_kill                 # 160 runs, about 10 minutes
    python -m benchmarks.note_kill --runs 40 --seed 7

Each run starts the real app (``tracker``) in a pseudo-terminal on a copy of
a seeded library, opens the note editor and types a note at a random pace
(a key every 10-150 ms, the slow end still under the 0.3 s pause that
saves), then at a random moment ends the app in one of four ways, taken in
turn:

- ``SIGKILL``: ``kill -9``; nothing can be saved at that moment, so what
  counts is the age of the oldest character lost (the promise: at most the
  last second of typing);
- ``SIGTERM``: ``kill``; must lose nothing;
- ``SIGHUP``: ``kill -HUP`` with the terminal still open; must lose nothing;
- ``hang-up``: the terminal is closed, as when its window is closed (the
  kernel sends SIGHUP and the terminal answers nothing any more); must lose
  nothing.

A character counts as typed once it was written to the terminal, even if the
signal came a fraction of a millisecond later. Afterwards the note is read
from annotations.json as another process would. Printed per way: runs, runs
that lost something, characters lost (total and most in one run), the oldest
lost character's age at the kill, exit codes, and runs where the app did not
end by itself within 10 s. The exit status is 1 if a promise was broken.
Everything runs in a temporary directory; nothing touches your library.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.pty_app import AppInPty, notes
from tracker.library import Library

WAYS = ("SIGKILL", "SIGTERM", "SIGHUP", "hang-up")
KILL_LOSES_AT_MOST = 1.0
"""Seconds of typing that kill -9 may lose (the README's promise)."""
TEXT = "the quick brown fox jumps over the lazy dog and writes a note about it "


@dataclass
class Tally:
    runs: int = 0
    runs_losing: int = 0
    lost_total: int = 0
    lost_most: int = 0
    oldest_lost: float = 0.0
    """Seconds between typing the oldest lost character and the kill (0 if none lost)."""
    typed_total: int = 0
    exit_codes: Counter[int | None] = field(default_factory=Counter)
    hung: int = 0
    mangled: int = 0
    """Runs whose saved note is not what was typed, cut short (it must never be)."""


def one_run(
    template: Path, work: Path, way: str, rng: random.Random, longest: float
) -> tuple[int, int, float, int | None, bool]:
    """(typed, lost, age of the oldest lost character, exit code, mangled) of one run."""
    data = work / "data"
    shutil.copytree(template, data)
    app = AppInPty(data, work / "config")
    app.start()
    try:
        if not app.wait_for_output(b"saved as you type", 30):
            raise RuntimeError(f"the app did not start: {app.screen_text()}")
        app.type("i")
        if not app.wait_for_output(b"Leave note", 10):
            raise RuntimeError(f"the note editor did not take the focus: {app.screen_text()}")
        kill_at = time.monotonic() + rng.uniform(0.05, longest)
        typed_at: list[float] = []
        next_key = time.monotonic()
        while True:
            now = time.monotonic()
            if now >= kill_at:
                break
            if now >= next_key:
                app.type(TEXT[len(typed_at) % len(TEXT)])
                typed_at.append(time.monotonic())
                next_key = typed_at[-1] + rng.uniform(0.01, 0.15)
            time.sleep(max(0.0, min(next_key, kill_at) - time.monotonic()))
        killed = time.monotonic()
        if way == "hang-up":
            app.hang_up()
        else:
            app.send_signal(getattr(signal, way))
        code = app.wait(10)
        if code is None:
            app.close()
        typed = "".join(TEXT[i % len(TEXT)] for i in range(len(typed_at)))
        saved = next(iter(notes(data).values()), "")
        mangled = not typed.startswith(saved)
        lost = len(typed) - len(saved)
        age = killed - typed_at[len(saved)] if lost > 0 and not mangled else 0.0
        return len(typed), lost, age, code, mangled
    finally:
        app.close()
        shutil.rmtree(data, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=160, help="runs in all (default 160)")
    parser.add_argument("--seed", type=int, default=20261124)
    parser.add_argument(
        "--longest", type=float, default=4.0, help="longest typing before the kill, in seconds"
    )
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    tallies = {way: Tally() for way in WAYS}
    with tempfile.TemporaryDirectory(prefix="note-kill-") as tmp:
        root = Path(tmp)
        template = root / "template"
        with Library.open(template) as lib:
            lib.import_bundled_seeds()
        started = time.monotonic()
        for run in range(args.runs):
            way = WAYS[run % len(WAYS)]
            typed, lost, age, code, mangled = one_run(template, root, way, rng, args.longest)
            t = tallies[way]
            t.runs += 1
            t.typed_total += typed
            t.exit_codes[code] += 1
            t.hung += code is None
            t.mangled += mangled
            if lost:
                t.runs_losing += 1
                t.lost_total += lost
                t.lost_most = max(t.lost_most, lost)
                t.oldest_lost = max(t.oldest_lost, age)
            print(
                f"run {run + 1}/{args.runs} {way:8} typed {typed:3} lost {lost:3}"
                + (f" (oldest {age:.2f} s old)" if lost else "")
                + f" exit {code}",
                file=sys.stderr,
            )
        elapsed = time.monotonic() - started
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"{args.runs} runs in {elapsed:.0f} s (seed {args.seed}, typing up to {args.longest} s; "
        f"load average at the end {load} on {os.cpu_count()} cores)"
    )
    print(
        f"{'way':8} {'runs':>5} {'typed':>6} {'losing':>7} {'lost':>5} {'most':>5} "
        f"{'oldest lost':>12} {'hung':>5} {'mangled':>8}  exit codes"
    )
    broken = False
    for way, t in tallies.items():
        codes = ", ".join(f"{c}×{n}" for c, n in sorted(t.exit_codes.items(), key=str))
        print(
            f"{way:8} {t.runs:5} {t.typed_total:6} {t.runs_losing:7} {t.lost_total:5} "
            f"{t.lost_most:5} {t.oldest_lost:11.2f}s {t.hung:5} {t.mangled:8}  {codes}"
        )
        if way == "SIGKILL":
            broken |= t.oldest_lost > KILL_LOSES_AT_MOST
        else:
            broken |= t.lost_total > 0 or t.hung > 0
        broken |= t.mangled > 0
    print("promise kept" if not broken else "PROMISE BROKEN")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
