"""BibTeX that cites correctly, read back with a real BibTeX parser (bibtexparser):
one entry per paper, arXiv fields and DOI, arXiv's LaTeX kept, affiliations
dropped, stable keys, and the same keys in the vault's front matter."""

from __future__ import annotations

import json
from pathlib import Path

import bibtexparser
import pytest
import yaml

from tests.cli_run import run
from tracker.library import Library

SOURCES = Path(__file__).parent.parent / "fixtures" / "sources"
HF_JSON = SOURCES / "hf_daily_papers.json"
ARXIV_MAIL = SOURCES / "arxiv_mail.txt"

# Titles as the Hugging Face daily-papers API gave them (2024-06-21, in the real
# corpus: hf-json/api-old-2024-06-21.json): arXiv's LaTeX, as written.
LATEX_DAY = [
    {
        "paper": {
            "id": "2406.14347",
            "title": "$\\nabla^2$DFT: A Universal Quantum Chemistry Dataset of Drug-Like "
            "Molecules and a Benchmark for Neural Network Potentials",
            "summary": "Methods of computational quantum chemistry provide accurate "
            "approximations of molecular properties crucial for computer-aided drug discovery.",
            "authors": [{"name": "Kuzma Khrabrov"}],
            "publishedAt": "2024-06-20T17:59:58.000Z",
        },
        "publishedAt": "2024-06-21T03:00:00.000Z",
    },
    {
        "paper": {
            "id": "2406.12045",
            "title": "$τ$-bench: A Benchmark for Tool-Agent-User Interaction in Real-World Domains",
            "summary": "Existing benchmarks do not test language agents on their interaction "
            "with human users or their ability to follow domain-specific rules.",
            "authors": [{"name": "Shunyu Yao"}],
            "publishedAt": "2024-06-17T17:42:41.000Z",
        },
        "publishedAt": "2024-06-21T03:00:00.000Z",
    },
]


@pytest.fixture
def library(capsys: pytest.CaptureFixture[str], seeds: list[Path], tmp_path: Path) -> Path:
    latex_day = tmp_path / "latex-day.json"
    latex_day.write_text(json.dumps(LATEX_DAY), encoding="utf-8")
    # The second seed's page prints no year: --date gives it one.
    assert run(capsys, "import", str(seeds[0]))[0] == 0
    assert run(capsys, "import", str(seeds[1]), "--date", "2025-03-17")[0] == 0
    assert run(capsys, "import", str(HF_JSON), str(ARXIV_MAIL), str(latex_day))[0] == 0
    return tmp_path


def _entries(path: Path) -> dict[str, dict[str, str]]:
    parsed = bibtexparser.parse_file(str(path))
    assert not parsed.failed_blocks, [b.error for b in parsed.failed_blocks]
    keys = [e.key for e in parsed.entries]
    assert len(keys) == len(set(keys))
    return {e.key: {f.key: f.value for f in e.fields} for e in parsed.entries}


def test_every_paper_gets_one_entry_and_the_command_says_how_many_have_no_id(
    capsys: pytest.CaptureFixture[str], library: Path
) -> None:
    with Library.open(None, readonly=True) as lib:
        papers = len(lib)
        without_id = sum(1 for p in lib.papers if not p.arxiv_id)
    assert papers == 114 + 4 + 4 - 1 + 2  # the mail repeats one of the JSON's papers
    refs = library / "refs.bib"
    code, _, err = run(capsys, "export", "--all", "-o", str(refs))
    assert code == 0
    entries = _entries(refs)
    assert len(entries) == papers
    assert f"{without_id} of them have no arXiv id: written as @misc" in err
    # Keys stay the same from one export to the next.
    again = library / "again.bib"
    run(capsys, "export", "--all", "-o", str(again))
    assert again.read_text() == refs.read_text()
    plain = [e for e in entries.values() if "eprint" not in e]
    assert len(plain) == without_id
    assert all(e["title"] for e in plain)
    # The year of their first dated digest; the Aug 25 page has no year, so its own
    # papers have none (nothing is guessed).
    assert sum(1 for e in plain if e.get("year") == "2025") == 62
    assert sum(1 for e in plain if "year" not in e) == without_id - 62


def test_arxiv_papers_cite_as_arxiv_asks(capsys: pytest.CaptureFixture[str], library: Path) -> None:
    refs = library / "refs.bib"
    run(capsys, "export", "--all", "-o", str(refs))
    entries = _entries(refs)
    [rad] = [e for e in entries.values() if e.get("eprint") == "2410.04567"]
    assert rad["archivePrefix"] == "arXiv"
    assert rad["primaryClass"] == "cs.CL"  # the mail's Categories: cs.CL cs.AI cs.IR
    assert rad["doi"] == "10.48550/arXiv.2410.04567"
    assert rad["url"] == "https://arxiv.org/abs/2410.04567"
    # Affiliations are not authors.
    assert rad["author"] == "Maria Gonzalez and Kenji Watanabe and Priya Raman and Thomas Müller"
    [diff] = [e for e in entries.values() if e.get("eprint") == "2410.05258"]
    assert diff["doi"] == "10.48550/arXiv.2410.05258"


def test_latex_from_arxiv_stays_latex_in_bibtex_and_is_unicode_elsewhere(
    capsys: pytest.CaptureFixture[str], library: Path
) -> None:
    refs = library / "refs.bib"
    run(capsys, "export", "--all", "-o", str(refs))
    titles = {e["eprint"]: e["title"] for e in _entries(refs).values() if "eprint" in e}
    assert titles["2406.14347"].startswith("{$\\nabla^2$DFT: A Universal")
    assert titles["2406.12045"].startswith("{$τ$-bench:")
    code, out, _ = run(capsys, "export", "--all", "DFT Quantum Chemistry")
    assert code == 0
    assert "### ∇^2DFT: A Universal Quantum Chemistry Dataset" in out
    _, out, _ = run(capsys, "list", "Quantum Chemistry Dataset")
    assert "∇^2DFT: A Universal" in out.splitlines()[0]
    _, out, _ = run(capsys, "list", "--json", "Quantum Chemistry Dataset")
    assert json.loads(out.splitlines()[0])["title"].startswith("$\\nabla^2$DFT")  # stored as is


def test_the_vault_carries_the_same_citekey(
    capsys: pytest.CaptureFixture[str], library: Path
) -> None:
    refs, vault = library / "refs.bib", library / "vault"
    run(capsys, "export", "--all", "-o", str(refs))
    run(capsys, "export", "--all", "--format", "vault", "-o", str(vault))
    by_title = {}
    for entry in bibtexparser.parse_file(str(refs)).entries:
        by_title[entry.key] = entry
    keys = set()
    for note in vault.iterdir():
        front = yaml.safe_load(note.read_text(encoding="utf-8").split("---\n")[1])
        keys.add(front["citekey"])
    assert keys == set(by_title)
