"""A large text page or JSON list is read and parsed in pieces (issue 17 point 13).

Attack repeated, smaller: a 200 MB digest of 265,000 papers peaked at 1.2 GB
while it was imported, the whole file, its text and the parser's lines at
once (a 221 MB Daily Papers JSON list: 1.31 GB). Here a text page of 16 MB
is imported with pieces of 256 KB, and a JSON list of 13 MB an item at a
time: each must store exactly what a whole read stores, and its import (its
new papers kept on disk until the write, tracker/store/spilled_rows.py) must
peak at well under half the whole read's (both measured in child
processes). The 200 MB figures come from ``python -m benchmarks.import_memory``
(benchmarks/README.md).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.import_memory import write_json, write_page
from tracker import sources
from tracker.library import Library, page_pieces
from tracker.library.page_hash import page_hashes

SEEDS = sorted((Path(__file__).parent.parent.parent / "seeds").glob("*.txt"))

# The peak of the child's own memory: VmHWM starts anew at exec (ru_maxrss would
# start from the peak of the process that forked it, pytest's).
_PEAK = "print([l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')][0])"
_CHILD = f"""
import sys
from tracker.library import page_pieces
page_pieces.STREAM_MIN_BYTES = int(sys.argv[1])
page_pieces.PIECE_BYTES = 256 * 1024
from tracker.cli import main
code = main(["import", *sys.argv[2:]])
{_PEAK}
sys.exit(code)
"""


@pytest.fixture(scope="module")
def json_list(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("json") / "big.json"
    write_json(path, 12_000)  # ~13 MB
    return path


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("page") / "big.txt"
    write_page(path, 20_000)  # ~16 MB
    return path


def test_a_page_read_in_pieces_is_the_page_read_whole(
    page: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(page_pieces, "STREAM_MIN_BYTES", 0)
    for path in [*SEEDS, page]:
        data = path.read_bytes()
        whole = sources.parse_bytes(data, path.name, "auto").digest
        streamed = page_pieces.read_in_pieces(path, path.name, "auto", piece_bytes=4096)
        assert streamed is not None, path
        assert streamed.hashes == page_hashes(data)
        assert streamed.parsed.digest.sections == whole.sections, path
        assert streamed.parsed.digest.warnings == whole.warnings, path


def test_a_page_that_is_more_than_papers_is_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A table in the middle: a parser reads it with the page around it, so such
    # a page is never cut into pieces.
    monkeypatch.setattr(page_pieces, "STREAM_MIN_BYTES", 0)
    text = SEEDS[0].read_text(encoding="utf-8")
    blocks = text.split("\n\n")
    blocks.insert(len(blocks) // 2, "| a | table |\n|---|---|\n| 1 | 2 |")
    odd = tmp_path / "odd.txt"
    odd.write_text("\n\n".join(blocks), encoding="utf-8")
    assert page_pieces.read_in_pieces(odd, odd.name, "auto", piece_bytes=4096) is None


def _import_peak_kb(page: Path, tmp_path: Path, stream_min: int, *options: str) -> tuple[int, str]:
    data = tmp_path / f"data-{stream_min}"
    run = subprocess.run(
        [sys.executable, "-c", _CHILD, str(stream_min), str(page), *options],
        env={**os.environ, "TRACKER_DATA_DIR": str(data)},
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    lines = run.stdout.strip().splitlines()
    return int(lines[-1]), lines[-2]


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc/self/status")
def test_a_large_page_imports_in_pieces_in_less_memory(page: Path, tmp_path: Path) -> None:
    pieces_kb, pieces_said = _import_peak_kb(page, tmp_path, 0)
    whole_kb, whole_said = _import_peak_kb(page, tmp_path, 1 << 62)
    assert pieces_said == whole_said == "library: 20000 papers in 1 digest"
    base = _baseline_kb(tmp_path)
    # What each import adds to a process that imports nothing (measured: 0.39; 0.65
    # when the pieces' new papers were held in memory until the write, not spilled).
    grown = (pieces_kb - base) / (whole_kb - base)
    assert grown < 0.5, (pieces_kb, whole_kb, base)
    _assert_same_libraries(tmp_path)


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc/self/status")
def test_a_large_json_list_imports_an_item_at_a_time_in_less_memory(
    json_list: Path, tmp_path: Path
) -> None:
    streamed_kb, streamed_said = _import_peak_kb(json_list, tmp_path, 0)
    whole_kb, whole_said = _import_peak_kb(json_list, tmp_path, 1 << 62)
    assert streamed_said == whole_said == "library: 12000 papers in 30 digests"
    base = _baseline_kb(tmp_path)
    # Measured: 0.25; 1.03 when JSON was read whole either way.
    grown = (streamed_kb - base) / (whole_kb - base)
    assert grown < 0.5, (streamed_kb, whole_kb, base)
    _assert_same_libraries(tmp_path)


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc/self/status")
@pytest.mark.parametrize("kind", ["page", "json_list"])
def test_a_dry_run_of_a_large_file_takes_no_more_memory_than_its_import(
    kind: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """The preview (``--dry-run``, the app's import dialog) plans as the import does.

    It held every new paper in memory: a 212 MB page previewed at 460 MB, a
    221 MB JSON list at 428 MB (their imports: 234 and 165 MB). Here, what each
    adds to a process that imports nothing, preview against import, was 1.46
    (page) and 0.85 (JSON) with the papers in memory; 0.69 and 0.34 with them
    in a temporary file.
    """
    path: Path = request.getfixturevalue(kind)
    preview_kb, said = _import_peak_kb(path, tmp_path / "preview", 0, "--dry-run")
    import_kb, _ = _import_peak_kb(path, tmp_path / "import", 0)
    assert "nothing was written (dry run)" in said
    base = _baseline_kb(tmp_path)
    assert preview_kb - base < import_kb - base, (preview_kb, import_kb, base)


def _assert_same_libraries(tmp_path: Path) -> None:
    with (
        Library.open(tmp_path / "data-0", readonly=True) as a,
        Library.open(tmp_path / f"data-{1 << 62}", readonly=True) as b,
    ):
        assert [p.to_dict() for p in a.papers] == [p.to_dict() for p in b.papers]
        assert [(d.label, d.sha256, d.paper_ids) for d in a.digests] == [
            (d.label, d.sha256, d.paper_ids) for d in b.digests
        ]


def _baseline_kb(tmp_path: Path) -> int:
    """The peak of a child that imports nothing (Python and paper-tracker loaded)."""
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import tracker.cli, tracker.library.importing, tracker.sources\n{_PEAK}",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return int(run.stdout.strip())
