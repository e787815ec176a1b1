"""``tracker``'s entry point: the command line parsed and run, errors as one line on stderr."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from tracker.cli.common import EXIT_ERROR, CliError
from tracker.cli.parser import build_parser
from tracker.cli.reports import cmd_default
from tracker.config import ConfigError
from tracker.editor import EditorError
from tracker.library import LibraryError
from tracker.sources.parsed import DigestError
from tracker.store import StoreError

DEPRECATED_COMMANDS = {"digest": "whats-new"}
"""Old command names that still work (cron lines keep running) with a note on stderr."""
_GLOBAL_OPTIONS_WITH_VALUE = ("--data-dir",)


def _renamed(argv: Sequence[str]) -> list[str]:
    """``argv`` with a deprecated command name replaced by its new one (and a note on stderr)."""
    args = list(argv)
    i = 0
    while i < len(args) and args[i].startswith("-"):
        i += 2 if args[i] in _GLOBAL_OPTIONS_WITH_VALUE else 1
    if i < len(args) and args[i] in DEPRECATED_COMMANDS:
        new = DEPRECATED_COMMANDS[args[i]]
        print(
            f"tracker: note: `tracker {args[i]}` is now `tracker {new}`; "
            "the old name will be removed in a later release",
            file=sys.stderr,
        )
        args[i] = new
    return args


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args, unknown = parser.parse_known_args(_renamed(sys.argv[1:] if argv is None else argv))
    if unknown:
        # `tracker list -llm`: a negated search word looks like an option to
        # argparse; list and export take it as part of the query.
        if getattr(args, "query", None) is not None and all(
            u.startswith("-") and not u.startswith("--") for u in unknown
        ):
            args.query = [*args.query, *unknown]
        else:
            parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    func: Callable[[argparse.Namespace], int] = getattr(args, "func", cmd_default)
    try:
        return func(args)
    except (CliError, LibraryError, StoreError, DigestError, EditorError, ConfigError) as err:
        print(f"tracker: {err}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `tracker list | head`: the reader went away; that is not an error.
        sys.stderr.close()
        return 0
