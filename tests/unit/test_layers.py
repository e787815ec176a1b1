"""The layering: imports point downward only, nothing outside tracker/app imports Textual.

Every module under tracker/ (tracker/app aside) belongs to one component in
:data:`TIERS`; a module may import its own component and components of lower
tiers, never a higher tier nor a sibling of its own tier. Imports inside
functions and under ``TYPE_CHECKING`` count too: a lazy import is still a
dependency. A new module fails :func:`test_every_core_module_has_a_layer` until
it is given a place here.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import tracker

_ROOT = Path(tracker.__file__).parent

TIERS: list[tuple[str, ...]] = [
    ("__main__",),
    ("app",),
    ("cli",),
    ("fetching",),
    ("library",),
    ("whats_new", "exports", "config", "editor", "browser", "clipboard"),
    ("backup", "stats", "latex"),
    ("sources", "search", "store"),
    ("models",),
    ("rows", "locations", "memory", "clock", "wording"),
]
"""Components, top tier first; a component is a module or package directly under tracker/."""

ALLOWED_UPWARD = {
    ("tracker.cli.reports", "tracker.app.app"),
    ("tracker.cli.reports", "tracker.app.runtime"),
    ("tracker.cli.keys", "tracker.app.app"),
    ("tracker.cli.keys", "tracker.app.keymap_check"),
}
"""The upward imports: the CLI starts the app (lazily, when it opens the TUI), after
setting up the process for it; `tracker keys` reads the app's bindings."""


def _modules() -> dict[str, Path]:
    """Every module of the tracker package by dotted name."""
    found = {}
    for path in sorted(_ROOT.rglob("*.py")):
        parts = path.relative_to(_ROOT.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


MODULES = _modules()
CORE = sorted(m for m in MODULES if m != "tracker" and not m.startswith("tracker.app"))


def _component(module: str) -> str:
    return module.split(".")[1] if module != "tracker" else ""


def _imports(module: str) -> Iterator[str]:
    """The tracker modules ``module`` imports anywhere in its source."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: `from . import x` is the package itself
                parent = package.rsplit(".", node.level - 1)[0]
                base = f"{parent}.{base}" if base else parent
            # `from package import submodule` depends on the submodule.
            names = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base
                for alias in node.names
            ]
        else:
            continue
        for name in names:
            if name == "tracker" or name.startswith("tracker."):
                while name not in MODULES:  # `import tracker.x.y as z` of a name in x
                    name = name.rpartition(".")[0]
                yield name


def _tier(component: str) -> int:
    for rank, components in enumerate(TIERS):
        if component in components:
            return rank
    raise AssertionError(f"tracker.{component} has no place in TIERS")


def test_every_core_module_has_a_layer() -> None:
    assert {"tracker.cli", "tracker.library", "tracker.search", "tracker.store.store"} <= set(CORE)
    unplaced = sorted(
        {_component(m) for m in CORE} - {c for components in TIERS for c in components}
    )
    assert not unplaced, f"give these a place in TIERS (tests/unit/test_layers.py): {unplaced}"


def test_imports_point_downward() -> None:
    wrong = []
    for module in CORE:
        here = _component(module)
        for target in _imports(module):
            there = _component(target)
            if there in ("", here) or (module, target) in ALLOWED_UPWARD:
                continue
            if _tier(there) <= _tier(here):
                wrong.append(f"{module} imports {target}")
    assert not wrong, "imports that point up or sideways:\n" + "\n".join(wrong)


APP_NEVER_IMPORTS = ("tracker.search",)
"""Engines the app reaches only through tracker.library: it hands the library one
search request (the box's text, the digest, the status view) and gets hits back,
so no query parsing, filter composing or watch-list matching happens in tracker/app."""


def test_the_app_searches_through_the_library() -> None:
    app = [m for m in MODULES if m.startswith("tracker.app")]
    assert "tracker.app.screens.triage" in app
    wrong = sorted(
        {
            f"{module} imports {target}"
            for module in app
            for target in _imports(module)
            for engine in APP_NEVER_IMPORTS
            if target == engine or target.startswith(engine + ".")
        }
    )
    assert not wrong, "tracker/app must go through tracker.library:\n" + "\n".join(wrong)


def test_no_import_cycles() -> None:
    """No module reaches itself through imports (lazy ones included), tracker/app too."""
    everything = sorted(MODULES)
    graph = {m: {t for t in _imports(m) if t != m} for m in everything}
    cycles = []
    # Tarjan's strongly connected components: a component of two or more modules is a cycle.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            members = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                members.append(member)
                if member == node:
                    break
            if len(members) > 1:
                cycles.append(sorted(members))

    for node in graph:
        if node not in index:
            visit(node)
    assert not cycles, f"import cycles: {cycles}"


def test_no_package_hides_a_module_behind_a_name() -> None:
    """``from tracker.pkg import x`` gives module x: the package binds no other object to x."""
    hidden = []
    for package, path in MODULES.items():
        if path.name != "__init__.py":
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if not isinstance(node, ast.ImportFrom) or node.module is None:
                continue
            for alias in node.names:
                bound = f"{package}.{alias.asname or alias.name}"
                if bound in MODULES and f"{node.module}.{alias.name}" != bound:
                    hidden.append(f"{bound} (bound to {node.module}.{alias.name})")
    assert not hidden, f"names that hide a submodule of the same name: {hidden}"


def test_core_modules_do_not_import_textual() -> None:
    code = (
        "import sys\n"
        f"for name in {CORE!r}:\n"
        "    __import__(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, f"core imports Textual: {result.stdout}{result.stderr}"
