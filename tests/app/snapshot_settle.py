"""What every snapshot waits for before the picture is taken (shared by the snapshot modules)."""

from __future__ import annotations

import contextlib

from textual.worker import WorkerCancelled

from tracker.app.widgets.detail_pane import DetailPane


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    # Search runs in a worker; the layout may take a refresh or two to settle.
    # A search replaced by a newer one (an exclusive worker) is cancelled and,
    # on Python 3.13, may still be listed when we get here: it is done for our
    # purpose, while `workers.wait_for_complete()` raises WorkerCancelled for it.
    # A worker that failed still fails the test.
    for worker in list(pilot.app.workers):
        with contextlib.suppress(WorkerCancelled):
            await worker.wait()
    await pilot.pause()
    # The pane follows a search's first row once typing pauses (a timer), and
    # related papers appear on a short timer after the cursor settles: show
    # both now, whatever the machine's load.
    for pane in pilot.app.screen.query(DetailPane):
        pane.show_pending()
        pane.refresh_related()
    pilot.app.clear_notifications()
    await pilot.wait_for_scheduled_animations()
    await pilot.pause(0.1)
