"""The ``tracker`` command: everything the app does, scriptable and headless.

Expected failures (a bad file, a locked or damaged library, an unknown id)
print one line on stderr and exit non-zero; no traceback.

The package: :mod:`~tracker.cli.entry` (``main``), :mod:`~tracker.cli.parser`
(the command line; a command's module is imported only when it runs),
:mod:`~tracker.cli.errors` (the expected failures), :mod:`~tracker.cli.common`
(what the commands share) and the commands by kind:
:mod:`~tracker.cli.importing`, :mod:`~tracker.cli.papers`,
:mod:`~tracker.cli.exchange`, :mod:`~tracker.cli.reports`,
:mod:`~tracker.cli.digests`, :mod:`~tracker.cli.fetching`, :mod:`~tracker.cli.sync`.
"""

from __future__ import annotations

import gc
from collections.abc import Sequence

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``tracker`` (:func:`tracker.cli.entry.main`), its modules imported first.

    As a process (``argv`` None), without the cyclic garbage collector while
    they are imported: importing them makes some hundred thousand objects
    and no garbage, and the collector ran 28 times meanwhile (4 ms of every
    command). ``entry.main`` turns it back on for the commands that keep it.
    """
    if argv is None:
        gc.disable()
    from tracker.cli.entry import main as run

    return run(argv)
