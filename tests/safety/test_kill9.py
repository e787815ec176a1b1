"""kill -9 at random moments never loses an acknowledged write nor leaves a half file.

A child process streams note and status changes (and now and then an import)
and prints the number of each change once the library call has returned,
i.e. once it is fsynced. The parent kills it with SIGKILL at a random moment,
reopens the library and checks that every acknowledged change is there.
The second test runs two writers at once (one keeps the library open like
the app, the other opens it per change like ``tracker`` commands from cron),
with imports, merges and compactions of both journals among their changes,
and kills both.

CI runs a short loop; the soak (at least 200 kills each) is
``TRACKER_KILL_LOOPS=200 python -m pytest tests/safety/test_kill9.py -q -s``.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from tracker.library import Library

LOOPS = int(os.environ.get("TRACKER_KILL_LOOPS", "25"))
DEADLINE = max(240.0, 4.0 * LOOPS)

CHILD = r"""
import sys
from pathlib import Path
from tracker.library import Library

data, digests, start = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
lib = Library.open(data)
ids = [p.id for p in lib.papers][:40]
statuses = ["to-read", "reading", "read", "skipped", "new"]
print("ready", flush=True)
i = start
while True:
    pid = ids[i % len(ids)]
    if i % 3 == 0:
        lib.set_status([pid], statuses[(i // 3) % len(statuses)])
    else:
        lib.set_note(pid, f"v{i}")
    if i % 25 == 0:
        files = sorted(digests.glob("*.txt"))
        lib.import_file(files[(i // 25) % len(files)])
    print(i, flush=True)
    i += 1
"""


def _digest(n: int) -> str:
    papers = "\n\n".join(
        f"Synthetic paper {n}-{k} on kill safety\n\n"
        + " ".join(["We study what happens when a process is killed mid write."] * 4)
        for k in range(30)
    )
    return f"Daily Papers\n\nJan {n % 28 + 1}\n\n{papers}\n"


def test_kill_minus_nine_loses_no_acknowledged_write(data_dir: Path, tmp_path: Path) -> None:
    digests = tmp_path / "digests"
    digests.mkdir()
    for n in range(8):
        (digests / f"d{n}.txt").write_text(_digest(n))
    with Library.open(data_dir) as lib:
        lib.import_bundled_seeds()
    rng = random.Random(1234)
    acked_notes: dict[int, int] = {}  # paper index -> newest acknowledged note version
    start = 1
    kills = 0
    deadline = time.monotonic() + DEADLINE
    while kills < LOOPS and time.monotonic() < deadline:
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(data_dir), str(digests), str(start)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 0.15))
        child.send_signal(signal.SIGKILL)
        out, _ = child.communicate()
        kills += 1
        acks = [int(line) for line in out.split() if line.isdigit()]
        for i in acks:
            if i % 3:
                acked_notes[i % 40] = i
        last = acks[-1] if acks else start - 1
        # The library must open (no half-written file) and hold every acked note.
        with Library.open(data_dir, readonly=True) as lib:
            ids = [p.id for p in lib.papers][:40]
            for index, version in acked_notes.items():
                note = lib.annotation(ids[index]).note
                assert note.startswith("v"), f"lost note of paper {index} after kill {kills}"
                on_disk = int(note[1:])
                # Never older than acknowledged; at most the one unacknowledged write newer.
                assert version <= on_disk <= last + 1, (index, version, on_disk, last)
        start = last + 2  # skip the version that may or may not have landed
    assert kills >= min(LOOPS, 10)
    # A kill between writing a temporary file and renaming it leaves it behind;
    # the next writer to open the library removes it.
    with Library.open(data_dir):
        pass
    assert not [p.name for p in data_dir.iterdir() if p.name.endswith(".tmp")]
    print(f"\nkill -9: {kills} kills survived, 0 acknowledged writes lost")


# -- two writers at once -----------------------------------------------------------

# Each op i is known to the parent too (``_op``): the child prints i once it returned.
TWO_CHILD = r"""
import sys
from pathlib import Path
from tracker.library import Library

sys.path.insert(0, sys.argv[6])
from test_kill9 import _op

data, digests, backup, who, start = (
    Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4], int(sys.argv[5])
)
files = sorted(digests.glob("*.txt"))
keep_open = Library.open(data) if who == "app" else None
print("ready", flush=True)
i = start
while True:
    lib = keep_open or Library.open(data)
    ids = [p.id for p in lib.papers][:120]
    kind, index, value = _op(who, i)
    if kind == "note":
        lib.set_note(ids[index], value)
    elif kind == "status":
        lib.set_status([ids[index]], value)
    elif kind == "import":
        lib.import_file(files[index % len(files)])
    elif kind == "merge":
        lib.merge_backup(backup)
    elif kind == "compact":
        lib.store.compact(force=True)
    if lib is not keep_open:
        lib.close()
    print(i, flush=True)
    i += 1
"""

STATUSES = ["to-read", "reading", "read", "skipped", "new"]


def _op(who: str, i: int) -> tuple[str, int, str]:
    """What writer ``who`` does as its change number ``i``: (kind, paper index, value)."""
    base = 0 if who == "app" else 40  # disjoint papers: each writer's last word is known
    if i % 13 == 0:
        return "import", i // 13, ""
    if i % 11 == 0:
        return "compact", 0, ""
    if who == "cli" and i % 7 == 0:
        return "merge", 0, ""
    if i % 3 == 0:
        return "status", base + i % 40, STATUSES[(i // 3) % len(STATUSES)]
    return "note", base + i % 40, f"{who}{i}"


def _backup(data_dir: Path, path: Path) -> None:
    """Another machine's backup: notes on papers 80-89, which no writer touches."""
    with Library.open(data_dir, readonly=True) as lib:
        doc = lib.backup_document()
        stamp = "2026-01-01T00:00:00.000Z"
        for paper in lib.papers[80:90]:
            doc["annotations"].append(
                {
                    "paper_id": paper.id,
                    "status": "read",
                    "note": f"merged {paper.id}",
                    "tags": [],
                    "updated_at": stamp,
                    "history": [[stamp, "read"]],
                }
            )
    import json

    path.write_text(json.dumps(doc))


def test_kill_minus_nine_with_two_writers_compactions_and_merges(
    data_dir: Path, tmp_path: Path
) -> None:
    digests = tmp_path / "digests"
    digests.mkdir()
    for n in range(12):
        (digests / f"d{n}.txt").write_text(_digest(n + 30))
    with Library.open(data_dir) as lib:
        lib.import_bundled_seeds()
        lib.import_file(digests / "d0.txt")
    backup = tmp_path / "other-machine.json"
    _backup(data_dir, backup)
    here = str(Path(__file__).parent)
    rng = random.Random(4321)
    starts = {"app": 1, "cli": 1}
    acked: dict[str, list[int]] = {"app": [], "cli": []}
    maybe: dict[str, set[int]] = {"app": set(), "cli": set()}
    kills = 0
    merged = False
    deadline = time.monotonic() + DEADLINE
    while kills < LOOPS and time.monotonic() < deadline:
        children = {
            who: subprocess.Popen(
                [
                    *(sys.executable, "-c", TWO_CHILD, str(data_dir), str(digests), str(backup)),
                    *(who, str(starts[who]), here),
                ],
                stdout=subprocess.PIPE,
                text=True,
            )
            for who in ("app", "cli")
        }
        for child in children.values():
            assert child.stdout is not None
            assert child.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 0.3))
        order = list(children.items())
        rng.shuffle(order)
        for _, child in order:
            child.send_signal(signal.SIGKILL)
            time.sleep(rng.uniform(0.0, 0.02))
        for who, child in children.items():
            out, _ = child.communicate()
            done = [int(line) for line in out.split() if line.isdigit()]
            acked[who] += done
            last = done[-1] if done else starts[who] - 1
            maybe[who].add(last + 1)  # under way at the kill: it may or may not have landed
            starts[who] = last + 2  # skip it
        kills += 1
        merged = merged or any(_op("cli", i)[0] == "merge" for i in acked["cli"])
        # Opens without repair, holds every acknowledged change.
        with Library.open(data_dir, readonly=True) as lib:
            _check_acknowledged(lib, acked, maybe, digests)
            if merged:
                assert all(f"merged {p.id}" in lib.annotation(p.id).note for p in lib.papers[80:90])
    assert kills >= min(LOOPS, 10)
    with Library.open(data_dir) as lib:  # a writer opens it and writes, no repair needed
        lib.set_note(lib.papers[0].id, "after the kills")
    assert not [
        p.name
        for p in data_dir.iterdir()
        if p.name.endswith(".tmp") and not p.name.startswith(".search-index")
    ]
    print(f"\nkill -9, two writers: {kills} rounds ({2 * kills} kills), 0 acknowledged writes lost")


def _check_acknowledged(
    lib: Library, acked: dict[str, list[int]], maybe: dict[str, set[int]], digests: Path
) -> None:
    """Each writer's last acknowledged note and status per paper are on disk.

    Or a later one that was under way when the writer was killed (``maybe``:
    the change after each writer's last acknowledged one in each round).
    """
    ids = [p.id for p in lib.papers][:120]
    imported = {d.sha256 for d in lib.digests}
    files = sorted(digests.glob("*.txt"))
    for who, done in acked.items():
        last: dict[tuple[int, str], int] = {}
        for i in done:
            kind, index, _ = _op(who, i)
            if kind in ("note", "status"):
                last[(index, kind)] = max(last.get((index, kind), 0), i)
            elif kind == "import":
                sha = hashlib.sha256(files[index % len(files)].read_bytes()).hexdigest()
                assert sha in imported, f"lost import {i} of {who}"
        for (index, kind), i in last.items():
            allowed = {_op(who, i)[2]}
            allowed |= {
                _op(who, m)[2] for m in maybe[who] if m > i and _op(who, m)[:2] == (kind, index)
            }
            ann = lib.annotation(ids[index])
            found = ann.note if kind == "note" else ann.status.value
            assert found in allowed, (who, kind, index, i, found, allowed)


# -- two machines syncing through one folder --------------------------------------------


def test_kill_minus_nine_during_syncs_loses_nothing_and_leaves_no_half_file(
    tmp_path: Path,
) -> None:
    """benchmarks/sync_kill.py, a few rounds: both machines killed while they edit and sync.

    The soak: ``python -m benchmarks.sync_kill --kills 200``.
    """
    from benchmarks.sync_kill import run

    out = run(tmp_path, kills=min(LOOPS, 20), seed=LOOPS, deadline_s=DEADLINE)
    assert out.kills >= min(LOOPS, 10)
    assert out.syncs > 0
    assert out.lost == []
    print(f"\nkill -9, syncing: {out.kills} kills, {out.syncs} syncs acknowledged, 0 lost")
