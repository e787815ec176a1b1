"""How an import and its preview are told: the lines ``tracker import`` prints and the app shows.

One wording for both, made here from the :class:`~tracker.library.ImportReport`
of each file, so that ``tracker import --dry-run`` and the app's import dialog
show the same preview and the same report. Also decides when a preview looks
unusual enough that the app asks before importing.
"""

from __future__ import annotations

from collections.abc import Sequence

from tracker import sources
from tracker.library.core import LibraryError
from tracker.library.import_plan import ImportReport
from tracker.sources.parsed import DigestError
from tracker.wording import counted

FIRST_TITLES = 5
"""Titles a preview shows per file (then how many more)."""
WATCH_LINES = 5
"""Watched papers named per file (the count is always complete)."""
MANY_WARNINGS = 5
"""A file with this many warnings or more makes a preview unusual."""

Outcome = ImportReport | DigestError | LibraryError


def _digests(report: ImportReport, *, dates: bool) -> str:
    if not report.digests:
        return "no digest"
    parts = []
    for digest in report.digests:
        label = digest.display_label
        if dates:
            label += f" ({digest.date})" if digest.date else " (no date)"
        parts.append(label)
    return ", ".join(parts)


def unusual(report: ImportReport) -> list[str]:
    """Why this file's import looks unlike a daily page (empty: it looks ordinary).

    The one rule for the app's import dialog and ``tracker import``: either
    asks before importing such a file. Several digests from a file whose
    format dates each paper's listing (Hugging Face JSON, a feed, an arXiv
    listing) are those days, not a page split by mistake: not unusual.
    """
    if report.already_imported:
        return []
    reasons = []
    if len(report.digests) > 1 and report.format not in sources.EXACT_DATES:
        reasons.append(f"{len(report.digests)} digests from one file (a page is usually one day)")
    if len(report.warnings) >= MANY_WARNINGS:
        reasons.append(f"{counted(len(report.warnings), 'warning')}")
    if report.papers and report.without_abstract * 2 > report.papers:
        reasons.append(f"{report.without_abstract} of {report.papers} papers have no abstract")
    return reasons


def outcome_lines(outcome: Outcome, *, star: str = "★") -> list[str]:
    """What one file's import did, or (for a preview) would do; the error for one that failed.

    The first line names the file; the others are indented by two spaces.
    """
    if not isinstance(outcome, ImportReport):
        return [str(outcome)]
    report = outcome
    if report.already_imported:
        nothing = "would change nothing" if report.preview else "nothing changed"
        return [
            f"{report.source}: already imported ({_digests(report, dates=False)}, "
            f"{counted(report.papers, 'paper')}); {nothing}",
            *(f"  warning: {warning}" for warning in report.warnings),  # a --date not used
        ]
    kind = "" if report.format == "text" else f" ({report.format})"
    what = (
        f"would add {_digests(report, dates=True)}"
        if report.preview
        else _digests(report, dates=False)
    )
    lines = [
        f"{report.source}{kind}: {what} — {counted(report.papers, 'paper')}, "
        f"{report.new} new, {report.known} already known"
    ]
    if report.preview and report.titles:
        for title in report.titles[:FIRST_TITLES]:
            lines.append(f"  · {' '.join(title.split())}")
        more = len(report.titles) - FIRST_TITLES
        if more > 0:
            lines.append(f"  · … and {more} more")
    lines.extend(f"  warning: {warning}" for warning in report.warnings)
    if report.watched:
        n = len(report.watched)
        verb = ("matches" if n == 1 else "match") if not report.preview else "would match"
        lines.append(f"  {star} {counted(n, 'paper')} {verb} your watch list:")
        for paper, entry in report.watched[:WATCH_LINES]:
            lines.append(f"    {star} {' '.join(paper.title.split())}  [{entry.text}]")
        if n > WATCH_LINES:
            lines.append(f"    … and {n - WATCH_LINES} more: tracker list is:watched")
    if report.preview:
        lines.extend(f"  unusual: {reason}" for reason in unusual(report))
    return lines


def totals_line(outcomes: Sequence[Outcome], *, preview: bool) -> str:
    """One line for a whole import or preview: files, digests and papers added, failures."""
    reports = [o for o in outcomes if isinstance(o, ImportReport)]
    fresh = [r for r in reports if not r.already_imported]
    digests = sum(len(r.digests) for r in fresh)
    new = sum(r.new for r in fresh)
    failed = len(outcomes) - len(reports)
    files = counted(len(outcomes), "file")
    added = f"{counted(digests, 'digest')} and {counted(new, 'new paper')}"
    text = f"{files}: would add {added}" if preview else f"{files}: added {added}"
    if len(reports) != len(fresh):
        text += f", {len(reports) - len(fresh)} already imported"
    if failed:
        text += f", {failed} {'cannot' if preview else 'could not'} be imported"
    if preview:
        text += "; nothing was written (dry run)"
    return text
