"""The settings file, ``config.toml`` in the config directory: watch list, saved searches, look.

People edit this file by hand as well as through the app, so:

* reading never stops anything: a file that is not valid TOML, or a value of
  the wrong type, becomes one sentence naming the file and line, and the
  defaults (or the other, valid settings) are used;
* writing never loses what a person wrote: the file is re-read, only the
  changed key is replaced with ``tomlkit`` (which keeps comments, order and
  layout -- the standard library can read TOML but not write it, and a
  rewrite from a dict would drop every comment), and the result replaces the
  old file atomically (temporary file, fsync, ``os.replace``);
* a file that does not parse is never overwritten: the change is refused
  with a sentence that says which line to fix.

:class:`ConfigFile` is the file and what it said when last read or
changed (:attr:`ConfigFile.settings`); :class:`Settings` is that content.
Pure: no Textual; the CLI and the app both use it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tracker.locations import config_dir
from tracker.store import StoreError, atomic_write, read_regular

# tomlkit is imported by the writing methods only: every command reads this
# file, few change it, and tomlkit took a tenth of `tracker list`'s imports.
if TYPE_CHECKING:
    import tomlkit
    from tomlkit.items import Table

    from tracker.search.watch import WatchEntry

CONFIG_FILE = "config.toml"

# Written when there is no file yet, so that a person who opens it sees what
# can go where. Comments in it survive every later change made by the app.
TEMPLATE = """\
# paper-tracker settings. Edit by hand or in the app; the app keeps your comments.

[watch]
# Papers matching any of these are flagged (★) on import, listed first in
# triage and found by the filter is:watched. Each entry is searched like the
# filter box: words (typo-tolerant, all must match), "an exact phrase", and
# author:"Name" (when the digest has authors). The first matching entry is
# the one shown.
terms = []

[searches]
# Saved searches: a name and a filter, shown in the sidebar under the digests.
# "LLM backlog" = "llm status:to-read"

[look]
# A Textual theme name (ctrl+p, "Change theme", sets it), and ASCII-only marks
# (* + > x -) for terminals or fonts without the Unicode ones.
ascii = false
# Days and weeks of the reading stats and what's new follow the local time
# zone; true counts them in UTC.
utc = false

[open]
# The command that opens a paper (o) or its PDF (O); %s stands for the address
# (without it the address goes last). Unset: the system's web browser.
# browser = "firefox --new-tab %s"

[fetch]
# What `tracker fetch` fetches without --source: "hf" (Hugging Face's daily
# papers) and arXiv categories such as "arxiv:cs.CL".
sources = ["hf"]
# true: the app fetches them in the background each time it starts.
on_start = false

[sync]
# `tracker sync FOLDER` and the app's timer: this machine's name in the synced
# folder (unset: the host name), the folder the app syncs through while it is
# open (unset: no timer) and the minutes between two syncs.
# name = "laptop"
# folder = "~/Sync/paper-tracker"
# every = 5
"""


class ConfigError(Exception):
    """A settings file that cannot be read or written, explained in one sentence."""


@dataclass(slots=True)
class Settings:
    """What config.toml says (defaults for anything missing or invalid)."""

    watch: list[str] = field(default_factory=list)
    searches: dict[str, str] = field(default_factory=dict)
    theme: str | None = None
    ascii: bool = False
    utc: bool = False
    """[look] utc: days and weeks (stats, what's new) in UTC instead of local time."""
    browser: str | None = None
    """[open] browser: the command that opens addresses (None: the system's browser)."""
    fetch_sources: list[str] = field(default_factory=lambda: ["hf"])
    """[fetch] sources: what ``tracker fetch`` fetches without --source (``hf``, ``arxiv:cs.CL``)."""
    fetch_on_start: bool = False
    """[fetch] on_start: the app fetches them in the background when it starts."""
    sync_name: str | None = None
    """[sync] name: this machine's name in a synced folder (None: the host name)."""
    sync_folder: str | None = None
    """[sync] folder: the synced folder the app syncs through on a timer (None: no timer)."""
    sync_minutes: float = 5.0
    """[sync] every: minutes between the app's syncs."""


_LINE = re.compile(r"\(at line (\d+), column (\d+)\)")
_END = re.compile(r"\(at end of document\)")


def _decode_problem(path: Path, err: Exception) -> str:
    """'<file>, line N: <what>' from a TOML error, whose text ends '(at line N, column M)'."""
    text = str(err)
    m = _LINE.search(text)
    what = _LINE.sub("", text).strip().rstrip(".")
    what = what[:1].lower() + what[1:]
    if m:
        return f"{path}, line {m.group(1)}: {what}"
    if _END.search(what):
        return f"{path}, at the end of the file: {_END.sub('', what).strip()}"
    return f"{path}: {what}"


CONFIG_DIR_MODE = 0o700


class ConfigFile:
    """config.toml in one directory; every method re-reads the file (it may be hand-edited)."""

    def __init__(self, directory: str | os.PathLike[str] | None = None) -> None:
        self.directory = config_dir(directory)
        self.path = self.directory / CONFIG_FILE
        self.settings = Settings()
        """What the file said at the last :meth:`load`, with this object's changes since."""

    # -- reading -------------------------------------------------------------
    def load(self) -> tuple[Settings, list[str]]:
        """The settings and the problems found (sentences); never raises.

        They become :attr:`settings`, the copy the change methods below keep current.
        """
        settings, problems = self._read()
        self.settings = settings
        return settings, problems

    def _read(self) -> tuple[Settings, list[str]]:
        try:
            raw = read_regular(self.path)
        except FileNotFoundError:
            return Settings(), []
        except OSError as err:
            return Settings(), [f"{self.path} could not be read ({err.strerror or err})"]
        except StoreError as err:  # a FIFO or a device: never waited on
            return Settings(), [f"{err}; the default settings are used"]
        import tomllib  # here: a command run without a settings file never needs it

        try:
            data = tomllib.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            return Settings(), [f"{self.path} is not UTF-8 text; the default settings are used"]
        except tomllib.TOMLDecodeError as err:
            return Settings(), [
                f"{_decode_problem(self.path, err)}; the default settings are used until it is fixed"
            ]
        return _settings_from(data, self.path)

    def stamp(self) -> tuple[int, int, int] | None:
        """The file's inode, size and modification time (None: no file): changed when
        something else wrote it (``tracker watch add`` while the app is open)."""
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        return (st.st_ino, st.st_size, st.st_mtime_ns)

    def reload_watch(self) -> bool:
        """Read the watch list again from the file; True when it changed."""
        fresh = self._fresh().watch
        if fresh == self.settings.watch:
            return False
        self.settings.watch = fresh
        return True

    # -- changes: each re-reads the file first and changes only its own key, so
    # an edit made by hand meanwhile is not overwritten by an older copy.
    def _fresh(self) -> Settings:
        settings, _ = self._read()
        return settings

    def watch_entries(self) -> tuple[list[WatchEntry], list[str]]:
        """The watch list's usable entries, and a sentence for each one that is skipped."""
        from tracker.search.watch import parse_entries

        entries, problems = parse_entries(self.settings.watch)
        return entries, [f"watch list in {self.path}: {problem}" for problem in problems]

    def add_watch(self, text: str) -> str:
        """Add an entry (checked first, WatchError if unusable); return it as stored."""
        from tracker.search.watch import parse_entry

        entry = parse_entry(text)
        terms = self._fresh().watch
        if entry.text not in terms:
            terms.append(entry.text)
        self._set_watch(terms)
        return entry.text

    def remove_watch(self, text: str) -> None:
        terms = [t for t in self._fresh().watch if t != text]
        self._set_watch(terms)

    def _set_watch(self, terms: list[str]) -> None:
        self.set_watch(terms)
        self.settings.watch = terms

    def save_search(self, name: str, query: str) -> bool:
        """Save (or replace) a search; True when it replaced one of that name."""
        name = _clean_name(name)
        searches = self._fresh().searches
        replaced = name in searches
        searches[name] = query
        self._set_searches(searches)
        return replaced

    def rename_search(self, old: str, new: str) -> None:
        new = _clean_name(new)
        searches = self._fresh().searches
        if old not in searches:
            raise ConfigError(f"there is no saved search named {old!r} any more")
        if new != old and new in searches:
            raise ConfigError(f"a saved search named {new!r} exists already")
        # Keep its place in the list.
        self._set_searches({(new if k == old else k): v for k, v in searches.items()})

    def delete_search(self, name: str) -> None:
        searches = self._fresh().searches
        searches.pop(name, None)
        self._set_searches(searches)

    def _set_searches(self, searches: dict[str, str]) -> None:
        self.set_searches(searches)
        self.settings.searches = searches

    def change_theme(self, theme: str) -> None:
        """Keep ``theme`` (a change made in the app) unless it is the one kept already."""
        if self.settings.theme != theme:
            self.set_theme(theme)
            self.settings.theme = theme

    # -- writing -------------------------------------------------------------
    def set_watch(self, terms: list[str]) -> None:
        """Replace the watch list."""
        self._update(lambda doc: _table(doc, "watch").__setitem__("terms", _string_array(terms)))

    def set_searches(self, searches: dict[str, str]) -> None:
        """Replace the saved searches (a name → query mapping, in display order)."""

        def change(doc: tomlkit.TOMLDocument) -> None:
            table = _table(doc, "searches")
            for name in [k for k in table if k not in searches]:
                del table[name]
            for name, query in searches.items():
                table[name] = query
            # Keep the order the caller gave (a rename keeps the entry's place).
            if list(table) != list(searches):
                items = {name: table[name] for name in searches}
                for name in list(table):
                    del table[name]
                for name, value in items.items():
                    table[name] = value

        self._update(change)

    def set_theme(self, theme: str) -> None:
        self._update(lambda doc: _table(doc, "look").__setitem__("theme", theme))

    def set_ascii(self, value: bool) -> None:
        self._update(lambda doc: _table(doc, "look").__setitem__("ascii", value))

    def _update(self, change: Any) -> None:
        import tomlkit
        import tomlkit.exceptions

        try:
            text = read_regular(self.path).decode("utf-8")
        except FileNotFoundError:
            text = TEMPLATE
        except (OSError, UnicodeDecodeError, StoreError) as err:
            raise ConfigError(
                f"{self.path} could not be read, so it was not changed: {err}"
            ) from err
        import tomllib

        try:
            tomllib.loads(text)  # the same judge as load(): its line numbers, its rules
            doc = tomlkit.parse(text)
        except (tomllib.TOMLDecodeError, tomlkit.exceptions.TOMLKitError) as err:
            raise ConfigError(
                f"{_decode_problem(self.path, err)}; fix it first (the file was not changed)"
            ) from err
        change(doc)
        self._write(tomlkit.dumps(doc))

    def _write(self, text: str) -> None:
        """Atomic replace, as for the library: a crash leaves the old file or the new one.

        A symlinked config.toml (a dotfiles repository) stays a symlink: the
        file it points to is replaced.
        """
        try:
            # A new config folder is the user's alone, as the data folder.
            self.directory.mkdir(mode=CONFIG_DIR_MODE, parents=True, exist_ok=True)
            atomic_write(self.path, text.encode("utf-8"), private=True)
        except OSError as err:
            raise ConfigError(f"cannot write {self.path}: {err.strerror or err}") from err
        except StoreError as err:
            raise ConfigError(str(err)) from err


def _table(doc: tomlkit.TOMLDocument, name: str) -> Table:
    import tomlkit
    from tomlkit.items import Table

    table = doc.get(name)
    if not isinstance(table, Table):
        if name in doc:
            del doc[name]
        table = tomlkit.table()
        doc[name] = table
    return table


def _string_array(values: list[str]) -> Any:
    import tomlkit

    array = tomlkit.array()
    array.extend(values)
    if len(values) > 2:  # one entry a line: easy to read and to edit by hand
        array.multiline(True)
    return array


def _settings_from(data: dict[str, Any], path: Path) -> tuple[Settings, list[str]]:
    settings = Settings()
    problems: list[str] = []

    def bad(where: str, expected: str) -> None:
        problems.append(f"{path}: {where} must be {expected}; it was ignored")

    watch = data.get("watch", {})
    if isinstance(watch, dict):
        terms = watch.get("terms", [])
        if isinstance(terms, list) and all(isinstance(t, str) for t in terms):
            settings.watch = list(dict.fromkeys(t.strip() for t in terms if t.strip()))
        else:
            bad("[watch] terms", 'a list of strings like ["diffusion", "\\"state space\\""]')
    else:
        bad("[watch]", "a table")
    searches = data.get("searches", {})
    if isinstance(searches, dict):
        for name, query in searches.items():
            if isinstance(query, str) and name.strip():
                settings.searches[name.strip()] = query
            else:
                bad(f"[searches] {name!r}", "a filter string")
    else:
        bad("[searches]", 'a table of name = "filter" lines')
    look = data.get("look", {})
    if isinstance(look, dict):
        theme = look.get("theme")
        if isinstance(theme, str) and theme.strip():
            settings.theme = theme.strip()
        elif theme is not None:
            bad("[look] theme", "a theme name")
        ascii_marks = look.get("ascii", False)
        if isinstance(ascii_marks, bool):
            settings.ascii = ascii_marks
        else:
            bad("[look] ascii", "true or false")
        utc = look.get("utc", False)
        if isinstance(utc, bool):
            settings.utc = utc
        else:
            bad("[look] utc", "true or false")
    else:
        bad("[look]", "a table")
    opening = data.get("open", {})
    if isinstance(opening, dict):
        browser = opening.get("browser")
        if isinstance(browser, str):
            settings.browser = browser.strip() or None
        elif browser is not None:
            bad("[open] browser", 'a command such as "firefox --new-tab %s"')
    else:
        bad("[open]", "a table")
    fetching = data.get("fetch", {})
    if isinstance(fetching, dict):
        names = fetching.get("sources", ["hf"])
        if isinstance(names, list) and names and all(isinstance(n, str) for n in names):
            settings.fetch_sources = list(dict.fromkeys(n.strip() for n in names if n.strip()))
        else:
            bad("[fetch] sources", 'a list such as ["hf", "arxiv:cs.CL"]')
        on_start = fetching.get("on_start", False)
        if isinstance(on_start, bool):
            settings.fetch_on_start = on_start
        else:
            bad("[fetch] on_start", "true or false")
    else:
        bad("[fetch]", "a table")
    _sync_settings(data.get("sync", {}), settings, bad)
    return settings, problems


def _sync_settings(sync: object, settings: Settings, bad: Any) -> None:
    if not isinstance(sync, dict):
        bad("[sync]", "a table")
        return
    for key, attr in (("name", "sync_name"), ("folder", "sync_folder")):
        value = sync.get(key)
        if isinstance(value, str):
            setattr(settings, attr, value.strip() or None)
        elif value is not None:
            bad(f"[sync] {key}", "a string")
    every = sync.get("every", 5)
    if isinstance(every, int | float) and not isinstance(every, bool) and 0.01 <= every <= 1440:
        settings.sync_minutes = float(every)
    else:
        bad("[sync] every", "a number of minutes between 0.01 and 1440")


__all__ = ["CONFIG_FILE", "ConfigError", "ConfigFile", "Settings"]


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise ConfigError("a saved search needs a name")
    return name
