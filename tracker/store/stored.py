"""A data file as stored: its base with its journal applied, as plain tables."""

from __future__ import annotations

from pathlib import Path

from tracker.store import migrations
from tracker.store.journal import Follower, iter_ops, journal_path
from tracker.store.library_rows import KIND as LIBRARY_KIND
from tracker.store.library_rows import fold_tables
from tracker.store.storage import apply_ops
from tracker.store.tables import META_TABLE, Tables, base_info, load_tables


def load_stored(path: Path, kind: str) -> Tables | None:
    """The tables of ``path`` (a base) with its journal applied; None when neither exists.

    What a new base would hold if the journal were folded into it now; the
    same checks as opening the library (a damaged file raises
    CorruptFileError). For ``tracker doctor``, tests and anyone who wants
    the data without opening a library.
    """
    follower = Follower(journal_path(path), kind)
    follower.open()
    try:
        tables = load_tables(path, kind)
        if tables is None and not follower.exists:
            return None
        tables = tables or {}
        if tables:
            migrations.upgrade(kind, tables)
        info = base_info(tables)
        records = follower.start(info.seq, info.id, info.prev)
    finally:
        follower.close()
    ops = list(iter_ops(records, follower.path))
    if kind == LIBRARY_KIND:
        return fold_tables(tables, ops, tables.get(META_TABLE, {}).get("1", {}))
    apply_ops(tables, ops)
    return tables
