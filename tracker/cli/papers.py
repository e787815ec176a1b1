"""Commands on papers: import, list, related, mark, note, tag, undo."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence

from tracker import clipboard
from tracker.cli.common import (
    EXIT_ERROR,
    CliError,
    marks_for,
    open_library,
    print_report,
    read_stdin_arg,
    report_json,
    run_query,
    settings_for,
)
from tracker.editor import edit_text
from tracker.latex import to_unicode
from tracker.library import ImportReport, Library, LibraryError, import_text
from tracker.library.files import MAX_IMPORT_BYTES
from tracker.models import Annotation, Digest, Marks, Paper, Status, normalize_tag
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
    with open_library(args, write=True) as lib:
        failed = 0
        workers = min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)
        for outcome in lib.import_files(
            args.files, date=args.date, format=args.format, workers=workers
        ):
            if isinstance(outcome, ImportReport):
                _show_outcome(args, outcome)
            else:
                # One bad file does not stop the others; each is all or nothing.
                _show_failure(args, outcome)
                failed += 1
        if not args.json:
            print(f"library: {len(lib)} papers in {len(lib.digests)} digests")
        return EXIT_ERROR if failed else 0


def _show_outcome(args: argparse.Namespace, report: ImportReport) -> None:
    if args.json:
        print(json.dumps(report_json(report), ensure_ascii=False))
    else:
        print_report(report, print, marks_for(args))


def _show_failure(args: argparse.Namespace, error: Exception) -> None:
    if args.json:
        print(json.dumps(report_json(error), ensure_ascii=False))
    print(f"tracker: {error}", file=sys.stderr)


def _import_stdin(args: argparse.Namespace) -> int:
    """`tracker import -`: one page from standard input (`curl … | tracker import -`)."""
    if args.files != [STDIN]:
        raise CliError("`-` (standard input) cannot be combined with files; import them apart")
    if sys.stdin.isatty():
        print("tracker: reading a page from standard input (ctrl+d ends it)", file=sys.stderr)
    data = sys.stdin.buffer.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        raise CliError(
            f"standard input is larger than the {MAX_IMPORT_BYTES // 2**20} MB a digest can be"
        )
    return _import_data(args, data, STDIN_SOURCE)


def _import_clipboard(args: argparse.Namespace) -> int:
    """`tracker import --clipboard`: the page the system clipboard holds (see tracker.clipboard)."""
    if args.files:
        raise CliError("--clipboard imports the clipboard alone; import the files apart")
    pasted = clipboard.paste()
    if pasted.problem():
        raise CliError(pasted.problem())
    assert pasted.data is not None
    return _import_data(args, pasted.data, CLIPBOARD_SOURCE)


def _import_data(args: argparse.Namespace, data: bytes, source: str) -> int:
    """One page given as bytes (standard input, the clipboard), imported or previewed."""
    with open_library(args, write=not args.dry_run) as lib:
        try:
            if args.dry_run:
                report = lib.preview_bytes(data, source=source, date=args.date, format=args.format)
            else:
                report = lib.import_bytes(data, source=source, date=args.date, format=args.format)
        except (DigestError, LibraryError) as err:
            _show_failure(args, err)
            return EXIT_ERROR
        _show_outcome(args, report)
        if not args.json:
            if args.dry_run:
                print(import_text.totals_line([report], preview=True))
            else:
                print(f"library: {len(lib)} papers in {len(lib.digests)} digests")
    return 0


def _preview_import(args: argparse.Namespace) -> int:
    """`tracker import --dry-run`: what the import would add; opens read-only, writes nothing."""
    with open_library(args, write=False) as lib:
        outcomes = lib.preview_files(args.files, date=args.date, format=args.format)
        for outcome in outcomes:
            if isinstance(outcome, ImportReport):
                _show_outcome(args, outcome)
            else:
                _show_failure(args, outcome)
        if not args.json:
            print(import_text.totals_line(outcomes, preview=True))
    return EXIT_ERROR if any(not isinstance(o, ImportReport) for o in outcomes) else 0


def cmd_list(args: argparse.Namespace) -> int:
    marks = marks_for(args)
    with open_library(args, write=False) as lib:
        digests = {d.id: d for d in lib.digests}
        results = run_query(lib, args, limit=args.limit)
        # Only the human-readable and JSON forms show watch matches; --ids stays cheap.
        watched = lib.watch_matches() if lib.watch_entries and not args.ids else {}
        for result in results:
            paper, ann = result.paper, result.annotation
            entry = watched.get(paper.id)
            if args.ids:
                print(paper.id)
            elif args.json:
                record = _paper_record(paper, ann, digests)
                record["score"] = round(result.hit.score, 2)
                record["watched"] = entry.text if entry else None
                print(json.dumps(record, ensure_ascii=False))
            else:
                _print_paper_line(lib, paper, marks, entry.text if entry else None)
    return 0


def _paper_record(paper: Paper, ann: Annotation, digests: dict[str, Digest]) -> dict[str, object]:
    """A paper as `tracker list --json` and `tracker related --json` print it."""
    return {
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
    }


def _print_paper_line(lib: Library, paper: Paper, marks: Marks, watched: str | None = None) -> None:
    ann = lib.annotation(paper.id)
    note = f" {marks.note}" if ann.note.strip() else ""
    watch = f"  {marks.watched} {watched}" if watched else ""
    print(
        f"{paper.id}  {marks.status[ann.status]} {ann.status.value:<8} {to_unicode(paper.title)}"
        f"{note}{watch}"
    )


def cmd_related(args: argparse.Namespace) -> int:
    marks = marks_for(args)
    with open_library(args, write=False) as lib:
        paper = lib.resolve(args.id)
        lib.build_index()
        digests = {d.id: d for d in lib.digests}
        for other in lib.related(paper.id, max(1, args.limit)) or []:
            if args.json:
                record = _paper_record(other, lib.annotation(other.id), digests)
                print(json.dumps(record, ensure_ascii=False))
            else:
                _print_paper_line(lib, other, marks)
    return 0


def _collect_ids(lib: Library, refs: Sequence[str]) -> list[str]:
    if list(refs) == ["-"]:
        refs = sys.stdin.read().split()
        if not refs:
            # `tracker list … --ids | tracker mark read -` with nothing listed:
            # say so, rather than "nothing to change" as if they were all marked.
            raise CliError("no paper ids were given (standard input was empty)")
    return [lib.resolve(ref).id for ref in refs]


def cmd_mark(args: argparse.Namespace) -> int:
    try:
        status = Status.parse(args.status)
    except ValueError as err:
        raise CliError(str(err)) from None
    with open_library(args, write=True) as lib:
        change = lib.set_status(_collect_ids(lib, args.ids), status)
        print(change.label if change.paper_ids else f"nothing to change: {change.label}")
    return 0


def cmd_note(args: argparse.Namespace) -> int:
    if args.set is None and args.append is None and not args.edit:
        with open_library(args, write=False) as lib:
            note = lib.annotation(lib.resolve(args.id).id).note
            if note:
                print(note.rstrip("\n"))
        return 0
    with open_library(args, write=True) as lib:
        paper = lib.resolve(args.id)
        if args.set is not None:
            change = lib.set_note(paper.id, read_stdin_arg(args.set))
        elif args.append is not None:
            change = lib.append_note(paper.id, read_stdin_arg(args.append))
        else:
            change = lib.set_note(paper.id, edit_text(lib.annotation(paper.id).note))
        print(f"{change.label}: {paper.title}" if change.paper_ids else change.label)
    return 0


def cmd_tag(args: argparse.Namespace) -> int:
    # "a,b" is two tags; a tag is one word (spaces become "-", see normalize_tag).
    add = [t for arg in args.tags for t in arg.split(",")]
    remove = [t for arg in args.remove for t in arg.split(",")]
    with open_library(args, write=True) as lib:
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
    with open_library(args, write=True) as lib:
        change = lib.undo()
        print(change.label if change else "nothing to undo")
    return 0


def cmd_open(args: argparse.Namespace) -> int:
    """`tracker open ID [--pdf]`: the paper's page or PDF in the browser (as o / O in the app)."""
    from tracker import browser

    with open_library(args, write=False) as lib:
        paper = lib.resolve(args.id)
    url = browser.pdf_url(paper) if args.pdf else browser.paper_url(paper)
    if url is None:
        raise CliError(
            f"{paper.title!r} has no arXiv id or PDF link; `tracker open {args.id}` opens its page"
        )
    if args.print:
        print(url)
        return 0
    opened = browser.open_url(url, settings_for(args).browser)
    if not opened.ok:
        raise CliError(opened.message)
    print(opened.message)
    return 0
