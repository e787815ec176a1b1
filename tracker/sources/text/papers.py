"""Pass 3 of the text parser: the blocks walked into papers and date sections, with warnings."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from tracker.models import normalize_title
from tracker.sources.dates import day_after
from tracker.sources.parsed import ParsedPaper, ParsedSection, ParseWarning
from tracker.sources.patterns import lazy
from tracker.sources.text.blocks import (
    AMBIGUOUS,
    PROSE,
    TITLE,
    Block,
    ends_any_sentence,
    is_field_line,
    is_run_of_points,
)
from tracker.sources.text.lines import PAPER_URL_ID, TITLE_MAX, Date, Meta, has_url
from tracker.wording import shortened

# --------------------------------------------------------------------------
# Pass 3: papers
# --------------------------------------------------------------------------


@dataclass(slots=True)
class _Paper:
    title: str
    no: int
    strong: bool
    paragraphs: list[str] = field(default_factory=list)
    arxiv_id: str | None = None
    url: str | None = None
    authors: tuple[str, ...] = ()
    upvotes: int | None = None

    def apply(self, meta: Meta) -> None:
        """Take the metadata's values for the fields that are still empty."""
        self.url = self.url or meta.url
        self.arxiv_id = self.arxiv_id or meta.arxiv_id
        if self.upvotes is None:
            self.upvotes = meta.upvotes
        self.authors = self.authors or meta.authors


@dataclass(slots=True)
class _Section:
    label: str | None
    iso: str | None
    no: int | None
    papers: list[_Paper] = field(default_factory=list)


_ATTACHABLE = frozenset({"url", "arxiv", "upvotes", "authors"})
_PAGE_TEXT = frozenset(
    {"link", "author count", "submitter", "publication date", "comment count", "fields"}
)


# "\\## 🎓 Title (2025-06-18)": a Markdown heading's marks shown as text (a site pasted
# the Markdown into its HTML unrendered), a pictograph, the paper's own day after it.
_SHOWN_HASHES = lazy(r"^(?:\\?#){1,6}\s+")
_LEAD_PICTOGRAPH = lazy(r"^[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF]\ufe0f?\s+")


def _without_marks(title: str) -> str:
    """The title without shown heading marks, a leading pictograph or its own day after it."""
    if not title[:1].isalnum():  # most titles: no pattern is tried
        title = _LEAD_PICTOGRAPH.sub("", _SHOWN_HASHES.sub("", title))
    own_day = day_after(title)
    return title if own_day is None else title[:own_day]


class Warnings:
    """Collects warnings; repeated kinds are folded into one line with a count."""

    LIMIT = 10

    def __init__(self) -> None:
        self.items: list[ParseWarning] = []
        self._counts: dict[str, int] = {}
        self._overflow: dict[str, tuple[int, str]] = {}
        self._page_text: dict[str, tuple[int, str]] = {}

    def add(self, line: int, message: str, kind: str = "", limit: int = LIMIT) -> None:
        if kind:
            count = self._counts.get(kind, 0) + 1
            self._counts[kind] = count
            if count > limit:
                self._overflow.setdefault(kind, (line, message))
                return
        self.items.append(ParseWarning(line, message))

    def count(self, kind: str) -> int:
        """How many warnings of ``kind`` were given (listed or folded)."""
        return self._counts.get(kind, 0)

    def page_text(self, meta: Meta) -> None:
        """Page text is reported once per kind, with a count of the others."""
        key = "page text: " + meta.kind
        self._counts[key] = self._counts.get(key, 0) + 1
        self._page_text.setdefault(meta.kind, (meta.no, meta.raw))

    def finish(self) -> tuple[ParseWarning, ...]:
        for kind, (line, example) in self._overflow.items():
            more = self._counts[kind] - self.LIMIT
            self.items.append(ParseWarning(line, f"{example} — and {more} more like it"))
        for kind, (line, raw) in self._page_text.items():
            more = self._counts["page text: " + kind] - 1
            tail = f"; {more} more like it" if more else ""
            self.items.append(ParseWarning(line, f"skipped {shortened(raw)!r} ({kind}{tail})"))
        self.items.sort(key=lambda w: w.line)
        return tuple(self.items)


class Builder:
    """The state machine of pass 3."""

    def __init__(self, warnings: Warnings) -> None:
        self.warn = warnings
        self.sections: list[_Section] = [_Section(None, None, None)]
        self.cur: _Paper | None = None
        self.pending: list[Meta] = []
        self.meta_first: bool | None = None  # do metadata lines precede titles?
        self.dates = 0

    # -- events ------------------------------------------------------------
    def date(self, date: Date) -> None:
        self.cur = None
        self.pending.clear()
        self.dates += 1
        if date.bad:
            self.warn.add(date.no, f"{date.label!r} is not a real date; its year is ignored")
        self.sections.append(_Section(date.label, date.iso, date.no))

    def meta(self, meta: Meta) -> None:
        if meta.kind in _PAGE_TEXT:
            self.warn.page_text(meta)
            return
        if meta.kind not in _ATTACHABLE:
            return
        cur = self.cur
        if cur is not None and not cur.paragraphs:
            cur.apply(meta)  # between a title and its abstract
        elif cur is not None and self.meta_first is False:
            cur.apply(meta)  # after the abstract, on a page that puts it there
        else:
            self.pending.append(meta)

    def block(self, block: Block, next_kind: int | None) -> None:
        kind = block.kind
        cur = self.cur
        if kind == TITLE and not block.strong and has_url(block.text):
            kind = PROSE  # "Project page: https://…" is part of an abstract, not a title
        elif (
            kind == PROSE
            and next_kind == PROSE
            and cur is not None
            and cur.paragraphs
            and len(block.text) < TITLE_MAX
            and not ends_any_sentence(block.text)
            and not block.text.endswith((":", "："))  # "Strengths:" introduces what follows
            and not is_field_line(block.text)  # "Method: We propose …": a summary's part
            and not is_run_of_points(block)
            and not has_url(block.text)
        ):
            kind = TITLE  # a title with sentences in it, followed by its abstract
        if (
            kind == PROSE
            or (
                # A short paragraph ending in a full stop: the abstract of a title
                # that has none yet, or one more paragraph unless an abstract
                # follows (then it is a title that ends with a full stop).
                kind == AMBIGUOUS and cur is not None and (not cur.paragraphs or next_kind != PROSE)
            )
            or (
                # A long "title" under a title that has no abstract, with no
                # abstract after it: a one-sentence abstract without a full stop.
                kind == TITLE
                and cur is not None
                and not cur.paragraphs
                and next_kind != PROSE
                and not block.strong
                and (len(block.text) >= 160 or len(block.text.split()) >= 25)
            )
        ):
            if cur is None:
                self.warn.add(
                    block.no,
                    f"skipped {shortened(block.text)!r} (text with no title before it)",
                    kind="orphan",
                )
                return
            text = block.text
            if not cur.paragraphs and text[:9].casefold() == "abstract:":
                text = text[9:].lstrip()
            if (
                cur.paragraphs
                and next_kind == PROSE
                and len(text) < TITLE_MAX
                and not text.rstrip("\"'”’)]").endswith((".", "!", "?", "…", ":"))
                and not is_run_of_points(block)
            ):
                # Short, unfinished, then more prose: the shape of a title and its
                # abstract. Read as a paragraph (its sentences or link say so), but
                # say so: if it was a title, a paper would otherwise vanish silently.
                self.warn.add(
                    block.no,
                    f"read {shortened(text)!r} as a paragraph of the abstract above; "
                    "if it is a title, that paper is missing",
                    kind="merged",
                )
            cur.paragraphs.append(text)
            return
        self._open(block)

    def _open(self, block: Block) -> None:
        paper = _Paper(block.text, block.no, block.strong)
        if block.url:
            pid = PAPER_URL_ID.search(block.url)
            paper.url = block.url
            paper.arxiv_id = pid.group(1) if pid else None
        if self.meta_first is None:
            self.meta_first = any(m.kind in _ATTACHABLE for m in self.pending)
        if self.meta_first:
            # Nearest first: a count right above the title is this paper's, one
            # further up may be the comment count of the paper before.
            for meta in reversed(self.pending):
                paper.apply(meta)
        elif self.cur is not None:
            for meta in self.pending:
                self.cur.apply(meta)
        self.pending.clear()
        self.cur = paper
        self.sections[-1].papers.append(paper)

    # -- result ------------------------------------------------------------
    def finish(self) -> list[ParsedSection]:
        if self.cur is not None and not self.meta_first:
            for meta in self.pending:
                self.cur.apply(meta)
        has_dates = self.dates > 0
        seen: dict[str, tuple[list[ParsedPaper], int]] = {}
        kept_lists: list[tuple[_Section, list[ParsedPaper]]] = []
        for index, section in enumerate(self.sections):
            kept: list[ParsedPaper] = []
            for key, paper in self._resolve(section, undated_prefix=index == 0 and has_dates):
                if key not in seen:
                    seen[key] = (kept, len(kept))
                    kept.append(paper)
                    continue
                where, at = seen[key]
                first = where[at]
                self.warn.add(
                    paper.line,
                    f"skipped duplicate {shortened(paper.title)!r} (already on line {first.line})",
                    kind="duplicate",
                )
                if paper.abstract and not first.abstract:  # the later copy is more complete
                    where[at] = dataclasses.replace(first, abstract=paper.abstract)
            kept_lists.append((section, kept))
        result = [
            ParsedSection(section.label, section.iso, section.no, tuple(kept))
            for section, kept in kept_lists
            if kept
        ]
        undated = [s for s in result if s.label is None]
        if undated and has_dates:
            self.warn.add(
                undated[0].papers[0].line, "papers before the first date line have no digest label"
            )
        # A page with no date line at all is the import's to settle: dated by
        # --date, else refused with what to do (tracker/library/import_plan.py).
        return result

    def _resolve(self, section: _Section, undated_prefix: bool) -> list[tuple[str, ParsedPaper]]:
        """Turn candidates into papers; a title without an abstract must look real.

        It is kept when it has an arXiv id or sits between two papers with
        abstracts ("title, title, abstract"). Otherwise it is more likely page
        text (a menu, a footer) and is skipped with a warning.
        """
        out: list[tuple[str, ParsedPaper]] = []
        papers = section.papers
        real_after = [False] * len(papers)
        seen_real = False
        for i in range(len(papers) - 1, -1, -1):
            real_after[i] = seen_real
            seen_real = seen_real or bool(papers[i].paragraphs)
        real_before = False
        for i, paper in enumerate(papers):
            paper.title = _without_marks(paper.title)
            key = normalize_title(paper.title)
            if not key:
                self.warn.add(
                    paper.no, f"skipped {shortened(paper.title)!r} (not a title)", kind="skipped"
                )
                continue
            if not paper.paragraphs:
                words = len(paper.title.split())
                title_like = words >= 3 or (words >= 2 and (real_before or ":" in paper.title))
                keep = paper.arxiv_id is not None or (
                    not undated_prefix and title_like and real_before and real_after[i]
                )
                if not keep:
                    why = "text before the date line" if undated_prefix else "no abstract"
                    self.warn.add(
                        paper.no,
                        f"skipped {shortened(paper.title)!r} ({why}; not taken for a paper)",
                        kind="skipped",
                    )
                    continue
                self.warn.add(
                    paper.no, f"no abstract for {shortened(paper.title)!r}", kind="no abstract"
                )
            else:
                real_before = True
            parsed = ParsedPaper(
                title=paper.title,
                abstract="\n\n".join(paper.paragraphs),
                line=paper.no,
                arxiv_id=paper.arxiv_id,
                url=paper.url,
                authors=paper.authors,
                upvotes=paper.upvotes,
            )
            out.append((key, parsed))
        return out
