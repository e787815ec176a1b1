"""Commands on papers: list, related, mark, note, tag, undo, open."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from tracker.cli.common import (
    EMPTY_LIBRARY,
    marks_for,
    no_match,
    open_library,
    read_stdin_arg,
    run_query,
    settings_for,
)
from tracker.cli.errors import CliError
from tracker.latex import to_unicode
from tracker.library.library import Library
from tracker.models import Annotation, Digest, Marks, Paper, Status, normalize_tag


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
        if not results:
            # Said on stderr: stdout stays empty for a script, as grep leaves it.
            print(f"tracker: {no_match(args) if len(lib) else EMPTY_LIBRARY}", file=sys.stderr)
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
            paper = lib.resolve(args.id)
            note = lib.annotation(paper.id).note
            if note:
                print(note.rstrip("\n"))
            else:
                # On stderr: `tracker note ID > note.md` still saves the note, empty.
                print(f"tracker: {paper.id}: no note", file=sys.stderr)
        return 0
    with open_library(args, write=True) as lib:
        paper = lib.resolve(args.id)
        if args.set is not None:
            change = lib.set_note(paper.id, read_stdin_arg(args.set))
        elif args.append is not None:
            change = lib.append_note(paper.id, read_stdin_arg(args.append))
        else:
            from tracker.editor import edit_text

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
