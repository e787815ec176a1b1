"""The index stage of the benchmark, run in a child process by ``benchmarks.run``.

``python -m benchmarks.index_child DATA_DIR`` builds the word index of the
library in DATA_DIR from scratch and saves it (timed apart), then loads it
in a second open, and prints the figures as one JSON object. It leaves the
saved index in DATA_DIR, as the app's first start would: the app stage then
measures every later start.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tracker.library import Library
from tracker.search import IndexState
from tracker.search.index_file import INDEX_FILE, IndexFile


class _TimedIndexFile(IndexFile):
    """The library's saved index, timing its load and save."""

    def __init__(self, path: Path, state: Callable[[], str | None] | None = None) -> None:
        super().__init__(path, state)
        self.seconds: dict[str, float] = {}
        self.loaded: IndexState | None = None

    def load(self) -> IndexState | None:
        start = time.perf_counter()
        self.loaded = super().load()
        self.seconds["load"] = time.perf_counter() - start
        return self.loaded

    def save(self, state: IndexState, still_valid: Callable[[], bool]) -> None:
        start = time.perf_counter()
        super().save(state, still_valid)
        self.seconds["save"] = time.perf_counter() - start


def index_metrics(data_dir: Path) -> dict[str, Any]:
    """Read-only: build the word index from scratch and save it, then load it."""
    path = data_dir / INDEX_FILE
    path.unlink(missing_ok=True)
    with Library.open(data_dir, readonly=True) as lib:
        # Tagged with the library's state as the library's own index file is.
        timed = _TimedIndexFile(path, lib.store.library_state)
        lib.index.store = timed
        start = time.perf_counter()
        lib.build_index()
        total = time.perf_counter() - start
    if not path.exists():
        raise SystemExit(f"the search index was not saved to {path}")
    build_s = total - timed.seconds["save"] - timed.seconds.get("load", 0.0)
    with Library.open(data_dir, readonly=True) as lib:
        again = _TimedIndexFile(path, lib.store.library_state)
        lib.index.store = again
        start = time.perf_counter()
        lib.build_index()
        load_s = time.perf_counter() - start
        if again.loaded is None or again.loaded.count != len(lib):
            raise SystemExit("the saved search index was not used")
    return {
        "index_build_s": round(build_s, 3),
        "index_save_s": round(timed.seconds["save"], 3),
        "index_load_s": round(load_s, 3),
        "index_cache_mb": round(path.stat().st_size / 2**20, 1),
    }


def main() -> None:
    print(json.dumps(index_metrics(Path(sys.argv[1]))))


if __name__ == "__main__":
    main()
