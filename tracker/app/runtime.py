"""How the app's process manages memory: set once before the app runs, and at two moments after.

The app keeps a large library in memory for hours and makes a new result set
on every keystroke. Python's and glibc's defaults suit neither, so:

- :func:`prepare_process`, once, before the app is made (``tracker`` calls it
  before it starts the app; so does the benchmark): freed large blocks go
  back to the system at once (tracker/memory.py), the cyclic garbage
  collector runs its young collections less often, and a thread indexing
  in the background gives the interpreter up to the event loop sooner;
- :func:`keep_out_of_collections` after the library is read and after the
  word index is built: what exists then lives as long as the app;
- :func:`collect_garbage` after a new result set is on screen.
"""

from __future__ import annotations

import gc
import sys

from tracker.memory import return_freed_memory_promptly

GC_YOUNG_THRESHOLD = 20_000
"""Allocations between automatic young collections (CPython's default: 700).

Drawing a frame allocates some 7,000 objects, so the default young
generation was collected ten times inside every frame. The main screen
collects once after each new result set is on screen (:func:`collect_garbage`),
so a larger young generation only moves that work out of the frame."""


SWITCH_INTERVAL_S = 0.0005
"""How long a thread that wants the interpreter waits for a busy one to give it up
(``sys.setswitchinterval``; CPython's default: 5 ms).

The app's event loop gives the interpreter up at every turn (it waits for
input), and a thread indexing in the background does not: each turn of the
loop then waited up to the whole interval for it, and drawing a frame takes
dozens of turns. Measured with a busy thread beside an asyncio loop: 200
turns took 1.8 s at 5 ms, 0.3-0.5 s at 0.5 ms. On a first start, the list's
first frame and the first search's results came up to a second later."""


def prepare_process() -> None:
    """Set the process's memory behaviour for the app; call once, before the app is made."""
    sys.setswitchinterval(SWITCH_INTERVAL_S)
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
