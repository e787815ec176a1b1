"""Papers' ids and positions found in the catalog's bytes (tracker/store/paper_ids.py).

They must behave exactly as the list of ids and the dict of positions they
replace, and a command that imports one digest must not make either whole.
"""

from __future__ import annotations

import itertools
from array import array
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.library import Library
from tracker.store.catalog import CATALOG_FILE, Catalog, load_catalog, scan_base
from tracker.store.lazy_rows import LazyRows
from tracker.store.paper_ids import BaseIds, PaperIds, PaperPositions

_IDS = st.lists(st.text("0123456789abcdef", min_size=12, max_size=12), unique=True, max_size=60)


def _base(ids: list[str]) -> BaseIds:
    catalog = Catalog.of_ids(ids, array("Q"), array("I"), 0, None, array("I", [0]), b"")
    assert catalog is not None
    return catalog.base_ids()


@given(_IDS, st.lists(st.text("0123456789abcdef", min_size=12, max_size=12), max_size=20))
def test_every_id_is_found_at_its_position_and_no_other(ids: list[str], others: list[str]) -> None:
    base = _base(ids)
    assert len(base) == len(ids) and base.all() == ids
    for position, pid in enumerate(ids):
        assert base.find(pid) == position and base.at(position) == pid
    for pid in [*others, "", "short", "é" * 12, "0" * 13]:
        if pid not in ids:
            assert base.find(pid) is None


def test_an_id_listed_twice_makes_no_catalog() -> None:
    ids = ["a" * 12, "b" * 12, "a" * 12]
    assert Catalog.of_ids(ids, array("Q"), array("I"), 0, None, array("I", [0]), b"") is None


_OPS = st.lists(
    st.tuples(
        st.sampled_from(["set", "get", "in", "del", "update", "iter", "len"]),
        st.integers(0, 80),
        st.integers(0, 500),
    ),
    max_size=40,
)


@settings(max_examples=200)
@given(_IDS, _OPS)
def test_positions_behave_as_the_dict_they_stand_for(
    ids: list[str], ops: list[tuple[str, int, int]]
) -> None:
    pool = [*ids, *(f"{n:012x}" for n in range(20))]
    base = _base(ids)
    positions = PaperPositions(base, {})
    expected = dict(zip(ids, itertools.count()))
    for op, which, value in ops:
        pid = pool[which % len(pool)]
        if op == "set":
            positions[pid] = value
            expected[pid] = value
        elif op == "get":
            assert positions.get(pid) == expected.get(pid)
        elif op == "in":
            assert (pid in positions) == (pid in expected)
        elif op == "del" and pid in expected:
            del positions[pid]
            del expected[pid]
        elif op == "update":
            positions.update([(pid, value)])
            expected.update([(pid, value)])
        elif op == "iter":
            assert list(positions) == list(expected)
        elif op == "len":
            assert len(positions) == len(expected)
    assert dict(positions.items()) == expected and list(positions.keys()) == list(expected)


@settings(max_examples=200)
@given(
    _IDS,
    st.lists(
        st.tuples(st.sampled_from(["append", "set", "get", "index"]), st.integers(0, 99)),
        max_size=30,
    ),
)
def test_ids_behave_as_the_list_they_stand_for(ids: list[str], ops: list[tuple[str, int]]) -> None:
    lazy = PaperIds(_base(ids))
    expected = list(ids)
    for op, n in ops:
        if op == "append":
            pid = f"{n + 1000:012x}"
            if pid not in expected:
                lazy.append(pid)
                expected.append(pid)
        elif not expected:
            continue
        elif op == "set":  # a paper replaced by its new version, or (rarely) another id
            at = n % len(expected)
            pid = expected[at] if n % 3 else f"{n + 5000:012x}"
            if pid == expected[at] or pid not in expected:
                lazy[at] = pid
                expected[at] = pid
        elif op == "get":
            at = n % len(expected)
            assert lazy[at] == expected[at] and lazy[-1 - at] == expected[-1 - at]
        else:
            pid = expected[n % len(expected)]
            assert lazy.index(pid) == expected.index(pid) and pid in lazy
    assert len(lazy) == len(expected) and list(lazy) == expected
    assert dict(lazy.positions()) == dict(zip(expected, itertools.count()))


def _digest(path: Path, day: str, numbers: range) -> Path:
    blocks = "".join(
        f"Positions Found In The Catalog Paper {n}\n\nWe study case {n} of finding papers.\n\n"
        for n in numbers
    )
    path.write_text(f"Daily Papers\n\n{day}\n\n{blocks}", encoding="utf-8")
    return path


def test_a_digest_imported_by_a_command_makes_no_dict_of_every_paper(tmp_path: Path) -> None:
    """The laziness an import relies on (issue 14): positions found, never all made."""
    data = tmp_path / "data"
    first = _digest(tmp_path / "a.txt", "Jan 1, 2030", range(300))
    second = _digest(tmp_path / "b.txt", "Jan 2, 2030", range(290, 340))
    with Library.open(data) as lib:
        lib.import_file(first)
        lib.store.compact(force=True)  # the 300 papers in a base with its catalog
    catalog = load_catalog(data / "library.json", (data / "library.json").stat())
    assert catalog is not None and catalog.ids == scan_base(data / "library.json").ids  # type: ignore[union-attr]
    with Library.open(data, lazy=True) as lib:
        report = lib.import_file(second)
        assert (report.new, report.known) == (40, 10)
        positions = lib._pos
        assert isinstance(positions, PaperPositions) and positions._dict is None
        assert isinstance(lib.papers, LazyRows) and isinstance(lib.papers.ids, PaperIds)
        assert lib.papers.ids._list is None
        assert len(lib) == 340 and lib.paper(lib.papers.ids[299]).title.endswith("Paper 299")
    with Library.open(data) as whole:
        assert [p.id for p in whole.papers] == list(Library.open(data, lazy=True).papers.ids)


def test_a_damaged_order_makes_the_catalog_be_made_again(tmp_path: Path) -> None:
    """A wrong order would not find a paper the library has: an import would add it again."""
    data = tmp_path / "data"
    with Library.open(data) as lib:
        lib.import_file(_digest(tmp_path / "a.txt", "Jan 1, 2030", range(20)))
        lib.store.compact(force=True)
    path = data / CATALOG_FILE
    saved = path.read_bytes()
    at = 72 + 20 * (12 + 8 + 4)  # the order's first entry, after the header and three parts
    assert load_catalog(data / "library.json", (data / "library.json").stat()) is not None
    first, second = saved[at : at + 4], saved[at + 4 : at + 8]
    path.write_bytes(saved[:at] + second + first + saved[at + 8 :])  # two entries swapped
    assert load_catalog(data / "library.json", (data / "library.json").stat()) is None
    with Library.open(data, lazy=True) as lib:  # made again by a scan, and saved
        assert len(lib) == 20 and all(lib.has_paper(pid) for pid in lib.papers.ids)
    assert load_catalog(data / "library.json", (data / "library.json").stat()) is not None
