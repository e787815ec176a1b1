"""A large text page read and parsed in pieces, so that an import's memory follows its papers.

Read whole, a 200 MB text digest (265,000 papers) took 1.2 GB while it was
parsed: the bytes, the decoded text and the parser's own lines and blocks
all at once, several times the file. A text page is a run of papers, each a
title block and its abstract, under a date line. So a file larger than
:data:`STREAM_MIN_BYTES` is read :data:`PIECE_BYTES` at a time, each piece
ending at a blank line, and each piece is parsed as a page of its own: the
page's head (the lines before the papers: header and date line) followed by
the piece. The last paper a piece gives may be cut short by the piece's
end (its abstract goes on in the next piece), so it is not taken: the next
piece starts at its title line. Line numbers are those of the whole file;
the hashes are taken over the whole file as it streams by (see
:mod:`tracker.library.page_hash`).

A command's import plans each piece's papers as the piece comes (see
:class:`PagePieces`; its new papers go to a temporary file, see
tracker/store/spilled_rows.py), so that neither the page nor its papers are
ever in memory whole; :func:`read_in_pieces` puts the pieces together (the
app, a preview, the worker processes).

A large JSON list of papers or JSON Lines is read in pieces too, an item
at a time (tracker/library/json_pieces.py). Other text pages are read in
pieces only when they are plain (see :func:`_plain`): what a text page parser decides
for a paper depends on the paper's own lines and the page's head, which is
what a piece carries. Feeds, HTML, arXiv listings and any page that is not
plain are read whole, within WHOLE_READ_BYTES (tracker/library/files.py;
larger ones are refused in one sentence). A page that changes date in the middle keeps each
paper under its own date: a piece after the change starts with the date line
of the paper it starts with.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from tracker import sources
from tracker.library.core import LibraryError
from tracker.library.files import MAX_IMPORT_BYTES, same_version
from tracker.library.page_hash import PageHashes
from tracker.sources.parsed import (
    DigestError,
    ParsedDigest,
    ParsedPaper,
    ParsedSection,
    ParseWarning,
)
from tracker.store import StoreError, open_regular

STREAM_MIN_BYTES = 32 * 1024 * 1024
"""Files up to this size are read and parsed whole (nearly every page: a day is ~100 KB)."""
PIECE_BYTES = 8 * 1024 * 1024
"""What one piece holds (more at its end, to the next blank line)."""
_READ = 1024 * 1024
_HEAD = 4096  # what tells JSON from a text page
_BOM = b"\xef\xbb\xbf"


@dataclasses.dataclass(slots=True)
class Streamed:
    """A page read in pieces: its hashes, its parse and its first piece (for the checks on it)."""

    hashes: PageHashes
    parsed: sources.Parsed
    head: bytes


@dataclasses.dataclass(slots=True)
class Piece:
    """What one piece of a page adds: papers of its sections, and warnings.

    ``sections`` pairs a section's number on the page (from 0) with the
    section holding only this piece's papers of it; a section that goes on
    from the last piece keeps its number (and its label, date and line).
    """

    sections: list[tuple[int, ParsedSection]]
    warnings: list[ParseWarning]


class ReadWhole(Exception):
    """The page turned out not to be one to read in pieces (see :func:`_plain`): read it whole."""


class PagePieces:
    """A large text page opened to be parsed a piece at a time (see :func:`open_pieces`).

    Iterating gives each piece's papers (:class:`Piece`), so that a caller
    can store them and let them go before the next piece is read. It raises
    ReadWhole when the page is not one to read so (nothing it gave counts
    then), DigestError when a piece cannot be parsed and LibraryError when
    the file cannot be read or changed while it was read.
    """

    def __init__(
        self,
        fh: BinaryIO,
        before: os.stat_result,
        path: Path,
        source: str,
        format: str,
        piece_bytes: int,
        *,
        kind: str = "text",
        scratch: Path | None = None,
    ) -> None:
        self._fh = fh
        self._before = before
        self._path = path
        self._source = source
        self._format = format
        self._piece_bytes = piece_bytes
        self.kind = kind
        """What the page is read as: ``text`` or ``hf-json`` (see :func:`open_pieces`)."""
        self._scratch = scratch
        self.head = b""
        """The page's first piece, once it was read (the checks of an import look at it)."""
        self._hashing = _Hashing()
        self._first: PageHashes | None = None

    def __enter__(self) -> PagePieces:
        return self

    def __exit__(self, *exc: object) -> None:
        self._fh.close()

    def hash_first(self) -> PageHashes:
        """The page's hashes, read through once before it is parsed (an import planning
        as it goes needs its digest ids, which are made from them)."""
        from tracker.library import json_pieces

        if self._first is None:
            hashing = _Hashing()
            # JSON is checked as a whole read decodes it (tracker/library/json_pieces.py).
            check = json_pieces.TextCheck(self._source) if self.kind == "hf-json" else None
            try:
                while chunk := self._fh.read(_READ):
                    text = hashing.feed(chunk)
                    if check is not None:
                        check.feed(chunk, text)
                self._fh.seek(0)
            except OSError as err:
                raise LibraryError(f"cannot read {self._path}: {err.strerror or err}") from err
            self._first = hashing.hashes()
            if check is not None:
                check.check()
        return self._first

    def _json_pieces(self) -> Iterator[Piece]:
        from tracker.library import json_pieces

        self.hash_first()  # checks the file before a paper is read
        self.head = self._fh.read(_HEAD)
        self._fh.seek(0)
        chunks = json_pieces.texts(self._fh, self._hashing, min(self._piece_bytes, _READ))
        for sections, warnings in json_pieces.json_pieces(chunks, self._source, self._scratch):
            yield Piece(sections, warnings)
        for _ in chunks:  # the whole file is hashed (the reader has read it all)
            pass

    def hashes(self) -> PageHashes:
        """The page's hashes, once every piece was read."""
        return self._hashing.hashes()

    def __iter__(self) -> Iterator[Piece]:
        try:
            if self.kind == "hf-json":
                yield from self._json_pieces()
            else:
                yield from _parse_pieces(
                    self._fh, self._source, self._format, self._piece_bytes, self._hashing, self
                )
        except _NoPieces:
            raise ReadWhole from None
        except OSError as err:
            raise LibraryError(f"cannot read {self._path}: {err.strerror or err}") from err
        except UnicodeDecodeError:  # checked before it was parsed: it changed meanwhile
            after = None
        else:
            after = self._stat()
        if (
            after is None
            or not same_version(self._before, after)
            or (self._first is not None and self._first != self._hashing.hashes())
        ):
            raise LibraryError(
                f"{self._path} kept changing while it was read; import it again once it is complete"
            )

    def _stat(self) -> os.stat_result:
        try:
            return self._path.stat()
        except OSError as err:
            raise LibraryError(f"cannot read {self._path}: {err.strerror or err}") from err


def is_large(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is large enough to be read in pieces (a text page of that size is)."""
    try:
        return os.stat(path).st_size > STREAM_MIN_BYTES
    except OSError:
        return False


def _json_head(head: bytes, format: str) -> bool:
    """Whether a large file's head is JSON's (read as JSON, see tracker.sources)."""
    # The JSON readers are imported by an import that meets a large file, not by every
    # import: a day's text digest never needs them.
    from tracker.library import json_pieces

    return json_pieces.is_json(head, format)


def open_pieces(
    path: Path,
    source: str,
    format: str,
    *,
    piece_bytes: int | None = None,
    scratch: Path | None = None,
) -> PagePieces | None:
    """``path`` opened to be read in pieces; None when it is to be read whole.

    None for a file of at most STREAM_MIN_BYTES (or more than
    MAX_IMPORT_BYTES, which the whole read refuses in one sentence) and for
    one that cannot be opened (the whole read says why, in the words every
    import uses). A file that starts as JSON does (and is read as JSON, see
    tracker.sources) is read an item at a time (tracker/library/json_pieces.py;
    ``scratch``: the folder of its temporary file, None for the system's);
    any other as a text page, and whether it is plain text is found as it is
    read (ReadWhole). ``piece_bytes``: a text piece's size, a JSON read's.
    """
    try:
        fh = open_regular(path)
    except (OSError, StoreError):
        return None
    try:
        before = os.fstat(fh.fileno())
        # Nearly every file is small: read whole, its head not even looked at.
        head = fh.read(_HEAD) if before.st_size > STREAM_MIN_BYTES else b""
        fh.seek(0)
    except OSError:
        fh.close()
        return None
    piece_bytes = piece_bytes or PIECE_BYTES
    kind = "hf-json" if head and _json_head(head, format) else "text"
    smallest = STREAM_MIN_BYTES if kind == "hf-json" else max(STREAM_MIN_BYTES, 2 * piece_bytes)
    if not smallest < before.st_size <= MAX_IMPORT_BYTES:
        fh.close()
        return None
    return PagePieces(fh, before, path, source, format, piece_bytes, kind=kind, scratch=scratch)


def read_in_pieces(
    path: Path, source: str, format: str, *, piece_bytes: int | None = None
) -> Streamed | None:
    """``path`` read and parsed a piece at a time, the pieces put together; None when it is
    to be read whole.

    None for a file of at most STREAM_MIN_BYTES and for a page that is not
    plain text or JSON (see :func:`_plain`). Raises
    LibraryError when the file cannot be read or changes while it is read,
    DigestError when a piece cannot be parsed.
    """
    pieces = open_pieces(path, source, format, piece_bytes=piece_bytes)
    if pieces is None:
        return None
    with pieces:
        sections: list[ParsedSection] = []
        warnings: list[ParseWarning] = []
        try:
            for piece in pieces:
                for number, section in piece.sections:
                    if number < len(sections):
                        old = sections[number]
                        sections[number] = dataclasses.replace(
                            old, papers=old.papers + section.papers
                        )
                    else:
                        sections.append(section)
                warnings.extend(piece.warnings)
        except ReadWhole:
            return None
        digest = ParsedDigest(tuple(sections), tuple(warnings))
        return Streamed(pieces.hashes(), sources.Parsed(pieces.kind, digest), pieces.head)


class _Hashing:
    """The raw and the normalized (BOM dropped, CRLF and CR made LF) bytes' sha256, fed in order."""

    def __init__(self) -> None:
        self.raw = hashlib.sha256()
        self.content = hashlib.sha256()
        self.first = True
        self.cr = False  # the last chunk ended with CR: an LF that follows is part of it
        self.changed = False

    def feed(self, chunk: bytes) -> bytes:
        """The chunk as normalized text (fed to both hashes)."""
        self.raw.update(chunk)
        if self.first:
            self.first = False
            if chunk.startswith(_BOM):
                chunk = chunk[3:]
                self.changed = True
        if self.cr and chunk.startswith(b"\n"):
            chunk = chunk[1:]
        self.cr = chunk.endswith(b"\r")
        if b"\r" in chunk:
            self.changed = True
            chunk = chunk.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        self.content.update(chunk)
        return chunk

    def hashes(self) -> PageHashes:
        content = self.content.hexdigest()
        return PageHashes(content, self.raw.hexdigest() if self.changed else content)


class _NoPieces(Exception):
    """The file has no blank line for a long way: not a page of papers to read in pieces."""


def _pieces(fh: BinaryIO, hashing: _Hashing, piece_bytes: int) -> Iterator[bytes]:
    """The file's normalized text in pieces that end at a blank line (the last one at the end).

    _NoPieces when four pieces' worth goes by without a blank line (one
    50 MB line, a file of NUL bytes): such a file is read whole and refused
    there in its own words.
    """
    buffer = bytearray()
    while True:
        chunk = fh.read(_READ)
        if chunk:
            buffer += hashing.feed(chunk)
        while len(buffer) > piece_bytes:
            cut = buffer.find(b"\n\n", piece_bytes)
            if cut < 0:
                if len(buffer) > 4 * piece_bytes:
                    raise _NoPieces
                break  # no blank line yet: read on
            yield bytes(buffer[: cut + 2])
            del buffer[: cut + 2]
        if not chunk:
            if buffer:
                yield bytes(buffer)
            return


def _parse_pieces(
    fh: BinaryIO,
    source: str,
    format: str,
    piece_bytes: int,
    hashing: _Hashing,
    page: PagePieces,
) -> Iterator[Piece]:
    """Each piece's papers in turn (see :class:`PagePieces`); sets ``page.head``."""
    taken: list[ParsedSection] = []  # the sections given so far, without their papers
    first = b""  # the file's first piece (the checks of an import look at it)
    head = b""  # the page's lines before its first date line (or first paper)
    text = b""  # the text not taken yet: it starts at a paper's title line...
    text_line = 1  # ...which is this line of the file
    prefix = b""  # what is put before ``text``: the head and the date line of its papers
    for piece in _pieces(fh, hashing, piece_bytes):
        text += piece
        if not first:
            first = page.head = text
            try:
                whole = sources.parse_bytes(text, source, format)
            except DigestError:
                raise ReadWhole from None  # the whole file says what it is
            if whole.format != "text":
                raise ReadWhole
            head = _head(text, whole.digest)
            parsed = whole.digest
        else:
            again = sources.parse_bytes(prefix + text, source, format)
            if again.format != "text":
                raise ReadWhole  # read whole, as any page that is not text
            parsed = again.digest
        papers = parsed.papers
        if len(papers) < 2:
            continue  # too little to leave the last paper for the next piece: read on
        carried = papers[-1]
        prefix_lines = prefix.count(b"\n")
        start = _offset_of_line(text, carried.line - prefix_lines)
        if start <= 0:
            continue
        if not _plain(parsed, text[:start], prefix_lines, carried.line, b"" if taken else head):
            raise ReadWhole  # a page with more than papers: read whole (see _plain)
        yield _take(parsed, taken, carried, text_line - 1 - prefix_lines, prefix_lines)
        label_line = _section_line(parsed, carried)
        if label_line is None:
            date = b""
        elif label_line > prefix_lines:
            date = _line(text, label_line - prefix_lines) + b"\n\n"
        else:
            date = _line(prefix, label_line) + b"\n\n"
        prefix = head + date
        text_line += text.count(b"\n", 0, start)
        text = text[start:]
    if not first:
        raise DigestError(source, "empty file (no text to parse)")
    if prefix:
        prefix_lines = prefix.count(b"\n")
        again = sources.parse_bytes(prefix + text, source, format)
        if again.format != "text" or not _plain(again.digest, text, prefix_lines, None, b""):
            raise ReadWhole
        yield _take(again.digest, taken, None, text_line - 1 - prefix_lines, prefix_lines)
    else:
        yield _take(parsed, taken, None, 0, 0)


def _plain(
    parsed: ParsedDigest, text: bytes, prefix_lines: int, end_line: int | None, head: bytes
) -> bool:
    """Whether ``text`` (the piece up to ``end_line``) is nothing but papers and date lines.

    Only such a page is read in pieces. A page with anything else (a table,
    links, headings, a paper the parser had to skip or guess: any warning)
    may be read differently in pieces than whole, since a parser looks at
    the page around a paper; it is read whole.
    """

    def inside(line: int) -> bool:
        return line > prefix_lines and (end_line is None or line < end_line)

    if any(inside(w.line) for w in parsed.warnings):
        return False
    papers = [p for p in parsed.papers if inside(p.line)]
    labels = sum(1 for s in parsed.sections if s.line and inside(s.line))
    expected = sum(2 if p.abstract else 1 for p in papers) + labels + _blocks(head)
    return _blocks(text) == expected


def _blocks(text: bytes) -> int:
    return sum(1 for block in text.split(b"\n\n") if block.strip())


def _head(first: bytes, digest: ParsedDigest) -> bytes:
    """The page's lines before its first date line (or its first paper), blank lines and all."""
    lines = [s.line for s in digest.sections if s.line] + [p.line for p in digest.papers[:1]]
    if not lines:
        raise DigestError("", "no papers in the first piece of the page")
    return first[: _offset_of_line(first, min(lines))]


def _offset_of_line(text: bytes, line: int) -> int:
    """Where 1-based ``line`` starts in ``text`` (-1 when there is no such line)."""
    at = 0
    for _ in range(line - 1):
        at = text.find(b"\n", at)
        if at < 0:
            return -1
        at += 1
    return at


def _line(text: bytes, line: int) -> bytes:
    at = _offset_of_line(text, line)
    end = text.find(b"\n", at)
    return text[at : end if end >= 0 else len(text)]


def _section_line(parsed: ParsedDigest, paper: ParsedPaper) -> int | None:
    for section in parsed.sections:
        if any(p is paper for p in section.papers):
            return section.line
    return None


def _take(
    parsed: ParsedDigest,
    taken: list[ParsedSection],
    carried: ParsedPaper | None,
    shift: int,
    prefix_lines: int,
) -> Piece:
    """A piece's papers (all but ``carried``, taken with the next piece) and warnings.

    Lines are made the file's (``shift``); what is on the first
    ``prefix_lines`` lines (the repeated head and date line) was taken with
    an earlier piece. A section that goes on from the last one taken (same
    label and date) keeps its number; one with no paper taken here is left
    for the next piece (the last piece's are kept, as a whole read keeps them).
    ``taken`` holds the sections given so far (without their papers).
    """
    out: list[tuple[int, ParsedSection]] = []
    for section in parsed.sections:
        papers = tuple(
            dataclasses.replace(p, line=p.line + shift)
            for p in section.papers
            if p is not carried and p.line > prefix_lines
        )
        last = taken[-1] if taken else None
        if last is not None and (last.label, last.date) == (section.label, section.date):
            if papers:
                out.append((len(taken) - 1, dataclasses.replace(last, papers=papers)))
        elif papers or (carried is None and (section.line or 0) > prefix_lines):
            line = section.line + shift if section.line and section.line > prefix_lines else None
            taken.append(ParsedSection(section.label, section.date, line, ()))
            out.append((len(taken) - 1, ParsedSection(section.label, section.date, line, papers)))
    limit = carried.line if carried is not None else None
    warnings = [
        ParseWarning(warning.line + shift, warning.message)
        for warning in parsed.warnings
        if warning.line > prefix_lines and (limit is None or warning.line < limit)
    ]
    return Piece(out, warnings)
