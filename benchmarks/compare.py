"""Search quality (target in the top 5) and a speed comparison with ``fzf --filter``.

fzf sees the titles only, one per line on stdin, as a person would use it
(``tracker list --ids ... | fzf``); paper-tracker searches titles and
abstracts through :meth:`tracker.library.Library.hits`, the search the app's
:meth:`~tracker.library.Library.search` makes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from benchmarks.measure import median
from tracker.library import Library
from tracker.models import normalize_title

TOP = 5


@dataclass(frozen=True, slots=True)
class QualityQuery:
    source: str  # "seed" or "synthetic"
    kind: str  # typo, reorder, prefix, abstract, acronym, topic
    text: str
    expected: str  # the expected title


def fzf_path() -> str | None:
    return shutil.which("fzf")


def fzf_version(path: str) -> str:
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return out.stdout.strip() or "unknown"


def _fzf_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("FZF_DEFAULT_OPTS", None)
    env.pop("FZF_DEFAULT_OPTS_FILE", None)
    return env


def run_fzf(path: str, query: str, stdin: bytes, env: dict[str, str]) -> tuple[float, list[str]]:
    """``fzf --filter QUERY`` over ``stdin``: (wall seconds incl. process start, output lines)."""
    start = time.perf_counter()
    proc = subprocess.run([path, "--filter", query], input=stdin, capture_output=True, env=env)
    wall = time.perf_counter() - start
    # Exit status 1 means "no match"; anything else is a real error.
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"fzf failed: {proc.stderr.decode(errors='replace').strip()}")
    return wall, proc.stdout.decode("utf-8", "replace").splitlines()


def _one_line(title: str) -> str:
    return " ".join(title.split())


def quality(
    lib: Library,
    queries: Sequence[QualityQuery],
    fzf: str | None,
) -> dict[str, Any]:
    """How often each tool has the expected paper in its top 5 (and first)."""
    titles = [_one_line(p.title) for p in lib.papers]
    stdin = ("\n".join(titles) + "\n").encode("utf-8")
    env = _fzf_env()
    rows: list[dict[str, Any]] = []
    for q in queries:
        want = normalize_title(q.expected)
        start = time.perf_counter()
        hits = lib.hits(q.text, limit=TOP)
        tracker_ms = (time.perf_counter() - start) * 1000
        ranks = [i for i, h in enumerate(hits) if normalize_title(lib.papers[h.pos].title) == want]
        row: dict[str, Any] = {
            "source": q.source,
            "kind": q.kind,
            "query": q.text,
            "expected": q.expected,
            "tracker_rank": ranks[0] + 1 if ranks else None,
            "tracker_ms": round(tracker_ms, 2),
        }
        if fzf is not None:
            _, lines = run_fzf(fzf, q.text, stdin, env)
            fz = [i for i, t in enumerate(lines[:TOP]) if normalize_title(t) == want]
            row["fzf_rank"] = fz[0] + 1 if fz else None
        rows.append(row)
    return {"rows": rows, "summary": summarize(rows, fzf is not None)}


def summarize(rows: Sequence[dict[str, Any]], with_fzf: bool) -> dict[str, Any]:
    tools = ["tracker", "fzf"] if with_fzf else ["tracker"]

    def rates(subset: Sequence[dict[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {"queries": len(subset)}
        for tool in tools:
            ranked = [r[f"{tool}_rank"] for r in subset]
            out[f"{tool}_top5"] = sum(1 for r in ranked if r is not None)
            out[f"{tool}_first"] = sum(1 for r in ranked if r == 1)
        return out

    summary: dict[str, Any] = {"all": rates(rows)}
    for source in sorted({r["source"] for r in rows}):
        summary[source] = rates([r for r in rows if r["source"] == source])
    for kind in sorted({r["kind"] for r in rows}):
        summary[f"kind:{kind}"] = rates([r for r in rows if r["kind"] == kind])
    return summary


def speed(lib: Library, queries: Sequence[str], fzf: str) -> dict[str, Any]:
    """The same fuzzy queries: full result list from paper-tracker vs ``fzf --filter``.

    paper-tracker's time is the search call alone (the index is already built);
    fzf's is a whole ``fzf --filter`` process reading every title from stdin,
    which is how fzf answers a query in a pipeline.
    """
    titles = [_one_line(p.title) for p in lib.papers]
    stdin = ("\n".join(titles) + "\n").encode("utf-8")
    env = _fzf_env()
    rows: list[dict[str, Any]] = []
    for query in queries:
        start = time.perf_counter()
        hits = lib.hits(query)
        tracker_s = time.perf_counter() - start
        fzf_s, lines = run_fzf(fzf, query, stdin, env)
        rows.append(
            {
                "query": query,
                "tracker_ms": round(tracker_s * 1000, 2),
                "tracker_hits": len(hits),
                "fzf_ms": round(fzf_s * 1000, 2),
                "fzf_hits": len(lines),
            }
        )
    t = [r["tracker_ms"] for r in rows]
    f = [r["fzf_ms"] for r in rows]
    ratios = [b / a for a, b in zip(t, f, strict=True) if a > 0]
    return {
        "queries": len(rows),
        "tracker_median_ms": round(median(t), 2),
        "fzf_median_ms": round(median(f), 2),
        "tracker_total_ms": round(sum(t), 1),
        "fzf_total_ms": round(sum(f), 1),
        "fzf_over_tracker_total": round(sum(f) / sum(t), 2) if sum(t) else None,
        "fzf_over_tracker_median": round(median(ratios), 2) if ratios else None,
        "rows": rows,
    }
