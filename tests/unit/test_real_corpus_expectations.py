"""The hand-written expectations of the real-page corpus are well formed.

The corpus itself (tests/fixtures/real/SOURCES.md) is measured by
``python -m benchmarks.corpus``; this only keeps its expectations honest: every
expected file names a listed source, titles are unique and clean, dates are
real dates, a page marked ``"refuse": true`` expects nothing, a held-out page
(``"held_out"``: the day it was added, with a batch letter when a second batch
came that day; never used to tune the importer) says so
in SOURCES.md too, and a page that is present has exactly the listed bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path

import pytest

REAL = Path(__file__).resolve().parent.parent / "fixtures" / "real"
EXPECTED = sorted((REAL / "expected").rglob("*.json"))
SOURCES = (REAL / "SOURCES.md").read_text(encoding="utf-8")
# "- **`kind/name.ext`** — …" then a "source:" line with "(git blob `…`".
LISTED = dict(
    re.findall(r"- \*\*`([^`]+)`\*\*.*\n  - source: .*?git blob `([0-9a-f]{40})`", SOURCES)
)


def _rel(path: Path) -> str:
    return path.relative_to(REAL / "expected").as_posix().removesuffix(".json")


def test_every_expectation_has_a_listed_source_and_back() -> None:
    assert EXPECTED, "no expectations found"
    assert sorted(_rel(p) for p in EXPECTED) == sorted(LISTED)


@pytest.mark.parametrize("path", EXPECTED, ids=_rel)
def test_expectation_is_well_formed(path: Path) -> None:
    spec = json.loads(path.read_text(encoding="utf-8"))
    assert set(spec) <= {
        "refuse",
        "digests",
        "titles",
        "alternatives",
        "import_args",
        "spot",
        "notes",
        "held_out",
    }
    assert spec["notes"]
    if spec.get("refuse"):
        # Not a digest at all: nothing may be imported from it.
        assert spec["refuse"] is True and spec["digests"] == [] and spec["titles"] == []
        assert "import_args" not in spec and "alternatives" not in spec
        return
    assert spec["digests"] and spec["titles"]
    for digest in spec["digests"]:
        assert digest["label"]
        if digest["date"] is not None:
            dt.date.fromisoformat(digest["date"])
    if any(d["date"] is None for d in spec["digests"]):
        assert "--date" in spec.get("import_args", []), "a page without a day needs --date"
    titles = [" ".join(t.split()) for t in spec["titles"]]
    assert len(set(titles)) == len(titles), "a paper is listed once"
    for title in titles:
        assert title and not title.startswith(("Title:", "#")) and "](" not in title
        # A title may open with a bracket ('[Citation needed] Data usage …'), never
        # with one it does not close (link text cut at a line break: '[Efficient …').
        assert not title.startswith("[") or "]" in title
    for canonical in spec.get("alternatives", {}):
        assert canonical in spec["titles"]


def test_held_out_pages_are_marked_in_sources() -> None:
    held = [p for p in EXPECTED if "held_out" in json.loads(p.read_text(encoding="utf-8"))]
    for path in held:
        spec = json.loads(path.read_text(encoding="utf-8"))
        # The day the page was added, with a letter when a second batch came the same day.
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}[a-z]?", spec["held_out"]), spec["held_out"]
        dt.date.fromisoformat(spec["held_out"][:10])
        entry = SOURCES.split(f"- **`{_rel(path)}`**", 1)[1].split("\n- **`", 1)[0]
        assert f"held-out: yes, added {spec['held_out']}" in entry, _rel(path)


def test_present_pages_have_the_listed_bytes() -> None:
    present = [p for p in EXPECTED if (REAL / _rel(p)).exists()]
    if not present:
        pytest.skip("no page of the corpus in this checkout (see SOURCES.md)")
    for path in present:
        data = (REAL / _rel(path)).read_bytes()
        blob = hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()
        assert blob == LISTED[_rel(path)], _rel(path)
