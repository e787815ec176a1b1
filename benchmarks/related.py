"""Time the detail pane's related papers: ``python -m benchmarks.related --papers 10000,100000``.

Builds a synthetic library (the same generator as ``benchmarks.run``)
through ``Library.import_files``, builds the word index, then times
``Library.related`` — what the app calls as the cursor moves — for random
papers. Prints one JSON object per size and PASS/FAIL against the target
(≤ 30 ms at 10,000 papers, issue 7).
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from pathlib import Path

from benchmarks import synth
from benchmarks.measure import percentile
from tracker.library import Library

TARGET_MS = {10_000: 30.0}


def measure(papers: int, samples: int, seed: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="tracker-related-") as tmp:
        root = Path(tmp)
        lib_files = synth.generate(papers, root / "digests", seed=seed)
        with Library.open(root / "data") as lib:
            lib.import_files([*lib_files.seed_files, *lib_files.files])
            started = time.perf_counter()
            lib.build_index()
            build_s = time.perf_counter() - started
            rng = random.Random(seed)
            ids = [p.id for p in rng.sample(lib.papers, min(samples, len(lib.papers)))]
            times = []
            found = 0
            for pid in ids:
                t0 = time.perf_counter()
                result = lib.related(pid)
                times.append((time.perf_counter() - t0) * 1000)
                found += bool(result)
            row: dict[str, object] = {
                "papers": len(lib.papers),
                "samples": len(ids),
                "with_related": found,
                "related_p50_ms": round(percentile(times, 50), 2),
                "related_p95_ms": round(percentile(times, 95), 2),
                "related_max_ms": round(max(times), 2),
                "index_build_s": round(build_s, 2),
            }
    target = TARGET_MS.get(papers)
    if target is not None:
        row["target_p95_ms"] = target
        row["pass"] = bool(row["related_p95_ms"] <= target)  # type: ignore[operator]
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", default="10000", help="comma-separated sizes")
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--seed", type=int, default=20240825)
    args = parser.parse_args()
    for size in (int(s) for s in args.papers.split(",")):
        print(json.dumps(measure(size, args.samples, args.seed)), flush=True)


if __name__ == "__main__":
    main()
