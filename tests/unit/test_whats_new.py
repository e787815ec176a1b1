"""What's new: which papers, in what order, as what Markdown."""

from __future__ import annotations

import datetime as dt

import pytest

from tracker import whats_new
from tracker.models import Digest, Paper, Status

NOW = dt.datetime(2026, 11, 23, 7, 0, tzinfo=dt.UTC)


def test_parse_since_dates_times_and_durations() -> None:
    assert whats_new.parse_since("2026-11-20", NOW) == dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
    assert whats_new.parse_since("2026-11-20T07:30", NOW) == dt.datetime(
        2026, 11, 20, 7, 30, tzinfo=dt.UTC
    )
    assert whats_new.parse_since("2026-11-20T08:30+01:00", NOW) == dt.datetime(
        2026, 11, 20, 7, 30, tzinfo=dt.UTC
    )
    assert whats_new.parse_since("36h", NOW) == NOW - dt.timedelta(hours=36)
    assert whats_new.parse_since(" 7d ", NOW) == NOW - dt.timedelta(days=7)
    assert whats_new.parse_since("2W", NOW) == NOW - dt.timedelta(weeks=2)
    with pytest.raises(whats_new.SinceError, match="'yesterday' is not a date"):
        whats_new.parse_since("yesterday", NOW)


def _digest(did: str, label: str, imported: str, pids: list[str]) -> Digest:
    return Digest(did, label, None, f"{did}.txt", did, imported, pids)


@pytest.fixture
def world() -> tuple[list[Digest], dict[str, Paper], dict[str, Status]]:
    digests = [
        _digest("old", "Nov 01", "2026-11-01T07:00:00.000Z", ["p1", "p2"]),
        # Imported in one command: same time, library order kept.
        _digest("d2", "Nov 21", "2026-11-22T08:00:00.000Z", ["p3", "p1", "p4"]),
        _digest("d3", "Nov 22", "2026-11-22T08:00:00.000Z", ["p4", "p5"]),
        _digest("d0", "Nov 20", "2026-11-22T07:00:00.000Z", ["p6"]),
    ]
    papers = {
        "p1": Paper("p1", "Seen before", "Old news. More.", ["old", "d2"]),
        "p2": Paper("p2", "Only old", "", ["old"]),
        "p3": Paper("p3", "Fresh *star* [link](x) <b>", "First sentence. Second one.", ["d2"]),
        "p4": Paper("p4", "In two new digests", "", ["d2", "d3"], arxiv_id="2411.00001"),
        "p5": Paper("p5", "Watched one", "About state space models.", ["d3"], url="https://e.x/5"),
        "p6": Paper("p6", "Earlier import", "", ["d0"]),
    }
    statuses = dict.fromkeys(papers, Status.NEW) | {"p1": Status.TO_READ}
    return digests, papers, statuses


def _collect(world, since: dt.datetime, **kwargs: object) -> whats_new.WhatsNew:  # type: ignore[no-untyped-def]
    digests, papers, statuses = world
    return whats_new.collect(
        since,
        digests,
        papers.__getitem__,
        statuses.__getitem__,
        {"p5": 'state space "models"'},
        **kwargs,  # type: ignore[arg-type]
    )


def test_collect_orders_by_import_then_page_and_lists_each_paper_once(world) -> None:  # type: ignore[no-untyped-def]
    result = _collect(world, NOW - dt.timedelta(hours=24))
    assert [d.id for d in result.digests] == ["d0", "d2", "d3"]
    assert [e.paper.id for e in result.entries] == ["p6", "p3", "p1", "p4", "p5"]
    assert [e.digest.id for e in result.entries] == ["d0", "d2", "d2", "d2", "d3"]
    assert [e.paper.id for e in result.entries if e.seen_before] == ["p1"]
    assert [e.paper.id for e in result.watched] == ["p5"]


def test_markdown_watched_first_then_digests_then_known(world) -> None:  # type: ignore[no-untyped-def]
    text = whats_new.markdown(_collect(world, NOW - dt.timedelta(hours=24)))
    assert text.startswith("# What's new since 2026-11-22 07:00 UTC\n")
    assert (
        "3 digests imported: Nov 20 (1 paper), Nov 21 (3 papers), Nov 22 (2 papers). "
        "5 papers, 4 new to the library; 1 on the watch list." in text
    )
    order = [
        "## Watched (1)",
        '- **Watched one** · watch: `state space "models"` · Nov 22 · <https://e.x/5>\\',
        "  About state space models.",
        "## Nov 20 (1 paper)",
        "## Nov 21 (2 papers)",
        "- **Fresh \\*star\\* \\[link\\](x) \\<b\\>**\\",
        "  First sentence.",
        "- **In two new digests** · [arXiv 2411.00001](https://arxiv.org/abs/2411.00001)",
        "## Already in the library (1)",
        "- **Seen before** · Nov 21 · to-read",
    ]
    positions = [text.index(line) for line in order]
    assert positions == sorted(positions)
    assert "## Nov 22" not in text  # its papers are listed above (watched or under Nov 21)
    assert text.count("In two new digests") == 1
    assert "Old news" not in text  # known papers are listed briefly


def test_watched_only_and_nothing_new(world) -> None:  # type: ignore[no-untyped-def]
    only = whats_new.markdown(_collect(world, NOW - dt.timedelta(hours=24), watched_only=True))
    assert "## Watched (1)" in only and "## Nov 21" not in only and "Already" not in only
    quiet = _collect(world, NOW)
    assert quiet.empty
    assert whats_new.markdown(quiet) == "Nothing new since 2026-11-23 07:00 UTC.\n"
    digests, papers, statuses = world
    no_watch = whats_new.collect(
        NOW - dt.timedelta(hours=24),
        digests,
        papers.__getitem__,
        statuses.__getitem__,
        {},
        watched_only=True,
    )
    assert whats_new.markdown(no_watch) == "No watched paper since 2026-11-22 07:00 UTC.\n"


def test_empty_library_and_unreadable_import_times() -> None:
    assert whats_new.collect(NOW, [], str, str, {}).empty  # type: ignore[arg-type]
    odd = [_digest("x", "X", "not a time", ["p"])]
    assert whats_new.new_digests(odd, NOW - dt.timedelta(days=1)) == []


def test_long_abstracts_are_cut_at_a_word() -> None:
    text = "word " * 100
    snippet = whats_new._snippet(text)
    assert snippet.endswith(" …") and len(snippet) <= whats_new.SNIPPET + 2
