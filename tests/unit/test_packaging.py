"""pyproject.toml lists every package, so that a non-editable install has all of tracker."""

from __future__ import annotations

import tomllib
from pathlib import Path

_REPO = Path(__file__).resolve().parents[2]
_ROOT = _REPO / "tracker"


def test_pyproject_lists_every_package() -> None:
    pyproject = tomllib.loads((_REPO / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(pyproject["tool"]["setuptools"]["packages"])
    on_disk = {
        ".".join(init.parent.relative_to(_REPO).parts) for init in _ROOT.rglob("__init__.py")
    }
    assert on_disk - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"
    assert listed - on_disk == {"tracker.seeds"}  # mapped from seeds/ by package-dir
