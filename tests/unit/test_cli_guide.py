"""tracker help, where and completion: what a newcomer reaches for in the first minutes."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.cli_run import run
from tracker.cli import main
from tracker.cli.parser import build_parser


def _subcommands() -> list[str]:
    parser = build_parser()
    for action in parser._actions:
        if hasattr(action, "choices") and isinstance(action.choices, dict):
            return list(action.choices)
    raise AssertionError("no subcommands")


def test_help_queries_explains_the_query_language(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "help", "queries")
    assert code == 0
    for syntax in ("status:read", 'digest:"Aug 25"', "has:note", "tag:x", "is:watched", "author:"):
        assert syntax in out


def test_help_on_a_command_and_an_unknown_topic(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "help", "import")
    assert code == 0 and out.startswith("usage: tracker import")
    code, _, err = run(capsys, "help", "nonsense")
    assert code == 1 and "queries" in err


def test_every_command_help_ends_with_examples(capsys: pytest.CaptureFixture[str]) -> None:
    for name in _subcommands():
        with pytest.raises(SystemExit):
            main([name, "--help"])
        out = capsys.readouterr().out
        assert "Examples:\n  " in out and "tracker " in out.split("Examples:")[1], name
    with pytest.raises(SystemExit):
        main(["list", "--help"])
    assert "tracker help queries" in capsys.readouterr().out


def test_where_names_the_data_and_config_locations(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "--data-dir", str(tmp_path / "lib"), "where", "--json")
    assert code == 0
    places = json.loads(out)
    assert places["data"] == str(tmp_path / "lib")
    assert places["library"] == str(tmp_path / "lib" / "library.json")
    assert places["settings"] == str(tmp_path / "config" / "config.toml")
    code, out, _ = run(capsys, "where")
    assert f"data    {tmp_path / 'data'}" in out and "$TRACKER_DATA_DIR" in out


def _bash_complete(script: str, *words: str) -> list[str]:
    program = (
        f"{script}\n"
        f"COMP_WORDS=({' '.join(repr(w) for w in words)}); COMP_CWORD={len(words) - 1}\n"
        '_tracker; printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    done = subprocess.run(["bash", "-c", program], capture_output=True, text=True, check=True)
    return done.stdout.split()


def test_bash_completion_completes_commands_options_and_values(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, script, _ = run(capsys, "completion", "bash")
    assert code == 0
    assert _bash_complete(script, "tracker", "im") == ["import"]
    assert set(_subcommands()) == set(_bash_complete(script, "tracker", ""))
    assert _bash_complete(script, "tracker", "--data-dir", "/tmp", "wh") == ["whats-new", "where"]
    assert _bash_complete(script, "tracker", "mark", "re") == ["reading", "read"]
    assert _bash_complete(script, "tracker", "import", "--format", "h") == ["hf-json", "html"]
    assert _bash_complete(script, "tracker", "export", "-f", "b") == ["bibtex"]
    assert _bash_complete(script, "tracker", "digests", "re") == ["rename"]
    assert "--dry-run" in _bash_complete(script, "tracker", "import", "--")
    assert _bash_complete(script, "tracker", "completion", "") == ["bash", "zsh", "fish"]


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed")
def test_fish_completion_completes_commands_and_values(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _, script, _ = run(capsys, "completion", "fish")
    path = tmp_path / "tracker.fish"
    path.write_text(script)

    def complete(line: str) -> list[str]:
        done = subprocess.run(
            ["fish", "--no-config", "-c", f"source {path}; complete -C '{line}'"],
            capture_output=True,
            text=True,
            check=True,
        )
        return [row.split("\t")[0] for row in done.stdout.splitlines()]

    assert complete("tracker im") == ["import"]
    assert complete("tracker import --format h") == ["hf-json", "html"]
    assert complete("tracker digests re") == ["rename"]
    assert complete("tracker --data-dir /tmp wh") == ["whats-new", "where"]


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed")
def test_zsh_completion_loads_and_registers(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _, script, _ = run(capsys, "completion", "zsh")
    path = tmp_path / "_tracker"
    path.write_text(script)
    subprocess.run(["zsh", "-n", str(path)], check=True)
    done = subprocess.run(
        [
            "zsh",
            "-f",
            "-c",
            f"autoload -U compinit && compinit -u -d {tmp_path}/zcd; source {path}; "
            "print $_comps[tracker]; whence -w _tracker_digests_rename _tracker_import",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.split("\n")[0] == "_tracker"
    assert "_tracker_import: function" in done.stdout


def test_every_option_is_in_every_script(capsys: pytest.CaptureFixture[str]) -> None:
    scripts = {}
    for shell in ("bash", "zsh", "fish"):
        _, scripts[shell], _ = run(capsys, "completion", shell)
    for shell, script in scripts.items():
        for option in ("--dry-run", "--data-dir", "--per-paper", "--watched-only"):
            name = option if shell != "fish" else f"-l {option[2:]}"
            assert name in script, (shell, option)
