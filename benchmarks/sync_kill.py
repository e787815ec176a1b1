"""kill -9 two machines while they edit notes and sync through one folder; count what is lost.

    python -m benchmarks.sync_kill                 # 200 kills (100 rounds of two), ~3 minutes
    python -m benchmarks.sync_kill --kills 400 --seed 7

Two libraries ("laptop" and "desktop", each in its own data directory) and
one synced folder. In each round a child process per machine changes notes
(each on its own 20 papers, so every paper's last word is known) and runs
``Library.sync`` every fourth change; the laptop keeps its library open (as
the app does), the desktop opens it for every change (as ``tracker`` commands
do). Each child prints a change's number once the call returned, i.e. once it
is on disk. Both are killed with SIGKILL at random moments, in random order.

After every round, checked without any repair:

- both libraries open, and each holds every acknowledged note (never older
  than acknowledged; at most the one change under way at the kill newer);
- every machine file in the folder is a whole backup (it parses), and holds
  every note of that machine acknowledged before its last acknowledged sync;
- at the end, one more sync on each side (a command that must just work)
  leaves both libraries with every acknowledged note of both machines, and
  no temporary file of a killed sync in the folder.

Prints the kills, the syncs acknowledged and the writes lost (the exit
status is 1 if any was). Everything runs in a temporary directory.
``tests/safety/test_kill9.py`` runs a few rounds of the same in CI.
"""

from __future__ import annotations

import argparse
import random
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from tracker.backup import parse_backup
from tracker.library import Library
from tracker.library.syncing import SYNC_SUFFIX

MACHINES = ("laptop", "desktop")
PAPERS = 20
"""Papers each machine writes notes on (machine k: papers k*20 .. k*20+19)."""

CHILD = r"""
import sys
from pathlib import Path
from tracker.library import Library

data, folder, who, start = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])
base = 0 if who == "laptop" else 20
kept = Library.open(data) if who == "laptop" else None
print("ready", flush=True)
i = start
while True:
    lib = kept or Library.open(data)
    if i % 4 == 0:
        lib.sync(folder, who)
    else:
        lib.set_note(lib.papers[base + i % 20].id, f"{who}{i}")
    if lib is not kept:
        lib.close()
    print(i, flush=True)
    i += 1
"""


@dataclass
class Writer:
    """What the parent knows of one machine's acknowledged changes."""

    name: str
    base: int
    start: int = 1
    notes: dict[int, int] = field(default_factory=dict)
    """Paper index -> newest acknowledged note version."""
    synced: dict[int, int] = field(default_factory=dict)
    """The notes acknowledged before the newest acknowledged sync (its file holds them)."""
    syncs: int = 0


@dataclass
class Outcome:
    kills: int = 0
    syncs: int = 0
    lost: list[str] = field(default_factory=list)


def _version(note: str, who: str) -> int | None:
    return int(note[len(who) :]) if note.startswith(who) and note[len(who) :].isdigit() else None


def _check_library(directory: Path, writer: Writer, last: int, out: Outcome) -> None:
    with Library.open(directory, readonly=True) as lib:
        ids = [p.id for p in lib.papers]
        for index, version in writer.notes.items():
            on_disk = _version(lib.annotation(ids[writer.base + index]).note, writer.name)
            if on_disk is None or not version <= on_disk <= last + 1:
                out.lost.append(f"{writer.name} paper {index}: acked v{version}, found {on_disk}")


def _check_file(folder: Path, writer: Writer, ids: list[str], out: Outcome) -> None:
    path = folder / (writer.name + SYNC_SUFFIX)
    if not path.exists():
        if writer.syncs:
            out.lost.append(f"{path.name} missing after an acknowledged sync")
        return
    backup = parse_backup(path.read_bytes(), str(path))  # a half-written file fails here
    notes = {a.paper_id: a.note for a in backup.annotations}
    for index, version in writer.synced.items():
        on_file = _version(notes.get(ids[writer.base + index], ""), writer.name)
        if on_file is None or on_file < version:
            out.lost.append(f"{path.name}: paper {index} acked v{version}, file has {on_file}")


def run(work: Path, kills: int, seed: int, deadline_s: float = 3600.0) -> Outcome:
    """Kill both machines until ``kills`` kills were made (or the deadline passed)."""
    rng = random.Random(seed)
    folder = work / "Sync"
    folder.mkdir()
    seeds = sorted((Path(__file__).parent.parent / "seeds").glob("*.txt"))
    dirs = {name: work / name for name in MACHINES}
    for directory in dirs.values():
        with Library.open(directory) as lib:
            lib.import_files(seeds)
    with Library.open(dirs["laptop"], readonly=True) as lib:
        ids = [p.id for p in lib.papers]
    writers = {name: Writer(name, k * PAPERS) for k, name in enumerate(MACHINES)}
    out = Outcome()
    deadline = time.monotonic() + deadline_s
    while out.kills < kills and time.monotonic() < deadline:
        children = {
            name: subprocess.Popen(
                [sys.executable, "-c", CHILD, str(dirs[name]), str(folder), name, str(w.start)],
                stdout=subprocess.PIPE,
                text=True,
            )
            for name, w in writers.items()
        }
        for child in children.values():
            assert child.stdout is not None
            if child.stdout.readline().strip() != "ready":
                raise RuntimeError("a writer did not start")
        time.sleep(rng.uniform(0.05, 0.6))
        order = list(children.values())
        rng.shuffle(order)
        for child in order:
            child.send_signal(signal.SIGKILL)
            time.sleep(rng.uniform(0.0, 0.05))
        for name, child in children.items():
            text, _ = child.communicate()
            out.kills += 1
            writer = writers[name]
            done = [int(line) for line in text.split() if line.isdigit()]
            for i in done:
                if i % 4 == 0:
                    writer.synced = dict(writer.notes)
                    writer.syncs += 1
                    out.syncs += 1
                else:
                    writer.notes[i % PAPERS] = i
            last = done[-1] if done else writer.start - 1
            _check_library(dirs[name], writer, last, out)
            writer.start = last + 2  # skip the change under way at the kill
        for writer in writers.values():
            _check_file(folder, writer, ids, out)
    # The next command works without repair and brings everything together.
    for name in (*MACHINES, MACHINES[0]):
        with Library.open(dirs[name]) as lib:
            lib.sync(folder, name)
    for writer in writers.values():
        for name in MACHINES:
            _check_library(dirs[name], writer, writer.start, out)
    left = [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]
    if left:
        out.lost.append(f"temporary files left in the folder: {left}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=200, help="SIGKILLs to make (default 200)")
    parser.add_argument("--seed", type=int, default=20261203)
    args = parser.parse_args(argv)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="sync-kill-") as tmp:
        out = run(Path(tmp), args.kills, args.seed)
    took = time.monotonic() - started
    print(
        f"sync kill -9: {out.kills} kills, {out.syncs} syncs acknowledged, "
        f"{len(out.lost)} acknowledged writes lost ({took:.0f} s)"
    )
    for line in out.lost[:20]:
        print(f"  {line}")
    return 1 if out.lost else 0


if __name__ == "__main__":
    sys.exit(main())
