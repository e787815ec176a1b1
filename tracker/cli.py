"""The ``tracker`` command: everything the app does, scriptable and headless.

Expected failures (a bad file, a locked or damaged library, an unknown id)
print one line on stderr and exit non-zero; no traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from tracker import __version__, exports, sources, stats, store, whats_new
from tracker.config import ConfigError, ConfigFile, Settings
from tracker.digest import DigestError
from tracker.editor import EditorError, edit_text
from tracker.exports import FORMATS, SUFFIXES
from tracker.library import ExportResult, ImportReport, Library, LibraryError, MergeReport, Result
from tracker.locations import DATA_DIR_ENV, data_dir
from tracker.models import Marks, Paper, Status, normalize_tag
from tracker.store import LockedError, StoreError

# tracker.search (with rapidfuzz) and tracker.search.watch are imported by the
# commands that search or match: `tracker import` with no watch list never
# needs them, and they were a large part of its start-up (issue 5).
if TYPE_CHECKING:
    from tracker.search.watch import WatchEntry

EXIT_ERROR = 1

# How many watched papers `tracker import` names (the count is always complete).
WATCH_REPORT_LINES = 5


class CliError(Exception):
    """A one-line message for stderr."""


MAX_WEEKS = 520
"""`tracker stats --weeks` stops at ten years: more has no use and overflows dates."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tracker",
        description="Triage research-paper digests, keep notes, find papers again.",
        epilog=f"Data lives in the user data directory; --data-dir or ${DATA_DIR_ENV} moves it.",
    )
    parser.add_argument("--version", action="version", version=f"paper-tracker {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help=f"library directory (default: ${DATA_DIR_ENV} or the user data dir)",
    )
    parser.add_argument(
        "--read-only", action="store_true", help="open the app without changing anything"
    )
    parser.add_argument(
        "--ascii",
        action="store_true",
        help="ASCII-only status marks (also [look] ascii = true in config.toml)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser(
        "import",
        help="import digests: text and Markdown pages, Hugging Face JSON, arXiv listings, HTML",
        description=f"Import digest files. Formats: {sources.supported()}.",
    )
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="the digest's date, when the file has none")
    p.add_argument(
        "--format",
        default=sources.AUTO,
        metavar="FORMAT",
        help=f"read every file as this format: {sources.AUTO} (detect, the default), "
        + ", ".join(sources.FORMATS),
    )
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("list", help="list papers matching a query")
    _add_filter_args(p)
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="one JSON object per line")
    fmt.add_argument("--ids", action="store_true", help="print paper ids only")
    p.add_argument("-n", "--limit", type=_positive_int, metavar="N", help="show at most N papers")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("mark", help="set the reading status of papers")
    p.add_argument("status", help="new, to-read, reading, read or skipped")
    p.add_argument(
        "ids", nargs="+", metavar="ID", help="paper ids or unique prefixes; - reads stdin"
    )
    p.set_defaults(func=cmd_mark)

    p = sub.add_parser("note", help="show or change a paper's Markdown note")
    p.add_argument("id", metavar="ID")
    how = p.add_mutually_exclusive_group()
    how.add_argument("--set", metavar="TEXT", help="replace the note (- reads stdin)")
    how.add_argument("--append", metavar="TEXT", help="add a paragraph to the note (- reads stdin)")
    how.add_argument("--edit", action="store_true", help="edit the note in $VISUAL/$EDITOR")
    p.set_defaults(func=cmd_note)

    p = sub.add_parser("tag", help="add or remove tags")
    p.add_argument("id", metavar="ID")
    p.add_argument("tags", nargs="*", metavar="TAG", help="tags to add")
    p.add_argument(
        "-r",
        "--remove",
        action="append",
        default=[],
        metavar="TAG",
        help="a tag to remove (repeatable)",
    )
    p.set_defaults(func=cmd_tag)

    p = sub.add_parser("related", help="the papers most like one paper (as in the app)")
    p.add_argument("id", metavar="ID")
    p.add_argument(
        "-n", "--limit", type=_positive_int, default=5, metavar="N", help="how many (default 5)"
    )
    p.set_defaults(func=cmd_related)

    p = sub.add_parser("undo", help="undo the last change to statuses, notes or tags")
    p.set_defaults(func=cmd_undo)

    p = sub.add_parser(
        "export", help="export papers and notes: Markdown, a vault, BibTeX, CSV or JSON"
    )
    _add_filter_args(p)
    p.add_argument(
        "-f",
        "--format",
        choices=list(FORMATS),
        help="md (default), vault (a folder, needs -o), bibtex, csv or json; "
        "-o FILE ending in .bib, .csv or .json picks that format",
    )
    p.add_argument("--all", action="store_true", help="every paper, not only annotated ones")
    p.add_argument(
        "--group", choices=exports.GROUPS, default="digest", help="group by (default: digest)"
    )
    p.add_argument("--no-abstracts", action="store_true", help="leave abstracts out")
    out = p.add_mutually_exclusive_group()
    out.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help="write to PATH (a folder for vault) instead of stdout",
    )
    out.add_argument(
        "--per-paper", metavar="DIR", help="same as --format vault -o DIR: one file per paper"
    )
    p.set_defaults(func=cmd_export)

    p = sub.add_parser(
        "backup", help="write a JSON backup of your statuses, notes and tags (to merge elsewhere)"
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument(
        "--with-library",
        action="store_true",
        help="include the papers and digests, so a new machine can be filled from the file",
    )
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("merge", help="merge another machine's backup into this library")
    p.add_argument("file", metavar="FILE")
    p.set_defaults(func=cmd_merge)

    p = sub.add_parser("doctor", help="check the library files; --restore repairs from backups")
    p.add_argument(
        "--restore",
        action="store_true",
        help="put the backup in place of a damaged or missing file (the damaged one is kept)",
    )
    p.set_defaults(func=cmd_doctor)

    p = sub.add_parser(
        "watch",
        help="show or change the watch list (papers to flag on import)",
        description="Entries are searched like the filter box: words (typo-tolerant), "
        '"an exact phrase", author:"Name". They live in config.toml.',
    )
    p.add_argument("action", nargs="?", choices=("list", "add", "remove"), default="list")
    p.add_argument("entries", nargs="*", metavar="ENTRY", help="e.g. diffusion '\"state space\"'")
    p.set_defaults(func=cmd_watch)

    p = sub.add_parser(
        "stats", help="progress per digest, papers triaged and read per week, the backlog"
    )
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument(
        "--weeks",
        type=_week_count,
        default=stats.WEEKS,
        metavar="N",
        help=f"weeks to look back (default: {stats.WEEKS})",
    )
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser(
        "whats-new",
        help="what's new: the papers imported recently, as Markdown (for cron or e-mail)",
        description="Papers from the digests imported since WHEN (default: the last 24 hours), "
        "watched papers first with the watch entry they match, then one section per digest. "
        "Prints one line when there is nothing new. Times are UTC.",
    )
    p.add_argument(
        "--since",
        metavar="WHEN",
        help="a date (2026-11-20), a time (2026-11-20T07:30) or a duration (36h, 7d, 2w)",
    )
    p.add_argument("--watched-only", action="store_true", help="only the papers on the watch list")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    p.set_defaults(func=cmd_whats_new)
    return parser


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of 1 or more")
    return value


def _week_count(text: str) -> int:
    value = _positive_int(text)
    if value > MAX_WEEKS:
        raise argparse.ArgumentTypeError(f"at most {MAX_WEEKS} weeks (ten years)")
    return value


def _add_filter_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("query", nargs="*", help="search words and filters (status:read, has:note, …)")
    p.add_argument(
        "--status", action="append", default=[], metavar="S", help="only this status (repeatable)"
    )
    p.add_argument("--digest", metavar="D", help="only this digest (label, date or id)")


# -- helpers ---------------------------------------------------------------
def _settings(args: argparse.Namespace) -> Settings:
    """config.toml, read once per command; a problem is a warning, never a stop."""
    cached: Settings | None = getattr(args, "_settings", None)
    if cached is None:
        cached, problems = ConfigFile().load()
        for problem in problems:
            print(f"tracker: warning: {problem}", file=sys.stderr)
        args._settings = cached
    return cached


def _watch_entries(settings: Settings) -> list[WatchEntry]:
    if not settings.watch:
        return []
    from tracker.search.watch import parse_entries

    entries, problems = parse_entries(settings.watch)
    for problem in problems:
        print(f"tracker: warning: watch list: {problem}", file=sys.stderr)
    return entries


def _marks(args: argparse.Namespace) -> Marks:
    return Marks.of(ascii=args.ascii or _settings(args).ascii)


def _open(args: argparse.Namespace, *, write: bool) -> Library:
    lib = Library.open(args.data_dir, readonly=not write)
    lib.set_watch(_watch_entries(_settings(args)))
    return lib


def _query(lib: Library, args: argparse.Namespace, limit: int | None = None) -> list[Result]:
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


def _read_stdin_arg(value: str) -> str:
    return sys.stdin.read() if value == "-" else value


def _print_report(
    report: ImportReport, out: Callable[[str], None], marks: Marks | None = None
) -> None:
    out(report.headline())
    if report.already_imported:
        return
    for warning in report.warnings:
        out(f"  warning: {warning}")
    if report.watched:
        star = (marks or Marks.of()).watched
        n = len(report.watched)
        out(f"  {star} {_count(n, 'paper')} {'matches' if n == 1 else 'match'} your watch list:")
        for paper, entry in report.watched[:WATCH_REPORT_LINES]:
            out(f"    {star} {paper.title}  [{entry.text}]")
        if n > WATCH_REPORT_LINES:
            out(f"    … and {n - WATCH_REPORT_LINES} more: tracker list is:watched")


# -- commands --------------------------------------------------------------
def cmd_import(args: argparse.Namespace) -> int:
    with _open(args, write=True) as lib:
        failed = 0
        workers = min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)
        for outcome in lib.import_files(
            args.files, date=args.date, format=args.format, workers=workers
        ):
            if isinstance(outcome, ImportReport):
                _print_report(outcome, print, _marks(args))
            else:
                # One bad file does not stop the others; each is all or nothing.
                print(f"tracker: {outcome}", file=sys.stderr)
                failed += 1
        print(f"library: {len(lib)} papers in {len(lib.digests)} digests")
        return EXIT_ERROR if failed else 0


def cmd_list(args: argparse.Namespace) -> int:
    marks = _marks(args)
    with _open(args, write=False) as lib:
        digests = {d.id: d for d in lib.digests}
        results = _query(lib, args, limit=args.limit)
        # Only the human-readable and JSON forms show watch matches; --ids stays cheap.
        watched = lib.watch_matches() if lib.watch_entries and not args.ids else {}
        for result in results:
            paper, ann = result.paper, result.annotation
            entry = watched.get(paper.id)
            if args.ids:
                print(paper.id)
            elif args.json:
                record = {
                    "id": paper.id,
                    "title": paper.title,
                    "status": ann.status.value,
                    "digests": [digests[d].display_label for d in paper.digests if d in digests],
                    "digest_ids": paper.digests,
                    "note": ann.note,
                    "tags": ann.tags,
                    "arxiv_id": paper.arxiv_id,
                    "url": paper.url,
                    "authors": paper.authors,
                    "upvotes": paper.upvotes,
                    "published": paper.published,
                    "score": round(result.hit.score, 2),
                    "watched": entry.text if entry else None,
                }
                print(json.dumps(record, ensure_ascii=False))
            else:
                _print_paper_line(lib, paper, marks, entry.text if entry else None)
    return 0


def _print_paper_line(lib: Library, paper: Paper, marks: Marks, watched: str | None = None) -> None:
    ann = lib.annotation(paper.id)
    note = f" {marks.note}" if ann.note.strip() else ""
    watch = f"  {marks.watched} {watched}" if watched else ""
    print(
        f"{paper.id}  {marks.status[ann.status]} {ann.status.value:<8} {paper.title}{note}{watch}"
    )


def cmd_related(args: argparse.Namespace) -> int:
    marks = _marks(args)
    with _open(args, write=False) as lib:
        paper = lib.resolve(args.id)
        lib.build_index()
        for other in lib.related(paper.id, max(1, args.limit)) or []:
            _print_paper_line(lib, other, marks)
    return 0


def _collect_ids(lib: Library, refs: Sequence[str]) -> list[str]:
    if list(refs) == ["-"]:
        refs = sys.stdin.read().split()
    return [lib.resolve(ref).id for ref in refs]


def cmd_mark(args: argparse.Namespace) -> int:
    try:
        status = Status.parse(args.status)
    except ValueError as err:
        raise CliError(str(err)) from None
    with _open(args, write=True) as lib:
        change = lib.set_status(_collect_ids(lib, args.ids), status)
        print(change.label if change.paper_ids else f"nothing to change: {change.label}")
    return 0


def cmd_note(args: argparse.Namespace) -> int:
    if args.set is None and args.append is None and not args.edit:
        with _open(args, write=False) as lib:
            note = lib.annotation(lib.resolve(args.id).id).note
            if note:
                print(note.rstrip("\n"))
        return 0
    with _open(args, write=True) as lib:
        paper = lib.resolve(args.id)
        if args.set is not None:
            change = lib.set_note(paper.id, _read_stdin_arg(args.set))
        elif args.append is not None:
            change = lib.append_note(paper.id, _read_stdin_arg(args.append))
        else:
            change = lib.set_note(paper.id, edit_text(lib.annotation(paper.id).note))
        print(f"{change.label}: {paper.title}" if change.paper_ids else change.label)
    return 0


def cmd_tag(args: argparse.Namespace) -> int:
    # "a,b" is two tags; a tag is one word (spaces become "-", see normalize_tag).
    add = [t for arg in args.tags for t in arg.split(",")]
    remove = [t for arg in args.remove for t in arg.split(",")]
    with _open(args, write=True) as lib:
        paper = lib.resolve(args.id)
        had = lib.annotation(paper.id).tags
        for tag in dict.fromkeys(t for t in map(normalize_tag, remove) if t):
            if tag not in had:
                print(f"tracker: {paper.title!r} has no tag {tag!r}", file=sys.stderr)
        if add or remove:
            lib.change_tags([paper.id], add=add, remove=remove)  # one undoable change
        tags = lib.annotation(paper.id).tags
        print(f"{paper.title}: {', '.join(tags) if tags else 'no tags'}")
    return 0


def cmd_undo(args: argparse.Namespace) -> int:
    with _open(args, write=True) as lib:
        change = lib.undo()
        print(change.label if change else "nothing to undo")
    return 0


def _export_format(args: argparse.Namespace) -> tuple[str, str | None]:
    """The format and the target path (None: stdout) the export arguments ask for."""
    if args.per_paper:
        if args.format not in (None, "vault"):
            raise CliError(
                f"--per-paper writes a vault; it cannot be combined with --format {args.format}"
            )
        return "vault", args.per_paper
    fmt = args.format
    if fmt is None and args.output:
        by_suffix = {suffix: name for name, suffix in SUFFIXES.items() if name != "md" and suffix}
        fmt = by_suffix.get(Path(args.output).suffix.lower())
    fmt = fmt or "md"
    if fmt == "vault" and not args.output:
        raise CliError("the vault format writes one file per paper: give a folder with -o DIR")
    return fmt, args.output


def _skipped(result: ExportResult) -> str:
    if not result.skipped:
        return ""
    n = result.skipped
    return f"; left out {n} paper{'s' if n != 1 else ''} {result.skipped_why}"


def cmd_export(args: argparse.Namespace) -> int:
    fmt, target = _export_format(args)
    with _open(args, write=False) as lib:
        filtered = bool(args.query or args.status or args.digest)
        results = _query(lib, args)
        items = [
            exports.ExportItem(r.paper, r.annotation)
            for r in results
            if filtered or args.all or not r.annotation.is_default
        ]
        abstracts = not args.no_abstracts
        if target:
            result = lib.write_export(
                items, target, fmt=fmt, group_by=args.group, abstracts=abstracts
            )
            what = _count(result.count, "file" if fmt == "vault" else "paper")
            print(f"wrote {what} to {result.path}{_skipped(result)}", file=sys.stderr)
        else:
            rendered = lib.render_export(items, fmt, group_by=args.group, abstracts=abstracts)
            sys.stdout.write(rendered.text)
            if rendered.skipped:
                n = rendered.skipped
                print(
                    f"tracker: left out {n} paper{'s' if n != 1 else ''} {rendered.skipped_why}",
                    file=sys.stderr,
                )
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    # Reading only: a backup can be written while the app is open.
    with _open(args, write=False) as lib:
        report = lib.write_backup(args.file, with_library=args.with_library)
    extra = (
        f", {report.papers} papers and {report.digests} digests"
        if report.papers is not None
        else ""
    )
    n = report.annotations
    print(f"wrote {n} annotation{'s' if n != 1 else ''}{extra} to {report.path}")
    return 0


def _merge_summary(lib: Library, report: MergeReport) -> list[str]:
    lines = []
    if report.papers_added or report.digests_added or report.papers_updated:
        line = (
            f"library: {_count(report.papers_added, 'paper')} and "
            f"{_count(report.digests_added, 'digest')} added"
        )
        if report.papers_updated:
            line += (
                f", {_count(report.papers_updated, 'paper')} given digests or details they lacked"
            )
        lines.append(line)
    if not report.changed:
        lines.append(
            f"{report.source.name}: {_count(report.annotations, 'annotation')}, "
            "all already merged; nothing changed"
        )
        return lines
    parts = [
        f"{report.statuses} status{'es' if report.statuses != 1 else ''}",
        _count(report.tags, "tag set"),
        f"{_count(report.notes, 'note')} taken over",
    ]
    if report.history_only:
        parts.append(f"{report.history_only} only in the status history")
    lines.append(
        f"{report.source.name}: {report.changed} of {_count(report.annotations, 'annotation')} "
        f"changed here — {', '.join(parts)}"
    )
    if report.notes_kept_both:
        n = report.notes_kept_both
        lines.append(
            f"  {n} note{'s were' if n != 1 else ' was'} changed on both machines; both versions "
            "are kept, separated by a 'paper-tracker merge' line:"
        )
        for pid in report.kept_both:
            title = lib.paper(pid).title if lib.has_paper(pid) else "(paper not in this library)"
            lines.append(f"    {pid}  {title}")
    if report.unknown_papers:
        lines.append(
            f"  {report.unknown_papers} annotations are for papers not in this library; they are "
            "kept and show up when those papers are imported (or merge a backup made with --with-library)"
        )
    lines.append("`tracker undo` takes the merge back")
    return lines


def cmd_merge(args: argparse.Namespace) -> int:
    with _open(args, write=True) as lib:
        report = lib.merge_backup(args.file)
        for line in _merge_summary(lib, report):
            print(line)
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    directory = data_dir(args.data_dir)
    checks = store.check_files(directory)
    for check in checks:
        backup = "backup ok" if check.backup_ok else "no usable backup"
        print(f"{check.state:>7}  {check.detail} ({backup})")
    broken = [c for c in checks if c.state == "damaged"]
    # A missing annotations.json beside a library is only a problem when a
    # backup shows that it existed (a fresh library has none yet).
    restorable = [c for c in checks if c.restorable]
    if not args.restore:
        if restorable:
            print("run `tracker doctor --restore` to put the backups in place")
        return EXIT_ERROR if broken or restorable else 0
    if not restorable:
        print("nothing to restore" if not broken else "no usable backup to restore from")
        return EXIT_ERROR if broken else 0
    with store.Store.lock_only(directory):
        for check in restorable:
            kept = store.restore_from_backup(check)
            where = f"; the damaged file is kept as {kept.name}" if kept else ""
            print(f"restored {check.path.name} from its backup{where}")
    return 0


def cmd_watch(args: argparse.Namespace) -> int:
    from tracker.search.watch import WatchError, parse_entry

    config = ConfigFile()
    terms = list(_settings(args).watch)
    if args.action != "list":
        if not args.entries:
            raise CliError(f"tracker watch {args.action} needs at least one entry")
        for text in args.entries:
            text = " ".join(text.split())
            if args.action == "add":
                try:
                    parse_entry(text)
                except WatchError as err:
                    raise CliError(str(err)) from None
                if text not in terms:
                    terms.append(text)
            elif text in terms:
                terms.remove(text)
            else:
                raise CliError(f"{text!r} is not on the watch list (see `tracker watch`)")
        try:
            config.set_watch(terms)
        except ConfigError as err:
            raise CliError(str(err)) from None
    if not terms:
        print(f"the watch list is empty; add entries with `tracker watch add` ({config.path})")
        return 0
    with _open(args, write=False) as lib:
        lib.set_watch(_watch_entries(Settings(watch=terms)))
        counts: dict[str, int] = {}
        for entry in lib.watch_matches().values():
            counts[entry.text] = counts.get(entry.text, 0) + 1
    star = _marks(args).watched
    for text in terms:
        n = counts.get(text, 0)
        print(f"{star} {text}  ({n} paper{'s' if n != 1 else ''})")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    with _open(args, write=False) as lib:
        per_digest = lib.digest_stats()
        totals = lib.status_counts()
        reading = lib.reading_stats(weeks=args.weeks)
        if args.json:
            print(
                json.dumps(
                    {
                        "papers": len(lib),
                        "notes": lib.note_count(),
                        "by_status": {s.value: n for s, n in totals.items()},
                        "digests": [
                            {
                                "id": s.digest.id,
                                "label": s.digest.label,
                                "date": s.digest.date,
                                "source": s.digest.source,
                                "total": s.total,
                                "by_status": {st.value: s.by_status.get(st, 0) for st in Status},
                            }
                            for s in per_digest
                        ],
                        "today": reading.today.isoformat(),
                        "days": [
                            {"day": d.date.isoformat(), "triaged": d.triaged, "read": d.read}
                            for d in reading.days
                        ],
                        "weeks": [
                            {
                                "week": w.start.isoformat(),
                                "triaged": w.triaged,
                                "read": w.read,
                                "backlog": w.backlog,
                            }
                            for w in reading.weeks
                        ],
                    }
                )
            )
            return 0
        print(_summary(lib))
        print()
        print(_weekly_text(reading))
    return 0


def cmd_whats_new(args: argparse.Namespace) -> int:
    with _open(args, write=False) as lib:
        if args.watched_only and not lib.watch_entries:
            raise CliError(
                "--watched-only needs a watch list; add entries with `tracker watch add TERM`"
            )
        since = None
        if args.since:
            try:
                since = whats_new.parse_since(args.since, lib.current_time())
            except whats_new.SinceError as err:
                raise CliError(str(err)) from None
        result = lib.whats_new(since, watched_only=args.watched_only)
    text = whats_new.markdown(result)
    if not args.output:
        sys.stdout.write(text)
        return 0
    path = Path(args.output).expanduser()
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as err:
        raise CliError(f"cannot write {path}: {err.strerror or err}") from None
    shown = len(result.watched if args.watched_only else result.entries)
    print(
        f"wrote {_count(shown, 'paper')} to {path}" if not result.empty else text.strip(),
        file=sys.stderr,
    )
    return 0


def _weekly_text(reading: stats.ReadingStats) -> str:
    """The weekly figures as a table and three sparklines."""
    weeks = reading.weeks
    lines = [
        f"Last {len(weeks)} weeks (weeks start on Monday, UTC; backlog = to-read + reading "
        "at the week's end):",
        "  week of      triaged   read  backlog",
    ]
    for week in weeks:
        running = "  (so far)" if week is weeks[-1] else ""
        lines.append(
            f"  {week.start.isoformat()}  {week.triaged:>7}  {week.read:>5}  {week.backlog:>7}"
            f"{running}"
        )
    triaged = [w.triaged for w in weeks]
    read = [w.read for w in weeks]
    backlog = [w.backlog for w in weeks]
    lines += [
        f"  triaged  {stats.sparkline(triaged)}  {sum(triaged)} in {len(weeks)} weeks",
        f"  read     {stats.sparkline(read)}  {sum(read)} in {len(weeks)} weeks",
        f"  backlog  {stats.sparkline(backlog)}  {backlog[-1] if backlog else 0} now",
    ]
    days = reading.days
    if days:
        lines += [
            f"Last {len(days)} days ({days[0].date:%b %d} – {days[-1].date:%b %d}), one mark a day:",
            f"  triaged  {stats.sparkline([d.triaged for d in days])}  "
            f"{sum(d.triaged for d in days)}",
            f"  read     {stats.sparkline([d.read for d in days])}  {sum(d.read for d in days)}",
        ]
    return "\n".join(lines)


def _summary(lib: Library) -> str:
    lines = [
        f"{len(lib)} papers in {len(lib.digests)} digests, {_count(lib.note_count(), 'note')} "
        f"({lib.directory})"
    ]
    totals = lib.status_counts()
    lines.append("  " + "  ".join(f"{s.value}: {totals[s]}" for s in Status))
    for s in lib.digest_stats():
        bar = _bar(s.read, s.total)
        lines.append(
            f"  {s.digest.display_label:<14} {bar} {s.read:>4}/{s.total:<4} read"
            f"  ({s.triaged} triaged)  {s.digest.id}"
        )
    return "\n".join(lines)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _bar(done: int, total: int, width: int = 20) -> str:
    filled = round(width * done / total) if total else 0
    return "█" * filled + "░" * (width - filled)


def cmd_default(args: argparse.Namespace) -> int:
    """No subcommand: the app in a terminal, else the library summary (for scripts)."""
    if sys.stdin.isatty() and sys.stdout.isatty() and not os.environ.get("TRACKER_NO_TUI"):
        # Imported here so that the headless commands never load Textual.
        from tracker.app.app import TrackerApp

        app = TrackerApp(
            Path(args.data_dir) if args.data_dir else None,
            readonly=args.read_only,
            ascii=args.ascii,
        )
        app.run()
        return app.return_code or 0
    try:
        lib = _open(args, write=not args.read_only)
    except LockedError:
        # The app holds the library: the summary only reads, so read it.
        lib = _open(args, write=False)
    with lib:
        if not lib.papers and not lib.digests and not lib.readonly:
            reports = lib.import_bundled_seeds()
            print("First run: imported the bundled digests.")
            for report in reports:
                # Their pages print no year; that is no task for a new user.
                report.warnings = [w for w in report.warnings if "year is unknown" not in w]
                _print_report(report, print, _marks(args))
        print(_summary(lib))
    return 0


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


if __name__ == "__main__":
    sys.exit(main())
