"""Where papers are fetched from: Hugging Face's daily list and an arXiv category's feed.

``hf``: ``$TRACKER_HF_API/daily_papers?date=YYYY-MM-DD`` (default base
``https://huggingface.co/api``), one JSON list per day, read by
:mod:`tracker.sources.hf_json` exactly as a saved file of it is.

``arxiv:CATEGORY``: ``$TRACKER_ARXIV_API/CATEGORY`` (default base
``https://rss.arxiv.org/rss``), the RSS feed of the category's latest
announcement — the new submissions and cross-lists of arXiv's ``/new`` page,
dated by the announcement — read by :mod:`tracker.sources.feed`. The feed
has only the latest announcement, so no day can be asked for.

Each fetched day is stored under a source name (``hf-daily-2026-08-20.json``)
that says which remote and day it came from: a day already in the library
under that name is not fetched again.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import urllib.parse
from dataclasses import dataclass

__all__ = ["ARXIV_API_ENV", "HF_API_ENV", "Remote", "RemoteError", "parse_remote"]

HF_API_ENV = "TRACKER_HF_API"
ARXIV_API_ENV = "TRACKER_ARXIV_API"
HF_API = "https://huggingface.co/api"
ARXIV_API = "https://rss.arxiv.org/rss"
_CATEGORY = re.compile(r"[a-z-]+(?:\.[A-Za-z-]+)?")
_SPEC_HELP = "give hf or arxiv:CATEGORY (arxiv:cs.CL, arxiv:stat.ML)"


class RemoteError(ValueError):
    """A ``--source`` that names no remote; the message says what to give."""


@dataclass(frozen=True, slots=True)
class Remote:
    kind: str
    """``hf`` or ``arxiv``."""
    category: str | None = None
    """The arXiv category (``cs.CL``); None for ``hf``."""

    @property
    def name(self) -> str:
        """As ``--source`` takes it: ``hf``, ``arxiv:cs.CL``."""
        return self.kind if self.category is None else f"{self.kind}:{self.category}"

    @property
    def by_day(self) -> bool:
        """True when any day can be asked for (Hugging Face); arXiv's feed has only the latest."""
        return self.kind == "hf"

    @property
    def format(self) -> str:
        """The import format of what it sends (see :data:`tracker.sources.FORMATS`)."""
        return "hf-json" if self.kind == "hf" else "feed"

    @property
    def interval(self) -> float:
        """Seconds between requests: arXiv asks for three, Hugging Face for restraint."""
        return 3.0 if self.kind == "arxiv" else 1.0

    def url(self, day: dt.date | None = None) -> str:
        if self.kind == "hf":
            if day is None:
                raise ValueError("the Hugging Face list is fetched by day")
            base = os.environ.get(HF_API_ENV) or HF_API
            return f"{base.rstrip('/')}/daily_papers?date={day.isoformat()}"
        base = os.environ.get(ARXIV_API_ENV) or ARXIV_API
        return f"{base.rstrip('/')}/{urllib.parse.quote(self.category or '')}"

    def source_name(self, day: dt.date) -> str:
        """The name a fetched day is stored under (its digest's source file)."""
        if self.kind == "hf":
            return f"hf-daily-{day.isoformat()}.json"
        return f"arxiv-{self.category}-{day.isoformat()}.xml"

    def day_of(self, source: str) -> dt.date | None:
        """The day a digest of this remote was fetched for, from its source name; else None."""
        prefix, suffix = (
            ("hf-daily-", ".json") if self.kind == "hf" else (f"arxiv-{self.category}-", ".xml")
        )
        if not (source.startswith(prefix) and source.endswith(suffix)):
            return None
        try:
            return dt.date.fromisoformat(source[len(prefix) : -len(suffix)])
        except ValueError:
            return None


def parse_remote(spec: str) -> Remote:
    """``hf`` or ``arxiv:CATEGORY``; :class:`RemoteError` for anything else."""
    text = spec.strip()
    if text.lower() in ("hf", "huggingface"):
        return Remote("hf")
    kind, _, category = text.partition(":")
    if kind.lower() == "arxiv":
        if not category:
            raise RemoteError(f"arxiv needs a category: {_SPEC_HELP}")
        if not _CATEGORY.fullmatch(category):
            raise RemoteError(f"{category!r} is not an arXiv category; {_SPEC_HELP}")
        return Remote("arxiv", category)
    raise RemoteError(f"unknown source {spec!r}: {_SPEC_HELP}")
