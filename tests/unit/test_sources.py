"""The importers for Hugging Face JSON and arXiv listings, and telling formats apart."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tracker import sources
from tracker.sources import arxiv_listing, fields, hf_json
from tracker.sources.parsed import DigestError, ParsedDigest

FIXTURES = Path(__file__).parent.parent / "fixtures" / "sources"
DIGESTS = Path(__file__).parent.parent / "fixtures" / "digests"
SEEDS = sorted((Path(__file__).parent.parent.parent / "seeds").glob("*.txt"))

DIFF_AUTHORS = (
    "Tianzhu Ye",
    "Li Dong",
    "Yuqing Xia",
    "Yutao Sun",
    "Yi Zhu",
    "Gao Huang",
    "Furu Wei",
)


def _fixture(name: str) -> sources.Parsed:
    return sources.parse_bytes((FIXTURES / name).read_bytes(), name)


# -- Hugging Face daily-papers JSON ------------------------------------------------------


def test_hf_json_fixture_field_by_field() -> None:
    parsed = _fixture("hf_daily_papers.json")
    assert parsed.format == "hf-json"
    digest = parsed.digest
    assert digest.warnings == ()
    assert [(s.label, s.date) for s in digest.sections] == [
        ("Oct 8", "2024-10-08"),
        ("Oct 9", "2024-10-09"),
    ]
    diff, addition, loong = digest.sections[0].papers
    assert diff.title == "Differential Transformer"
    assert diff.arxiv_id == "2410.05258"
    assert diff.url == "https://arxiv.org/abs/2410.05258"
    assert diff.authors == DIFF_AUTHORS
    assert diff.upvotes == 181
    assert diff.line == 2  # pretty-printed: each item knows its line
    # paper.summary (the whole abstract) wins over the item's shortened one; wraps joined.
    assert diff.abstract.startswith("Transformer tends to overallocate attention")
    assert "The subtraction cancels noise, promoting" in diff.abstract
    assert diff.abstract.endswith("training tokens.")
    assert "\n" not in diff.abstract

    # Authors as plain strings, a version suffix on the id, no submittedOnDailyAt
    # (the top-level publishedAt dates it), no top-level summary.
    assert addition.title == "Addition is All You Need for Energy-efficient Language Models"
    assert addition.arxiv_id == "2410.00907"
    assert addition.url == "https://arxiv.org/abs/2410.00907"
    assert addition.authors == ("Hongyin Luo", "Wei Sun")
    assert addition.upvotes == 143
    assert addition.abstract.endswith("(L-Mul) algorithm.")

    # No summary anywhere: an empty abstract, the paper still counts.
    assert loong.abstract == ""
    assert loong.authors == ("Yuqing Wang", "Tianwei Xiong")
    assert loong.upvotes == 36

    [aria] = digest.sections[1].papers
    assert aria.title == "Aria: An Open Multimodal Native Mixture-of-Experts Model"
    assert aria.upvotes == 107
    # Paragraphs of the summary stay paragraphs.
    assert aria.abstract.count("\n\n") == 1
    assert aria.abstract.startswith("Information comes in diverse modalities. Multimodal")


def _item(**paper: object) -> dict[str, object]:
    return {"paper": {"id": "2410.05258", "title": "Differential Transformer", **paper}}


def _parse_json(value: object) -> ParsedDigest:
    return hf_json.parse(json.dumps(value), "day.json")


def test_hf_json_minified_single_object_and_wrappers() -> None:
    item = _item(submittedOnDailyAt="2024-10-08T00:47:34.329Z", upvotes=3)
    for document in (
        [item],
        item,
        {"dailyPapers": [item]},
        {"props": {"dailyPapers": [item]}},
        {"papers": [item]},
        # The api/papers/<id> shape: the paper itself, no wrapper.
        item["paper"],
    ):
        digest = _parse_json(document)
        [paper] = digest.papers
        assert paper.title == "Differential Transformer"
        assert paper.arxiv_id == "2410.05258"
        assert paper.line == 1
        assert digest.sections[0].date == "2024-10-08"


def test_hf_json_missing_optional_fields_and_odd_values() -> None:
    digest = _parse_json(
        [
            {"paper": {"title": "Only A Title"}},
            {"title": "Top Level Title", "summary": "An abstract.", "authors": "A. One and B. Two"},
            {"paper": {"id": "not-an-arxiv-id", "title": "Odd Id", "upvotes": True}},
            {"paper": {"id": "2410.1", "title": "Short Id", "upvotes": "12"}},
            {"paper": {"title": "Negative", "upvotes": -4, "authors": [None, 3, {"x": 1}]}},
        ]
    )
    papers = {p.title: p for p in digest.papers}
    assert papers["Only A Title"].abstract == "" and papers["Only A Title"].url is None
    assert papers["Top Level Title"].authors == ("A. One", "B. Two")
    assert papers["Odd Id"].arxiv_id is None and papers["Odd Id"].upvotes is None
    assert papers["Short Id"].arxiv_id is None and papers["Short Id"].upvotes == 12
    assert papers["Negative"].upvotes is None and papers["Negative"].authors == ()
    # Nothing dated: one section without a date (the library asks for --date).
    assert [(s.label, s.date) for s in digest.sections] == [(None, None)]


def test_hf_json_items_it_cannot_use_are_warned_about() -> None:
    text = json.dumps([_item(), "stray", {"paper": {"summary": "no title"}}], indent=2)
    digest = hf_json.parse(text, "day.json")
    assert len(digest.papers) == 1
    lines = text.split("\n")
    stray = lines.index('  "stray",') + 1
    assert [str(w) for w in digest.warnings] == [
        f"line {stray}: item 2 is not an object; skipped",
        f"line {stray + 1}: item 3 has no title; skipped",
    ]


def test_hf_json_groups_by_listing_day_in_utc() -> None:
    digest = _parse_json(
        [
            {"paper": {"title": "Late", "submittedOnDailyAt": "2024-10-09T23:30:00-02:00"}},
            {"paper": {"title": "Early"}, "publishedAt": "2024-10-08T01:23:45.000Z"},
            {"paper": {"title": "Plain Date"}, "publishedAt": "2024-10-08"},
            {"paper": {"title": "Year One", "submittedOnDailyAt": "0001-01-01T00:00:00+01:00"}},
            {"paper": {"title": "Not A Date", "submittedOnDailyAt": "yesterday at noon"}},
        ]
    )
    assert [(s.label, s.date, [p.title for p in s.papers]) for s in digest.sections] == [
        ("Oct 8", "2024-10-08", ["Early", "Plain Date"]),
        ("Oct 10", "2024-10-10", ["Late"]),
        (None, None, ["Year One", "Not A Date"]),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"error": "Not Found"}', "day.json is JSON but not Hugging Face daily papers"),
        ("[1, 2, 3]", "day.json is JSON but not Hugging Face daily papers"),
        ("[]", "no papers in day.json: the JSON list is empty"),
        ('[{"paper": {"title": "x"}', "day.json is not valid JSON"),
        ('[{"paper": {"title": "x"}}] trailing', "day.json is not valid JSON"),
        ('{"a": ' + "1" * 5000 + "}", "day.json is not JSON this program can read"),
        ("[" * 100_000, "day.json is not"),
    ],
)
def test_hf_json_refuses_other_json_in_one_sentence(text: str, message: str) -> None:
    with pytest.raises(DigestError) as err:
        sources.parse_bytes(text.encode(), "day.json")
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_hf_json_error_names_the_line() -> None:
    text = '[\n  {"paper": {"title": "x"}},\n  {"paper": {"title": "y"},\n]'
    with pytest.raises(DigestError) as err:
        sources.parse_bytes(text.encode(), "day.json")
    assert err.value.line == 4
    assert "line 4" in str(err.value)


# -- arXiv listings -------------------------------------------------------------------


def test_arxiv_mail_fixture_field_by_field() -> None:
    parsed = _fixture("arxiv_mail.txt")
    assert parsed.format == "arxiv"
    digest = parsed.digest
    assert digest.warnings == ()
    [section] = digest.sections
    # The mail's own Date: header, not the entries' submission dates.
    assert (section.label, section.date) == ("Oct 7", "2024-10-07")
    rad, diff, smola, qwen = section.papers
    assert rad.title == (
        "Retrieval-Augmented Decoding for Long-Form Question Answering with "
        "Hierarchical Evidence Aggregation"
    )
    assert rad.arxiv_id == "2410.04567"
    assert rad.url == "https://arxiv.org/abs/2410.04567"
    assert rad.authors == (
        "Maria Gonzalez",
        "Kenji Watanabe (University of Tokyo)",
        "Priya Raman",
        "Thomas Müller",
    )
    assert rad.abstract.startswith("Long-form question answering requires a model to gather")
    assert rad.abstract.endswith("while keeping fluency unchanged.")
    assert "\n" not in rad.abstract and "  " not in rad.abstract
    assert rad.line == 20
    assert rad.upvotes is None

    assert diff.title == "Differential Transformer"
    assert diff.authors == DIFF_AUTHORS
    assert diff.abstract.endswith("promoting the emergence of sparse attention patterns.")

    # A cross-listing: "(*cross-listing*)" after the id, a Journal-ref line.
    assert smola.arxiv_id == "2410.05102"
    assert smola.title.endswith("Scale Fine-Tuning to Thousands of Tasks")
    assert smola.authors == ("Ahmed El-Sayed", "Lena Fischer")

    # A replacement: no Date:, no abstract, wrapped authors.
    assert qwen.arxiv_id == "2309.16609"
    assert qwen.title == "Qwen Technical Report"
    assert qwen.abstract == ""
    assert qwen.authors[-1] == "Xiaodong Deng" and len(qwen.authors) == 6


def test_arxiv_web_fixture_field_by_field() -> None:
    parsed = _fixture("arxiv_web.txt")
    assert parsed.format == "arxiv"
    digest = parsed.digest
    assert digest.warnings == ()
    [section] = digest.sections
    # "Showing new listings for Tuesday, 8 October 2024"
    assert (section.label, section.date) == ("Oct 8", "2024-10-08")
    diff, counting, smola, qwen = section.papers
    assert (diff.arxiv_id, diff.title, diff.authors) == (
        "2410.05258",
        "Differential Transformer",
        DIFF_AUTHORS,
    )
    assert diff.abstract.endswith("two separate softmax attention maps.")
    assert counting.arxiv_id == "2410.05311"
    assert counting.authors == ("Sofia Lindqvist", "Daniel Okafor")
    assert counting.abstract.startswith("Language models state numbers")
    # No abstract in the listing, and the page footer is not taken for one.
    assert smola.abstract == "" and smola.arxiv_id == "2410.05102"
    assert qwen.abstract == "" and qwen.url == "https://arxiv.org/abs/2309.16609"


def test_arxiv_web_copy_without_title_and_author_labels() -> None:
    parsed = _fixture("arxiv_web_browser.txt")
    assert parsed.format == "arxiv"
    assert parsed.digest.warnings == ()
    [section] = parsed.digest.sections
    assert (section.label, section.date) == ("Oct 8", "2024-10-08")
    diff, counting, smola = section.papers
    assert (diff.arxiv_id, diff.title, diff.authors) == (
        "2410.05258",
        "Differential Transformer",
        DIFF_AUTHORS,
    )
    assert counting.title.startswith("Counting the Uncountable: Calibrated Uncertainty")
    assert counting.authors == ("Sofia Lindqvist", "Daniel Okafor")
    assert smola.arxiv_id == "2410.05102"
    assert smola.authors == ("Ahmed El-Sayed", "Lena Fischer")
    assert all(p.abstract == "" for p in section.papers)


OLD_WEB = """New submissions for Mon,  7 Oct 24

[1]  arXiv:2410.05258 [pdf, other]
Title: Differential Transformer
Authors: Tianzhu Ye, Li Dong
Comments: 12 pages
Subjects: Computation and Language (cs.CL); Machine Learning
          (cs.LG)

    Transformer tends to overallocate attention to irrelevant context. In this
    work, we introduce Diff Transformer.

[2]  arXiv:cs/0112017 [pdf]
Title: An Old-Style Identifier
Authors: Some One

Cross-lists for Mon,  7 Oct 24
"""


def test_arxiv_old_web_listing_wrapped_fields_and_old_ids() -> None:
    digest = arxiv_listing.parse(OLD_WEB, "list.txt")
    [section] = digest.sections
    assert section.date == "2024-10-07"
    diff, old = section.papers
    assert diff.abstract == (
        "Transformer tends to overallocate attention to irrelevant context. "
        "In this work, we introduce Diff Transformer."
    )
    assert diff.authors == ("Tianzhu Ye", "Li Dong")
    assert old.arxiv_id == "cs/0112017"
    assert old.title == "An Old-Style Identifier"


@pytest.mark.parametrize("crlf", [False, True])
def test_arxiv_mail_body_without_headers_is_dated_by_the_end_of_its_window(crlf: bool) -> None:
    """A copy of the mail's body has no Date: header; its 'received from … to …' line
    says which day the mailing went out (the file name said nothing of it)."""
    mail = (FIXTURES / "arxiv_mail.txt").read_text(encoding="utf-8")
    body = mail.split("\n", 4)[4]
    assert not body.startswith("Date:") and " received from  Fri  4 Oct 24" in body
    if crlf:
        body = body.replace("\n", "\r\n")
    [section] = sources.parse_bytes(body.encode(), "entries.txt").digest.sections
    assert (section.label, section.date) == ("Oct 7", "2024-10-07")
    # Two-digit years, as every mailing writes them; the start of the window is not the day.
    window = " received from  Fri 12 Jul 19 18:00:00 GMT  to  Mon 15 Jul 19 18:00:00 GMT\n"
    entry = (
        "\\\\\narXiv:1907.05955\nDate: Sat, 13 Jul 2019 10:04:37 GMT   (498kb,D)\n\nTitle: X Y\n"
    )
    [section] = arxiv_listing.parse(window + entry, "test.eml").sections
    assert section.date == "2019-07-15"
    # The same line inside an entry (an abstract quoting it) is not the mailing's.
    [section] = arxiv_listing.parse(entry + window, "test.eml").sections
    assert section.date is None


def test_arxiv_without_a_listing_date_leaves_it_to_the_caller() -> None:
    entry = "arXiv:2410.05258\nDate: Mon, 7 Oct 2024 17:59:58 GMT   (1398kb,D)\n\nTitle: X Y\n"
    [section] = arxiv_listing.parse(entry, "x.txt").sections
    # An entry's Date: is its submission, not the listing: never taken for the digest's.
    assert (section.label, section.date) == (None, None)


def test_arxiv_entry_without_title_is_warned_about() -> None:
    text = "arXiv:2410.00001\nAuthors: A\n\narXiv:2410.00002\nTitle: Kept\n"
    digest = arxiv_listing.parse(text, "x.txt")
    assert [p.title for p in digest.papers] == ["Kept"]
    assert [str(w) for w in digest.warnings] == [
        "line 1: arXiv:2410.00001 has no Title: line; entry skipped"
    ]


def test_arxiv_forced_on_a_text_digest_names_the_file() -> None:
    with pytest.raises(DigestError) as err:
        sources.parse_bytes(SEEDS[0].read_bytes(), SEEDS[0].name, "arxiv")
    assert str(err.value).startswith(f"no papers found in {SEEDS[0].name}: expected arXiv")


# -- detection ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        *[(p, "text") for p in SEEDS],
        *[(p, "text") for p in sorted(DIGESTS.iterdir())],
        (FIXTURES / "hf_daily_papers.json", "hf-json"),
        (FIXTURES / "arxiv_mail.txt", "arxiv"),
        (FIXTURES / "arxiv_web.txt", "arxiv"),
        (FIXTURES / "arxiv_web_browser.txt", "arxiv"),
    ],
    ids=lambda v: v.name if isinstance(v, Path) else v,
)
def test_detection_on_every_fixture(path: Path, expected: str) -> None:
    assert sources.parse_bytes(path.read_bytes(), path.name).format == expected


def test_markdown_link_at_the_start_is_not_json() -> None:
    text = (
        "[Daily Papers](https://huggingface.co/papers)\n\nOct 7\n\nA Title\n\nAn abstract here.\n"
    )
    assert sources.detect(text) == "text"
    assert sources.detect('\ufeff  [\n {"paper": {}}]') == "text"  # a BOM is removed by decode
    assert sources.detect('  [\n {"paper": {}}]') == "hf-json"


def test_undetectable_text_lists_the_supported_formats() -> None:
    with pytest.raises(DigestError) as err:
        sources.parse_bytes(b"hello\nworld\n", "notes.txt")
    message = str(err.value)
    assert message.startswith("no papers found in notes.txt: it is not in a format")
    for name in sources.FORMATS:
        assert name in message


def test_unknown_format_name_is_refused() -> None:
    with pytest.raises(DigestError, match="unknown format 'xml'"):
        sources.parse_bytes(b"x", "a.txt", "xml")


def test_field_helpers() -> None:
    assert fields.arxiv_id("arXiv:2410.05434v3") == "2410.05434"
    assert fields.arxiv_id("math.GT/0309136") == "math.GT/0309136"
    assert fields.arxiv_id("2410.054") is None
    assert fields.split_authors("A (X, Y), B and C") == ("A (X, Y)", "B", "C")
    assert fields.split_authors("A, and B") == ("A", "B")
    assert fields.tex_accents(r"G\"{o}del, {\'E}mile, \c{C}a\u{g}lar") == "Gödel, Émile, Çağlar"


# -- robustness (hypothesis) ----------------------------------------------------------

_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.dictionaries(
            st.sampled_from(
                ["paper", "title", "summary", "authors", "id", "upvotes", "publishedAt", "name"]
            )
            | st.text(max_size=8),
            inner,
            max_size=6,
        )
    ),
    max_leaves=30,
)


def _outcome(data: bytes, fmt: str = sources.AUTO) -> None:
    """Parsing gives papers with titles, or one DigestError sentence; nothing else."""
    try:
        parsed = sources.parse_bytes(data, "fuzz.in", fmt)
    except DigestError as err:
        assert "fuzz.in" in str(err)
        assert "\n" not in str(err)
        return
    assert parsed.format in sources.FORMATS
    assert parsed.digest.papers
    for paper in parsed.digest.papers:
        assert paper.title.strip()
        assert paper.upvotes is None or paper.upvotes >= 0


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_json_values)
def test_arbitrary_json_never_crashes(value: object) -> None:
    _outcome(json.dumps(value).encode())
    _outcome(json.dumps(value, indent=1).encode(), "hf-json")


@settings(max_examples=200, deadline=None)
@given(st.lists(_json_values, min_size=1, max_size=4))
def test_arbitrary_item_lists_never_crash(items: list[object]) -> None:
    _outcome(json.dumps([{"paper": item} for item in items]).encode())


_listing_lines = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "arXiv:2410.05258",
                "[3] arXiv:2410.05258 [pdf, other]",
                "Title: A Title",
                "Title:",
                "  continued title",
                "Authors: A, B and C",
                "Authors: (",
                "Subjects: Computation and Language (cs.CL)",
                "Date: Mon, 7 Oct 2024 17:59:58 GMT   (1398kb,D)",
                "Date: garbage",
                "New submissions for Mon, 31 Feb 24",
                "\\\\",
                "\\\\ ( https://arxiv.org/abs/2410.05258 ,  12kb)",
                "-" * 78,
                "",
                "  An abstract line that goes on for a while and has many words in it.",
            ]
        ),
        st.text(max_size=40),
    ),
    max_size=30,
)


@settings(max_examples=300, deadline=None)
@given(_listing_lines)
def test_arbitrary_listing_text_never_crashes(lines: list[str]) -> None:
    data = "\n".join(lines).encode("utf-8", errors="surrogatepass")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return
    _outcome(data)
    _outcome(data, "arxiv")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_never_crash(data: bytes) -> None:
    for fmt in (sources.AUTO, *sources.FORMATS):
        _outcome(data, fmt)


# -- round trips (hypothesis): what a listing says is what the parser reads ------------

_word = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=9
)
_name = st.tuples(
    st.sampled_from(["Ada", "Li", "Furu", "Maria", "Kenji", "Priya", "Émile"]),
    st.sampled_from(["Lovelace", "Dong", "Wei", "Gonzalez", "Watanabe", "Raman", "Zoë"]),
).map(" ".join)
_papers = st.lists(
    st.tuples(
        st.lists(_word, min_size=1, max_size=25).map(" ".join),  # title
        st.lists(_name, max_size=8),  # authors
        st.lists(_word, max_size=120).map(" ".join),  # abstract
        st.integers(min_value=0, max_value=10_000),  # upvotes
    ),
    min_size=1,
    max_size=6,
    unique_by=lambda p: p[0].casefold(),
)


def _wrap(text: str, width: int = 70) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    return [*lines, current] if current else lines


@settings(max_examples=150, deadline=None)
@given(_papers, st.booleans())
def test_hf_json_round_trip(papers: list[tuple[str, list[str], str, int]], pretty: bool) -> None:
    items = [
        {
            "paper": {
                "id": f"2410.{i:05d}",
                "title": title,
                "summary": abstract,
                "authors": [{"name": n, "hidden": False} for n in authors],
                "upvotes": upvotes,
                "submittedOnDailyAt": "2024-10-08T00:47:34.329Z",
            },
            "title": title,
        }
        for i, (title, authors, abstract, upvotes) in enumerate(papers)
    ]
    text = json.dumps(items, indent=2 if pretty else None, ensure_ascii=pretty)
    parsed = sources.parse_bytes(text.encode(), "day.json")
    assert parsed.format == "hf-json"
    [section] = parsed.digest.sections
    assert section.date == "2024-10-08"
    got = [(p.title, list(p.authors), p.abstract, p.upvotes) for p in section.papers]
    assert got == [tuple(p) for p in papers]
    assert [p.arxiv_id for p in section.papers] == [f"2410.{i:05d}" for i in range(len(papers))]


@settings(max_examples=150, deadline=None)
@given(_papers)
@example([("A", [], "TITLE", 0)])  # a word "Title" alone in an abstract is no label
def test_arxiv_mail_round_trip(papers: list[tuple[str, list[str], str, int]]) -> None:
    out = ["Date: Tue, 8 Oct 2024 20:00:01 -0400", ""]
    for i, (title, authors, abstract, _) in enumerate(papers):
        out += ["-" * 78, "\\\\", f"arXiv:2410.{i:05d}", "Date: Mon, 7 Oct 2024 17:59:58 GMT", ""]
        title_lines = _wrap(f"Title: {title}")
        out += [title_lines[0], *("  " + line for line in title_lines[1:])]
        if authors:
            author_lines = _wrap("Authors: " + ", ".join(authors))
            out += [author_lines[0], *("  " + line for line in author_lines[1:])]
        out += ["Categories: cs.CL cs.LG", "\\\\"]
        out += ["  " + line for line in _wrap(abstract, 78)]
        out += [f"\\\\ ( https://arxiv.org/abs/2410.{i:05d} ,  12kb)"]
    parsed = sources.parse_bytes("\n".join(out).encode(), "mail.txt")
    assert parsed.format == "arxiv"
    assert parsed.digest.warnings == ()
    [section] = parsed.digest.sections
    assert section.date == "2024-10-08"
    got = [(p.title, list(p.authors), p.abstract) for p in section.papers]
    assert got == [(t, a, ab) for t, a, ab, _ in papers]


@settings(max_examples=300, deadline=None)
@given(
    st.datetimes(),
    st.timedeltas(min_value=dt.timedelta(hours=-23), max_value=dt.timedelta(hours=23)),
)
def test_any_listing_timestamp_gives_a_day_or_none(when: dt.datetime, offset: dt.timedelta) -> None:
    stamp = when.replace(tzinfo=dt.timezone(offset)).isoformat()
    digest = _parse_json([{"paper": {"title": "T", "submittedOnDailyAt": stamp}}])
    [section] = digest.sections
    assert section.date is None or dt.date.fromisoformat(section.date)
