"""What every export format takes: a paper with the user's annotation."""

from __future__ import annotations

from dataclasses import dataclass

from tracker.models import Annotation, Paper


@dataclass(frozen=True, slots=True)
class ExportItem:
    paper: Paper
    annotation: Annotation
