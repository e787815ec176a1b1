"""What every command shares: the one-line error, the library opened with the settings, queries, report lines."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from tracker.cli.errors import CliError
from tracker.config import ConfigFile, Settings
from tracker.models import Marks
from tracker.wording import counted

# tracker.search (with rapidfuzz) and tracker.search.watch are imported by the
# commands that search or match: `tracker import` with no watch list never
# needs them, and they were a large part of its start-up (issue 5). The import
# report's modules are imported by the commands that import.
if TYPE_CHECKING:
    from tracker.library.core import LibraryCore
    from tracker.library.importing import ImportReport
    from tracker.library.library import Library
    from tracker.library.searching import Result, Searching
    from tracker.search.watch import WatchEntry


def settings_for(args: argparse.Namespace) -> Settings:
    """config.toml, read once per command; a problem is a warning, never a stop."""
    cached: Settings | None = getattr(args, "_settings", None)
    if cached is None:
        cached, problems = ConfigFile().load()
        for problem in problems:
            print(f"tracker: warning: {problem}", file=sys.stderr)
        args._settings = cached
    return cached


def usable_watch_entries(settings: Settings) -> list[WatchEntry]:
    if not settings.watch:
        return []
    from tracker.search.watch import parse_entries

    entries, problems = parse_entries(settings.watch)
    for problem in problems:
        print(f"tracker: warning: watch list: {problem}", file=sys.stderr)
    return entries


def marks_for(args: argparse.Namespace) -> Marks:
    return Marks.of(ascii=args.ascii or settings_for(args).ascii)


def open_library(args: argparse.Namespace, *, write: bool) -> Library:
    """The library with every area (tracker.library.library)."""
    from tracker.library.library import Library

    return open_as(Library, args, write=write)


L = TypeVar("L", bound="Searching")


def open_as(kind: type[L], args: argparse.Namespace, *, write: bool) -> L:
    """The library as ``kind``: :class:`~tracker.library.library.Library` or one of the
    classes it is made of, whose modules alone are imported (`tracker import` opens
    :class:`~tracker.library.importing.Importing`: the other areas' modules were a
    tenth of its time)."""
    # Papers are read as a command uses them: marking one reads one.
    lib = kind.open(args.data_dir, readonly=not write, lazy=True)
    lib.set_watch(usable_watch_entries(settings_for(args)))
    lib.utc_days = getattr(args, "utc", False) or settings_for(args).utc
    return lib


def run_query(lib: Library, args: argparse.Namespace, limit: int | None = None) -> list[Result]:
    from tracker.search import parse_query

    problems = parse_query(" ".join(args.query)).problems
    if problems:
        # The app shows these under the filter; a script must not get an
        # empty, successful answer to a query it mistyped.
        raise CliError("; ".join(problems))
    try:
        return lib.query(
            " ".join(args.query), statuses=args.status, digest=args.digest, limit=limit
        )
    except ValueError as err:  # a bad --status value
        raise CliError(str(err)) from None


EMPTY_LIBRARY = (
    "the library is empty: import a digest with `tracker import FILE`, "
    "or run `tracker` to open the app, which imports the bundled digests first"
)
"""What a command that finds no paper at all says (cmd_default imports the bundled ones)."""


def no_match(args: argparse.Namespace) -> str:
    """``no paper matches "llm" with --status read``: what a query that found nothing asked."""
    import shlex

    # The filters as they could be typed again; the query as the words it searched.
    filters = [word for status in args.status or [] for word in ("--status", status)]
    if args.digest:
        filters += ["--digest", args.digest]
    asked = [f'"{" ".join(args.query)}"'] if args.query else []
    if filters:
        asked.append(f"with {shlex.join(filters)}" if asked else shlex.join(filters))
    return " ".join(["no paper matches", *asked])


def read_stdin_arg(value: str) -> str:
    return sys.stdin.read() if value == "-" else value


_WARNING = "  warning: "


def print_report(
    report: ImportReport, out: Callable[[str], None], marks: Marks | None = None
) -> None:
    """The report's lines through ``out``; its warnings go to stderr (results stay apart)."""
    from tracker.library import import_text

    for line in import_text.outcome_lines(report, star=(marks or Marks.of()).watched):
        if line.startswith(_WARNING):
            print(f"tracker: warning: {report.source}: {line[len(_WARNING) :]}", file=sys.stderr)
        else:
            out(line)


def report_json(outcome: ImportReport | Exception, file: str) -> dict[str, object]:
    """One file's import (or preview) as a JSON object; a failed file as ``{"file", "error"}``.

    ``file`` names the file that failed as a report names the file it read
    (its name, ``stdin``, ``clipboard``): a script matches every object to
    its file by it, the failed ones included.
    """
    from tracker.library.importing import ImportReport

    if not isinstance(outcome, ImportReport):
        return {"file": file, "error": str(outcome)}
    return {
        "file": outcome.source,
        "format": outcome.format,
        "preview": outcome.preview,
        "already_imported": outcome.already_imported,
        "digests": [
            {"id": d.id, "label": d.label, "date": d.date, "papers": len(d.paper_ids)}
            for d in outcome.digests
        ],
        "papers": outcome.papers,
        "new": outcome.new,
        "known": outcome.known,
        "warnings": list(outcome.warnings),
        "watched": [
            {"id": paper.id, "title": paper.title, "entry": entry.text}
            for paper, entry in outcome.watched
        ],
    }


def library_size(lib: LibraryCore) -> str:
    """``114 papers in 2 digests``: what a command that changed the library ends with."""
    return f"{counted(len(lib), 'paper')} in {counted(len(lib.digests), 'digest')}"


def progress_bar(done: int, total: int, width: int = 20) -> str:
    filled = round(width * done / total) if total else 0
    return "█" * filled + "░" * (width - filled)
