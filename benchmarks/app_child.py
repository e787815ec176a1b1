"""The app side of the benchmark: run in a child process by ``benchmarks.run``.

``python -m benchmarks.app_child --data-dir D --out R.json [--cold-only] ...``

Runs the real :class:`tracker.app.app.TrackerApp` headless
(``app.run_test(size=(120, 40))``) and writes its measurements as JSON:

* ``ready_wall``: ``time.time()`` of the first frame that shows the main
  screen's paper list with its hits (the parent subtracts its own
  ``time.time()`` taken just before it spawned this process: cold start).
* keystrokes: per key, the time from sending the key event to the first frame
  in which the paper list was repainted with the hits for the text typed so far;
  also the time until the hits reached the list (before waiting for the frame)
  and the time the search itself took in the worker thread.
* scrolling: per page-down, the time until the frame with the repainted list.
* ``maxrss_mb``: this process's own peak RSS (``VmHWM``).

Nothing in tracker/ is changed: the probes wrap three methods on the classes in
this process only (``PaperList.set_hits``, ``PaperList.render_line`` and
``TrackerApp._display``, the call that hands a composed frame to the terminal
driver; headless, the frame is composed and then dropped).

Imports are deliberately inside :func:`main`: cold start includes importing the app.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import resource
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

FRAME_TIMEOUT_S = 60.0
TYPING_GAP_S = 0.03  # pause after each key's frame (a fast typist), so keys do not overlap


class GcWatch:
    """Time spent in the cyclic garbage collector, per generation (gc.callbacks)."""

    def __init__(self) -> None:
        self.pauses: dict[int, list[float]] = {0: [], 1: [], 2: []}
        self._start = 0.0
        self.active = False

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        elif self.active:
            self.pauses[info["generation"]].append((time.perf_counter() - self._start) * 1000)

    def summary(self) -> dict[str, Any]:
        return {
            f"gen{g}": {
                "collections": len(p),
                "total_ms": round(sum(p), 1),
                "max_ms": round(max(p), 1) if p else 0.0,
            }
            for g, p in self.pauses.items()
        }


class Probe:
    """Timestamps of list updates and frames, set by the wrapped methods."""

    def __init__(self) -> None:
        self.hits_serial = 0  # set_hits calls so far
        self.hits_time = 0.0  # perf_counter() of the newest set_hits
        self.hits_count = 0
        self.set_hits_ms = 0.0  # how long the newest PaperList.set_hits took
        self.paint_serial = 0  # newest hits_serial for which a list row was rendered
        self.paints = 0  # render_line calls
        self.frame_serial = 0  # newest hits_serial shown in a frame
        self.frame_time = 0.0  # perf_counter() of the frame that showed frame_serial
        self.list_frame_paints = 0  # paints seen by the newest frame that repainted the list
        self.list_frame_time = 0.0  # perf_counter() of that frame
        self.ready_wall: float | None = None  # time.time() of the first frame with hits
        self.frames = 0
        self.update_start = 0.0  # perf_counter() when the newest screen update began
        self.frame_start = 0.0  # update_start of the frame that showed frame_serial

    def install(self, app_cls: type[Any], list_cls: type[Any], screen_cls: type[Any]) -> None:
        probe = self
        orig_set_hits = list_cls.set_hits
        orig_render_line = list_cls.render_line
        orig_display = app_cls._display
        orig_timer_update = screen_cls._on_timer_update

        def _on_timer_update(self: Any) -> None:
            probe.update_start = time.perf_counter()
            orig_timer_update(self)

        def set_hits(self: Any, hits: list[Any], **options: Any) -> None:
            start = time.perf_counter()
            orig_set_hits(self, hits, **options)
            probe.hits_serial += 1
            probe.hits_time = time.perf_counter()
            probe.set_hits_ms = (probe.hits_time - start) * 1000
            probe.hits_count = len(hits)

        def render_line(self: Any, y: int) -> Any:
            probe.paint_serial = probe.hits_serial
            probe.paints += 1
            return orig_render_line(self, y)

        def _display(self: Any, screen: Any, renderable: Any) -> None:
            orig_display(self, screen, renderable)
            if renderable is None:
                return
            now = time.perf_counter()
            probe.frames += 1
            if probe.paints != probe.list_frame_paints:
                probe.list_frame_paints = probe.paints
                probe.list_frame_time = now
            if probe.paint_serial == probe.hits_serial > probe.frame_serial:
                probe.frame_serial = probe.hits_serial
                probe.frame_time = now
                probe.frame_start = probe.update_start
                if probe.ready_wall is None and probe.hits_count > 0:
                    probe.ready_wall = time.time()

        list_cls.set_hits = set_hits
        list_cls.render_line = render_line
        app_cls._display = _display
        screen_cls._on_timer_update = _on_timer_update


async def wait_until(predicate: Callable[[], bool], timeout: float = FRAME_TIMEOUT_S) -> bool:
    deadline = time.perf_counter() + timeout
    while not predicate():
        if time.perf_counter() > deadline:
            return False
        await asyncio.sleep(0.0005)
    return True


def _key_of(char: str) -> str:
    from textual.keys import _character_to_key

    return _character_to_key(char)


async def _enter_and_wait(screen: Any, probe: Probe, text: str) -> bool:
    """Put ``text`` in the filter box; True once a frame shows the results of its search.

    Results of searches started before (a list shown anew) do not count: only
    hits handed to the list after the screen started this text's search.
    """
    from textual.widgets import Input

    searches = screen._search_serial
    screen.query_one("#filter", Input).value = text
    if not await wait_until(lambda: screen._search_serial > searches):
        return False
    serial = probe.hits_serial
    return await wait_until(
        lambda: probe.hits_serial > serial and probe.frame_serial == probe.hits_serial
    )


async def _import_then_search(
    app: Any, screen: Any, probe: Probe, args: argparse.Namespace
) -> dict[str, Any]:
    """A day's import with the app open, then a search for one of its papers.

    As the import dialog does it: ``Library.import_files`` on the UI thread,
    then the main screen shown anew (``refresh_all``). Measured: the import,
    and from its end to the first frame that shows the results of a query
    entered right then (which needs the new papers' words).
    """
    library = app.library
    await app.workers.wait_for_complete()  # the saved index loaded, as long after a start
    if not await wait_until(lambda: library.index.is_built, 300):
        return {"error": "the index was never built"}
    await asyncio.sleep(0.2)
    start = time.perf_counter()
    library.import_files([args.import_file])
    screen.refresh_all()
    imported = time.perf_counter()
    out: dict[str, Any] = {"import_in_app_s": imported - start, "papers_after": len(library)}
    if await _enter_and_wait(screen, probe, args.after_import_query):
        out["search_after_import_s"] = probe.frame_time - imported
        out["search_after_import_hits"] = probe.hits_count
    await app.workers.wait_for_complete()
    return out


async def drive(args: argparse.Namespace, probe: Probe) -> dict[str, Any]:
    from textual import events
    from textual.widgets import Input

    from tracker.app.app import TrackerApp
    from tracker.app.runtime import prepare_process
    from tracker.app.screens.main import MainScreen

    result: dict[str, Any] = {}
    prepare_process()  # as `tracker` does before it starts the app
    app = TrackerApp(Path(args.data_dir), config=Path(args.config))
    async with app.run_test(size=(120, 40)) as pilot:
        if not await wait_until(lambda: probe.ready_wall is not None, args.ready_timeout):
            result["error"] = "the main screen never showed a list with hits"
            return result
        result["ready_wall"] = probe.ready_wall
        assert app.library is not None
        result["papers"] = len(app.library)
        result["hits_at_start"] = probe.hits_count
        screen = app.screen
        assert isinstance(screen, MainScreen)
        library = app.library
        if args.first_search:
            # A search typed at the first frame (as on a library just imported,
            # with no saved index yet): until the frame that shows its results.
            start = time.perf_counter()
            if await _enter_and_wait(screen, probe, args.first_search):
                result["first_search_wall"] = time.time() - (time.perf_counter() - probe.frame_time)
                result["first_search_s"] = probe.frame_time - start
                result["first_search_hits"] = probe.hits_count
            return result
        if args.import_file:
            result.update(await _import_then_search(app, screen, probe, args))
            return result
        if args.cold_only:
            return result
        driver = app._driver
        assert driver is not None

        search_ms: list[float] = []
        orig_search = library.search  # what the list's search worker calls

        def timed_search(*a: Any, **k: Any) -> Any:
            start = time.perf_counter()
            try:
                return orig_search(*a, **k)
            finally:
                search_ms.append((time.perf_counter() - start) * 1000)

        library.search = timed_search  # type: ignore[method-assign]
        filt = screen.query_one("#filter", Input)

        async def send(key: str, char: str | None) -> float:
            event = events.Key(key, char)
            event.set_sender(app)
            start = time.perf_counter()
            driver.send_message(event)
            return start

        def results_shown(text: str, serial: int) -> Callable[[], bool]:
            """True once a frame shows the hits of a search for ``text`` newer than ``serial``."""

            def check() -> bool:
                return (
                    filt.value == text
                    and screen.current_query_text() == text
                    and probe.hits_serial > serial
                    and probe.frame_serial == probe.hits_serial
                )

            return check

        def list_repainted(paints: int, since: float) -> Callable[[], bool]:
            """True once a frame after ``since`` shows list rows painted after ``paints``."""

            def check() -> bool:
                return (
                    probe.paints > paints
                    and probe.list_frame_paints == probe.paints
                    and probe.list_frame_time > since
                )

            return check

        async def settle() -> None:
            await app.workers.wait_for_complete()
            await asyncio.sleep(TYPING_GAP_S)

        await pilot.press("slash")
        await wait_until(lambda: filt.has_focus, 10)
        gc_watch = GcWatch()
        gc.callbacks.append(gc_watch)
        gc_watch.active = True
        keys: list[dict[str, Any]] = []
        clears: list[float] = []
        timeouts = 0
        for query in json.loads(args.queries):
            typed = ""
            for char in query:
                typed += char
                before = probe.hits_serial
                start = await send(_key_of(char), char)
                ok = await wait_until(results_shown(typed, before))
                if not ok:
                    timeouts += 1
                    continue
                keys.append(
                    {
                        "query": query,
                        "typed": typed,
                        "frame_ms": (probe.frame_time - start) * 1000,
                        "hits_ms": (probe.hits_time - start) * 1000,
                        "render_ms": (probe.frame_time - max(probe.frame_start, probe.hits_time))
                        * 1000,
                        "search_ms": search_ms[-1] if search_ms else None,
                        "set_hits_ms": probe.set_hits_ms,
                        "hits": probe.hits_count,
                    }
                )
                await settle()
            before = probe.hits_serial
            start = await send("ctrl+u", None)
            if await wait_until(results_shown("", before)):
                clears.append((probe.frame_time - start) * 1000)
            await settle()
        gc_watch.active = False
        result["keystroke_gc"] = gc_watch.summary()
        result["keystrokes"] = keys
        result["clear_ms"] = clears
        result["keystroke_timeouts"] = timeouts

        # Scrolling: back to the list (Esc with an empty filter focuses it), page down.
        await pilot.press("escape")
        plist = screen.paper_list
        await wait_until(lambda: plist.has_focus, 10)
        await settle()
        pages: list[float] = []
        for _ in range(args.scroll_pages):
            old = plist.cursor
            if old >= len(plist.hits) - 1:
                break
            paints = probe.paints
            start = await send("pagedown", None)
            ok = await wait_until(list_repainted(paints, start))
            if ok:
                pages.append((probe.list_frame_time - start) * 1000)
            await app.workers.wait_for_complete()
            await asyncio.sleep(0.005)
        result["scroll_ms"] = pages
        result["scroll_rows_per_page"] = plist.scrollable_content_region.height
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--config", required=True, help="an empty config dir (no keymap)")
    parser.add_argument("--out", required=True, help="where to write the JSON result")
    parser.add_argument("--cold-only", action="store_true", help="exit once the list shows")
    parser.add_argument("--queries", default="[]", help="JSON list of queries to type")
    parser.add_argument("--scroll-pages", type=int, default=40)
    parser.add_argument("--ready-timeout", type=float, default=300.0)
    parser.add_argument(
        "--first-search", default="", help="enter this query at the first frame; time its results"
    )
    parser.add_argument("--import-file", default="", help="import this file with the app open")
    parser.add_argument("--after-import-query", default="", help="then search for this")
    args = parser.parse_args()

    from textual.screen import Screen

    from tracker.app.app import TrackerApp
    from tracker.app.widgets.paper_list import PaperList

    probe = Probe()
    probe.install(TrackerApp, PaperList, Screen)
    result = asyncio.run(drive(args, probe))
    from benchmarks.measure import vm_hwm_mb  # after the run: not part of cold start

    # Its own peak (VmHWM): ru_maxrss would include the parent's (see measure.py).
    result["maxrss_mb"] = vm_hwm_mb() or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["frames"] = probe.frames
    Path(args.out).write_text(json.dumps(result), encoding="utf-8")


if __name__ == "__main__":
    main()
