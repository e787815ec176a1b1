"""`tracker keys`: the app's keys in effect, and `--check` of keymap.toml."""

from __future__ import annotations

import argparse

from tracker.locations import config_dir
from tracker.wording import counted

KEYMAP_FILE = "keymap.toml"
"""As tracker.app.keymap names it (not imported: that module is the app's)."""


def cmd_keys(args: argparse.Namespace) -> int:
    # The bindings live in the app's classes: this command imports the app
    # (Textual) to read them, as starting the TUI does.
    from tracker.app.app import TrackerApp
    from tracker.app.keymap_check import check_file, situations

    directory = config_dir()
    checked = check_file(directory, TrackerApp.BINDINGS)
    if args.check and not (directory / KEYMAP_FILE).exists():
        print(f"{directory / KEYMAP_FILE}: no such file; the default keys apply")
        return 0
    if args.check:
        for problem in checked.problems:
            print(f"tracker: {problem}")
        if checked.problems:
            return 1
        print(f"{directory / KEYMAP_FILE}: fine ({counted(checked.remapped, 'binding')} remapped)")
        return 0
    seen: set[str] = set()
    places: list[tuple[str, list[tuple[str, str, str]]]] = []
    for place, bindings in situations(TrackerApp.BINDINGS).items():
        rows = []
        for binding in bindings:
            if binding.id and binding.id not in seen:
                seen.add(binding.id)
                keys = checked.keymap.get(binding.id, binding.key)
                rows.append((binding.id, keys, binding.description))
        if rows:
            places.append((place, rows))
    # Columns as wide as their longest entry: a list of keys ("escape,q,question_mark")
    # ran into its description.
    id_width = max((len(r[0]) for _, rows in places for r in rows), default=0) + 2
    key_width = max((len(r[1]) for _, rows in places for r in rows), default=0) + 2
    for place, rows in places:
        print(place)
        for binding_id, keys, description in rows:
            print(f"  {binding_id:<{id_width}}{keys:<{key_width}}{description}")
    for problem in checked.problems:
        print(f"tracker: {problem}")
    return 1 if checked.problems else 0
