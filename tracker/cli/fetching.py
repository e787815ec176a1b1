"""`tracker fetch`: a day's papers from Hugging Face or an arXiv category, without saving a file."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from tracker.cli.common import (
    library_size,
    marks_for,
    open_library,
    print_report,
    progress_bar,
    report_json,
    settings_for,
)
from tracker.cli.errors import EXIT_ERROR, CliError
from tracker.fetching import (
    DayOutcome,
    FetchError,
    Http,
    PlanError,
    Remote,
    RemoteError,
    fetch_pages,
    import_pages,
    parse_remote,
    plan_days,
    utc_today,
)
from tracker.fetching.download import Page
from tracker.library import ImportReport, Library
from tracker.wording import counted


def _remotes(args: argparse.Namespace) -> list[Remote]:
    names = args.source or settings_for(args).fetch_sources
    try:
        remotes = [parse_remote(name) for name in names]
    except RemoteError as err:
        where = "--source" if args.source else "[fetch] sources in config.toml"
        raise CliError(f"{where}: {err}") from None
    if (args.date or args.since) and not args.source:
        # Days are asked of the services that have them; the configured feeds are left out.
        remotes = [r for r in remotes if r.by_day] or [Remote("hf")]
    return remotes


class _Progress:
    """A bar on stderr for a range when it is a terminal; silent otherwise (cron mails stay short)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.shown = False
        self.terminal = sys.stderr.isatty()

    def __call__(self, done: int, total: int, what: str) -> None:
        if total < 2 or not self.terminal:
            return
        self.shown = True
        bar = progress_bar(done, total)
        print(f"\r{self.name} {bar} {done}/{total} {what} ", end="", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.shown:
            print("\r\x1b[K", end="", file=sys.stderr, flush=True)


def _download(args: argparse.Namespace, lib: Library, remote: Remote) -> tuple[list[Page], str]:
    """The pages to import and a note on the days already there; CliError when nothing can be had."""
    today = utc_today()
    try:
        plan = plan_days(remote, lib.digests, today=today, date=args.date, since=args.since)
    except PlanError as err:
        raise CliError(str(err)) from None
    note = ""
    if plan.fetched:
        days = plan.fetched
        span = days[0].isoformat() if len(days) == 1 else f"{len(days)} days"
        again = "its digest" if len(days) == 1 else "a day's digest"
        note = f"{remote.name}: {span} already fetched (`tracker forget` {again} to fetch it again)"
    if remote.by_day and not plan.days and not note:
        yesterday = today - dt.timedelta(days=1)
        note = f"{remote.name}: up to date (every day to {yesterday.isoformat()} is in)"
    if remote.by_day and not plan.days:
        return [], note
    progress = _Progress(f"fetching {remote.name}")
    try:
        pages = fetch_pages(
            remote, plan.days, Http(interval=remote.interval), today=today, progress=progress
        )
    except FetchError as err:
        raise CliError(f"{err}; nothing was imported") from None
    finally:
        progress.close()
    return pages, note


def _show(args: argparse.Namespace, outcome: DayOutcome) -> None:
    result = outcome.result
    if args.json:
        if result is not None:
            record = report_json(result, outcome.page.source)
        else:
            record = {"note": outcome.note}
        record["day"] = outcome.page.day.isoformat()
        record["url"] = outcome.page.url
        print(json.dumps(record, ensure_ascii=False))
        if outcome.failed:
            print(f"tracker: {result}", file=sys.stderr)
    elif isinstance(result, ImportReport):
        print_report(result, print, marks_for(args))
    elif result is not None:
        print(f"tracker: {result}", file=sys.stderr)
    else:
        print(outcome.note)


def cmd_fetch(args: argparse.Namespace) -> int:
    remotes = _remotes(args)
    failed = 0
    with open_library(args, write=not args.dry_run) as lib:
        # Every remote's days first: a failure anywhere leaves the library untouched.
        fetched = []
        for remote in remotes:
            pages, note = _download(args, lib, remote)
            if note and not args.json:
                print(note)  # stdout: a cron line that sends it to /dev/null stays quiet
            fetched.append((remote, pages))
        reports: list[ImportReport] = []
        days = 0
        for remote, pages in fetched:
            for outcome in import_pages(lib, remote, pages, dry_run=args.dry_run):
                _show(args, outcome)
                days += 1
                if isinstance(outcome.result, ImportReport):
                    reports.append(outcome.result)
                failed += outcome.failed
        if not args.json:
            if args.dry_run and days:
                print(_preview_totals(days, reports, failed))
            elif reports:
                print(f"library: {library_size(lib)}")
    return EXIT_ERROR if failed else 0


def _preview_totals(days: int, reports: list[ImportReport], failed: int) -> str:
    """``3 days fetched: would add 2 digests and 31 new papers; nothing was written (dry run)``."""
    fresh = [r for r in reports if not r.already_imported]
    digests = sum(len(r.digests) for r in fresh)
    new = sum(r.new for r in fresh)
    text = (
        f"{counted(days, 'day')} fetched: would add {counted(digests, 'digest')} and "
        f"{counted(new, 'new paper')}"
    )
    if failed:
        text += f", {failed} cannot be imported"
    return text + "; nothing was written (dry run)"
