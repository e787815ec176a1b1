"""What a fetch running in the background is doing, in the filter row (it never takes focus)."""

from __future__ import annotations

from textual.widgets import Label


class FetchStatus(Label):
    """``⇣ fetching hf 2/5 · 2026-08-19``, then ``⇣ importing hf 1/5 · …``: shown while a fetch runs."""

    DEFAULT_CSS = """
    FetchStatus {
        width: auto; max-width: 40%; height: 1; padding: 0 1;
        color: $warning; background: $panel; text-style: bold;
    }
    """

    def show_progress(
        self, name: str, done: int, total: int, what: str, *, verb: str = "fetching"
    ) -> None:
        counted = f" {done + 1}/{total}" if total > 1 else ""
        self.update(f"⇣ {verb} {name}{counted} · {what}")
