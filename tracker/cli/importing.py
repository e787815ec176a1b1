"""`tracker import`: digest files, standard input or the clipboard, imported or previewed.

The library is opened as :class:`~tracker.library.importing.Importing` (its core, search
and history included), so that its other areas' modules are not imported (issue 14).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from tracker.cli.common import library_size, marks_for, open_as, print_report, report_json
from tracker.cli.errors import EXIT_ERROR, CliError
from tracker.cli.import_asking import can_ask, refuse_unusual
from tracker.library import import_text
from tracker.library.core import LibraryError
from tracker.library.files import WHOLE_READ_BYTES, refused_whole
from tracker.library.import_plan import ImportReport
from tracker.library.importing import Importing
from tracker.sources.parsed import DigestError

STDIN = "-"
STDIN_SOURCE = "stdin"
"""The source name of a digest read from standard input (`tracker import -`)."""
CLIPBOARD_SOURCE = "clipboard"
"""The source name of a digest read from the clipboard (`tracker import --clipboard`)."""


def cmd_import(args: argparse.Namespace) -> int:
    if args.clipboard:
        return _import_clipboard(args)
    if not args.files:
        raise CliError("give the files to import, - for standard input, or --clipboard")
    if STDIN in args.files:
        return _import_stdin(args)
    if args.dry_run:
        return _preview_import(args)
    with open_as(Importing, args, write=True) as lib:
        failed = 0
        workers = min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)
        refuse = refuse_unusual(args, ask=can_ask(args))
        outcomes = lib.import_files(
            args.files, date=args.date, format=args.format, workers=workers, refuse=refuse
        )
        for name, outcome in zip(args.files, outcomes, strict=True):
            if isinstance(outcome, ImportReport):
                _show_outcome(args, outcome)
            else:
                # One bad file does not stop the others; each is all or nothing.
                _show_failure(args, outcome, _source(name))
                failed += 1
        if not args.json and failed < len(args.files):  # nothing read: the library is as it was
            print(f"library: {library_size(lib)}")
        return EXIT_ERROR if failed else 0


def _source(name: str) -> str:
    """A file given on the command line as its report names it (the file's name, see Importing)."""
    return Path(name).name


def _show_outcome(args: argparse.Namespace, report: ImportReport) -> None:
    if args.json:
        print(json.dumps(report_json(report, report.source), ensure_ascii=False))
    else:
        print_report(report, print, marks_for(args))


def _show_failure(args: argparse.Namespace, error: Exception, source: str) -> None:
    if args.json:
        print(json.dumps(report_json(error, source), ensure_ascii=False))
    print(f"tracker: {error}", file=sys.stderr)


def _import_stdin(args: argparse.Namespace) -> int:
    """`tracker import -`: one page from standard input (`curl … | tracker import -`)."""
    if args.files != [STDIN]:
        raise CliError("`-` (standard input) cannot be combined with files; import them apart")
    if sys.stdin.isatty():
        print("tracker: reading a page from standard input (ctrl+d ends it)", file=sys.stderr)
    # A page from standard input is parsed whole: it is bounded as a file read whole is.
    data = sys.stdin.buffer.read(WHOLE_READ_BYTES + 1)
    refused = refused_whole("standard input", len(data), data[:4096])
    if refused:
        raise CliError(refused.replace("split it into", "save it to a file or split it into"))
    return _import_data(args, data, STDIN_SOURCE, page_on_stdin=True)


def _import_clipboard(args: argparse.Namespace) -> int:
    """`tracker import --clipboard`: the page the system clipboard holds (see tracker.clipboard)."""
    if args.files:
        raise CliError("--clipboard imports the clipboard alone; import the files apart")
    from tracker import clipboard

    pasted = clipboard.paste()
    if pasted.problem():
        raise CliError(pasted.problem())
    assert pasted.data is not None
    return _import_data(args, pasted.data, CLIPBOARD_SOURCE)


def _import_data(
    args: argparse.Namespace, data: bytes, source: str, *, page_on_stdin: bool = False
) -> int:
    """One page given as bytes (standard input, the clipboard), imported or previewed."""
    with open_as(Importing, args, write=not args.dry_run) as lib:
        try:
            if args.dry_run:
                report = lib.preview_bytes(data, source=source, date=args.date, format=args.format)
            else:
                refuse = refuse_unusual(args, ask=can_ask(args, page_on_stdin=page_on_stdin))
                report = lib.import_bytes(
                    data, source=source, date=args.date, format=args.format, refuse=refuse
                )
        except (DigestError, LibraryError) as err:
            _show_failure(args, err, source)
            return EXIT_ERROR
        _show_outcome(args, report)
        if not args.json:
            if args.dry_run:
                print(import_text.totals_line([report], preview=True))
            else:
                print(f"library: {library_size(lib)}")
    return 0


def _preview_import(args: argparse.Namespace) -> int:
    """`tracker import --dry-run`: what the import would add; opens read-only, writes nothing."""
    with open_as(Importing, args, write=False) as lib:
        outcomes = lib.preview_files(args.files, date=args.date, format=args.format)
        for name, outcome in zip(args.files, outcomes, strict=True):
            if isinstance(outcome, ImportReport):
                _show_outcome(args, outcome)
            else:
                _show_failure(args, outcome, _source(name))
        if not args.json:
            print(import_text.totals_line(outcomes, preview=True))
    return EXIT_ERROR if any(not isinstance(o, ImportReport) for o in outcomes) else 0
