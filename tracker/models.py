"""The data model shared by every layer: papers, digests, annotations.

Plain dataclasses with no I/O, so the parser, search, export and the UI can all
use them without pulling in storage or Textual.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple, Protocol, cast

from tracker.rows import (
    InvalidIdError,
    InvalidRowError,
    annotation_row_problem,
    common_paper_fields,
    digest_row_problem,
    is_paper_id,
    paper_row_problem,
)


class Status(StrEnum):
    """A paper's reading status; ``new`` means never triaged."""

    NEW = "new"
    TO_READ = "to-read"
    READING = "reading"
    READ = "read"
    SKIPPED = "skipped"

    @classmethod
    def parse(cls, text: str) -> Status:
        """Accept ``to-read``, ``to_read``, ``toread`` and any case; raise ValueError otherwise."""
        key = text.strip().lower().replace("_", "-")
        for status in cls:
            if key in (status.value, status.value.replace("-", "")):
                return status
        values = ", ".join(s.value for s in cls)
        raise ValueError(f"unknown status {text!r} ({cls.guess(key)}use one of: {values})")

    @classmethod
    def guess(cls, key: str) -> str:
        """``did you mean read? `` for a status mistyped as ``key`` (``reed``), else ``""``."""
        import difflib  # here: only a slip pays for it

        near = difflib.get_close_matches(key, [s.value for s in cls], n=1, cutoff=0.6)
        return f"did you mean {near[0]}? " if near else ""


# One mark per status for the app and the CLI alike. They differ in shape,
# not only in colour (NO_COLOR, colour blindness).
STATUS_MARK = {
    Status.NEW: "•",
    Status.TO_READ: "+",
    Status.READING: "▶",
    Status.READ: "✓",
    Status.SKIPPED: "✗",
}

# The same in ASCII (--ascii, or [look] ascii = true): for fonts and terminals
# without those characters. Still one distinct shape per status.
STATUS_MARK_ASCII = {
    Status.NEW: "*",
    Status.TO_READ: "+",
    Status.READING: ">",
    Status.READ: "x",
    Status.SKIPPED: "-",
}


@dataclass(frozen=True, slots=True)
class Marks:
    """Every symbol the list shows, in Unicode or in ASCII; see :meth:`of`."""

    status: dict[Status, str]
    watched: str  # the paper matches the watch list
    note: str  # the paper has a note
    selected: str  # the paper is selected for a bulk change

    @classmethod
    def of(cls, *, ascii: bool = False) -> Marks:
        if ascii:
            return cls(STATUS_MARK_ASCII, "!", "#", "@")
        return cls(STATUS_MARK, "★", "✎", "◆")


SMART_PUNCTUATION = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u00a0": " ",
    }
)
"""Smart quotes, Unicode hyphens and dashes and the no-break space, as the ASCII another copy
of the same page may have: the one map that title normalization and search's word folding share."""
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
# ASCII letters and digits lower-cased, every other byte a space: what the
# general path below makes of an ASCII title (``\W`` and ``_`` become spaces).
_ASCII_WORDS = bytes(
    ord(c.lower()) if c.isascii() and c.isalnum() else ord(" ") for c in map(chr, range(256))
)


# The parser normalizes each title to spot repeats, then the import derives the
# paper's id from the same title a moment later: remember the last few thousand.
@functools.lru_cache(maxsize=4096)
def normalize_title(title: str) -> str:
    """Reduce a title to the form two copies of the same paper share.

    Unicode is NFKC-normalized, case folded, punctuation dropped and whitespace
    collapsed, so smart quotes, a wrapped line or a trailing period do not make
    the same paper two papers.
    """
    if title.isascii():
        # Nearly every title: NFKC, the quote map and casefold change nothing
        # in ASCII but lower case, so one byte table does the same work at a
        # tenth of the cost (an import normalizes every title it reads).
        return " ".join(title.encode("ascii").translate(_ASCII_WORDS).decode("ascii").split())
    return _normalize_any(title)


def _normalize_any(title: str) -> str:
    """:func:`normalize_title` for any text (the ASCII shortcut must equal this)."""
    text = unicodedata.normalize("NFKC", title).translate(SMART_PUNCTUATION).casefold()
    return " ".join(_NON_WORD.sub(" ", text).split())


_TAG_SPACE = re.compile(r"[\s,]+")
# The months as labels write them; the importers' date readers use the same table.
MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTHS = tuple(name.lower() for name in MONTH_ABBR)
# A label ending in a day: "Aug 25", "HF daily, Sept. 3".
_LABEL_MONTH_DAY = re.compile(rf"\b({'|'.join(_MONTHS)})[a-z]*\.? (\d{{1,2}})$", re.IGNORECASE)


def label_month_day(label: str | None) -> tuple[int, int] | None:
    """(month, day) of a label that ends in one ("Aug 25", "Sept. 3"), else None."""
    m = _LABEL_MONTH_DAY.search(label or "")
    return (_MONTHS.index(m.group(1).lower()) + 1, int(m.group(2))) if m else None


def normalize_tag(text: str) -> str:
    """A tag as stored: no leading ``#`` or ``-``, whitespace and commas made ``-``.

    One word per tag lets the app's tag dialog and the query language
    (``tag:x``) read back exactly what was stored; ``""`` means no tag.
    """
    return _TAG_SPACE.sub("-", text.strip().lstrip("#-").strip()).strip("-")


def title_has_words(title: str) -> bool:
    """False for a title without one letter or digit (``***``, ``---``, ``?!``).

    Such a title normalizes to nothing, so every one of them would get the
    same id and all would merge into one paper: it is no paper's title.
    """
    return bool(normalize_title(title))


def paper_id_for(title: str) -> str:
    """The stable id of a paper: 12 hex digits of the hash of its normalized title.

    48 bits keep the chance of a collision below 1 in 10,000 at a million
    papers, and 12 characters are still short enough to type or paste.
    """
    return hashlib.sha1(normalize_title(title).encode("utf-8")).hexdigest()[:12]


@dataclass(slots=True)
class Paper:
    """One paper, merged across every digest it appeared in."""

    id: str
    title: str
    abstract: str = ""
    digests: list[str] = field(default_factory=list)
    arxiv_id: str | None = None
    authors: list[str] = field(default_factory=list)
    url: str | None = None
    upvotes: int | None = None
    published: str | None = None
    """When the paper came out, as its page printed it: ``YYYY-MM-DD`` when the
    year was known, else as printed (``Mar 13``). Not a digest's day."""
    primary_class: str | None = None
    """The arXiv category it was submitted to (``cs.CL``), when a listing named it."""

    def to_dict(self) -> dict[str, object]:
        data: dict[str, object] = {
            "id": self.id,
            "title": self.title,
            "abstract": self.abstract,
            "digests": list(self.digests),
        }
        # Optional fields are left out when empty to keep a 100k-paper file small.
        if self.arxiv_id:
            data["arxiv_id"] = self.arxiv_id
        if self.authors:
            data["authors"] = list(self.authors)
        if self.url:
            data["url"] = self.url
        if self.upvotes is not None:
            data["upvotes"] = self.upvotes
        if self.published:
            data["published"] = self.published
        if self.primary_class:
            data["primary_class"] = self.primary_class
        return data

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Paper:
        """The paper of a stored row; InvalidRowError when the row is not one (see :func:`paper_row_problem`)."""
        common = common_paper_fields(data)
        if common is not None:
            # The general path below takes five times as long. Interned, the
            # ~100 digest ids are shared by every paper instead of copied into
            # each (~6 MB at 100,000).
            with contextlib.suppress(TypeError):  # a digest id that is not a string
                return cls(*common[:3], list(map(sys.intern, common[3])))
        problem = paper_row_problem(data)
        if problem:
            if not isinstance(data, dict):
                raise InvalidRowError(problem)
            pid = data.get("id")
            if type(pid) is not str or not is_paper_id(pid):
                raise InvalidIdError(problem)
            raise InvalidRowError(problem)
        pid, title, abstract = data.get("id"), data.get("title"), data.get("abstract")
        digests = data.get("digests")
        upvotes = data.get("upvotes")
        return cls(
            id=cast(str, pid),
            title=cast(str, title),
            abstract=cast(str, abstract or ""),
            digests=list(map(sys.intern, cast(list[str], digests or []))),
            arxiv_id=_opt_str(data.get("arxiv_id")),
            authors=list(cast(list[str], data.get("authors") or [])),
            url=_opt_str(data.get("url")),
            upvotes=cast(int | None, upvotes),
            published=_opt_str(data.get("published")),
            primary_class=_opt_str(data.get("primary_class")),
        )


class AbstractSource(Protocol):
    """Where a :class:`StoredPaper`'s abstract is: the library file it was read from."""

    def abstract_at(self, at: int, paper_id: str) -> str:
        """The abstract of the paper ``paper_id``, row ``at`` of the file (an error if it is not)."""
        ...


_ABSTRACT_SLOT = Paper.__dict__["abstract"]
"""The slot that holds a Paper's abstract (a StoredPaper keeps its row number there instead)."""


class StoredPaper(Paper):
    """A paper read from the library's file, whose abstract stays in the file until it is used.

    At 100,000 papers the abstracts are about 130 MB, and the app shows one
    at a time: the detail pane, related papers, an export or a search's
    check of a few candidates read theirs (a few microseconds each), and
    nothing keeps them. Anything else is a :class:`Paper` (equal to one with
    the same fields); setting the abstract, or ``dataclasses.replace``,
    stores the text as a Paper does.
    """

    __slots__ = ("_source",)
    _source: AbstractSource

    @property  # a field of Paper, read from the file here
    def abstract(self) -> str:
        value = _ABSTRACT_SLOT.__get__(self)
        if type(value) is str:
            return value
        text: str = self._source.abstract_at(value, self.id)
        return text

    @abstract.setter
    def abstract(self, value: str) -> None:
        _ABSTRACT_SLOT.__set__(self, value)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Paper):
            return NotImplemented
        return _fields_of(self) == _fields_of(other)

    __hash__ = None  # type: ignore[assignment]  # mutable, as Paper

    @classmethod
    def from_row(
        cls, data: dict[str, object], source: AbstractSource, at: int, cut: bool = False
    ) -> Paper:
        """The paper of row ``at`` of ``source``, checked as :meth:`Paper.from_dict` checks it.

        ``cut``: the row was parsed with its abstract left out (``""``), an
        abstract known to be text that fits (tracker/store/library_base.py).
        A paper without an abstract is a plain Paper (nothing to read).
        """
        common = common_paper_fields(data)  # the cheap path, as in from_dict
        paper: Paper
        if common is not None and (common[2] or cut):
            try:
                paper = cls(common[0], common[1], "", list(map(sys.intern, common[3])))
            except TypeError:  # a digest id that is not a string: from_dict says why
                return Paper.from_dict(data)
        else:
            full = Paper.from_dict(data)
            if not full.abstract and not cut:
                return full
            paper = cls(
                full.id,
                full.title,
                "",
                full.digests,
                full.arxiv_id,
                full.authors,
                full.url,
                full.upvotes,
                full.published,
                full.primary_class,
            )
        _ABSTRACT_SLOT.__set__(paper, at)
        paper._source = source
        return paper


def _fields_of(paper: Paper) -> tuple[object, ...]:
    return (
        paper.id,
        paper.title,
        paper.abstract,
        paper.digests,
        paper.arxiv_id,
        paper.authors,
        paper.url,
        paper.upvotes,
        paper.published,
        paper.primary_class,
    )


@dataclass(slots=True)
class Digest:
    """One imported digest page (or one date section of a page)."""

    id: str
    label: str
    date: str | None
    source: str
    sha256: str
    imported_at: str
    paper_ids: list[str] = field(default_factory=list)
    format: str = "text"  # what the file was read as: text, hf-json or arxiv

    @property
    def display_label(self) -> str:
        """The label plus the year, when the label names a day without it ("Aug 25 2024").

        Only then: a label the user chose ("weekly picks") is shown as written.
        """
        if self.date and self.date[:4] not in self.label and label_month_day(self.label):
            return f"{self.label} {self.date[:4]}"
        return self.label

    def to_dict(self) -> dict[str, object]:
        data: dict[str, object] = {
            "id": self.id,
            "label": self.label,
            "date": self.date,
            "source": self.source,
            "sha256": self.sha256,
            "imported_at": self.imported_at,
            "paper_ids": list(self.paper_ids),
        }
        # Text digests (all of them before other formats existed) leave it out.
        if self.format != "text":
            data["format"] = self.format
        return data

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Digest:
        """The digest of a stored row; InvalidRowError when the row is not one."""
        problem = digest_row_problem(data)
        if problem:
            raise InvalidRowError(problem)
        return cls(
            id=cast(str, data["id"]),
            label=cast(str, data["label"]),
            date=_opt_str(data.get("date")),
            source=str(data.get("source") or ""),
            sha256=str(data.get("sha256") or ""),
            imported_at=str(data.get("imported_at") or ""),
            paper_ids=list(cast(list[str], data.get("paper_ids") or [])),
            format=str(data.get("format") or "text"),
        )


HISTORY_LIMIT = 50
"""Status changes kept per paper; older ones are dropped (the stats look back weeks, not years)."""


class StatusChange(NamedTuple):
    """One entry of a paper's status history: when (UTC, ISO 8601) and to what."""

    at: str
    status: Status


@dataclass(slots=True)
class Annotation:
    """What the user wrote about a paper: the only data that cannot be re-imported."""

    paper_id: str
    status: Status = Status.NEW
    note: str = ""
    tags: list[str] = field(default_factory=list)
    updated_at: str = ""
    history: list[StatusChange] = field(default_factory=list)
    """Status changes, oldest first, at most HISTORY_LIMIT. Files from before
    schema 2 get one synthesized entry (see tracker.store.migrations)."""
    status_at: str = ""
    """When the status last changed; merging takes the newer status (see
    tracker.backup). Empty: see :attr:`status_time`."""
    tags_at: str = ""
    """When the tags last changed; merging takes the newer tags. Empty: see
    :attr:`tags_time`."""
    note_at: str = ""
    """When the note last changed. Empty: see :attr:`note_time`."""
    note_seen: list[str] = field(default_factory=list)
    """Fingerprints of versions of the note this one replaced (sorted): a copy
    from another machine that is one of them is older and gives way on merge
    (see tracker.backup)."""

    @property
    def is_default(self) -> bool:
        """True when there is nothing worth storing."""
        return self.status is Status.NEW and not self.note and not self.tags

    def copy(self) -> Annotation:
        return Annotation(
            self.paper_id,
            self.status,
            self.note,
            list(self.tags),
            self.updated_at,
            list(self.history),
            self.status_at,
            self.tags_at,
            self.note_at,
            list(self.note_seen),
        )

    def change_status(self, status: Status, at: str) -> None:
        """Set the status and record the change in the history (capped)."""
        self.status = status
        self.history.append(StatusChange(at, status))
        del self.history[:-HISTORY_LIMIT]

    # When a field last changed. An explicit ``*_at`` wins; without one the
    # time is derived: "" (never) for a field still at its default, else the
    # status history or ``updated_at`` (files written before these fields).
    # to_dict leaves ``*_at`` out exactly when it equals the derived time.
    @property
    def latest_stamp(self) -> str:
        """The newest time this annotation holds: a change to it is stamped after this
        (see tracker.clock)."""
        seen = (entry.partition("@")[2] for entry in self.note_seen)
        history = self.history[-1].at if self.history else ""
        return max(self.updated_at, self.status_at, self.tags_at, self.note_at, history, *seen)

    @property
    def status_time(self) -> str:
        """When the status last changed, as far as is known ("" for never)."""
        return self.status_at or self._status_fallback()

    def _status_fallback(self) -> str:
        if self.history and self.history[-1].status is self.status:
            return self.history[-1].at
        if self.status is Status.NEW and not self.history:
            return ""
        return self.updated_at

    @property
    def tags_time(self) -> str:
        """When the tags last changed, as far as is known ("" for never)."""
        return self.tags_at or (self.updated_at if self.tags else "")

    @property
    def note_time(self) -> str:
        """When the note last changed, as far as is known ("" for never)."""
        return self.note_at or (self.updated_at if self.note else "")

    def to_dict(self) -> dict[str, object]:
        data: dict[str, object] = {
            "paper_id": self.paper_id,
            "status": self.status.value,
            "note": self.note,
            "tags": list(self.tags),
            "updated_at": self.updated_at,
            "history": [[change.at, change.status.value] for change in self.history],
        }
        # Merge bookkeeping is left out while it says nothing new, so most
        # annotations are stored as before and older versions read the file.
        if self.status_at and self.status_at != self._status_fallback():
            data["status_at"] = self.status_at
        if self.tags_at and self.tags_at != (self.updated_at if self.tags else ""):
            data["tags_at"] = self.tags_at
        if self.note_at and self.note_at != (self.updated_at if self.note else ""):
            data["note_at"] = self.note_at
        if self.note_seen:
            data["note_seen"] = list(self.note_seen)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Annotation:
        """The annotation of a stored row; InvalidRowError when the row is not one.

        Tolerant where nothing is lost: keys this version does not know are
        ignored, and a history entry that is not [time, known status] is
        skipped. A wrong type anywhere else (a status ``"bogus"``, ``history:
        5``, no ``paper_id``) makes the whole row invalid (see
        :func:`annotation_row_problem`).
        """
        problem = annotation_row_problem(data)
        if problem:
            pid = data.get("paper_id")
            if type(pid) is not str or not is_paper_id(pid):
                raise InvalidIdError(problem)
            raise InvalidRowError(problem)
        history = []
        for entry in cast(list[object], data.get("history") or []):
            if isinstance(entry, list | tuple) and len(entry) == 2:
                try:
                    history.append(StatusChange(str(entry[0]), Status.parse(str(entry[1]))))
                except ValueError:
                    continue
        note = cast(str, data.get("note") or "")
        return cls(
            paper_id=cast(str, data["paper_id"]),
            status=Status.parse(cast(str, data.get("status") or "new")),
            note=note,
            tags=list(cast(list[str], data.get("tags") or [])),
            updated_at=cast(str, data.get("updated_at") or ""),
            history=history[-HISTORY_LIMIT:],
            status_at=cast(str, data.get("status_at") or ""),
            tags_at=cast(str, data.get("tags_at") or ""),
            # An empty note has no time (earlier files stamped a deletion):
            # what it replaced is in note_seen, and merges agree (tracker.backup).
            note_at=cast(str, data.get("note_at") or "") if note.strip() else "",
            note_seen=sorted(set(cast(list[str], data.get("note_seen") or []))),
        )


def _opt_str(value: object) -> str | None:
    return str(value) if value not in (None, "") else None
