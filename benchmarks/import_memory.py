"""Peak memory of importing one very large digest page (issue 17 point 13).

    python -m benchmarks.import_memory                       # 265,000 papers, ~200 MB text
    python -m benchmarks.import_memory --json                # 215,000 papers, ~220 MB JSON
    python -m benchmarks.import_memory --papers 50000 --keep /tmp/digest.txt
    python -m benchmarks.import_memory --file PAGE.txt       # a page you have

Writes a plain-text Daily Papers page (a header, one date line, then title /
abstract blocks; titles of 6-12 made-up words, abstracts of about 680
characters, as the attack's 200 MB file had) into a temporary folder, or with
``--json`` a Hugging Face daily-papers JSON list (the API's entries: a
``paper`` object with id, title, summary, authors and dates, about 1 KB each,
over 30 days), imports it with ``tracker import`` into a fresh data folder in
a child process, and prints the child's peak resident memory (``VmHWM``,
Linux), the time and the papers stored. ``--whole`` reads and parses the page
in one go (as before pages were read in pieces), to compare. Not run in CI:
it writes 200 MB and takes a minute or two; ``tests/safety/test_import_memory.py``
checks a smaller case.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEADER = "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nDaily Papers\n\n"
_CHILD = """
import sys
from tracker.library import files, page_pieces
if sys.argv[1] == "whole":
    page_pieces.STREAM_MIN_BYTES = 1 << 62
    files.WHOLE_READ_BYTES = files.MARKUP_READ_BYTES = 1 << 62
from tracker.cli import main
code = main(sys.argv[2:])
# The child's own peak: VmHWM starts anew at exec (ru_maxrss would start from the
# peak of the process that forked it).
print([l.split()[1] for l in open("/proc/self/status") if l.startswith("VmHWM")][0])
sys.exit(code)
"""


def write_page(path: Path, papers: int, seed: int = 17) -> None:
    """A plain-text page of ``papers`` distinct papers (deterministic for a seed)."""
    rng = random.Random(seed)
    syllables = ["ra", "ven", "tor", "qui", "las", "mo", "dri", "pex", "sol", "una", "ke", "zu"]
    words = ["".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(20_000)]
    with path.open("w", encoding="utf-8") as fh:
        fh.write(HEADER + "Jan 1, 2030\n\n")
        for n in range(papers):
            title = " ".join(rng.choices(words, k=rng.randint(6, 12))).title()
            abstract = []
            size = 0
            while size < 680:
                sentence = " ".join(rng.choices(words, k=rng.randint(10, 20))).capitalize() + "."
                abstract.append(sentence)
                size += len(sentence) + 1
            fh.write(f"{title} {n}\n\n{' '.join(abstract)}\n\n")


def write_json(path: Path, papers: int, seed: int = 17) -> None:
    """A Daily Papers JSON list of ``papers`` distinct papers over 30 days (deterministic)."""
    rng = random.Random(seed)
    syllables = ["ra", "ven", "tor", "qui", "las", "mo", "dri", "pex", "sol", "una", "ke", "zu"]
    words = ["".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(20_000)]
    names = [w.title() for w in words[:2000]]
    with path.open("w", encoding="utf-8") as fh:
        fh.write("[")
        for n in range(papers):
            day = f"2030-01-{1 + n % 30:02d}"
            entry = {
                "paper": {
                    "id": f"3001.{n:05d}" if n < 100_000 else f"3002.{n - 100_000:05d}",
                    "title": " ".join(rng.choices(words, k=rng.randint(6, 12))).title() + f" {n}",
                    "summary": " ".join(rng.choices(words, k=rng.randint(50, 80))) + ".",
                    "authors": [
                        {"name": f"{rng.choice(names)} {rng.choice(names)}", "hidden": False}
                        for _ in range(rng.randint(2, 6))
                    ],
                    "publishedAt": f"{day}T00:00:00.000Z",
                    "submittedOnDailyAt": f"{day}T12:00:00.000Z",
                    "upvotes": rng.randint(0, 300),
                },
                "publishedAt": f"{day}T12:00:00.000Z",
                "numComments": rng.randint(0, 20),
            }
            fh.write(("," if n else "") + "\n" + json.dumps(entry))
        fh.write("\n]\n")


def measure(page: Path, *, whole: bool) -> dict[str, object]:
    """Import ``page`` into a new library in a child process: its peak memory and time."""
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        env = {**os.environ, "TRACKER_DATA_DIR": str(data), "TRACKER_CONFIG_DIR": tmp}
        start = time.perf_counter()
        run = subprocess.run(
            [sys.executable, "-c", _CHILD, "whole" if whole else "pieces", "import", str(page)],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        seconds = time.perf_counter() - start
        if run.returncode != 0:
            raise SystemExit(f"the import failed: {run.stderr.strip()}")
        *_, last, peak = run.stdout.strip().splitlines()
        peak_kb = int(peak)
    return {
        "file_mb": round(page.stat().st_size / 2**20, 1),
        "read": "whole" if whole else "pieces",
        "peak_rss_mb": round(peak_kb / 1024),
        "seconds": round(seconds, 1),
        "result": last,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--papers", type=int, help="265,000 (text) or 215,000 (--json)")
    parser.add_argument("--file", type=Path, help="import this page instead of writing one")
    parser.add_argument("--keep", type=Path, help="write the page here and keep it")
    parser.add_argument("--json", action="store_true", help="write a Daily Papers JSON list")
    parser.add_argument("--whole", action="store_true", help="read the page whole, as before")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        page = args.file or args.keep or Path(tmp) / ("digest.json" if args.json else "digest.txt")
        if args.file is None:
            papers = args.papers or (215_000 if args.json else 265_000)
            print(f"writing a page of {papers:,} papers to {page}", file=sys.stderr)
            (write_json if args.json else write_page)(page, papers)
        print(json.dumps(measure(page, whole=args.whole)))


if __name__ == "__main__":
    main()
