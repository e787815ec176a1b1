"""Opening a paper in the browser from any screen that lists papers (main list, what's new)."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen

from tracker import browser
from tracker.models import Paper


def open_paper(screen: Screen[Any], paper: Paper, what: str, command: str | None) -> None:
    """Open the paper's page (``what`` "page") or PDF ("pdf") in a worker: a browser may take seconds.

    ``command``: the browser setting of config.toml (None: the system's).
    """
    url = browser.pdf_url(paper) if what == "pdf" else browser.paper_url(paper)
    if url is None:
        screen.notify(
            "This paper has no arXiv id or PDF link; o opens its page.", severity="warning"
        )
        return

    def open_in_worker() -> None:
        opened = browser.open_url(url, command)
        severity = "information" if opened.ok else "warning"
        timeout = 4 if opened.ok else 30  # long enough to copy the address
        screen.app.call_from_thread(
            screen.notify, opened.message, severity=severity, timeout=timeout
        )

    screen.notify(f"Opening {url}…", timeout=2)
    screen.run_worker(open_in_worker, thread=True, group="open")
