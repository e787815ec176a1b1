"""library.heads: the app's open reads the papers' rows without their abstracts from it
(tracker/store/heads_file.py), and gives the same library as a whole read of library.json."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.digests import digest_page, numbered_titles
from tracker.library import Library
from tracker.models import Status
from tracker.store import library_base
from tracker.store.catalog import CATALOG_FILE
from tracker.store.heads_file import HEADS_FILE, without_abstract

AUTHORED = """[Paper One Has Authors](https://huggingface.co/papers/2410.01234)
Ann Author, Bob Builder
An abstract of the first paper, long enough to read as prose for the parser. It goes on.

[Paper Two Has None](https://huggingface.co/papers/2410.04321)

[Paper Three Quotes “Things”](https://huggingface.co/papers/2410.05555)
An abstract with "quotes", a back\\slash and ünïcödé, long enough to read as prose here.
"""


@pytest.fixture
def library(data_dir: Path) -> Path:
    """1,200 papers in library.json (folded; some with authors, links or no abstract),
    then a change in the journal."""
    with Library.open(data_dir) as lib:
        lib.import_bytes(digest_page(1, numbered_titles(1200)), source="a.txt")
        lib.import_bytes(("Daily Papers\n\nOct 3, 2024\n\n" + AUTHORED).encode(), source="c.md")
        lib.store.compact(force=True)
        lib.set_status([lib.papers[7].id], Status.READ)
    return data_dir


def _whole(data_dir: Path) -> list[dict[str, object]]:
    """The papers as a whole read of library.json gives them (the heads set aside)."""
    heads = data_dir / HEADS_FILE
    aside = heads.with_name("heads.aside")
    if heads.exists():
        heads.rename(aside)
    try:
        with Library.open(data_dir, readonly=True) as lib:
            return [p.to_dict() for p in lib.papers]
    finally:
        if aside.exists():
            aside.rename(heads)


def _reads_of_the_base(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many whole reads of library.json (its papers' rows streamed) open made."""
    reads: list[int] = []
    real = library_base.stream

    def counting(fh, path, *args, **kwargs):  # type: ignore[no-untyped-def]
        loaded, tables = real(fh, path, *args, **kwargs)
        reads.append(len(loaded.papers))
        return loaded, tables

    monkeypatch.setattr("tracker.store.library_file.stream", counting)
    return reads


def test_heads_written_with_a_new_base_give_the_papers_of_a_whole_read(
    library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = _whole(library)
    assert (library / HEADS_FILE).exists()  # written with the compacted base
    reads = _reads_of_the_base(monkeypatch)
    with Library.open(library) as lib:
        assert [p.to_dict() for p in lib.papers] == whole  # abstracts read from the base
        assert lib.status(lib.papers[7].id) is Status.READ  # the journal on top
        authored = next(p for p in lib.papers if p.title == "Paper One Has Authors")
        assert authored.authors == ["Ann Author", "Bob Builder"]
        bare = next(p for p in lib.papers if p.title == "Paper Two Has None")
        assert bare.abstract == ""
        quoted = next(p for p in lib.papers if p.title.startswith("Paper Three"))
        assert '"quotes", a back\\slash and ünïcödé' in quoted.abstract
    assert reads == [0]  # only the tables after the papers were streamed


def test_a_whole_read_keeps_the_heads_the_writer_would_have_written(
    library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    heads = library / HEADS_FILE
    written = heads.read_bytes()
    heads.unlink()
    reads = _reads_of_the_base(monkeypatch)
    with Library.open(library) as lib:
        assert len(lib) == 1203
    assert reads == [1203]
    assert heads.read_bytes() == written  # the rows' heads and the read's cuts: one file


def test_rows_copied_from_the_old_base_get_the_heads_a_read_would_cut(
    library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A compaction copies the base's rows as they are (and adds the journal's)."""
    with Library.open(library) as lib:
        lib.import_bytes(digest_page(5, numbered_titles(30, start=5000)), source="d.txt")
        lib.store.compact(force=True)
    heads = library / HEADS_FILE
    written = heads.read_bytes()
    heads.unlink()
    Library.open(library).close()  # a whole read, which keeps them
    assert heads.read_bytes() == written


def test_damaged_heads_are_read_past_and_made_again(
    library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = _whole(library)
    heads = library / HEADS_FILE
    data = bytearray(heads.read_bytes())
    data[len(data) // 2] ^= 0x20  # one character of a title changed
    heads.write_bytes(bytes(data))
    reads = _reads_of_the_base(monkeypatch)
    with Library.open(library) as lib:
        assert [p.to_dict() for p in lib.papers] == whole
    assert reads == [len(whole)]  # the CRC did not fit: the base was read whole
    assert heads.read_bytes() != bytes(data)  # and the heads kept again


def test_heads_of_an_earlier_base_are_not_used(
    library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = (library / HEADS_FILE).read_bytes()
    with Library.open(library) as lib:
        lib.import_bytes(digest_page(5, numbered_titles(30, start=5000)), source="d.txt")
        lib.store.compact(force=True)  # a new library.json
    whole = _whole(library)
    (library / HEADS_FILE).write_bytes(old)  # as if the new ones were never written
    reads = _reads_of_the_base(monkeypatch)
    with Library.open(library) as lib:
        assert [p.to_dict() for p in lib.papers] == whole
        assert len(lib) == 1233
    assert reads == [1233]


def test_a_read_only_open_writes_no_heads(library: Path) -> None:
    (library / HEADS_FILE).unlink()
    with Library.open(library, readonly=True) as lib:
        assert len(lib) == 1203
    assert not (library / HEADS_FILE).exists()


def test_heads_are_used_only_with_a_catalog_that_fits(
    library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The catalog says where each abstract is: without it the heads are not enough."""
    whole = _whole(library)
    (library / "library.catalog").unlink()
    reads = _reads_of_the_base(monkeypatch)
    with Library.open(library) as lib:
        assert [p.to_dict() for p in lib.papers] == whole
    assert reads == [len(whole)]


def test_a_row_changed_in_place_is_not_hidden_by_the_heads(library: Path) -> None:
    """library.json edited by hand (same size, new time): the heads name the file as it was."""
    base = library / "library.json"
    text = base.read_bytes()
    edited = text.replace(b"Thing Number 11 ", b"Thing Numbre 11 ", 1)
    assert len(edited) == len(text) and edited != text
    base.write_bytes(edited)
    os.utime(base, ns=(0, 10**18))  # a time of its own, whatever the file system keeps
    with Library.open(library) as lib:
        assert any(p.title == "A Study Of Thing Numbre 11 In Depth" for p in lib.papers)


def test_a_killed_writers_temporary_heads_and_catalog_are_removed(library: Path) -> None:
    """Both are written to a temporary file and renamed: one left by a killed process goes."""
    dead = 2**22 + 12345  # above the pid range: no process has it
    left = [library / f".{name}.{dead}-0a0b0c0d0e0f.tmp" for name in (HEADS_FILE, CATALOG_FILE)]
    for path in left:
        path.write_bytes(b"half written")
    with Library.open(library) as lib:
        lib.set_status([lib.papers[0].id], Status.READ)
    assert not [p for p in left if p.exists()]


def test_a_journal_of_new_and_changed_papers_is_applied_on_top_of_the_heads(
    library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Papers imported after the base (new ones, and known ones in a new digest) and
    their notes are in the journal only: an open by the heads has them as a whole read has."""
    with Library.open(library) as lib:
        lib.import_bytes(digest_page(9, numbered_titles(40, start=1180)), source="e.txt")
        known = next(p.id for p in lib.papers if p.title.endswith("Number 1190 In Depth"))
        lib.set_note(known, "in the journal")
    whole = _whole(library)
    reads = _reads_of_the_base(monkeypatch)
    with Library.open(library) as lib:
        assert [p.to_dict() for p in lib.papers] == whole
        assert len(lib) == 1203 + 20
        assert len(lib.paper(known).digests) == 2
        assert lib.annotation(known).note == "in the journal"
    assert reads == [0]


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**53), 2**53)
    | st.text(alphabet='ab"\\,:{}é ', max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["abstract", "x", "q"]), inner, max_size=3)
    ),
    max_leaves=8,
)


@given(
    st.text(alphabet='ab"\\,:{}é ', max_size=12),
    st.text(alphabet='ab"\\,:{}é ', min_size=1, max_size=40),
    st.dictionaries(st.sampled_from(["future", "upvotes", "more"]), json_values, max_size=3),
    st.dictionaries(st.sampled_from(["later", "digests"]), json_values, min_size=1, max_size=2),
)
def test_a_rows_cut_head_is_the_row_with_an_empty_abstract(
    title: str, abstract: str, before: dict[str, object], after: dict[str, object]
) -> None:
    """Whatever other fields hold (a later version's objects with an "abstract" of their
    own, quotes, backslashes), the cut line is the row with its abstract "" or nothing."""
    row = {"id": "0123456789ab", "title": title, **before, "abstract": abstract, **after}
    line = b'"7":' + orjson.dumps(row)
    cut = without_abstract(line)
    if cut is not None:
        assert orjson.loads(b"{" + cut + b"}") == {"7": {**row, "abstract": ""}}


def test_a_later_versions_object_with_an_abstract_key_is_not_cut_into() -> None:
    """Found with a review (2026-12-04): the nested key was cut to the first '","' after it,
    taking the upvotes and another field with it; the line is now parsed whole."""
    row = {
        "id": "0123456789ab",
        "title": "T",
        "future": {"x": 1, "abstract": "NESTED"},
        "upvotes": 42,
        "future2": {"q": "w", "r": 1},
        "abstract": "The real abstract.",
        "digests": ["d1"],
    }
    assert without_abstract(b'"1":' + orjson.dumps(row)) is None


def test_a_catalog_left_unchecked_is_checked_by_a_whole_read(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A base of another layout (one line) compacted: its catalog says nothing of its rows,
    and the app read the base whole on every open. A whole read that sets nothing aside
    checks it; the next open keeps the heads, the one after uses them (review, 2026-12-04)."""
    with Library.open(data_dir) as lib:
        lib.import_bytes(digest_page(1, numbered_titles(200)), source="a.txt")
        lib.store.compact(force=True)
    base = data_dir / "library.json"
    base.write_bytes(orjson.dumps(orjson.loads(base.read_bytes())))  # one line
    for name in (HEADS_FILE, CATALOG_FILE):
        (data_dir / name).unlink()
    with Library.open(data_dir) as lib:
        lib.import_bytes(digest_page(2, numbered_titles(30, start=190)), source="b.txt")
        lib.store.compact(force=True)  # from a base whose rows no catalog vouched for
    whole = _whole(data_dir)
    reads = _reads_of_the_base(monkeypatch)
    for _ in range(3):
        with Library.open(data_dir) as lib:
            assert [p.to_dict() for p in lib.papers] == whole
    assert reads == [220, 220, 0]


def test_a_copied_data_folder_is_read_whole_once(
    library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A copy (a backup restored, a folder moved to another disk) has new inodes: no saved
    catalog or heads fits it. The app's first open makes a catalog, the second the heads;
    it read the base whole on every start before (until a command made a catalog)."""
    whole = _whole(library)
    copy = tmp_path / "copy"
    shutil.copytree(library, copy)
    reads = _reads_of_the_base(monkeypatch)
    for _ in range(3):
        with Library.open(copy) as lib:
            assert [p.to_dict() for p in lib.papers] == whole
    assert reads == [len(whole), len(whole), 0]
    other = tmp_path / "other"
    shutil.copytree(library, other)
    copied = (other / CATALOG_FILE).read_bytes()  # the original's: it does not fit the copy
    with Library.open(other, readonly=True) as lib:
        assert len(lib) == len(whole)
    assert (other / CATALOG_FILE).read_bytes() == copied  # a read-only open makes none
