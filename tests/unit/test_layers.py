"""The layering of DESIGN.md: nothing outside tracker/app imports Textual."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import tracker

_ROOT = Path(tracker.__file__).parent
CORE = sorted(
    [p.stem for p in _ROOT.glob("*.py") if p.stem != "__init__"]
    + ["sources"]
    + [f"sources.{p.stem}" for p in (_ROOT / "sources").glob("*.py") if p.stem != "__init__"]
)


def test_core_modules_do_not_import_textual() -> None:
    assert {"cli", "digest", "export", "library", "locations", "models", "search", "store"} <= set(
        CORE
    )
    code = (
        "import sys\n"
        f"for name in {CORE!r}:\n"
        "    __import__('tracker.' + name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, f"core imports Textual: {result.stdout}{result.stderr}"
