"""A large JSON list of papers read an item at a time, so that an import's memory follows its papers.

Read whole, a 221 MB Daily Papers list took 1.31 GB: the bytes, the text,
every decoded object and every paper at once. A list (``[…]``) and JSON
Lines are read instead a chunk at a time (:mod:`tracker.sources.json_items`
decodes each item as the whole read does), and each item's paper is taken or
skipped at once (:class:`tracker.sources.hf_json.Items`, the whole read's own
code) and written to an unnamed temporary file. A JSON file's sections are
its days in order, and an item can come under any day, so the papers are
given back section by section only once the whole file was read: that is
when the file's checks (a list of no papers, mostly titles with markup) are
known, before anything is planned. The pieces are those of a text page
(:class:`tracker.library.page_pieces.Piece`): a command plans each piece's
papers into its own temporary file and lets them go.

The file is first read through once to check it as a whole read decodes it
(UTF-8, no NUL bytes, not one of paper-tracker's own files) and to take its
hashes; a damaged file gets the whole read's sentence, with its line.
"""

from __future__ import annotations

import codecs
import dataclasses
import datetime as dt
import os
import tempfile
from array import array
from collections.abc import Iterator
from operator import attrgetter
from pathlib import Path
from typing import BinaryIO, Protocol

import orjson

from tracker import sources
from tracker.sources import hf_json, json_items, title_check
from tracker.sources.parsed import (
    NUL_BYTES,
    SAMPLE_BYTES,
    DigestError,
    ParsedPaper,
    ParsedSection,
    ParseWarning,
    check_sample,
    not_utf8,
)

PIECE_PAPERS = 2000
"""Papers one piece gives (a section's papers come in pieces of at most this many)."""
_BOM = b"\xef\xbb\xbf"
_fields_of = attrgetter(*(f.name for f in dataclasses.fields(ParsedPaper)))
_AUTHORS = [f.name for f in dataclasses.fields(ParsedPaper)].index("authors")


class _Hashing(Protocol):
    def feed(self, chunk: bytes) -> bytes: ...


def is_json(head: bytes, format: str) -> bool:
    """Whether a file starting with ``head`` is read as JSON (as tracker.sources detects it)."""
    text = head.removeprefix(_BOM).decode("utf-8", errors="replace")
    if format == "hf-json":
        return text.lstrip()[:1] in ("[", "{")
    return format == sources.AUTO and hf_json.looks_like_json(text)


class TextCheck:
    """What the whole read checks before parsing (tracker.sources.parsed.decode, and
    tracker.sources.refuse_own_files), checked a chunk at a time."""

    def __init__(self, source: str) -> None:
        self.source = source
        self._raw = bytearray()  # the file's start (the whole read's sample)
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self._lines = 0
        self._nul = False
        self._bad_line: int | None = None
        self._head = bytearray()
        self._tail = b""

    def feed(self, raw: bytes, text: bytes) -> None:
        """The next chunk: as read (``raw``) and normalized (``text``, its newlines LF)."""
        if len(self._raw) < 4 * SAMPLE_BYTES:
            self._raw += raw
        if len(self._head) < 4096:
            self._head += text
        self._tail = (self._tail + text)[-4096:]
        self._nul = self._nul or b"\0" in text
        if self._bad_line is None:
            pending = len(self._decoder.getstate()[0])
            try:
                self._decoder.decode(text)
            except UnicodeDecodeError as err:
                at = max(err.start - pending, 0)
                self._bad_line = self._lines + text.count(b"\n", 0, at) + 1
        self._lines += text.count(b"\n")

    def check(self) -> None:
        """DigestError, in the whole read's words, for a file it refuses before parsing."""
        source = self.source
        if self._bad_line is None:
            try:
                self._decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                self._bad_line = self._lines + 1
        raw = bytes(self._raw).removeprefix(_BOM)
        if self._nul:
            raise DigestError(source, NUL_BYTES)
        if self._bad_line is not None:
            raise not_utf8(raw[:SAMPLE_BYTES], self._bad_line, source)
        check_sample(raw.decode("utf-8", errors="ignore")[:SAMPLE_BYTES], source)
        head = bytes(self._head).removeprefix(_BOM).decode("utf-8", errors="ignore")
        tail = self._tail.decode("utf-8", errors="ignore")
        sources.refuse_own_files(head[:500], tail[-500:], source)


def texts(fh: BinaryIO, hashing: _Hashing, read_bytes: int) -> Iterator[str]:
    """The file's text a chunk at a time, its newlines made LF and each chunk hashed.

    UnicodeDecodeError for bytes that are not UTF-8 (the file was checked
    before: it changed meanwhile).
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    first = True
    while chunk := fh.read(read_bytes):
        text = hashing.feed(chunk)
        if first:
            first = False
            text = text.removeprefix(_BOM)  # a BOM split across reads of a few bytes
        yield decoder.decode(text)
    yield decoder.decode(b"", final=True)


@dataclasses.dataclass(slots=True)
class _Day:
    """One day's papers of the file: where they are in the temporary file."""

    line: int
    """The line of the day's first paper (its section's line, as a whole read gives it)."""
    kept: array[int] = dataclasses.field(default_factory=lambda: array("q"))
    skipped: list[ParseWarning] = dataclasses.field(default_factory=list)


def json_pieces(
    chunks: Iterator[str], source: str, scratch: Path | None, piece_papers: int = PIECE_PAPERS
) -> Iterator[tuple[list[tuple[int, ParsedSection]], list[ParseWarning]]]:
    """The papers of a JSON file's text (``chunks``), section by section, in pieces.

    Each piece: its sections (number on the page, the section holding this
    piece's papers) and warnings (all of them with the first piece). What
    the pieces give, put together, is what
    :func:`tracker.sources.parse_bytes` gives for the whole text; it raises
    the same DigestError where that does, before the first piece.
    """
    located, document_day = json_items.located_items(chunks, source)
    items = hf_json.Items(source, document_day)
    days: dict[dt.date | None, _Day] = {}
    with _Papers(scratch) as papers:
        # Versions of one arXiv id are one paper under the title it was first
        # listed with (as hf_json.parse): the first one's place, its title read back.
        first_of: dict[str, int] = {}
        for item, line in located:
            found = items.add(item, line)
            if found is None:
                continue
            paper, day = found
            index = len(papers)
            if paper.arxiv_id:
                first = first_of.setdefault(paper.arxiv_id, index)
                if first != index:
                    title = papers.title(first)
                    if title != paper.title:
                        paper = dataclasses.replace(paper, title=title)
            papers.add(paper)
            state = days.get(day)
            if state is None:
                state = days[day] = _Day(paper.line)
            warning = title_check.skipped_title(paper)
            if warning is None:
                state.kept.append(index)
            else:
                state.skipped.append(warning)
        del first_of
        items.check()
        order = hf_json.section_days(days)
        skipped = [w for day, _, _ in order for w in days[day].skipped]
        warnings = items.warnings
        if skipped:
            kept = sum(len(d.kept) for d in days.values())
            title_check.refuse_if_mostly_skipped(skipped, kept, source)
            warnings = sorted((*warnings, *skipped), key=lambda w: w.line)
        number = 0
        for day, label, date in order:
            state = days[day]
            if not state.kept:
                continue  # every paper skipped: no section (as a whole read)
            for start in range(0, len(state.kept), piece_papers):
                batch = tuple(papers.read(state.kept[start : start + piece_papers]))
                section = ParsedSection(label, date, state.line, batch)
                yield [(number, section)], warnings
                warnings = []
            number += 1


class _Papers:
    """Parsed papers in an unnamed temporary file, by their number in the order added."""

    def __init__(self, scratch: Path | None) -> None:
        self._fh = tempfile.TemporaryFile(dir=scratch, prefix=".tracker-json-")  # noqa: SIM115
        self._offsets = array("q")
        self._lengths = array("q")
        self._end = 0
        self._unflushed = False
        self._block = b""
        self._block_at = 0

    def __enter__(self) -> _Papers:
        return self

    def __exit__(self, *exc: object) -> None:
        self._fh.close()

    def __len__(self) -> int:
        return len(self._offsets)

    def add(self, paper: ParsedPaper) -> None:
        data = orjson.dumps(_fields_of(paper))
        self._fh.write(data)
        self._unflushed = True
        self._offsets.append(self._end)
        self._lengths.append(len(data))
        self._end += len(data)

    def title(self, index: int) -> str:
        return self._paper(index).title

    def read(self, indices: array[int]) -> Iterator[ParsedPaper]:
        for index in indices:
            yield self._paper(index)

    def _paper(self, index: int) -> ParsedPaper:
        if self._unflushed:
            self._fh.flush()
            self._unflushed = False
        at, size = self._offsets[index], self._lengths[index]
        block_at = self._block_at
        if not (block_at <= at and at + size <= block_at + len(self._block)):
            self._block_at = block_at = at
            self._block = os.pread(self._fh.fileno(), max(size, 1 << 20), at)
        fields = orjson.loads(self._block[at - block_at : at - block_at + size])
        fields[_AUTHORS] = tuple(fields[_AUTHORS])
        return ParsedPaper(*fields)
