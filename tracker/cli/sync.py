"""``tracker sync DIR [--watch]``: several machines through a synced folder."""

from __future__ import annotations

import argparse
import datetime as dt
import signal
import sys
import threading
from types import FrameType

from tracker.cli.common import open_library, settings_for
from tracker.library import LibraryError, StoreError
from tracker.library.sync_text import sync_lines
from tracker.library.syncing import machine_name


def _sync_once(args: argparse.Namespace, name: str) -> None:
    with open_library(args, write=True) as lib:
        report = lib.sync(args.folder, name, with_library=args.with_library)
        for line, warning in sync_lines(lib, report):
            if warning:
                print(f"tracker: warning: {line}", file=sys.stderr)
            else:
                print(line)


def cmd_sync(args: argparse.Namespace) -> int:
    name = machine_name(args.name, settings_for(args).sync_name)
    if not args.watch:
        _sync_once(args, name)
        return 0
    minutes = args.every if args.every is not None else settings_for(args).sync_minutes
    if not 0.01 <= minutes <= 1440:
        print("tracker: --every takes minutes between 0.01 and 1440", file=sys.stderr)
        return 2
    stop = threading.Event()

    def interrupted(_signum: int, _frame: FrameType | None) -> None:
        # The round under way finishes (its writes are each atomic anyway);
        # then the loop ends instead of waiting for the next round.
        stop.set()

    previous = signal.signal(signal.SIGINT, interrupted)
    try:
        while not stop.is_set():
            stamp = dt.datetime.now().strftime("%H:%M:%S")
            print(f"[{stamp}] syncing through {args.folder} as {name}", flush=True)
            try:
                _sync_once(args, name)
            except (LibraryError, StoreError) as err:
                print(
                    f"tracker: {err}; trying again in {minutes:g} min", file=sys.stderr, flush=True
                )
            sys.stdout.flush()
            stop.wait(minutes * 60)
    finally:
        signal.signal(signal.SIGINT, previous)
    print("stopped syncing")
    return 0
