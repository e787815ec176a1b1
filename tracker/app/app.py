"""The Textual application: opens the library, shows the main screen, owns help and keymap."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Iterable
from functools import partial
from pathlib import Path

from rich.console import RenderableType
from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.theme import Theme

from tracker.app.dialogs.confirm import ConfirmDialog
from tracker.app.dialogs.help import HelpScreen
from tracker.app.focus_now import take_key
from tracker.app.keymap import KEYMAP_FILE, load_keymap
from tracker.app.runtime import keep_out_of_collections
from tracker.app.screens.error import ErrorScreen
from tracker.app.screens.main import MainScreen
from tracker.app.sync_timer import SyncTimer
from tracker.app.text import as_markup, clean, one_line
from tracker.app.widgets.detail_pane import NoteEditor
from tracker.app.widgets.digest_sidebar import DigestSidebar
from tracker.app.widgets.paper_list import PaperList
from tracker.app.widgets.unsaved_banner import UnsavedBanner
from tracker.config import ConfigError, ConfigFile
from tracker.library import Library, LibraryError
from tracker.locations import config_dir
from tracker.models import Marks
from tracker.store import CorruptFileError, LockedError, NotAFolderError, StoreError

TERMINATION_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGHUP", "SIGTERM") if hasattr(signal, name)
)
"""Closing the terminal window (SIGHUP), ``kill``, a logout or a shutdown (SIGTERM)."""

INPUT_GRACE_SECONDS = 0.5
"""After SIGHUP/SIGTERM, how long keys already typed may take to reach the editor."""
INPUT_TICK_SECONDS = 0.01

EXIT_DEADLINE_SECONDS = 3.0
"""After SIGHUP/SIGTERM (notes already saved), how long an orderly exit may take
before the process ends itself: with the terminal gone, Textual's shutdown can
block on output nobody reads."""


def _unread_input() -> int:
    """Bytes typed into the terminal that the app has not read yet (0 if unknown)."""
    try:
        import fcntl
        import termios
    except ImportError:  # Windows
        return 0
    stream = sys.__stdin__  # where Textual reads keys
    if stream is None:
        return 0
    try:
        answer = fcntl.ioctl(stream.fileno(), termios.FIONREAD, b"\0\0\0\0")
    except (OSError, ValueError):  # hung up, or not a terminal
        return 0
    return int.from_bytes(answer, sys.byteorder)


def _terminal_is_open() -> bool:
    """False once the terminal has hung up (its window closed): then it answers nothing."""
    try:
        import termios
    except ImportError:  # Windows: terminals do not hang up there
        return True
    stream = sys.__stderr__  # where Textual draws
    if stream is None:
        return False
    try:
        termios.tcgetattr(stream.fileno())
    except (OSError, ValueError, termios.error):
        return False
    return True


class TrackerApp(App[None]):
    """paper-tracker's terminal UI."""

    TITLE = "paper-tracker"
    CSS = """
    Screen { background: $background; }
    """

    BINDINGS = [
        Binding("question_mark", "help", "Help", id="app.help"),
        # Hidden from the footer (80 columns are not enough); listed by `?`.
        Binding("q", "quit", "Quit", show=False, id="app.quit"),
        Binding(
            "ctrl+s", "save_now", "Save now (retries a failed save)", show=False, id="app.save"
        ),
    ]

    def __init__(
        self,
        data_dir: Path | None = None,
        *,
        readonly: bool = False,
        config: Path | None = None,
        seed_if_empty: bool = True,
        ascii: bool = False,
    ) -> None:
        super().__init__()
        self.data_dir = data_dir
        self.readonly = readonly
        self.config = config or config_dir()
        self.seed_if_empty = seed_if_empty
        self.library: Library | None = None
        self.sync_timer: SyncTimer | None = None
        self._caught_signals: list[int] = []
        self.keymap: dict[str, str] = {}
        """Binding id → its keys ("j,down"), as the user's keymap.toml gives them."""
        self.config_file = ConfigFile(self.config)
        """config.toml: watch list, saved searches, look (read now, changed by the screens)."""
        _, self._config_problems = self.config_file.load()
        self.marks = Marks.of(ascii=ascii or self.config_file.settings.ascii)
        """Status, watch, note and selection marks: Unicode, or ASCII (--ascii)."""

    async def on_event(self, event: events.Event) -> None:
        # A key taken from the queue is marked as one (tracker/app/focus_now.py).
        await take_key(event, super().on_event)

    def on_mount(self) -> None:
        keymap, problem = load_keymap(self.config)
        problems = [problem] if problem else []
        if keymap:
            # Only with a keymap: the check imports every screen and dialog.
            from tracker.app.keymap_check import check_keymap

            checked = check_keymap(keymap, self.BINDINGS, str(self.config / KEYMAP_FILE))
            problems += checked.problems
            self.keymap = checked.keymap
            self.set_keymap(checked.keymap)
        for text in problems:
            self.notify(text, title="Keys", severity="warning", timeout=15)
        for problem in self._config_problems:
            self.notify(problem, title="Settings", severity="warning", timeout=12)
        theme = self.config_file.settings.theme
        if theme is not None:
            if theme in self.available_themes:
                self.theme = theme
            else:
                self.notify(
                    f"{self.config_file.path}: theme {theme!r} is not known; using the default.",
                    severity="warning",
                    timeout=10,
                )
        self._theme_at_start = self.theme
        self.theme_changed_signal.subscribe(self, self._save_theme)
        # ctrl+z, or anything else that hands the terminal to another program.
        self.app_suspend_signal.subscribe(self, lambda _: self.save_notes())
        self._catch_termination()
        self.open_library(readonly=self.readonly)

    def _catch_termination(self) -> None:
        """Save the note being typed on SIGHUP and SIGTERM, then exit.

        Textual installs no handler for either, so by default they end the
        process at once and the text typed since the last autosave is lost.
        """
        loop = asyncio.get_running_loop()
        for signum in TERMINATION_SIGNALS:
            # Not in the main thread (some test runners) or no Unix signals: nothing to catch.
            with contextlib.suppress(ValueError, RuntimeError, NotImplementedError):
                loop.add_signal_handler(signum, self._terminated, signum)
                self._caught_signals.append(signum)

    def _release_signals(self) -> None:
        with contextlib.suppress(RuntimeError):  # the loop is already closed
            loop = asyncio.get_running_loop()
            for signum in self._caught_signals:
                loop.remove_signal_handler(signum)
        self._caught_signals.clear()

    def _terminated(self, signum: int) -> None:
        """SIGHUP or SIGTERM arrived: store what is being typed at once, then leave.

        The first save happens right here, before anything is drawn: on SIGHUP
        the terminal is usually gone already, and drawing to it can block.
        Keys that reached the app just before the signal may still be queued
        (in the app's queue, then in the focused widget's); the exit is
        therefore queued behind them and saves the notes again. Should that
        exit hang (Textual's shutdown writing to a terminal that is gone), the
        process ends itself after EXIT_DEADLINE_SECONDS: the notes are on disk.
        """
        code = 128 + signum  # what a shell reports for a process ended by the signal
        self.save_notes()
        self._release_signals()  # a second signal while leaving ends the process
        if not self.is_headless:  # headless (tests) draws nowhere, so nothing can block
            deadline = threading.Timer(EXIT_DEADLINE_SECONDS, os._exit, (code,))
            deadline.daemon = True
            deadline.start()

        def leave() -> None:
            problem = self.save_everything()
            self.close_library()
            if not _terminal_is_open():
                self.exit(return_code=code)  # a message would go nowhere (and fail)
                return
            name = signal.Signals(signum).name
            said = f"NOT saved: {problem}" if problem else "everything was saved"
            self.exit(return_code=code, message=f"tracker: ended by {name}; {said}")

        def behind_forwarded_keys() -> None:
            target = self.focused or self.screen
            target.call_later(leave)

        # Keys typed just before the signal may not even be read yet: wait
        # (up to INPUT_GRACE_SECONDS) until the terminal has handed over all it
        # holds and stayed empty for one more tick, in which the input thread
        # posts what it read; then queue the exit behind those keys.
        give_up = time.monotonic() + INPUT_GRACE_SECONDS
        quiet_ticks = 0

        def when_input_is_read() -> None:
            nonlocal quiet_ticks
            quiet_ticks = 0 if _unread_input() else quiet_ticks + 1
            if quiet_ticks < 2 and time.monotonic() < give_up and not self.is_headless:
                self.set_timer(INPUT_TICK_SECONDS, when_input_is_read)
                return
            self.call_later(behind_forwarded_keys)

        when_input_is_read()

    def _save_theme(self, theme: Theme) -> None:
        """Keep the theme chosen with ctrl+p "Change theme" for the next start."""
        if self.config_file.settings.theme is None and theme.name == self._theme_at_start:
            return  # the start-up theme being applied, not a choice: write nothing
        try:
            self.config_file.change_theme(theme.name)
        except ConfigError as err:
            self.notify(f"The theme was not saved: {err}", severity="warning", timeout=10)

    def open_library(self, *, readonly: bool) -> None:
        try:
            self.library = Library.open(self.data_dir, readonly=readonly, app=True)
        except LockedError as err:
            self.push_screen(
                ErrorScreen("The library is in use", str(err), readonly_offer=True),
                self._error_choice,
            )
            return
        except (StoreError, LibraryError) as err:
            # A read-only disk, a folder without write permission or an upgrade
            # that cannot take the lock still lets the library be read; a
            # damaged file or a data folder that is a file does not.
            offer = not readonly and not isinstance(err, CorruptFileError | NotAFolderError)
            self.push_screen(
                ErrorScreen("Cannot open the library", str(err), readonly_offer=offer),
                self._error_choice,
            )
            return
        self.library.utc_days = self.config_file.settings.utc
        keep_out_of_collections()  # the library lives as long as the app
        if readonly:
            self.sub_title = "read-only"
            self.notify("Opened read-only: changes are not possible.", severity="warning")
        entries, problems = self.config_file.watch_entries()
        self.library.set_watch(entries)
        for problem in problems:
            self.notify(problem, title="Settings", severity="warning", timeout=12)
        if self.seed_if_empty and not readonly and not self.library.papers:
            self._import_seeds()
        self.push_screen(MainScreen(self.library, self.config_file))
        # [sync] folder in config.toml: sync on a timer.
        self.sync_timer = SyncTimer.start(self, self.library, self.config_file.settings)

    def _import_seeds(self) -> None:
        assert self.library is not None
        try:
            reports = self.library.import_bundled_seeds()
        except (StoreError, LibraryError) as err:
            self.notify(f"Could not import the bundled digests: {err}", severity="error")
            return
        papers = len(self.library)
        labels = ", ".join(d.display_label for r in reports for d in r.digests)
        self.notify(
            f"First run: imported the bundled digests ({labels}; {papers} papers).",
            title="Welcome",
            timeout=8,
        )

    def _error_choice(self, choice: str | None) -> None:
        if choice == "readonly":
            self.open_library(readonly=True)
        else:
            self.exit()

    # -- help and command palette ----------------------------------------
    def help_sections(self) -> list[tuple[str, list[tuple[str, str, str]]]]:
        """Every binding, grouped by where it applies, with the keys in effect."""
        from tracker.app.screens.stats import StatsScreen
        from tracker.app.screens.triage import TriageScreen
        from tracker.app.screens.whats_new import WhatsNewScreen

        palette = Binding("ctrl+p", "command_palette", "Command palette", id="app.palette")
        groups: list[tuple[str, list[object]]] = [
            ("Main screen", list(MainScreen.BINDINGS)),
            ("Paper list", list(PaperList.BINDINGS)),
            ("Sidebar (R/D on a digest: edit it / forget it)", list(DigestSidebar.BINDINGS)),
            ("Note editor", list(NoteEditor.BINDINGS)),
            ("Triage", list(TriageScreen.BINDINGS)),
            ("Reading stats", list(StatsScreen.BINDINGS)),
            ("What's new", list(WhatsNewScreen.BINDINGS)),
            (
                "Everywhere",
                [
                    *self.BINDINGS,
                    palette,
                    Binding("tab,shift+tab", "focus_next", "Next / previous pane"),
                ],
            ),
        ]
        keymap = self.keymap
        sections = []
        for heading, bindings in groups:
            rows = []
            for binding in bindings:
                # Every binding of ours is a Binding object (never a bare tuple).
                assert isinstance(binding, Binding)
                keys = keymap.get(binding.id or "", binding.key)
                shown = ", ".join(
                    self.get_key_display(Binding(k.strip(), binding.action))
                    for k in keys.split(",")
                )
                rows.append((shown, binding.description, binding.id or ""))
            sections.append((heading, rows))
        return sections

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.help_sections()))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if isinstance(screen, MainScreen):
            for binding in MainScreen.BINDINGS:
                assert isinstance(binding, Binding)
                yield SystemCommand(
                    binding.description,
                    f"key: {as_markup(self.get_key_display(binding))}",
                    partial(screen.run_action, binding.action),
                )
            for digest in screen.library.digests:
                label = as_markup(one_line(digest.display_label))
                yield SystemCommand(
                    f"Edit digest: {label}",
                    "its label and date",
                    partial(screen.edit_digest, digest.id),
                )
                source = as_markup(one_line(digest.source))
                yield SystemCommand(
                    f"Forget digest: {label}",
                    f"from {source}: remove it and the papers only it has (asks first; undoable)",
                    partial(screen.forget_digest, digest.id),
                )
            # The palette reads titles and help as markup: names and queries
            # come from config.toml, so they go in escaped.
            for name, query in self.config_file.settings.searches.items():
                shown, help_text = as_markup(one_line(name)), as_markup(one_line(query))
                yield SystemCommand(
                    f"Saved search: {shown}", help_text, partial(screen.run_saved_search, name)
                )
                yield SystemCommand(
                    f"Rename saved search: {shown}", help_text, partial(screen.rename_search, name)
                )
                yield SystemCommand(
                    f"Delete saved search: {shown}", help_text, partial(screen.delete_search, name)
                )
        yield SystemCommand("Help", "Show every key", self.action_help)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """A toast that shows ``message`` literally, whatever ``markup`` says.

        Toasts carry titles, file names, URLs and error messages; parsed as
        markup, a ``[/bold]`` in a title crashed the app and
        ``[@click=app.quit]`` became a button. Every toast passes here (a
        widget's and a screen's ``notify`` call this one, asking for markup
        by default), so no toast of the app is ever parsed.
        """
        del markup
        super().notify(
            clean(message), title=clean(title), severity=severity, timeout=timeout, markup=False
        )

    def action_help_quit(self) -> None:
        # Textual's version writes its hint as markup ("[b]q[/b]"); toasts here are literal.
        for key, active in self.active_bindings.items():
            if active.binding.action in ("quit", "app.quit"):
                self.notify(f"Press {key} to quit the app", title="Do you want to quit?")
                return

    def save_notes(self) -> str | None:
        """Store the text of every note editor now, without waiting for its autosave.

        Synchronous and draws nothing, so that it works from a signal handler
        and while the terminal is handed to another program. Returns the
        problem if a note could not be stored, else None.
        """
        if self.library is None or self.library.readonly:
            return None
        problem: str | None = None
        for editor in [e for screen in self.screen_stack for e in screen.query(NoteEditor)]:
            pending = editor.take_pending()
            if pending is None:
                continue
            paper_id, text, session, base = pending
            try:
                self.library.set_note(paper_id, text, session=session, base=base)
            except (StoreError, LibraryError) as err:
                problem = str(err)
        return problem

    def save_everything(self) -> str | None:
        """Hand over notes being typed and retry failed saves; the problem, or None."""
        if self.library is None or self.library.readonly:
            return None
        problem = self.save_notes()
        if self.library.has_unsaved:
            try:
                self.library.flush()
            except StoreError as err:
                problem = str(err)
        for banner in self.screen.query(UnsavedBanner):
            banner.update_state()
        return problem if self.library.has_unsaved or problem else None

    def action_save_now(self) -> None:
        if self.library is None:
            return
        if self.library.readonly:
            self.notify("The library is open read-only.", severity="warning")
            return
        problem = self.save_everything()
        if problem:
            self.notify(f"Still not saved: {problem}", severity="error", timeout=10)
        else:
            self.notify("Everything is saved.", timeout=2)

    async def action_quit(self) -> None:
        problem = self.save_everything()
        if problem is None:
            self.close_library()
            self.exit()
            return

        def answered(quit_anyway: bool | None) -> None:
            if quit_anyway:
                self.close_library()
                self.exit(message=f"tracker: quit with unsaved changes: {problem}")

        self.push_screen(
            ConfirmDialog(
                f"Your latest changes are NOT saved: {problem}\n\n"
                "Quit anyway and lose them? (n, then ctrl+s retries)",
                default_yes=False,
            ),
            answered,
        )

    def exit(
        self,
        result: None = None,
        return_code: int = 0,
        message: RenderableType | None = None,
    ) -> None:
        """Exit the app, whichever way out (quit, an error screen, a signal), saving notes first."""
        # Once Textual's shutdown has begun, the editors are taken down before
        # on_unmount runs: a note saved there would be gone already.
        problem = self.save_notes()
        if problem is not None and message is None:
            message = f"tracker: the last note edit was not saved: {problem}"
        # After an error ended the app (return code 1), a quit key pressed while it
        # was going down reported success: `tracker` exited 0 after a traceback.
        return_code = return_code or self.return_code or 0
        super().exit(result, return_code, message)

    def on_unmount(self) -> None:
        self._release_signals()
        self.close_library()

    def close_library(self) -> None:
        """Save a note being typed and release the library lock."""
        if self.library is None:
            return
        problem = self.save_notes()
        if problem is not None:
            # Too late for a notification: say it on the terminal after exit.
            self.exit(message=f"tracker: the last note edit was not saved: {problem}")
        self.library.close()
        self.library = None
