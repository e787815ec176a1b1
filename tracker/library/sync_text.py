"""How a sync is told, in the CLI and in the app: what came in from whom, and what to know."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from tracker.library.backups import MergeReport
from tracker.library.syncing import SyncReport
from tracker.wording import counted

if TYPE_CHECKING:
    from tracker.library.library import Library


def _came_in(report: MergeReport) -> str:
    if not report.changed and not report.papers_added:
        return "nothing new"
    parts = []
    if report.statuses:
        parts.append(f"{report.statuses} status{'es' if report.statuses != 1 else ''}")
    if report.notes:
        parts.append(counted(report.notes, "note"))
    if report.notes_kept_both:
        parts.append(f"{counted(report.notes_kept_both, 'note')} changed on both sides")
    if report.tags:
        parts.append(counted(report.tags, "tag set"))
    if report.papers_added:
        parts.append(counted(report.papers_added, "paper"))
    if report.history_only:
        parts.append(f"{report.history_only} status histories")
    return ", ".join(parts) or counted(report.changed, "annotation")


def future_line(merge: MergeReport) -> str:
    """What a merge says about changes dated in the future (the other machine's clock)."""
    return (
        f"{counted(merge.future, 'annotation')} dated up to {_ahead(merge.future_seconds)} "
        "in the future (its clock is probably ahead); changes are ordered by their logical "
        "counter, so later edits still win"
    )


def _ahead(seconds: float) -> str:
    minutes = round(seconds / 60)
    if minutes < 120:
        return f"{minutes} min"
    hours = minutes / 60
    return f"{hours:.0f} h" if hours < 48 else f"{hours / 24:.0f} days"


def sync_lines(lib: Library, report: SyncReport) -> Iterator[tuple[str, bool]]:
    """The lines that say what a sync did, each with whether it is a warning (stderr)."""
    merged = [s for s in report.sources if s.merge is not None]
    if merged:
        came = "; ".join(f"{s.machine}: {_came_in(s.merge)}" for s in merged if s.merge)
        undo = " (`tracker undo` takes it back)" if report.changed else ""
        yield f"from {came}{undo}", False
    elif not report.sources:
        yield f"no other machine's file in {report.folder} yet", False
    for source in report.sources:
        if source.error:
            yield f"skipped {source.machine}: {source.error}", True
        merge = source.merge
        if merge is None:
            continue
        if merge.future:
            yield f"{source.machine}: {future_line(merge)}", True
        for pid in merge.kept_both:
            title = lib.paper(pid).title if lib.has_paper(pid) else "(paper not in this library)"
            yield (
                f"{source.machine}: note of {pid} ({title}) was changed on both machines; "
                "both versions are kept, separated by a 'paper-tracker merge' line",
                True,
            )
    yield (
        f"wrote {report.machine}'s {counted(report.annotations, 'annotation')} to {report.written}",
        False,
    )
