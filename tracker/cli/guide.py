"""Commands about the command line itself: help topics, where the files are, shell completion.

Also the examples each command's ``--help`` ends with (:data:`EXAMPLES`):
one place, so that the README's examples and the help can be compared.
"""

from __future__ import annotations

import argparse
import json
import sys

from tracker.cli.errors import CliError
from tracker.locations import CONFIG_DIR_ENV, DATA_DIR_ENV, config_dir, data_dir

QUERIES = """\
Queries: what `tracker list`, `tracker export`, the app's filter box, saved
searches and the watch list understand.

  poiner netwroks         bare words are fuzzy (typos are fine), ranked, and all
                          must match: in the title, the abstract or the authors
  "exact phrase"          matches literally
  -word                   leaves out papers with the word
  status:read             a status: new, to-read, reading, read, skipped
  status:new,to-read      either of them (values are separated by commas)
  digest:"Aug 25"         papers of a digest (label, date or id)
  has:note                papers with a note
  note:zanzibar           papers whose note has the word (its start, or a typo)
  tag:x                   papers with the tag x
  is:watched              papers matching the watch list
  author:"Tri Dao"        papers by an author (initials and one typo allowed)
  -status:read            any filter negated

Examples:
  tracker list 'poiner netwroks'
  tracker list 'attention author:"Tri Dao" -status:read'
  tracker export 'has:note digest:"Aug 25"' -o notes.md
"""
"""`tracker help queries`: the query language (the README's Queries section, shorter)."""

TOPICS = {"queries": QUERIES}

_QUERY_POINTER = "The query syntax: tracker help queries"

EXAMPLES: dict[str, list[str]] = {
    "import": [
        "tracker import --dry-run ~/digests/2024-10-07.txt --date 2024-10-07",
        "tracker import ~/digests/*.txt",
        "curl -s 'https://huggingface.co/api/daily_papers?date=2024-10-08' | tracker import - --json",
        "tracker import --clipboard --dry-run",
    ],
    "fetch": [
        "tracker fetch                       # the days since the last fetch, to yesterday",
        "tracker fetch --date 2026-08-20 --dry-run",
        "tracker fetch --since 7d",
        "tracker fetch --source arxiv:cs.CL",
        "tracker fetch && tracker whats-new | mail -s Papers me   # cron, every morning",
    ],
    "list": [
        "tracker list 'poiner netwroks'",
        "tracker list status:to-read --ids | tracker mark reading -",
    ],
    "mark": ["tracker mark read 3f2a9c", "tracker list status:new --ids | tracker mark skipped -"],
    "note": ["tracker note 3f2a9c --append 'Read section 4 again.'", "tracker note 3f2a9c --edit"],
    "tag": ["tracker tag 3f2a9c survey diffusion", "tracker tag 3f2a9c --remove survey"],
    "related": ["tracker related 3f2a9c -n 10", "tracker related 3f2a9c --json"],
    "undo": ["tracker undo"],
    "open": [
        "tracker open 3f2a9c",
        "tracker open 3f2a9c --pdf",
        "tracker open 3f2a9c --pdf --print",
    ],
    "forget": ["tracker forget --dry-run 'Aug 25'", "tracker forget 'Aug 25'"],
    "digests": ["tracker digests", "tracker digests rename 'Aug 25' 'HF daily, Aug 25'"],
    "export": ["tracker export has:note -o notes.md", "tracker export status:read -o refs.bib"],
    "backup": ["tracker backup ~/Sync/paper-tracker-$(hostname).json"],
    "merge": ["tracker merge ~/Sync/paper-tracker-laptop.json"],
    "sync": [
        "tracker sync ~/Sync/paper-tracker",
        "tracker sync ~/Sync/paper-tracker --name laptop --watch --every 10",
    ],
    "doctor": ["tracker doctor", "tracker doctor --restore"],
    "watch": ["tracker watch add diffusion 'author:\"Albert Gu\"'", "tracker watch --json"],
    "stats": ["tracker stats", "tracker stats --weeks 26 --json"],
    "whats-new": [
        "tracker whats-new --since 7d",
        "tracker whats-new --json | jq '.entries[].title'",
    ],
    "completion": [
        "source <(tracker completion bash)            # in ~/.bashrc",
        "tracker completion zsh > ~/.zfunc/_tracker   # a folder on $fpath",
        "tracker completion fish > ~/.config/fish/completions/tracker.fish",
    ],
    "where": ["tracker where", "tracker where --json"],
    "keys": ["tracker keys --check", "tracker keys | grep status"],
    "help": ["tracker help queries", "tracker help import"],
}
"""Each command's examples, printed at the end of its --help."""

QUERY_COMMANDS = frozenset({"list", "export", "watch"})
"""The commands that take a query: their --help points to `tracker help queries`."""


def epilog(command: str) -> str | None:
    """The end of a command's --help: its examples and, where it takes a query, the pointer."""
    lines = []
    examples = EXAMPLES.get(command)
    if examples:
        lines += ["Examples:", *(f"  {e}" for e in examples)]
    if command in QUERY_COMMANDS:
        lines += ["", _QUERY_POINTER] if lines else [_QUERY_POINTER]
    return "\n".join(lines) if lines else None


class HelpFormatter(argparse.HelpFormatter):
    """Wraps descriptions as usual but keeps a text with line breaks (the examples) as written."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if "\n" in text:
            return "".join(indent + line for line in text.splitlines(keepends=True))
        return super()._fill_text(text, width, indent)


def cmd_help(args: argparse.Namespace) -> int:
    parser: argparse.ArgumentParser = args._parser
    topic = args.topic
    if topic is None:
        parser.print_help()
        return 0
    if topic in TOPICS:
        sys.stdout.write(TOPICS[topic])
        return 0
    commands = _commands(parser)
    if topic in commands:
        commands[topic].print_help()
        return 0
    raise CliError(
        f"no help on {topic!r}: the topics are {', '.join(TOPICS)}, or a command "
        f"({', '.join(commands)})"
    )


def _commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def help_topics(parser: argparse.ArgumentParser) -> list[str]:
    return [*TOPICS, *_commands(parser)]


def cmd_where(args: argparse.Namespace) -> int:
    from tracker.config import CONFIG_FILE
    from tracker.store import ANNOTATIONS_FILE, LIBRARY_FILE

    data = data_dir(args.data_dir)
    config = config_dir()
    places = {
        "data": str(data),
        "library": str(data / LIBRARY_FILE),
        "annotations": str(data / ANNOTATIONS_FILE),
        "config": str(config),
        "settings": str(config / CONFIG_FILE),
        "keymap": str(config / "keymap.toml"),
    }
    if args.json:
        print(json.dumps(places, ensure_ascii=False))
        return 0
    data_from = (
        "--data-dir" if args.data_dir else f"${DATA_DIR_ENV}" if _env(DATA_DIR_ENV) else "default"
    )
    config_from = f"${CONFIG_DIR_ENV}" if _env(CONFIG_DIR_ENV) else "default"
    print(f"data    {places['data']}  ({data_from}; --data-dir or ${DATA_DIR_ENV} moves it)")
    print(f"config  {places['config']}  ({config_from}; ${CONFIG_DIR_ENV} moves it)")
    for name in ("library", "annotations", "settings", "keymap"):
        print(f"  {name:<12}{places[name]}")
    return 0


def _env(name: str) -> bool:
    import os

    return bool(os.environ.get(name))


def cmd_completion(args: argparse.Namespace) -> int:
    from tracker.cli.completion import script

    sys.stdout.write(script(args._parser, args.shell))
    return 0
