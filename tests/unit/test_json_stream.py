"""A large JSON file is read an item at a time and gives what a whole read gives (issue 17 point 13).

tracker/library/json_pieces.py reads a JSON list or JSON Lines a chunk at a
time; here every file is read both ways (the streamed reader forced on with
small reads, so that items, strings and line ends fall across chunks) and
the two must agree: titles, ids, dates, abstracts, versions of an id made
one paper, digest labels and warnings, or the same error sentence. A damaged
file is refused in one sentence naming it and its line, and stores nothing.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.corpus import CORPUS_ENV, DEFAULT_CORPUS
from tracker import sources
from tracker.library import Library, LibraryError, files, page_pieces
from tracker.library.page_hash import page_hashes
from tracker.sources import json_items
from tracker.sources.parsed import DigestError

CORPUS = Path(os.environ.get(CORPUS_ENV) or DEFAULT_CORPUS)
REAL_JSON = sorted(p for p in CORPUS.rglob("*") if p.suffix in (".json", ".jsonl") and p.is_file())
FIXTURES = Path(__file__).parent.parent / "fixtures"
JSON_FIXTURES = sorted(p for p in FIXTURES.rglob("*.json*") if "expected" not in p.parts)


@pytest.fixture(autouse=True)
def _stream_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(page_pieces, "STREAM_MIN_BYTES", 0)


def _whole(path: Path) -> object:
    data = path.read_bytes()
    try:
        parsed = sources.parse_bytes(data, path.name, sources.AUTO)
    except DigestError as err:
        return str(err)
    return parsed.format, parsed.digest, page_hashes(data)


def _streamed(path: Path, read: int) -> object:
    try:
        streamed = page_pieces.read_in_pieces(path, path.name, sources.AUTO, piece_bytes=read)
    except DigestError as err:
        return str(err)
    assert streamed is not None, path
    return streamed.parsed.format, streamed.parsed.digest, streamed.hashes


def _is_json_file(path: Path) -> bool:
    pieces = page_pieces.open_pieces(path, path.name, sources.AUTO)
    if pieces is None:
        return False
    with pieces:
        return pieces.kind == "hf-json"


def test_every_json_file_reads_the_same_whole_and_streamed() -> None:
    paths = [p for p in [*REAL_JSON, *JSON_FIXTURES] if _is_json_file(p)]
    assert len(paths) >= 5, "no JSON files found"
    for path in paths:
        whole = _whole(path)
        for read in (7, 4096):
            assert _streamed(path, read) == whole, (path, read)


_TEXT = st.text(
    st.characters(blacklist_categories=("Cs",)) | st.sampled_from("<>*_[]\n\\"),
    max_size=30,
)
_ITEM = st.fixed_dictionaries(
    {},
    optional={
        "title": _TEXT | st.integers(),
        "summary": _TEXT,
        "id": st.sampled_from(["2410.05258", "2410.05258v2", "2501.00001", "x"]),
        "url": st.sampled_from(["https://arxiv.org/abs/2410.05258", "https://example.org/"]),
        "authors": st.lists(_TEXT | st.fixed_dictionaries({"name": _TEXT}), max_size=3),
        "submittedOnDailyAt": st.sampled_from(
            ["2024-10-08T01:00:00.000Z", "2024-10-07", "2023-01-01T23:59:59-05:00", "soon"]
        ),
    },
)
_ENTRY = _ITEM | st.builds(lambda paper, day: {"paper": paper, "publishedAt": day}, _ITEM, _TEXT)
_DOCUMENT = st.lists(_ENTRY | st.integers() | st.none(), max_size=8)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    items=_DOCUMENT,
    shape=st.sampled_from(["list", "pretty", "lines", "wrapped"]),
    read=st.sampled_from([1, 3, 64]),
    cut=st.none() | st.integers(min_value=0, max_value=400),
)
def test_generated_json_reads_the_same_whole_and_streamed(
    tmp_path_factory: pytest.TempPathFactory,
    items: list[Any],
    shape: str,
    read: int,
    cut: int | None,
) -> None:
    if shape == "list":
        text = json.dumps(items, ensure_ascii=False)
    elif shape == "pretty":
        text = json.dumps(items, ensure_ascii=False, indent=2)
    elif shape == "lines":
        text = "\n".join(json.dumps(i, ensure_ascii=False) for i in items if isinstance(i, dict))
        text = text or "{}"
    else:
        text = json.dumps({"time_utc": "2024-11-14 07:10", "papers": items})
    if cut is not None:
        text = text[:cut]  # a damaged file: cut anywhere
    if not text.strip():
        return
    path = tmp_path_factory.mktemp("gen") / "gen.json"
    path.write_text(text, encoding="utf-8")
    if not _is_json_file(path):
        return
    assert _streamed(path, read) == _whole(path)


def test_a_damaged_json_list_is_refused_naming_its_line_and_nothing_is_stored(
    tmp_path: Path, data_dir: Path
) -> None:
    entries = [{"paper": {"id": f"2410.{n:05d}", "title": f"Paper {n}"}} for n in range(50)]
    text = "[\n" + ",\n".join(json.dumps(e) for e in entries) + "\n]\n"
    text = text.replace('"Paper 40"}', '"Paper 40"')  # line 42 loses a closing brace
    bad = tmp_path / "bad.json"
    bad.write_text(text, encoding="utf-8")
    with Library.open(data_dir, lazy=True) as lib:
        lib.import_bundled_seeds()
        before = [p.to_dict() for p in lib.papers], [d.to_dict() for d in lib.digests]
        [outcome] = lib.import_files([bad])
        assert isinstance(outcome, DigestError)
        assert str(outcome) == (
            "bad.json is not valid JSON: Expecting property name enclosed in double quotes "
            "at line 43 column 1"
        )
        assert outcome.line == 43
        assert ([p.to_dict() for p in lib.papers], [d.to_dict() for d in lib.digests]) == before
    assert str(outcome) == _whole(bad)


def test_json_lines_with_a_line_that_is_not_an_object_is_refused_as_a_whole_read_refuses_it(
    tmp_path: Path,
) -> None:
    rows = [json.dumps({"title": f"Paper {n}", "id": f"2410.0000{n}"}) for n in range(5)]
    rows[3] = "not json"
    path = tmp_path / "rows.jsonl"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert _streamed(path, 16) == _whole(path)
    assert "rows.jsonl is not valid JSON: Extra data at line 2 column 1" in str(_whole(path))


def test_an_item_larger_than_any_paper_is_refused_in_one_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(json_items, "ITEM_MAX_CHARS", 100_000)
    items = [{"title": "Fine", "id": "2410.00001"}, {"title": "Huge", "summary": "w " * 200_000}]
    path = tmp_path / "huge.json"
    path.write_text("[\n" + ",\n".join(json.dumps(i) for i in items) + "\n]", encoding="utf-8")
    message = _streamed(path, 4096)
    assert isinstance(message, str)
    assert message.startswith("huge.json: the JSON value at line 3 is larger than 0 MB")
    assert "split it into smaller files" in message


def test_a_file_read_whole_is_refused_above_its_limit_in_one_sentence(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "MARKUP_READ_BYTES", 1000)
    monkeypatch.setattr(files, "WHOLE_READ_BYTES", 4000)
    html = tmp_path / "page.html"
    html.write_text("<!DOCTYPE html>\n<html><body>" + "<p>x</p>" * 500 + "</body></html>")
    feed = tmp_path / "feed.xml"
    feed.write_text('<?xml version="1.0"?>\n<rss><channel>' + " " * 2000 + "</channel></rss>")
    text = tmp_path / "notes.txt"
    text.write_text("Some Title Here\n\n" + "| a | table |\n" * 400)
    with Library.open(data_dir, lazy=True) as lib:
        outcomes = lib.import_files([html, feed, text])
        assert not lib.papers
    for outcome, path, limit, what in [
        (outcomes[0], html, 1000, "an HTML page or a feed"),
        (outcomes[1], feed, 1000, "an HTML page or a feed"),
        (outcomes[2], text, 4000, "a file that is not a plain list of papers"),
    ]:
        assert isinstance(outcome, LibraryError), outcome
        said = str(outcome)
        assert said.startswith(f"{path} is 0 MB, more than the {limit // 2**20} MB {what} can be")
        assert said.endswith("split it into smaller files and import those")
        assert said.count(". ") == 0  # one sentence
