"""Give freed memory back to the operating system promptly (glibc only).

A search at 100,000 papers builds sets of tens of thousands of positions
(a few MB each) and drops them at the next keystroke. glibc's malloc serves
such blocks from ``mmap`` at first, but after the first one is freed it raises
its threshold (up to 32 MB) and keeps later ones in the heap, where freed
space is rarely returned: the app's resident size crept up by some 40 MB
while typing, and its peak was 405-430 MB instead of 380 (measured with
``python -m benchmarks.run --papers 100000``). Fixing the thresholds keeps
large blocks in their own mappings, unmapped when freed, at the cost of fresh
page faults when they are made again (a few ms per search at 100,000 papers,
nothing at 10,000, where the sets stay below the threshold).

Elsewhere (macOS, musl, Windows) this does nothing: those allocators differ.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

# <malloc.h>: mallopt parameters.
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3

LARGE_BLOCK = 1024 * 1024
"""Blocks this large or larger get their own mapping (a set of ~40,000 positions)."""

TRIM_THRESHOLD = 1024 * 1024
"""Free space at the top of the heap beyond this is returned to the system."""


def return_freed_memory_promptly() -> bool:
    """Set glibc's malloc thresholds (see the module docstring); True if it did."""
    if not sys.platform.startswith("linux"):
        return False
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc (musl has no mallopt)
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return bool(mallopt(_M_MMAP_THRESHOLD, LARGE_BLOCK)) and bool(
        mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD)
    )
