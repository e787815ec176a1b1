"""``tracker``'s entry point: the command line parsed and run, errors as one line on stderr."""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Callable, Sequence

from tracker.cli.errors import EXIT_ERROR, is_expected
from tracker.cli.parser import DEFAULT, build_parser, command_in, command_index

BRIEF_COMMANDS = frozenset(
    {"list", "mark", "note", "tag", "related", "open", "undo", "export", "backup", "digests"}
)
"""Commands that open the library, read or change a few rows and end: run as a process,
without the cyclic garbage collector (see :func:`_without_collector`)."""

WITHOUT_COLLECTOR = BRIEF_COMMANDS | {"import"}
"""Those, and ``import``: it opens the library and imports with the collector paused
anyway (``Importing.import_files``), and then ends. Turned back on at the end of the
import, the collector walked every object the import had made, with nothing to free:
about 0.1 s of a 100,000-paper bulk import, after its last file was parsed."""

DEPRECATED_COMMANDS = {"digest": "whats-new"}
"""Old command names that still work (cron lines keep running) with a note on stderr."""


def _renamed(argv: Sequence[str]) -> list[str]:
    """``argv`` with a deprecated command name replaced by its new one (and a note on stderr)."""
    args = list(argv)
    i = command_index(args)
    if i < len(args) and args[i] in DEPRECATED_COMMANDS:
        new = DEPRECATED_COMMANDS[args[i]]
        print(
            f"tracker: note: `tracker {args[i]}` is now `tracker {new}`; "
            "the old name will be removed in a later release",
            file=sys.stderr,
        )
        args[i] = new
    return args


def _without_collector() -> None:
    """Run a brief command without the cyclic garbage collector.

    What such a command makes (the modules it imports, the library and the
    word index it loads, the rows it prints) forms few cycles that matter and
    all of it is left when the process ends; the collector only walked it
    again and again while it was being made (at 100,000 papers some 200
    collections, 50 ms of a 0.5 s ``tracker list``). Commands that can run
    long or take in much (fetch, sync, merge) keep it; ``import`` pauses it
    for its whole import anyway (see :data:`WITHOUT_COLLECTOR`).
    """
    gc.disable()


def _leave_the_rest_to_exit() -> None:
    """Let the process end without the garbage collector walking what the command made.

    The library a command opened lives in reference cycles (the store, its
    index and their callbacks), which only the interpreter's last collection
    at exit frees: at 100,000 papers some 110,000 objects, 50 ms of a 0.5 s
    ``tracker list``, to give memory back to a process that is ending.
    ``gc.freeze`` leaves them out of that collection. Only for the process
    itself (``argv`` from the command line): by then every change is on disk,
    fsynced and its files closed (nothing waits for a finalizer), and atexit
    handlers and the flushing of stdout still run. A caller of ``main([...])``
    (a test) keeps its garbage collector as it was.
    """
    gc.freeze()


def main(argv: Sequence[str] | None = None) -> int:
    words = _renamed(sys.argv[1:] if argv is None else argv)
    command = command_in(words)
    parser = build_parser(command)
    try:
        args, unknown = parser.parse_known_args(words)
    except argparse.ArgumentError:  # (only a parser built for one command raises it)
        args = None
    if args is None or (command is not None and args.command != command):
        # Told wrong before parsing (an unusual spelling of a global option):
        # the whole command line, so that the command run has its options.
        parser = build_parser()
        args, unknown = parser.parse_known_args(words)
    if unknown:
        # `tracker list -llm`: a negated search word looks like an option to
        # argparse; list and export take it as part of the query.
        if getattr(args, "query", None) is not None and all(
            u.startswith("-") and not u.startswith("--") for u in unknown
        ):
            args.query = [*args.query, *unknown]
        else:
            parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    func: Callable[[argparse.Namespace], int] = getattr(args, "func", DEFAULT)
    if argv is None:
        if args.command in WITHOUT_COLLECTOR:
            _without_collector()
        else:
            gc.enable()  # (tracker.cli.main ran the imports without it)
    try:
        return func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `tracker list | head`: the reader went away; that is not an error.
        sys.stderr.close()
        return 0
    except Exception as err:
        if not is_expected(err):
            raise
        print(f"tracker: {err}", file=sys.stderr)
        return EXIT_ERROR
    finally:
        if argv is None and args.command is not None:
            _leave_the_rest_to_exit()
