"""The user's hand on digests: forget one, rename it, set its date; each change undoable."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

from tracker.library.core import LibraryError, writes
from tracker.library.history import Change
from tracker.library.importing import Importing
from tracker.models import Digest, Paper, Status
from tracker.store import LibraryEdit


@dataclass(slots=True)
class ForgetPlan:
    """What forgetting a digest does: computed first, so that the app can ask with the counts."""

    digest: Digest
    removed: list[Paper] = field(default_factory=list)
    """Papers of no other digest: they leave the library."""
    elsewhere: list[Paper] = field(default_factory=list)
    """Papers that are in other digests too: they stay there."""
    kept: list[Paper] = field(default_factory=list)
    """Papers of no other digest that stay because the user annotated them."""


@dataclass(slots=True)
class ForgetReport:
    """What forgetting a digest did."""

    plan: ForgetPlan
    change: Change
    why_kept: dict[str, str] = field(default_factory=dict)
    """Per kept paper, what the user gave it: ``note``, ``tags: a, b``, ``status: read``."""


class DigestEditing(Importing):
    """Forgetting, renaming and dating digests."""

    def annotated_why(self, paper_id: str) -> str:
        """What the user gave this paper (a note, tags, a status other than new); "" if nothing."""
        ann = self.annotations.get(paper_id)
        if ann is None:
            return ""
        parts = []
        if ann.note.strip():
            parts.append("note")
        if ann.tags:
            parts.append("tags: " + ", ".join(ann.tags))
        if ann.status is not Status.NEW:
            parts.append(f"status: {ann.status.value}")
        return "; ".join(parts)

    def plan_forget(self, ref: str) -> ForgetPlan:
        """What :meth:`forget_digest` would do, changing nothing."""
        digest = self.resolve_digest(ref)
        plan = ForgetPlan(digest)
        for paper in self.papers:
            if digest.id not in paper.digests:
                continue
            if any(d != digest.id for d in paper.digests):
                plan.elsewhere.append(paper)
            elif self.annotated_why(paper.id):
                plan.kept.append(paper)
            else:
                plan.removed.append(paper)
        return plan

    @writes
    def forget_digest(self, ref: str) -> ForgetReport:
        """Remove a digest (by id, label, date or unique prefix) and the papers only it had.

        Papers of other digests stay in those; papers the user annotated (a
        note, tags, a status other than new) stay too, with no digest. One
        undoable change: undo puts the digest and every paper back as they
        were, in their places.
        """
        self._check_writable()
        plan = self.plan_forget(ref)
        digest = plan.digest
        edit = LibraryEdit()
        index = self.digests.index(digest)
        record = {
            "digest": digest.to_dict(),
            "digest_index": index,
            "removed": [[self.position(p.id), p.to_dict()] for p in plan.removed],
            "changed": {p.id: p.to_dict() for p in [*plan.elsewhere, *plan.kept]},
        }
        for paper in [*plan.elsewhere, *plan.kept]:
            row = paper.to_dict()
            self._replace_paper(
                paper, {**row, "digests": [d for d in paper.digests if d != digest.id]}, edit
            )
        self._remove_papers([p.id for p in plan.removed], edit)
        self._set_digests([d for d in self.digests if d.id != digest.id], edit)
        n = len(plan.removed)
        label = f"forgot digest {digest.display_label} ({n} paper{'' if n == 1 else 's'} removed)"
        self._record_change(label, "forget", edit, record)
        why = {p.id: self.annotated_why(p.id) for p in plan.kept}
        return ForgetReport(plan, Change(label, [p.id for p in plan.removed], library=True), why)

    def rename_digest(self, ref: str, label: str) -> Change:
        """Give a digest another label (what the sidebar and ``digest:`` use); undoable."""
        return self.edit_digest(ref, label=label)

    def set_digest_date(self, ref: str, date: str | None) -> Change:
        """Set (or, with None or "", clear) a digest's date, ``YYYY-MM-DD``; undoable."""
        return self.edit_digest(ref, date=date or "")

    @writes
    def edit_digest(self, ref: str, *, label: str | None = None, date: str | None = None) -> Change:
        """Change a digest's label and/or date (``""`` clears it) as one undoable change.

        None leaves that field as it is. The digest keeps its id, so papers,
        progress and ``digest:`` by id are unchanged.
        """
        self._check_writable()
        digest = self.resolve_digest(ref)
        changed = digest
        said = []
        if label is not None:
            label = " ".join(label.split())
            if not label:
                raise LibraryError("a digest's label cannot be empty")
            if label != digest.label:
                changed = dataclasses.replace(changed, label=label)
                said.append(f"renamed digest {digest.display_label} to {label}")
        if date is not None:
            iso: str | None = None
            if date.strip():
                try:
                    iso = dt.date.fromisoformat(date.strip()).isoformat()
                except ValueError:
                    raise LibraryError(f"{date!r} is not a date like 2024-10-07") from None
            if iso != digest.date:
                changed = dataclasses.replace(changed, date=iso)
                name = changed.label if said else digest.display_label
                said.append(f"dated digest {name} {iso}" if iso else f"cleared the date of {name}")
        if changed is digest:
            return Change(f"digest {digest.display_label} unchanged", [])
        label_text = "; ".join(said)
        edit = LibraryEdit()
        record = {"before": digest.to_dict()}
        self._set_digests([changed if d.id == digest.id else d for d in self.digests], edit)
        self._record_change(label_text, "digest", edit, record)
        return Change(label_text, [], library=True)
