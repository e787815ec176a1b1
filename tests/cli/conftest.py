"""Fixtures of the command-line tests (each runs `tracker` in-process, see tests/cli_run.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli_run import run


@pytest.fixture
def seeded(capsys: pytest.CaptureFixture[str], seeds: list[Path]) -> None:
    """The library holds the two bundled digests, imported with `tracker import`."""
    assert run(capsys, "import", *map(str, seeds))[0] == 0
