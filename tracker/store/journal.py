"""Journals: the changes made since a data file's base snapshot, a checksummed record a line.

A data file (``library.json``, ``annotations.json``) is a *base*: a snapshot
written whole, rarely. Every change after it is appended to the file's
journal (``library.journal.jsonl``, ``annotations.journal.jsonl``) as one
line, so that a change costs what it changes, not what the library holds::

    {"crc":"5a0c1e7f","rec":{"journal":"annotations","schema":1,"base":"9f2c…"}}
    {"crc":"0e33b2aa","rec":{"seq":41,"at":"2026-11-25T08:01:02.123Z","ops":[["put","annotations","7",{…}]]}}

Each line is JSON (``jq .rec`` reads it). ``crc`` is the CRC-32 of the bytes
of ``rec`` exactly as they stand in the line, so a line that was cut short or
garbled is recognised as such. The first line names the base the journal
follows (its ``id``); records carry a sequence number that grows by one per
record across the life of the library. A base records the last sequence
number it contains (``seq`` in its ``_meta`` row), so the records to apply on
top of a base are those with a larger number, and they must follow on
without a gap.

**What a crash leaves.** A record is one ``write`` and is fsynced before the
change is acknowledged. A process killed half-way leaves an incomplete last
line (no newline at its end): that change was never acknowledged, readers
ignore it and the next writer cuts it off before appending. A *complete*
line that fails its check is damage (a disk error, an edit by hand): the
journal is reported, naming the file and the line, and is never written to
until ``tracker doctor --restore`` has repaired it.
"""

from __future__ import annotations

import contextlib
import os
import stat
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from tracker.store.errors import CorruptFileError, StoreError
from tracker.store.regular_file import not_regular

JOURNAL_SCHEMA = 1
"""The layout of the journal lines; a journal with a larger one is refused."""
SUFFIX = ".journal.jsonl"

_PREFIX = b'{"crc":"'
_MIDDLE = b'","rec":'
_HEAD = len(_PREFIX) + 8 + len(_MIDDLE)  # the bytes before the record
_TAIL = b"}\n"

Record = dict[str, Any]
Op = list[Any]
"""``["put", table, key, value]`` (``, {"before": key}``), ``["del", table, key]``,
``["table", table, "", rows]``; see tracker/store/library_file.py for what they do."""


def journal_path(data_file: Path) -> Path:
    """``library.json`` → ``library.journal.jsonl``."""
    return data_file.with_name(data_file.stem + SUFFIX)


def encode(record: Record) -> bytes:
    """One journal line for ``record``, checksum and newline included."""
    body = orjson.dumps(record, option=orjson.OPT_NON_STR_KEYS)
    return b"%s%08x%s%s%s" % (_PREFIX, zlib.crc32(body), _MIDDLE, body, _TAIL)


def decode(line: bytes) -> Record | None:
    """The record of one complete line (newline included), or None if it is not a valid line."""
    if len(line) < _HEAD + len(_TAIL) or not line.startswith(_PREFIX) or not line.endswith(_TAIL):
        return None
    if line[_HEAD - len(_MIDDLE) : _HEAD] != _MIDDLE:
        return None
    body = line[_HEAD : -len(_TAIL)]
    try:
        crc = int(line[len(_PREFIX) : len(_PREFIX) + 8], 16)
    except ValueError:
        return None
    if zlib.crc32(body) != crc:
        return None
    try:
        record = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    return record if isinstance(record, dict) else None


class JournalDamaged(CorruptFileError):
    """A complete line of a journal fails its check."""

    def __init__(self, path: Path, line: int, why: str = "damaged") -> None:
        self.path = path
        self.line = line
        super().__init__(
            f"{path}, line {line}, is {why}; the file was left as it is: "
            "`tracker doctor` tells more and `tracker doctor --restore` repairs it"
        )


@dataclass(slots=True)
class Scanned:
    """What :func:`scan` found in a piece of a journal."""

    records: list[Record] = field(default_factory=list)
    header: Record | None = None
    end: int = 0
    """Offset just after the last complete, valid line."""
    torn: int = 0
    """Bytes after ``end``: an incomplete last line left by a writer that died."""
    lines: int = 0
    """Complete lines read (the header included)."""


def scan(data: bytes, path: Path, *, start: int = 0, first_line: int = 1) -> Scanned:
    """Split ``data`` (the journal's bytes from offset ``start``) into records.

    The header (a record without ``seq``) is returned apart. An incomplete
    last line is left out (``torn``); any other invalid line raises
    :class:`JournalDamaged`.
    """
    out = Scanned(end=start)
    pos = 0
    line_no = first_line
    size = len(data)
    while pos < size:
        stop = data.find(b"\n", pos)
        if stop < 0:
            out.torn = size - pos
            break
        line = data[pos : stop + 1]
        record = decode(line)
        if record is None:
            raise JournalDamaged(path, line_no)
        if "seq" in record:
            out.records.append(record)
        elif line_no == 1 and record.get("journal"):
            out.header = record
        else:
            raise JournalDamaged(path, line_no, "not a journal record")
        pos = stop + 1
        line_no += 1
        out.end = start + pos
        out.lines += 1
    return out


EMPTY = "empty"
"""``made`` of a base that was written empty when the library began: every change is in
the journal, so the base can be made again if it is lost."""


def header_record(kind: str, base_id: str | None, base_seq: int, made: str | None = None) -> Record:
    """A journal's first line: the base it follows, the last change that base holds, how it was made.

    ``made`` (when known) is :data:`EMPTY` or ``upgrade of <file>`` (the base
    is that backup, upgraded); ``tracker doctor --restore`` uses it to make a
    lost base again.
    """
    header: Record = {
        "journal": kind,
        "schema": JOURNAL_SCHEMA,
        "base": base_id,
        "base_seq": base_seq,
    }
    if made:
        header["made"] = made
    return header


def check_header(path: Path, kind: str, header: Record | None) -> Record:
    """The header, if it is one of a ``kind`` journal this version reads."""
    if header is None or header.get("journal") != kind:
        raise CorruptFileError(
            f"{path} is not a paper-tracker {kind} journal; the file was left as it is"
        )
    schema = header.get("schema")
    if not isinstance(schema, int) or schema > JOURNAL_SCHEMA:
        raise CorruptFileError(
            f"{path} was written by a newer paper-tracker (journal schema {schema!r}); "
            "upgrade paper-tracker to open it"
        )
    if not isinstance(header.get("base_seq"), int):
        raise CorruptFileError(f"{path} does not say which changes its base holds")
    return header


def iter_ops(records: list[Record], path: Path) -> Iterator[Op]:
    """The operations of ``records`` in order, each checked for its shape."""
    for record in records:
        ops = record.get("ops")
        if not isinstance(ops, list):
            raise CorruptFileError(f"{path}: record {record.get('seq')} has no list of changes")
        for op in ops:
            if _well_formed(op):
                yield op
            else:
                raise CorruptFileError(
                    f"{path}: record {record.get('seq')} holds a change this version "
                    f"does not know ({str(op)[:60]})"
                )


def _well_formed(op: object) -> bool:
    """``["put", table, key, row]`` (with ``{"before": key}`` after it, for a place),
    ``["del", table, key]`` or ``["table", table, "", rows]``."""
    if not (isinstance(op, list) and len(op) >= 3):
        return False
    kind, table, key = op[0], op[1], op[2]
    if not (isinstance(table, str) and isinstance(key, str)):
        return False
    if kind == "put":
        return (len(op) == 4 and isinstance(op[3], dict)) or (
            len(op) == 5 and isinstance(op[3], dict) and isinstance(op[4], dict)
        )
    if kind == "del":
        return len(op) == 3
    if kind == "table":
        return len(op) == 4 and isinstance(op[3], list) and all(isinstance(r, dict) for r in op[3])
    return False


_READ = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
_WRITE = os.O_WRONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


def _open(path: Path, flags: int) -> int:
    """``path`` opened if it is a regular file (a FIFO must not make a reader wait)."""
    fd = os.open(path, flags)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise not_regular(path, mode)
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_whole(path: Path) -> tuple[int, Scanned] | None:
    """The journal at ``path`` read from its start, with its inode; None if there is none."""
    try:
        fd = _open(path, _READ)
    except FileNotFoundError:
        return None
    except OSError as err:
        raise StoreError(f"cannot read {path}: {err.strerror or err}") from err
    try:
        st = os.fstat(fd)
        data = _read_from(fd, 0, path)
    finally:
        os.close(fd)
    return st.st_ino, scan(data, path)


def _read_from(fd: int, offset: int, path: Path) -> bytes:
    chunks = []
    try:
        while True:
            chunk = os.pread(fd, 1 << 22, offset)
            if not chunk:
                break
            chunks.append(chunk)
            offset += len(chunk)
    except OSError as err:
        raise StoreError(f"cannot read {path}: {err.strerror or err}") from err
    return b"".join(chunks)


class Follower:
    """One process's view of a journal: where it has read to, and the file it reads.

    The journal is opened before its base is read (see :meth:`open`): a
    compaction that replaces both in between then leaves this process with
    the old journal and either base, which still fit together. Afterwards
    :meth:`read_new` returns what other processes appended, and follows the
    journal when a compaction replaced it. Appends go through :meth:`append`,
    only while the writer lock is held and right after :meth:`read_new`.
    """

    def __init__(self, path: Path, kind: str) -> None:
        self.path = path
        self.kind = kind
        self._fd: int | None = None
        self._ino: int | None = None
        self._offset = 0  # bytes of the followed file consumed (valid, complete lines)
        self._lines = 0
        self.header: Record | None = None
        self.last_seq: int | None = None
        """The sequence number of the last record taken in (None: none yet)."""
        self.last_crc = 0
        """A CRC-32 of the last record taken in (0: none): with its number, it names the state."""

    # -- reading -------------------------------------------------------------
    def open(self) -> None:
        """Open the journal (if it exists) before the base is read."""
        self.close()
        try:
            self._fd = _open(self.path, _READ)
        except FileNotFoundError:
            return
        except OSError as err:
            raise StoreError(f"cannot read {self.path}: {err.strerror or err}") from err
        self._ino = os.fstat(self._fd).st_ino

    def start(self, base_seq: int, base_id: str | None, base_prev: str | None) -> list[Record]:
        """The records to apply on top of a base that holds records up to ``base_seq``."""
        self.last_seq = base_seq
        if self._fd is None:
            return []
        data = _read_from(self._fd, 0, self.path)
        found = scan(data, self.path)
        header = check_header(self.path, self.kind, found.header)
        follows = header.get("base") == base_id and header["base_seq"] == base_seq
        # Or the base was just replaced by a compaction and this journal, which
        # the compaction was about to replace, still follows its predecessor.
        stale = base_prev is not None and header.get("base") == base_prev
        if not (follows or stale):
            raise CorruptFileError(
                f"{self.path} does not belong to {self.path.name.split('.')[0]}.json beside it "
                f"(it follows another version of that file); the files were left as they are: "
                "`tracker doctor --restore` puts a matching pair back"
            )
        self.header = header
        self._offset, self._lines = found.end, found.lines
        return self._take(found.records, gap_is_error=True)

    def _take(self, records: list[Record], *, gap_is_error: bool) -> list[Record]:
        out = []
        for record in records:
            seq = record.get("seq")
            if not isinstance(seq, int):
                raise CorruptFileError(f"{self.path}: a record without a sequence number")
            if self.last_seq is not None and seq <= self.last_seq:
                continue  # already in the base, or already taken in
            if self.last_seq is not None and seq != self.last_seq + 1:
                if gap_is_error:
                    raise CorruptFileError(
                        f"{self.path}: changes {self.last_seq + 1} to {seq - 1} are missing "
                        "(the journal does not follow on from its base); the files were left "
                        "as they are: `tracker doctor --restore` repairs them"
                    )
                raise _Gap
            out.append(record)
            self.last_seq = seq
        if out:
            self.last_crc = zlib.crc32(orjson.dumps(out[-1]))
        return out

    def changed_on_disk(self) -> bool:
        """True when the journal grew or was replaced since it was last read (a stat or two)."""
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return self._fd is not None
        except OSError:
            return False
        if self._fd is None or st.st_ino != self._ino:
            return True
        return st.st_size != self._offset

    def read_new(self) -> list[Record] | None:
        """Records appended since the last read, following a compaction; None: read everything again.

        None means this view cannot be brought up to date record by record
        (the journal was replaced more than once, or by something else than a
        compaction): the caller reads the base and journal afresh.
        """
        out: list[Record] = []
        if self._fd is not None:
            data = _read_from(self._fd, self._offset, self.path)
            if data:
                found = scan(data, self.path, start=self._offset, first_line=self._lines + 1)
                out += self._take(found.records, gap_is_error=True)
                self._offset, self._lines = found.end, self._lines + found.lines
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return out if self._fd is None else None
        except OSError as err:
            raise StoreError(f"cannot read {self.path}: {err.strerror or err}") from err
        if self._fd is not None and st.st_ino == self._ino:
            return out
        # A compaction replaced the journal (or the first writer created it).
        # Everything appended to the old one has been read above: the writer
        # that replaced it held the lock, so nobody appends to the old one now.
        try:
            fd = _open(self.path, _READ)
        except FileNotFoundError:
            return None
        except OSError as err:
            raise StoreError(f"cannot read {self.path}: {err.strerror or err}") from err
        data = _read_from(fd, 0, self.path)
        try:
            found = scan(data, self.path)
            header = check_header(self.path, self.kind, found.header)
            if self.last_seq is None or header["base_seq"] > self.last_seq:
                raise _Gap  # its base holds changes this process never read
            out += self._take(found.records, gap_is_error=False)
        except _Gap:
            os.close(fd)
            return None
        except BaseException:
            os.close(fd)
            raise
        self.close()
        self._fd, self._ino = fd, os.fstat(fd).st_ino
        self._offset, self._lines = found.end, found.lines
        self.header = header
        return out

    # -- writing (writer lock held, right after read_new) -----------------------
    def append(self, ops: list[Op], at: str) -> int:
        """Append one record of ``ops``, fsynced; returns its sequence number.

        Creates the journal if there is none yet (its header naming the base
        ``self.header`` was set for, see :meth:`create`). An incomplete last
        line left by a writer that died is cut off first. On failure the
        journal is left as it was and StoreError says why.
        """
        if self._fd is None:
            raise StoreError(f"{self.path} is not open for writing")
        seq = (self.last_seq or 0) + 1
        record = {"seq": seq, "at": at, "ops": ops}
        line = encode(record)
        try:
            fd = _open(self.path, _WRITE)
        except OSError as err:
            raise _save_error(self.path, err) from err
        try:
            if os.fstat(fd).st_ino != self._ino:
                raise StoreError(f"{self.path} was replaced while it was being written")
            end = self._offset
            try:
                if os.fstat(fd).st_size != end:
                    os.ftruncate(fd, end)  # an unacknowledged, incomplete last line
                os.lseek(fd, end, os.SEEK_SET)
                view = memoryview(line)
                while view:
                    written = os.write(fd, view)
                    view = view[written:]
                os.fsync(fd)
            except OSError as err:
                with contextlib.suppress(OSError):
                    os.ftruncate(fd, end)
                raise _save_error(self.path, err) from err
        finally:
            os.close(fd)
        self._offset += len(line)
        self._lines += 1
        self.last_seq = seq
        self.last_crc = zlib.crc32(orjson.dumps(record))
        return seq

    def create(
        self,
        base_id: str | None,
        base_seq: int,
        records: Iterable[Record] = (),
        *,
        made: str | None = None,
    ) -> None:
        """Replace the journal by a new one following base ``base_id`` (writer lock held).

        ``records`` (already numbered) are copied into it: the changes made
        after the last one the base holds. Written to a temporary file,
        fsynced and renamed, so a reader sees the old journal or the new one.
        """
        from tracker.store.atomic import atomic_write

        records = list(records)
        header = header_record(self.kind, base_id, base_seq, made)
        payload = encode(header) + b"".join(map(encode, records))
        atomic_write(self.path, payload, keep_backup=True, private=True)
        fd = _open(self.path, _READ)
        self.close()
        self._fd, self._ino = fd, os.fstat(fd).st_ino
        self._offset = len(payload)
        self._lines = 1 + len(records)
        self.header = header
        self.last_seq = max(self.last_seq or 0, base_seq, *(r["seq"] for r in records))
        # The state is named as a process opening these files would name it
        # (:meth:`start`): by the last record of the new journal, none when it has none.
        if records and records[-1]["seq"] == self.last_seq:
            self.last_crc = zlib.crc32(orjson.dumps(records[-1]))
        elif self.last_seq == base_seq:
            self.last_crc = 0

    def close(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._fd)
        self._fd = None
        self._ino = None

    @property
    def exists(self) -> bool:
        return self._fd is not None

    @property
    def base_id(self) -> str | None:
        """The id of the base the followed journal says it follows."""
        base = self.header.get("base") if self.header else None
        return base if isinstance(base, str) else None

    @property
    def base_seq(self) -> int:
        """The last change the followed journal's base holds (0 without a journal)."""
        seq = self.header.get("base_seq") if self.header else None
        return seq if isinstance(seq, int) else 0

    @property
    def size(self) -> int:
        """Bytes of the followed journal read so far (what a compaction would fold in)."""
        return self._offset


class _Gap(Exception):
    """A replaced journal does not follow on from what this process read."""


def _save_error(path: Path, err: OSError) -> StoreError:
    reason = err.strerror or str(err)
    return StoreError(
        f"could not save {path}: {reason}; the file on disk is unchanged "
        "(free some space or fix the permissions)"
    )
