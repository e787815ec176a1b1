"""Regular expressions compiled when first used, not when their module is imported.

The readers hold some hundred module-level patterns, most for shapes of page
that a given file does not have (Markdown links, HTML, arXiv listings); a
``tracker import`` of a day's plain-text digest is a process that compiled
them all at start-up for nothing. :func:`lazy` gives a pattern that compiles
on its first use, once per process: its methods (``match``, ``sub``, …) are
then the compiled pattern's own, bound on the object, so a pattern used on
every line costs what a compiled one does. ``.pattern`` and ``.flags`` are
known without compiling (a pattern built from another's source stays lazy).

Such a pattern is for calling its methods: ``re.sub(PATTERN, …)`` and
``re.compile(PATTERN)`` want a real one. ``compile_all`` compiles every lazy
pattern of a module (the tests call it, so that a bad pattern fails there and
not on the first page that meets it).
"""

from __future__ import annotations

import re
from types import ModuleType
from typing import AnyStr, cast

__all__ = ["compile_all", "lazy"]

_METHODS = ("match", "fullmatch", "search", "sub", "subn", "split", "findall", "finditer")


class _LazyPattern:
    """A pattern's source and flags; compiled, and its methods bound here, on first use."""

    def __init__(self, pattern: str | bytes, flags: int) -> None:
        self.pattern = pattern
        self.flags = flags

    def compiled(self) -> re.Pattern[str] | re.Pattern[bytes]:
        compiled = re.compile(self.pattern, self.flags)
        # Found on the instance from now on: __getattr__ is not called again.
        for name in _METHODS:
            setattr(self, name, getattr(compiled, name))
        self.groups = compiled.groups
        self.groupindex = compiled.groupindex
        self.flags = compiled.flags  # with the flags compiling adds (re.UNICODE)
        return compiled

    def __getattr__(self, name: str) -> object:
        if name.startswith("__"):  # copy, pickle and friends: not a pattern's
            raise AttributeError(name)
        return getattr(self.compiled(), name)

    def __repr__(self) -> str:
        return f"lazy({self.pattern!r}, {self.flags!r})"


def lazy(pattern: AnyStr, flags: int | re.RegexFlag = 0) -> re.Pattern[AnyStr]:
    """``re.compile(pattern, flags)``, done when the pattern is first used."""
    return cast("re.Pattern[AnyStr]", _LazyPattern(pattern, int(flags)))


def compile_all(module: ModuleType) -> int:
    """Compile the module's lazy patterns now; how many there were (re.error for a bad one)."""
    patterns = [value for value in vars(module).values() if isinstance(value, _LazyPattern)]
    for pattern in patterns:
        if "match" not in vars(pattern):
            pattern.compiled()
    return len(patterns)
