"""Importing digest files: reading, parsing (in worker processes for many files), planning, applying."""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING

from tracker import sources
from tracker.library.core import LibraryError
from tracker.library.history import LibraryHistory
from tracker.library.import_plan import (
    NOT_A_PAGE,
    FilePlan,
    ImportReport,
    NoDayError,
    not_a_page,
)
from tracker.library.page_hash import PageHashes, page_hashes
from tracker.library.page_pieces import ReadWhole, is_large, open_pieces, read_in_pieces
from tracker.library.parse_ahead import Ahead, parse_ahead, read_digest_file
from tracker.models import Digest, Paper
from tracker.sources.parsed import DigestError, ParseWarning
from tracker.store import LibraryEdit, gc_paused
from tracker.store.spilled_rows import SpilledRows

if TYPE_CHECKING:
    pass

__all__ = ["ImportReport", "Importing"]  # ImportReport lives in import_plan; named here too

_SHA256 = attrgetter("sha256")


@dataclass(slots=True)
class _Overlay:
    """What the files before this one would add, for a preview that stores nothing."""

    papers: dict[str, Paper] = field(default_factory=dict)
    digests: list[Digest] = field(default_factory=list)

    def add(self, new: dict[str, Paper], changed: dict[str, Paper], digests: list[Digest]) -> None:
        self.papers.update(new)
        self.papers.update(changed)
        self.digests.extend(digests)


Refuse = Callable[[ImportReport], str | None]
"""Asked about a file's planned import before it is written: why not (a sentence), or None."""

_Planned = tuple[ImportReport, dict[str, Paper], dict[str, Paper]]
"""A file's report, the papers it adds and the stored papers it changes (copies)."""


@dataclass(slots=True)
class _Large:
    """A large page, read and parsed a piece at a time as it is planned (see _plan_large)."""

    path: Path


_Prepared = tuple[Path, bytes, Ahead | None] | _Large | DigestError | LibraryError
"""A file read and parsed (not parsed when it was imported already), a large page to read
as it is planned, or why a file could not be read."""


@dataclass(slots=True)
class _Batch:
    """What the files of one import command add, planned file after file."""

    outcomes: list[ImportReport | DigestError | LibraryError] = field(default_factory=list)
    new: dict[str, Paper] = field(default_factory=dict)
    changed: dict[str, Paper] = field(default_factory=dict)
    before: dict[str, dict[str, object]] = field(default_factory=dict)
    """Stored papers as they were, for undo."""
    digests: list[Digest] = field(default_factory=list)
    spill: SpilledRows | None = None
    """Where the new papers go instead of ``new`` (a command importing a large page)."""

    @property
    def added(self) -> int:
        return len(self.new) + (len(self.spill) if self.spill is not None else 0)


class Importing(LibraryHistory):
    """Imports: files and bytes, the bundled seeds; plans first, then one write."""

    def import_file(
        self,
        path: str | os.PathLike[str],
        *,
        date: str | None = None,
        format: str = sources.AUTO,
    ) -> ImportReport:
        """Import one digest file; nothing is stored unless the whole file parsed."""
        path = Path(path)
        [outcome] = self.import_files([path], date=date, format=format)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def import_files(
        self,
        paths: Sequence[str | os.PathLike[str]],
        *,
        date: str | None = None,
        format: str = sources.AUTO,
        workers: int = 1,
        refuse: Refuse | None = None,
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

        ``refuse`` is asked about each file once it is planned and before
        anything is written or locked (it may ask a person): a sentence
        leaves that file out, reported as a :class:`LibraryError` in its place.
        """
        self._check_writable()
        _check_format(format)
        # A command (papers read as used) importing a large page keeps the new
        # papers in a temporary file, not in memory, and reads the library
        # again once they are written (issue 17 point 13: a 212 MB page).
        spilling = self.store.lazy and any(map(is_large, paths))
        # Parsing and planning make millions of objects without cycles.
        with gc_paused():
            # Planned as the files come in (parsing, the most of the time, goes
            # on meanwhile in the workers), without the writer lock; then under
            # it, if another process changed papers or digests meanwhile, the
            # library is read again and the files planned again on top.
            prepared: list[_Prepared] = []
            batch = self._new_batch(spilling)
            answers: dict[int, str | None] = {}  # asked once, kept if the files are planned again
            for n, item in enumerate(self._read_files(paths, format, workers, spilling)):
                prepared.append(item)
                self._plan_into(batch, item, date, format, _asked_once(refuse, answers, n))
            with self.store.writing():
                picked = self.store.take_changes()
                if picked.library or picked.reload:
                    self._load()  # theirs included; ours, not written yet, dropped
                    self._absorbed.reload = True
                    batch = self._new_batch(spilling)
                    for n, item in enumerate(prepared):
                        self._plan_into(batch, item, date, format, _asked_once(refuse, answers, n))
                else:
                    self._absorb(picked)
                if batch.digests:
                    try:
                        reports = [o for o in batch.outcomes if isinstance(o, ImportReport)]
                        self._save_import(
                            batch.new,
                            batch.changed,
                            batch.digests,
                            batch.before,
                            _label(reports, batch.added),
                            batch.spill,
                        )
                    except BaseException:
                        # Back to what the store holds: the disk plus, after a failed
                        # write, its unsaved changes (written by the next save or ctrl+s).
                        self._load()
                        raise
                    if batch.spill is not None:
                        self._load()  # the new papers, read as they are used
                        self._absorbed.reload = True
            self._report_watched([o for o in batch.outcomes if isinstance(o, ImportReport)])
        return batch.outcomes

    def _new_batch(self, spilling: bool) -> _Batch:
        return _Batch(spill=SpilledRows(self.store.directory) if spilling else None)

    def _plan_into(
        self,
        batch: _Batch,
        item: _Prepared,
        date: str | None,
        format: str,
        refuse: Refuse | None = None,
    ) -> None:
        """Plan one read file into ``batch`` and apply it in memory (the next file sees it).

        With a spill, the file's new papers go there instead (the next file
        finds them there), and a file that fails or is refused takes its rows
        back out.
        """
        if isinstance(item, (DigestError, LibraryError)):
            batch.outcomes.append(item)
            return
        spill = batch.spill
        if spill is not None:
            spill.mark()
        try:
            if isinstance(item, _Large):
                planned = self._plan_large(item.path, date, format, spill)
            else:
                path, data, parsed = item
                planned = self._plan_import(data, path.name, date, format, parsed, spill=spill)
        except (DigestError, LibraryError) as err:
            if spill is not None:
                spill.rollback()
            batch.outcomes.append(err)
            return
        report, file_new, file_changed = planned
        if refuse is not None and not report.already_imported and (why := refuse(report)):
            if spill is not None:
                spill.rollback()
            batch.outcomes.append(LibraryError(why))
            return
        batch.outcomes.append(report)
        if report.already_imported:
            return  # its digests are stored already: adding them again would repeat them
        for pid in file_changed:
            if pid not in batch.new and pid not in batch.before:
                batch.before[pid] = self.paper(pid).to_dict()
        self._apply_import(list(file_new.values()), file_changed, report.digests)
        batch.new.update(file_new)
        for pid, paper in file_changed.items():
            if pid in batch.new:
                batch.new[pid] = paper  # new in this batch: still an insert
            else:
                batch.changed[pid] = paper
        batch.digests.extend(report.digests)

    def _read_files(
        self, paths: Sequence[str | os.PathLike[str]], format: str, workers: int, spilling: bool
    ) -> Iterator[_Prepared]:
        """Each file read and parsed (unless it was imported already), or its error.

        ``spilling``: a large page is read as it is planned (_Large).
        """
        ahead = parse_ahead(paths, format, workers)
        for name, early in zip(paths, ahead, strict=True):
            path = Path(name)
            try:
                if early is not None:  # parsed in a worker process
                    yield path, b"", early
                elif spilling and is_large(path):
                    yield _Large(path)
                elif (streamed := read_in_pieces(path, path.name, format)) is not None:
                    yield path, streamed.head, (streamed.hashes, streamed.parsed)
                else:
                    data = read_digest_file(path)
                    yield path, data, self._parse_unless_known(data, path.name, format)
            except (DigestError, LibraryError) as err:
                yield err

    def _parse_unless_known(self, data: bytes, source: str, format: str) -> Ahead | None:
        """The page's hashes and parse; None when it was imported already (not parsed).

        Planned under the writer lock, which looks again.
        """
        hashes = page_hashes(data)
        if not hashes.all.isdisjoint(map(_SHA256, self.digests)):
            return None
        return hashes, sources.parse_bytes(data, source, format)

    def _plan_large(
        self,
        path: Path,
        date: str | None,
        format: str,
        spill: SpilledRows | None,
        overlay: _Overlay | None = None,
    ) -> _Planned:
        """:meth:`_plan_import` of a large page, planned a piece at a time as it is read.

        Its hashes are taken first (a page imported already is not parsed);
        each piece's papers are planned (new ones into ``spill``) before the
        next piece is read. A page that is not plain text all through is read
        whole (see tracker/library/page_pieces.py). ``overlay``: a preview's
        earlier files.
        """
        scratch = spill.directory if spill is not None else self.store.directory
        pieces = open_pieces(path, path.name, format, scratch=scratch)
        if pieces is None:
            data = read_digest_file(path)
            return self._plan_import(data, path.name, date, format, overlay=overlay, spill=spill)
        with pieces:
            hashes = pieces.hash_first()
            report = ImportReport(source=path.name)
            if self._already_imported(report, hashes, overlay, date):
                return report, {}, {}
            day = _parse_iso_date(date) if date else None
            report.format = pieces.kind
            plan = FilePlan(
                report, hashes.content, self.now(), self._known(overlay), several=None, spill=spill
            )
            warnings: list[ParseWarning] = []
            try:
                for piece in pieces:
                    for number, section in piece.sections:
                        plan.add(number, section)
                    warnings.extend(piece.warnings)
            except ReadWhole:
                if spill is not None:
                    spill.rollback()
                data = read_digest_file(path)
                parsed = self._parse_unless_known(data, path.name, format)
                return self._plan_import(data, path.name, date, format, parsed, overlay, spill)
            plan.finish(pieces.head, day, format, warnings, check_page=True)
        return report, plan.new, plan.changed

    def _already_imported(
        self,
        report: ImportReport,
        hashes: PageHashes,
        overlay: _Overlay | None = None,
        date: str | None = None,
    ) -> bool:
        """Whether the page is stored already (or in ``overlay``); fills ``report`` if it is.

        ``date`` (--date) changes nothing then: the report says so, and how to.
        """
        stored = self.digests if overlay is None else [*self.digests, *overlay.digests]
        either = hashes.all
        # In C, with one set of hashes per file: a command of 10,000 files asks
        # this of every stored digest for each (PageHashes.all made a set per
        # digest; tests/safety/test_hostile_import.py's 10,000 files: 41-47 -> 22 s).
        same = (
            []
            if either.isdisjoint(map(_SHA256, stored))
            else [d for d in stored if d.sha256 in either]
        )
        if same:
            report.already_imported = True
            report.digests = same
            report.format = same[0].format
            report.papers = report.known = sum(len(d.paper_ids) for d in same)
            if date and any(d.date != date for d in same):
                report.warnings.append(
                    f"the day given ({date}) is not used: the page was imported before and its "
                    "digest keeps its day (tracker digests date changes it)"
                )
        return bool(same)

    def _known(self, overlay: _Overlay | None = None) -> Callable[[str], Paper | None]:
        """A paper as the library (and a preview's earlier files) has it, by id."""
        position = self._pos

        def known(pid: str) -> Paper | None:
            found = overlay.papers.get(pid) if overlay is not None else None
            if found is None and pid in position:
                found = self.paper(pid)
            return found

        return known

    def preview_files(
        self,
        paths: Sequence[str | os.PathLike[str]],
        *,
        date: str | None = None,
        format: str = sources.AUTO,
    ) -> list[ImportReport | DigestError | LibraryError]:
        """What :meth:`import_files` would do with these files, storing nothing.

        Nothing changes, in memory or on disk (a read-only library can be
        asked): each file is read and planned as the import would plan it,
        later files seeing the papers and digests of earlier ones. The
        reports have ``preview`` set; see :mod:`tracker.library.import_text`
        for how they are shown.
        """
        _check_format(format)
        outcomes: list[ImportReport | DigestError | LibraryError] = []
        overlay = _Overlay()
        with gc_paused(), contextlib.ExitStack() as stack:
            # A large page's new papers wait in a temporary file, as in the
            # import: previewed whole, a 212 MB page took 460 MB (the import
            # itself 234 MB). In the system's temporary folder: a preview
            # writes nothing where the library is (it may be read-only).
            spill = None
            if any(map(is_large, paths)):
                spill = SpilledRows(Path(tempfile.gettempdir()))
                stack.callback(spill.close)
            for planned in self._plan_files(paths, date, format, 1, overlay, spill):
                if not isinstance(planned, tuple):
                    outcomes.append(planned)
                    continue
                report, file_new, file_changed = planned
                report.preview = True
                outcomes.append(report)
                if not report.already_imported:
                    overlay.add(file_new, file_changed, report.digests)
            reports = [o for o in outcomes if isinstance(o, ImportReport)]
            self._report_watched(reports, _planned_paper(overlay, spill))
        return outcomes

    def preview_bytes(
        self,
        data: bytes,
        *,
        source: str,
        date: str | None = None,
        format: str = sources.AUTO,
    ) -> ImportReport:
        """What :meth:`import_bytes` would do with ``data`` (a page from stdin), storing nothing."""
        _check_format(format)
        overlay = _Overlay()
        with gc_paused():
            report, new, changed = self._plan_import(data, source, date, format, overlay=overlay)
            report.preview = True
            if not report.already_imported:
                overlay.add(new, changed, report.digests)
            self._report_watched([report], overlay.papers.get)
        return report

    def _plan_files(
        self,
        paths: Sequence[str | os.PathLike[str]],
        date: str | None,
        format: str,
        workers: int,
        overlay: _Overlay | None = None,
        spill: SpilledRows | None = None,
    ) -> Iterator[_Planned | DigestError | LibraryError]:
        """Each file read and planned in turn (the error instead, for one that fails).

        The caller applies (or, for a preview, adds to ``overlay``) each
        file's plan before asking for the next, so that the next file sees
        its papers. With ``spill``, new papers go there (a large page is
        planned as it is read); a file that fails takes its rows back out.
        """
        ahead = parse_ahead(paths, format, workers)
        for name, early in zip(paths, ahead, strict=True):
            path = Path(name)
            if spill is not None:
                spill.mark()
            try:
                if early is not None:  # parsed in a worker process
                    planned = self._plan_import(b"", path.name, date, format, early, overlay, spill)
                elif spill is not None and is_large(path):
                    planned = self._plan_large(path, date, format, spill, overlay)
                elif (streamed := read_in_pieces(path, path.name, format)) is not None:
                    read = (streamed.hashes, streamed.parsed)
                    planned = self._plan_import(
                        streamed.head, path.name, date, format, read, overlay, spill
                    )
                else:
                    data = read_digest_file(path)
                    planned = self._plan_import(
                        data, path.name, date, format, overlay=overlay, spill=spill
                    )
            except (DigestError, LibraryError) as err:
                if spill is not None:
                    spill.rollback()
                yield err
                continue
            yield planned

    def import_bytes(
        self,
        data: bytes,
        *,
        source: str,
        date: str | None = None,
        format: str = sources.AUTO,
        undoable: bool = True,
        refuse: Refuse | None = None,
    ) -> ImportReport:
        """Import a digest given as bytes (``source`` names it in messages).

        ``undoable``: one change for undo; the bundled digests of the first
        run are not (no one chose them, and they could not be imported again).
        ``refuse``: as for :meth:`import_files`; a sentence raises it as a
        :class:`LibraryError` and nothing is written.
        """
        self._check_writable()
        _check_format(format)
        with gc_paused():
            parsed = self._parse_unless_known(data, source, format)
            if refuse is not None:
                # Planned once more outside the writer lock, so that a question
                # to a person never holds the app's writes up.
                asked, _, _ = self._plan_import(data, source, date, format, parsed)
                if not asked.already_imported and (why := refuse(asked)):
                    raise LibraryError(why)
            with self._writing():
                report, new_papers, changed = self._plan_import(data, source, date, format, parsed)
                if report.digests and not report.already_imported:
                    before = (
                        {pid: self.paper(pid).to_dict() for pid in changed} if undoable else None
                    )
                    # Memory first, then disk, as in import_files: a failed save
                    # leaves both holding the import (the store keeps it and a
                    # retry writes it), never the disk alone.
                    self._apply_import(list(new_papers.values()), changed, report.digests)
                    try:
                        label = _label([report], len(new_papers))
                        self._save_import(new_papers, changed, report.digests, before, label)
                    except BaseException:
                        self._load()  # what the store holds, unsaved changes included
                        raise
            if report.digests and not report.already_imported:
                self._report_watched([report])
        return report

    def _save_import(
        self,
        new: dict[str, Paper],
        changed: dict[str, Paper],
        digests: list[Digest],
        before: dict[str, dict[str, object]] | None = None,
        label: str = "",
        spilled: SpilledRows | None = None,
    ) -> None:
        """Store papers and digests added to memory; with ``before``, as one undoable import.

        ``before``: the changed papers as they were stored, which undo puts
        back (the new papers and the digests it removes). A merge of another
        machine's library passes none: its papers stay when the merge is undone.
        ``spilled``: more new papers, as rows in a temporary file (not in memory).
        """
        edit = LibraryEdit(
            new={pid: p.to_dict() for pid, p in new.items()},
            changed={pid: p.to_dict() for pid, p in changed.items()},
            digests=[d.to_dict() for d in digests],
            appended=spilled,
        )
        if before is None:
            self.store.save_library_edit(edit)
            return
        added = [*new, *(spilled.ids() if spilled is not None else ())]
        record = {"digests": [d.id for d in digests], "added": added, "before": before}
        self._record_change(label, "import", edit, record)

    def _plan_import(
        self,
        data: bytes,
        source: str,
        date: str | None,
        format: str = sources.AUTO,
        parsed_ahead: Ahead | None = None,
        overlay: _Overlay | None = None,
        spill: SpilledRows | None = None,
    ) -> _Planned:
        """Parse a digest and work out what it adds, without changing anything.

        ``parsed_ahead``: the file's hashes and its parse (and the papers' ids
        per section, when a worker worked them out).
        ``overlay``: papers and digests a preview's earlier files would add.
        ``spill``: where new papers go (as rows) instead of the plan's ``new``.
        """
        day = _parse_iso_date(date) if date else None
        hashes = parsed_ahead[0] if parsed_ahead else page_hashes(data)
        report = ImportReport(source=source)
        if self._already_imported(report, hashes, overlay, date):
            return report, {}, {}
        result = parsed_ahead[1] if parsed_ahead else sources.parse_bytes(data, source, format)
        ahead_ids = parsed_ahead[2] if parsed_ahead is not None and len(parsed_ahead) > 2 else None
        parsed = result.digest
        report.format = result.format
        dated = any(s.label or s.date for s in parsed.sections)
        linked = any(p.arxiv_id for s in parsed.sections for p in s.papers)
        if not_a_page(format, result.format, day, dated, data, linked):
            raise NoDayError(source, NOT_A_PAGE.format(source=source))
        plan = FilePlan(
            report,
            hashes.content,
            self.now(),
            self._known(overlay),
            several=len(parsed.sections) > 1,
            spill=spill,
        )
        for number, section in enumerate(parsed.sections):
            plan.add(number, section, ahead_ids[number] if ahead_ids else None)
        plan.finish(data, day, format, parsed.warnings)
        return report, plan.new, plan.changed

    def _apply_import(
        self, new: list[Paper], changed: dict[str, Paper], digests: list[Digest]
    ) -> None:
        if changed:
            self._texts_changed()
        for pid, paper in changed.items():
            pos = self._pos[pid]
            old = self.papers[pos]
            self.papers[pos] = paper
            if self._index is not None and (old.title, old.abstract) != (
                paper.title,
                paper.abstract,
            ):
                self._index.update(pos, paper.title, paper.abstract)
            if self._index is not None and old.authors != paper.authors:
                self._index.set_authors(pos, paper.authors)
        # A bulk import's 100,000 new papers: their positions and rows in one go each.
        self._pos.update(zip([paper.id for paper in new], itertools.count(len(self.papers))))
        self.papers.extend(new)
        if self._index is not None:
            for paper in new:
                self._index.add(paper.title, paper.abstract, paper.authors)
        for digest in digests:
            self.digests.append(digest)
            self._digest_by_id[digest.id] = digest
        if new or changed:
            with self._watch_lock:
                self._watch_cache = None  # new papers may match: recomputed when asked

    def _report_watched(
        self,
        reports: Sequence[ImportReport],
        planned: Callable[[str], Paper | None] | None = None,
    ) -> None:
        """Fill each report's ``watched`` once its papers are in the library (or ``planned``).

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
                    if pid not in papers:
                        ahead = planned(pid) if planned is not None else None
                        papers[pid] = ahead or self.paper(pid)
        from tracker.search.watch import match_papers

        found = match_papers(self._watch, list(papers.values()))
        for report in fresh:
            ids = dict.fromkeys(pid for d in report.digests for pid in d.paper_ids)
            report.watched = [(papers[pid], found[pid]) for pid in ids if pid in found]

    def import_bundled_seeds(self) -> list[ImportReport]:
        """Import the digests that ship with the package (first run)."""
        reports = []
        import importlib.resources  # here: the first run alone asks for them

        seeds = importlib.resources.files("tracker.seeds")
        for entry in sorted(seeds.iterdir(), key=lambda e: e.name):
            if entry.name.endswith(".txt"):
                data = entry.read_bytes()
                reports.append(self.import_bytes(data, source=entry.name, undoable=False))
        return reports


def _asked_once(refuse: Refuse | None, answers: dict[int, str | None], n: int) -> Refuse | None:
    """``refuse`` for the ``n``-th file, asked once: a replan under the lock keeps the answer."""
    if refuse is None:
        return None

    def once(report: ImportReport) -> str | None:
        if n not in answers:
            answers[n] = refuse(report)
        return answers[n]

    return once


def _planned_paper(overlay: _Overlay, spill: SpilledRows | None) -> Callable[[str], Paper | None]:
    """A preview's paper by id: planned by an earlier file, or waiting in ``spill``."""

    def planned(pid: str) -> Paper | None:
        paper = overlay.papers.get(pid)
        if paper is None and spill is not None and pid in spill:
            paper = Paper.from_dict(spill.get(pid))
        return paper

    return planned


def _label(reports: Sequence[ImportReport], n: int) -> str:
    """How the undo log names an import: ``imported oct7.txt (Oct 7 2024, 12 new papers)``."""
    fresh = [r for r in reports if not r.already_imported and r.digests]
    what = fresh[0].source if len(fresh) == 1 else f"{len(fresh)} files"
    labels = [d.display_label for r in fresh for d in r.digests]
    days = ", ".join(labels) if len(labels) <= 2 else f"{len(labels)} digests"
    return f"imported {what} ({days}, {n} new paper{'' if n == 1 else 's'})"


def _check_format(format: str) -> None:
    if format != sources.AUTO and format not in sources.FORMATS:
        raise LibraryError(
            f"unknown format {format!r}; the supported formats are {sources.AUTO} "
            f"(detect from the content), {sources.supported()}"
        )


def _parse_iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise LibraryError(f"--date {text!r} is not a date like 2024-10-07") from None
