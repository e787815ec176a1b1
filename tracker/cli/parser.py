"""The command line: every command, its options and their checks."""

from __future__ import annotations

import argparse

from tracker import __version__, exports, sources, stats
from tracker.cli.digests import cmd_digests, cmd_forget
from tracker.cli.exchange import cmd_backup, cmd_export, cmd_merge
from tracker.cli.fetching import add_fetch_parser
from tracker.cli.guide import (
    HelpFormatter,
    cmd_completion,
    cmd_help,
    cmd_where,
    epilog,
    help_topics,
)
from tracker.cli.keys import cmd_keys
from tracker.cli.papers import (
    cmd_import,
    cmd_list,
    cmd_mark,
    cmd_note,
    cmd_open,
    cmd_related,
    cmd_tag,
    cmd_undo,
)
from tracker.cli.reports import cmd_doctor, cmd_stats, cmd_watch, cmd_whats_new
from tracker.cli.sync import cmd_sync
from tracker.exports import FORMATS
from tracker.locations import DATA_DIR_ENV
from tracker.models import Status

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
    p.add_argument("files", nargs="*", metavar="FILE", help="digest files; - reads one from stdin")
    p.add_argument(
        "--clipboard",
        action="store_true",
        help="import the page the system clipboard holds (pbpaste, wl-paste, xclip, xsel)",
    )
    p.add_argument("--date", metavar="YYYY-MM-DD", help="the digest's date, when the file has none")
    _complete(
        p.add_argument(
            "--format",
            default=sources.AUTO,
            metavar="FORMAT",
            help=f"read every file as this format: {sources.AUTO} (detect, the default), "
            + ", ".join(sources.FORMATS),
        ),
        (sources.AUTO, *sources.FORMATS),
    )
    p.add_argument(
        "-n",
        "--dry-run",
        action="store_true",
        help="show what would be imported (digests, papers, first titles, warnings); write nothing",
    )
    p.add_argument(
        "--json", action="store_true", help="one JSON object per file (warnings included)"
    )
    p.set_defaults(func=cmd_import)

    add_fetch_parser(sub)

    p = sub.add_parser("list", help="list papers matching a query")
    _add_filter_args(p)
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="one JSON object per line")
    fmt.add_argument("--ids", action="store_true", help="print paper ids only")
    p.add_argument("-n", "--limit", type=_positive_int, metavar="N", help="show at most N papers")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("mark", help="set the reading status of papers")
    _complete(
        p.add_argument("status", help="new, to-read, reading, read or skipped"),
        tuple(s.value for s in Status),
    )
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
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p.set_defaults(func=cmd_related)

    p = sub.add_parser(
        "open",
        help="open a paper's page or PDF in the browser ([open] browser in config.toml)",
        description="Open the paper's page (its link, its arXiv page, or a search for its "
        "title) or, with --pdf, its PDF (arxiv.org/pdf/ID or its PDF link), with the browser "
        "command of [open] browser in config.toml or the system's browser.",
    )
    p.add_argument("id", metavar="ID", help="a paper id or a unique prefix")
    p.add_argument("--pdf", action="store_true", help="open the PDF instead of the page")
    p.add_argument("--print", action="store_true", help="print the address instead of opening it")
    p.set_defaults(func=cmd_open)

    p = sub.add_parser(
        "undo",
        help="undo the last change: statuses, notes, tags, a merge, an import, a digest "
        "forgotten, renamed or dated",
    )
    p.set_defaults(func=cmd_undo)

    p = sub.add_parser(
        "forget",
        help="remove a digest and the papers only it had (annotated papers stay); undoable",
        description="Remove a digest (by label, date, id or a unique prefix of one) and the "
        "papers no other digest has. Papers with a note, tags or a status other than new stay "
        "(listed). `tracker undo` takes it back. Example: tracker forget 'Aug 25'",
    )
    p.add_argument("digest", metavar="DIGEST", help="label (Aug 25), date, id or unique prefix")
    p.add_argument(
        "-n", "--dry-run", action="store_true", help="show what would go and what would stay"
    )
    p.set_defaults(func=cmd_forget)

    p = sub.add_parser(
        "digests",
        help="list the digests; rename one or set its date (undoable)",
        description="With no action: every digest with its id, label, date, papers and "
        "source file. DIGEST is a label (Aug 25), a date, an id or a unique prefix of one. "
        "Examples: tracker digests rename 'Aug 25' 'HF, Aug 25'; tracker digests date "
        "'Aug 25' 2025-08-25",
    )
    p.add_argument("--json", action="store_true", help="list as one JSON object per line")
    p.set_defaults(func=cmd_digests, digests_action="list")
    actions = p.add_subparsers(dest="digests_action", metavar="ACTION")
    q = actions.add_parser("list", help="list the digests (the default)")
    q.add_argument("--json", action="store_true", help="one JSON object per line")
    q = actions.add_parser("rename", help="give a digest another label")
    q.add_argument("digest", metavar="DIGEST")
    q.add_argument("label", metavar="LABEL", help='the new label, e.g. "HF daily, Aug 25"')
    q = actions.add_parser("date", help="set a digest's date (or clear it with -)")
    q.add_argument("digest", metavar="DIGEST")
    q.add_argument("date", metavar="YYYY-MM-DD", help="the date, or - to clear it")

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
    p.add_argument(
        "--parents",
        action="store_true",
        help="create the folders of -o PATH (or --per-paper DIR) that do not exist yet",
    )
    p.add_argument(
        "--force",
        action="store_true",
        help="replace a file that paper-tracker did not write or that was changed since (and, "
        "in a vault, notes whose generated part you edited); the old one is kept beside it "
        "as NAME.<time>.bak",
    )
    p.add_argument(
        "--recreate",
        action="store_true",
        help="vault: write again the notes you deleted (by default they stay deleted)",
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

    p = sub.add_parser(
        "sync",
        help="merge the other machines' files in a synced folder, then write this machine's there",
    )
    p.add_argument(
        "folder", metavar="DIR", help="a folder Syncthing, Dropbox or a network drive syncs"
    )
    p.add_argument(
        "--name",
        metavar="NAME",
        help="this machine's name in DIR (default: $TRACKER_MACHINE, [sync] name, the host name)",
    )
    p.add_argument(
        "--with-library",
        action="store_true",
        help="put the papers and digests in this machine's file too (fills a new machine)",
    )
    p.add_argument("--watch", action="store_true", help="sync again on a timer until Ctrl-C")
    p.add_argument(
        "--every",
        type=float,
        metavar="MIN",
        help="minutes between two syncs with --watch (default: [sync] every, else 5)",
    )
    p.set_defaults(func=cmd_sync)

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
    p.add_argument("--json", action="store_true", help="one JSON object per entry: entry, papers")
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
    _add_utc(p)
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser(
        "whats-new",
        help="what's new: the papers imported recently, as Markdown (for cron or e-mail)",
        description="Papers from the digests imported since WHEN (default: the last 24 hours), "
        "watched papers first with the watch entry they match, then one section per digest. "
        "Prints one line when there is nothing new. Days and times are local unless --utc.",
    )
    p.add_argument(
        "--since",
        metavar="WHEN",
        help="a date (2026-11-20), a time (2026-11-20T07:30) or a duration (36h, 7d, 2w)",
    )
    p.add_argument("--watched-only", action="store_true", help="only the papers on the watch list")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    p.add_argument(
        "--json",
        action="store_true",
        help="one JSON object (since, digests, papers) instead of Markdown",
    )
    _add_utc(p)
    p.set_defaults(func=cmd_whats_new)

    p = sub.add_parser("where", help="print where the library and the settings are")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_where)

    p = sub.add_parser(
        "keys",
        help="list the app's keys in effect; --check keymap.toml",
        description="List every key binding of the app (binding id, keys, what it does) with "
        "keymap.toml applied. --check reads keymap.toml and says what is wrong with it "
        "(exit status 1): an unknown binding id, a key given twice, a file that does not parse.",
    )
    p.add_argument("--check", action="store_true", help="only check keymap.toml")
    p.set_defaults(func=cmd_keys)

    p = sub.add_parser(
        "completion",
        help="print a shell completion script (bash, zsh or fish)",
        description="Print the completion script for SHELL. It completes commands, options, "
        "formats, statuses and file names.",
    )
    p.add_argument(
        "shell", choices=("bash", "zsh", "fish"), metavar="SHELL", help="bash, zsh or fish"
    )
    p.set_defaults(func=cmd_completion)

    p = sub.add_parser("help", help="help on a topic (queries) or a command")
    topic = p.add_argument("topic", nargs="?", metavar="TOPIC", help="queries, or a command name")
    p.set_defaults(func=cmd_help)

    _complete(topic, tuple(help_topics(parser)))
    for name, command in sub.choices.items():
        command.formatter_class = HelpFormatter
        command.epilog = epilog(name)
    parser.set_defaults(_parser=parser)
    return parser


def _add_utc(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--utc",
        action="store_true",
        help="days and weeks in UTC, not local time (also [look] utc = true in config.toml)",
    )


def _complete(action: argparse.Action, words: tuple[str, ...]) -> None:
    """The words shell completion offers for an argument (see tracker.cli.completion)."""
    action.complete = words  # type: ignore[attr-defined]


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
    _complete(
        p.add_argument(
            "--status",
            action="append",
            default=[],
            metavar="S",
            help="only this status (repeatable)",
        ),
        tuple(s.value for s in Status),
    )
    p.add_argument("--digest", metavar="D", help="only this digest (label, date or id)")
