"""The store's errors: each one sentence a person can act on."""

from __future__ import annotations

import stat
from pathlib import Path

import orjson


class StoreError(Exception):
    """A storage problem explained in one sentence a person can act on."""


class CorruptFileError(StoreError):
    """A data file exists but cannot be used; it is never overwritten."""


class LockedError(StoreError):
    """Another paper-tracker process is writing to the same library."""


class ReadOnlyError(StoreError):
    """A write was attempted on a library opened read-only."""


def restore_hint(path: Path) -> str:
    """What to do about a damaged data file, for the end of its error message."""
    bak = path.with_name(path.name + ".bak")
    if bak.exists():
        return f"the file was left as it is; `tracker doctor --restore` puts back the previous version from {bak.name}"
    journal = path.with_name(path.stem + ".journal.jsonl")
    if path.suffix == ".json" and journal.exists():
        return (
            f"the file was left as it is; `tracker doctor` says whether {journal.name} "
            "can make it again and `tracker doctor --restore` does it"
        )
    return "the file was left as it is and no backup of it exists"


def base_missing(path: Path, journal: Path) -> CorruptFileError:
    """The error for a journal whose base file is gone: neither is touched."""
    return CorruptFileError(
        f"{path} is missing but its journal {journal.name} is there; the files were left "
        "as they are: `tracker doctor --restore` puts the backup back"
    )


def damaged(path: Path, err: orjson.JSONDecodeError) -> CorruptFileError:
    """The error for a data file that is not valid JSON."""
    return CorruptFileError(f"{path} is damaged ({err}); {restore_hint(path)}")


class NotAFolderError(StoreError):
    """The data directory is a file (or a device, a pipe): no library can be in it."""


def check_data_folder(directory: Path) -> None:
    """Raise NotAFolderError when ``directory`` exists and is not a folder (a link to one is fine).

    A missing folder is no error here (a new library makes it); a file in
    its place used to read as "library.json missing" and let ``tracker
    doctor`` call the library fine.
    """
    try:
        mode = directory.stat().st_mode
    except FileNotFoundError:
        return
    except OSError as err:
        raise StoreError(
            f"cannot look at the data folder {directory}: {err.strerror or err}"
        ) from err
    if not stat.S_ISDIR(mode):
        what = "a file" if stat.S_ISREG(mode) else "not a folder (a device, a pipe or a socket)"
        raise NotAFolderError(
            f"the data folder {directory} is {what}, not a folder; paper-tracker keeps a "
            "library in a folder: move that file away or give another place with --data-dir "
            "or TRACKER_DATA_DIR (nothing was changed)"
        )
