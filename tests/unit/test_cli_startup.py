"""A one-shot command loads what it uses: its own module, not every command's.

`tracker list` at 100,000 papers is a process a script may run many times;
importing the HTTP client, the page parsers and the exporters it never uses
was a third of its time. These tests run real commands in a fresh
interpreter and look at what it imported.
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tracker.cli import main
from tracker.cli import parser as cli_parser
from tracker.cli.parser import COMMAND_NAMES, build_parser, command_in
from tracker.store.lock import OWNER_FILE

_PROBE = (
    "import json, sys\n"
    "from tracker.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "sys.stdout.flush()\n"
    "print(json.dumps(sorted(sys.modules)), file=sys.stderr)\n"
    "sys.exit(code)\n"
)

NEVER_FOR_A_PAPER_COMMAND = (
    # tracker fetch's: HTTP and TLS
    "tracker.fetching",
    "tracker.cli.fetching",
    "urllib.request",
    "http.client",
    "ssl",
    # tracker import's: the page readers, the clipboard, the worker processes
    "tracker.cli.importing",
    "tracker.sources.page",
    "tracker.sources.text",
    "tracker.sources.hf_json",
    "tracker.sources.feed",
    "tracker.sources.html_page",
    "tracker.sources.arxiv_listing",
    "tracker.clipboard",
    "multiprocessing",
    "concurrent.futures.process",
    # tracker export's and the other commands'
    "tracker.exports",
    "tracker.cli.exchange",
    "tracker.cli.reports",
    "tracker.cli.sync",
    "tracker.cli.digests",
    "tracker.cli.completion",
    # only for changing config.toml
    "tomlkit",
    # the app
    "textual",
)


def _modules(data_dir: Path, *args: str) -> tuple[str, set[str]]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout, set(json.loads(done.stderr.splitlines()[-1]))


@pytest.fixture
def library(capsys: pytest.CaptureFixture[str], seeds: list[Path], data_dir: Path) -> str:
    """A library of the two seed digests; the id of one of its papers."""
    assert main(["--data-dir", str(data_dir), "import", *map(str, seeds)]) == 0
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "list", "--ids", "-n", "1"]) == 0
    return capsys.readouterr().out.strip()


def _lock_taken(data_dir: Path) -> tuple[int, str]:
    """Who took the writer lock last, and when: each writer says so in the owner file."""
    owner = data_dir / OWNER_FILE
    return owner.stat().st_mtime_ns, owner.read_text()


def test_list_mark_and_note_load_only_their_own_code(library: str, data_dir: Path) -> None:
    taken = _lock_taken(data_dir)
    out, loaded = _modules(data_dir, "list", "attention", "-n", "3")
    assert len(out.splitlines()) == 3
    assert "tracker.cli.papers" in loaded and "tracker.search" in loaded
    assert not loaded & set(NEVER_FOR_A_PAPER_COMMAND), "tracker list imported them"
    assert _lock_taken(data_dir) == taken  # a reading command never takes the writer lock
    # On POSIX the lock is flock itself (tracker/store/lock.py), not filelock's.
    assert os.name != "posix" or "filelock" not in loaded

    out, loaded = _modules(data_dir, "mark", "read", library)
    assert out.startswith("marked 1 paper read") and _lock_taken(data_dir) != taken
    assert not loaded & set(NEVER_FOR_A_PAPER_COMMAND), "tracker mark imported them"

    out, loaded = _modules(data_dir, "note", library, "--append", "Read it again.")
    assert "Read it again." not in out and out.strip()
    assert not loaded & set(NEVER_FOR_A_PAPER_COMMAND), "tracker note imported them"
    out, _ = _modules(data_dir, "note", library)
    assert out.strip() == "Read it again."


NEVER_FOR_A_TEXT_DIGEST = (
    # the card reader: a plain-text digest has no paper links (tracker/sources/page/link_hints.py)
    "tracker.sources.page.reading",
    "tracker.sources.page.cards",
    "tracker.sources.page.card_content",
    "tracker.sources.page.lines",
    "tracker.sources.page.one_paper",
    # the JSON readers of a large file (tracker/library/page_pieces.py)
    "tracker.library.json_pieces",
    "tracker.sources.json_items",
    # the readers of JSON, feeds and HTML: a text without "{" first or any "<" is none of
    # theirs (tracker.sources.detect)
    "tracker.sources.hf_json",
    "tracker.sources.feed",
    "tracker.sources.html_page",
    "html.parser",
    # the arXiv listing's readers: no colon follows "arXiv" (tracker.sources._may_name_arxiv)
    "tracker.sources.arxiv_listing",
    "tracker.sources.arxiv_markdown",
    # the library's other areas: an import opens Importing alone (tracker/cli/importing.py)
    "tracker.library.library",
    "tracker.library.backups",
    "tracker.library.syncing",
    "tracker.library.exporting",
    "tracker.library.digest_editing",
    "tracker.library.changes",
    "tracker.stats",
    "tracker.backup",
    # the settings' reader, with no settings file
    "tomllib",
)


def test_importing_a_text_digest_loads_only_the_text_reader(
    seeds: list[Path], data_dir: Path, tmp_path: Path
) -> None:
    digest = tmp_path / "digest.txt"
    digest.write_bytes(seeds[0].read_bytes())
    out, loaded = _modules(data_dir, "import", "--date", "2024-08-25", str(digest))
    assert "71 papers, 71 new" in out
    assert "tracker.sources.text" in loaded and "tracker.sources.page" in loaded
    assert not loaded & set(NEVER_FOR_A_TEXT_DIGEST), "a text digest's import imported them"

    # A page whose papers are links is read by the card reader, as before.
    page = tmp_path / "page.md"
    page.write_text(
        "# Daily Papers 2024-08-26\n\n"
        "## [Sparse Attention for Long Documents](https://huggingface.co/papers/2408.11111)\n\n"
        "We propose a sparse attention scheme that reads long documents in linear time.\n\n"
        "## [Retrieval Heads in Small Models](https://huggingface.co/papers/2408.22222)\n\n"
        "We find retrieval heads in small language models and show how to prune them.\n",
        encoding="utf-8",
    )
    out, loaded = _modules(data_dir, "import", str(page))
    assert "2 papers, 2 new" in out, out
    assert "tracker.sources.page.reading" in loaded

    # A page with HTML blocks in it still has them read as the Markdown they stand for.
    page.write_text(
        "# Daily Papers 2024-08-27\n\n<table>\n<tr><th>Title</th><th>Link</th></tr>\n"
        "<tr><td>Sparse Retrieval for Long Videos</td>"
        '<td><a href="https://huggingface.co/papers/2408.33333">paper</a></td></tr>\n'
        "</table>\n",
        encoding="utf-8",
    )
    # --yes: one paper without an abstract looks unusual, and a script is not asked.
    out, loaded = _modules(data_dir, "import", "--yes", str(page))
    assert "1 paper, 1 new" in out, out
    assert "tracker.sources.html_page" in loaded


def test_export_does_not_load_fetch_or_import_code(library: str, data_dir: Path) -> None:
    out, loaded = _modules(data_dir, "export", "--all", "--format", "json")
    assert library in out
    assert "tracker.exports" in loaded
    assert not loaded & {"tracker.fetching", "ssl", "http.client", "tracker.sources.page"}


def test_help_still_names_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for name in COMMAND_NAMES:
        assert f"    {name} " in out or f"    {name}\n" in out, name
    # The help of one command, built alone, has its options.
    with pytest.raises(SystemExit):
        main(["import", "--help"])
    out = capsys.readouterr().out
    assert "--format FORMAT" in out and "hf-json" in out and "--dry-run" in out


def test_a_parser_for_one_command_parses_it_as_the_whole_one_does() -> None:
    argv = ["--data-dir", "D", "export", "has:note", "-f", "bibtex", "--group", "status"]
    one = vars(build_parser(command_in(argv)).parse_args(argv))
    whole = vars(build_parser().parse_args(argv))
    for args in (one, whole):
        del args["_parser"]
    assert one == whole
    assert one["format"] == "bibtex" and one["group"] == "status"


@pytest.mark.parametrize(
    ("argv", "command"),
    [
        (["list", "x"], "list"),
        (["--data-dir", "list", "mark", "read", "abc"], "mark"),
        (["--data-dir=list", "note", "abc"], "note"),
        (["--data", "list", "tag", "abc"], "tag"),  # argparse takes the abbreviation
        (["--read-only", "--ascii", "export"], "export"),
        (["help", "list"], None),  # help on a command needs that command's options
        (["completion", "bash"], None),  # every command is completed
        (["nonsense"], None),
        ([], None),
    ],
)
def test_the_command_is_found_before_parsing(argv: list[str], command: str | None) -> None:
    assert command_in(argv) == command


def test_a_command_told_wrong_before_parsing_still_runs_with_its_options(
    library: str,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("tracker.cli.entry.command_in", lambda argv: "stats")
    assert main(["--data-dir", str(data_dir), "list", "--ids", "-n", "2"]) == 0
    out, err = capsys.readouterr()
    assert len(out.split()) == 2
    assert err == ""  # the parser built for "stats" did not print its error
    assert cli_parser.command_in(["list"]) == "list"  # the module's own is untouched


def test_expected_errors_are_one_line_whichever_module_raised_them(
    data_dir: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    missing = tmp_path / "nowhere.txt"
    assert main(["--data-dir", str(data_dir), "import", str(missing)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("tracker: ") and str(missing) in err and "Traceback" not in err
    assert main(["--data-dir", str(data_dir), "mark", "read", "0000000000ff"]) == 1
    assert capsys.readouterr().err.startswith("tracker: ")


def test_the_process_leaves_its_objects_to_exit_a_caller_of_main_does_not(
    library: str, data_dir: Path, capsys: pytest.CaptureFixture[str], seeds: list[Path]
) -> None:
    probe = (
        "import gc, sys\n"
        "from tracker.cli import main\n"
        "code = main()\n"
        "print(gc.get_freeze_count() > 0, gc.isenabled(), file=sys.stderr)\n"
        "sys.exit(code)\n"
    )

    def process(*args: str) -> tuple[str, str]:
        done = subprocess.run(
            [sys.executable, "-c", probe, "--data-dir", str(data_dir), *args],
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout, done.stderr.splitlines()[-1]

    out, gc_state = process("list", "--ids")
    assert library in out.split()  # every id printed: stdout is flushed at exit
    assert gc_state == "True False"  # a brief command: no collector, nothing collected at exit
    out, gc_state = process("import", str(seeds[0]))
    assert "already imported" in out
    # An import runs with the collector paused, and then ends: none either.
    assert gc_state == "True False"
    out, gc_state = process("stats")
    assert gc_state == "True True"  # a command that may run long keeps the collector
    before = gc.get_freeze_count()
    assert main(["--data-dir", str(data_dir), "list", "--ids"]) == 0
    assert library in capsys.readouterr().out.split()
    assert gc.get_freeze_count() == before and gc.isenabled()
