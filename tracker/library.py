"""The library: the one API the CLI and the TUI use.

It joins the parser, the store and the search index: import files, query,
change statuses, notes and tags, undo the last change, and count progress.
Every change is on disk (fsynced) when the method returns.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import importlib.resources
import multiprocessing
import os
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tracker import sources, stats, sync
from tracker.digest import DigestError, ParsedPaper
from tracker.locations import data_dir as default_data_dir
from tracker.models import Annotation, Digest, Paper, Status, normalize_tag, paper_id_for
from tracker.sources.fields import MONTHS, label_for
from tracker.store import Store, StoreError, atomic_write, gc_paused

# Search (with rapidfuzz), the index cache, watch matching, exports and the
# summary are imported where they are used: `tracker import` and the parse
# worker processes need none of them, and importing them took about a third
# of a short command's start-up (issue 5).
if TYPE_CHECKING:
    from tracker import export, export_formats, summary
    from tracker.search import Hit, HitList, Query, SearchIndex
    from tracker.watch import WatchEntry

# An import reads the whole file before touching the library; this bounds
# the memory a mistaken `tracker import /var/log/huge.log` can take.
MAX_IMPORT_BYTES = 256 * 1024 * 1024
_DIGEST_PAGE_LINE = re.compile(
    rb"^[ \t#*>-]*(?:Daily Papers|Get trending papers.*|byAK\b.*|Submitted by .*"
    rb"|\[?https?://huggingface\.co/papers/\S+)\s*$",
    re.MULTILINE,
)
"""A line of a Daily Papers page that a copy keeps even without its date line."""
READ_ATTEMPTS = 5
"""Reads of a file that changes under us before the import gives up on it."""


class LibraryError(Exception):
    """A problem with a user request, explained in one sentence."""


@dataclass(slots=True)
class ImportReport:
    """What one imported file did to the library."""

    source: str
    digests: list[Digest] = field(default_factory=list)
    papers: int = 0
    new: int = 0
    known: int = 0
    warnings: list[str] = field(default_factory=list)
    already_imported: bool = False
    watched: list[tuple[Paper, WatchEntry]] = field(default_factory=list)
    """Papers of this import that match the watch list, in page order, with the entry."""
    format: str = "text"  # what the file was read as (see tracker.sources.FORMATS)


@dataclass(slots=True)
class Result:
    """One query result: the paper, its annotation and how it matched."""

    paper: Paper
    annotation: Annotation
    hit: Hit


@dataclass(slots=True)
class Change:
    """A change that was saved, as described to the user (and undoable)."""

    label: str
    paper_ids: list[str]


@dataclass(slots=True)
class ExportResult:
    """What an export wrote: where, how many papers, and how many it left out and why."""

    path: Path
    count: int
    skipped: int = 0
    skipped_why: str = ""


@dataclass(slots=True)
class BackupReport:
    """What ``tracker backup`` wrote."""

    path: Path
    annotations: int
    papers: int | None = None
    digests: int | None = None


@dataclass(slots=True)
class MergeReport:
    """What merging another machine's backup changed here."""

    source: Path
    annotations: int = 0
    changed: int = 0
    statuses: int = 0
    tags: int = 0
    notes: int = 0
    notes_kept_both: int = 0
    papers_added: int = 0
    papers_updated: int = 0
    digests_added: int = 0
    unknown_papers: int = 0
    """Annotations whose paper is not in this library (kept for when it is imported)."""
    history_only: int = 0
    """Annotations where only the status history or merge bookkeeping changed."""
    kept_both: list[str] = field(default_factory=list)
    """Ids of the papers whose note now holds both machines' versions."""


@dataclass(slots=True)
class DigestStats:
    digest: Digest
    total: int
    by_status: dict[Status, int]

    @property
    def read(self) -> int:
        return self.by_status.get(Status.READ, 0)

    @property
    def triaged(self) -> int:
        """Papers that are no longer ``new``."""
        return self.total - self.by_status.get(Status.NEW, 0)


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class Library:
    """An open library. Use :meth:`open`; close it (or use ``with``) when done."""

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
        for doc in loaded.digests:
            digest = Digest.from_dict(doc)
            # Older versions stored a re-imported file's digests again: show each once.
            self._digest_by_id.setdefault(digest.id, digest)
        self.digests: list[Digest] = list(self._digest_by_id.values())
        self.annotations: dict[str, Annotation] = {}
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
    ) -> Library:
        """Open the library in ``directory`` (default: the user data directory)."""
        store = Store.open(
            default_data_dir(directory), readonly=readonly, make_paper=Paper.from_dict
        )
        try:
            return cls(store)
        except BaseException:
            store.close()
            raise

    @property
    def directory(self) -> Path:
        return self.store.directory

    @property
    def readonly(self) -> bool:
        return self.store.readonly

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Library:
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
            raise LibraryError(f"no digest matches {ref!r} (see `tracker stats`)")
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

    # -- search ----------------------------------------------------------
    @property
    def index(self) -> SearchIndex:
        """The search index, created on first use.

        Creating it only hands it the texts; the word index is built by
        :meth:`build_index` (the TUI does it in a worker after the first frame)
        or by the first search that needs words. Building loads the index saved
        by the last build when it was made from these very texts, indexes only
        what was added since, and saves the result (tracker/index_cache.py).
        """
        with self._index_lock:
            if self._index is None:
                from tracker.index_cache import INDEX_FILE, IndexFile
                from tracker.search import SearchIndex

                index = SearchIndex()
                # Saved next to library.json: see tracker/index_cache.py for where and why.
                index.store = IndexFile(self.directory / INDEX_FILE)
                with gc_paused():
                    for paper in self.papers:
                        index.add(paper.title, paper.abstract)
                self._index = index
            return self._index

    def build_index(self, cancelled: Callable[[], bool] | None = None) -> bool:
        """Index every paper's words now; False if ``cancelled`` stopped it."""
        return self.index.build(cancelled)

    def related(self, paper_id: str, k: int = 5) -> list[Paper] | None:
        """The ``k`` papers most like this one, or None while the word index is not built.

        Never builds the index itself: the app calls this as the cursor moves
        and must not stall for seconds at 100,000 papers; the CLI builds first.
        """
        from tracker.related import related as related_positions

        index = self.index
        if not index.is_built:
            return None
        return [self.papers[pos] for pos, _ in related_positions(index, self._pos[paper_id], k)]

    def query(
        self,
        text: str | Query = "",
        *,
        statuses: Sequence[str] = (),
        digest: str | None = None,
        limit: int | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> list[Result]:
        """Papers matching the query language of DESIGN.md, best first.

        ``statuses`` and ``digest`` add filters the way ``status:`` and
        ``digest:`` in the text would (the CLI's ``--status``/``--digest``).
        """
        hits = self.hits(text, statuses=statuses, digest=digest, limit=limit, cancelled=cancelled)
        return [Result(self.papers[h.pos], self.annotation(self.papers[h.pos].id), h) for h in hits]

    def hits(
        self,
        text: str | Query = "",
        *,
        statuses: Sequence[str] = (),
        digest: str | None = None,
        limit: int | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> HitList:
        """Like :meth:`query` but only the search hits (positions into ``papers``).

        The TUI uses this: it renders only the visible rows, so it never
        builds a result object for each of 100,000 papers.
        """
        from tracker.search import FieldFilter, parse_query

        query = parse_query(text) if isinstance(text, str) else text
        extra: list[FieldFilter] = []
        if statuses:
            extra.append(FieldFilter("status", tuple(Status.parse(s).value for s in statuses)))
        if digest:
            extra.append(FieldFilter("digest", (self.resolve_digest(digest).id,)))
        if extra:
            query = dataclasses.replace(query, filters=query.filters + tuple(extra))
        facets = _Facets(self)
        if any(f.field == "is" for f in query.filters):
            facets.watched_ids = self.watch_matches()
        return self.index.search(query, facets, limit=limit, cancelled=cancelled)

    # -- watch list ------------------------------------------------------
    @property
    def watch_entries(self) -> tuple[WatchEntry, ...]:
        return self._watch

    def set_watch(self, entries: Sequence[WatchEntry]) -> None:
        """Use this watch list from now on (the caller keeps it in config.toml).

        Matches are recomputed from the list, never stored, so a change to the
        list (in the app or by hand) shows everywhere at once.
        """
        with self._watch_lock:
            self._watch = tuple(entries)
            self._watch_cache = None

    def watch_matches(self) -> dict[str, WatchEntry]:
        """Paper id → the first watch entry it matches, over the whole library.

        Needs the word index (built here if it is not yet): the app calls it
        from a worker; :meth:`watch_match` never waits for it.
        """
        with self._watch_lock:
            cache = self._watch_cache
            if cache is None:
                if self._watch:
                    from tracker.watch import match_index

                    index = self.index
                    found = match_index(self._watch, index, self.papers)
                    cache = {self.papers[pos].id: entry for pos, entry in found.items()}
                else:
                    cache = {}
                self._watch_cache = cache
            return cache

    def watch_match(self, paper_id: str) -> WatchEntry | None:
        """The entry the paper matches, if the matches are computed; never computes them."""
        cache = self._watch_cache
        return cache.get(paper_id) if cache is not None else None

    @property
    def watch_ready(self) -> bool:
        """True when :meth:`watch_match` answers for every paper."""
        return self._watch_cache is not None

    def _report_watched(self, reports: Sequence[ImportReport]) -> None:
        """Fill each report's ``watched`` once its papers are in the library.

        Only the imported papers are matched, all files of a command in one
        index (its vocabulary is the expensive part), so the cost follows
        the import, not the library, and no library-wide index is built.
        """
        fresh = [r for r in reports if not r.already_imported and r.digests]
        if not self._watch or not fresh:
            return
        papers: dict[str, Paper] = {}
        for report in fresh:
            for digest in report.digests:
                for pid in digest.paper_ids:
                    papers.setdefault(pid, self.paper(pid))
        from tracker.watch import match_papers

        found = match_papers(self._watch, list(papers.values()))
        for report in fresh:
            ids = dict.fromkeys(pid for d in report.digests for pid in d.paper_ids)
            report.watched = [(papers[pid], found[pid]) for pid in ids if pid in found]

    # -- import ----------------------------------------------------------
    def import_file(
        self,
        path: str | os.PathLike[str],
        *,
        date: str | None = None,
        format: str = sources.AUTO,
    ) -> ImportReport:
        """Import one digest file; nothing is stored unless the whole file parsed."""
        path = Path(path)
        return self.import_bytes(
            _read_digest_file(path), source=path.name, date=date, format=format
        )

    def import_files(
        self,
        paths: Sequence[str | os.PathLike[str]],
        *,
        date: str | None = None,
        format: str = sources.AUTO,
        workers: int = 1,
    ) -> list[ImportReport | DigestError | LibraryError]:
        """Import several files with one write of library.json.

        ``format`` is ``auto`` (each file's format is detected from its
        content) or one of :data:`tracker.sources.FORMATS` for all of them.
        With ``workers`` > 1 and enough files, the files are parsed ahead in
        that many processes (parsing is most of an import; the CLI uses the
        machine's cores); the result is the same as with one.

        Each file is all or nothing: one that cannot be read or parsed is
        reported (as the exception, in its place in the result) and the
        others still go in. Rewriting the library once per command instead
        of once per file keeps a 1,000-file import from writing gigabytes.
        """
        self._check_writable()
        _check_format(format)
        outcomes: list[ImportReport | DigestError | LibraryError] = []
        new: dict[str, Paper] = {}
        changed: dict[str, Paper] = {}
        digests: list[Digest] = []
        ahead = _parse_ahead(paths, format, workers)
        # Parsing and planning make millions of objects without cycles.
        with gc_paused():
            for name, early in zip(paths, ahead, strict=True):
                path = Path(name)
                try:
                    if early is not None:  # parsed in a worker process
                        planned = self._plan_import(b"", path.name, date, format, early)
                    else:
                        data = _read_digest_file(path)
                        planned = self._plan_import(data, path.name, date, format)
                except (DigestError, LibraryError) as err:
                    outcomes.append(err)
                    continue
                report, file_new, file_changed = planned
                outcomes.append(report)
                if report.already_imported:
                    continue  # its digests are stored already: adding them again would repeat them
                # Apply in memory now so that the next file sees these papers.
                self._apply_import(list(file_new.values()), file_changed, report.digests)
                new.update(file_new)
                for pid, paper in file_changed.items():
                    if pid in new:
                        new[pid] = paper  # new in this batch: still an insert
                    else:
                        changed[pid] = paper
                digests.extend(report.digests)
            if digests:
                try:
                    self._save_import(new, changed, digests)
                except BaseException:
                    # Back to what the store holds: the disk plus, after a failed
                    # write, its unsaved cache (written by the next save or ctrl+s).
                    self._load()
                    raise
            self._report_watched([o for o in outcomes if isinstance(o, ImportReport)])
        return outcomes

    def import_bytes(
        self,
        data: bytes,
        *,
        source: str,
        date: str | None = None,
        format: str = sources.AUTO,
    ) -> ImportReport:
        """Import a digest given as bytes (``source`` names it in messages)."""
        self._check_writable()
        _check_format(format)
        with gc_paused():
            report, new_papers, changed = self._plan_import(data, source, date, format)
            if report.digests and not report.already_imported:
                # Memory first, then disk, as in import_files: a failed save
                # leaves both holding the import (the cache stays dirty and a
                # retry writes it), never the disk cache alone.
                self._apply_import(list(new_papers.values()), changed, report.digests)
                try:
                    self._save_import(new_papers, changed, report.digests)
                except BaseException:
                    self._load()  # what the store holds, unsaved cache included
                    raise
                self._report_watched([report])
        return report

    def _save_import(
        self, new: dict[str, Paper], changed: dict[str, Paper], digests: list[Digest]
    ) -> None:
        self.store.save_import(
            [p.to_dict() for p in new.values()],
            {pid: p.to_dict() for pid, p in changed.items()},
            [d.to_dict() for d in digests],
        )

    def _plan_import(
        self,
        data: bytes,
        source: str,
        date: str | None,
        format: str = sources.AUTO,
        parsed_ahead: tuple[str, sources.Parsed] | None = None,
    ) -> tuple[ImportReport, dict[str, Paper], dict[str, Paper]]:
        """Parse a digest and work out what it adds, without changing anything.

        ``parsed_ahead``: the file's sha256 and its parse, made by a worker.
        """
        day = _parse_iso_date(date) if date else None
        sha = parsed_ahead[0] if parsed_ahead else hashlib.sha256(data).hexdigest()
        report = ImportReport(source=source)
        new_papers: dict[str, Paper] = {}
        changed: dict[str, Paper] = {}
        if any(d.sha256 == sha for d in self.digests):
            report.already_imported = True
            report.digests = [d for d in self.digests if d.sha256 == sha]
            report.format = report.digests[0].format
            report.papers = report.known = sum(len(d.paper_ids) for d in report.digests)
            return report, new_papers, changed
        result = parsed_ahead[1] if parsed_ahead else sources.parse_bytes(data, source, format)
        parsed = result.digest
        if (
            format == sources.AUTO
            and result.format == "text"
            and day is None
            and not any(s.label or s.date for s in parsed.sections)
            and not _DIGEST_PAGE_LINE.search(data)
        ):
            # A README, a config file or a note also splits into "title" and
            # "abstract" blocks; a digest page has a date line or some of the
            # page around the list. Nothing can take back a wrong import, so
            # refuse and say how to import a real undated digest.
            raise DigestError(
                source,
                f"{source} does not look like a digest (no date line, nothing of a Daily "
                "Papers page); if it is one, import it with --date YYYY-MM-DD",
            )
        report.format = result.format
        report.warnings = [str(w) for w in parsed.warnings]
        imported_at = self.now()
        several = len(parsed.sections) > 1
        exact = result.format in sources.EXACT_DATES
        own_dates = [s.date for s in parsed.sections if s.date]
        if exact and day is not None and own_dates and own_dates != [day.isoformat()]:
            # The listing's own dates are exact; say so once rather than per digest.
            report.warnings.append(
                f"--date {day.isoformat()} not used: {source} gives its own "
                f"date{'s' if len(own_dates) > 1 else ''} ({', '.join(own_dates)})"
            )
        for number, section in enumerate(parsed.sections, start=1):
            digest_id = f"{sha[:12]}-{number}" if several else sha[:12]
            label, iso = self._date_for(section.label, section.date, day, several, source, exact)
            if iso is None:
                unknown = "year" if section.label else "date"
                report.warnings.append(
                    f"{label}: the digest's {unknown} is unknown; give --date YYYY-MM-DD to set it"
                )
            digest = Digest(digest_id, label, iso, source, sha, imported_at, format=result.format)
            seen: set[str] = set()  # paper_ids is a list: asking it was quadratic per page
            for item in section.papers:
                pid = paper_id_for(item.title)
                if pid in seen:
                    continue
                seen.add(pid)
                digest.paper_ids.append(pid)
                report.papers += 1
                paper = new_papers.get(pid) or changed.get(pid)
                if paper is None and pid in self._pos:
                    paper = dataclasses.replace(
                        self.paper(pid), digests=list(self.paper(pid).digests)
                    )
                    changed[pid] = paper
                if paper is None:
                    paper = Paper(pid, item.title, item.abstract)
                    new_papers[pid] = paper
                    report.new += 1
                else:
                    report.known += 1
                _merge_parsed(paper, item, digest_id)
            report.digests.append(digest)
        return report, new_papers, changed

    def _date_for(
        self,
        label: str | None,
        parsed_date: str | None,
        given: dt.date | None,
        several: bool,
        source: str,
        exact: bool = False,
    ) -> tuple[str, str | None]:
        """The digest's label and ISO date: parsed from the page, else from --date.

        For a text page --date wins (it supplies the year "Aug 25" lacks); a
        JSON or arXiv listing carries the full date itself, which wins.
        """
        if exact and parsed_date:
            return label or parsed_date, parsed_date
        if given is not None and not several:
            return label or label_for(given), given.isoformat()
        if parsed_date:
            return label or parsed_date, parsed_date
        if label and given is not None:
            # Several sections: --date supplies the year for "Aug 25"-style labels.
            month_day = label.split()
            if len(month_day) == 2 and month_day[0][:3].lower() in MONTHS:
                try:
                    day = dt.date(given.year, MONTHS[month_day[0][:3].lower()], int(month_day[1]))
                    return label, day.isoformat()
                except ValueError:
                    pass
        return label or Path(source).stem, None

    def _apply_import(
        self, new: list[Paper], changed: dict[str, Paper], digests: list[Digest]
    ) -> None:
        for pid, paper in changed.items():
            pos = self._pos[pid]
            old = self.papers[pos]
            self.papers[pos] = paper
            if self._index is not None and (old.title, old.abstract) != (
                paper.title,
                paper.abstract,
            ):
                self._index.update(pos, paper.title, paper.abstract)
        for paper in new:
            self._pos[paper.id] = len(self.papers)
            self.papers.append(paper)
            if self._index is not None:
                self._index.add(paper.title, paper.abstract)
        for digest in digests:
            self.digests.append(digest)
            self._digest_by_id[digest.id] = digest
        if new or changed:
            with self._watch_lock:
                self._watch_cache = None  # new papers may match: recomputed when asked

    def import_bundled_seeds(self) -> list[ImportReport]:
        """Import the digests that ship with the package (first run)."""
        reports = []
        seeds = importlib.resources.files("tracker.seeds")
        for entry in sorted(seeds.iterdir(), key=lambda e: e.name):
            if entry.name.endswith(".txt"):
                reports.append(self.import_bytes(entry.read_bytes(), source=entry.name))
        return reports

    # -- annotations -----------------------------------------------------
    def _check_writable(self) -> None:
        if self.readonly:
            raise LibraryError(
                f"the library in {self.directory} is open read-only; nothing was changed"
            )

    def _commit(
        self,
        label: str,
        updates: dict[str, Annotation],
        *,
        session: str | None = None,
        stamp: str | None = None,
    ) -> Change:
        """Save changed annotations with an undo entry holding their previous state.

        Saves made with the same ``session`` as the newest undo entry (the
        autosaves of one note edit) share that entry, so one undo restores
        the note as it was before the edit began. The undo entry holds the
        whole previous annotation, status history included.
        """
        self._check_writable()
        stamp = stamp or self.now()
        before = [self.annotation(pid).to_dict() for pid in updates]
        entry: dict[str, Any] = {
            "label": label,
            "at": stamp,
            "paper_ids": list(updates),
            "before": before,
        }
        undo: dict[str, Any] | None = entry
        if session is not None:
            entry["session"] = session
            last = self.store.last_undo()
            if last and last.get("session") == session and last.get("paper_ids") == list(updates):
                undo = None
        for ann in updates.values():
            # The times and note fingerprints that merging with another
            # machine's backup relies on (tracker.sync).
            sync.record_edit(self.annotation(ann.paper_id), ann, stamp, continuing=undo is None)
            self.annotations[ann.paper_id] = ann
        self.store.save_annotations([a.to_dict() for a in updates.values()], undo_push=undo)
        return Change(label, list(updates))

    def set_status(self, paper_ids: Iterable[str], status: Status | str) -> Change:
        """Change the status of papers; each change goes into the paper's history."""
        status = Status.parse(status) if isinstance(status, str) else status
        stamp = self.now()
        updates: dict[str, Annotation] = {}
        for pid in dict.fromkeys(paper_ids):
            self.paper(pid)  # KeyError for an unknown id is a programming error
            ann = self.annotation(pid).copy()
            if ann.status is not status:
                ann.change_status(status, stamp)
                updates[pid] = ann
        if not updates:
            return Change(f"already {status.value}", [])
        n = len(updates)
        label = f"marked {n} paper{'s' if n != 1 else ''} {status.value}"
        return self._commit(label, updates, stamp=stamp)

    def set_note(self, paper_id: str, text: str, *, session: str | None = None) -> Change:
        """Replace the paper's note; autosaves of one edit pass the same ``session``."""
        self.paper(paper_id)
        ann = self.annotation(paper_id).copy()
        if ann.note == text:
            return Change("note unchanged", [])
        ann.note = text
        return self._commit("edited a note", {paper_id: ann}, session=session)

    def append_note(self, paper_id: str, text: str) -> Change:
        current = self.annotation(paper_id).note.rstrip("\n")
        joined = f"{current}\n\n{text}" if current else text
        return self.set_note(paper_id, joined)

    def add_tags(self, paper_ids: Iterable[str], tags: Iterable[str]) -> Change:
        return self.change_tags(paper_ids, add=tags)

    def remove_tags(self, paper_ids: Iterable[str], tags: Iterable[str]) -> Change:
        return self.change_tags(paper_ids, remove=tags)

    def change_tags(
        self,
        paper_ids: Iterable[str],
        *,
        add: Iterable[str] = (),
        remove: Iterable[str] = (),
    ) -> Change:
        """Add and remove tags on papers in one saved, undoable change.

        Tags keep the order they were first given; a tag both added and
        removed is removed.
        """
        unwanted = {t for t in map(normalize_tag, remove) if t} | {t.strip() for t in remove}
        wanted = [t for t in map(normalize_tag, add) if t and t not in unwanted]
        updates: dict[str, Annotation] = {}
        for pid in dict.fromkeys(paper_ids):
            self.paper(pid)  # KeyError for an unknown id is a programming error
            ann = self.annotation(pid).copy()
            tags = [t for t in dict.fromkeys([*ann.tags, *wanted]) if t not in unwanted]
            if tags != ann.tags:
                ann.tags = tags
                updates[pid] = ann
        if not updates:
            return Change("tags unchanged", [])
        parts = []
        if wanted:
            parts.append("+" + " +".join(wanted))
        if unwanted:
            parts.append("-" + " -".join(sorted(unwanted)))
        where = f" on {len(updates)} papers" if len(updates) > 1 else ""
        return self._commit(f"tags {' '.join(parts)}{where}", updates)

    def all_tags(self) -> list[str]:
        """Every tag in use, most used first (for completion)."""
        counts = Counter(t for a in self.annotations.values() for t in a.tags)
        return [t for t, _ in counts.most_common()]

    def last_change_id(self) -> int | None:
        """An id for the newest undoable change, to undo exactly that one later."""
        return self.store.last_undo_id()

    def undo(self, *, only: int | None = None) -> Change | None:
        """Undo the most recent change (this session's or an earlier one's).

        With ``only`` (from :meth:`last_change_id`), undo only if that change
        is still the newest: triage's `u` must not undo a note written since.
        """
        self._check_writable()
        entry = self.store.last_undo()
        if entry is None:
            return None
        if only is not None and self.store.last_undo_id() != only:
            label = entry.get("label", "another change")
            raise LibraryError(
                f"the newest change is “{label}”, made after that one; nothing was undone"
            )
        restored = [Annotation.from_dict(doc) for doc in entry.get("before", [])]
        stamp = self.now()
        for ann in restored:
            if entry.get("kind") != "merge":
                # An undo is a new change: on a merge it must win over the
                # version it took back, wherever that version went meanwhile.
                sync.record_edit(self.annotation(ann.paper_id), ann, stamp, continuing=False)
            # Undoing a merge puts the annotations back exactly as they were,
            # times included: it claims nothing about the other machine's
            # versions, so none of them is lost, and merging that backup
            # again does the same merge again.
            self.annotations[ann.paper_id] = ann
        self.store.save_annotations([a.to_dict() for a in restored], undo_pop=True)
        return Change(f"undid: {entry.get('label', 'last change')}", [a.paper_id for a in restored])

    @property
    def has_unsaved(self) -> bool:
        """True when a failed save (disk full, permissions) left changes only in memory."""
        return self.store.has_unsaved

    def flush(self) -> None:
        """Retry saving anything a failed write left in memory; StoreError if it fails again."""
        self.store.flush()

    # -- export ----------------------------------------------------------
    def export_items(self, paper_ids: Iterable[str]) -> list[export.ExportItem]:
        from tracker import export

        return [export.ExportItem(self.paper(pid), self.annotation(pid)) for pid in paper_ids]

    def render_export(
        self,
        items: Sequence[export.ExportItem],
        fmt: str = "md",
        *,
        group_by: str = "digest",
        abstracts: bool = True,
    ) -> export_formats.Rendered:
        """An export in one of :data:`tracker.export_formats.FORMATS` as text (not ``vault``)."""
        from tracker import export_formats

        return export_formats.render(
            fmt, items, self.digests, group_by=group_by, abstracts=abstracts, created_at=self.now()
        )

    def write_export(
        self,
        items: Sequence[export.ExportItem],
        target: str | os.PathLike[str],
        *,
        fmt: str = "md",
        group_by: str = "digest",
        abstracts: bool = True,
    ) -> ExportResult:
        """Write an export: a file, or for ``vault`` a folder of per-paper files.

        The CLI and the app both call this, so both write the same thing.
        Each file is replaced atomically: an export interrupted half-way
        never leaves a half-written file behind.
        """
        path = Path(target).expanduser()
        if fmt == "vault":
            if path.exists() and not path.is_dir():
                raise LibraryError(f"{path} is a file; a vault export needs a folder")
            from tracker import export

            files = export.per_paper_files(items, self.digests)
            _make_dirs(path)
            for name, content in files.items():
                _write_file(path / name, content.encode("utf-8"))
            return ExportResult(path, len(files))
        if path.is_dir():
            raise LibraryError(f"{path} is a folder; give a file name to export to")
        rendered = self.render_export(items, fmt, group_by=group_by, abstracts=abstracts)
        if not rendered.count and rendered.skipped:
            n = rendered.skipped
            raise LibraryError(
                f"none of the {n} paper{'s' if n != 1 else ''} has an arXiv id, so there is "
                f"no BibTeX to write; {path} was not written"
                if fmt == "bibtex"
                else f"all {n} papers were left out {rendered.skipped_why}; {path} was not written"
            )
        _make_dirs(path.parent)
        _write_file(path, rendered.text.encode("utf-8"))
        return ExportResult(path, rendered.count, rendered.skipped, rendered.skipped_why)

    # -- several machines -----------------------------------------------
    def backup_document(self, *, with_library: bool = False) -> dict[str, Any]:
        """Every annotation (and optionally every paper and digest) as a backup document."""
        papers = {pid: self.paper(pid) for pid in self.annotations if pid in self._pos}
        library = (self.papers, self.digests) if with_library else None
        return sync.backup_document(
            self.annotations.values(), papers, created_at=self.now(), library=library
        )

    def write_backup(
        self, target: str | os.PathLike[str], *, with_library: bool = False
    ) -> BackupReport:
        """Write the backup file atomically (see :mod:`tracker.sync` for its format)."""
        path = Path(target).expanduser()
        if path.is_dir():
            raise LibraryError(f"{path} is a folder; give a file name for the backup")
        doc = self.backup_document(with_library=with_library)
        _make_dirs(path.parent)
        _write_file(path, sync.dumps(doc))
        report = BackupReport(path, len(doc["annotations"]))
        if with_library:
            report.papers, report.digests = len(self.papers), len(self.digests)
        return report

    def merge_backup(self, source: str | os.PathLike[str]) -> MergeReport:
        """Merge another machine's backup into this library (rules in :mod:`tracker.sync`).

        The whole file is read and checked first: a bad file changes
        nothing. Papers and digests in the backup are added to
        library.json, then the annotations are merged in one write of
        annotations.json that ``undo`` takes back as one change. If the
        process dies between the two writes, merging again finishes the job
        (merging is idempotent).
        """
        self._check_writable()
        path = Path(source).expanduser()
        data = _read_limited(path, "backup")
        try:
            backup = sync.parse_backup(data, str(path))
        except sync.BackupError as err:
            raise LibraryError(str(err)) from None
        report = MergeReport(path, annotations=len(backup.annotations))
        if backup.papers is not None:
            self._merge_library(backup.papers, backup.digests or [], report)
        updates: dict[str, Annotation] = {}
        for remote in backup.annotations:
            pid = remote.paper_id
            local = updates.get(pid) or self.annotation(pid)
            merged = sync.merge_annotation(local, remote)
            if merged.to_dict() != local.to_dict():
                updates[pid] = merged
        for pid, merged in updates.items():
            local = self.annotation(pid)
            report.statuses += merged.status is not local.status
            report.tags += merged.tags != local.tags
            if merged.note != local.note:
                remote_notes = {a.note for a in backup.annotations if a.paper_id == pid}
                if merged.note in remote_notes:
                    report.notes += 1
                else:
                    report.notes_kept_both += 1
                    report.kept_both.append(pid)
            report.unknown_papers += pid not in self._pos
            report.history_only += (merged.status, merged.tags, merged.note) == (
                local.status,
                local.tags,
                local.note,
            )
        report.changed = len(updates)
        if updates:
            n = len(updates)
            label = f"merged {n} annotation{'s' if n != 1 else ''} from {path.name}"
            before = [self.annotation(pid).to_dict() for pid in updates]
            undo = {
                "label": label,
                "kind": "merge",
                "at": self.now(),
                "paper_ids": list(updates),
                "before": before,
            }
            # Stored as merged, times included: restamping them would make
            # this copy look newer than the other machine's and break the
            # next merge in the other direction.
            # Memory first, as in _commit: if the write fails, the app's
            # unsaved-changes banner and ctrl+s retry see the merged state.
            self.annotations.update(updates)
            self.store.save_annotations([a.to_dict() for a in updates.values()], undo_push=undo)
        return report

    def _merge_library(
        self, papers: Sequence[Paper], digests: Sequence[Digest], report: MergeReport
    ) -> None:
        """Add the backup's papers and digests that this library lacks (one write)."""
        self._check_writable()
        new: dict[str, Paper] = {}
        changed: dict[str, Paper] = {}
        for theirs in papers:
            if theirs.id in new:
                continue
            if theirs.id not in self._pos:
                new[theirs.id] = dataclasses.replace(theirs, digests=list(theirs.digests))
                continue
            ours = self.paper(theirs.id)
            merged = dataclasses.replace(
                ours,
                abstract=ours.abstract or theirs.abstract,
                digests=list(dict.fromkeys([*ours.digests, *theirs.digests])),
                arxiv_id=ours.arxiv_id or theirs.arxiv_id,
                authors=list(ours.authors or theirs.authors),
                url=ours.url or theirs.url,
                upvotes=ours.upvotes if ours.upvotes is not None else theirs.upvotes,
            )
            if merged != ours:
                changed[theirs.id] = merged
        fresh = [
            d for d in dict((d.id, d) for d in digests).values() if d.id not in self._digest_by_id
        ]
        if new or changed or fresh:
            self._save_import(new, changed, fresh)
            self._apply_import(list(new.values()), changed, fresh)
        report.papers_added, report.papers_updated = len(new), len(changed)
        report.digests_added = len(fresh)

    # -- stats -----------------------------------------------------------
    def digest_stats(self) -> list[DigestStats]:
        stats = []
        for digest in self.digests:
            counts = Counter(self.status(pid) for pid in digest.paper_ids)
            stats.append(DigestStats(digest, len(digest.paper_ids), dict(counts)))
        return stats

    def status_counts(self) -> dict[Status, int]:
        counts = Counter(self.status(p.id) for p in self.papers)
        return {s: counts.get(s, 0) for s in Status}

    def reading_stats(
        self, *, today: dt.date | None = None, weeks: int = stats.WEEKS
    ) -> stats.ReadingStats:
        """Weekly triage and reading figures, backlog, per-digest progress and notes.

        ``today`` defaults to the UTC date of :attr:`now` (the history is stored in UTC).
        """
        moment = stats.parse_time(self.now())
        day = today or (moment.date() if moment else dt.datetime.now(dt.UTC).date())
        progress = [
            stats.DigestProgress(s.digest.id, s.digest.display_label, s.total, s.triaged, s.read)
            for s in self.digest_stats()
        ]
        anns = [a for pid, a in self.annotations.items() if pid in self._pos]
        return stats.compute(anns, progress, papers=len(self.papers), today=day, weeks=weeks)

    # -- what's new -------------------------------------------------------
    def current_time(self) -> dt.datetime:
        """Now, from the library's clock (:attr:`now`), as an aware UTC datetime."""
        return stats.parse_time(self.now()) or dt.datetime.now(dt.UTC)

    def whats_new(
        self, since: dt.datetime | None = None, *, watched_only: bool = False
    ) -> summary.Summary:
        """Papers of the digests imported since ``since`` (default: the last 24 hours).

        Watched papers carry the watch entry they match; only the summary's
        own papers are matched, so this costs what the new digests hold.
        """
        from tracker import summary
        from tracker.watch import match_papers

        start = since or self.current_time() - summary.DEFAULT_WINDOW
        ids = dict.fromkeys(
            pid for d in summary.new_digests(self.digests, start) for pid in d.paper_ids
        )
        found = match_papers(self.watch_entries, [self.paper(pid) for pid in ids])
        return summary.collect(
            start,
            self.digests,
            self.paper,
            self.status,
            {pid: entry.text for pid, entry in found.items()},
            watched_only=watched_only,
        )

    def note_count(self) -> int:
        return sum(
            1 for a in self.annotations.values() if a.note.strip() and a.paper_id in self._pos
        )


class _Facets:
    """Per-position paper fields for the search module's filters."""

    def __init__(self, library: Library) -> None:
        self._lib = library
        self.watched_ids: dict[str, WatchEntry] = {}
        self._statuses: list[str] | None = None
        self._noted: set[int] | None = None
        self._tags: list[Sequence[str]] | None = None
        self._watched: set[int] | None = None

    @property
    def status(self) -> Callable[[int], str]:
        """Each position's status, as a lookup in a list made for this search.

        A status filter asks for every paper's status: a list's own
        ``__getitem__`` runs in C through ``map`` (2 ms at 100,000 papers,
        a method call per paper took 60 ms). Only annotated papers differ
        from ``new``, so the list costs O(annotations) beyond its allocation.
        """
        if self._statuses is None:
            statuses = [Status.NEW.value] * len(self._lib.papers)
            for pos, ann in self._by_position():
                statuses[pos] = ann.status.value
            self._statuses = statuses
        return self._statuses.__getitem__

    def _by_position(self) -> Iterator[tuple[int, Annotation]]:
        """Each annotated paper's position and annotation (O(annotations))."""
        position = self._lib._pos.get
        for pid, ann in self._lib.annotations.items():
            pos = position(pid)
            if pos is not None:
                yield pos, ann

    @property
    def has_note(self) -> Callable[[int], bool]:
        """Whether a position has a note: a set lookup, in C through ``map``."""
        if self._noted is None:
            self._noted = {pos for pos, ann in self._by_position() if ann.note.strip()}
        return self._noted.__contains__

    @property
    def tags(self) -> Callable[[int], Sequence[str]]:
        """Each position's tags, from a list made for this search (see ``status``)."""
        if self._tags is None:
            tags: list[Sequence[str]] = [()] * len(self._lib.papers)
            for pos, ann in self._by_position():
                tags[pos] = ann.tags
            self._tags = tags
        return self._tags.__getitem__

    def digest_keys(self, pos: int) -> Sequence[str]:
        return self._lib.keys_of_digests(tuple(self._lib.papers[pos].digests))

    @property
    def watched(self) -> Callable[[int], bool]:
        if self._watched is None:
            position = self._lib._pos
            self._watched = {position[pid] for pid in self.watched_ids if pid in position}
        return self._watched.__contains__


def _merge_parsed(paper: Paper, item: ParsedPaper, digest_id: str) -> None:
    """Add the digest to the paper and fill in fields the stored copy lacks.

    Nothing known is lost: an abstract is only replaced by one that extends
    it (a page showing a cut-off abstract, then the JSON with the whole one),
    and the result does not depend on which source came first.
    """
    if digest_id not in paper.digests:
        paper.digests.append(digest_id)
    if _extends(item.abstract, paper.abstract):
        paper.abstract = item.abstract
    paper.arxiv_id = paper.arxiv_id or item.arxiv_id
    paper.url = paper.url or item.url
    if not paper.authors and item.authors:
        paper.authors = list(item.authors)
    if item.upvotes is not None:
        # Upvotes only grow on the site, so the larger count is the newer one.
        paper.upvotes = max(paper.upvotes or 0, item.upvotes)


_ELLIPSIS = ("…", "...", "[…]", "(…)")


def _extends(new: str, old: str) -> bool:
    """True when ``new`` is a longer version of ``old`` (or ``old`` is empty)."""
    if not new or len(new) <= len(old):
        return False
    stem = old.strip()
    for mark in _ELLIPSIS:
        stem = stem.removesuffix(mark).rstrip()
    return _normalize_space(new).startswith(_normalize_space(stem))


def _normalize_space(text: str) -> str:
    return " ".join(text.split())


def _check_format(format: str) -> None:
    if format != sources.AUTO and format not in sources.FORMATS:
        raise LibraryError(
            f"unknown format {format!r}; the supported formats are {sources.AUTO} "
            f"(detect from the content), {sources.supported()}"
        )


# Below this many files, or this much text, starting worker processes (about
# 0.3 s) costs more than parsing in parallel saves (measured: 100 files of
# 14 MB in all took 1.2 s in one process and 1.7 s with two workers).
PARALLEL_MIN_FILES = 8
PARALLEL_MIN_BYTES = 32 * 1024 * 1024


def _parse_ahead(
    paths: Sequence[str | os.PathLike[str]], format: str, workers: int
) -> Iterator[tuple[str, sources.Parsed] | None]:
    """Each file's sha256 and parse, made in ``workers`` processes, in order.

    None for a file that is to be read and parsed here instead: every file
    when there are few or one worker, and any file a worker could not parse
    (so that its error is raised here, exactly as without workers).
    """
    if workers < 2 or len(paths) < PARALLEL_MIN_FILES or _total_size(paths) < PARALLEL_MIN_BYTES:
        yield from repeat(None, len(paths))
        return
    # spawn, not fork: a fresh interpreter is safe whatever threads this
    # process runs (the app's import dialog calls this too).
    context = multiprocessing.get_context("spawn")
    names = [str(p) for p in paths]
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        yield from pool.map(_parse_for_import, names, repeat(format))


def _total_size(paths: Sequence[str | os.PathLike[str]]) -> int:
    total = 0
    for path in paths:
        with contextlib.suppress(OSError):
            total += os.stat(path).st_size
    return total


def _parse_for_import(name: str, format: str) -> tuple[str, sources.Parsed] | None:
    """Run in a worker process: read and parse one file (None if it fails)."""
    try:
        path = Path(name)
        data = _read_digest_file(path)
        return hashlib.sha256(data).hexdigest(), sources.parse_bytes(data, path.name, format)
    except Exception:  # the importing process reads it again and reports it
        return None


def _read_digest_file(path: Path) -> bytes:
    return _read_limited(path, "digest")


def _read_limited(path: Path, what: str) -> bytes:
    """The file's bytes, read as one consistent version.

    A file still being written (a download, a sync client) can change while
    we read it, and a torn read could mix two versions into one. So
    the size, mtime and inode are compared before and after the read, and a
    file that changed is read again a few times before giving up.
    """
    if path.is_dir():
        raise LibraryError(f"{path} is a directory, not a {what} file")
    try:
        for _attempt in range(READ_ATTEMPTS):
            with path.open("rb") as fh:
                before = os.fstat(fh.fileno())
                if before.st_size > MAX_IMPORT_BYTES:
                    raise LibraryError(
                        f"{path} is {before.st_size // 2**20} MB, larger than the "
                        f"{MAX_IMPORT_BYTES // 2**20} MB a {what} can be"
                    )
                data = fh.read(MAX_IMPORT_BYTES + 1)
            after = path.stat()
            if _same_version(before, after) and len(data) == after.st_size:
                return data
            time.sleep(0.05)
    except OSError as err:
        raise LibraryError(f"cannot read {path}: {err.strerror or err}") from err
    again = "import" if what == "digest" else "merge"
    raise LibraryError(
        f"{path} kept changing while it was read; {again} it again once it is complete"
    )


def _same_version(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_ino, a.st_size, a.st_mtime_ns) == (b.st_ino, b.st_size, b.st_mtime_ns)


def _make_dirs(path: Path) -> None:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise LibraryError(f"cannot create the folder {path}: {err.strerror or err}") from err


def _write_file(path: Path, payload: bytes) -> None:
    """Write an export or backup file atomically (no ``.bak``: it is not library data)."""
    try:
        atomic_write(path, payload, keep_backup=False)
    except StoreError as err:
        cause = err.__cause__
        reason = cause.strerror if isinstance(cause, OSError) and cause.strerror else str(cause)
        raise LibraryError(f"cannot write {path}: {reason}") from err


def _parse_iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise LibraryError(f"--date {text!r} is not a date like 2024-10-07") from None


__all__ = [
    "BackupReport",
    "Change",
    "DigestStats",
    "ExportResult",
    "ImportReport",
    "Library",
    "LibraryError",
    "MergeReport",
    "Result",
    "StoreError",
    "now_iso",
]
