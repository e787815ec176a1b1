"""Commands that report or repair: doctor, watch, stats, whats-new, and the plain summary."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from tracker import stats, store, whats_new
from tracker.cli.common import (
    library_size,
    marks_for,
    open_library,
    print_report,
    progress_bar,
    settings_for,
    usable_watch_entries,
)
from tracker.cli.errors import EXIT_ERROR, CliError
from tracker.config import ConfigError, ConfigFile, Settings
from tracker.library import ExportExistsError, Library, LibraryError
from tracker.locations import data_dir
from tracker.models import Status
from tracker.store import StoreError
from tracker.wording import counted


def cmd_doctor(args: argparse.Namespace) -> int:
    directory = data_dir(args.data_dir)
    checks = store.check_files(directory)
    aside = [c for c in checks if c.state == store.SET_ASIDE]
    for check in checks:
        backup = (
            ""
            if check.journal or check in aside
            else " (backup ok)"
            if check.backup_ok
            else " (no usable backup)"
        )
        print(f"{check.state:>7}  {check.detail}{backup}")
    if aside:
        print(
            "Rows set aside do not fit what paper-tracker stores (a wrong type, a missing "
            "id, an unknown status: a hand edit or another program). They are left out of "
            "the library, never deleted: they stay in their data file, and every command "
            "that writes copies them to the .rejected file beside it. Look at them there, "
            "put back what you want (import the digest again, mark or note the paper "
            "again), remove them from the data file, then delete the .rejected file; "
            "`tracker doctor` fails until then."
        )
    broken = [c for c in checks if c.state in ("damaged", store.SET_ASIDE)]
    # A missing annotations.json beside a library is only a problem when a
    # backup shows that it existed (a fresh library has none yet).
    restorable = [c for c in checks if c.restorable]
    if not args.restore:
        if restorable:
            print("run `tracker doctor --restore` to repair them (nothing is deleted)")
        return EXIT_ERROR if broken or restorable else 0
    if not restorable:
        print("nothing to restore" if not broken else "no usable backup to restore from")
        return EXIT_ERROR if broken else 0
    with store.Store.lock_only(directory):
        for check in restorable:
            print(store.restore_from_backup(check))
    return 0


def cmd_watch(args: argparse.Namespace) -> int:
    from tracker.search.watch import WatchError, parse_entry

    config = ConfigFile()
    terms = list(settings_for(args).watch)
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
                else:
                    print(f"tracker: {text!r} is already on the watch list", file=sys.stderr)
            elif text in terms:
                terms.remove(text)
            else:
                raise CliError(f"{text!r} is not on the watch list (see `tracker watch`)")
        try:
            config.set_watch(terms)
        except ConfigError as err:
            raise CliError(str(err)) from None
    if not terms:
        if not args.json:
            print(f"the watch list is empty; add entries with `tracker watch add` ({config.path})")
        return 0
    with open_library(args, write=False) as lib:
        lib.set_watch(usable_watch_entries(Settings(watch=terms)))
        counts = lib.watch_counts()  # each entry's own matches
    star = marks_for(args).watched
    for text in terms:
        n = counts.get(text, 0)
        if args.json:
            print(json.dumps({"entry": text, "papers": n}, ensure_ascii=False))
        else:
            print(f"{star} {text}  ({n} paper{'s' if n != 1 else ''})")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    with open_library(args, write=False) as lib:
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
        print(_weekly_text(reading, utc=lib.utc_days))
    return 0


def cmd_whats_new(args: argparse.Namespace) -> int:
    with open_library(args, write=False) as lib:
        if args.watched_only and not lib.watch_entries:
            raise CliError(
                "--watched-only needs a watch list; add entries with `tracker watch add TERM`"
            )
        since = None
        if args.since:
            try:
                since = whats_new.parse_since(args.since, lib.current_time(), utc=lib.utc_days)
            except whats_new.SinceError as err:
                raise CliError(str(err)) from None
        result = lib.whats_new(since, watched_only=args.watched_only)
    if args.json:
        text = json.dumps(whats_new.as_json(result), ensure_ascii=False) + "\n"
    else:
        text = whats_new.markdown(result)
    if not args.output:
        sys.stdout.write(text)
        return 0
    # As an export: a file of the user's there is never replaced without --force
    # (and then kept beside it); one this command wrote before is, as cron wants.
    from tracker.cli.exchange import check_folder, refused

    check_folder(args.output, args.parents)
    path = Path(args.output).expanduser()
    with open_library(args, write=False) as lib:
        try:
            kept = lib.write_report_file(path, text, force=args.force)
        except ExportExistsError as err:
            raise refused(err, "write it") from None
        except (LibraryError, StoreError) as err:
            raise CliError(str(err)) from None
    shown = len(result.watched if args.watched_only else result.entries)
    print(
        f"wrote {counted(shown, 'paper')} to {path}" if not result.empty else text.strip(),
        file=sys.stderr,
    )
    if kept:
        print(f"the file that was there is kept as {kept}", file=sys.stderr)
    return 0


def _weekly_text(reading: stats.ReadingStats, *, utc: bool = False) -> str:
    """The weekly figures as a table and three sparklines."""
    weeks = reading.weeks
    zone = "UTC" if utc else "local time"
    lines = [
        f"Last {len(weeks)} weeks (weeks start on Monday, {zone}; backlog = to-read + reading "
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
    lines = [f"{library_size(lib)}, {counted(lib.note_count(), 'note')} ({lib.directory})"]
    totals = lib.status_counts()
    lines.append("  " + "  ".join(f"{s.value}: {totals[s]}" for s in Status))
    for s in lib.digest_stats():
        bar = progress_bar(s.read, s.total)
        lines.append(
            f"  {s.digest.display_label:<14} {bar} {s.read:>4}/{s.total:<4} read"
            f"  ({s.triaged} triaged)  {s.digest.id}"
        )
    return "\n".join(lines)


def cmd_default(args: argparse.Namespace) -> int:
    """No subcommand: the app in a terminal, else the library summary (for scripts)."""
    if sys.stdin.isatty() and sys.stdout.isatty() and not os.environ.get("TRACKER_NO_TUI"):
        # Imported here so that the headless commands never load Textual.
        from tracker.app.app import TrackerApp
        from tracker.app.runtime import prepare_process

        prepare_process()
        app = TrackerApp(
            Path(args.data_dir) if args.data_dir else None,
            readonly=args.read_only,
            ascii=args.ascii,
        )
        app.run()
        return app.return_code or 0
    # The summary only reads: it needs no lock and no write access (a library
    # on a read-only disk, or an older one whose upgrade needs the lock, is
    # summed up all the same). Only a first run, with nothing to sum up,
    # writes: it imports the bundled digests.
    lib = open_library(args, write=False)
    if not lib.papers and not lib.digests and not args.read_only:
        lib.close()
        lib = open_library(args, write=True)
    with lib:
        if not lib.papers and not lib.digests and not lib.readonly:
            reports = lib.import_bundled_seeds()
            print("First run: imported the bundled digests.")
            for report in reports:
                # Their pages print no year; that is no task for a new user.
                report.warnings = [w for w in report.warnings if "year is unknown" not in w]
                print_report(report, print, marks_for(args))
        print(_summary(lib))
    return 0
