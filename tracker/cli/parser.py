"""The command line: every command, its options and their checks.

Built for the command being run: only that command is added, with its
options (``tracker --help``, a command argparse must find itself and help on a
command build them all), and its code (:class:`Run`) is imported only when it
runs. ``tracker list`` so never
imports what ``tracker fetch`` (HTTP, TLS) or ``tracker import`` (the page
parsers) need: at 100,000 papers a one-shot command's start-up was a third
of its time. Help on a command and the completion scripts build them all.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from tracker import __version__
from tracker.cli.guide import TOPICS, HelpFormatter, epilog
from tracker.locations import DATA_DIR_ENV
from tracker.models import Status

MAX_WEEKS = 520
"""`tracker stats --weeks` stops at ten years: more has no use and overflows dates."""

FULL_PARSER_COMMANDS = frozenset({"help", "completion"})
"""Commands that read the whole command line: help on any command, every option completed."""


@dataclass(frozen=True, slots=True)
class Run:
    """A command's function, named by module and name, imported when the command runs."""

    module: str
    name: str

    def __call__(self, args: argparse.Namespace) -> int:
        func: Callable[[argparse.Namespace], int] = getattr(
            importlib.import_module(self.module), self.name
        )
        return func(args)


@dataclass(frozen=True, slots=True)
class _Command:
    name: str
    help: str
    run: Run
    options: Callable[[argparse.ArgumentParser], None]
    """Adds the command's description, arguments and options."""


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The command line; with ``command``, only that command gets its options (see above)."""
    whole = command is None or command in FULL_PARSER_COMMANDS
    parser = argparse.ArgumentParser(
        # Built for one command, a command line argparse reads otherwise (an unusual
        # spelling of a global option) raises ArgumentError: the caller builds the
        # whole parser then, whose error is the one printed.
        exit_on_error=whole,
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
    for c in COMMANDS:
        if not (whole or c.name == command):
            # Only a parser's own help or error names the others (with the
            # whole command line, built then): making the other 22 took some
            # 10 ms of every command (argparse looks up translations for each).
            continue
        p = sub.add_parser(
            c.name, help=c.help, formatter_class=HelpFormatter, epilog=epilog(c.name)
        )
        p.set_defaults(func=c.run)
        c.options(p)
    parser.set_defaults(_parser=parser)
    return parser


def command_index(argv: Sequence[str]) -> int:
    """Where the command is in ``argv``: the first word that is not a global option.

    ``--data-dir DIR`` (or an abbreviation argparse accepts, ``--data DIR``)
    takes the next word with it. ``len(argv)`` when there is no such word.
    """
    i = 0
    while i < len(argv) and argv[i].startswith("-") and argv[i] != "-":
        word = argv[i]
        i += 1
        if "=" not in word and len(word) > 2 and "--data-dir".startswith(word):
            i += 1
    return min(i, len(argv))


def command_in(argv: Sequence[str]) -> str | None:
    """The command ``argv`` runs, as far as can be told before parsing; None for none or unsure.

    None too for the commands that need the whole command line
    (:data:`FULL_PARSER_COMMANDS`). The caller checks the answer against
    what argparse found.
    """
    i = command_index(argv)
    if i < len(argv) and argv[i] in COMMAND_NAMES and argv[i] not in FULL_PARSER_COMMANDS:
        return argv[i]
    return None


# -- the commands' options -------------------------------------------------------


def _import(p: argparse.ArgumentParser) -> None:
    from tracker import sources

    p.description = f"Import digest files. Formats: {sources.supported()}."
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
        "-y",
        "--yes",
        action="store_true",
        help="import a file that looks unusual (several digests, many warnings, most papers "
        "without an abstract) without asking; without it, a terminal asks and a script is refused",
    )
    p.add_argument(
        "--json", action="store_true", help="one JSON object per file (warnings included)"
    )


def _fetch(p: argparse.ArgumentParser) -> None:
    p.description = (
        "Fetch Hugging Face's daily papers ($TRACKER_HF_API/daily_papers?date=…) or an "
        "arXiv category's latest announcement ($TRACKER_ARXIV_API/CATEGORY) and import each "
        "day as `tracker import` imports a saved file. Every day is downloaded before "
        "anything is imported: offline or on an HTTP error nothing is imported. Each day "
        "is then one import, all or nothing. Days already fetched are not fetched again."
    )
    when = p.add_mutually_exclusive_group()
    when.add_argument("--date", metavar="YYYY-MM-DD", help="fetch this day (7d: seven days ago)")
    when.add_argument(
        "--since",
        metavar="DATE",
        help="fetch every day from DATE to yesterday (YYYY-MM-DD or 7d)",
    )
    p.add_argument(
        "--source",
        action="append",
        metavar="SOURCE",
        help="hf (Hugging Face daily papers) or arxiv:CATEGORY such as arxiv:cs.CL; repeatable "
        "(default: [fetch] sources in config.toml, else hf)",
    )
    p.add_argument(
        "-n", "--dry-run", action="store_true", help="show what would be imported; write nothing"
    )
    p.add_argument("--json", action="store_true", help="one JSON object per day")


def _list(p: argparse.ArgumentParser) -> None:
    _add_filter_args(p)
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="one JSON object per line")
    fmt.add_argument("--ids", action="store_true", help="print paper ids only")
    p.add_argument("-n", "--limit", type=_positive_int, metavar="N", help="show at most N papers")


def _mark(p: argparse.ArgumentParser) -> None:
    _complete(
        p.add_argument("status", help="new, to-read, reading, read or skipped"),
        tuple(s.value for s in Status),
    )
    p.add_argument(
        "ids", nargs="+", metavar="ID", help="paper ids or unique prefixes; - reads stdin"
    )


def _note(p: argparse.ArgumentParser) -> None:
    p.add_argument("id", metavar="ID")
    how = p.add_mutually_exclusive_group()
    how.add_argument("--set", metavar="TEXT", help="replace the note (- reads stdin)")
    how.add_argument("--append", metavar="TEXT", help="add a paragraph to the note (- reads stdin)")
    how.add_argument("--edit", action="store_true", help="edit the note in $VISUAL/$EDITOR")


def _tag(p: argparse.ArgumentParser) -> None:
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


def _related(p: argparse.ArgumentParser) -> None:
    p.add_argument("id", metavar="ID")
    p.add_argument(
        "-n", "--limit", type=_positive_int, default=5, metavar="N", help="how many (default 5)"
    )
    p.add_argument("--json", action="store_true", help="one JSON object per line")


def _open(p: argparse.ArgumentParser) -> None:
    p.description = (
        "Open the paper's page (its link, its arXiv page, or a search for its "
        "title) or, with --pdf, its PDF (arxiv.org/pdf/ID or its PDF link), with the browser "
        "command of [open] browser in config.toml or the system's browser."
    )
    p.add_argument("id", metavar="ID", help="a paper id or a unique prefix")
    p.add_argument("--pdf", action="store_true", help="open the PDF instead of the page")
    p.add_argument("--print", action="store_true", help="print the address instead of opening it")


def _undo(p: argparse.ArgumentParser) -> None:
    pass


def _forget(p: argparse.ArgumentParser) -> None:
    p.description = (
        "Remove a digest (by label, date, id or a unique prefix of one) and the "
        "papers no other digest has. Papers with a note, tags or a status other than new stay "
        "(listed). `tracker undo` takes it back. Example: tracker forget 'Aug 25'"
    )
    p.add_argument("digest", metavar="DIGEST", help="label (Aug 25), date, id or unique prefix")
    p.add_argument(
        "-n", "--dry-run", action="store_true", help="show what would go and what would stay"
    )


def _digests(p: argparse.ArgumentParser) -> None:
    p.description = (
        "With no action: every digest with its id, label, date, papers and "
        "source file. DIGEST is a label (Aug 25), a date, an id or a unique prefix of one. "
        "Examples: tracker digests rename 'Aug 25' 'HF, Aug 25'; tracker digests date "
        "'Aug 25' 2025-08-25"
    )
    p.add_argument("--json", action="store_true", help="list as one JSON object per line")
    p.set_defaults(digests_action="list")
    actions = p.add_subparsers(dest="digests_action", metavar="ACTION")
    q = actions.add_parser("list", help="list the digests (the default)")
    q.add_argument("--json", action="store_true", help="one JSON object per line")
    q = actions.add_parser("rename", help="give a digest another label")
    q.add_argument("digest", metavar="DIGEST")
    q.add_argument("label", metavar="LABEL", help='the new label, e.g. "HF daily, Aug 25"')
    q = actions.add_parser("date", help="set a digest's date (or clear it with -)")
    q.add_argument("digest", metavar="DIGEST")
    q.add_argument("date", metavar="YYYY-MM-DD", help="the date, or - to clear it")


def _export(p: argparse.ArgumentParser) -> None:
    from tracker import exports

    _add_filter_args(p)
    p.add_argument(
        "-f",
        "--format",
        choices=list(exports.FORMATS),
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


def _backup(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE")
    p.add_argument(
        "--with-library",
        action="store_true",
        help="include the papers and digests, so a new machine can be filled from the file",
    )
    _add_replacing(p)


def _add_replacing(p: argparse.ArgumentParser) -> None:
    """--force and --parents of a command that writes a file of the user's choosing."""
    p.add_argument(
        "--force",
        action="store_true",
        help="replace a file that paper-tracker did not write or that was changed since; "
        "the old one is kept beside it as NAME.<time>.bak",
    )
    p.add_argument(
        "--parents", action="store_true", help="create the file's folder if it does not exist"
    )


def _merge(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE")


def _sync(p: argparse.ArgumentParser) -> None:
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


def _doctor(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--restore",
        action="store_true",
        help="put the backup in place of a damaged or missing file (the damaged one is kept)",
    )


def _watch(p: argparse.ArgumentParser) -> None:
    p.description = (
        "Entries are searched like the filter box: words (typo-tolerant), "
        '"an exact phrase", author:"Name". They live in config.toml.'
    )
    p.add_argument("action", nargs="?", choices=("list", "add", "remove"), default="list")
    p.add_argument("entries", nargs="*", metavar="ENTRY", help="e.g. diffusion '\"state space\"'")
    p.add_argument("--json", action="store_true", help="one JSON object per entry: entry, papers")


def _stats(p: argparse.ArgumentParser) -> None:
    from tracker import stats

    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument(
        "--weeks",
        type=_week_count,
        default=stats.WEEKS,
        metavar="N",
        help=f"weeks to look back (default: {stats.WEEKS})",
    )
    _add_utc(p)


def _whats_new(p: argparse.ArgumentParser) -> None:
    p.description = (
        "Papers from the digests imported since WHEN (default: the last 24 hours), "
        "watched papers first with the watch entry they match, then one section per digest. "
        "Prints one line when there is nothing new. Days and times are local unless --utc."
    )
    p.add_argument(
        "--since",
        metavar="WHEN",
        help="a date (2026-11-20), a time (2026-11-20T07:30) or a duration (36h, 7d, 2w)",
    )
    p.add_argument("--watched-only", action="store_true", help="only the papers on the watch list")
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write to FILE instead of stdout (as an export: a file paper-tracker did not "
        "write, or that was changed since, is not replaced without --force)",
    )
    _add_replacing(p)
    p.add_argument(
        "--json",
        action="store_true",
        help="one JSON object (since, digests, papers) instead of Markdown",
    )
    _add_utc(p)


def _where(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print one JSON object")


def _keys(p: argparse.ArgumentParser) -> None:
    p.description = (
        "List every key binding of the app (binding id, keys, what it does) with "
        "keymap.toml applied. --check reads keymap.toml and says what is wrong with it "
        "(exit status 1): an unknown binding id, a key given twice, a file that does not parse."
    )
    p.add_argument("--check", action="store_true", help="only check keymap.toml")


def _completion(p: argparse.ArgumentParser) -> None:
    p.description = (
        "Print the completion script for SHELL. It completes commands, options, "
        "formats, statuses and file names."
    )
    p.add_argument(
        "shell", choices=("bash", "zsh", "fish"), metavar="SHELL", help="bash, zsh or fish"
    )


def _help(p: argparse.ArgumentParser) -> None:
    topic = p.add_argument("topic", nargs="?", metavar="TOPIC", help="queries, or a command name")
    _complete(topic, (*TOPICS, *COMMAND_NAMES))


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


def _papers(name: str) -> Run:
    return Run("tracker.cli.papers", name)


COMMANDS = (
    _Command(
        "import",
        "import digests: text and Markdown pages, Hugging Face JSON, arXiv listings, HTML",
        Run("tracker.cli.importing", "cmd_import"),
        _import,
    ),
    _Command(
        "fetch",
        "fetch a day's papers from Hugging Face or an arXiv category and import them",
        Run("tracker.cli.fetching", "cmd_fetch"),
        _fetch,
    ),
    _Command("list", "list papers matching a query", _papers("cmd_list"), _list),
    _Command("mark", "set the reading status of papers", _papers("cmd_mark"), _mark),
    _Command("note", "show or change a paper's Markdown note", _papers("cmd_note"), _note),
    _Command("tag", "add or remove tags", _papers("cmd_tag"), _tag),
    _Command(
        "related",
        "the papers most like one paper (as in the app)",
        _papers("cmd_related"),
        _related,
    ),
    _Command(
        "open",
        "open a paper's page or PDF in the browser ([open] browser in config.toml)",
        _papers("cmd_open"),
        _open,
    ),
    _Command(
        "undo",
        "undo the last change: statuses, notes, tags, a merge, an import, a digest "
        "forgotten, renamed or dated",
        _papers("cmd_undo"),
        _undo,
    ),
    _Command(
        "forget",
        "remove a digest and the papers only it had (annotated papers stay); undoable",
        Run("tracker.cli.digests", "cmd_forget"),
        _forget,
    ),
    _Command(
        "digests",
        "list the digests; rename one or set its date (undoable)",
        Run("tracker.cli.digests", "cmd_digests"),
        _digests,
    ),
    _Command(
        "export",
        "export papers and notes: Markdown, a vault, BibTeX, CSV or JSON",
        Run("tracker.cli.exchange", "cmd_export"),
        _export,
    ),
    _Command(
        "backup",
        "write a JSON backup of your statuses, notes and tags (to merge elsewhere)",
        Run("tracker.cli.exchange", "cmd_backup"),
        _backup,
    ),
    _Command(
        "merge",
        "merge another machine's backup into this library",
        Run("tracker.cli.exchange", "cmd_merge"),
        _merge,
    ),
    _Command(
        "sync",
        "merge the other machines' files in a synced folder, then write this machine's there",
        Run("tracker.cli.sync", "cmd_sync"),
        _sync,
    ),
    _Command(
        "doctor",
        "check the library files; --restore repairs from backups",
        Run("tracker.cli.reports", "cmd_doctor"),
        _doctor,
    ),
    _Command(
        "watch",
        "show or change the watch list (papers to flag on import)",
        Run("tracker.cli.reports", "cmd_watch"),
        _watch,
    ),
    _Command(
        "stats",
        "progress per digest, papers triaged and read per week, the backlog",
        Run("tracker.cli.reports", "cmd_stats"),
        _stats,
    ),
    _Command(
        "whats-new",
        "what's new: the papers imported recently, as Markdown (for cron or e-mail)",
        Run("tracker.cli.reports", "cmd_whats_new"),
        _whats_new,
    ),
    _Command(
        "where",
        "print where the library and the settings are",
        Run("tracker.cli.guide", "cmd_where"),
        _where,
    ),
    _Command(
        "keys",
        "list the app's keys in effect; --check keymap.toml",
        Run("tracker.cli.keys", "cmd_keys"),
        _keys,
    ),
    _Command(
        "completion",
        "print a shell completion script (bash, zsh or fish)",
        Run("tracker.cli.guide", "cmd_completion"),
        _completion,
    ),
    _Command(
        "help",
        "help on a topic (queries) or a command",
        Run("tracker.cli.guide", "cmd_help"),
        _help,
    ),
)
"""Every command, in the order ``tracker --help`` lists them."""

COMMAND_NAMES = tuple(c.name for c in COMMANDS)

DEFAULT = Run("tracker.cli.reports", "cmd_default")
"""No command: the app in a terminal, else the library summary."""
