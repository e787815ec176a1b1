"""The app syncs through a folder on a timer: ``[sync] folder`` and ``every`` in config.toml.

Each sync runs in a worker thread with a library of its own (as ``tracker
sync`` would from cron), so the screen takes in what it merged the way it
takes in any other process's change, within a second, a note being typed
included. A sync that brought something, or failed, says so in a
notification; a quiet one says nothing. ``tracker undo`` takes a sync back
(the app's ``u`` undoes what was done in the window).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.app import App
from textual.timer import Timer

from tracker.config import Settings
from tracker.library import Library, LibraryError, StoreError
from tracker.library.sync_text import sync_lines
from tracker.library.syncing import machine_name


class SyncTimer:
    """Syncs the app's library through the configured folder every few minutes."""

    def __init__(
        self, app: App[Any], library: Library, folder: str, minutes: float, name: str
    ) -> None:
        self.app = app
        self.library = library
        """The app's library (its ``sent_at`` is told of each sync)."""
        self.folder = Path(folder).expanduser()
        self.minutes = minutes
        self.name = name
        self.timer: Timer | None = None
        self.last_error: str | None = None

    @classmethod
    def start(cls, app: App[Any], library: Library, settings: Settings) -> SyncTimer | None:
        """Start syncing when config.toml names a folder (and the library is writable)."""
        if not settings.sync_folder or library.readonly:
            return None
        name = machine_name(None, settings.sync_name)
        timer = cls(app, library, settings.sync_folder, settings.sync_minutes, name)
        timer.timer = app.set_interval(timer.minutes * 60, timer.sync)
        timer.sync()  # once at the start: what changed elsewhere overnight comes in now
        return timer

    def sync(self) -> None:
        self.app.run_worker(
            self._sync, thread=True, group="sync", exclusive=True, exit_on_error=False
        )

    def _sent(self, at: str) -> None:
        # The note being typed went out as it was: its next autosave must
        # say that version is replaced (see LibraryCore.sent_at).
        self.library.sent_at = max(self.library.sent_at, at)

    def _sync(self) -> None:
        try:
            with Library.open(self.library.store.directory, lazy=True) as lib:
                report = lib.sync(self.folder, self.name)
                lines = [line for line, _ in sync_lines(lib, report)][:-1]  # not "wrote …"
        except (LibraryError, StoreError, OSError) as err:
            message = f"Sync through {self.folder} failed: {err}"
            if message != self.last_error:  # once, not every few minutes
                self.last_error = message
                self.app.call_from_thread(self.app.notify, message, severity="warning", timeout=10)
            return
        self.last_error = None
        self.app.call_from_thread(self._sent, report.sent_at)
        if report.changed or any(s.error for s in report.sources):
            self.app.call_from_thread(self.app.notify, "\n".join(lines), title="Synced", timeout=8)
