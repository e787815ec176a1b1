"""The status keys of every screen that lists papers (the main list, What's new).

One list, so the keys and their binding ids are the same everywhere and a
remap in keymap.toml applies to each screen.
"""

from __future__ import annotations

from textual.binding import Binding

STATUS_BINDINGS = [
    Binding("t", "status('to-read')", "To read", id="status.to_read"),
    Binding("r", "status('reading')", "Reading", show=False, id="status.reading"),
    Binding("x", "status('read')", "Read", id="status.read"),
    Binding("s", "status('skipped')", "Skip", id="status.skipped"),
    Binding("n", "status('new')", "New", show=False, id="status.new"),
]
