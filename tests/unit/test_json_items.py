"""JSON other than the Daily Papers API: feeds, site data files, lists of unknown shape.

A JSON file is read as JSON, never by the text reader: its papers are the
objects of its list of items that carry a paper (a title and a link, an id,
an abstract or authors), the object around the list may name the day, and
a JSON file that holds no such list is refused with one sentence.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tracker import sources
from tracker.library import Library
from tracker.sources import markup
from tracker.sources.parsed import DigestError, DoubtfulDigestError


def _parse(document: object, name: str = "feed.json", fmt: str = sources.AUTO) -> sources.Parsed:
    return sources.parse_bytes(json.dumps(document, ensure_ascii=False).encode(), name, fmt)


JSON_FEED: dict[str, Any] = {
    "version": "https://jsonfeed.org/version/1",
    "title": "Hugging Face Papers",
    "home_page_url": "https://huggingface.co/",
    "feed_url": "https://raw.githubusercontent.com/MichaelMarkert/rss/refs/heads/main/hf_papers.json",
    "items": [
        {
            "id": "https://huggingface.co/papers/2608.19880",
            "image": "",
            "title": "EnvHarness: Awakening Static Worlds for Agent Learning",
            "content_text": "Abstract EnvHarness reshapes static environments. Static environments "
            "limit what agents can learn.",
            "url": "https://huggingface.co/papers/2608.19880",
            "date_published": "2026-08-21T02:30:55",
        },
        {
            "id": "https://huggingface.co/papers/2608.18580",
            "image": "",
            "title": "τ_0-VLA: Tokens Before Actions",
            "content_text": "Abstract A vision-language-action model that thinks in tokens.",
            "url": "https://huggingface.co/papers/2608.18580",
            "date_published": "2026-08-14T10:00:00",
        },
    ],
}


def test_a_json_feed_gives_its_items_not_its_own_name() -> None:
    """Bad case: the feed's name was the only (junk) row and the items were ignored."""
    parsed = _parse(JSON_FEED)
    assert parsed.format == "hf-json"
    assert [(p.title, p.arxiv_id) for p in parsed.digest.papers] == [
        ("EnvHarness: Awakening Static Worlds for Agent Learning", "2608.19880"),
        ("τ_0-VLA: Tokens Before Actions", "2608.18580"),
    ]
    first = parsed.digest.papers[0]
    assert first.abstract.startswith("Abstract EnvHarness reshapes")
    # Each item's date_published is the paper's own date, never a digest boundary.
    assert [p.published for p in parsed.digest.papers] == ["2026-08-21", "2026-08-14"]
    assert [(s.label, s.date) for s in parsed.digest.sections] == [(None, None)]


SITE_DATA: dict[str, Any] = {
    "date": {"ru": "14 ноября", "en": "November 14", "zh": "11月14日"},
    "time_utc": "2024-11-14 07:10",
    "issue_id": "567",
    "papers": [
        {
            "id": "https://huggingface.co/papers/2411.08380",
            "title": "EgoVid-5M: A Large-Scale Video-Action Dataset for Egocentric Video Generation",
            "url": "https://huggingface.co/papers/2411.08380",
            "abstract": "Video generation has emerged as a promising tool for world simulation.",
            "pub_date": "2024-11-13",
            "data": {"en": {"title": "EgoVid-5M: Revolutionizing Egocentric Video Generation"}},
        }
    ],
    "link_prev": "2024-11-13.html",
    "zh": {
        "text": "这篇文章讨论了3D部件分割。",
        "title": "SAMPart3D: Segment Any Part in 3D Objects",
    },
}


def test_the_object_around_the_items_names_their_day() -> None:
    """Bad case: the day in '"time_utc": "2024-11-14 07:10"' was not used."""
    parsed = _parse(SITE_DATA, "hf_papers.json")
    assert [(s.label, s.date) for s in parsed.digest.sections] == [("Nov 14", "2024-11-14")]
    [paper] = parsed.digest.papers
    assert paper.title.startswith("EgoVid-5M: A Large-Scale")  # not data.en.title, not 'zh'
    assert paper.published == "2024-11-13"


def _jsonl(records: list[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()


RECOMMENDED = [
    {
        "title": "N4MC: Neural 4D Mesh Compression",
        "authors": "Guodong Chen, Mallesham Dasari",
        "url": "https://arxiv.org/abs/2602.20312",
        "id": "2602.20312",
        "tldr": "一种神经四维网格压缩方法。",
        "recommended_date": "2026-02-25_AI_enhanced_Chinese",
        "recommended_at": "2026-02-25T06:20:46.067170",
    },
    {
        "title": "Talking to Yourself: Defying Forgetting in Large Language Models",
        "authors": "Yutao Sun",
        "url": "https://arxiv.org/abs/2602.20162",
        "id": "2602.20162",
        "recommended_date": "2026-02-25_AI_enhanced_Chinese",
        "recommended_at": "2026-02-25T06:20:46.067170",
    },
]


def test_json_lines_are_read_one_item_per_line_and_dated_by_their_list_day() -> None:
    """Bad case: a bot's .jsonl file was refused ("not valid JSON: Extra data at line 2")."""
    parsed = sources.parse_bytes(_jsonl(RECOMMENDED), "recommended_2026-02-25.jsonl")
    assert parsed.format == "hf-json"
    assert [(p.title, p.arxiv_id, p.line) for p in parsed.digest.papers] == [
        ("N4MC: Neural 4D Mesh Compression", "2602.20312", 1),
        ("Talking to Yourself: Defying Forgetting in Large Language Models", "2602.20162", 2),
    ]
    assert parsed.digest.papers[0].authors == ("Guodong Chen", "Mallesham Dasari")
    assert [s.date for s in parsed.digest.sections] == ["2026-02-25"]


def test_a_json_document_with_text_after_it_is_still_an_error() -> None:
    """Only lines that are each one object read as JSON Lines; anything else stays refused."""
    data = _jsonl(RECOMMENDED[:1]) + b"and then some words\n"
    with pytest.raises(DigestError) as err:
        sources.parse_bytes(data, "broken.json")
    assert "broken.json is not valid JSON" in str(err.value)


def test_json_of_titles_without_anything_of_a_paper_is_refused() -> None:
    """A list of titled objects that are not papers (a blog's posts) is not imported."""
    posts = [{"title": f"What I did on day {n}", "tags": ["life"]} for n in range(1, 6)]
    with pytest.raises(DoubtfulDigestError) as err:
        _parse({"posts": posts}, "blog.json")
    assert "blog.json" in str(err.value) and "\n" not in str(err.value)


def test_json_is_never_read_by_another_reader() -> None:
    """Forcing a text, HTML or arXiv reader on JSON would take its lines for papers."""
    for fmt in ("text", "html", "arxiv"):
        with pytest.raises(DigestError) as err:
            _parse(JSON_FEED, "feed.json", fmt)
        assert "feed.json is JSON" in str(err.value) and "--format hf-json" in str(err.value)


_SCALAR = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(max_size=30),
    st.sampled_from(
        [
            "https://huggingface.co/papers/2410.05258",
            "2410.05258",
            "2024-11-14 07:10",
            "A Title Of Some Paper",
            "An abstract. It has sentences.",
        ]
    ),
)
_KEYS = st.sampled_from(
    ["title", "url", "id", "summary", "abstract", "items", "papers", "data", "date", "paper",
     "authors", "content_text", "name", "time_utc", "x"]
)  # fmt: skip
_JSON = st.recursive(
    _SCALAR,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_KEYS, inner, max_size=5)),
    max_leaves=25,
)


def _strings(document: object) -> set[str]:
    if isinstance(document, str):
        return {document}
    if isinstance(document, list):
        return {s for item in document for s in _strings(item)}
    if isinstance(document, dict):
        return {s for value in document.values() for s in _strings(value)}
    return set()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.lists(_JSON, max_size=5), st.dictionaries(_KEYS, _JSON, max_size=6)))
@example({"title": [{"title": None, "paper": {"title": "0"}}]})
def test_json_of_any_shape_is_read_as_json_and_makes_no_junk(document: object) -> None:
    """Papers from a JSON document have a title from it and something of a paper, or it is refused."""
    try:
        parsed = _parse(document, "any.json")
    except DigestError as err:
        assert "\n" not in str(err) and "any.json" in str(err)
        return
    assert parsed.format == "hf-json"
    shown = {
        " ".join(markup.strip_controls(s, keep_breaks=False).split()) for s in _strings(document)
    }
    api_titles = _api_titles(document)
    for paper in parsed.digest.papers:
        assert paper.title in shown
        assert paper.arxiv_id or paper.abstract or paper.authors or paper.title in api_titles


def _api_titles(document: object) -> set[str]:
    """Titles of items in the Daily Papers API shape ({"paper": {…}}) anywhere in it.

    Such an item is a paper however bare, also inside a wrapper:
    {"title": [{"paper": {"title": "0"}}]} is a list of API items under a key
    (found by Hypothesis).
    """
    found: set[str] = set()
    if isinstance(document, dict):
        paper = document.get("paper")
        if isinstance(paper, dict):
            # The title is the paper's or, in the API's older shape, the item's own.
            found |= _strings(paper.get("title")) | _strings(document.get("title"))
        for value in document.values():
            found |= _api_titles(value)
    elif isinstance(document, list):
        for item in document:
            found |= _api_titles(item)
    return {" ".join(markup.strip_controls(t, keep_breaks=False).split()) for t in found}


# A keyword summariser's JSON (written for this test after the shape of
# mlz-EM/ArxivSummaryDaily's data file): the day is in a header object next to
# the items, not in the object that holds them, and arXiv's versions of one
# paper are listed one after the other, the title changed between them.
SUMMARISER: dict[str, Any] = {
    "header": {
        "title": "Basic Info",
        "model": "a-model",
        "generatedAt": "2026-08-21T02:25:58Z",
        "source": "a feed",
    },
    "items": [
        {
            "id": "arxiv-2607.07965v1",
            "title": "A Multimodal Dataset for Geometry Prediction in Laser Tracks",
            "url": "https://arxiv.org/abs/2607.07965v1",
            "date": "2026-07-08",
            "summary": "A dataset of laser tracks.",
        },
        {
            "id": "arxiv-2607.07965v2",
            "title": "A Multimodal Dataset for Representation of Laser-Track Geometry",
            "url": "https://arxiv.org/abs/2607.07965v2",
            "date": "2026-07-08",
            "summary": "A dataset of laser tracks, revised.",
        },
        {
            "id": "arxiv-2604.26718v1",
            "title": "Annealing Hf$_{0.5}$Zr$_{0.5}$O$_2$ films",
            "url": "https://arxiv.org/abs/2604.26718v1",
            "date": "2026-04-29",
            "summary": "Pulsed laser annealing seen in situ.",
        },
    ],
}


def test_a_header_next_to_the_items_names_their_day() -> None:
    """Bad case: 'header': {'generatedAt': …} was not read; the digest had no date."""
    parsed = _parse(SUMMARISER, "arXivDaily.json")
    assert [(s.label, s.date) for s in parsed.digest.sections] == [("Aug 21", "2026-08-21")]


def test_versions_of_one_arxiv_id_are_one_paper_under_its_first_title(
    data_dir: Path, tmp_path: Path
) -> None:
    """Bad case: v1 and v2 of one id with a changed title were stored as two papers."""
    path = tmp_path / "arXivDaily.json"
    path.write_text(json.dumps(SUMMARISER), encoding="utf-8")
    with Library.open(data_dir) as lib:
        lib.import_file(path)
        assert sorted((p.arxiv_id, p.title) for p in lib.papers) == [
            ("2604.26718", "Annealing Hf$_{0.5}$Zr$_{0.5}$O$_2$ films"),
            ("2607.07965", "A Multimodal Dataset for Geometry Prediction in Laser Tracks"),
        ]
        [digest] = lib.digests
        assert len(digest.paper_ids) == 2
