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
import os
import zlib
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import orjson

from tracker.rows import (
    InvalidRowError,
    digest_row_problem,
    paper_patch_problem,
    paper_row_fits,
    paper_row_problem,
)
from tracker.store import migrations
from tracker.store.atomic import Replacement, atomic_write, keep_copy
from tracker.store.base_texts import BaseTexts
from tracker.store.catalog import Catalog, catalog_of, load_catalog, save_catalog
from tracker.store.derived_file import base_signature
from tracker.store.errors import StoreError, base_missing, damaged
from tracker.store.gc_pause import gc_paused
from tracker.store.heads_file import load_heads, save_heads
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
from tracker.store.library_base import (
    CutRows,
    MakeStored,
    from_tables,
    papers_from_heads,
    parse_whole,
    stream,
)
from tracker.store.library_rows import (
    DIGESTS,
    KIND,
    PAPERS,
    Loaded,
    MakePaper,
    Row,
    apply_to_loaded,
    fold,
    fold_tables,
    only_puts,
    spilled_ops,
    without_nones,
)
from tracker.store.paper_ids import PaperIds
from tracker.store.regular_file import open_regular
from tracker.store.rejected import RejectedRows
from tracker.store.row_per_line import (
    NotRowPerLine,
    iter_row_per_line,
)
from tracker.store.spilled_rows import SpilledRows
from tracker.store.tables import (
    META_TABLE,
    SCHEMA_VERSIONS,
    BaseInfo,
    Tables,
    base_info,
    new_base_meta,
)
from tracker.store.written_rows import WrittenRows

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


def _signature_now(path: Path) -> tuple[int, int, int] | None:
    """The base's signature as the file at ``path`` is now (None when it cannot be seen)."""
    try:
        return base_signature(os.stat(path))
    except OSError:
        return None


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
        self._pending_rows: SpilledRows | None = None
        """New papers' rows of a large import not written yet (after ``_pending``)."""
        self.migrated_from: int | None = None
        self._lazy_rows: LazyRows | None = None
        self.rejected = RejectedRows()
        """Rows of the base or the journal that do not fit the schema, set aside as read."""

    @property
    def dirty(self) -> bool:
        """True when a write failed and its change is only in memory."""
        return bool(self._pending) or self._pending_rows is not None

    # -- reading -----------------------------------------------------------
    def load(self, make_paper: MakePaper, make_stored: MakeStored | None = None) -> Loaded:
        """Every paper through ``make_paper`` in library order, and the digest rows.

        ``make_stored``: the base's papers are made by it instead, their
        abstracts left in the file (see tracker/store/base_texts.py). A change
        whose write failed is included. Raises CorruptFileError for a
        damaged or foreign file and StoreError when it cannot be read.
        """
        self.follower.open()  # before the base: see Follower
        try:
            with gc_paused():
                loaded, tables = self._read_base(make_paper, make_stored)
                checked = {id(row) for row in loaded.digests}  # the base's, checked as read
                info = base_info(tables)
                if tables is None and self.follower.exists:
                    raise base_missing(self.path, self.follower.path)
                records = self.follower.start(info.seq, info.id, info.prev)
                ops = self._fitting_ops(iter_ops(records, self.follower.path))
                pending = [*self._pending, *spilled_ops(self._pending_rows)]
                apply_to_loaded(loaded, [*ops, *pending], self.checking(make_paper))
                loaded.digests = self._valid_digests(loaded.digests, self.follower.path, checked)
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
        if self.dirty:
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
            loaded_tail, tables = stream(
                io.BytesIO(b"{\n" + tail), self.path, dict, self.rejected, first_line=None
            )
        except NotRowPerLine:
            return None
        except orjson.JSONDecodeError as err:
            raise damaged(self.path, err) from err
        if migrations.schema_of(tables) < SCHEMA_VERSIONS[KIND]:
            return None  # the upgrade needs the whole file
        info = base_info(tables)
        records = self.follower.start(info.seq, info.id, info.prev)
        ops = self._fitting_ops(iter_ops(records, self.follower.path))
        paper_ops = [op for op in ops if op[1] == PAPERS]
        if not only_puts(paper_ops):
            return None
        # The base's ids stay in the catalog's bytes: found there by a binary search,
        # not made into a set and a dict of every id (tracker/store/paper_ids.py).
        ids = PaperIds(catalog.base_ids())
        in_base = ids.in_base
        patches: dict[str, list[Row]] = {}
        rows: dict[str, Row] = {}
        # The catalog lists only rows that fit the schema (tracker/store/catalog.py);
        # the journal's rows and changes are checked here, as they are taken in.
        for op in paper_ops:
            pid = op[2]
            if pid in rows:
                merged = {**rows[pid], **op[3]}
                rows[pid] = {k: v for k, v in merged.items() if v is not None}
            elif in_base(pid):
                patches.setdefault(pid, []).append(op[3])
            elif problem := paper_row_problem(without_nones(op[3])):
                self.rejected.add(self.follower.path, "a change", PAPERS, problem, op[3])
            else:
                rows[pid] = without_nones(op[3])
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
        digests = self._valid_digests(loaded_tail.digests, self.path)
        loaded = Loaded(cast(list[Any], lazy), digests, loaded_tail.undo)
        apply_to_loaded(loaded, [op for op in ops if op[1] != PAPERS], make_paper)
        # The base's rows, checked just above, are not checked again (a digest lists its
        # papers: a hundred digests of a thousand ids each were checked twice).
        base_rows = {id(row) for row in digests}
        loaded.digests = self._valid_digests(loaded.digests, self.follower.path, base_rows)
        self._info = info
        self._base_size, self._base_ino, self.migrated_from = st.st_size, st.st_ino, None
        self._lazy_rows = lazy
        return loaded

    def _read_base(
        self, make_paper: MakePaper, make_stored: MakeStored | None = None
    ) -> tuple[Loaded, Tables | None]:
        try:
            fh = open_regular(self.path)
        except FileNotFoundError:
            self._base_size, self._base_ino, self.migrated_from = 0, None, None
            return Loaded([], []), None
        except OSError as err:
            raise StoreError(f"cannot read {self.path}: {err.strerror or err}") from err
        with fh:
            st = os.fstat(fh.fileno())
            texts = None if make_stored is None else BaseTexts(self.path, os.dup(fh.fileno()))
            catalog: Catalog | None = None
            if texts is not None and self.readonly:
                catalog = load_catalog(self.path, st)
            elif texts is not None:
                # The saved one; when none fits (a data folder copied or restored: new
                # inodes), one made now from the base's lines (a scan, no row parsed;
                # 0.3 s at 100,000 papers) and checked by this whole read
                # (_after_whole_read): the next open keeps the heads, the one after
                # reads neither. Without it every start read the base whole, until a
                # command made one.
                catalog = catalog_of(self.path, fh.fileno(), check=False)
                fh.seek(0)  # a scan reads through a copy of the descriptor: same offset
            if texts is not None:
                texts.checked = catalog is not None and catalog.checked
            stored = None if texts is None or make_stored is None else (make_stored, texts)
            quick = None
            if stored is not None and catalog is not None and catalog.checked:
                quick = self._from_heads(fh.fileno(), st, catalog, stored, make_paper)
            kept = CutRows() if stored is not None and catalog is not None else None
            try:
                if quick is not None:
                    loaded, tables = quick
                else:
                    aside = len(self.rejected)
                    loaded, tables = stream(
                        fh, self.path, make_paper, self.rejected, stored=stored, kept=kept
                    )
                    if kept is not None and catalog is not None and not self.readonly:
                        clean = len(self.rejected) == aside
                        self._after_whole_read(st, catalog, kept, len(loaded.papers), clean)
            except NotRowPerLine:
                fh.seek(0)
                tables = parse_whole(self.path, fh.read())
                loaded = from_tables(tables, self.checking(make_paper, self.path))
            except orjson.JSONDecodeError as err:
                raise damaged(self.path, err) from err
            except OSError as err:
                raise StoreError(f"cannot read {self.path}: {err.strerror or err}") from err
        loaded.digests = self._valid_digests(loaded.digests, self.path)
        self._base_size, self._base_ino = st.st_size, st.st_ino
        self.migrated_from = migrations.upgrade(KIND, tables)
        return loaded, tables

    def _from_heads(
        self,
        fd: int,
        st: os.stat_result,
        catalog: Catalog,
        stored: tuple[MakeStored, BaseTexts],
        make_paper: MakePaper,
    ) -> tuple[Loaded, Tables] | None:
        """The base read from ``library.heads`` and the tables after its papers (see
        tracker/store/heads_file.py); None when they do not fit it: then it is read whole,
        which also says what is wrong with it."""
        heads = load_heads(self.path, st, catalog.base_id, len(catalog.offsets))
        if heads is None:
            return None
        aside = RejectedRows()
        try:
            tail = os.pread(fd, st.st_size - catalog.papers_end, catalog.papers_end)
            loaded, tables = stream(
                io.BytesIO(b"{\n" + tail), self.path, make_paper, aside, first_line=None
            )
        except (NotRowPerLine, orjson.JSONDecodeError, OSError, StoreError):
            return None
        if loaded.papers or len(aside) or migrations.schema_of(tables) < SCHEMA_VERSIONS[KIND]:
            return None  # not the tables after the papers, or an upgrade (it needs the whole)
        make, texts = stored
        papers = papers_from_heads(heads, make, texts)
        if papers is None:
            return None
        # Row N's abstract is read at the catalog's place N: the heads were kept from
        # the very base the catalog lists, in its order (see _after_whole_read).
        texts.offsets, texts.lengths = catalog.offsets[:], catalog.lengths[:]
        loaded.papers = papers
        return loaded, tables

    def _after_whole_read(
        self, st: os.stat_result, catalog: Catalog, kept: CutRows, made: int, clean: bool
    ) -> None:
        """Keep for the next open what a whole read of the base learnt (``made`` papers of
        the catalog's rows; ``clean``: no row was set aside).

        With a checked catalog, the rows it cut become ``library.heads``. An
        unchecked one (a compaction leaves one when its old base had none that
        was, a base of an older layout, one just made for a copied folder) is
        checked: every row was just made a paper. Until then every open of the
        app read the base whole, abstracts and all, and kept no heads; the next
        one cuts them and keeps the heads. Nothing is kept for a base replaced
        while it was read (its writer kept the new one's).
        """
        if made != len(catalog.offsets) or base_signature(st) != _signature_now(self.path):
            return
        if catalog.checked:
            if kept.whole and len(kept.lines) == made:
                save_heads(self.path, st, catalog.base_id, kept.lines, bytes(kept.cut))
        elif clean:
            catalog.checked = True
            save_catalog(self.path, st, catalog)

    def checking(self, make_paper: MakePaper, where: Path | None = None) -> MakePaper:
        """``make_paper``, setting aside (and returning None for) a row that is no paper."""
        file = where or self.follower.path

        def make(row: Row) -> Any:
            try:
                return make_paper(row)
            except InvalidRowError as err:
                place = "a change" if file == self.follower.path else "papers table"
                self.rejected.add(file, place, PAPERS, str(err), row)
                return None

        return make

    def _valid_digests(
        self, rows: list[Any], where: Path, checked: Collection[int] = ()
    ) -> list[Row]:
        """The digest rows that fit the schema; the others set aside.

        ``checked``: ids of row objects known to fit (the journal left them as they were).
        """
        out = []
        for row in rows:
            problem = "" if id(row) in checked else digest_row_problem(row)
            if problem:
                self.rejected.add(where, "digests table", DIGESTS, problem, row)
            else:
                out.append(row)
        return out

    def state_name(self) -> str | None:
        """``base id:last record's number:its CRC`` (see Store.library_state); None when
        changes a failed write left in memory have no name. Read back by
        :meth:`paper_puts_since`."""
        follower = self.follower
        if follower.base_id is None or self.dirty:
            return None
        return f"{follower.base_id}:{follower.last_seq or 0}:{follower.last_crc}"

    def paper_puts_since(self, state: str) -> list[str] | None:
        """The ids of the papers written since the library was in ``state``, in order.

        ``state``: a name :meth:`state_name` gave, in this process or another. The journal's records after that state,
        up to the one this process took in last, are read again from the file.
        None when it cannot tell: ``state`` names another base or a change the
        journal no longer has (a compaction folded it into a new base), a change
        since removed papers or put them elsewhere (only puts are followed, and
        a put of a new paper adds it after the others), or this process holds
        changes not written.
        """
        follower = self.follower
        base_id, last_seq = follower.base_id, follower.last_seq or 0
        try:
            named_base, seq_text, crc_text = state.split(":")
            since_seq, since_crc = int(seq_text), int(crc_text)
        except ValueError:
            return None
        if self.dirty or base_id is None or named_base != base_id or since_seq > last_seq:
            return None
        if since_seq == last_seq:
            return [] if since_crc == follower.last_crc else None
        try:
            found = read_whole(follower.path)
        except StoreError:
            return None
        if found is None or (found[1].header or {}).get("base") != base_id:
            return None  # replaced meanwhile (a compaction): another base
        by_seq = {record["seq"]: record for record in found[1].records}
        if since_seq == follower.base_seq:
            if since_crc != 0:  # (a state at the base names no record)
                return None
        else:
            named = by_seq.get(since_seq)
            if named is None or zlib.crc32(orjson.dumps(named)) != since_crc:
                return None
        after = [by_seq.get(seq) for seq in range(since_seq + 1, last_seq + 1)]
        if None in after or zlib.crc32(orjson.dumps(after[-1])) != follower.last_crc:
            return None  # not the records this process took in
        put: list[str] = []
        for op in iter_ops(cast("list[Record]", after), follower.path):
            if op[1] != PAPERS:
                continue  # digests, undo records: the papers stay where they are
            if op[0] != "put" or len(op) != 4:
                return None  # removed, or put in a place ({"before": ...}), or a whole table
            put.append(op[2])
        return put

    def changed_on_disk(self) -> bool:
        return self.follower.changed_on_disk()

    def refresh(self) -> list[Op] | None:
        """What other processes appended since the last read; None when all must be read again."""
        records = self.follower.read_new()
        if records is None:
            return None
        return self._fitting_ops(iter_ops(records, self.follower.path))

    def _fitting_ops(self, ops: Iterable[Op]) -> list[Op]:
        """Others' operations, without puts of papers or digests that do not fit (set aside).

        (A put that merges into a paper the library has can only be checked as
        a change; one that makes a new paper of too little is set aside when
        the library makes the paper.)
        """
        out = []
        for op in ops:
            problem = ""
            if op[0] == "put" and op[1] == PAPERS:
                problem = paper_patch_problem(op[2], op[3])
            elif op[0] == "put" and op[1] == DIGESTS:
                problem = digest_row_problem(op[3])
            if problem:
                self.rejected.add(self.follower.path, "a change", op[1], problem, op[3])
            else:
                out.append(op)
        return out

    # -- writing (writer lock held, refresh() done) ------------------------------
    def commit(self, ops: list[Op], at: str, appended: SpilledRows | None = None) -> None:
        """Append ``ops`` as one record, fsynced (or write a new base for a very large one).

        ``appended``: new papers' rows in a temporary file, put after ``ops``;
        they always go into a new base, streamed from their file (a record
        of them would be read whole by every command until compacted).
        """
        if self.readonly:
            raise StoreError(f"{self.path} is open read-only")
        if self._pending_rows is not None:  # an earlier failed write's: before these
            self._pending += spilled_ops(self._pending_rows)
            self._pending_rows = None
        self._pending.extend(ops)
        if appended is not None:
            self._pending_rows = appended
        self.flush(at)

    def flush(self, at: str = "") -> None:
        """Write what a failed commit left in memory (writer lock held)."""
        pending = self._pending
        if not self.dirty or self.readonly:
            return
        if self._pending_rows is not None or self._too_big_for_the_journal(pending):
            self._rewrite(pending, appended=self._pending_rows)
        else:
            if not self._layout_is_current():
                if self.migrated_from is not None or self.path.exists():
                    self._rewrite([])
                else:
                    self._start_empty()
            self.follower.append(pending, at)
        self._pending = []
        self._pending_rows = None

    def _start_empty(self) -> None:
        """A new library: an empty base and a journal that will hold every change."""
        meta = new_base_meta(KIND, prev=None, seq=self.follower.last_seq or 0)
        empty = iter_row_per_line({PAPERS: {}, DIGESTS: {}, META_TABLE: {"1": meta}})
        atomic_write(self.path, empty, private=True)
        self.follower.create(meta["id"], meta["seq"], made=EMPTY)
        self._after_new_base(meta, known_good=True)  # empty

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

    def _rewrite(
        self, extra: list[Op], made: str | None = None, appended: SpilledRows | None = None
    ) -> None:
        """A new base from the base, its journal, ``extra`` and ``appended``; an empty journal
        after it."""
        snapshot = self._snapshot()
        seq = snapshot.records[-1]["seq"] if snapshot.records else snapshot.info.seq
        seq = max(seq, self.follower.last_seq or 0)
        if extra or appended:
            seq += 1  # others never saw these: the journal's header sends them to the new base
        ops = [*iter_ops(snapshot.records, self.follower.path), *extra]
        meta = new_base_meta(KIND, prev=snapshot.info.id, seq=seq)
        known_good = self._fold_fits(snapshot.ino, ops) and not (appended and appended.unfit)
        written = WrittenRows()
        atomic_write(self.path, self._folded(ops, meta, appended, written), private=True)
        self.follower.create(meta["id"], seq, made=made)
        self._after_new_base(meta, known_good=known_good, written=written)

    def _fold_fits(self, ino: int, ops: list[Op]) -> bool:
        """Whether a base folded from the base (inode ``ino``) and ``ops`` holds only rows that fit.

        True when that base's catalog says its rows were checked (or there is
        no base) and every paper the operations put fits the schema: then the
        new base's catalog need not parse its rows to say so.
        """
        for op in ops:
            if op[0] == "put" and op[1] == PAPERS:
                row = op[3]
                # A new paper's row as an import makes it (no None, nothing to drop) is
                # checked as it is: copying 100,000 rows for the check took a tenth of a
                # bulk import's write.
                if type(row) is dict and paper_row_fits(row):
                    continue
                whole = isinstance(row, dict) and "title" in row and row.get("title") is not None
                fits = (
                    paper_row_fits(without_nones(row))
                    if whole
                    else not paper_patch_problem(op[2], row)
                )
                if not fits:
                    return False
        if not ino:
            return True
        try:
            st = os.stat(self.path)
        except OSError:
            return False
        catalog = load_catalog(self.path, st)
        return st.st_ino == ino and catalog is not None and catalog.checked

    def _after_new_base(
        self,
        meta: dict[str, Any],
        *,
        known_good: bool = False,
        written: WrittenRows | None = None,
    ) -> None:
        st = self.path.stat()
        self._base_size, self._base_ino = st.st_size, st.st_ino
        self._info = BaseInfo(meta["id"], meta["prev"], meta["seq"])
        self.migrated_from = None
        # The next command that reads a few papers finds where they are: noted
        # as the rows were written (``written``), else scanned (the file was
        # just written: scanning it reads from memory).
        with contextlib.suppress(OSError, StoreError), open_regular(self.path) as fh:
            made = written.catalog(fh.fileno(), meta["id"], known_good) if written else None
            if made is not None and os.fstat(fh.fileno()).st_ino == st.st_ino:
                save_catalog(self.path, st, made)
                if written is not None and made.checked and len(written.heads) == len(made.offsets):
                    # The app's next open need not read the new base whole (heads_file.py).
                    save_heads(self.path, st, made.base_id, written.heads, bytes(written.cut))
            else:
                catalog_of(self.path, fh.fileno(), check=False, known_good=known_good)

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

    def _folded(
        self,
        ops: list[Op],
        meta: dict[str, Any],
        appended: SpilledRows | None = None,
        written: WrittenRows | None = None,
    ) -> Iterator[bytes]:
        """The base's rows with ``ops`` (and ``appended``) applied, as a new base (streamed;
        see :func:`fold`)."""
        try:
            fh = open_regular(self.path)
        except FileNotFoundError:
            # No base yet (a first import): the rows as they come, no copies.
            yield from fold(io.BytesIO(b"{\n}\n"), ops, meta, appended, written)
            return
        except OSError as err:
            raise StoreError(f"cannot read {self.path}: {err.strerror or err}") from err
        with fh:
            try:
                yield from fold(fh, ops, meta, appended, written)
            except NotRowPerLine:
                if written is not None:
                    written.usable = False
                fh.seek(0)
                tables = parse_whole(self.path, fh.read())
                ops = [*ops, *spilled_ops(appended)]
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
        ops = list(iter_ops(snapshot.records, self.path))
        known_good = self._fold_fits(snapshot.ino, ops)
        written = WrittenRows()
        folded = Replacement(self.path, self._folded(ops, meta, written=written))
        try:
            with hold():
                now = self._snapshot()
                if (now.ino, now.info) != (snapshot.ino, snapshot.info):
                    return False  # someone else wrote a new base meanwhile
                later = [r for r in now.records if r["seq"] > seq]
                folded.commit()
                self.follower.create(meta["id"], seq, later)
                self._after_new_base(meta, known_good=known_good, written=written)
        finally:
            folded.discard()
        return True

    def close(self) -> None:
        self.follower.close()
        if self._lazy_rows is not None:
            self._lazy_rows.close()
            self._lazy_rows = None
