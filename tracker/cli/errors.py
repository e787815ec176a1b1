"""The one-line failures of a command, and which exceptions are expected ones.

Kept apart from :mod:`tracker.cli.common` so that the entry point can catch
them without importing the library: a command's start-up pays only for the
modules that command uses.
"""

from __future__ import annotations

import sys

EXIT_ERROR = 1


class CliError(Exception):
    """A one-line message for stderr."""


EXPECTED_ERRORS = (
    ("tracker.cli.errors", "CliError"),
    ("tracker.library.core", "LibraryError"),
    ("tracker.store.errors", "StoreError"),
    ("tracker.sources.parsed", "DigestError"),
    ("tracker.editor", "EditorError"),
    ("tracker.config", "ConfigError"),
)
"""Where each kind of expected failure is defined: printed as one line, no traceback."""


def is_expected(err: BaseException) -> bool:
    """True when ``err`` is one of :data:`EXPECTED_ERRORS` (or a subclass).

    Only modules already imported are looked at: an exception of a class
    can only exist once the module defining it ran, so a command that never
    imported tracker.sources cannot have raised a DigestError, and checking
    costs no import.
    """
    for module_name, class_name in EXPECTED_ERRORS:
        module = sys.modules.get(module_name)
        kind = getattr(module, class_name, None) if module is not None else None
        if isinstance(kind, type) and isinstance(err, kind):
            return True
    return False
