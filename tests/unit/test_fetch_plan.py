"""An arXiv category's feed as `tracker fetch` reads it, and the days a fetch asks for."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fake_services import arxiv_rss
from tracker import sources
from tracker.fetching import PlanError, Remote, parse_remote, plan_days
from tracker.models import Digest
from tracker.sources.parsed import DigestError


def test_arxiv_replacements_are_not_papers_of_the_day() -> None:
    papers = [("A New Paper On Routing", "We route."), ("Another New Paper", "We study.")]
    old = [("An Older Paper, Revised", "Version two.")]
    data = arxiv_rss("cs.CL", dt.date(2026, 8, 19), papers, replaced=old)
    parsed = sources.parse_bytes(data, "cs.CL.xml")
    assert [p.title for p in parsed.digest.papers] == [t for t, _ in papers]
    [warning] = parsed.digest.warnings
    assert "1 item announced as replacements (new versions of older papers) skipped" in str(warning)
    assert parsed.digest.papers[0].abstract == "We route."
    with pytest.raises(DigestError, match="it has only replacements of older papers"):
        sources.parse_bytes(arxiv_rss("cs.CL", dt.date(2026, 8, 19), [], replaced=old), "r.xml")


# Words as titles have them, in any script, with the punctuation titles use (markup
# characters in a title make the importer distrust the page: tracker.sources.title_check).
_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(whitelist_categories=("L", "Nd")),
        st.sampled_from(" :-,.?!'&/\"\n\t"),
    ),
    min_size=1,
    max_size=60,
).filter(lambda s: any(c.isalnum() for c in s))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_TEXT, _TEXT), min_size=1, max_size=6, unique_by=lambda p: p[0]))
def test_every_item_of_an_arxiv_feed_is_one_paper_with_its_title(
    papers: list[tuple[str, str]],
) -> None:
    data = arxiv_rss("cs.CL", dt.date(2026, 8, 19), papers)
    parsed = sources.parse_bytes(data, "cs.CL.xml")
    assert parsed.format == "feed"
    got = [p.title for p in parsed.digest.papers]
    assert got == [" ".join(t.split()) for t, _ in papers]
    assert parsed.digest.sections[0].date == "2026-08-19"


# -- the days a fetch asks for ---------------------------------------------------------

TODAY = dt.date(2026, 8, 21)


def _fetched(*days: dt.date) -> list[Digest]:
    return [
        Digest(f"d{n}", "x", d.isoformat(), f"hf-daily-{d.isoformat()}.json", "s", "t")
        for n, d in enumerate(days)
    ]


def test_plain_fetch_is_yesterday_then_catches_up() -> None:
    hf = Remote("hf")
    assert plan_days(hf, [], today=TODAY).days == [dt.date(2026, 8, 20)]
    plan = plan_days(hf, _fetched(dt.date(2026, 8, 17)), today=TODAY)
    assert plan.days == [dt.date(2026, 8, d) for d in (18, 19, 20)]
    # A long pause: at most two weeks back.
    plan = plan_days(hf, _fetched(dt.date(2026, 1, 1)), today=TODAY)
    assert len(plan.days) == 14 and plan.days[-1] == dt.date(2026, 8, 20)
    assert plan_days(hf, _fetched(dt.date(2026, 8, 20)), today=TODAY).days == []


def test_since_and_date_leave_out_days_already_fetched() -> None:
    hf = Remote("hf")
    plan = plan_days(hf, _fetched(dt.date(2026, 8, 19)), today=TODAY, since="2026-08-18")
    assert plan.days == [dt.date(2026, 8, 18), dt.date(2026, 8, 20)]
    assert plan.fetched == [dt.date(2026, 8, 19)]
    assert plan_days(hf, [], today=TODAY, date="2026-08-21").days == [TODAY]
    assert plan_days(hf, [], today=TODAY, since="3d").days[0] == dt.date(2026, 8, 18)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"date": "2026-08-22"}, "in the future"),
        ({"date": "Aug 20"}, "not a date like 2026-08-20"),
        ({"since": "2026-08-21"}, "leaves no whole day before today"),
        ({"since": "2024-01-01"}, "more than 366 days"),
    ],
)
def test_impossible_days_are_refused(kwargs: dict[str, str], message: str) -> None:
    with pytest.raises(PlanError, match=message):
        plan_days(Remote("hf"), [], today=TODAY, **kwargs)


def test_sources_are_named_hf_or_arxiv_category() -> None:
    assert parse_remote("hf") == Remote("hf")
    assert parse_remote("arxiv:cs.CL") == Remote("arxiv", "cs.CL")
    for bad in ("arxiv", "arxiv:cs CL", "rss"):
        with pytest.raises(ValueError):
            parse_remote(bad)
