"""The readers' patterns are compiled when first used, not when a command imports them.

A ``tracker import`` of a plain-text digest is a short process: compiling the
patterns of page shapes it never meets was part of its start-up
(tracker/sources/patterns.py).
"""

from __future__ import annotations

import importlib
import json
import re
import subprocess
import sys

import pytest

from tracker.sources.patterns import compile_all, lazy

# The modules a plain-text digest's import loads: detecting the format, the text reader.
TEXT_IMPORT_MODULES = (
    "tracker.sources",
    "tracker.sources.parsed",
    "tracker.sources.fields",
    "tracker.sources.dates",
    "tracker.sources.markup",
    "tracker.sources.emphasis",
    "tracker.sources.title_check",
    "tracker.sources.hf_json",
    "tracker.sources.feed",
    "tracker.sources.html_page",
    "tracker.sources.arxiv_listing",
    "tracker.sources.arxiv_markdown",
    "tracker.sources.code_examples",
    "tracker.sources.text.lines",
    "tracker.sources.text.blocks",
    "tracker.sources.text.papers",
    "tracker.sources.text.reading",
)

_PROBE = """
import importlib, json, re, sys
from tracker.sources.patterns import _LazyPattern
report = {}
for name in sys.argv[1:]:
    module = importlib.import_module(name)
    values = list(vars(module).values())
    report[name] = {
        "compiled": sum(isinstance(v, re.Pattern) for v in values),
        "lazy_used": sum(isinstance(v, _LazyPattern) and "match" in vars(v) for v in values),
    }
print(json.dumps(report))
"""


def test_importing_the_text_path_compiles_none_of_its_patterns() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *TEXT_IMPORT_MODULES],
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(done.stdout)
    compiled = {name: r["compiled"] for name, r in report.items() if r["compiled"]}
    used = {name: r["lazy_used"] for name, r in report.items() if r["lazy_used"]}
    assert not compiled, "a module compiles patterns at import: use tracker.sources.patterns.lazy"
    assert not used, "a lazy pattern is used at import time"


@pytest.mark.parametrize("name", TEXT_IMPORT_MODULES)
def test_every_lazy_pattern_compiles(name: str) -> None:
    compile_all(importlib.import_module(name))  # re.error for a bad pattern


def test_a_lazy_pattern_matches_as_the_compiled_one_and_compiles_once() -> None:
    source = r"(?P<id>\d{4}\.\d{4,5})(?:v\d+)?"
    pattern = lazy(source, re.IGNORECASE)
    compiled = re.compile(source, re.IGNORECASE)
    assert pattern.pattern == source and "match" not in vars(pattern)  # not compiled yet
    text = "See 2408.11111v2 and 2501.00001."
    assert [m.group("id") for m in pattern.finditer(text)] == ["2408.11111", "2501.00001"]
    assert pattern.sub("ID", text) == compiled.sub("ID", text)
    assert pattern.flags == compiled.flags and pattern.groupindex == compiled.groupindex
    # Compiled once: its methods are now the compiled pattern's, found on the object.
    bound = vars(pattern)["search"]
    assert isinstance(bound.__self__, re.Pattern)
    assert pattern.search is bound
    assert lazy(rb"^\d+$").match(b"123") is not None  # bytes patterns too
