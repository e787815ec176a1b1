"""What every import format's parser returns (ParsedDigest and its parts), its errors, and decode."""

from __future__ import annotations

from dataclasses import dataclass

from tracker.sources.patterns import lazy

# --------------------------------------------------------------------------
# Public types
# --------------------------------------------------------------------------


class DigestError(ValueError):
    """A digest that cannot be read at all; the message always names the file."""

    def __init__(self, source: str, message: str, line: int | None = None) -> None:
        self.source = source
        self.message = message
        self.line = line
        text = message if source and source in message else f"{source}: {message}"
        if line is not None and f"line {line}" not in text:
            text = f"{text} (line {line})"
        super().__init__(text)


class DoubtfulDigestError(DigestError):
    """A page with paper candidates, most of which cannot be read as papers: refused.

    Its message says why and what to do (``--format``, ``--date``); callers
    pass it on as it is rather than as "no papers found".
    """


@dataclass(frozen=True, slots=True)
class ParsedPaper:
    """One paper as found on the page."""

    title: str
    abstract: str
    line: int  # 1-based line number of the title
    arxiv_id: str | None = None
    url: str | None = None
    authors: tuple[str, ...] = ()
    upvotes: int | None = None
    # When the paper came out, as the page prints it next to the paper (search
    # and trending views): ISO ``YYYY-MM-DD`` when the year is known, else as
    # printed (``Mar 13``). Never the digest's day.
    published: str | None = None
    primary_class: str | None = None
    """The arXiv category the listing gives first (``cs.CL``)."""


@dataclass(frozen=True, slots=True)
class ParsedSection:
    """The papers under one date line (or the whole page when it has none)."""

    label: str | None  # the date line as printed; None when the page has none
    date: str | None  # ISO date, only when the label carries a year
    line: int | None  # line of the date label
    papers: tuple[ParsedPaper, ...]


@dataclass(frozen=True, slots=True)
class ParseWarning:
    """Something the parser skipped or guessed, with the line it is on."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass(frozen=True, slots=True)
class ParsedDigest:
    """The result of parsing one page."""

    sections: tuple[ParsedSection, ...]
    warnings: tuple[ParseWarning, ...]

    @property
    def papers(self) -> tuple[ParsedPaper, ...]:
        """Every paper of every section, in page order."""
        return tuple(p for s in self.sections for p in s.papers)


# --------------------------------------------------------------------------
# Decoding
# --------------------------------------------------------------------------

# Control characters that do not occur in text files (tab, newlines, form feed and
# the escape of terminal colours do).
_BINARY = lazy(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
_BOM = "\ufeff"
_SAMPLE = 1 << 16


def normalize_newlines(text: str) -> str:
    if text.startswith(_BOM):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _line_of_offset(data: bytes, offset: int) -> int:
    head = data[:offset]
    return head.count(b"\n") + head.count(b"\r") - head.count(b"\r\n") + 1


def decode(data: bytes, source: str) -> str:
    """Bytes to text: strict UTF-8, BOM stripped, CRLF / CR turned into LF.

    Raises :class:`DigestError` for empty input, binary data and text that is
    not UTF-8 (naming the line of the first bad byte).
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if not data.strip():
        raise DigestError(source, "empty file (no text to parse)")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DigestError(source, "UTF-16 text, not UTF-8 (save the file as UTF-8)")
    if b"\x00" in data:
        raise DigestError(source, NUL_BYTES)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise not_utf8(data[:_SAMPLE], _line_of_offset(data, err.start), source) from None
    check_sample(text[:_SAMPLE], source)
    return normalize_newlines(text)


NUL_BYTES = "binary data, not a text file (it contains NUL bytes)"
SAMPLE_BYTES = _SAMPLE
"""How much of a file's start :func:`not_utf8` and :func:`check_sample` look at."""


def not_utf8(head: bytes, line: int, source: str) -> DigestError:
    """The error for bytes that are not UTF-8: ``head``, their first SAMPLE_BYTES (BOM
    dropped), tells binary data from text; ``line``: where the first bad byte is."""
    sample = head.decode("utf-8", errors="replace")
    bad = sample.count("\ufffd") + len(_BINARY.findall(sample))
    if bad * 10 > len(sample):
        return DigestError(source, "binary data, not a text file")
    return DigestError(source, f"not UTF-8 text (invalid byte at line {line})", line=line)


def check_sample(sample: str, source: str) -> None:
    """DigestError when the text's first SAMPLE_BYTES characters are mostly control characters."""
    if len(_BINARY.findall(sample)) * 10 > len(sample):
        raise DigestError(source, "binary data, not a text file (mostly control characters)")
