"""tracker open ID [--pdf] [--print]: the page or PDF, with the browser setting."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from tests.cli_run import run

HF_JSON = Path(__file__).parent.parent / "fixtures" / "sources" / "hf_daily_papers.json"


@pytest.fixture
def diff_transformer(capsys: pytest.CaptureFixture[str]) -> str:
    assert run(capsys, "import", str(HF_JSON))[0] == 0
    _, out, _ = run(capsys, "list", "--json", '"Differential Transformer"')
    return str(json.loads(out.splitlines()[0])["id"])


def test_open_pdf_uses_the_browser_setting(
    capsys: pytest.CaptureFixture[str], diff_transformer: str, tmp_path: Path
) -> None:
    got = tmp_path / "got"
    browser = tmp_path / "browser"
    browser.write_text(f'#!/bin/sh\necho chatter\necho "$@" >> {got}\n')
    browser.chmod(browser.stat().st_mode | stat.S_IXUSR)
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.toml").write_text(f"[open]\nbrowser = '{browser} %s'\n")
    code, out, _ = run(capsys, "open", diff_transformer[:6], "--pdf")
    assert code == 0
    assert got.read_text().split() == ["https://arxiv.org/pdf/2410.05258"]
    assert out.startswith("Opened https://arxiv.org/pdf/2410.05258") and "chatter" not in out
    assert run(capsys, "open", diff_transformer)[0] == 0
    assert got.read_text().split()[-1] == "https://arxiv.org/abs/2410.05258"


def test_open_print_only_prints(capsys: pytest.CaptureFixture[str], diff_transformer: str) -> None:
    code, out, _ = run(capsys, "open", diff_transformer, "--pdf", "--print")
    assert (code, out) == (0, "https://arxiv.org/pdf/2410.05258\n")


def test_open_without_browser_fails_in_one_line_with_the_address(
    capsys: pytest.CaptureFixture[str],
    diff_transformer: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    code, _, err = run(capsys, "open", diff_transformer)
    assert code == 1
    assert len(err.splitlines()) == 1 and "https://arxiv.org/abs/2410.05258" in err


def test_open_pdf_of_a_paper_without_id_says_why(
    capsys: pytest.CaptureFixture[str], seeds: list[Path]
) -> None:
    run(capsys, "import", str(seeds[0]))
    _, out, _ = run(capsys, "list", "--ids", "-n", "1")
    code, _, err = run(capsys, "open", out.strip(), "--pdf")
    assert code == 1 and "has no arXiv id or PDF link" in err
