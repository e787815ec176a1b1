"""Papers in without a file: a page pasted into the screen, and fetching (f, and on start).

A bracketed paste of more than a few lines anywhere on the main screen —
except in the filter box and the note editor, where a paste is text — opens
the import preview of that text (:class:`~tracker.app.dialogs.paste_import.PasteImportDialog`).

``f`` (and "Fetch" in the command palette) fetches what ``tracker
fetch`` fetches: the sources of ``[fetch] sources`` in config.toml, the days
since the last one fetched. With ``[fetch] on_start = true`` it runs when the
app starts. The requests run in a thread of their own, shown in the filter row
(:class:`~tracker.app.widgets.fetch_status.FetchStatus`), so typing never
waits for the network; every day is downloaded before any is imported (an
error imports nothing and says so in one message), and the days are then
imported on the UI thread, each one import that `u` takes back.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from textual import on
from textual.app import App
from textual.events import Mount, Paste
from textual.widgets import Input, TextArea

from tracker.app.screens.main.digest_actions import DigestActions
from tracker.app.text import marks_of, sentence
from tracker.app.widgets.fetch_status import FetchStatus
from tracker.config import Settings
from tracker.fetching import (
    FetchError,
    Http,
    Page,
    PlanError,
    Remote,
    RemoteError,
    fetch_pages,
    import_pages,
    parse_remote,
    plan_days,
    utc_today,
)
from tracker.library import ImportReport, LibraryError
from tracker.store import StoreError

PASTE_MIN_LINES = 4
"""A paste of fewer non-blank lines is no page (a title, a link): it is not imported."""

_Job = tuple[Remote, list[dt.date]]


@dataclass(slots=True)
class _Imports:
    """Fetched days still to import, and what the ones imported did."""

    queue: list[tuple[Remote, Page]]
    total: int
    lines: list[str] = field(default_factory=list)
    failed: bool = False
    imported: bool = False


class Fetching(DigestActions):
    """Pasting a page, and fetching from Hugging Face and arXiv."""

    # -- a pasted page -------------------------------------------------------
    @on(Paste)
    def _paste_page(self, event: Paste) -> None:
        # The filter box stops its pastes; the note editor lets them bubble here.
        if isinstance(self.focused, Input | TextArea):
            return
        event.stop()
        lines = sum(1 for line in event.text.splitlines() if line.strip())
        if lines < PASTE_MIN_LINES:
            self.notify(
                "To import papers, paste a whole page (select all, copy); "
                f"this paste has {lines} line{'s' if lines != 1 else ''}.",
                timeout=4,
            )
            return
        if self.library.readonly:
            self.notify("The library is open read-only.", severity="warning")
            return
        from tracker.app.dialogs.paste_import import PasteImportDialog, paste_source

        self.store_typed_note()

        def closed(imported: bool | None) -> None:
            if imported:
                self.refresh_all()

        dialog = PasteImportDialog(
            self.library, event.text, source=paste_source(), star=marks_of(self.app).watched
        )
        self.app.push_screen(dialog, closed)

    # -- fetching ------------------------------------------------------------
    @on(Mount)
    def _fetch_on_start(self) -> None:
        settings = self.config_file.settings if self.config_file else None
        if settings is not None and settings.fetch_on_start and not self.library.readonly:
            self.start_fetch(quiet=True)

    def action_fetch(self) -> None:
        self.start_fetch()

    @property
    def fetching(self) -> bool:
        return bool(self.query(FetchStatus))

    def start_fetch(self, *, quiet: bool = False) -> None:
        """Fetch the configured sources in the background; ``quiet``: no message when nothing is due."""
        if self.library.readonly:
            self.notify("The library is open read-only.", severity="warning")
            return
        if self.fetching:
            self.notify("Already fetching.", timeout=3)
            return
        settings = self.config_file.settings if self.config_file else Settings()
        today = utc_today()
        jobs: list[_Job] = []
        try:
            for name in settings.fetch_sources:
                remote = parse_remote(name)
                plan = plan_days(remote, self.library.digests, today=today)
                if plan.days or not remote.by_day:
                    jobs.append((remote, plan.days))
        except (RemoteError, PlanError) as err:
            self.notify(f"[fetch] sources in config.toml: {err}", severity="error", timeout=10)
            return
        if not jobs:
            if not quiet:
                self.notify("Nothing to fetch: every day up to yesterday is in.", timeout=4)
            return
        status = FetchStatus("⇣ fetching…")
        self.query_one("#filter-row").mount(status, before="#view")
        # A daemon thread, not a worker: quitting must not wait for a slow server
        # (the event loop's executor would be joined at exit).
        threading.Thread(
            target=self._fetch_in_thread, args=(self.app, jobs, today), name="fetch", daemon=True
        ).start()

    def _fetch_in_thread(self, app: App[object], jobs: list[_Job], today: dt.date) -> None:
        """Download every day (no library access here); the UI thread imports them."""

        def deliver(callback: Callable[..., None], *args: object) -> None:
            with contextlib.suppress(RuntimeError):  # the app has closed meanwhile
                app.call_from_thread(callback, *args)

        fetched: list[tuple[Remote, list[Page]]] = []
        try:
            for remote, days in jobs:

                def progress(done: int, total: int, what: str, name: str = remote.name) -> None:
                    deliver(self._fetch_progress, name, done, total, what)

                http = Http(interval=remote.interval)
                fetched.append(
                    (remote, fetch_pages(remote, days, http, today=today, progress=progress))
                )
        except FetchError as err:
            deliver(self._fetch_done, [], str(err))
            return
        deliver(self._fetch_done, fetched, "")

    def _fetch_progress(self, name: str, done: int, total: int, what: str) -> None:
        for status in self.query(FetchStatus):
            status.show_progress(name, done, total, what)

    def _fetch_done(self, fetched: list[tuple[Remote, list[Page]]], error: str) -> None:
        if error:
            self._fetch_finished()
            self.notify(
                f"Fetch failed: {sentence(error)} Nothing was imported.",
                severity="error",
                timeout=15,
            )
            return
        queue = [(remote, page) for remote, pages in fetched for page in pages]
        self._import_next(_Imports(queue, len(queue)))

    def _import_next(self, imports: _Imports) -> None:
        """Import one fetched day, then let keys and frames through before the next one.

        A day is ~50-150 ms of work on the UI thread (the list and the searches read
        what it changes); two weeks caught up at once would stall typing for seconds.
        """
        if not imports.queue:
            self._fetch_finished()
            if imports.imported:
                self.refresh_all()
            text = "Fetched: " + "; ".join(imports.lines)
            if imports.failed:
                self.notify(text, severity="warning", timeout=15)
            else:
                self.notify(text, timeout=8)
            return
        remote, page = imports.queue.pop(0)
        for status in self.query(FetchStatus):
            done = imports.total - len(imports.queue) - 1
            status.show_progress(remote.name, done, imports.total, str(page.day), verb="importing")
        try:
            for outcome in import_pages(self.library, remote, [page]):
                result = outcome.result
                if isinstance(result, ImportReport):
                    imports.imported = imports.imported or not result.already_imported
                    digests = ", ".join(d.display_label for d in result.digests)
                    imports.lines.append(
                        f"{remote.name} {digests}: {result.new} new of {result.papers}"
                    )
                elif result is not None:
                    imports.failed = True
                    imports.lines.append(f"{remote.name} {page.day}: {result}")
                else:
                    imports.lines.append(f"{remote.name} {outcome.note}")
        except (LibraryError, StoreError) as err:
            imports.failed = True
            imports.lines.append(f"{remote.name}: {err}")
        self.set_timer(0.01, partial(self._import_next, imports))

    def _fetch_finished(self) -> None:
        for status in self.query(FetchStatus):
            status.remove()
