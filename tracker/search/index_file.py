"""The word index saved between runs, so that opening a library does not rebuild it.

Building the word index of 100,000 papers takes about 8 seconds; loading it
from this file takes a fraction of one. :class:`IndexFile` is the
:class:`~tracker.search.IndexStore` that :class:`~tracker.library.Library`
gives its search index: the first build loads the file, fits it to the
papers as they are now and indexes only what it could not fit (papers added
since, texts that changed), and a build that changed anything saves the
result.

**Where.** ``search-index.cache`` in the data directory, next to
``library.json``: the file belongs to exactly one library, so it moves, is
deleted and is isolated (every test has its own data directory) together with
it, and no second directory has to be found, created or cleaned. It is derived
data: deleting it costs one rebuild. Read-only opens (the CLI's reading
commands) load it and also try to write it, because rebuilding on every
``tracker list WORDS`` is what the file avoids; a directory they cannot write
to simply means no file.

**Never a wrong result.** The file is used only when it was made by this
code (the fingerprint in its header covers the source of the core modules,
tracker/search's tokenizer and anything it may use, the Python and Unicode
versions (case folding) and the format version below) and when it is whole
(its size must be exactly what its header says and a CRC-32 of every byte
before the trailer must match). It says, for each paper it indexed, the key
of the title and abstract it indexed (tracker/search/paper_keys.py): a paper
whose text is not the one indexed (a merge that lengthened an abstract,
another machine's merge, a restored backup), a paper that is gone and one
that is new are told apart by those keys, and only they are indexed again
(tracker/search/reconcile.py). So the file may be older than the library: an
import, a forget or an undo in another process never makes it wrong, only
the next start a little slower, until that start saves it again. The header
also names the library's state it was saved in (Store.library_state): in
that very state nothing is compared; in an earlier one that the journal
leads to by puts alone (imports), the library says which papers were written
since (``IndexFile.changes``) and only their keys are compared.

Anything else (missing, truncated, damaged, foreign, unreadable) is ignored
without a word and the index is rebuilt; a failure to write (read-only
directory, disk full) is ignored too. The file is written to a temporary name
and renamed over the old one, so a reader sees the old file or the new one,
never half of one, and fsynced before the rename (below). A text that
changes in memory while the file is written makes the writer drop it.

**Format** (native byte order and sizes, recorded in the header; a machine
that differs ignores the file)::

    header      struct _HEADER: magic, version, byte order, fingerprint (20 bytes),
                the library's state when it was saved (20 bytes: a SHA-1 of the code
                key and Store.library_state; zeros when unknown), that state's name
                (Store.library_state, 48 ASCII bytes, padded with NULs; all NULs when
                unknown), papers, words,
                vocabulary bytes, title/abstract postings, title tokens, prefix
                groups, prefix key bytes, prefix ids, typo buckets, bucket ids
    vocabulary  the words in id order, joined by "\\n", UTF-8
    offsets     int64 per word + 1: where each word's title postings start (in
                postings, from the start of the postings); then the same for the
                abstract postings (counted on from the title postings' end)
    keys        uint64 per paper: the key of the text indexed
    starts      int64 per paper + 1: where its title's word ids start in the next section
    names       uint8 per paper: how many of its title words are its name
    tokens      int32 per title word: word ids
    prefixes    the prefix groups (tracker/search/vocabulary.py): their keys joined
                by "\\n", UTF-8; int64 offsets per group + 1; int32 word ids
    buckets     the typo buckets: int32 length, int32 letter (code point), uint8
                first (1) or last (0) letter per bucket; int64 offsets + 1; int32 ids
    head CRC    uint32: CRC-32 of everything above
    postings    int32: each word's title postings in id order, then the abstract postings
    word CRCs   uint32 per word: CRC-32 of its title postings; then of its abstract postings
    CRC         uint32: CRC-32 of the word CRCs
    CRC         uint32: CRC-32 of the postings and the word CRCs

**Two ways to load.** The app loads all of it (``lazy=False``): every
section is read and checked by its CRC, the postings cut into per-word
arrays a megabyte at a time (never a second copy of all of them). A command
that searches once (``lazy=True``) reads the header, the head and the word
CRCs (about a tenth of the file at 100,000 papers) and keeps the file open:
a word's postings are read from it when a search first asks for them and
checked by their own CRC (tracker/search/lazy_postings.py); a mismatch there
makes the index drop what it loaded and build from the texts. Either way a
query gets the very postings, and so the very results, of a full load.

The file is fsynced before it is renamed into place, so that the name never
points at blocks a crash did not write: a lazy load checks the postings only
as it reads them, and finding them damaged then costs a build in the middle
of a search.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import secrets
import stat
import struct
import sys
import time
import unicodedata
import zlib
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterator, Sequence
from itertools import accumulate
from pathlib import Path
from typing import Any, BinaryIO

from tracker.search.index_state import Candidates, IndexState, Lookups
from tracker.search.lazy_postings import LazyPostings, PostingsFile
from tracker.search.paper_keys import KEY_TYPE
from tracker.search.vocabulary import BucketKey, Groups, bucket_keys, group_table, prefix_keys

__all__ = ["INDEX_FILE", "IndexFile"]

INDEX_FILE = "search-index.cache"
FORMAT_VERSION = 6  # 6: the state's name in the header
_MAGIC = b"PTINDEX\n"
# magic, version, byte order (1 little, 2 big), fingerprint, library state, its name,
# papers, words, vocabulary bytes, title postings, abstract postings, title tokens,
# prefix groups, prefix key bytes, prefix ids, typo buckets, bucket ids
_HEADER = struct.Struct("<8sII20s20s48s11Q")
_STATE_NAME = 48
_TRAILER = struct.Struct("<I")
_BYTE_ORDER = 1 if sys.byteorder == "little" else 2
_USABLE = (
    array("i").itemsize == 4
    and array("I").itemsize == 4
    and array("q").itemsize == 8
    and array(KEY_TYPE).itemsize == 8
)
_SLICE = 1 << 18  # postings read at a time (1 MB)
_STALE_TEMP = 600  # seconds after which a temporary file is a dead writer's leftover


class _Damaged(Exception):
    """The file is not a usable index (any reason: the caller only ignores it)."""


_PACKAGE = Path(__file__).parent.parent
"""tracker/, whose sources the fingerprint covers."""


def code_files() -> list[Path]:
    """The sources the fingerprint covers: every module of tracker/ but the UI (tracker/app)."""
    return sorted(
        p for p in _PACKAGE.rglob("*.py") if "app" not in p.relative_to(_PACKAGE).parts[:1]
    )


@functools.cache
def _code_key() -> bytes | None:
    """What the index depends on besides the texts; None when the source cannot be read.

    The source of every core module (tracker/ and its packages, the UI package
    tracker/app left out), not only tracker/search's: the tokenizer may move or
    use a helper from elsewhere, and an upgrade that rebuilds the index once for
    nothing costs seconds, while one that keeps a stale index would give wrong
    results. Reading them takes a few milliseconds, in the background build.
    """
    package = _PACKAGE
    digest = hashlib.sha1(usedforsecurity=False)
    digest.update(f"{FORMAT_VERSION}|{sys.version_info[:2]}|{unicodedata.unidata_version}".encode())
    try:
        files = code_files()
        if Path(__file__) not in files:
            return None
        for path in files:
            source = path.read_bytes()
            digest.update(f"\0{path.relative_to(package).as_posix()}\0{len(source)}\0".encode())
            digest.update(source)
    except (OSError, ValueError):
        return None  # no way to tell a stale file from a good one: use none
    return digest.digest()


class IndexFile:
    """A saved search index: one file, see the module docstring."""

    def __init__(
        self,
        path: Path,
        state: Callable[[], str | None] | None = None,
        *,
        lazy: bool = False,
        changes: Callable[[str, int], Candidates | None] | None = None,
    ) -> None:
        self.path = path
        self.state = state
        """The library's state (see Store.library_state): a file saved in this very
        state fits the texts without reading them all to check (``IndexState.fits``)."""
        self.lazy = lazy
        """Load the postings when a search asks for them (a command), not all at once."""
        self.changes = changes
        """For a file saved in an earlier state of the library (its name and the papers
        it indexed): the papers that may have changed since, when the library can
        tell (see ``IndexState.candidates``); None when it cannot."""

    def _state_key(self, state: str | None) -> bytes:
        code = _code_key()
        if state is None or code is None:
            return bytes(20)
        return hashlib.sha1(code + state.encode(), usedforsecurity=False).digest()

    def _state_now(self) -> str | None:
        return self.state() if self.state is not None else None

    # ------------------------------------------------------------------ loading

    def load(self) -> IndexState | None:
        if not _USABLE:
            return None
        try:
            key = _code_key()
            if key is None:
                return None
            # Not waited on if a FIFO or a device sits there (a plain open
            # would block): anything but a regular file is "no usable file".
            fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
            with open(fd, "rb") as fh:
                if not stat.S_ISREG(os.fstat(fd).st_mode):
                    return None
                if getattr(os, "O_NONBLOCK", 0):
                    os.set_blocking(fd, True)
                loaded = _read(fh, key, self._state_key(self._state_now()), lazy=self.lazy)
            if not loaded.fits and loaded.saved_as and self.changes is not None:
                # Saved before the library's last changes: the journal may say
                # which papers they touched (an import: only those and the new ones).
                loaded.candidates = self.changes(loaded.saved_as, loaded.count)
            return loaded
        except Exception:  # any failure means "no usable file"
            return None

    # ------------------------------------------------------------------- saving

    def save(self, state: IndexState, still_valid: Callable[[], bool]) -> None:
        if not _USABLE:
            return
        tmp: str | None = None
        try:
            key = _code_key()
            if key is None:
                return
            self._remove_leftovers()
            # Like library.json, 0o644 less the umask (mkstemp would make it 0o600,
            # unreadable to another user allowed to read the library).
            name = str(self.path.with_name(f".{self.path.name}.{secrets.token_hex(8)}.tmp"))
            fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            tmp = name  # ours to remove from here on
            with os.fdopen(fd, "wb") as fh:
                state_name = self._state_now()
                _write(fh, state, key, self._state_key(state_name), state_name)
                fh.flush()
                os.fsync(fh.fileno())
            if still_valid():
                os.replace(tmp, self.path)
                tmp = None
        except Exception:  # a cache that cannot be written is just not there
            pass
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)

    def _remove_leftovers(self) -> None:
        """Delete temporary files of writers that died (killed mid-save)."""
        now = time.time()
        for leftover in self.path.parent.glob(f".{self.path.name}.*.tmp"):
            with contextlib.suppress(OSError):
                if now - leftover.stat().st_mtime > _STALE_TEMP:
                    leftover.unlink()


# ------------------------------------------------------------------------- reading


class _Reader:
    """Reads exact sizes and keeps the running CRC."""

    def __init__(self, fh: BinaryIO) -> None:
        self.fh = fh
        self.crc = 0

    def read(self, size: int) -> bytes:
        data = self.fh.read(size)
        if len(data) != size:
            raise _Damaged("file too short")
        self.crc = zlib.crc32(data, self.crc)
        return data

    def ints(self, typecode: str, count: int) -> array[int]:
        out = array(typecode)
        out.frombytes(self.read(count * out.itemsize))
        return out

    def check(self) -> None:
        """The next four bytes must be the CRC of what was read since the last check."""
        (crc,) = _TRAILER.unpack(self.fh.read(_TRAILER.size))
        if crc != self.crc:
            raise _Damaged("checksum")
        self.crc = 0


def _sizes(n: tuple[int, ...]) -> tuple[int, int]:
    """The sizes of the header with the head and its CRC, and of the rest, from the header's counts."""
    count, n_words, vocab_size, n_title, n_abstract, n_tokens = n[:6]
    n_prefixes, prefix_bytes, n_prefix_ids, n_buckets, n_bucket_ids = n[6:]
    head = (
        _HEADER.size
        + vocab_size
        + 16 * (n_words + 1)
        + 8 * count
        + 8 * (count + 1)
        + count
        + 4 * n_tokens
        + prefix_bytes
        + 8 * (n_prefixes + 1)
        + 4 * n_prefix_ids
        + 9 * n_buckets
        + 8 * (n_buckets + 1)
        + 4 * n_bucket_ids
        + _TRAILER.size
    )
    rest = 4 * (n_title + n_abstract) + 8 * n_words + 2 * _TRAILER.size
    return head, rest


def _groups(
    slots: dict[Any, int], offsets: array[int], ids: array[int]
) -> tuple[dict[Any, int], array[int], array[int]]:
    """A stored group table (its ids were checked by the writer)."""
    if len(slots) != len(offsets) - 1:
        raise _Damaged("repeated group keys")
    if offsets[0] != 0 or offsets[-1] != len(ids):
        raise _Damaged("bad group offsets")
    return slots, offsets, ids


def _read(
    fh: BinaryIO, code_key: bytes, library_state: bytes = bytes(20), *, lazy: bool = False
) -> IndexState:
    reader = _Reader(fh)
    header = reader.read(_HEADER.size)
    magic, version, order, key, saved_state, saved_name, *counts = _HEADER.unpack(header)
    if magic != _MAGIC or version != FORMAT_VERSION or order != _BYTE_ORDER:
        raise _Damaged("not an index of this version")
    if key != code_key:
        raise _Damaged("made by other code")
    count, n_words, vocab_size, n_title, n_abstract, n_tokens = counts[:6]
    n_prefixes, prefix_bytes, n_prefix_ids, n_buckets, n_bucket_ids = counts[6:]
    head_size, rest_size = _sizes(tuple(counts))
    if os.fstat(fh.fileno()).st_size != head_size + rest_size or count == 0:
        raise _Damaged("wrong size")
    words = reader.read(vocab_size).decode("utf-8", "surrogatepass").split("\n")
    ids = dict(zip(words, range(n_words), strict=False))
    if len(words) != n_words or len(ids) != n_words:
        raise _Damaged("bad vocabulary")
    title_offsets = reader.ints("q", n_words + 1)
    abstract_offsets = reader.ints("q", n_words + 1)
    keys = reader.ints(KEY_TYPE, count)
    starts = reader.ints("q", count + 1)
    names = reader.ints("B", count)
    tokens = reader.ints("i", n_tokens)
    prefix_keys_ = reader.read(prefix_bytes).decode("utf-8", "surrogatepass").split("\n")
    prefix_offsets = reader.ints("q", n_prefixes + 1)
    prefix_ids = reader.ints("i", n_prefix_ids)
    lengths = reader.ints("i", n_buckets)
    letters = reader.ints("i", n_buckets)
    firsts = reader.ints("B", n_buckets)
    bucket_offsets = reader.ints("q", n_buckets + 1)
    bucket_ids = reader.ints("i", n_bucket_ids)
    reader.check()
    # The sections fit together: checked by the writer (_check), whose code
    # the fingerprint says is this very code; the checksum vouches for the rest.
    # Only what locates the sections is checked again, at no cost.
    if starts[0] != 0 or starts[-1] != n_tokens:
        raise _Damaged("bad title offsets")
    if (
        title_offsets[0] != 0
        or title_offsets[-1] != n_title
        or abstract_offsets[0] != n_title
        or abstract_offsets[-1] != n_title + n_abstract
    ):
        raise _Damaged("bad postings offsets")
    if len(prefix_keys_) != n_prefixes:
        raise _Damaged("bad group keys")
    bucket_slots: dict[BucketKey, int] = {
        key: slot
        for slot, key in enumerate(zip(lengths, map(chr, letters), map(bool, firsts), strict=True))
    }
    by_prefix: Groups[str, list[int]] = Groups(
        _groups(
            dict(zip(prefix_keys_, range(n_prefixes), strict=True)), prefix_offsets, prefix_ids
        ),
        list,
    )
    buckets: Groups[BucketKey, tuple[list[str], list[int]]] = Groups(
        _groups(bucket_slots, bucket_offsets, bucket_ids),
        lambda members: (list(map(words.__getitem__, members)), members),
    )
    title_postings: list[array[int] | None]
    abstract_postings: list[array[int] | None]
    if lazy:
        title_crcs, abstract_crcs = _word_crcs(fh, head_size + 4 * (n_title + n_abstract), n_words)
        # A descriptor of its own: the loaded postings read from it from now on.
        source = PostingsFile(os.dup(fh.fileno()), head_size, count)
        title_postings = LazyPostings(source, title_offsets, title_crcs)
        abstract_postings = LazyPostings(source, abstract_offsets, abstract_crcs)
    else:
        title_postings = _postings(reader, title_offsets, count)
        abstract_postings = _postings(reader, abstract_offsets, count)
        reader.read(8 * n_words + _TRAILER.size)  # word CRCs: covered by the last CRC
        reader.check()
        by_prefix.make_all()
        buckets.make_all()
    # Saved in the very state the library is in now (the same papers, by the
    # same code): it fits without reading every text to compare keys.
    fits = library_state != bytes(20) and saved_state == library_state
    saved_as = saved_name.rstrip(b"\0").decode("ascii", "replace")
    return IndexState(
        count,
        words,
        title_postings,
        abstract_postings,
        tokens,
        starts,
        names,
        keys,
        fits,
        Lookups(ids, by_prefix, buckets),
        saved_as=saved_as,
    )


def _word_crcs(fh: BinaryIO, at: int, n_words: int) -> tuple[array[int], array[int]]:
    """The CRC of each word's title postings and of its abstract postings, checked."""
    fh.seek(at)
    reader = _Reader(fh)
    title = reader.ints("I", n_words)
    abstract = reader.ints("I", n_words)
    reader.check()
    return title, abstract


def _postings(reader: _Reader, offsets: array[int], count: int) -> list[array[int] | None]:
    """Each word's postings as an exact-size array (None for none), read a slice at a time."""
    if any(map(int.__gt__, offsets, offsets[1:])):
        raise _Damaged("offsets out of order")
    out: list[array[int] | None] = []
    ends = offsets[1:]
    word = 0
    base = offsets[0]  # postings before ``word``
    while word < len(ends):
        # The words whose postings end within the next slice (at least one).
        last = max(word, min(bisect_left(ends, base + _SLICE, word), len(ends) - 1))
        flat = reader.ints("i", ends[last] - base)
        cut = 0
        for end in ends[word : last + 1]:
            stop = end - base
            out.append(flat[cut:stop] if stop > cut else None)
            cut = stop
        base = ends[last]
        word = last + 1
    return out


# ------------------------------------------------------------------------- writing


def _name_bytes(name: str | None) -> bytes:
    """A state's name as the header keeps it (NULs: unknown, or too long to keep)."""
    data = name.encode("ascii", "replace") if name else b""
    return data if len(data) <= _STATE_NAME and b"\0" not in data else b""


def _write(
    fh: BinaryIO,
    state: IndexState,
    key: bytes,
    library_state: bytes = bytes(20),
    state_name: str | None = None,
) -> None:
    """Write the first ``state.count`` papers of ``state``.

    A build in another thread may have indexed more papers since ``state``
    was taken (appending their positions, words and titles): only what
    belongs to the first ``count`` papers is written, and words are taken as
    many as there were at the start.
    """
    crc = 0

    def put(data: bytes) -> None:
        nonlocal crc
        crc = zlib.crc32(data, crc)
        fh.write(data)

    def put_crc() -> None:
        nonlocal crc
        fh.write(_TRAILER.pack(crc))
        crc = 0

    count = state.count
    n_words = len(state.words)
    words = state.words[:n_words]
    title_postings = state.title_postings[:n_words]
    abstract_postings = state.abstract_postings[:n_words]
    vocabulary = "\n".join(words).encode("utf-8", "surrogatepass")
    title_counts = [bisect_left(a, count) if a else 0 for a in title_postings]
    abstract_counts = [bisect_left(a, count) if a else 0 for a in abstract_postings]
    n_title = sum(title_counts)
    title_offsets = array("q", accumulate(title_counts, initial=0))
    abstract_offsets = array("q", accumulate(abstract_counts, initial=n_title))
    starts = state.title_starts[: count + 1]
    tokens = state.title_tokens[: starts[-1]]
    names = state.title_names[:count]
    _check(count, n_words, title_postings, abstract_postings, starts, tokens, names)
    # The look-up tables, made from the words as the index makes them (vocabulary.py).
    prefixes, prefix_offsets, prefix_ids = group_table(words, prefix_keys)
    prefix_bytes = "\n".join(prefixes).encode("utf-8", "surrogatepass")
    buckets, bucket_offsets, bucket_ids = group_table(words, bucket_keys)
    put(
        _HEADER.pack(
            _MAGIC,
            FORMAT_VERSION,
            _BYTE_ORDER,
            key,
            library_state,
            _name_bytes(state_name),
            count,
            n_words,
            len(vocabulary),
            n_title,
            abstract_offsets[-1] - n_title,
            len(tokens),
            len(prefixes),
            len(prefix_bytes),
            len(prefix_ids),
            len(buckets),
            len(bucket_ids),
        )
    )
    put(vocabulary)
    put(title_offsets.tobytes())
    put(abstract_offsets.tobytes())
    put(state.keys[:count].tobytes())
    put(starts.tobytes())
    put(names.tobytes())
    put(tokens.tobytes())
    put(prefix_bytes)
    put(prefix_offsets.tobytes())
    put(prefix_ids.tobytes())
    put(array("i", [length for length, _, _ in buckets]).tobytes())
    put(array("i", [ord(letter) for _, letter, _ in buckets]).tobytes())
    put(bytes(int(first) for _, _, first in buckets))
    put(bucket_offsets.tobytes())
    put(bucket_ids.tobytes())
    put_crc()
    # Copies (tobytes), a slice of words at a time: a buffer lent to the file
    # would stop SearchIndex.update() in another thread from resizing it.
    word_crcs = array("I")
    for postings, counts in ((title_postings, title_counts), (abstract_postings, abstract_counts)):
        for piece in _batches(postings, counts, word_crcs):
            put(piece)
    # The word CRCs, their own CRC (what a lazy load checks), then the CRC of
    # the postings, the word CRCs and that one (what a full load checks).
    table = word_crcs.tobytes()
    put(table)
    put(_TRAILER.pack(zlib.crc32(table)))
    put_crc()


def _check(
    count: int,
    n_words: int,
    title_postings: list[array[int] | None],
    abstract_postings: list[array[int] | None],
    starts: array[int],
    tokens: array[int],
    names: array[int],
) -> None:
    """What the checksum cannot vouch for: a bug of this code (raises _Damaged: not saved).

    Checked here rather than by every load, which the file's fingerprint ties
    to this very code: a command's load then reads what it needs and no more.
    """
    if len(starts) != count + 1 or starts[0] != 0 or any(map(int.__gt__, starts, starts[1:])):
        raise _Damaged("bad title offsets")
    if tokens and (max(tokens) >= n_words or min(tokens) < 0):
        raise _Damaged("bad title word ids")
    if len(names) != count or any(map(int.__gt__, names, map(int.__sub__, starts[1:], starts))):
        raise _Damaged("a name longer than its title")
    for postings in (title_postings, abstract_postings):
        for arr in postings:  # positions of indexed papers, ascending
            if arr and arr[0] < 0:
                raise _Damaged("a posting out of range")


def _batches(
    postings: Sequence[array[int] | None], counts: Sequence[int], crcs: array[int]
) -> Iterator[bytes]:
    """The postings' bytes, a few megabytes at a time; each word's CRC goes to ``crcs``."""
    batch: list[bytes] = []
    size = 0
    for arr, n in zip(postings, counts, strict=True):
        if not n:
            crcs.append(0)
            continue
        assert arr is not None
        data = arr.tobytes() if len(arr) == n else arr[:n].tobytes()
        crcs.append(zlib.crc32(data))
        batch.append(data)
        size += len(data)
        if size >= 4 * _SLICE:
            yield b"".join(batch)
            batch.clear()
            size = 0
    if batch:
        yield b"".join(batch)
