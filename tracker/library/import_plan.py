"""One file's import worked out: its digests, the papers it adds and the stored ones it changes.

A page parsed whole gives all its sections at once; a large page read in
pieces (tracker/library/page_pieces.py) gives them a piece at a time, and
a piece's papers are planned and let go before the next piece is read. So
what depends on the whole page is settled at the end (:meth:`FilePlan.finish`):
whether it has several sections (which names its digests and, with
``--date``, dates them), the warnings about dates, the checks that refuse
a page. With ``spill``, new papers go to a temporary file as rows instead
of staying in memory (see tracker/store/spilled_rows.py).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tracker import sources
from tracker.library.not_a_paper import why_not_a_paper
from tracker.models import Digest, Paper, label_month_day, paper_id_for
from tracker.sources.fields import section_date
from tracker.sources.merging import merge_parsed
from tracker.sources.parsed import DigestError, ParsedSection, ParseWarning

if TYPE_CHECKING:
    from tracker.search.watch import WatchEntry
    from tracker.store.spilled_rows import SpilledRows


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
    titles: list[str] = field(default_factory=list)
    """The file's papers' titles in page order, each once (shown by previews and reports)."""
    without_abstract: int = 0
    """Papers of the file that come without an abstract."""
    preview: bool = False
    """True for :meth:`Importing.preview_files`: nothing was stored."""


@dataclasses.dataclass(slots=True)
class _Section:
    """What the page says of one section (its papers are planned as they come)."""

    label: str | None
    date: str | None
    had_papers: bool = False
    seen: set[str] = dataclasses.field(default_factory=set)


class FilePlan:
    """One file's plan, built section by section (see the module's docstring)."""

    def __init__(
        self,
        report: ImportReport,
        sha: str,
        imported_at: str,
        known: Callable[[str], Paper | None],
        *,
        several: bool | None,
        spill: SpilledRows | None = None,
    ) -> None:
        self.report = report
        self.sha = sha
        self.imported_at = imported_at
        self.known = known
        """The paper of an id as the library (and the files before this one) has it, or None."""
        self.several = several
        """Whether the page has several sections (None: not known until it is all read)."""
        self.spill = spill
        self.new: dict[str, Paper] = {}
        self.changed: dict[str, Paper] = {}
        self.digests: list[Digest] = []
        self._sections: list[_Section] = []
        self.linked = False  # a paper of the page is named by its id (a link, ``arXiv:ID``)
        self._notes: list[str | int] = []  # skipped papers' warnings; an int: a section's
        self.skipped = 0
        self._first_slot = len(spill) if spill is not None else 0
        self._spilled_before: set[str] = set()  # papers of earlier files this one adds to
        self._no_abstract: set[str] = set()  # spilled papers this file put, without one

    def _digest_id(self, number: int) -> str:
        if self.several is None:  # provisional: the first is renamed if a second comes
            return self.sha[:12] if number == 1 else f"{self.sha[:12]}-{number}"
        return f"{self.sha[:12]}-{number}" if self.several else self.sha[:12]

    def add(self, number: int, section: ParsedSection, ids: Iterable[str] | None = None) -> None:
        """Plan the papers ``section`` gives of the page's section ``number`` (from 0)."""
        if number == len(self._sections):
            self._sections.append(_Section(section.label, section.date))
            self.digests.append(
                Digest(
                    self._digest_id(number + 1),
                    "",
                    None,
                    self.report.source,
                    self.sha,
                    self.imported_at,
                    format=self.report.format,
                )
            )
            self._notes.append(number)
        state = self._sections[number]
        digest = self.digests[number]
        report = self.report
        spill = self.spill
        state.had_papers = state.had_papers or bool(section.papers)
        self.linked = self.linked or any(item.arxiv_id for item in section.papers)
        seen = state.seen  # paper_ids is a list: asking it was quadratic per page
        pids = ids if ids is not None else map(paper_id_for, (i.title for i in section.papers))
        for item, pid in zip(section.papers, pids, strict=True):
            unusable = why_not_a_paper(item)
            if unusable:
                self._notes.append(f"line {item.line}: {unusable}")
                self.skipped += 1
                continue
            if pid in seen:
                continue
            seen.add(pid)
            digest.paper_ids.append(pid)
            report.papers += 1
            paper: Paper | None
            if spill is not None and pid in spill:
                paper = Paper.from_dict(spill.get(pid))
                report.known += 1
                if spill.slot(pid) < self._first_slot:
                    self._spilled_before.add(pid)
            else:
                found = self.new.get(pid) or self.changed.get(pid)
                paper = found
                if paper is None:
                    known = self.known(pid)
                    if known is not None:
                        paper = dataclasses.replace(known, digests=list(known.digests))
                        self.changed[pid] = paper
                if paper is None:
                    paper = Paper(pid, item.title, item.abstract)
                    report.new += 1
                    if spill is None:
                        self.new[pid] = paper
                else:
                    report.known += 1
            report.titles.append(item.title)
            merge_parsed(paper, item, digest.id)
            if spill is not None and pid not in self.changed:
                spill.put(pid, paper.to_dict())
                if paper.abstract.strip():
                    self._no_abstract.discard(pid)
                else:
                    self._no_abstract.add(pid)

    def finish(
        self,
        data: bytes,
        day: dt.date | None,
        format: str,
        parse_warnings: Iterable[ParseWarning],
        *,
        check_page: bool = False,
    ) -> None:
        """Settle what depends on the whole page; DigestError for a page to refuse.

        ``check_page``: check here that a text without a date line is a digest
        page at all (``data``: the page, or its first piece); a page parsed
        whole is checked before it is planned.
        """
        report = self.report
        source = report.source
        dated = any(s.label or s.date for s in self._sections)
        if check_page and not_a_page(format, report.format, day, dated, data, self.linked):
            raise NoDayError(source, NOT_A_PAGE.format(source=source))
        if day is None and not dated and self._sections:
            # The day is the page's own, else --date's; never the file's name.
            raise NoDayError(source, NO_DAY.format(source=source))
        several = len(self._sections) > 1
        if self.several is None and several:
            self._rename_first()
        self.several = several
        report.warnings = [str(w) for w in parse_warnings]
        own_dates = [s.date for s in self._sections if s.date]
        if day is not None and own_dates and own_dates != [day.isoformat()]:
            # The page's own days win (fields.section_date); say so once, not per digest.
            report.warnings.append(
                f"the day given ({day.isoformat()}) is not used: {source} gives its own "
                f"date{'s' if len(own_dates) > 1 else ''} ({', '.join(own_dates)})"
            )
        if day is not None and not several and not own_dates:
            # --date wins on a text page (it gives "Aug 25" its year), so a
            # --date of another day is most likely a slip: say what was done.
            page_day = label_month_day(self._sections[0].label) if self._sections else None
            if page_day is not None and page_day != (day.month, day.day):
                report.warnings.append(
                    f"--date {day.isoformat()} is not the page's day "
                    f"({self._sections[0].label}): the digest is dated {day.isoformat()} as given"
                )
        for note in self._notes:
            if isinstance(note, str):
                report.warnings.append(note)
                continue
            state, digest = self._sections[note], self.digests[note]
            label, iso = section_date(state.label, state.date, day, several, source)
            digest.label, digest.date = label, iso
            if iso is None:
                unknown = "year" if state.label else "date"
                report.warnings.append(f"{label}: the digest's {unknown} is unknown; {YEAR_HINT}")
        # A section whose every paper was skipped (said above) gives no empty digest.
        report.digests = [
            d
            for d, s in zip(self.digests, self._sections, strict=True)
            if d.paper_ids or not s.had_papers
        ]
        if self.skipped and not report.papers:
            raise DigestError(
                source,
                f"{source}: nothing to import; " + "; ".join(report.warnings[-3:]),
            )
        in_memory = {**self.changed, **self.new}
        report.without_abstract = sum(1 for p in in_memory.values() if not p.abstract.strip())
        report.without_abstract += len(self._no_abstract)

    def _rename_first(self) -> None:
        """The first digest's provisional id (the page's, as if it had one section) made ``-1``."""
        old, new = self.digests[0].id, f"{self.sha[:12]}-1"
        self.digests[0].id = new

        def renamed(ids: list[str]) -> list[str]:
            return [new if d == old else d for d in ids]

        for paper in [*self.new.values(), *self.changed.values()]:
            paper.digests = renamed(paper.digests)
        if self.spill is not None:
            spill = self.spill
            mine = spill.ids()[self._first_slot :]
            for pid in [*mine, *self._spilled_before]:
                row = spill.get(pid)
                if old in row.get("digests", ()):
                    row["digests"] = renamed(row["digests"])
                    spill.put(pid, row)


def not_a_page(
    format: str, found: str, day: dt.date | None, dated: bool, data: bytes, linked: bool
) -> bool:
    """A text without a date line and nothing of a page: a README, a config file, a note.

    A page whose papers are named by their ids (``linked``: links to
    ``huggingface.co/papers/ID``, ``arXiv:ID``) is a page of papers whatever
    is around them: it is refused for want of a day alone (:data:`NO_DAY`).

    They also split into "title" and "abstract" blocks; a digest page has a
    date line (``dated``) or some of the page around the list. Nothing can
    take back a wrong import, so such a text is refused (:data:`NOT_A_PAGE`
    says how to import a real undated digest).
    """
    # The text reader's module is imported here, not with the library: every
    # command imports this module and only an import of such a text uses it.
    from tracker.sources.text import looks_like_a_page

    return (
        format == sources.AUTO
        and found == "text"
        and day is None
        and not dated
        and not linked
        and not looks_like_a_page(data)
    )


class NoDayError(DigestError):
    """A file refused because it names no day and no --date was given (see :data:`NO_DAY`).

    Its message ends with what to do (``import it with --date YYYY-MM-DD``);
    the app, which has no --date, says how to give the day there instead.
    """


YEAR_HINT = "give --date YYYY-MM-DD to set it"
"""How the warning of a digest with no year (or no date) ends: what to do (the app replaces it)."""

DATE_HINT = "import it with --date YYYY-MM-DD"
"""How :data:`NO_DAY` and :data:`NOT_A_PAGE` end: what to do (the app replaces it)."""

NO_DAY = (
    "{source} names no day (no date line or date heading, no date in its front matter "
    "or header), and a digest is dated by its page; " + DATE_HINT
)
"""An undated page: refused whatever its format, as a label from the file's name is no day."""

NOT_A_PAGE = (
    "{source} does not look like a digest (it names no day and has nothing of a Daily "
    "Papers page); if it is one, " + DATE_HINT
)
