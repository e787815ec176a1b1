"""pyproject.toml: every package listed (a non-editable install has all of tracker), and the
lowest dependency versions CI installs are the lower bounds it declares."""

from __future__ import annotations

import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

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


def test_ci_tests_exactly_the_lower_bounds() -> None:
    """.ci/lowest.txt pins every dependency at its pyproject.toml lower bound, so CI's
    oldest-versions run tests what pyproject.toml promises to work."""
    project = tomllib.loads((_REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    bounds = {}
    for line in [*project["dependencies"], *project["optional-dependencies"]["test"]]:
        req = Requirement(line)
        [lowest] = [s.version for s in req.specifier if s.operator == ">="]
        bounds[canonicalize_name(req.name)] = Version(lowest)
    pins = {}
    for line in (_REPO / ".ci" / "lowest.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            pins[canonicalize_name(name)] = Version(version)
    assert pins == bounds
