"""The app's view of config.toml: watch list, saved searches and theme, kept on disk at once.

Each change re-reads the file first and changes only its own key, so an edit
made by hand while the app runs is not overwritten by the app's older copy.
"""

from __future__ import annotations

from tracker.config import ConfigError, ConfigFile, Settings
from tracker.library import Library
from tracker.search.watch import WatchEntry, WatchError, parse_entries, parse_entry

__all__ = ["ConfigError", "Preferences", "WatchError"]


class Preferences:
    """Settings plus the methods that change them (each raises ConfigError or WatchError)."""

    def __init__(self, config: ConfigFile) -> None:
        self.config = config
        self.settings, self.problems = config.load()
        self.library: Library | None = None

    @property
    def path(self) -> str:
        return str(self.config.path)

    def _fresh(self) -> Settings:
        settings, _ = self.config.load()
        return settings

    # -- watch list ------------------------------------------------------
    def watch_entries(self) -> tuple[list[WatchEntry], list[str]]:
        """Parsed entries and a sentence for each one that cannot be used."""
        entries, problems = parse_entries(self.settings.watch)
        return entries, [f"watch list in {self.path}: {problem}" for problem in problems]

    def attach(self, library: Library) -> list[str]:
        """Give the library the watch list; return problems to show."""
        self.library = library
        entries, problems = self.watch_entries()
        library.set_watch(entries)
        return problems

    def add_watch(self, text: str) -> str:
        """Add an entry (checked first); return it as stored."""
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
        self.config.set_watch(terms)
        self.settings.watch = terms
        if self.library is not None:
            self.library.set_watch(self.watch_entries()[0])

    # -- saved searches --------------------------------------------------
    @property
    def searches(self) -> dict[str, str]:
        return self.settings.searches

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
        self.config.set_searches(searches)
        self.settings.searches = searches

    # -- look ------------------------------------------------------------
    def set_theme(self, theme: str) -> None:
        if self.settings.theme != theme:
            self.config.set_theme(theme)
            self.settings.theme = theme


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise ConfigError("a saved search needs a name")
    return name
