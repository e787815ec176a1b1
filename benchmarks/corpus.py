"""How well today's importer reads real pages made by other people and tools.

    python -m benchmarks.corpus [--corpus DIR] [--json]

For every hand-checked expectation under ``tests/fixtures/real/expected/``
(``<kind>/<name>.<ext>.json``, see ``tests/fixtures/real/SOURCES.md``) the
matching corpus file ``DIR/<kind>/<name>.<ext>`` is imported with ``tracker
import`` (a child process, as a user runs it) into a fresh library of its own,
with ``--date``/``--format`` only where the expectation's ``import_args`` says
so (pages that name no day). The library is then read back and compared with
the expectation:

- ``titles``: expected titles found exactly (whitespace runs count as one
  space; a title listed under ``alternatives`` counts for its paper);
- ``mangled``: imported rows that are not an expected title but look like one
  cut, joined or prefixed (a real paper read badly);
- ``junk``: imported rows that match no expected paper at all;
- ``digests``: digests made / expected, and whether their dates are the
  expected ones (``dates ok``).

A refused file counts every expected title as missed. A page the expectation
marks ``"refuse": true`` (not a digest at all) is right when the importer
refuses it; if it imports anything, every row is junk. Nothing here asserts a
figure: it prints what the importer does today. The corpus directory defaults
to ``$TRACKER_REAL_CORPUS``, else ``tests/fixtures/real``; files missing from it
are listed as missing. Pages whose expectation carries ``"held_out"`` were
added after the importer was tuned on the others and never used to tune it; a
second total line sums them alone.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = ROOT / "tests" / "fixtures" / "real" / "expected"
DEFAULT_CORPUS = ROOT / "tests" / "fixtures" / "real"
CORPUS_ENV = "TRACKER_REAL_CORPUS"

# Runs the installed CLI's entry point with this interpreter (no PATH lookup).
_CLI = "import sys; from tracker.cli import main; sys.exit(main())"
# Prints the imported library: digests in import order with their papers' titles.
_DUMP = """
import json, sys
from tracker.library import Library
lib = Library.open(sys.argv[1], readonly=True)
out = []
for d in lib.digests:
    titles = [lib.paper(pid).title for pid in d.paper_ids]
    out.append({"label": d.label, "date": d.date, "titles": titles})
print(json.dumps(out))
"""


@dataclass
class Outcome:
    """One corpus file's figures."""

    file: str
    kind: str
    expected_titles: int
    expected_digests: int
    found: int = 0
    mangled: int = 0
    junk: int = 0
    rows: int = 0
    digests: int = 0
    dates_ok: bool = False
    expect_refusal: bool = False  # the page is not a digest: refusing it is right
    held_out: bool = False  # added after the importer was tuned; never used to tune it
    status: str = "ok"  # ok, refused, missing
    message: str = ""
    missed: list[str] = field(default_factory=list)
    junk_rows: list[str] = field(default_factory=list)
    mangled_rows: list[str] = field(default_factory=list)


def _space(text: str) -> str:
    return " ".join(text.split())


def _loose(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


def _looks_like(row: str, titles: list[str]) -> bool:
    """A row that is one of the titles read badly: cut, joined, or with a label in front."""
    r = _loose(row)
    if len(r) < 8:
        return False
    for title in titles:
        t = _loose(title)
        if r in t or t in r:
            return True
        if difflib.SequenceMatcher(None, r, t).ratio() >= 0.8:
            return True
    return False


def measure(expected_file: Path, corpus: Path) -> Outcome:
    rel = expected_file.relative_to(EXPECTED).as_posix().removesuffix(".json")
    spec = json.loads(expected_file.read_text(encoding="utf-8"))
    titles: list[str] = [_space(t) for t in spec["titles"]]
    accepted: dict[str, str] = {t: t for t in titles}
    for canonical, alts in spec.get("alternatives", {}).items():
        for alt in alts:
            accepted[_space(alt)] = _space(canonical)
    want_dates = [d["date"] for d in spec["digests"]]
    outcome = Outcome(
        file=rel,
        kind=rel.split("/", 1)[0],
        expected_titles=len(titles),
        expected_digests=len(want_dates),
        expect_refusal=bool(spec.get("refuse", False)),
        held_out="held_out" in spec,
    )
    source = corpus / rel
    if not source.is_file():
        outcome.status, outcome.missed = "missing", titles
        return outcome
    with tempfile.TemporaryDirectory(prefix="corpus-") as tmp:
        env = dict(os.environ, TRACKER_DATA_DIR=f"{tmp}/data", TRACKER_CONFIG_DIR=f"{tmp}/config")
        # --yes: the measure is what the importer reads, not the question an unusual page gets.
        args = [
            sys.executable,
            "-c",
            _CLI,
            "import",
            "--yes",
            *spec.get("import_args", []),
            str(source),
        ]
        run = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
        if run.returncode != 0:
            outcome.status = "refused"
            outcome.message = (run.stderr.strip().splitlines() or ["(no message)"])[-1]
            outcome.missed = titles
            return outcome
        dump = subprocess.run(
            [sys.executable, "-c", _DUMP, f"{tmp}/data"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
    digests = json.loads(dump.stdout)
    rows = [_space(t) for d in digests for t in d["titles"]]
    seen = {accepted[r] for r in rows if r in accepted}
    outcome.rows = len(rows)
    outcome.found = len(seen)
    outcome.missed = [t for t in titles if t not in seen]
    for row in rows:
        if row in accepted:
            continue
        if _looks_like(row, titles):
            outcome.mangled_rows.append(row)
        else:
            outcome.junk_rows.append(row)
    outcome.mangled, outcome.junk = len(outcome.mangled_rows), len(outcome.junk_rows)
    outcome.digests = len(digests)
    got_dates = [d["date"] for d in digests]
    # A page the expectation gives no day gets it from import_args (--date).
    if "--date" in spec.get("import_args", []):
        given = spec["import_args"][spec["import_args"].index("--date") + 1]
        want_dates = [d or given for d in want_dates]
    outcome.dates_ok = got_dates == want_dates
    return outcome


def _right_refusal(o: Outcome) -> bool:
    return o.expect_refusal and o.status == "refused"


def _summary(outcomes: list[Outcome]) -> str:
    found = sum(o.found for o in outcomes)
    want = sum(o.expected_titles for o in outcomes)
    right_digests = sum(
        _right_refusal(o) or (o.status == "ok" and o.digests == o.expected_digests and o.dates_ok)
        for o in outcomes
    )
    clean = sum(
        _right_refusal(o) or (o.status == "ok" and o.junk == 0 and o.mangled == 0) for o in outcomes
    )
    return (
        f"{len(outcomes)} files, titles {found}/{want} ({100 * found / max(want, 1):.1f}%), "
        f"mangled {sum(o.mangled for o in outcomes)}, junk {sum(o.junk for o in outcomes)}, "
        f"refused {sum(o.status == 'refused' and not o.expect_refusal for o in outcomes)}, "
        f"not-a-digest pages refused {sum(map(_right_refusal, outcomes))}"
        f"/{sum(o.expect_refusal for o in outcomes)}, "
        f"missing {sum(o.status == 'missing' for o in outcomes)}; "
        f"files with the right digests and dates {right_digests}/{len(outcomes)}, "
        f"without junk or mangled rows {clean}/{len(outcomes)}"
    )


def _table(outcomes: list[Outcome]) -> str:
    head = (
        f"{'file':<58} {'titles':>9} {'mangled':>7} {'junk':>5} {'digests':>7} {'dates':>5}  note"
    )
    lines = [head, "-" * len(head)]
    for o in outcomes:
        titles = f"{o.found}/{o.expected_titles}"
        digests = f"{o.digests}/{o.expected_digests}"
        dates = "ok" if o.dates_ok else "-"
        note = o.status if o.status != "ok" else ""
        if o.held_out:
            note = "held-out" + (f", {note}" if note else "")
        if o.expect_refusal:
            note = "refused, as it should" if o.status == "refused" else "should be refused"
        if o.message:
            note += f": {o.message[:70]}"
        lines.append(
            f"{o.file:<58} {titles:>9} {o.mangled:>7} {o.junk:>5} {digests:>7} {dates:>5}  {note}"
        )
    lines.append("-" * len(head))
    lines.append("total: " + _summary(outcomes))
    held = [o for o in outcomes if o.held_out]
    if held:
        # The pages nobody tuned the importer on: the honest figure for a new page.
        lines.append("held-out: " + _summary(held))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--corpus",
        type=Path,
        default=Path(os.environ.get(CORPUS_ENV) or DEFAULT_CORPUS),
        help=f"directory holding <kind>/<file> (default: ${CORPUS_ENV} or tests/fixtures/real)",
    )
    parser.add_argument("--json", action="store_true", help="one JSON object per file")
    parser.add_argument(
        "--verbose", "-v", action="store_true", help="list missed titles and junk rows"
    )
    args = parser.parse_args(argv)
    outcomes = [measure(f, args.corpus) for f in sorted(EXPECTED.rglob("*.json"))]
    if args.json:
        for o in outcomes:
            print(json.dumps(asdict(o), ensure_ascii=False))
        return 0
    print(_table(outcomes))
    if args.verbose:
        for o in outcomes:
            if o.missed or o.junk_rows or o.mangled_rows:
                print(f"\n{o.file}")
                for t in o.missed:
                    print(f"  missed:  {t}")
                for t in o.mangled_rows:
                    print(f"  mangled: {t}")
                for t in o.junk_rows:
                    print(f"  junk:    {t}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
