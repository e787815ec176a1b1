"""The items of a JSON list of papers read from text given in chunks, one item at a time.

A large JSON file (tracker/library/json_pieces.py) is never decoded whole:
that took 1.31 GB for a 221 MB Daily Papers list (the bytes, the text and
every object at once). Here the text comes a chunk at a time and each item
is decoded on its own with the same decoder as a whole read
(``json.JSONDecoder.raw_decode``, the way :func:`tracker.sources.hf_json.parse`
reads a list), so that an item, its line and a damaged file's error (its
words, line and column) are those of the whole read. Three shapes are read
so: a list (``[{…}, {…}]``), JSON Lines (one object per line) and an object
small enough to be decoded whole (:data:`ITEM_MAX_CHARS`; it holds its list,
:func:`tracker.sources.hf_json.parse` says how it is found). An item larger
than that is refused (no paper is near it): :class:`ItemTooLarge`.

Written here rather than taken from ``ijson``: an incremental parser gives
values but not the line each item starts on (a warning names it), and its
errors and numbers are not the standard decoder's, so a file could read
differently whole and streamed.

Pure: no I/O, only the chunks given.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator

from tracker.sources import hf_json
from tracker.sources.parsed import DigestError

__all__ = ["ITEM_MAX_CHARS", "located_items"]

ITEM_MAX_CHARS = 8 * 1024 * 1024
"""The largest item (or JSON Lines line) read: a paper's item is a few KB."""
_AHEAD = 64 * 1024  # text kept ahead of the item being decoded
_SPACE = " \t\n\r"
_DOUBT = 64  # an error this near the end of the text read may be the text's cut


class JsonError(Exception):
    """The text is not valid JSON: the whole read's words, line and column."""

    def __init__(self, msg: str, line: int, column: int) -> None:
        super().__init__(f"{msg} at line {line} column {column}")
        self.msg = msg
        self.line = line
        self.column = column


class ItemTooLarge(Exception):
    """An item (or a line of JSON Lines) larger than :data:`ITEM_MAX_CHARS`, at ``line``."""

    def __init__(self, line: int) -> None:
        super().__init__(f"an item at line {line} is larger than {ITEM_MAX_CHARS // 2**20} MB")
        self.line = line


class _Text:
    """The text read so far that is still needed, with the line and column it starts at."""

    def __init__(self, chunks: Iterable[str]) -> None:
        self._chunks = iter(chunks)
        self.text = ""
        self.pos = 0
        self.keep: int | None = None
        """A position before ``pos`` to keep the text from (going back to it)."""
        self.eof = False
        self._line = 1  # the line of text[_counted]
        self._counted = 0
        self._column = 0  # characters of text[0]'s line before it

    def more(self, want: int) -> None:
        """At least ``want`` characters after ``pos`` (fewer at the end of the text)."""
        if len(self.text) - self.pos >= want or self.eof:
            return
        text = self.text
        cut = self.pos if self.keep is None else min(self.pos, self.keep)
        if cut > self._counted:
            self.line_at(cut)
        newline = text.rfind("\n", 0, cut)
        self._column = cut - newline - 1 if newline >= 0 else self._column + cut
        parts = [text[cut:]]
        size = len(text) - self.pos
        while size < want:
            chunk = next(self._chunks, None)
            if chunk is None:
                self.eof = True
                break
            parts.append(chunk)
            size += len(chunk)
        self.text = "".join(parts)
        self._counted -= cut
        self.pos -= cut
        if self.keep is not None:
            self.keep -= cut

    def line_at(self, pos: int) -> int:
        """The line of ``pos`` (at or after the last position asked)."""
        self._line += self.text.count("\n", self._counted, pos)
        self._counted = pos
        return self._line

    def back_to(self, pos: int, line: int) -> None:
        """Read again from ``pos`` (kept, see :attr:`keep`), which is on ``line``."""
        self.pos = self._counted = pos
        self._line = line
        self.keep = None

    def error(self, msg: str, pos: int) -> JsonError:
        line = self.line_at(pos)
        newline = self.text.rfind("\n", 0, pos)
        column = pos - newline if newline >= 0 else self._column + pos + 1
        return JsonError(msg, line, column)

    def skip_space(self) -> None:
        while True:
            text, pos = self.text, self.pos
            size = len(text)
            while pos < size and text[pos] in _SPACE:
                pos += 1
            self.pos = pos
            if pos < size or self.eof:
                return
            self.more(_AHEAD)

    def peek(self) -> str:
        """The character at ``pos`` ("" at the end)."""
        self.more(1)
        return self.text[self.pos : self.pos + 1]

    def decode(self, decoder: json.JSONDecoder) -> object:
        """The value at ``pos``, decoded as a whole read decodes it; ``pos`` moves past it."""
        want = _AHEAD
        while True:
            self.more(want)
            text, pos = self.text, self.pos
            failed: Exception | None = None  # None: the text read may end inside the value
            try:
                value, end = decoder.raw_decode(text, pos)
            except json.JSONDecodeError as err:
                if self.eof or (err.pos < len(text) - _DOUBT and not _cut(err.msg)):
                    raise self.error(err.msg, err.pos) from None
            except (ValueError, RecursionError) as err:
                if self.eof:
                    raise
                failed = err  # numbers past the int-conversion limit, too deep nesting
            else:
                if end < len(text) or self.eof:  # a number at the end may go on
                    self.pos = end
                    return value
            if len(text) - pos >= ITEM_MAX_CHARS:
                if failed is not None:
                    raise failed
                raise ItemTooLarge(self.line_at(pos))
            want = min(2 * max(want, len(text) - pos), ITEM_MAX_CHARS + _AHEAD)


def _cut(msg: str) -> bool:
    """An error that a whole read may not give: the string may end in text not read yet."""
    return msg.startswith("Unterminated string")


def located_items(
    chunks: Iterable[str], source: str
) -> tuple[Iterator[tuple[object, int]], dt.date | None]:
    """The items with the line each starts on, and the day the object around them names.

    ``chunks``: the file's text (decoded, its newlines made LF). The items
    are those :func:`tracker.sources.hf_json.parse` finds in the whole
    text; where it raises DigestError (a damaged file, no list of papers)
    this raises the same, when the iterator meets it, and one for an item
    larger than :data:`ITEM_MAX_CHARS`.
    """
    text = _Text(chunks)
    try:
        found = _located(text, source)
    except DigestError:
        raise
    except (JsonError, ItemTooLarge, ValueError, RecursionError) as err:
        raise _digest_error(err, source) from None
    items, day = found
    return _reporting(items, source), day


def _reporting(items: Iterator[tuple[object, int]], source: str) -> Iterator[tuple[object, int]]:
    try:
        yield from items
    except (JsonError, ItemTooLarge, ValueError, RecursionError) as err:
        raise _digest_error(err, source) from None


def _digest_error(err: Exception, source: str) -> DigestError:
    """The whole read's words (tracker.sources.hf_json) for an error met a chunk at a time."""
    if isinstance(err, JsonError):
        return DigestError(
            source,
            f"{source} is not valid JSON: {err.msg} at line {err.line} column {err.column}",
            line=err.line,
        )
    if isinstance(err, ItemTooLarge):
        return DigestError(
            source,
            f"{source}: the JSON value at line {err.line} is larger than "
            f"{ITEM_MAX_CHARS // 2**20} MB (a paper's item is a few KB), so nothing was "
            "imported; a JSON file this large is read an item at a time, as a list of papers "
            "or JSON Lines, never as one object: split it into smaller files",
            line=err.line,
        )
    return DigestError(source, f"{source} is not JSON this program can read: {err}")


def _located(text: _Text, source: str) -> tuple[Iterator[tuple[object, int]], dt.date | None]:
    decoder = json.JSONDecoder()
    text.skip_space()
    if text.peek() == "[":
        text.pos += 1
        return _array_items(text, decoder), None
    # An object: one document (its list inside) or JSON Lines, as a whole read tells them.
    start, first_line = text.pos, text.line_at(text.pos)
    text.keep = start
    document = text.decode(decoder)
    text.skip_space()
    if not text.peek():
        located, day = hf_json.document_items(document, source)
        return iter(located), day
    extra = text.error("Extra data", text.pos)
    assert text.keep is not None
    text.back_to(text.keep, first_line)
    return _json_lines(text, extra), None


def _array_items(text: _Text, decoder: json.JSONDecoder) -> Iterator[tuple[object, int]]:
    """As :func:`tracker.sources.hf_json._array_items`, a chunk at a time."""
    text.skip_space()
    if text.peek() == "]":
        text.pos += 1
    else:
        while True:
            line = text.line_at(text.pos)
            yield text.decode(decoder), line
            text.skip_space()
            sign = text.peek()
            if sign == ",":
                text.pos += 1
                text.skip_space()
                continue
            if sign == "]":
                text.pos += 1
                break
            raise text.error("expected ',' or ']'", text.pos)
    end = text.pos
    text.keep = end
    text.skip_space()
    if text.peek():
        raise text.error("extra data after the list", text.keep)


def _json_lines(text: _Text, extra: JsonError) -> Iterator[tuple[object, int]]:
    """As :func:`tracker.sources.hf_json._json_lines`: any line that is not one object
    makes the text the error of a document with data after it (``extra``)."""
    count = 0
    while True:
        line = text.line_at(text.pos)
        end = text.text.find("\n", text.pos)
        while end < 0 and not text.eof:
            if len(text.text) - text.pos > ITEM_MAX_CHARS:
                raise ItemTooLarge(line)
            text.more(2 * max(_AHEAD, len(text.text) - text.pos))
            end = text.text.find("\n", text.pos)
        row = text.text[text.pos : end if end >= 0 else len(text.text)]
        if row.strip():
            try:
                item = json.loads(row)
            except (ValueError, RecursionError):
                raise extra from None
            if not isinstance(item, dict):
                raise extra
            count += 1
            yield item, line
        if end < 0:
            break
        text.pos = end + 1
        text.more(_AHEAD)
    if count < 2:
        raise extra
