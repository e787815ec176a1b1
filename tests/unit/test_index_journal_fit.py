"""A saved search index fitted by the journal: after an import, only the papers it wrote.

The first `tracker list` after a `tracker import` used to compare the saved
index's key of every paper with that paper's text, reading every abstract of
the library (1.8 s at 100,000 papers). The import's journal record says which
papers it wrote (tracker/store/library_file.py: ``paper_puts_since``): the new
ones are indexed, the known ones it met again have their keys compared, and no
other text is read. Whatever the path, a search must give what a build from
scratch gives.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker.library import Library
from tracker.search import word_index
from tracker.search.index_file import INDEX_FILE
from tracker.search.lazy_postings import LazyPostings


def _results(lib: Library, query: str) -> list[tuple[str, float]]:
    return [(r.paper.id, round(r.hit.score, 9)) for r in lib.query(query)]


def _fresh(
    data_dir: Path, queries: list[str], tmp_path: Path
) -> dict[str, list[tuple[str, float]]]:
    """What a build from the texts alone finds (the saved file moved away meanwhile)."""
    path = data_dir / INDEX_FILE
    kept = tmp_path / "kept.cache"
    path.replace(kept)
    try:
        with Library.open(data_dir, readonly=True, lazy=True) as lib:
            found = {q: _results(lib, q) for q in queries}
    finally:
        (data_dir / INDEX_FILE).unlink(missing_ok=True)
        kept.replace(path)
    return found


@pytest.fixture
def every_key_compared(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times a build compared the keys of every paper (the slow path)."""
    calls: list[int] = []
    original = word_index.paper_keys

    def spy(titles: list[str], abstracts: list[str]) -> object:
        calls.append(len(titles))
        return original(titles, abstracts)

    monkeypatch.setattr(word_index, "paper_keys", spy)
    return calls


QUERIES = ["transformer", "language model", "diffusion", "attention", "zyzzogeton"]


def test_a_command_after_an_import_fits_the_saved_index_by_the_journal(
    data_dir: Path, seeds: list[Path], tmp_path: Path, every_key_compared: list[int]
) -> None:
    with Library.open(data_dir) as lib:
        lib.import_files(seeds[:1])
        assert lib.build_index()  # saved
    saved = (data_dir / INDEX_FILE).read_bytes()
    with Library.open(data_dir) as lib:  # another day's `tracker import`
        lib.import_files(seeds[1:2])
        added = len(lib)
    with Library.open(data_dir, readonly=True, lazy=True) as lib:
        assert len(lib) == added
        found = {q: _results(lib, q) for q in QUERIES}
        state = lib.index.store.load()  # type: ignore[union-attr]
        assert state is not None and not state.fits and state.candidates is not None
        assert state.candidates.papers == added > state.count
    assert every_key_compared == []  # no paper's text was read to compare keys
    assert found == _fresh(data_dir, QUERIES, tmp_path)
    assert any(found.values())
    # A few papers behind the file: a command leaves it as it is, and the next
    # command fits it by the journal again.
    assert (data_dir / INDEX_FILE).read_bytes() == saved
    with Library.open(data_dir, readonly=True, lazy=True) as lib:
        assert {q: _results(lib, q) for q in QUERIES} == found
    assert every_key_compared == []


def test_a_paper_met_again_with_a_longer_abstract_is_indexed_again(
    data_dir: Path, seeds: list[Path], tmp_path: Path, every_key_compared: list[int]
) -> None:
    with Library.open(data_dir) as lib:
        lib.import_files(seeds[:1])
        assert lib.build_index()
        known = lib.papers[3]
        assert not lib.query("zyzzogeton")
    longer = f"{known.abstract} It also names the zyzzogeton, which no other paper has."
    page = f"Daily Papers\n\nDec 24, 2030\n\n{known.title}\n\n{longer}\n"
    with Library.open(data_dir) as lib:
        lib.import_bytes(page.encode(), source="again.txt")
        assert lib.paper(known.id).abstract == longer  # the merge kept the longer one
    with Library.open(data_dir, readonly=True, lazy=True) as lib:
        state = lib.index.store.load()  # type: ignore[union-attr]
        assert state is not None and state.candidates is not None
        assert state.candidates.positions == [3]  # the one paper the import wrote
        hits = _results(lib, "zyzzogeton")
    assert [pid for pid, _ in hits] == [known.id]
    assert every_key_compared == []
    # Fitting it moved postings (the changed paper's): saved now, not fitted
    # again by every command after this one.
    with Library.open(data_dir, readonly=True, lazy=True) as lib:
        state = lib.index.store.load()  # type: ignore[union-attr]
        assert state is not None and state.fits
    assert {"zyzzogeton": hits} == _fresh(data_dir, ["zyzzogeton"], tmp_path)


def test_a_damaged_file_found_after_a_journal_fit_is_written_anew(
    data_dir: Path, seeds: list[Path], tmp_path: Path
) -> None:
    """A posting the query reads is damaged: the command builds the index from the
    texts and saves it over the damaged file, few papers behind or not."""
    with Library.open(data_dir) as lib:
        lib.import_files(seeds[:1])
        assert lib.build_index()
    page = "Daily Papers\n\nDec 24, 2030\n\nA quokkaword paper\n\nQuokkaword sequence text.\n"
    with Library.open(data_dir) as lib:
        lib.import_bytes(page.encode(), source="new.txt")
    path = data_dir / INDEX_FILE
    with Library.open(data_dir, readonly=True, lazy=True) as lib:
        state = lib.index.store.load()  # type: ignore[union-attr]
        assert state is not None and state.candidates is not None and state.lookups is not None
        postings = state.abstract_postings
        assert isinstance(postings, LazyPostings)
        at = postings._source.base + 4 * postings._offsets[state.lookups.ids["sequence"]]
    data = bytearray(path.read_bytes())
    data[at] ^= 0x01
    path.write_bytes(bytes(data))
    queries = ["sequence", "quokkaword", "language model"]
    with Library.open(data_dir, readonly=True, lazy=True) as lib:
        found = {q: _results(lib, q) for q in queries}
    assert path.read_bytes() != bytes(data)  # written anew
    with Library.open(data_dir, readonly=True, lazy=True) as lib:
        state = lib.index.store.load()  # type: ignore[union-attr]
        assert state is not None and state.fits
        assert {q: _results(lib, q) for q in queries} == found
    assert found == _fresh(data_dir, queries, tmp_path)


def test_after_papers_are_removed_every_key_is_compared(
    data_dir: Path, seeds: list[Path], tmp_path: Path, every_key_compared: list[int]
) -> None:
    with Library.open(data_dir) as lib:
        lib.import_files(seeds)
        assert lib.build_index()
        state_then = lib.store.library_state()
        digest = lib.digests[0].id
    with Library.open(data_dir) as lib:
        lib.forget_digest(digest)  # removes the papers no other digest lists
        assert state_then is not None
        assert lib.store.paper_puts_since(state_then) is None  # the journal cannot tell
    with Library.open(data_dir, readonly=True, lazy=True) as lib:
        found = {q: _results(lib, q) for q in QUERIES}
    assert every_key_compared  # fitted by the keys, as before
    assert found == _fresh(data_dir, QUERIES, tmp_path)


def test_what_the_journal_says_of_a_state(data_dir: Path, seeds: list[Path]) -> None:
    with Library.open(data_dir) as lib:
        lib.import_files(seeds[:1])
        store = lib.store
        before = store.library_state()
        assert before is not None
        assert store.paper_puts_since(before) == []
        lib.import_files(seeds[1:2])
        now = store.library_state()
        assert now is not None and now != before
        written = store.paper_puts_since(before)
        assert written is not None and written
        assert all(lib.paper(pid) is not None for pid in written)
        assert store.paper_puts_since(now) == []
        base, seq, crc = before.split(":")
        assert store.paper_puts_since(f"{base}:{seq}:{int(crc) ^ 1}") is None  # another record
        assert store.paper_puts_since(f"{'0' * 16}:{seq}:{crc}") is None  # another base
        assert store.paper_puts_since(f"{base}:{int(now.split(':')[1]) + 1}:0") is None
        assert store.paper_puts_since("not a state") is None
        # A compaction folds the records into a new base: the old state is gone.
        assert store.compact(force=True)
        assert store.paper_puts_since(before) is None
        assert store.paper_puts_since(store.library_state() or "") == []


def test_a_new_base_has_the_name_another_process_gives_it(
    data_dir: Path, seeds: list[Path]
) -> None:
    # The process that wrote a new base (a compaction, a bulk import) named its
    # state with the CRC of the record before it; a process opening the files
    # afterwards names the same state with none. The index file saved by the
    # first then never fitted the next command by its name: every key compared.
    with Library.open(data_dir) as lib:
        lib.import_files(seeds[:1])
        lib.import_files(seeds[1:2])
        store = lib.store
        assert store.compact(force=True)
        written = store.library_state()
        assert written is not None
        with Library.open(data_dir, readonly=True, lazy=True) as other:
            assert other.store.library_state() == written
