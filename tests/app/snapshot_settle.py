"""What every snapshot waits for before the picture is taken (shared by the snapshot modules)."""

from __future__ import annotations

from tracker.app.widgets.detail_pane import DetailPane


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    # Search runs in a worker; the layout may take a refresh or two to settle.
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    # Related papers appear on a short timer after the cursor settles; show them now.
    for pane in pilot.app.screen.query(DetailPane):
        pane.refresh_related()
    pilot.app.clear_notifications()
    await pilot.wait_for_scheduled_animations()
    await pilot.pause(0.1)
