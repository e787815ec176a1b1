"""The library's state: papers, digests and annotations in memory, opening, lookups."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import itertools
import os
import threading
import uuid
from collections.abc import Callable, Iterator, MutableMapping
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from tracker.library.abstracts import PaperAbstracts
from tracker.library.annotation_map import AnnotationMap
from tracker.library.facet_rows import FacetRows
from tracker.locations import data_dir as default_data_dir
from tracker.models import Annotation, Digest, Paper, Status, StoredPaper
from tracker.rows import InvalidIdError
from tracker.store import (
    ANNOTATIONS_FILE,
    LIBRARY_FILE,
    CorruptFileError,
    Picked,
    Store,
    gc_paused,
)
from tracker.store.lazy_rows import LazyRows
from tracker.store.library_rows import Loaded, apply_to_loaded

if TYPE_CHECKING:
    from tracker.search import SearchIndex
    from tracker.search.watch import WatchEntry


@contextlib.contextmanager
def _ids_checked(path: Path) -> Iterator[None]:
    """A paper id of the wrong shape in ``path`` (a hand edit, an old merge) stops the open.

    Ids become file names in vault exports: one like ``x/../../x`` is refused
    here, with the file named, and the file is left as it is.
    """
    try:
        yield
    except InvalidIdError as err:
        raise CorruptFileError(
            f"{path}: {err}; edit the file to remove that entry (it was left as it is)"
        ) from None


class LibraryError(Exception):
    """A problem with a user request, explained in one sentence."""


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _host_name() -> str:
    """This machine's name: the kernel's node name, as ``socket.gethostname()`` gives it on
    POSIX (importing ``socket`` was a twentieth of a one-digest ``tracker import``)."""
    if hasattr(os, "uname"):
        return os.uname().nodename
    import socket

    return socket.gethostname()


HOST = _host_name()
_OPEN: set[str] = set()
"""Tokens of the writable libraries open in this process (see :func:`origin_is_open`)."""


def origin_is_open(by: object) -> bool:
    """Whether the library that made a change (its ``by`` record) is still open somewhere.

    A change belongs to the library instance that made it: an app window or
    a ``tracker`` command. It is still open when that process runs (on this
    machine; for this very process, when that instance is not closed yet).
    """
    if not isinstance(by, dict):
        return False
    pid, token = by.get("pid"), by.get("token")
    if by.get("host") != HOST or not isinstance(pid, int):
        return False
    if pid == os.getpid():
        return token in _OPEN
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process: it runs
    return True


@dataclass(slots=True)
class Refreshed:
    """What changed in the library because other processes wrote to it."""

    reload: bool = False
    """Everything was read again (positions, digests and the search index may all differ)."""
    papers_added: int = 0
    papers_changed: set[str] = field(default_factory=set)
    """Ids of papers whose stored fields changed (an import filled them in)."""
    papers_removed: set[str] = field(default_factory=set)
    digests_changed: bool = False
    annotations: set[str] = field(default_factory=set)
    """Ids of papers whose status, note or tags another process changed."""

    def __bool__(self) -> bool:
        return bool(
            self.reload
            or self.papers_added
            or self.papers_changed
            or self.papers_removed
            or self.digests_changed
            or self.annotations
        )

    @property
    def library_changed(self) -> bool:
        """Papers or digests changed (more than the annotations)."""
        return bool(
            self.reload
            or self.papers_added
            or self.papers_changed
            or self.papers_removed
            or self.digests_changed
        )


F = TypeVar("F", bound=Callable[..., Any])


def writes(method: F) -> F:
    """Run a library method that changes something under the writer lock, on fresh state.

    The lock is held for the method's own duration; before it runs, what
    other processes wrote meanwhile is taken in, so that the change is made
    on top of the latest state (a status computed from an old copy of the
    annotations would undo someone else's change).
    """

    @functools.wraps(method)
    def wrapper(self: LibraryCore, *args: Any, **kwargs: Any) -> Any:
        self._check_writable()
        with self._writing():
            return method(self, *args, **kwargs)

    return cast(F, wrapper)


class LibraryCore:
    """The library's state in memory, opening and closing it, and lookups."""

    def __init__(self, store: Store, *, app: bool = False) -> None:
        self.store = store
        self.now: Callable[[], str] = now_iso
        """The clock for stored times (imports, changes, history); tests replace it."""
        self.sent_at = ""
        """When this library's annotations last went out to other machines (a sync from this
        process): a note version older than that may be on another machine now, so the
        next autosave records it as replaced (tracker.library.changes)."""
        self.utc_days = False
        """Days and weeks (stats, what's new) in UTC instead of the local time zone
        (``--utc``, ``[look] utc = true``); stored times are UTC either way."""
        self._index_lock = threading.Lock()
        self._watch_lock = threading.Lock()
        self._watch: tuple[WatchEntry, ...] = ()
        self._absorbed = Refreshed()
        self.order_serial = 0
        """Changed whenever papers' positions move (papers removed, put back in between,
        everything read again): a position found before names another paper, or none.
        The app's list drops results found before (tracker/app/widgets/paper_list.py)."""
        self.origin: dict[str, object] = {
            "pid": os.getpid(),
            "host": HOST,
            "token": uuid.uuid4().hex[:16],
            "app": app,
        }
        """Who makes this library's changes: undo tells its own from others' (see Changes.undo)."""
        self._load()
        if not store.readonly:
            _OPEN.add(str(self.origin["token"]))

    def _load(self) -> None:
        """Read papers, digests and annotations from the store into memory."""
        with gc_paused(), self._positions_moving():
            self._load_all()

    @contextlib.contextmanager
    def _positions_moving(self) -> Iterator[None]:
        """Papers' positions change inside: ``order_serial`` moves before and after it,
        so that a search in a worker overlapping the change, started before it or
        during it, is known to be of positions from before."""
        self.order_serial += 1
        try:
            yield
        finally:
            self.order_serial += 1

    def _load_all(self) -> None:
        store = self.store
        loaded = store.take_library()
        self.papers: list[Paper] = loaded.papers
        self._pos: MutableMapping[str, int]
        if isinstance(loaded.papers, LazyRows):
            # Papers read when used: their positions are found in the catalog when asked
            # (at 100,000 papers, a dict of every id was 20 ms of a one-digest import).
            self._pos = loaded.papers.positions()
        else:  # (in C: a comprehension took a tenth of a second at 100,000 papers)
            self._pos = dict(zip(map(attrgetter("id"), self.papers), itertools.count()))
        self._digest_by_id: dict[str, Digest] = {}
        with _ids_checked(store.directory / LIBRARY_FILE):
            for doc in loaded.digests:
                digest = Digest.from_dict(doc)
                # Older versions stored a re-imported file's digests again: show each once.
                self._digest_by_id.setdefault(digest.id, digest)
        self.digests: list[Digest] = list(self._digest_by_id.values())
        if any(row.table == "papers" for row in store.rejected.rows):
            # A paper set aside (its row does not fit, see tracker/store/rejected.py)
            # is no paper of the library: its digests do not list it either.
            for digest in self.digests:
                digest.paper_ids = [pid for pid in digest.paper_ids if pid in self._pos]
        self._undo_records: dict[str, dict[str, Any] | bytes] = loaded.undo
        """What takes back each undoable change of papers and digests, by token
        (see :mod:`tracker.library.history`)."""
        self.annotations: AnnotationMap = AnnotationMap()
        self.facet_rows = FacetRows()
        with _ids_checked(store.directory / ANNOTATIONS_FILE):
            for doc in store.load_annotations():
                ann = Annotation.from_dict(doc)
                self.annotations[ann.paper_id] = ann
        self._index: SearchIndex | None = None
        self._watch_cache: dict[str, WatchEntry] | None = None
        self._digest_keys: dict[str, tuple[str, ...]] = {}
        self._combo_keys: dict[tuple[str, ...], tuple[str, ...]] = {}

    # -- lifecycle -------------------------------------------------------
    @classmethod
    def open(
        cls,
        directory: str | os.PathLike[str] | None = None,
        *,
        readonly: bool = False,
        app: bool = False,
        lazy: bool = False,
    ) -> Self:
        """Open the library in ``directory`` (default: the user data directory).

        ``app``: opened by the app, whose undo takes back only its own
        changes (a command-line library undoes those of the command line).
        ``lazy``: papers are read from disk when they are used, not all at
        open (a command that marks one paper reads that one).
        """
        where = default_data_dir(directory)
        with _ids_checked(where / LIBRARY_FILE):
            store = Store.open(
                where,
                readonly=readonly,
                make_paper=Paper.from_dict,
                lazy=lazy,
                make_stored=StoredPaper.from_row,
            )
        try:
            library = cls(store, app=app)
        except BaseException:
            store.close()
            raise
        if not readonly:
            library._opened_for_writing()
        return library

    def _opened_for_writing(self) -> None:
        """Tidy what an earlier process left half done (see tracker.library.history)."""

    @property
    def directory(self) -> Path:
        return self.store.directory

    @property
    def readonly(self) -> bool:
        return self.store.readonly

    def close(self) -> None:
        _OPEN.discard(str(self.origin["token"]))
        self.store.close()

    # -- others' changes -----------------------------------------------------
    def refresh(self) -> Refreshed:
        """Take in what other processes wrote since the last look; what changed.

        Cheap when nothing did (a stat of each journal): the app calls it
        every second. Changes taken in by this library's own writes (which
        first read what others wrote) are included.
        """
        if self.store.refresh():
            self._absorb(self.store.take_changes())
        changed, self._absorbed = self._absorbed, Refreshed()
        return changed

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        with self.store.writing():
            self._absorb(self.store.take_changes())
            yield

    def _absorb(self, picked: Picked) -> None:
        """Apply changes read from disk to the papers, digests and annotations in memory."""
        if not picked:
            return
        summary = self._absorbed
        if picked.reload:
            self._load()
            summary.reload = True
            return
        by_table: dict[str, list[list[Any]]] = {}
        for op in picked.library:
            by_table.setdefault(op[1], []).append(op)
        with _ids_checked(self.directory / "library.journal.jsonl"):
            paper_ops = by_table.get("papers", [])
            if all(op[0] == "put" and len(op) == 4 for op in paper_ops):
                for op in paper_ops:
                    self._absorb_paper(op, summary)
            else:
                self._absorb_reordering(paper_ops, summary)
            if by_table.get("digests"):
                self._absorb_digests(by_table["digests"])
                summary.digests_changed = True
        for op in by_table.get("undo", []):
            if op[0] == "put":
                self._undo_records[op[2]] = op[3]
            else:
                self._undo_records.pop(op[2], None)
        if paper_ops or by_table.get("digests"):
            with self._watch_lock:
                self._watch_cache = None
        with _ids_checked(self.directory / "annotations.journal.jsonl"):
            for doc in picked.annotations:
                ann = Annotation.from_dict(doc)
                self.annotations[ann.paper_id] = ann
                summary.annotations.add(ann.paper_id)

    def _absorb_paper(self, op: list[Any], summary: Refreshed) -> None:
        """A paper another process imported, or filled in (the store's rules: put in place / at the end)."""
        pid = op[2]
        pos = self._pos.get(pid)
        if pos is None:
            paper = self.store.library_file.checking(Paper.from_dict)(
                {k: v for k, v in op[3].items() if v is not None}
            )
            if paper is None:
                return  # no paper (set aside; the store keeps its row)
            self._pos[pid] = len(self.papers)
            self.papers.append(paper)
            if self._index is not None:
                self._index.add(paper.title, paper.abstract, paper.authors)
            summary.papers_added += 1
            return
        old = self.papers[pos]
        row = {**old.to_dict(), **op[3]}
        paper = Paper.from_dict({k: v for k, v in row.items() if v is not None})
        self._texts_changed()
        self.papers[pos] = paper
        index = self._index
        if index is not None and (old.title, old.abstract) != (paper.title, paper.abstract):
            index.update(pos, paper.title, paper.abstract)
        if index is not None and old.authors != paper.authors:
            index.set_authors(pos, paper.authors)
        summary.papers_changed.add(pid)

    def _texts_changed(self) -> None:
        """A paper is about to change in place: an index reading texts when used is dropped.

        Such an index (a command's, see Searching.index) reads each text from
        the papers themselves, so it cannot tell the old text from the new; it
        is made again when next needed.
        """
        if self._index is not None and self._index.has_lazy_texts:
            self._index = None

    def _absorb_reordering(self, ops: list[list[Any]], summary: Refreshed) -> None:
        """Papers removed or put back in their places: the list is made again (positions move)."""
        before = {p.id: p for p in self.papers}
        loaded = Loaded(self.papers, [])
        with self._positions_moving():
            apply_to_loaded(loaded, ops, self.store.library_file.checking(Paper.from_dict))
            self._pos = {p.id: i for i, p in enumerate(self.papers)}
            self._relist_index()  # positions moved: the index follows at its next build
        summary.papers_removed |= before.keys() - self._pos.keys()
        summary.papers_added += len(self._pos.keys() - before.keys())
        summary.papers_changed |= {
            p.id for p in self.papers if p.id in before and before[p.id] is not p
        }

    def _relist_index(self) -> None:
        """Tell the search index the papers' new order (papers removed or put back in between).

        Its next build fits what it has indexed to the new positions and
        indexes only what it could not fit, instead of starting over
        (tracker/search/reconcile.py).
        """
        if self._index is not None and self._index.has_lazy_texts:
            self._index = None  # a command's index reads texts when used: made again
        elif self._index is not None:
            papers = self.papers
            self._index.relist(
                [p.title for p in papers], PaperAbstracts(papers), [p.authors for p in papers]
            )

    def _absorb_digests(self, ops: list[list[Any]]) -> None:
        loaded = Loaded([], [d.to_dict() for d in self.digests])
        apply_to_loaded(loaded, ops, Paper.from_dict)
        self.digests[:] = [Digest.from_dict(row) for row in loaded.digests]
        self._digest_by_id = {d.id: d for d in self.digests}
        self._digest_keys.clear()
        self._combo_keys.clear()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- lookups ---------------------------------------------------------
    def __len__(self) -> int:
        return len(self.papers)

    def paper(self, paper_id: str) -> Paper:
        return self.papers[self._pos[paper_id]]

    def has_paper(self, paper_id: str) -> bool:
        return paper_id in self._pos

    def position(self, paper_id: str) -> int:
        return self._pos[paper_id]

    def digest(self, digest_id: str) -> Digest:
        return self._digest_by_id[digest_id]

    def annotation(self, paper_id: str) -> Annotation:
        """The paper's annotation; a fresh ``new`` one when the user never touched it."""
        return self.annotations.get(paper_id) or Annotation(paper_id)

    def status(self, paper_id: str) -> Status:
        ann = self.annotations.get(paper_id)
        return ann.status if ann else Status.NEW

    def resolve(self, ref: str) -> Paper:
        """A paper by full id, unique id prefix (4+ characters) or arXiv id."""
        ref = ref.strip()
        if ref in self._pos:
            return self.paper(ref)
        if len(ref) >= 4:
            matches = [self.paper(pid) for pid in self._pos if pid.startswith(ref)]
            if not matches:
                matches = [p for p in self.papers if p.arxiv_id == ref]
            if len(matches) == 1:
                return matches[0]
            if len(matches) > 1:
                raise LibraryError(f"paper id {ref!r} is ambiguous: use more characters")
        if len(ref) < 4:
            raise LibraryError(f"paper id {ref!r} is too short: give 4 or more characters")
        raise LibraryError(f"no paper with id {ref!r} (see `tracker list` for ids)")

    def resolve_digest(self, ref: str) -> Digest:
        """A digest by id, id prefix, label (``Aug 25``) or ISO date."""
        key = ref.strip().casefold()
        exact = [d for d in self.digests if key in self._keys_of_digest(d)]
        if len(exact) == 1:
            return exact[0]
        prefix = [
            d for d in self.digests if any(k.startswith(key) for k in self._keys_of_digest(d))
        ]
        candidates = exact or prefix
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            raise LibraryError(f"no digest matches {ref!r} (see `tracker digests`)")
        # The file each came from: two pages of one day share their label.
        names = ", ".join(f"{d.display_label} ({d.id}, from {d.source})" for d in candidates[:5])
        raise LibraryError(f"digest {ref!r} is ambiguous: {names}; give its id")

    def keys_of_digests(self, digest_ids: tuple[str, ...]) -> tuple[str, ...]:
        """Search keys of a set of digests, cached: papers share few digest combinations."""
        keys = self._combo_keys.get(digest_ids)
        if keys is None:
            parts: list[str] = []
            for digest_id in digest_ids:
                digest = self._digest_by_id.get(digest_id)
                if digest is not None:
                    parts.extend(self._keys_of_digest(digest))
            keys = self._combo_keys[digest_ids] = tuple(parts)
        return keys

    def _keys_of_digest(self, digest: Digest) -> tuple[str, ...]:
        keys = self._digest_keys.get(digest.id)
        if keys is None:
            parts = [digest.id, digest.label.casefold(), digest.display_label.casefold()]
            if digest.date:
                parts.append(digest.date)
            keys = tuple(dict.fromkeys(parts))
            self._digest_keys[digest.id] = keys
        return keys

    def _check_writable(self) -> None:
        if self.readonly:
            raise LibraryError(
                f"the library in {self.directory} is open read-only; nothing was changed"
            )
