"""What's new: the papers of the digests imported since a moment, as Markdown.

Pure (no I/O, no clock): the library gathers the papers and watch matches,
this module orders them and writes the text that ``tracker whats-new`` prints
(for a cron job or an e-mail) and the app's "What's new" screen shows.

Stored times are UTC; the times shown and the days of ``--since
2026-11-20`` are local (the machine's time zone) unless ``utc`` is asked for. Ordering is stable: the
watched papers first (in digest order), then one section per digest in
import order with its papers in page order. A paper in several of the new
digests is listed once, under the first; papers the library already had
from an earlier digest are listed last, briefly, with their status.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from tracker.latex import to_unicode
from tracker.models import Digest, Paper, Status
from tracker.sources.fields import arxiv_url
from tracker.stats import parse_time

DEFAULT_WINDOW = dt.timedelta(hours=24)
"""Without --since: the digests imported in the last 24 hours (a daily cron job sees each once)."""

SNIPPET = 240
"""Characters of the abstract shown under each paper."""

_DURATION = re.compile(r"^(\d+)\s*([hdw])$", re.IGNORECASE)
_UNITS = {"h": "hours", "d": "days", "w": "weeks"}
# ASCII punctuation that means something inline in Markdown; a backslash
# before any ASCII punctuation is always a literal in CommonMark.
_INLINE = re.compile(r"([\\`*_\[\]<>])")


class SinceError(ValueError):
    """A --since value that is neither a date, a time nor a duration."""


def parse_since(text: str, now: dt.datetime, *, utc: bool = False) -> dt.datetime:
    """``2026-11-20`` (its midnight), ``2026-11-20T07:30`` (unless it gives an offset),
    ``36h``, ``7d``, ``2w``; a day and a time without offset are local, or UTC with ``utc``."""
    value = text.strip()
    match = _DURATION.match(value)
    try:
        if match:
            amount, unit = int(match.group(1)), match.group(2).lower()
            return now - dt.timedelta(**{_UNITS[unit]: amount})
        moment = dt.datetime.fromisoformat(value)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC) if utc else moment.astimezone()
        return moment.astimezone(dt.UTC)
    except OverflowError:
        raise SinceError(f"--since {text!r} reaches outside the calendar") from None
    except ValueError:
        raise SinceError(
            f"--since {text!r} is not a date (2026-11-20), a time (2026-11-20T07:30) "
            "or a duration (36h, 7d, 2w)"
        ) from None


@dataclass(frozen=True, slots=True)
class Entry:
    """One paper of what's new."""

    paper: Paper
    digest: Digest
    """The first of the new digests it appears in."""
    status: Status
    seen_before: bool
    """The library had it from a digest imported before ``since``."""
    watch: str | None
    """The watch entry it matched (as the user wrote it), or None."""


@dataclass(frozen=True, slots=True)
class WhatsNew:
    """The papers of the digests imported since ``since`` (the morning read)."""

    since: dt.datetime
    digests: list[Digest]
    """Digests imported since ``since``, in import order."""
    entries: list[Entry]
    """Each paper once, in digest order then page order."""
    watched_only: bool = False
    utc: bool = False
    """Times shown in UTC rather than local time."""

    @property
    def watched(self) -> list[Entry]:
        return [e for e in self.entries if e.watch is not None]

    @property
    def new_papers(self) -> list[Entry]:
        return [e for e in self.entries if not e.seen_before]

    @property
    def empty(self) -> bool:
        return not (self.watched if self.watched_only else self.entries)


def new_digests(digests: Sequence[Digest], since: dt.datetime) -> list[Digest]:
    """Digests imported at or after ``since``, oldest import first (ties keep library order)."""
    timed = []
    for order, digest in enumerate(digests):
        when = parse_time(digest.imported_at)
        if when is not None and when >= since:
            timed.append((when, order, digest))
    return [digest for _, _, digest in sorted(timed, key=lambda t: (t[0], t[1]))]


def collect(
    since: dt.datetime,
    digests: Sequence[Digest],
    paper: Callable[[str], Paper],
    status: Callable[[str], Status],
    watch: Mapping[str, str],
    *,
    watched_only: bool = False,
    utc: bool = False,
) -> WhatsNew:
    """Gather what is new; ``watch`` maps paper id → the watch entry text it matched."""
    chosen = new_digests(digests, since)
    fresh = {d.id for d in chosen}
    entries: list[Entry] = []
    listed: set[str] = set()
    for digest in chosen:
        for pid in digest.paper_ids:
            if pid in listed:
                continue
            listed.add(pid)
            item = paper(pid)
            seen = bool(item.digests) and item.digests[0] not in fresh
            entries.append(Entry(item, digest, status(pid), seen, watch.get(pid)))
    return WhatsNew(since, chosen, entries, watched_only, utc)


# -- Markdown -----------------------------------------------------------------
def stamp(moment: dt.datetime, *, utc: bool = False) -> str:
    """``2026-11-20 07:30 UTC``, or local: ``2026-11-20 08:30 CET`` (``+05:30`` for a zone
    without a name)."""
    if utc:
        return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    local = moment.astimezone()
    name = local.tzname() or ""
    if not name.isalpha():
        offset = local.strftime("%z")
        name = f"{offset[:3]}:{offset[3:]}"
    return local.strftime("%Y-%m-%d %H:%M ") + name


def nothing_new(summary: WhatsNew) -> str:
    what = "no watched paper" if summary.watched_only and summary.entries else "nothing new"
    return f"{what.capitalize()} since {stamp(summary.since, utc=summary.utc)}."


def _inline(text: str) -> str:
    return _INLINE.sub(r"\\\1", " ".join(text.split()))


def _snippet(abstract: str) -> str:
    flat = " ".join(abstract.split())
    end = flat.find(". ")
    sentence = flat[: end + 1] if 0 < end < SNIPPET else flat
    if len(sentence) > SNIPPET:
        sentence = sentence[:SNIPPET].rsplit(" ", 1)[0] + " …"
    return sentence


def _link(paper: Paper) -> str | None:
    if paper.arxiv_id:
        return f"[arXiv {paper.arxiv_id}]({arxiv_url(paper.arxiv_id)})"
    return f"<{paper.url}>" if paper.url else None


def _item(entry: Entry, *, show_digest: bool, abstracts: bool) -> list[str]:
    parts = [f"**{_inline(to_unicode(entry.paper.title))}**"]
    if entry.watch is not None:
        term = entry.watch.replace("`", "'")  # a backtick would end the code span
        parts.append(f"watch: `{term}`")
    if show_digest:
        parts.append(_inline(entry.digest.display_label))
    if entry.status is not Status.NEW:
        parts.append(entry.status.value)
    link = _link(entry.paper)
    if link:
        parts.append(link)
    lines = ["- " + " · ".join(parts)]
    if abstracts and entry.paper.abstract:
        # A backslash at the end of a line is a hard line break (CommonMark):
        # the abstract starts its own line without loosening the list.
        lines[0] += "\\"
        lines.append("  " + _inline(_snippet(to_unicode(entry.paper.abstract))))
    return lines


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def markdown(summary: WhatsNew, *, abstracts: bool = True) -> str:
    """What's new as Markdown; the one-line ``nothing new`` sentence when it is empty."""
    if summary.empty:
        return nothing_new(summary) + "\n"
    watched = summary.watched
    lines = [f"# What's new since {stamp(summary.since, utc=summary.utc)}", ""]
    names = ", ".join(
        f"{_inline(d.display_label)} ({_count(len(d.paper_ids), 'paper')})" for d in summary.digests
    )
    overview = (
        f"{_count(len(summary.digests), 'digest')} imported: {names}. "
        f"{_count(len(summary.entries), 'paper')}, {len(summary.new_papers)} new to the library"
    )
    lines.append(overview + (f"; {len(watched)} on the watch list." if watched else "."))
    if watched:
        lines += ["", f"## Watched ({len(watched)})", ""]
        for entry in watched:
            lines += _item(entry, show_digest=True, abstracts=abstracts)
    if not summary.watched_only:
        for digest in summary.digests:
            papers = _new_in(summary, digest)
            if not papers:
                continue
            lines += [
                "",
                f"## {_inline(digest.display_label)} ({_count(len(papers), 'paper')})",
                "",
            ]
            for entry in papers:
                lines += _item(entry, show_digest=False, abstracts=abstracts)
        known = _known(summary)
        if known:
            lines += ["", f"## Already in the library ({len(known)})", ""]
            for entry in known:
                lines += _item(entry, show_digest=True, abstracts=False)
    return "\n".join(lines) + "\n"


def _new_in(summary: WhatsNew, digest: Digest) -> list[Entry]:
    """A digest's section: its papers new to the library and not watched."""
    return [e for e in summary.entries if e.digest is digest and not e.seen_before and not e.watch]


def _known(summary: WhatsNew) -> list[Entry]:
    """The last section: papers the library had before, not watched."""
    return [e for e in summary.entries if e.seen_before and not e.watch]


def reading_order(summary: WhatsNew) -> list[Entry]:
    """The papers in the Markdown's order: watched, then each digest's new ones, then
    those seen before (the JSON's order too)."""
    if summary.watched_only:
        return list(summary.watched)
    order = list(summary.watched)
    for digest in summary.digests:
        order += _new_in(summary, digest)
    return order + _known(summary)


# -- JSON ---------------------------------------------------------------------
def as_json(summary: WhatsNew) -> dict[str, object]:
    """What's new as one JSON object (``tracker whats-new --json``): the same papers in the same order."""
    entries = reading_order(summary)
    return {
        "since": summary.since.isoformat(),
        "watched_only": summary.watched_only,
        "digests": [
            {"id": d.id, "label": d.label, "date": d.date, "papers": len(d.paper_ids)}
            for d in summary.digests
        ],
        "papers": [
            {
                "id": e.paper.id,
                "title": e.paper.title,
                "digest": e.digest.id,
                "digest_label": e.digest.display_label,
                "status": e.status.value,
                "seen_before": e.seen_before,
                "watch": e.watch,
                "arxiv_id": e.paper.arxiv_id,
                "url": e.paper.url,
            }
            for e in entries
        ],
    }
