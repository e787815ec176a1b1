"""Writing a file at a path the user gave (an export, a backup) without destroying a file of theirs.

The rule every such write follows: a file at the target is replaced only if
paper-tracker wrote it and nobody changed it since (``exports.json`` keeps
what was written, see :mod:`~tracker.library.export_record`); anything else
there is refused (:class:`ExportExistsError`) unless forced, and a forced
write keeps the old file beside it (:func:`~tracker.library.keep_aside.keep_aside`).
"""

from __future__ import annotations

from pathlib import Path

from tracker.library.core import LibraryError
from tracker.library.export_record import ExportRecord, checksum, file_checksum
from tracker.library.files import write_file
from tracker.library.keep_aside import keep_aside, remove_stale_temporaries
from tracker.store import StoreError
from tracker.store.atomic import real_target


class ExportExistsError(LibraryError):
    """The target exists and is not a file paper-tracker wrote there and nobody changed since.

    Raised by exports and by backups alike: both are files written where the
    user says, and both follow the same rule.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(
            f"{path} already exists and was not written by paper-tracker (or was changed "
            "since); nothing was written"
        )


def replace_own_file(
    record: ExportRecord, path: Path, payload: bytes, *, force: bool
) -> Path | None:
    """Write ``payload`` to ``path`` unless that destroys a file of the user's.

    Returns where a file replaced with ``force`` was kept (None when the
    file was ours or there was none). The folder must exist.
    """
    import glob  # here: every command imports this module, few write with it

    try:
        remove_stale_temporaries(real_target(path).parent, glob.escape(real_target(path).name))
    except StoreError as err:  # a link loop
        raise LibraryError(f"{err}; nothing was written") from err
    new = checksum(payload)
    current = file_checksum(path)
    ours = current is None or current == new or current in record.file_checksums(path)
    if not ours and not force:
        raise ExportExistsError(path)
    # The new checksum is recorded first: killed after the rename, the
    # file is still known as ours (see export_record).
    record.set_file(path, sorted({new} | ({current} if ours and current else set())))
    backup = None if ours else keep_aside(path)
    if current != new:
        write_file(path, payload)
    record.set_file(path, [new])
    return backup
