"""`tracker keys`: the app's keys in effect, and `--check` of keymap.toml."""

from __future__ import annotations

import argparse

from tracker.locations import config_dir

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
        print(f"{directory / KEYMAP_FILE}: fine ({checked.remapped} bindings remapped)")
        return 0
    seen: set[str] = set()
    for place, bindings in situations(TrackerApp.BINDINGS).items():
        rows = [b for b in bindings if b.id and b.id not in seen]
        if not rows:
            continue
        print(place)
        for binding in rows:
            assert binding.id is not None
            seen.add(binding.id)
            keys = checked.keymap.get(binding.id, binding.key)
            print(f"  {binding.id:<28}{keys:<22}{binding.description}")
    for problem in checked.problems:
        print(f"tracker: {problem}")
    return 1 if checked.problems else 0
