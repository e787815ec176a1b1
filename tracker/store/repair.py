"""Checking and repairing the data files (``tracker doctor``).

Each data file is checked with its journal: the base must parse and be a
file of its kind this version reads; every complete line of the journal must
pass its checksum, follow the base it names and number its changes without a
gap. Repairs (``--restore``, under the writer lock) never delete anything:
a file that is replaced is kept beside it as ``*.damaged-<time>``.

- A damaged or missing base that its journal says how to make again (it
  was written empty when the library began, or it is the upgrade of a
  ``*.v<N>.bak`` file) is made again, with the same id, so that the journal
  follows it as before: nothing is lost.
- Otherwise a damaged or missing base is replaced by its backup (``*.bak``,
  the base before the last compaction), together with the journal that
  followed that backup (``*.journal.jsonl.bak``); the changes of the current
  journal that come after it are carried over, so nothing acknowledged
  since is lost when the current journal is intact.
- A journal with damaged lines keeps every line that passes its check (their
  changes renumbered without a gap); the damaged lines are only in the kept
  copy, and the message says which.
- A journal that follows another base than the one beside it (a base put
  back by hand) is set aside and a new, empty one started; the message says
  how many changes were set aside with it.
"""

from __future__ import annotations

import contextlib
import os
import time
from dataclasses import dataclass
from pathlib import Path

import orjson

from tracker.models import Paper
from tracker.rows import annotation_row_problem
from tracker.store import migrations
from tracker.store.atomic import atomic_write, real_target
from tracker.store.errors import StoreError, check_data_folder
from tracker.store.journal import (
    EMPTY,
    JournalDamaged,
    Record,
    Scanned,
    check_header,
    decode,
    encode,
    header_record,
    journal_path,
    read_whole,
)
from tracker.store.library_file import LibraryFile
from tracker.store.regular_file import read_regular
from tracker.store.rejected import RejectedRows, read_rejected, rejected_path
from tracker.store.row_per_line import iter_row_per_line
from tracker.store.storage import JournalStorage
from tracker.store.store import ANNOTATIONS_FILE, LIBRARY_FILE
from tracker.store.stored import load_stored
from tracker.store.tables import META_TABLE, SCHEMA_VERSIONS, Tables, base_info, load_tables

DATA_FILES = ((LIBRARY_FILE, "library"), (ANNOTATIONS_FILE, "annotations"))


@dataclass(frozen=True, slots=True)
class FileCheck:
    """What ``tracker doctor`` found for one file (a base or a journal)."""

    path: Path
    state: str  # "ok", "missing" or "damaged"
    detail: str
    backup_ok: bool
    kind: str = ""
    journal: bool = False

    @property
    def restorable(self) -> bool:
        if self.journal:
            return self.state == "damaged"
        return self.state != "ok" and self.backup_ok


def _describe(path: Path, kind: str) -> tuple[str, str, Tables | None]:
    try:
        tables = load_tables(path, kind)
    except StoreError as err:
        return "damaged", str(err), None
    if tables is None:
        return "missing", f"{path} does not exist", None
    shown: Tables = tables
    if not path.name.endswith(".bak"):
        with contextlib.suppress(StoreError):  # the journal is checked on its own line
            shown = load_stored(path, kind) or tables
    counts = ", ".join(f"{len(rows)} {name}" for name, rows in shown.items() if name != META_TABLE)
    schema = migrations.schema_of(tables)
    current = SCHEMA_VERSIONS[kind]
    upgrade = f" (upgraded to {current} on the next writable open)" if schema < current else ""
    return "ok", f"{path}: schema {schema}{upgrade}, {counts or 'empty'}", tables


def _scan_journal(path: Path) -> tuple[Scanned, list[int]] | None:
    """The journal's valid lines, and the numbers of the complete lines that are damaged."""
    try:
        data = read_regular(path)
    except FileNotFoundError:
        return None
    out = Scanned()
    bad: list[int] = []
    pos = 0
    number = 0
    while pos < len(data):
        stop = data.find(b"\n", pos)
        if stop < 0:
            out.torn = len(data) - pos
            break
        number += 1
        record = decode(data[pos : stop + 1])
        if record is None:
            bad.append(number)
        elif "seq" in record:
            out.records.append(record)
        elif number == 1:
            out.header = record
        else:
            bad.append(number)
        pos = stop + 1
    out.lines = number
    return out, bad


def _journal_problem(path: Path, kind: str, tables: Tables | None) -> tuple[str, str]:
    """State and detail of a journal checked against its base (parsed tables or None)."""
    found = _scan_journal(path)
    if found is None:
        return "missing", f"{path}: no changes since the base"
    scanned, bad = found
    if bad:
        lines = ", ".join(map(str, bad[:5])) + (" …" if len(bad) > 5 else "")
        return "damaged", (
            f"{path}: line{'s' if len(bad) > 1 else ''} {lines} fail{'' if len(bad) > 1 else 's'} "
            f"the checksum ({len(scanned.records)} good changes)"
        )
    try:
        header = check_header(path, kind, scanned.header)
    except StoreError as err:
        return "damaged", str(err)
    info = base_info(tables)
    if tables is not None and header.get("base") not in (info.id, info.prev):
        return "damaged", f"{path} follows another version of {path.name.split('.')[0]}.json"
    after = [r for r in scanned.records if r["seq"] > info.seq]
    expected = info.seq + 1
    for record in after:
        if record["seq"] != expected:
            return "damaged", f"{path}: changes {expected} to {record['seq'] - 1} are missing"
        expected += 1
    torn = f"; an unfinished last change ({scanned.torn} bytes) is ignored" if scanned.torn else ""
    n = len(after)
    return "ok", f"{path}: {n} change{'' if n == 1 else 's'} since the base{torn}"


def _remade_base(path: Path, kind: str) -> Tables | None:
    """The base made again as its journal's header says it was made, or None."""
    found = _scan_journal(journal_path(path))
    if found is None or found[0].header is None:
        return None
    header = found[0].header
    made = header.get("made")
    base_id = header.get("base")
    if not isinstance(made, str) or not isinstance(base_id, str):
        return None
    if made == EMPTY:
        tables: Tables | None = {}
    elif made.startswith("upgrade of "):
        try:
            tables = load_tables(path.with_name(made.removeprefix("upgrade of ")), kind)
        except StoreError:
            return None
        if tables is not None:
            migrations.upgrade(kind, tables)
    else:
        return None
    if tables is None:
        return None
    seq = header.get("base_seq")
    if not isinstance(seq, int):
        return None
    tables = {name: rows for name, rows in tables.items() if name != META_TABLE}
    tables[META_TABLE] = {
        "1": {
            "schema": SCHEMA_VERSIONS[kind],
            "kind": kind,
            "id": base_id,
            "prev": None,
            "seq": seq,
        }
    }
    return tables


def check_files(directory: Path) -> list[FileCheck]:
    """Check both data files, their journals and backups; changes nothing.

    Raises NotAFolderError when the data folder is a file.
    """
    check_data_folder(directory)
    checks = []
    for name, kind in DATA_FILES:
        path = directory / name
        state, detail, tables = _describe(path, kind)
        backup_state, _, _ = _describe(path.with_name(name + ".bak"), kind)
        usable = backup_state == "ok"
        if state != "ok" and _remade_base(path, kind) is not None:
            usable = True
            detail += "; its journal can make it again"
        checks.append(FileCheck(path, state, detail, usable, kind))
        journal = journal_path(path)
        if journal.exists():
            j_state, j_detail = _journal_problem(journal, kind, tables)
            if state != "ok":
                j_state, j_detail = "ok", f"{journal}: kept for the repair of {name}"
            checks.append(FileCheck(journal, j_state, j_detail, False, kind, journal=True))
        if state == "ok":
            aside = _rows_set_aside(path, kind)
            if aside is not None:
                checks.append(aside)
    return checks


SET_ASIDE = "set aside"
"""The state of a data file holding rows that do not fit their schema (tracker/store/rejected.py)."""
_ROWS_NAMED = 20


def _rows_set_aside(path: Path, kind: str) -> FileCheck | None:
    """The rows of ``path`` and its journal that do not fit the schema, and those kept earlier."""
    rejected = RejectedRows()
    with contextlib.suppress(StoreError):  # a damaged journal has a line of its own
        if kind == "library":
            library = LibraryFile(path, readonly=True)
            library.rejected = rejected
            try:
                library.load(Paper.from_dict)
            finally:
                library.close()
        else:
            storage = JournalStorage(path, kind=kind, readonly=True)
            try:
                for key, doc in ((storage.read() or {}).get("annotations") or {}).items():
                    problem = annotation_row_problem(doc)
                    if problem:
                        where = f"annotations row {key!r}"
                        rejected.add(path, where, "annotations", problem, doc)
            finally:
                storage.close()
    kept_path = rejected_path(path)
    kept = read_rejected(kept_path)
    if not rejected.rows and not kept:
        return None
    lines = []
    if rejected.rows:
        n = len(rejected.rows)
        rows = "row does" if n == 1 else "rows do"
        lines.append(
            f"{path}: {n} {rows} not fit what paper-tracker stores there and "
            f"{'is' if n == 1 else 'are'} left out of the library (nothing was deleted):"
        )
        lines += [f"           {row.sentence()}" for row in rejected.rows[:_ROWS_NAMED]]
        if n > _ROWS_NAMED:
            lines.append(f"           … and {n - _ROWS_NAMED} more")
    if kept:
        lines.append(
            f"{kept_path} keeps {len(kept)} row{'' if len(kept) == 1 else 's'} set aside "
            "(the row, where it was and why, one a line)"
        )
    return FileCheck(kept_path, SET_ASIDE, "\n         ".join(lines), False, kind)


def _set_aside(path: Path) -> Path | None:
    """Move a file out of the way (a linked data file: the file it points to; the link stays)."""
    target = real_target(path)
    if not os.path.lexists(target):
        return None
    kept = target.with_name(f"{target.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
    os.replace(target, kept)
    return kept


def restore_from_backup(check: FileCheck) -> str:
    """Repair one file (see the module docstring); a sentence saying what was done.

    Call only while holding the writer lock.
    """
    if check.journal:
        return _repair_journal(check)
    path = check.path
    remade = _remade_base(path, check.kind)
    if remade is not None:
        kept = _set_aside(path)
        if check.kind == "library":
            payload = b"".join(iter_row_per_line(remade))
        else:
            payload = orjson.dumps(remade, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS)
        atomic_write(path, payload, keep_backup=False, private=True)
        said = f"made {path.name} again from what its journal records"
        return said + (f"; the damaged file is kept as {kept.name}" if kept else "")
    bak = path.with_name(path.name + ".bak")
    journal = journal_path(path)
    carried = _records_after_backup(path, journal)
    kept = _set_aside(path)
    atomic_write(path, read_regular(bak), keep_backup=False, private=True)  # the backup stays
    said = f"restored {path.name} from its backup"
    if kept:
        said += f"; the damaged file is kept as {kept.name}"
    if carried is not None:
        header, records = carried
        kept_journal = _set_aside(journal)
        payload = encode(header) + b"".join(map(encode, records))
        atomic_write(journal, payload, keep_backup=False, private=True)
        said += f"; its journal holds the {len(records)} changes made since that backup"
        if kept_journal:
            said += f" (the previous journal is kept as {kept_journal.name})"
    else:
        set_aside = _set_aside(journal)
        if set_aside is not None:
            said += f"; its journal, which followed the damaged file, is kept as {set_aside.name}"
    return said


def _records_after_backup(path: Path, journal: Path) -> tuple[Record, list[Record]] | None:
    """The journal to go with the restored backup: the backup's journal and the current one."""
    bak = path.with_name(path.name + ".bak")
    kind = dict(DATA_FILES)[path.name]
    try:
        info = base_info(load_tables(bak, kind))
    except StoreError:
        return None
    if info.id is None:
        return None  # a backup of the older layout, which has no journal
    records: list[Record] = []
    old = journal.with_name(journal.name + ".bak")
    made = None
    found_old = _scan_journal(old)
    old_header = found_old[0].header if found_old is not None else None
    if old_header is not None and old_header.get("base") == info.id:
        made = old_header.get("made")
    for source in (old, journal):
        found = _read_valid(source)
        if found is None:
            continue
        for record in found:
            seq = record["seq"]
            last = records[-1]["seq"] if records else info.seq
            if seq == last + 1:
                records.append(record)
    return header_record(kind, info.id, info.seq, made if isinstance(made, str) else None), records


def _read_valid(path: Path) -> list[Record] | None:
    try:
        found = read_whole(path)
    except (StoreError, JournalDamaged):
        scanned = _scan_journal(path)
        return scanned[0].records if scanned else None
    return found[1].records if found else None


def _repair_journal(check: FileCheck) -> str:
    path = check.path
    found = _scan_journal(path)
    if found is None:
        return f"{path.name} is gone; nothing to repair"
    scanned, bad = found
    base = path.with_name(path.name.removesuffix(".journal.jsonl") + ".json")
    try:
        info = base_info(load_tables(base, check.kind))
    except StoreError as err:
        raise StoreError(f"cannot repair {path.name}: {err}") from err
    header = scanned.header
    belongs = header is not None and header.get("base") in (info.id, info.prev)
    kept = _set_aside(path)
    assert kept is not None
    if not belongs:
        atomic_write(path, encode(header_record(check.kind, info.id, info.seq)), keep_backup=False)
        return (
            f"set {path.name} aside as {kept.name} ({len(scanned.records)} changes that do not "
            f"follow {base.name}) and started an empty one"
        )
    records = [r for r in scanned.records if r["seq"] > info.seq]
    for n, record in enumerate(records, start=info.seq + 1):
        record["seq"] = n
    payload = encode(header_record(check.kind, info.id, info.seq)) + b"".join(map(encode, records))
    atomic_write(path, payload, keep_backup=False, private=True)
    dropped = f"dropped damaged line{'s' if len(bad) != 1 else ''} {', '.join(map(str, bad))}"
    return f"repaired {path.name}: {dropped}, kept {len(records)} changes; the damaged file is kept as {kept.name}"
