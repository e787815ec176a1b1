"""Whether `tracker import` goes on with a file whose import looks unusual.

The rule is the app's (:func:`tracker.library.import_text.unusual`: several
digests from one file, many warnings, most papers without an abstract), so
that a file the app's import dialog asks about is asked about here too. A
person at a terminal sees the preview and answers; a script cannot answer,
so the file is left out with the reason and the option that imports it
anyway (``--yes``): an unattended import must never wait for input, and a
junk digest in the library is worse than a file left out. The other files
of the command are imported either way (each file is all or nothing).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys

from tracker.cli.common import marks_for, print_report
from tracker.library import ImportReport, import_text
from tracker.library.importing import Refuse

QUESTION = "Import? [y/N] "


def can_ask(args: argparse.Namespace, *, page_on_stdin: bool = False) -> bool:
    """Whether a person can be asked: stdin and stdout are a terminal and hold no page or JSON."""
    if page_on_stdin or getattr(args, "json", False):
        return False
    return _terminal()


def _terminal() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def refuse_unusual(args: argparse.Namespace, *, ask: bool) -> Refuse | None:
    """What the import asks of each planned file; None when ``--yes`` was given."""
    if args.yes:
        return None

    def refuse(report: ImportReport) -> str | None:
        reasons = import_text.unusual(report)
        if not reasons:
            return None
        if ask:
            return None if _answered_yes(args, report) else f"{report.source}: not imported"
        return (
            f"{report.source}: not imported, as it does not look like one day's page: "
            f"{'; '.join(reasons)} — rerun with --yes to import it anyway "
            "(--dry-run shows what it would add)"
        )

    return refuse


def _answered_yes(args: argparse.Namespace, report: ImportReport) -> bool:
    """Show the file's preview (as ``--dry-run`` does) and ask; only a yes goes on."""
    print_report(dataclasses.replace(report, preview=True), print, marks_for(args))
    try:
        answer = input(QUESTION)
    except EOFError:
        print()
        return False
    return answer.strip().lower() in ("y", "yes")
