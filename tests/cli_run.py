"""Run the command line in the test process, as a person would type it."""

from __future__ import annotations

import pytest

from tracker.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``tracker ARGS…``: its exit code, what it printed and what it said on stderr."""
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err
