"""How the app's process manages memory: set once before the app runs, and at two moments after.

The app keeps a large library in memory for hours and makes a new result set
on every keystroke. Python's and glibc's defaults suit neither, so:

- :func:`prepare_process`, once, before the app is made (``tracker`` calls it
  before it starts the app; so does the benchmark): freed large blocks go
  back to the system at once (tracker/memory.py), and the cyclic garbage
  collector runs its young collections less often;
- :func:`keep_out_of_collections` after the library is read and after the
  word index is built: what exists then lives as long as the app;
- :func:`collect_garbage` after a new result set is on screen.
"""

from __future__ import annotations

import gc

from tracker.memory import return_freed_memory_promptly

GC_YOUNG_THRESHOLD = 20_000
"""Allocations between automatic young collections (CPython's default: 700).

Drawing a frame allocates some 7,000 objects, so the default young
generation was collected ten times inside every frame. The main screen
collects once after each new result set is on screen (:func:`collect_garbage`),
so a larger young generation only moves that work out of the frame."""


def prepare_process() -> None:
    """Set the process's memory behaviour for the app; call once, before the app is made."""
    # Before the library is read: its load and every search make and drop
    # blocks of megabytes (see tracker/memory.py).
    return_freed_memory_promptly()
    gc.set_threshold(GC_YOUNG_THRESHOLD, *gc.get_threshold()[1:])


def keep_out_of_collections() -> None:
    """Everything made so far lives as long as the app: the collector stops walking it.

    Measured: without it, full collections paused typing for 250 ms at
    100,000 papers.
    """
    gc.freeze()


def collect_garbage() -> None:
    """Collect what the last keystroke left behind, once its frame is out.

    Every keystroke leaves thousands of objects behind (the previous
    results, rendered lines; Textual's lines reference themselves, so only
    the cyclic collector frees them). Collected here instead of by an
    automatic collection in the middle of the next keystroke; a full
    collection when one is due.
    """
    full = gc.get_count()[2] + 1 >= gc.get_threshold()[2]
    gc.collect(2 if full else 1)
