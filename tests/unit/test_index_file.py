"""The saved word index: same results as a fresh build, and never used when it does not fit."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from test_search_quality import load_seed_papers

from tracker.library import Library
from tracker.search import HitList, IndexState, NoFacets, SearchIndex, index_file
from tracker.search.index_file import INDEX_FILE, IndexFile
from tracker.search.related import related
from tracker.search.word_index import WordIndex

PAPERS = list(load_seed_papers().items())
QUERIES = [
    "transformer",
    "trasnformer",
    "attention is all",
    "lang mod",
    "a",
    "gr",
    "neural -network",
    '"language model"',
    '-"neural"',
    "pointer netwroks",
    "reinforcement learning robot",
    "zzzzunknownword",
    "copy spec",  # names: the saved index knows which title words are a paper's name
    "lasp",
    "mr t5 byte",
]


def _results(index: SearchIndex) -> object:
    """Everything a person can see of an index: hits with spans, and related papers."""
    hits = {
        q: [(h.pos, h.score, h.title_spans, h.abstract_only) for h in index.search(q, NoFacets())]
        for q in QUERIES
    }
    return hits, [related(index, pos) for pos in range(len(index))]


class Spy(IndexFile):
    """An IndexFile that tells whether its load found a usable index."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.loaded: list[int | None] = []
        self.saved = 0

    def load(self) -> IndexState | None:
        state = super().load()
        self.loaded.append(None if state is None else state.count)
        return state

    def save(self, state: IndexState, still_valid: Callable[[], bool]) -> None:
        self.saved += 1
        super().save(state, still_valid)


@pytest.fixture
def indexed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The positions whose words get indexed (from their texts) from here on."""
    seen: list[int] = []
    original = WordIndex._index_title
    original_run = WordIndex._append_titles

    def counting(self: WordIndex, pos: int, *, append: bool) -> None:
        seen.append(pos)
        original(self, pos, append=append)

    def counting_run(self: WordIndex, start: int, stop: int) -> None:
        seen.extend(range(start, stop))
        original_run(self, start, stop)

    monkeypatch.setattr(WordIndex, "_index_title", counting)
    monkeypatch.setattr(WordIndex, "_append_titles", counting_run)
    return seen


def _index(papers: list[tuple[str, str]], path: Path | None) -> tuple[SearchIndex, Spy | None]:
    index = SearchIndex()
    spy = None if path is None else Spy(path)
    index.store = spy
    for title, abstract in papers:
        index.add(title, abstract)
    assert index.build()
    return index, spy


@pytest.fixture(scope="module")
def fresh() -> object:
    """What a build without any saved index finds."""
    return _results(_index(PAPERS, None)[0])


def test_a_saved_index_loads_with_identical_results(tmp_path: Path, fresh: object) -> None:
    path = tmp_path / INDEX_FILE
    first, spy = _index(PAPERS, path)
    assert spy is not None and spy.loaded == [None] and path.exists()
    assert _results(first) == fresh
    again, spy = _index(PAPERS, path)
    assert spy is not None and spy.loaded == [len(PAPERS)]
    assert spy.saved == 0  # nothing new was indexed: nothing to write
    assert again.is_built
    assert _results(again) == fresh


def test_papers_added_since_are_indexed_on_top(tmp_path: Path, fresh: object) -> None:
    path = tmp_path / INDEX_FILE
    half = len(PAPERS) // 2
    _index(PAPERS[:half], path)
    index, spy = _index(PAPERS, path)
    assert spy is not None and spy.loaded == [half]
    assert _results(index) == fresh
    # ... and the result is saved for the next start.
    _, spy = _index(PAPERS, path)
    assert spy is not None and spy.loaded == [len(PAPERS)]


def test_papers_added_after_loading_are_indexed(tmp_path: Path, fresh: object) -> None:
    path = tmp_path / INDEX_FILE
    half = len(PAPERS) // 2
    _index(PAPERS[:half], path)
    index, _ = _index(PAPERS[:half], path)
    for title, abstract in PAPERS[half:]:
        index.add(title, abstract)
    assert index.build()
    assert _results(index) == fresh


def _changed_abstract(papers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    out = list(papers)
    title, abstract = out[3]
    out[3] = (title, abstract + " Merged from a longer copy.")
    return out


def _changed_title(papers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    out = list(papers)
    title, abstract = out[-1]
    out[-1] = (title + "!", abstract)
    return out


def _moved_text(papers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    # The same titles joined together, cut in another place.
    out = list(papers)
    (first, abstract), (second, other) = out[:2]
    out[:2] = [(first[:-1], abstract), (first[-1] + second, other)]
    return out


@pytest.mark.parametrize(
    ("change", "again"),
    [
        (_changed_abstract, [3]),
        (_changed_title, [len(PAPERS) - 1]),
        (_moved_text, [0, 1]),
        (lambda papers: papers[1:] + papers[:1], [len(PAPERS) - 1]),  # the first moved last
        (lambda papers: papers[: len(papers) // 2], []),  # fewer papers than were indexed
        (lambda papers: papers[:1] + papers[2:], []),  # one removed
        (lambda papers: [*papers[:5], ("A new one", "Put in between."), *papers[5:]], [5]),
    ],
)
def test_an_index_made_for_other_texts_is_fitted_to_them(
    tmp_path: Path,
    change: Callable[[list[tuple[str, str]]], list[tuple[str, str]]],
    again: list[int],
    indexed: list[int],
) -> None:
    """Only the papers whose text is not the one indexed are indexed again."""
    path = tmp_path / INDEX_FILE
    _index(PAPERS, path)
    papers = change(PAPERS)
    indexed.clear()
    index, spy = _index(papers, path)
    assert spy is not None and spy.loaded == [len(PAPERS)]
    assert indexed == again
    assert _results(index) == _results(_index(papers, None)[0])
    # The fitted index replaced the file: the next start has nothing to index.
    indexed.clear()
    _, spy = _index(papers, path)
    assert spy is not None and spy.loaded == [len(papers)] and spy.saved == 0
    assert indexed == []


@pytest.mark.parametrize(
    "change",
    [
        lambda papers: papers[::-1],  # reordered
        lambda papers: [(a[:40], t) for t, a in papers],  # another library altogether
    ],
)
def test_an_index_that_fits_few_papers_is_built_anew(
    tmp_path: Path,
    change: Callable[[list[tuple[str, str]]], list[tuple[str, str]]],
    indexed: list[int],
) -> None:
    path = tmp_path / INDEX_FILE
    _index(PAPERS, path)
    papers = change(PAPERS)
    indexed.clear()
    index, _ = _index(papers, path)
    assert sorted(indexed) == list(range(len(papers)))
    assert _results(index) == _results(_index(papers, None)[0])


def test_an_index_made_by_other_code_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / INDEX_FILE
    _index(PAPERS, path)
    monkeypatch.setattr(index_file, "_code_key", lambda: b"another tokenizer".ljust(20))
    _, spy = _index(PAPERS, path)
    assert spy is not None and spy.loaded == [None]


def test_the_fingerprint_covers_every_module_the_index_code_uses() -> None:
    """Every tracker module loaded by the search code is in the fingerprint, wherever it moved."""
    code = (
        "import sys, tracker.search, tracker.search.index_file, tracker.library\n"
        "print('\\n'.join(m.__file__ for n, m in sys.modules.items() if n.startswith('tracker')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    used = {Path(name) for name in out.stdout.split()}
    covered = set(index_file.code_files())
    assert used - covered == set()
    package = Path(index_file.__file__).parent.parent
    names = {p.relative_to(package).as_posix() for p in covered}
    assert {"search/words.py", "search/word_index.py", "models.py", "store/store.py"} <= names
    assert not [n for n in names if n.startswith("app/")]


def test_without_the_source_there_is_no_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh: object
) -> None:
    monkeypatch.setattr(index_file, "_code_key", lambda: None)
    path = tmp_path / INDEX_FILE
    index, _ = _index(PAPERS, path)
    assert not path.exists()
    assert _results(index) == fresh


def _damages(data: bytes) -> dict[str, bytes]:
    middle = len(data) // 2
    return {
        "empty": b"",
        "garbage": os.urandom(len(data)),
        "header only": data[:100],
        "truncated": data[:-1],
        "one byte more": data + b"\0",
        "cut in the middle": data[:middle],
        "flipped byte": data[:middle] + bytes([data[middle] ^ 0x40]) + data[middle + 1 :],
        "flipped last byte": data[:-1] + bytes([data[-1] ^ 1]),
        "flipped posting": data[:-8] + bytes([data[-8] ^ 1]) + data[-7:],
        "other magic": b"X" + data[1:],
        "other version": data[:8] + (99).to_bytes(4, "little") + data[12:],
    }


@pytest.mark.parametrize("damage", list(_damages(b"x" * 200)))
def test_a_damaged_file_is_ignored_and_rewritten(
    tmp_path: Path, damage: str, fresh: object
) -> None:
    path = tmp_path / INDEX_FILE
    _index(PAPERS, path)
    path.write_bytes(_damages(path.read_bytes())[damage])
    index, spy = _index(PAPERS, path)
    assert spy is not None and spy.loaded == [None]
    assert _results(index) == fresh
    _, spy = _index(PAPERS, path)
    assert spy is not None and spy.loaded == [len(PAPERS)]


def test_a_directory_in_place_of_the_file_is_ignored(tmp_path: Path, fresh: object) -> None:
    path = tmp_path / INDEX_FILE
    path.mkdir()
    index, spy = _index(PAPERS, path)
    assert spy is not None and spy.loaded == [None]
    assert _results(index) == fresh
    assert path.is_dir()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_an_unwritable_location_is_ignored(tmp_path: Path, fresh: object) -> None:
    path = tmp_path / "no such directory" / INDEX_FILE
    index, _ = _index(PAPERS, path)
    assert _results(index) == fresh
    assert not path.parent.exists()


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh: object
) -> None:
    path = tmp_path / INDEX_FILE
    half = len(PAPERS) // 2
    _index(PAPERS[:half], path)
    before = path.read_bytes()

    def disk_full(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(index_file, "_write", disk_full)
    index, spy = _index(PAPERS, path)
    assert spy is not None and spy.loaded == [half] and spy.saved == 1
    assert _results(index) == fresh
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [INDEX_FILE]


def test_an_index_changed_by_update_is_saved_as_it_is(tmp_path: Path, indexed: list[int]) -> None:
    path = tmp_path / INDEX_FILE
    index, _ = _index(PAPERS[:-1], path)
    papers = list(PAPERS)
    papers[0] = ("A new title", "A new abstract")
    index.update(0, *papers[0])
    index.add(*PAPERS[-1])
    assert index.build()
    indexed.clear()
    again, spy = _index(papers, path)
    assert spy is not None and spy.loaded == [len(papers)] and indexed == []
    assert _results(again) == _results(_index(papers, None)[0])


def test_a_save_is_dropped_when_the_index_changes_meanwhile(tmp_path: Path) -> None:
    path = tmp_path / INDEX_FILE
    index, _ = _index(PAPERS, path)
    state = index._state()
    IndexFile(path).save(state, lambda: False)
    path.unlink()
    IndexFile(path).save(state, lambda: False)
    assert not path.exists()
    assert not list(tmp_path.iterdir())


def test_papers_indexed_while_a_save_writes_are_left_out_of_it(tmp_path: Path) -> None:
    """The save runs after the build let go of searches: another build may add meanwhile."""
    path = tmp_path / INDEX_FILE
    half = len(PAPERS) // 2
    index, _ = _index(PAPERS[:half], None)
    state = index._state()
    for title, abstract in PAPERS[half:]:
        index.add(title, abstract)
    assert index.build()  # appends to the very arrays the state holds
    IndexFile(path).save(state, lambda: True)
    loaded = IndexFile(path).load()
    assert loaded is not None and loaded.count == half
    again, spy = _index(PAPERS, path)
    assert spy is not None and spy.loaded == [half]
    assert _results(again) == _results(_index(PAPERS, None)[0])


def test_leftovers_of_killed_writers_are_removed(tmp_path: Path) -> None:
    old = tmp_path / f".{INDEX_FILE}.dead.tmp"
    young = tmp_path / f".{INDEX_FILE}.busy.tmp"
    for leftover in (old, young):
        leftover.write_bytes(b"half an index")
    an_hour_ago = time.time() - 3600
    os.utime(old, (an_hour_ago, an_hour_ago))
    _index(PAPERS, tmp_path / INDEX_FILE)
    assert not old.exists()
    assert young.exists()  # may be another process's save under way


def test_texts_with_lone_surrogates_and_accents(tmp_path: Path) -> None:
    papers = [
        ("Schrödinger bridges \ud800 revisited", "Café culture; naïve\udfff models"),
        ("A second paper", "With an abstract\nover two lines"),
    ]
    path = tmp_path / INDEX_FILE
    first, _ = _index(papers, path)
    again, spy = _index(papers, path)
    assert spy is not None and spy.loaded == [2]
    for q in ("schrodinger", "cafe", "naive", "second"):
        assert again.search(q, NoFacets()) == first.search(q, NoFacets())


def test_an_empty_index_writes_nothing(tmp_path: Path) -> None:
    index, _ = _index([], tmp_path / INDEX_FILE)
    assert index.search("anything", NoFacets()) == []
    assert not list(tmp_path.iterdir())


def test_a_search_during_the_load_waits_for_it(tmp_path: Path, fresh: object) -> None:
    path = tmp_path / INDEX_FILE
    _index(PAPERS, path)
    index = SearchIndex()
    loading = threading.Event()
    release = threading.Event()

    class Slow(IndexFile):
        def load(self) -> IndexState | None:
            loading.set()
            release.wait(10)
            return super().load()

    index.store = Slow(path)
    for title, abstract in PAPERS:
        index.add(title, abstract)
    builder = threading.Thread(target=index.build)
    builder.start()
    assert loading.wait(10)
    assert not index.is_built
    found: list[object] = []
    searcher = threading.Thread(target=lambda: found.append(_results(index)))
    searcher.start()
    release.set()
    builder.join(10)
    searcher.join(30)
    assert found == [fresh]


# ------------------------------------------------------------------ the library


def test_the_library_keeps_its_index_next_to_library_json(
    data_dir: Path, seeds: list[Path], tmp_path: Path
) -> None:
    with Library.open(data_dir) as lib:
        lib.import_files([seeds[0]])
        assert lib.build_index()
        expected = [r.paper.id for r in lib.query("transformer")]
    assert (data_dir / INDEX_FILE).exists()
    # Read-only opens (the CLI's reading commands) use it too.
    with Library.open(data_dir, readonly=True) as lib:
        assert isinstance(lib.index.store, IndexFile)
        spy = Spy(lib.index.store.path)
        lib.index.store = spy
        assert [r.paper.id for r in lib.query("transformer")] == expected
        assert spy.loaded == [len(lib)]
    # An import appends papers: the next build indexes only those.
    with Library.open(data_dir) as lib:
        lib.import_files([seeds[1]])
        spy = Spy(data_dir / INDEX_FILE)
        lib.index.store = spy
        assert lib.build_index()
        assert spy.loaded and spy.loaded[0] is not None and 0 < spy.loaded[0] < len(lib)
        expected = [r.paper.id for r in lib.query("transformer")]
        related_ids = [p.id for p in lib.related(lib.papers[0].id) or []]
    # A copy without the saved index finds the same.
    copy = tmp_path / "copy"
    shutil.copytree(data_dir, copy, ignore=shutil.ignore_patterns(INDEX_FILE, "tracker.lock*"))
    with Library.open(copy, readonly=True) as lib:
        assert [r.paper.id for r in lib.query("transformer")] == expected
        lib.build_index()
        assert [p.id for p in lib.related(lib.papers[0].id) or []] == related_ids


def test_the_file_is_as_readable_as_the_library(tmp_path: Path) -> None:
    path = tmp_path / INDEX_FILE
    _index(PAPERS[:3], path)
    reference = tmp_path / "library.json"
    reference.write_text("{}")  # created like library.json: 0o644 less the umask
    assert path.stat().st_mode & 0o777 == reference.stat().st_mode & 0o777


def test_an_updated_title_is_scored_by_its_new_words() -> None:
    papers = list(PAPERS[:30])
    index, _ = _index(papers, None)
    papers[3] = ("Sentinel mixture of pointer models", papers[3][1])
    index.update(3, *papers[3])
    fresh, _ = _index(papers, None)
    for query in ("sentinel mixture", "pointer models", "mixture"):
        got = [(h.pos, h.score, h.title_spans) for h in index.search(query, NoFacets())]
        assert got == [(h.pos, h.score, h.title_spans) for h in fresh.search(query, NoFacets())]
        assert 3 in [pos for pos, _, _ in got]


def test_a_text_changed_while_the_index_loads_is_indexed_new(tmp_path: Path) -> None:
    """The app imports on its main thread while a worker loads the saved index."""
    path = tmp_path / INDEX_FILE
    _index(PAPERS, path)
    loading = threading.Event()
    release = threading.Event()

    class Slow(IndexFile):
        def load(self) -> IndexState | None:
            state = super().load()  # made from the old texts
            loading.set()
            release.wait(10)
            return state

    index = SearchIndex()
    index.store = Slow(path)
    for title, abstract in PAPERS:
        index.add(title, abstract)
    builder = threading.Thread(target=index.build)
    builder.start()
    assert loading.wait(10)
    papers = list(PAPERS)
    papers[3] = (papers[3][0], "Zyxwvut merged into a longer abstract.")
    index.update(3, *papers[3])
    release.set()
    builder.join(30)
    assert index.is_built
    assert _results(index) == _results(_index(papers, None)[0])
    assert [h.pos for h in index.search("zyxwvut", NoFacets())] == [3]


def test_while_abstracts_are_indexed_a_search_answers_from_the_titles(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The app's first start without a saved index: searches answer before the build ends."""
    from tracker.search import word_index

    monkeypatch.setattr(word_index, "_BUILD_CHUNK", 16)
    index = SearchIndex()
    index.answers_while_indexing = True
    for title, abstract in PAPERS:
        index.add(title, abstract)
    halfway = threading.Event()
    resume = threading.Event()

    def cancelled() -> bool:  # called between chunks, with no lock held
        if index._indexed >= 32 and not halfway.is_set():
            halfway.set()
            resume.wait(10)
        return False

    builder = threading.Thread(target=index.build, kwargs={"cancelled": cancelled})
    builder.start()
    assert halfway.wait(10)
    assert index.titles_built and not index.is_built
    fresh, _ = _index(PAPERS, None)
    during = index.search("sequence", NoFacets())
    assert during.partial
    # Every paper with the word in its title, and those of the first abstracts.
    full = fresh.search("sequence", NoFacets())
    expected = {h.pos for h in full if not h.abstract_only or h.pos < index._indexed}
    assert {h.pos for h in during} == expected
    resume.set()
    builder.join(30)
    after = index.search("sequence", NoFacets())
    assert not after.partial
    assert [(h.pos, h.score) for h in after] == [(h.pos, h.score) for h in full]


def test_a_search_that_waits_for_the_build_is_never_partial() -> None:
    index = SearchIndex()  # answers_while_indexing False: the command line
    for title, abstract in PAPERS:
        index.add(title, abstract)
    hits = index.search("sequence", NoFacets())
    assert not hits.partial and index.is_built


def test_a_search_waiting_for_the_text_lock_goes_before_the_next_chunk(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A lock is not fair: the build took it again at once after each chunk, and the
    first start's search waited for several chunks. Now a waiting search says so, and
    the build lets it go first."""
    from tracker.search import word_index

    monkeypatch.setattr(word_index, "_BUILD_CHUNK", 4)
    index = SearchIndex()
    index.answers_while_indexing = True
    for title, abstract in PAPERS:
        index.add(title, abstract)
    index.build(titles_only=True)

    # A search that finds the lock taken (a chunk being indexed) says that it waits.
    found: list[HitList] = []
    index._text_lock.acquire()
    searcher = threading.Thread(target=lambda: found.append(index.search("sequence", NoFacets())))
    searcher.start()
    for _ in range(2000):
        if index._searches_waiting:
            break
        time.sleep(0.001)
    assert index._searches_waiting, "the search did not say that it waits"
    index._text_lock.release()
    searcher.join(10)
    assert found and found[0].partial and not index._searches_waiting

    # While a search waits, the build indexes no further chunk.
    index._searches_waiting.append(None)
    builder = threading.Thread(target=index.build)
    builder.start()
    time.sleep(0.1)
    assert index._indexed == 0, "the build went on while a search waited for the lock"
    index._searches_waiting.pop()
    builder.join(30)
    assert index.is_built
