"""kill -9 during a vault export and a file export: no half-written file, the next export works.

A child changes a note, exports one Markdown file, then the vault, again and
again, printing each export once it returned. The parent kills it at a
random moment and checks: the file and every note are whole (a note's
checksum matches its part of ours); what the user wrote in the vault is
there byte for byte; the newest acknowledged export is on disk; and the next
export, without ``--force``, replaces both (a kill between writing a file
and recording it must not make it look like the user's) and leaves no
temporary file behind.

CI runs a short loop; the soak (at least 200 kills) is
``TRACKER_KILL_LOOPS=200 python -m pytest tests/safety/test_kill9_export.py -q -s``.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from tracker.exports import vault as vault_format
from tracker.library import Library
from tracker.models import Status

LOOPS = int(os.environ.get("TRACKER_KILL_LOOPS", "12"))
DEADLINE = max(120.0, 3.0 * LOOPS)
PAPERS = 30

CHILD = r"""
import sys
from pathlib import Path
from tracker.library import Library

data, target, vault, start = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])
lib = Library.open(data)
ids = sorted(p.id for p in lib.papers if not lib.annotation(p.id).is_default)
print("ready", flush=True)
i = start
while True:
    lib.set_note(ids[0], f"v{i}")
    items = lib.export_items(ids)
    lib.write_export(items, target)
    lib.write_export(items, vault, fmt="vault")
    print(i, flush=True)
    i += 1
"""


def _version(text: str) -> int:
    """The note version ``v<N>`` an export holds."""
    return int(text.split("\nv", 1)[1].split("\n", 1)[0])


def test_kill_minus_nine_during_exports(data_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "notes.md"
    target.parent.mkdir()
    vault = tmp_path / "vault"
    with Library.open(data_dir) as lib:
        lib.import_bundled_seeds()
        ids = sorted(p.id for p in lib.papers[:PAPERS])
        lib.set_status(ids, Status.READ)
        lib.set_note(ids[0], "v0")
        result = lib.write_export(lib.export_items(ids), vault, fmt="vault")
        assert result.vault is not None and len(result.vault.written) == PAPERS
    # What the user wrote in the vault: above and below our part of a few notes.
    mine: dict[Path, tuple[str, str]] = {}
    for n, pid in enumerate(ids[:6]):
        [note] = vault.glob(f"*({pid}).md")
        parts = vault_format.split_note(note.read_text())
        assert parts is not None
        above, below = (f"\nabove {n}\n\n", "") if n % 2 else ("\n", f"\n- below {n}\n")
        note.write_text(parts.front + above + note.read_text()[len(parts.front) + 1 :] + below)
        mine[note] = (above, below)

    rng = random.Random(4321)
    start, acked, kills = 1, 0, 0
    deadline = time.monotonic() + DEADLINE
    while kills < LOOPS and time.monotonic() < deadline:
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(data_dir), str(target), str(vault), str(start)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 0.4))
        child.send_signal(signal.SIGKILL)
        out, _ = child.communicate()
        kills += 1
        acks = [int(line) for line in out.split() if line.isdigit()]
        acked = acks[-1] if acks else acked
        last = acks[-1] if acks else start - 1

        # Whole files: the Markdown export complete, every note's checksum right.
        if target.exists():
            text = target.read_text()
            assert text.startswith("# Paper notes") and text.count("\n### ") == PAPERS
            assert acked <= _version(text) <= last + 1
        notes = sorted(vault.glob("*.md"))
        assert len(notes) == PAPERS
        versions = []
        for note in notes:
            parts = vault_format.split_note(note.read_text())
            assert parts is not None and parts.intact, f"{note.name} after kill {kills}"
            if note in mine:
                assert (parts.above, parts.below) == mine[note]
            if "\nv" in parts.generated:
                versions.append(_version(parts.generated))
        [version] = versions
        assert acked <= version <= last + 1

        # The next export needs no --force and leaves no temporary file, also
        # after a change (the file then differs from what it will hold).
        with Library.open(data_dir) as lib:
            lib.set_note(ids[1], f"changed after kill {kills}")
            items = lib.export_items(ids)
            lib.write_export(items, target)
            report = lib.write_export(items, vault, fmt="vault").vault
        assert report is not None and not report.left_alone and not report.deleted
        leftovers = [
            p.name
            for folder in (vault, target.parent, data_dir)
            for p in folder.iterdir()
            if p.name.endswith(".tmp")
        ]
        assert not leftovers, leftovers
        start = last + 2
    assert kills >= min(LOOPS, 5)
    print(f"\nkill -9 during exports: {kills} kills, every file whole, user text kept")
