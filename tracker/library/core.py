"""The library's state: papers, digests and annotations in memory, opening, lookups."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from tracker.locations import data_dir as default_data_dir
from tracker.models import Annotation, Digest, InvalidIdError, Paper, Status
from tracker.store import ANNOTATIONS_FILE, LIBRARY_FILE, CorruptFileError, Store, gc_paused

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


class LibraryCore:
    """The library's state in memory, opening and closing it, and lookups."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.now: Callable[[], str] = now_iso
        """The clock for stored times (imports, changes, history); tests replace it."""
        self._index_lock = threading.Lock()
        self._watch_lock = threading.Lock()
        self._watch: tuple[WatchEntry, ...] = ()
        self._load()

    def _load(self) -> None:
        """Read papers, digests and annotations from the store into memory."""
        with gc_paused():
            self._load_all()

    def _load_all(self) -> None:
        store = self.store
        loaded = store.take_library()
        self.papers: list[Paper] = loaded.papers
        self._pos: dict[str, int] = {p.id: i for i, p in enumerate(self.papers)}
        self._digest_by_id: dict[str, Digest] = {}
        with _ids_checked(store.directory / LIBRARY_FILE):
            for doc in loaded.digests:
                digest = Digest.from_dict(doc)
                # Older versions stored a re-imported file's digests again: show each once.
                self._digest_by_id.setdefault(digest.id, digest)
        self.digests: list[Digest] = list(self._digest_by_id.values())
        self._undo_records: dict[str, dict[str, Any] | bytes] = loaded.undo
        """What takes back each undoable change of papers and digests, by token
        (see :mod:`tracker.library.history`)."""
        self.annotations: dict[str, Annotation] = {}
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
        cls, directory: str | os.PathLike[str] | None = None, *, readonly: bool = False
    ) -> Self:
        """Open the library in ``directory`` (default: the user data directory)."""
        where = default_data_dir(directory)
        with _ids_checked(where / LIBRARY_FILE):
            store = Store.open(where, readonly=readonly, make_paper=Paper.from_dict)
        try:
            library = cls(store)
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
        self.store.close()

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
            matches = [p for p in self.papers if p.id.startswith(ref)]
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
        names = ", ".join(f"{d.display_label} ({d.id})" for d in candidates[:5])
        raise LibraryError(f"digest {ref!r} is ambiguous: {names}")

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
