"""`tracker import --format` and the other input formats, as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_run import run

FIXTURES = Path(__file__).parent.parent / "fixtures" / "sources"


def test_import_detects_each_format_and_lists_rich_fields(
    capsys: pytest.CaptureFixture[str],
) -> None:
    names = ("arxiv_mail.txt", "arxiv_web.txt", "hf_daily_papers.json")
    code, out, err = run(capsys, "import", *(str(FIXTURES / name) for name in names))
    assert code == 0, err
    assert "arxiv_mail.txt (arxiv): Oct 7 2024 — 4 papers, 4 new, 0 already known" in out
    assert "arxiv_web.txt (arxiv): Oct 8 2024 — 4 papers, 1 new, 3 already known" in out
    assert (
        "hf_daily_papers.json (hf-json): Oct 8 2024, Oct 9 2024 — 4 papers, 3 new, 1 already known"
        in out
    )
    assert out.rstrip().endswith("library: 8 papers in 4 digests")
    code, again, _ = run(capsys, "import", *(str(FIXTURES / name) for name in names))
    assert code == 0 and again.count("already imported") == 3
    assert again.rstrip().endswith("library: 8 papers in 4 digests")
    code, out, _ = run(capsys, "list", "--json", "differential transformer", "-n", "1")
    [record] = [json.loads(line) for line in out.splitlines()]
    assert record["arxiv_id"] == "2410.05258"
    assert record["url"] == "https://arxiv.org/abs/2410.05258"
    assert record["authors"][:2] == ["Tianzhu Ye", "Li Dong"]
    assert record["upvotes"] == 181
    assert record["digests"] == ["Oct 7 2024", "Oct 8 2024", "Oct 8 2024"]


def test_format_option_forces_one_and_unknown_is_explained(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    hf = str(FIXTURES / "hf_daily_papers.json")
    code, _, err = run(capsys, "import", "--format", "xml", hf)
    assert code != 0
    assert err.count("\n") == 1
    assert "unknown format 'xml'" in err
    for name in ("auto", "text", "hf-json", "arxiv"):
        assert name in err

    code, _, err = run(capsys, "import", "--format", "text", hf)
    assert code != 0
    assert "hf_daily_papers.json is JSON, not a text digest" in err

    code, out, _ = run(capsys, "import", "--format", "hf-json", hf)
    assert code == 0 and "(hf-json)" in out

    notes = tmp_path / "notes.txt"
    notes.write_text("shopping list\neggs\n", encoding="utf-8")
    code, _, err = run(capsys, "import", str(notes))
    assert code != 0
    assert err.startswith("tracker: no papers found in notes.txt: it is not in a format")
    assert "hf-json" in err and "arxiv" in err and "text" in err
