"""library.json and its journal: papers read a row at a time, imports appended.

``library.json`` is the *base*: a snapshot of the papers and digests, one
JSON object laid out a row per line (see :mod:`tracker.store.row_per_line`).
Every change after it (an import, a merge, a digest removed) is appended to
``library.journal.jsonl`` as one checksummed record (see
:mod:`tracker.store.journal`), so that importing a 100-paper digest into a
100,000-paper library writes those 100 papers, not the library.

The journal holds two kinds of operations on the ``papers`` and ``digests``
tables, keyed by paper or digest id:

- ``["put", table, id, row]``: a row that is already there is updated in
  place (keys this version does not know stay, as they always have); a new
  one goes to the end;
- ``["del", table, id]``: the row goes away (a later ``put`` adds it again,
  at the end).

Reading the library streams the base into objects a row at a time and then
applies the journal; :meth:`LibraryFile.compact` folds the journal into a new
base the same way, streaming, without holding the writer lock while it
copies (see its docstring). An import too large for the journal (the first
import of a whole archive) writes a new base directly.

A write that fails keeps its operations in memory (``dirty``); the next
write, :meth:`LibraryFile.flush` or closing the store retries it, and a
re-read (:meth:`LibraryFile.load`) includes it.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, cast

import orjson

from tracker.store import migrations
from tracker.store.atomic import Replacement, atomic_write, keep_copy
from tracker.store.catalog import catalog_of, row_line_id
from tracker.store.errors import CorruptFileError, StoreError, damaged
from tracker.store.gc_pause import gc_paused
from tracker.store.journal import (
    EMPTY,
    Follower,
    Op,
    Record,
    iter_ops,
    journal_path,
    read_whole,
)
from tracker.store.lazy_rows import LazyRows
from tracker.store.regular_file import open_regular
from tracker.store.row_per_line import (
    END,
    ROW,
    TABLE,
    NotRowPerLine,
    iter_row_lines,
    iter_row_per_line,
)
from tracker.store.tables import (
    META_TABLE,
    SCHEMA_VERSIONS,
    BaseInfo,
    Tables,
    base_info,
    check_tables,
    load_tables,
    new_base_meta,
)

KIND = "library"
PAPERS = "papers"
DIGESTS = "digests"
UNDO = "undo"
"""Records that take back an import or a change of digests, by token (see tracker.library)."""
TABLES = (PAPERS, DIGESTS)
CHUNK_ROWS = 1000
"""Rows parsed per orjson call while reading (one call per row costs a third more)."""
BIG_WRITE_BYTES = 1024 * 1024
"""A write this large, and larger than half the base, becomes a new base instead of a record:
the first import of an archive writes its papers once, in the layout a read streams, instead
of into a journal that the next compaction would copy again."""
COMPACT_MIN_BYTES = 2 * 1024 * 1024
"""A journal smaller than this is never worth folding into its base..."""
COMPACT_RATIO = 0.05
"""...and a larger one is folded in once it is this share of its base's size: every command
reads the whole journal (the base only as it needs it), so the journal stays small (at
100,000 papers, some 7 MB: a few thousand imported papers between two compactions)."""

Row = dict[str, Any]
MakePaper = Callable[[Row], Any]


@dataclass(slots=True)
class Loaded:
    """The library as read: papers (made by the caller's function), digest rows, undo records."""

    papers: list[Any]
    digests: list[Row]
    undo: dict[str, Row | bytes] = field(default_factory=dict)
    """Undo records by token: a row, or its JSON until :func:`undo_record` reads it."""


def undo_record(records: dict[str, Row | bytes], token: str) -> Row | None:
    """The record of ``token`` from :attr:`Loaded.undo`, read from its JSON the first time."""
    record = records.get(token)
    if isinstance(record, bytes):
        record = records[token] = orjson.loads(record)
    return record


@dataclass(slots=True)
class LibraryEdit:
    """One change of the papers and digests, as rows; what is not given stays as it is.

    In a ``changed`` row a value of None removes that key from the stored
    row (an undo taking back a field an import filled in); other keys of the
    stored row that are not in ``changed`` stay (a newer version's fields).
    Written as one journal record (:meth:`ops`).
    """

    new: dict[str, Row] = field(default_factory=dict)
    """Papers to append, by id."""
    changed: dict[str, Row] = field(default_factory=dict)
    """Papers whose row changes, by id (merged into the stored row)."""
    removed: set[str] = field(default_factory=set)
    """Papers whose rows go."""
    inserted: dict[str, tuple[Row, str | None]] = field(default_factory=dict)
    """Papers put back: the row and the id of the paper it goes before (None: at the end)."""
    digests: list[Row] = field(default_factory=list)
    """Digest rows to append."""
    digest_table: list[Row] | None = None
    """Every digest row, in order, replacing the stored ones (None: keep them)."""
    undo: dict[str, Row | None] = field(default_factory=dict)
    """Undo records to store (a row) or drop (None), by token."""

    def __bool__(self) -> bool:
        return bool(
            self.new
            or self.changed
            or self.removed
            or self.inserted
            or self.digests
            or self.digest_table is not None
            or self.undo
        )

    def ops(self) -> list[Op]:
        """The journal operations of this edit, in an order that gives it."""
        ops: list[Op] = [["del", PAPERS, pid] for pid in sorted(self.removed)]
        # The rows themselves, not copies: a first import holds 100,000 of them.
        ops += [["put", PAPERS, pid, row] for pid, row in self.changed.items()]
        for pid, (row, anchor) in self.inserted.items():
            place = [{"before": anchor}] if anchor is not None else []
            ops.append(["put", PAPERS, pid, row, *place])
        ops += [["put", PAPERS, pid, row] for pid, row in self.new.items()]
        if self.digest_table is not None:
            ops.append(["table", DIGESTS, "", [dict(row) for row in self.digest_table]])
        ops += [["put", DIGESTS, str(row["id"]), dict(row)] for row in self.digests]
        for token, record in self.undo.items():
            ops.append(["put", UNDO, token, record] if record is not None else ["del", UNDO, token])
        return ops


@dataclass(slots=True)
class _Snapshot:
    """What a compaction folds: the base file it read and the journal records after it."""

    info: BaseInfo
    ino: int
    records: list[Record] = field(default_factory=list)


class LibraryFile:
    """library.json and library.journal.jsonl of one data directory."""

    def __init__(self, path: Path, *, readonly: bool) -> None:
        self.path = path
        self.readonly = readonly
        self.follower = Follower(journal_path(path), KIND)
        self._info = BaseInfo()
        self._base_size = 0
        self._base_ino: int | None = None
        self._pending: list[Op] = []
        self.migrated_from: int | None = None
        self._lazy_rows: LazyRows | None = None

    @property
    def dirty(self) -> bool:
        """True when a write failed and its change is only in memory."""
        return bool(self._pending)

    # -- reading -----------------------------------------------------------
    def load(self, make_paper: MakePaper) -> Loaded:
        """Every paper through ``make_paper`` in library order, and the digest rows.

        A change whose write failed is included. Raises CorruptFileError for
        a damaged or foreign file and StoreError when it cannot be read.
        """
        self.follower.open()  # before the base: see Follower
        try:
            with gc_paused():
                loaded, tables = self._read_base(make_paper)
                info = base_info(tables)
                if tables is None and self.follower.exists:
                    raise CorruptFileError(
                        f"{self.path} is missing but its journal {self.follower.path.name} "
                        "is there; the files were left as they are: `tracker doctor --restore` "
                        "puts the backup back"
                    )
                records = self.follower.start(info.seq, info.id, info.prev)
                ops = list(iter_ops(records, self.follower.path))
                apply_to_loaded(loaded, [*ops, *self._pending], make_paper)
        except BaseException:
            self.follower.close()
            raise
        self._info = info
        return loaded

    def load_lazy(self, make_paper: MakePaper) -> Loaded | None:
        """Like :meth:`load`, but each paper is read when it is used (see LazyRows).

        None when the files do not allow it (no base yet, a base of another
        layout or an older version, a journal that removes or moves papers,
        a change not written yet): then :meth:`load` reads everything.
        """
        if self._pending:
            return None
        try:
            fh = open_regular(self.path)
        except FileNotFoundError:
            return None
        except OSError as err:
            raise StoreError(f"cannot read {self.path}: {err.strerror or err}") from err
        # Opened before the base was: see Follower. The base's fd is kept by
        # the rows, so that a compaction replacing the file meanwhile changes
        # nothing for them.
        with fh:
            self.follower.open()
            fd = os.dup(fh.fileno())
        try:
            loaded = self._lazy(fd, make_paper)
        except BaseException:
            os.close(fd)
            self.follower.close()
            raise
        if loaded is None:
            os.close(fd)
            self.follower.close()
        return loaded

    def _lazy(self, fd: int, make_paper: MakePaper) -> Loaded | None:
        catalog = catalog_of(self.path, fd, save=not self.readonly)
        if catalog is None:
            return None
        st = os.fstat(fd)
        tail = os.pread(fd, st.st_size - catalog.papers_end, catalog.papers_end)
        try:
            loaded_tail, tables = _stream(io.BytesIO(b"{\n" + tail), self.path, dict)
        except NotRowPerLine:
            return None
        except orjson.JSONDecodeError as err:
            raise damaged(self.path, err) from err
        if migrations.schema_of(tables) < SCHEMA_VERSIONS[KIND]:
            return None  # the upgrade needs the whole file
        info = base_info(tables)
        records = self.follower.start(info.seq, info.id, info.prev)
        ops = list(iter_ops(records, self.follower.path))
        paper_ops = [op for op in ops if op[1] == PAPERS]
        if not _simple(paper_ops):
            return None
        ids = list(catalog.ids)
        in_base = set(ids)
        patches: dict[str, list[Row]] = {}
        rows: dict[str, Row] = {}
        for op in paper_ops:
            pid = op[2]
            if pid in in_base:
                patches.setdefault(pid, []).append(op[3])
            elif pid in rows:
                merged = {**rows[pid], **op[3]}
                rows[pid] = {k: v for k, v in merged.items() if v is not None}
            else:
                rows[pid] = _without_nones(op[3])
                ids.append(pid)
        lazy = LazyRows(
            self.path,
            fd,
            ids,
            catalog.offsets,
            catalog.lengths,
            patches,
            rows,
            make_paper,
            catalog.authors,
            catalog.author_starts,
        )
        # Used as the list of papers: it has every list operation the library uses.
        loaded = Loaded(cast(list[Any], lazy), loaded_tail.digests, loaded_tail.undo)
        apply_to_loaded(loaded, [op for op in ops if op[1] != PAPERS], make_paper)
        self._info = info
        self._base_size, self._base_ino, self.migrated_from = st.st_size, st.st_ino, None
        self._lazy_rows = lazy
        return loaded

    def _read_base(self, make_paper: MakePaper) -> tuple[Loaded, Tables | None]:
        try:
            fh = open_regular(self.path)
        except FileNotFoundError:
            self._base_size, self._base_ino, self.migrated_from = 0, None, None
            return Loaded([], []), None
        except OSError as err:
            raise StoreError(f"cannot read {self.path}: {err.strerror or err}") from err
        with fh:
            st = os.fstat(fh.fileno())
            try:
                loaded, tables = _stream(fh, self.path, make_paper)
            except NotRowPerLine:
                fh.seek(0)
                tables = _parse_whole(self.path, fh.read())
                loaded = _from_tables(tables, make_paper)
            except orjson.JSONDecodeError as err:
                raise damaged(self.path, err) from err
            except OSError as err:
                raise StoreError(f"cannot read {self.path}: {err.strerror or err}") from err
        self._base_size, self._base_ino = st.st_size, st.st_ino
        self.migrated_from = migrations.upgrade(KIND, tables)
        return loaded, tables

    def changed_on_disk(self) -> bool:
        return self.follower.changed_on_disk()

    def refresh(self) -> list[Op] | None:
        """What other processes appended since the last read; None when all must be read again."""
        records = self.follower.read_new()
        if records is None:
            return None
        return list(iter_ops(records, self.follower.path))

    # -- writing (writer lock held, refresh() done) ------------------------------
    def commit(self, ops: list[Op], at: str) -> None:
        """Append ``ops`` as one record, fsynced (or write a new base for a very large one)."""
        if self.readonly:
            raise StoreError(f"{self.path} is open read-only")
        self._pending.extend(ops)
        self.flush(at)

    def flush(self, at: str = "") -> None:
        """Write what a failed commit left in memory (writer lock held)."""
        pending = self._pending
        if not pending or self.readonly:
            return
        if self._too_big_for_the_journal(pending):
            self._rewrite(pending)
        else:
            if not self._layout_is_current():
                if self.migrated_from is not None or self.path.exists():
                    self._rewrite([])
                else:
                    self._start_empty()
            self.follower.append(pending, at)
        self._pending = []

    def _start_empty(self) -> None:
        """A new library: an empty base and a journal that will hold every change."""
        meta = new_base_meta(KIND, prev=None, seq=self.follower.last_seq or 0)
        empty = iter_row_per_line({PAPERS: {}, DIGESTS: {}, META_TABLE: {"1": meta}})
        atomic_write(self.path, empty, private=True)
        self.follower.create(meta["id"], meta["seq"], made=EMPTY)
        self._after_new_base(meta)

    def _layout_is_current(self) -> bool:
        return (
            self.follower.exists
            and self.follower.base_id is not None
            and self.migrated_from is None
            and self.path.exists()
        )

    def _too_big_for_the_journal(self, ops: list[Op]) -> bool:
        try:
            base = self.path.stat().st_size
        except FileNotFoundError:
            base = 0
        size = 0
        for op in ops:
            if op[0] == "put":
                size += 100 + len(str(op[3].get("title", ""))) + len(str(op[3].get("abstract", "")))
            if size > BIG_WRITE_BYTES and size > base // 2:
                return True
        return False

    def save_migration(self) -> None:
        """Write a base in this version's layout for an older file (writer lock held).

        The original is kept as ``library.json.v<N>.bak`` (a hard link: no
        copy of a large file) before anything is replaced; if anything fails
        the old file stays and the next writable open tries again.
        """
        old = self.migrated_from
        if old is None or self.readonly:
            return
        new = migrations.CURRENT[KIND]
        backup = self.path.with_name(f"{self.path.name}.v{old}.bak")
        try:
            if not backup.exists():
                keep_copy(self.path, backup)
            self._rewrite([], made=f"upgrade of {backup.name}")
        except (StoreError, OSError) as err:
            cause = err.__cause__ if isinstance(err.__cause__, OSError) else err
            reason = cause.strerror if isinstance(cause, OSError) and cause.strerror else cause
            raise StoreError(
                f"could not upgrade {self.path} from schema {old} to {new}: {reason}; "
                "the file was left as it is — free some space or fix the permissions and "
                "open it again (--read-only works meanwhile)"
            ) from err

    def _rewrite(self, extra: list[Op], made: str | None = None) -> None:
        """A new base from the base, its journal and ``extra``; an empty journal after it."""
        snapshot = self._snapshot()
        seq = snapshot.records[-1]["seq"] if snapshot.records else snapshot.info.seq
        seq = max(seq, self.follower.last_seq or 0)
        if extra:
            seq += 1  # others never saw these: the journal's header sends them to the new base
        ops = [*iter_ops(snapshot.records, self.follower.path), *extra]
        meta = new_base_meta(KIND, prev=snapshot.info.id, seq=seq)
        atomic_write(self.path, self._folded(ops, meta), private=True)
        self.follower.create(meta["id"], seq, made=made)
        self._after_new_base(meta)

    def _after_new_base(self, meta: dict[str, Any]) -> None:
        st = self.path.stat()
        self._base_size, self._base_ino = st.st_size, st.st_ino
        self._info = BaseInfo(meta["id"], meta["prev"], meta["seq"])
        self.migrated_from = None
        # The next command that reads a few papers finds where they are (the
        # file was just written: scanning it reads from memory).
        with contextlib.suppress(OSError, StoreError), open_regular(self.path) as fh:
            catalog_of(self.path, fh.fileno())

    def _snapshot(self) -> _Snapshot:
        """The base as it is and the journal records after it (read from the files)."""
        if self.follower.exists:
            info = BaseInfo(self.follower.base_id, None, self.follower.base_seq)
        else:
            info = self._info
        try:
            ino = self.path.stat().st_ino
        except FileNotFoundError:
            ino = 0
        found = read_whole(self.follower.path) if self.follower.exists else None
        records = [r for r in found[1].records if r["seq"] > info.seq] if found else []
        return _Snapshot(info, ino, records)

    def _folded(self, ops: list[Op], meta: dict[str, Any]) -> Iterator[bytes]:
        """The base's rows with ``ops`` applied, as a new base (streamed; see :func:`fold`)."""
        try:
            fh = open_regular(self.path)
        except FileNotFoundError:
            # No base yet (a first import): the rows as they come, no copies.
            yield from fold(io.BytesIO(b"{\n}\n"), ops, meta)
            return
        except OSError as err:
            raise StoreError(f"cannot read {self.path}: {err.strerror or err}") from err
        with fh:
            try:
                yield from fold(fh, ops, meta)
            except NotRowPerLine:
                fh.seek(0)
                tables = _parse_whole(self.path, fh.read())
                yield from iter_row_per_line(fold_tables(tables, ops, meta))

    # -- compaction --------------------------------------------------------------
    def needs_compaction(self, *, force: bool = False) -> bool:
        size = self.follower.size
        if not self._layout_is_current() or self.follower.last_seq == self.follower.base_seq:
            return False
        if force:
            return True
        return size >= COMPACT_MIN_BYTES and size >= COMPACT_RATIO * self.path.stat().st_size

    def compact(
        self, hold: Callable[[], contextlib.AbstractContextManager[Any]], *, force: bool = False
    ) -> bool:
        """Fold the journal into a new base; the writer lock only for the start and the swap.

        ``hold()`` takes the writer lock. Copying 100,000 papers takes a
        second or more, and other writers must not wait that long: so the
        base and the journal records up to some number S are read under the
        lock, the new base is written to a temporary file without it, and
        under the lock again the new base is renamed into place and the
        journal is replaced by one holding the records appended meanwhile
        (those after S). A crash at any point leaves a pair that fits: the
        old base with the old journal, or the new base (which says it holds
        the records up to S) with the old journal or the new one.
        """
        if self.readonly:
            return False
        with hold():
            if not self.needs_compaction(force=force):
                return False
            snapshot = self._snapshot()
        if not snapshot.records:
            return False
        seq = snapshot.records[-1]["seq"]
        meta = new_base_meta(KIND, prev=snapshot.info.id, seq=seq)
        folded = Replacement(
            self.path, self._folded(list(iter_ops(snapshot.records, self.path)), meta)
        )
        try:
            with hold():
                now = self._snapshot()
                if (now.ino, now.info) != (snapshot.ino, snapshot.info):
                    return False  # someone else wrote a new base meanwhile
                later = [r for r in now.records if r["seq"] > seq]
                folded.commit()
                self.follower.create(meta["id"], seq, later)
                self._after_new_base(meta)
        finally:
            folded.discard()
        return True

    def close(self) -> None:
        self.follower.close()
        if self._lazy_rows is not None:
            self._lazy_rows.close()
            self._lazy_rows = None


# -- applying operations -----------------------------------------------------------
#
# The rules, the same when the library is read (apply_to_loaded) and when a
# journal is folded into a new base (fold, fold_tables):
#
# - ``put`` of a row that is there merges into it in place (keys of the stored
#   row that the put lacks stay; a key put as null goes); of a row that is not
#   there adds it at the end, or before the row named by ``{"before": id}``
#   when that row is there;
# - ``del`` removes the row (a later put adds it again, as a new row);
# - ``table`` replaces the whole table by its rows, in their order.


class _Order:
    """The rows of one table in order, under the operations (a linked list by id)."""

    def __init__(self, keys: Iterable[str]) -> None:
        self.next: dict[str, str] = {"": ""}
        self.prev: dict[str, str] = {"": ""}
        for key in keys:
            self.add(key, None)

    def __contains__(self, key: str) -> bool:
        return key in self.next and key != ""

    def add(self, key: str, before: str | None) -> None:
        after = before if before is not None and before in self else ""
        last = self.prev[after]
        self.next[last] = key
        self.next[key] = after
        self.prev[key] = last
        self.prev[after] = key

    def remove(self, key: str) -> None:
        last, after = self.prev.pop(key), self.next.pop(key)
        self.next[last] = after
        self.prev[after] = last

    def clear(self) -> None:
        self.next = {"": ""}
        self.prev = {"": ""}

    def __iter__(self) -> Iterator[str]:
        key = self.next[""]
        while key != "":
            yield key
            key = self.next[key]


class _Replay:
    """A table's operations replayed on its base keys: the final order and what each row becomes.

    ``value[key]`` is ``(from_base, patches)``: a row that is (still) the base
    row with ``patches`` merged in, or (``from_base`` False) the first patch
    with the others merged in. Keys not in ``value`` are base rows unchanged.
    """

    def __init__(self, base_keys: Iterable[str], ops: Iterable[Op]) -> None:
        self.order = _Order(base_keys)
        self.value: dict[str, tuple[bool, list[Row]]] = {}
        for op in ops:
            kind, key = op[0], op[2]
            if kind == "table":
                self.order.clear()
                self.value = {}
                for row in op[3]:
                    rid = str(row.get("id"))
                    if rid not in self.order:
                        self.order.add(rid, None)
                    self.value[rid] = (False, [row])
            elif kind == "del":
                if key in self.order:
                    self.order.remove(key)
                self.value.pop(key, None)
            elif key in self.order:
                from_base, patches = self.value.get(key, (True, []))
                self.value[key] = (from_base, [*patches, op[3]])
            else:
                before = op[4].get("before") if len(op) > 4 else None
                self.order.add(key, before if isinstance(before, str) else None)
                self.value[key] = (False, [op[3]])

    def row(self, key: str, base_row: Row | None) -> Row:
        """What ``key``'s row becomes (``base_row``: the stored one, if it is a base row)."""
        from_base, patches = self.value.get(key, (True, []))
        if from_base:
            assert base_row is not None
            if not patches:
                return base_row
            merged = dict(base_row)
        else:
            merged, patches = dict(patches[0]), patches[1:]
        for patch in patches:
            merged.update(patch)
        return _without_nones(merged)

    def from_base(self, key: str) -> bool:
        return self.value.get(key, (True, []))[0]


def _simple(ops: list[Op]) -> bool:
    """Only puts without a place: rows change in place or go to the end (the common case)."""
    return all(op[0] == "put" and len(op) == 4 for op in ops)


def _without_nones(row: Row) -> Row:
    return {k: v for k, v in row.items() if v is not None}


def _paper_row(paper: Any) -> Row:
    row: Row = paper if isinstance(paper, dict) else paper.to_dict()
    return row


def apply_to_loaded(loaded: Loaded, ops: Iterable[Op], make_paper: MakePaper) -> None:
    """Apply journal operations to a loaded library, in order (see the rules above)."""
    by_table: dict[str, list[Op]] = {}
    for op in ops:
        by_table.setdefault(op[1], []).append(op)
    paper_ops = by_table.get(PAPERS, [])
    if paper_ops:
        papers = loaded.papers
        if _simple(paper_ops):
            at = {_paper_row_id(p): i for i, p in enumerate(papers)}
            for op in paper_ops:
                i = at.get(op[2])
                if i is None:
                    at[op[2]] = len(papers)
                    papers.append(make_paper(_without_nones(op[3])))
                else:
                    merged = _without_nones({**_paper_row(papers[i]), **op[3]})
                    papers[i] = make_paper(merged)
        else:
            by_id = {_paper_row_id(p): p for p in papers}
            replay = _Replay(by_id, paper_ops)
            out = []
            for pid in replay.order:
                if pid not in replay.value:
                    out.append(by_id[pid])
                else:
                    base = _paper_row(by_id[pid]) if replay.from_base(pid) else None
                    out.append(make_paper(replay.row(pid, base)))
            papers[:] = out
    digest_ops = by_table.get(DIGESTS, [])
    if digest_ops:
        by_id = {str(d["id"]): d for d in loaded.digests}
        replay = _Replay(by_id, digest_ops)
        loaded.digests[:] = [
            replay.row(did, by_id.get(did) if replay.from_base(did) else None)
            for did in replay.order
        ]
    for op in by_table.get(UNDO, []):
        if op[0] == "put":
            loaded.undo[op[2]] = op[3]
        else:
            loaded.undo.pop(op[2], None)


def _paper_row_id(paper: Any) -> str:
    pid: str = paper["id"] if isinstance(paper, dict) else paper.id
    return pid


def _line_id(line: bytes) -> str:
    return row_line_id(line) or ""


def _paper_lines(fh: BinaryIO) -> Iterator[bytes]:
    """The papers table's row lines of a row-per-line base (NotRowPerLine for another layout)."""
    for event, table, line in iter_row_lines(fh):
        if event == ROW and table == PAPERS:
            yield line


def fold(fh: BinaryIO, ops: list[Op], meta: dict[str, Any]) -> Iterator[bytes]:
    """A row-per-line base read from ``fh`` with ``ops`` applied, as the bytes of a new base.

    Paper rows the journal leaves alone are copied as they are, byte for
    byte; the result is what :func:`apply_to_loaded` makes of the same base
    and operations, in the same order. When the journal removes papers or
    puts them in a place, the papers are read twice (once for their order).
    Raises NotRowPerLine for a file in another layout (the caller parses it
    whole) before anything is yielded.
    """
    dumps = orjson.dumps
    by_table: dict[str, list[Op]] = {}
    for op in ops:
        by_table.setdefault(op[1], []).append(op)
    paper_ops = by_table.get(PAPERS, [])
    replay: _Replay | None = None
    new_keys = 0  # rows not from the base get keys above every base row's (keys stay unique)
    if paper_ops and not _simple(paper_ops):
        start = fh.tell()
        base_ids = []
        for line in _paper_lines(fh):
            base_ids.append(_line_id(line))
            key = line[1 : line.find(b'":', 1)]
            if key.isdigit():
                new_keys = max(new_keys, int(key))
        replay = _Replay(base_ids, paper_ops)
        fh.seek(start)
    simple: dict[str, Row] = {}  # the merged changes of each paper (simple journals)
    if replay is None:
        for op in paper_ops:
            simple[op[2]] = {**simple.get(op[2], {}), **op[3]}
    lines = iter_row_lines(fh)
    first = next(lines, None)  # raises NotRowPerLine before anything is written
    yield b"{"
    names: list[str] = []
    name: str | None = None
    separator = b"\n"
    last_key = 0
    rows: dict[str, Row] = {}  # the rows of a small table, parsed
    final: list[str] = list(replay.order) if replay is not None else []
    place = {pid: i for i, pid in enumerate(final)}
    emitted = 0  # entries of ``final`` written so far
    seen: set[str] = set()

    def header(table: str) -> bytes:
        return (b",\n" if names else b"\n") + dumps(table) + b":{"

    def row_line(row: Row, table: str) -> bytes:
        nonlocal last_key, new_keys
        if replay is not None and table == PAPERS:
            new_keys += 1
            return dumps({str(new_keys): row})[1:-1]
        last_key += 1
        return dumps({str(last_key): row})[1:-1]

    def ends_of(table: str) -> Iterator[bytes]:
        """What a table gets at its end: new papers, or a small table written whole."""
        nonlocal emitted
        if table == PAPERS:
            if replay is not None:
                for pid in final[emitted:]:
                    yield row_line(replay.row(pid, None), PAPERS)
                emitted = len(final)
            else:
                for row in _appended(paper_ops, seen):
                    yield row_line(row, PAPERS)
        elif table in (DIGESTS, UNDO):
            for row in _small_table(table, rows, by_table.get(table, [])):
                yield row_line(row, table) if table == DIGESTS else dumps(row)[1:-1]
        elif table == META_TABLE:
            yield dumps({"1": meta})[1:-1]

    def emit(chunks: Iterator[bytes]) -> Iterator[bytes]:
        nonlocal separator
        for chunk in chunks:
            yield separator + chunk
            separator = b",\n"

    for event, table, line in itertools.chain([first] if first else [], lines):
        if event == TABLE:
            yield header(table)
            names.append(table)
            name, separator, last_key, rows = table, b"\n", 0, {}
        elif event == END:
            yield from emit(ends_of(table))
            yield b"\n}"
            name = None
        else:
            end = line.find(b'":', 1)
            key = line[1:end]
            if not line.startswith(b'"') or end < 0:
                raise NotRowPerLine
            if name == META_TABLE:
                continue  # written afresh at the table's end
            if name in (DIGESTS, UNDO):
                rows.update(orjson.loads(b"{" + line + b"}"))  # small: written at the end
                continue
            if name == PAPERS:
                if not key.isdigit():
                    raise NotRowPerLine
                last_key = max(last_key, int(key))
                pid = _line_id(line)
                if replay is not None:
                    if pid not in place or not replay.from_base(pid):
                        continue  # gone, or added again elsewhere
                    at = place[pid]
                    yield from emit(
                        row_line(replay.row(p, None), PAPERS) for p in final[emitted:at]
                    )
                    emitted = at + 1
                    if pid in replay.value:
                        (stored,) = orjson.loads(b"{" + line + b"}").values()
                        line = dumps({key.decode(): replay.row(pid, stored)})[1:-1]
                elif pid in simple:
                    seen.add(pid)
                    (stored,) = orjson.loads(b"{" + line + b"}").values()
                    merged = _without_nones({**stored, **simple[pid]})
                    line = dumps({key.decode(): merged})[1:-1]
            yield from emit(iter([line]))
    for table in (*TABLES, UNDO, META_TABLE):
        if table not in names:
            rows = {}
            if table == UNDO and not _small_table(UNDO, rows, by_table.get(UNDO, [])):
                continue  # no undo records: no table
            yield header(table)
            names.append(table)
            separator, last_key = b"\n", 0
            yield from emit(ends_of(table))  # streamed: a first import's papers too
            yield b"\n}"
    yield b"\n}\n"


def _appended(paper_ops: list[Op], in_base: set[str]) -> Iterator[Row]:
    """Papers the simple journal adds at the end (not base rows), merged, in order.

    The rows of the operations themselves, not copies, unless a paper was
    put twice: a first import of 100,000 papers holds each row once.
    """
    out: dict[str, Row] = {}
    for op in paper_ops:
        pid = op[2]
        if pid in in_base:
            continue
        out[pid] = {**out[pid], **op[3]} if pid in out else op[3]
    for row in out.values():
        yield _without_nones(row) if None in row.values() else row


def _small_table(table: str, rows: dict[str, Row], ops: list[Op]) -> list[Any]:
    """A digests table's rows (in order), or the undo table's members, with ``ops`` applied."""
    if table == UNDO:
        records = dict(rows)
        for op in ops:
            if op[0] == "put":
                records[op[2]] = op[3]
            else:
                records.pop(op[2], None)
        return [{token: record} for token, record in records.items()]
    by_id = {str(row.get("id")): row for row in rows.values()}
    replay = _Replay(by_id, ops)
    return [
        replay.row(did, by_id.get(did) if replay.from_base(did) else None) for did in replay.order
    ]


def fold_tables(tables: Tables, ops: list[Op], meta: dict[str, Any]) -> Tables:
    """:func:`fold` for parsed tables (a base in another layout, or none)."""
    out: Tables = {name: dict(rows) for name, rows in tables.items() if name != META_TABLE}
    loaded = Loaded(
        list(out.get(PAPERS, {}).values()),
        list(out.get(DIGESTS, {}).values()),
        dict(out.get(UNDO, {})),
    )
    apply_to_loaded(loaded, ops, dict)
    out[PAPERS] = {str(n): row for n, row in enumerate(loaded.papers, start=1)}
    out[DIGESTS] = {str(n): row for n, row in enumerate(loaded.digests, start=1)}
    if loaded.undo:
        out[UNDO] = loaded.undo
    else:
        out.pop(UNDO, None)
    out[META_TABLE] = {"1": meta}
    return out


# -- reading a base ------------------------------------------------------------------


def _parse_whole(path: Path, data: bytes) -> Tables:
    try:
        return check_tables(path, KIND, orjson.loads(data))
    except orjson.JSONDecodeError as err:
        raise damaged(path, err) from err


def _from_tables(tables: Tables, make_paper: MakePaper) -> Loaded:
    papers = [make_paper(row) for row in tables.get(PAPERS, {}).values()]
    return Loaded(papers, list(tables.get(DIGESTS, {}).values()), dict(tables.get(UNDO, {})))


def _stream(fh: BinaryIO, path: Path, make_paper: MakePaper) -> tuple[Loaded, Tables]:
    """Read a row-per-line base, papers handed to ``make_paper`` a chunk at a time."""
    loads = orjson.loads
    tables: Tables = {}
    papers: list[Any] = []
    name: str | None = None  # the table being read
    chunk: list[bytes] = []
    undo: dict[str, Row | bytes] = {}

    def drain() -> None:
        if not chunk:
            return
        if name == UNDO:
            # Kept as JSON until an undo needs one: an import's record lists
            # every paper it added (100,000 ids are ~7 MB as objects).
            for line in chunk:
                end = line.find(b'":{')
                token = loads(line[: end + 1]) if line.startswith(b'"') and end > 0 else None
                if not isinstance(token, str):
                    raise NotRowPerLine
                undo[token] = line[end + 2 :]
            chunk.clear()
            return
        parsed: dict[str, Any] = loads(b"{" + b",".join(chunk) + b"}")
        chunk.clear()
        if name == PAPERS:
            papers.extend(map(make_paper, parsed.values()))
        else:
            assert name is not None
            tables[name].update(parsed)

    for event, table, line in iter_row_lines(fh):
        if event == TABLE:
            tables[table] = {}
            name = table
        elif event == ROW:
            chunk.append(line)
            if len(chunk) >= CHUNK_ROWS:
                drain()
        else:
            drain()
            name = None
    check_tables(path, KIND, tables)
    tables.pop(UNDO, None)
    return Loaded(papers, list(tables.pop(DIGESTS, {}).values()), undo), tables


def read_library_tables(path: Path) -> Tables | None:
    """library.json parsed whole and checked (for ``tracker doctor``)."""
    return load_tables(path, KIND)
