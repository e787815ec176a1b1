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

from tracker.cli.entry import main

__all__ = ["main"]
