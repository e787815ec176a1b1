"""Commands that move data in and out: export, backup, merge."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tracker import exports
from tracker.cli.common import EMPTY_LIBRARY, no_match, open_library, run_query
from tracker.cli.errors import CliError
from tracker.exports import SUFFIXES
from tracker.library import ExportExistsError, ExportResult, Library, MergeReport, VaultReport
from tracker.library.sync_text import future_line
from tracker.wording import counted


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
    said = f"; {result.note}" if result.note else ""
    if not result.skipped:
        return said
    n = result.skipped
    return f"; left out {n} paper{'s' if n != 1 else ''} {result.skipped_why}{said}"


def _vault_lines(folder: Path, report: VaultReport) -> list[str]:
    """What a vault export did, for the person who may have notes to look at."""
    done = [
        f"{len(report.written)} new",
        f"{len(report.updated)} updated",
        f"{report.unchanged} unchanged",
    ]
    n = len(report.written) + len(report.updated)
    lines = [f"wrote {counted(n, 'file')} to {folder} ({', '.join(done)})"]
    for path in report.backups:
        lines.append(f"  replaced although changed; the old note is kept as {path.name}")
    if report.edited:
        lines.append(
            f"  {counted(len(report.edited), 'note')} not touched: the generated part (front "
            "matter or between the paper-tracker lines) was edited; move your text above or "
            "below it, or give --force to replace that part (the old note is kept as .bak):"
        )
        lines += [f"    {path.name}" for path in report.edited]
    if report.not_ours:
        lines.append(
            f"  {counted(len(report.not_ours), 'note')} not touched: no paper-tracker markers and "
            "not what an earlier export wrote (edited since, or the paper changed here); "
            "--force rewrites them and keeps each old note as .bak:"
        )
        lines += [f"    {path.name}" for path in report.not_ours]
    if report.deleted:
        n = len(report.deleted)
        lines.append(
            f"  {counted(n, 'note')} you deleted {'was' if n == 1 else 'were'} not written again "
            "(--recreate writes them)"
        )
    return lines


def check_folder(target: str, parents: bool) -> None:
    """Refuse a target whose folder is missing: a typo must not create a tree of folders.

    ``--parents`` lets the export create them (as ``mkdir -p``). A vault's own
    folder is created either way; the folder it goes into must exist.
    """
    folder = Path(target).expanduser().parent
    if not parents and not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise CliError(f"the folder {folder} {what}; give --parents to create it")


def cmd_export(args: argparse.Namespace) -> int:
    fmt, target = _export_format(args)
    if target:
        check_folder(target, args.parents)
    with open_library(args, write=False) as lib:
        filtered = bool(args.query or args.status or args.digest)
        results = run_query(lib, args)
        items = [
            exports.ExportItem(r.paper, r.annotation)
            for r in results
            if filtered or args.all or not r.annotation.is_default
        ]
        abstracts = not args.no_abstracts
        if target and not items and not filtered:
            # As the app's export dialog: a file of no papers only hides why there are none.
            # A query that matches nothing today is written all the same: a file exported
            # by cron each morning (`--status to-read -o reading.md`) must not go on
            # listing papers that are read now.
            raise CliError(f"nothing was written: {_why_nothing(lib, args, filtered)}")
        if target:
            try:
                result = lib.write_export(
                    items,
                    target,
                    fmt=fmt,
                    group_by=args.group,
                    abstracts=abstracts,
                    force=args.force,
                    recreate=args.recreate,
                )
            except ExportExistsError as err:
                raise refused(err, "export") from None
            if result.vault is not None:
                for line in _vault_lines(result.path, result.vault):
                    print(line, file=sys.stderr)
                return 0
            print(
                f"wrote {counted(result.count, 'paper')} to {result.path}{_skipped(result)}",
                file=sys.stderr,
            )
            if not items:
                print(f"tracker: {_why_nothing(lib, args, filtered)}", file=sys.stderr)
            if result.backup:
                print(f"the file that was there is kept as {result.backup}", file=sys.stderr)
        else:
            rendered = lib.render_export(items, fmt, group_by=args.group, abstracts=abstracts)
            sys.stdout.write(rendered.text)
            if rendered.note:
                print(
                    f"tracker: {counted(rendered.count, 'paper')}; {rendered.note}", file=sys.stderr
                )
            if rendered.skipped:
                n = rendered.skipped
                print(
                    f"tracker: left out {n} paper{'s' if n != 1 else ''} {rendered.skipped_why}",
                    file=sys.stderr,
                )
            if not items:
                # Printed all the same (a script reading it gets what it always got).
                print(f"tracker: {_why_nothing(lib, args, filtered)}", file=sys.stderr)
    return 0


def _why_nothing(lib: Library, args: argparse.Namespace, filtered: bool) -> str:
    """Why an export has no paper: an empty library, a query, or no paper annotated yet."""
    if not len(lib):
        return EMPTY_LIBRARY
    if filtered:
        return no_match(args)
    return (
        "by default only the papers you gave a status, a note or tags are exported, "
        "and there are none; --all exports every paper"
    )


def refused(err: ExportExistsError, what: str) -> CliError:
    return CliError(
        f"{err}; {what} to another name, or give --force to replace it "
        f"(the old file is then kept beside it as {err.path.name}.<time>.bak)"
    )


def cmd_backup(args: argparse.Namespace) -> int:
    check_folder(args.file, args.parents)
    # Reading only: a backup can be written while the app is open.
    with open_library(args, write=False) as lib:
        try:
            report = lib.write_backup(args.file, with_library=args.with_library, force=args.force)
        except ExportExistsError as err:
            raise refused(err, "write the backup") from None
    extra = (
        f", {report.papers} papers and {report.digests} digests"
        if report.papers is not None
        else ""
    )
    n = report.annotations
    print(f"wrote {n} annotation{'s' if n != 1 else ''}{extra} to {report.path}")
    if report.kept:
        print(f"the file that was there is kept as {report.kept}", file=sys.stderr)
    return 0


def _merge_summary(lib: Library, report: MergeReport) -> list[str]:
    lines = []
    if report.papers_added or report.digests_added or report.papers_updated:
        line = (
            f"library: {counted(report.papers_added, 'paper')} and "
            f"{counted(report.digests_added, 'digest')} added"
        )
        if report.papers_updated:
            line += (
                f", {counted(report.papers_updated, 'paper')} given digests or details they lacked"
            )
        lines.append(line)
    if not report.changed:
        lines.append(
            f"{report.source.name}: {counted(report.annotations, 'annotation')}, "
            "all already merged; nothing changed"
        )
        return lines
    parts = [
        f"{report.statuses} status{'es' if report.statuses != 1 else ''}",
        counted(report.tags, "tag set"),
        f"{counted(report.notes, 'note')} taken over",
    ]
    if report.history_only:
        parts.append(f"{report.history_only} only in the status history")
    lines.append(
        f"{report.source.name}: {report.changed} of {counted(report.annotations, 'annotation')} "
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
    if report.future:
        lines.append(f"  {future_line(report)}")
    if report.unknown_papers:
        lines.append(
            f"  {report.unknown_papers} annotations are for papers not in this library; they are "
            "kept and show up when those papers are imported (or merge a backup made with --with-library)"
        )
    lines.append("`tracker undo` takes the merge back")
    return lines


def cmd_merge(args: argparse.Namespace) -> int:
    with open_library(args, write=True) as lib:
        report = lib.merge_backup(args.file)
        for line in _merge_summary(lib, report):
            print(line)
    return 0
