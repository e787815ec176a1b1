"""`tracker export --format …`, `tracker backup` and `tracker merge`, driven as a user would."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import bibtexparser
import pytest
import yaml

from tests.cli_run import run


@pytest.fixture
def library(capsys: pytest.CaptureFixture[str], seeds: list[Path], tmp_path: Path) -> Path:
    directory = tmp_path / "lib"
    assert run(capsys, "--data-dir", str(directory), "import", *map(str, seeds))[0] == 0
    return directory


def _ids(capsys: pytest.CaptureFixture[str], directory: Path, *query: str) -> list[str]:
    return run(capsys, "--data-dir", str(directory), "list", "--ids", *query)[1].split()


def test_export_formats_from_the_command_line(
    capsys: pytest.CaptureFixture[str], library: Path, tmp_path: Path
) -> None:
    dd = ("--data-dir", str(library))
    first, second = _ids(capsys, library)[:2]
    run(capsys, *dd, "mark", "read", first, second)
    run(capsys, *dd, "note", first, "--set", "=1+1 looks like a formula")
    run(capsys, *dd, "tag", first, "ml", "to-cite")

    code, out, err = run(capsys, *dd, "export", "--format", "bibtex")
    assert code == 0
    # The bundled digests are plain text without arXiv ids: @misc with what is known.
    assert len(bibtexparser.parse_string(out).entries) == 2
    assert "2 papers; 2 of them have no arXiv id: written as @misc" in err
    code, _, err = run(capsys, *dd, "export", "-o", str(tmp_path / "refs.bib"))
    assert code == 0 and "2 of them have no arXiv id" in err
    assert len(bibtexparser.parse_string((tmp_path / "refs.bib").read_text()).entries) == 2

    code, _, err = run(capsys, *dd, "export", "-o", str(tmp_path / "papers.csv"))
    assert code == 0 and "wrote 2 papers" in err
    rows = list(csv.DictReader(io.StringIO((tmp_path / "papers.csv").read_text(), newline="")))
    assert [r["id"] for r in rows] == [first, second]
    assert rows[0]["note"] == "'=1+1 looks like a formula" and rows[0]["tags"] == "ml; to-cite"

    code, out, _ = run(capsys, *dd, "export", "--format", "json")
    doc = json.loads(out)
    assert doc["format"] == "paper-tracker-backup"
    assert {a["paper_id"] for a in doc["annotations"]} == {first, second}

    code, out, _ = run(capsys, *dd, "export", "--group", "status")
    assert "## Contents\n\n- [Read](#read) (2)\n" in out

    code, _, err = run(capsys, *dd, "export", "--format", "vault")
    assert code == 1 and "give a folder with -o DIR" in err
    code, _, err = run(capsys, *dd, "export", "--format", "csv", "--per-paper", str(tmp_path))
    assert code == 1 and "--per-paper writes a vault" in err

    vault = tmp_path / "vault"
    code, _, err = run(capsys, *dd, "export", "--format", "vault", "-o", str(vault))
    assert code == 0 and "wrote 2 files" in err
    metas = [yaml.safe_load(f.read_text().split("---\n")[1]) for f in sorted(vault.iterdir())]
    assert {m["id"]: m["tags"] for m in metas}[first] == ["ml", "to-cite"]


def test_bibtex_from_the_command_line_when_papers_have_arxiv_ids(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    digest = tmp_path / "digest.md"
    digest.write_text(
        "Aug 25, 2025\n\n"
        "### [Braces {in} a 100% title](https://huggingface.co/papers/2508.12345)\n\n"
        "An abstract that is long enough to be one.\n"
    )
    # A plain copy without links: its paper has no arXiv id.
    plain = tmp_path / "plain.txt"
    plain.write_text(
        "Aug 26, 2025\n\nA paper without a link\n\nAnother abstract for it, long enough.\n"
    )
    dd = ("--data-dir", str(tmp_path / "lib"))
    assert run(capsys, *dd, "import", str(digest), str(plain))[0] == 0
    code, _, err = run(capsys, *dd, "export", "--all", "-o", str(tmp_path / "refs.bib"))
    assert code == 0
    library = bibtexparser.parse_string((tmp_path / "refs.bib").read_text())
    assert not library.failed_blocks
    entry, plain_entry = library.entries
    assert entry.key == "arxiv2025-2508.12345"
    assert entry.fields_dict["eprint"].value == "2508.12345"
    assert entry.fields_dict["doi"].value == "10.48550/arXiv.2508.12345"
    assert plain_entry.key.startswith("paper-")
    assert plain_entry.fields_dict["year"].value == "2025"
    assert "1 of them has no arXiv id" in err


def test_backup_and_merge_between_two_data_directories(
    capsys: pytest.CaptureFixture[str], seeds: list[Path], tmp_path: Path
) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    run(capsys, "--data-dir", str(a), "import", *map(str, seeds))
    run(capsys, "--data-dir", str(b), "import", str(seeds[0]))
    ids = _ids(capsys, a)
    run(capsys, "--data-dir", str(a), "note", ids[0], "--set", "written on a")
    run(capsys, "--data-dir", str(b), "note", ids[0], "--set", "written on b")
    run(capsys, "--data-dir", str(b), "mark", "reading", ids[1])

    code, out, _ = run(
        capsys, "--data-dir", str(a), "backup", str(tmp_path / "a.json"), "--with-library"
    )
    assert code == 0 and out.startswith("wrote 1 annotation, 114 papers and 2 digests to ")
    code, out, _ = run(capsys, "--data-dir", str(b), "merge", str(tmp_path / "a.json"))
    assert code == 0
    assert "library: 43 papers and 1 digest added, 19 papers given digests" in out
    assert "1 note was changed on both machines" in out and ids[0] in out
    code, out, _ = run(capsys, "--data-dir", str(b), "note", ids[0])
    assert "written on a" in out and "written on b" in out and "paper-tracker merge" in out

    run(capsys, "--data-dir", str(b), "backup", str(tmp_path / "b.json"))
    code, out, _ = run(capsys, "--data-dir", str(a), "merge", str(tmp_path / "b.json"))
    assert (
        code == 0
        and "b.json: 2 of 2 annotations changed here — 1 status, 0 tag sets, 1 note taken over"
        in out
    )
    code, out, _ = run(capsys, "--data-dir", str(a), "merge", str(tmp_path / "b.json"))
    assert "all already merged; nothing changed" in out
    assert (
        run(capsys, "--data-dir", str(a), "note", ids[0])[1]
        == run(capsys, "--data-dir", str(b), "note", ids[0])[1]
    )

    (tmp_path / "broken.json").write_text(
        '{"format": "paper-tracker-backup", "version": 1, "annotations": 5}'
    )
    code, _, err = run(capsys, "--data-dir", str(a), "merge", str(tmp_path / "broken.json"))
    assert code == 1
    assert err.strip() == (
        f"tracker: {tmp_path / 'broken.json'}: 'annotations' is not a list; nothing was merged"
    )
