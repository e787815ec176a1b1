"""Digest files read and parsed ahead of an import, in worker processes when it pays.

The importing process plans the import (which papers are new, which change)
while workers read, hash and parse the next files; a file a worker could
not parse is read again by the importing process, so its error is reported
exactly as without workers.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import pickle
import tempfile
import threading
from collections.abc import Iterator, Sequence
from itertools import repeat
from operator import attrgetter
from pathlib import Path
from typing import Any

from tracker import sources
from tracker.library.files import read_limited
from tracker.library.page_hash import PageHashes, page_hashes
from tracker.library.page_pieces import is_large, read_in_pieces
from tracker.models import (
    paper_id_for,
)
from tracker.sources.parsed import ParsedDigest, ParsedPaper, ParsedSection, ParseWarning

Ahead = tuple[PageHashes, sources.Parsed] | tuple[PageHashes, sources.Parsed, list[list[str]]]
"""A file's page hashes and parse (and, from a worker, its papers' ids)."""

# Below this many files, or this much text, starting worker processes (about
# 0.3 s) costs more than parsing in parallel saves (measured: 100 files of
# 14 MB in all took 1.2 s in one process and 1.7 s with two workers).
PARALLEL_MIN_FILES = 8
PARALLEL_MIN_BYTES = 32 * 1024 * 1024


def parse_ahead(
    paths: Sequence[str | os.PathLike[str]], format: str, workers: int
) -> Iterator[Ahead | None]:
    """Each file's hashes and parse, made in ``workers`` processes, in order.

    None for a file that is to be read and parsed here instead: every file
    when there are few or one worker, and any file a worker could not parse
    (so that its error is raised here, exactly as without workers).
    """
    if workers < 2 or len(paths) < PARALLEL_MIN_FILES or _total_size(paths) < PARALLEL_MIN_BYTES:
        yield from repeat(None, len(paths))
        return
    # Imported here: every command imports this module with the library, few
    # start workers, and multiprocessing's import was a tenth of `tracker list`'s.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # fork when this process runs no other thread (a command): the workers
    # start with every module imported, where a spawned one imported them all
    # again, the command's own too (measured at 100,000 papers: some 0.3 s of
    # CPU per worker, a tenth of the import). With threads (the app's import
    # dialog) forking is unsafe: a fresh interpreter then.
    one_thread = threading.active_count() == 1
    context = multiprocessing.get_context("fork" if one_thread else "spawn")
    names = [str(p) for p in paths]
    # Left in this folder (private to the user) when the pool closes: the pool
    # closes first, so no worker writes into it while it is removed.
    with (
        tempfile.TemporaryDirectory(prefix="tracker-parsed-") as spool,
        ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool,
    ):
        for result in pool.map(_parse_into_file, names, repeat(format), repeat(spool)):
            flat = _read_parsed(result) if result is not None else None
            yield None if flat is None else _unflattened(flat)


def _total_size(paths: Sequence[str | os.PathLike[str]]) -> int:
    total = 0
    for path in paths:
        with contextlib.suppress(OSError):
            total += os.stat(path).st_size
    return total


# A file's parse crosses from a worker as plain tuples, its papers rebuilt here:
# pickled as dataclasses (their state set field by field in Python) the papers
# of a 100,000-paper import took the importing process 0.4 s to unpickle, 0.2 s so.
_PaperFields = tuple[Any, ...]
_Flat = tuple[
    PageHashes,
    str,
    list[tuple[str | None, str | None, int | None, list[_PaperFields]]],
    tuple[ParseWarning, ...],
    list[list[str]],
]
_fields_of = attrgetter(*(f.name for f in dataclasses.fields(ParsedPaper)))


def _flattened(hashes: PageHashes, parsed: sources.Parsed, ids: list[list[str]]) -> _Flat:
    sections = [
        (s.label, s.date, s.line, list(map(_fields_of, s.papers))) for s in parsed.digest.sections
    ]
    return hashes, parsed.format, sections, parsed.digest.warnings, ids


def _unflattened(flat: _Flat) -> Ahead:
    hashes, format, sections, warnings, ids = flat
    digest = ParsedDigest(
        tuple(
            ParsedSection(label, date, line, tuple([ParsedPaper(*p) for p in papers]))
            for label, date, line, papers in sections
        ),
        warnings,
    )
    return hashes, sources.Parsed(format, digest), ids


# A parse crosses from a worker in a file of its own, not through the pool's pipe:
# a 1,000-paper page's parse is 1.5 MB, which the pipe takes 64 KB at a time, each
# read by a thread of the importing process that waits for the interpreter while
# the importing process plans. The workers waited ~5 ms a file to hand over their
# parse (0.5 s of a 100,000-paper import, with two); written to a file, ~0.5 ms.


def _parse_into_file(name: str, format: str, spool: str) -> str | None:
    """Run in a worker process: parse one file into a file in ``spool``; its name (None if
    the file could not be parsed, or its parse not written: then the importing process
    parses it)."""
    flat = _parse_for_import(name, format)
    if flat is None:
        return None
    try:
        fd, result = tempfile.mkstemp(dir=spool, suffix=".parsed")
        with os.fdopen(fd, "wb") as fh:
            fh.write(pickle.dumps(flat, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:  # a full temporary folder: the importing process parses it
        return None
    return result


def _read_parsed(result: str) -> _Flat | None:
    """A worker's parse, from the file it wrote (removed once read); None if unreadable."""
    try:
        with open(result, "rb") as fh:
            data = fh.read()
        os.unlink(result)
    except OSError:
        return None
    # The worker's own file, in a folder only this user can write to.
    flat: _Flat = pickle.loads(data)
    return flat


def _parse_for_import(name: str, format: str) -> _Flat | None:
    """Run in a worker process: read and parse one file (None if it fails).

    The papers' ids (a hash of each normalized title) are worked out here
    too: at 100,000 papers that is about a second the importing process,
    which plans the import meanwhile, no longer spends.
    """
    try:
        path = Path(name)
        if is_large(path):
            # Read in pieces by the importing process, which can let each go
            # once planned; from here it would come back whole.
            return None
        streamed = read_in_pieces(path, path.name, format)
        if streamed is not None:
            hashes, parsed = streamed.hashes, streamed.parsed
        else:
            data = read_digest_file(path)
            hashes, parsed = page_hashes(data), sources.parse_bytes(data, path.name, format)
        ids = [[paper_id_for(item.title) for item in s.papers] for s in parsed.digest.sections]
        return _flattened(hashes, parsed, ids)
    except Exception:  # the importing process reads it again and reports it
        return None


def read_digest_file(path: Path) -> bytes:
    return read_limited(path, "digest")
