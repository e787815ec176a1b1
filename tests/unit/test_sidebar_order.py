"""The order of digests (the sidebar, tracker digests, stats): newest day first, undated after."""

from __future__ import annotations

from tracker.library.digest_order import newest_first
from tracker.models import Digest


def _stats(label: str, date: str | None = None) -> Digest:
    return Digest(label, label, date, f"{label}.txt", "0" * 64, "2026-12-03T00:00:00")


def test_undated_days_come_latest_first_after_the_dated_ones() -> None:
    stats = [
        _stats("Mar 8"),
        _stats("Reading group picks"),
        _stats("Oct 9 2024", "2024-10-09"),
        _stats("Aug 6"),
        _stats("HF daily, Sept. 3"),
        _stats("Archive"),
        _stats("Oct 7 2024", "2024-10-07"),
    ]
    assert [d.label for d in newest_first(stats)] == [
        "Oct 9 2024",
        "Oct 7 2024",
        # Named days without a year: by the day they name, not alphabetically
        # (which put "Aug 6" before "Mar 8" and "HF daily, Sept. 3" among the rest).
        "HF daily, Sept. 3",
        "Aug 6",
        "Mar 8",
        # The rest by label.
        "Archive",
        "Reading group picks",
    ]
