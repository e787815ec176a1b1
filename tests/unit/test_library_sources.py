"""Importing JSON and arXiv listings through the library, and merging them with text digests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tracker.library import Library, LibraryError
from tracker.models import Status, paper_id_for
from tracker.sources.parsed import DigestError

FIXTURES = Path(__file__).parent.parent / "fixtures" / "sources"
HF_JSON = FIXTURES / "hf_daily_papers.json"
ARXIV_MAIL = FIXTURES / "arxiv_mail.txt"
ARXIV_WEB = FIXTURES / "arxiv_web.txt"

DIFF = paper_id_for("Differential Transformer")
ADDITION = paper_id_for("Addition is All You Need for Energy-efficient Language Models")

# The text copy of the same day: a cut-off abstract, a paper only the page has,
# smart quotes and different case in a title the JSON also has.
TEXT_DAY = """Daily Papers

Oct 8

Differential Transformer

Transformer tends to overallocate attention to irrelevant context. In this work, we introduce Diff Transformer, which amplifies attention to the relevant context while canceling noise…

ADDITION IS ALL YOU NEED FOR ENERGY-EFFICIENT LANGUAGE MODELS

Large neural networks spend most computation on floating point tensor multiplications; this copy's abstract is not the JSON's.

A Paper Only The Page Has

It is in the text copy and nowhere else, which is fine.
"""


def _text_day(tmp_path: Path) -> Path:
    path = tmp_path / "2024-10-08.txt"
    path.write_text(TEXT_DAY, encoding="utf-8")
    return path


def test_hf_json_import_stores_every_field(data_dir: Path) -> None:
    with Library.open(data_dir) as lib:
        report = lib.import_file(HF_JSON)
        assert report.format == "hf-json"
        assert (report.papers, report.new, report.known) == (4, 4, 0)
        assert report.warnings == []
        assert [(d.label, d.date, d.format) for d in report.digests] == [
            ("Oct 8", "2024-10-08", "hf-json"),
            ("Oct 9", "2024-10-09", "hf-json"),
        ]
    with Library.open(data_dir, readonly=True) as lib:
        paper = lib.paper(DIFF)
        assert paper.arxiv_id == "2410.05258"
        assert paper.url == "https://arxiv.org/abs/2410.05258"
        assert paper.authors[0] == "Tianzhu Ye" and len(paper.authors) == 7
        assert paper.upvotes == 181
        assert paper.abstract.endswith("training tokens.")
        assert [lib.digest(d).display_label for d in paper.digests] == ["Oct 8 2024"]
        assert lib.resolve("2410.05258").id == DIFF  # found by arXiv id
        assert [d.format for d in lib.digests] == ["hf-json", "hf-json"]
        # Search sees the JSON's abstract words.
        assert lib.query("sparse attention patterns")[0].paper.id == DIFF


def test_reimporting_the_same_json_is_a_no_op(data_dir: Path) -> None:
    with Library.open(data_dir) as lib:
        lib.import_file(HF_JSON)
        before = (data_dir / "library.json").read_bytes()
        again = lib.import_file(HF_JSON)
        assert again.already_imported and again.format == "hf-json"
        assert (data_dir / "library.json").read_bytes() == before
        assert len(lib.digests) == 2


@pytest.mark.parametrize("json_first", [True, False], ids=["json-then-text", "text-then-json"])
def test_text_and_json_of_one_day_merge_keeping_annotations(
    data_dir: Path, tmp_path: Path, json_first: bool
) -> None:
    text = _text_day(tmp_path)
    first, second = (HF_JSON, text) if json_first else (text, HF_JSON)
    with Library.open(data_dir) as lib:
        lib.import_file(first, date="2024-10-08")
        # The user works on the papers between the two imports.
        lib.set_status([DIFF], Status.READING)
        lib.set_note(DIFF, "Compare with *sparse attention*.")
        lib.add_tags([ADDITION], ["efficiency"])
        annotations_before = {pid: lib.annotation(pid).to_dict() for pid in (DIFF, ADDITION)}
        report = lib.import_file(second, date="2024-10-08")
        assert report.known == 2  # the two papers both sources have
    with Library.open(data_dir, readonly=True) as lib:
        # One paper per normalized title: 4 from the JSON plus the page-only one.
        assert len(lib) == 5
        assert len({p.id for p in lib.papers}) == 5
        diff = lib.paper(DIFF)
        assert len(diff.digests) == 2
        # The JSON's whole abstract replaces the page's cut-off one, in either order.
        assert diff.abstract.endswith("training tokens.")
        assert diff.authors[-1] == "Furu Wei"
        assert diff.arxiv_id == "2410.05258"
        assert diff.url == "https://arxiv.org/abs/2410.05258"
        assert diff.upvotes == 181
        addition = lib.paper(ADDITION)
        # A different (not cut-off) abstract is never overwritten: what came first stays.
        first_abstract = "(L-Mul) algorithm." if json_first else "not the JSON's."
        assert addition.abstract.endswith(first_abstract)
        assert addition.authors == ["Hongyin Luo", "Wei Sun"]
        assert addition.upvotes == 143
        # The user's annotations are untouched.
        for pid, before in annotations_before.items():
            assert lib.annotation(pid).to_dict() == before
        assert lib.annotation(DIFF).status is Status.READING
        assert lib.annotation(ADDITION).tags == ["efficiency"]
        # The page-only paper has nothing the page did not have.
        only = lib.paper(paper_id_for("A Paper Only The Page Has"))
        assert (only.arxiv_id, only.authors, only.upvotes) == (None, [], None)
        assert {(d.label, d.date) for d in lib.digests} >= {("Oct 8", "2024-10-08")}


def test_upvotes_take_the_newer_larger_count(data_dir: Path, tmp_path: Path) -> None:
    later = json.loads(HF_JSON.read_text(encoding="utf-8"))
    later[0]["paper"]["upvotes"] = 250
    newer = tmp_path / "later.json"
    newer.write_text(json.dumps(later), encoding="utf-8")
    for order in ((HF_JSON, newer), (newer, HF_JSON)):
        directory = data_dir / order[0].stem
        with Library.open(directory) as lib:
            for path in order:
                lib.import_file(path)
            assert lib.paper(DIFF).upvotes == 250


def test_arxiv_listings_import_and_merge_with_json(data_dir: Path) -> None:
    with Library.open(data_dir) as lib:
        mail = lib.import_file(ARXIV_MAIL)
        assert mail.format == "arxiv"
        assert [(d.label, d.date) for d in mail.digests] == [("Oct 7", "2024-10-07")]
        assert (mail.papers, mail.new) == (4, 4)
        web = lib.import_file(ARXIV_WEB)
        assert [(d.label, d.date) for d in web.digests] == [("Oct 8", "2024-10-08")]
        assert (web.new, web.known) == (1, 3)
        lib.set_status([DIFF], Status.TO_READ)
        hf = lib.import_file(HF_JSON)
        assert hf.known == 1
    with Library.open(data_dir, readonly=True) as lib:
        diff = lib.paper(DIFF)
        assert len(diff.digests) == 3
        assert diff.upvotes == 181  # only the JSON has upvotes
        assert diff.abstract.endswith("training tokens.")  # the longest version
        assert lib.status(DIFF) is Status.TO_READ
        qwen = lib.paper(paper_id_for("Qwen Technical Report"))
        assert qwen.url == "https://arxiv.org/abs/2309.16609"
        assert qwen.abstract == ""


def test_listing_date_wins_over_date_option_and_says_so(data_dir: Path, tmp_path: Path) -> None:
    with Library.open(data_dir) as lib:
        report = lib.import_file(ARXIV_MAIL, date="2024-10-09")
        assert report.digests[0].date == "2024-10-07"
        assert report.warnings == [
            "the day given (2024-10-09) is not used: arxiv_mail.txt gives its own date (2024-10-07)"
        ]
        several = lib.import_file(HF_JSON, date="2024-10-08")
        assert several.warnings == [
            "the day given (2024-10-08) is not used: hf_daily_papers.json gives its own dates "
            "(2024-10-08, 2024-10-09)"
        ]


def test_a_mail_body_is_labelled_by_its_window_not_by_its_file_name(
    data_dir: Path, tmp_path: Path
) -> None:
    body = ARXIV_MAIL.read_text(encoding="utf-8").split("\n", 4)[4]  # no mail headers
    path = tmp_path / "cs-mailing.txt"
    path.write_text(body, encoding="utf-8")
    with Library.open(data_dir) as lib:
        report = lib.import_file(path)
    assert [(d.label, d.date) for d in report.digests] == [("Oct 7", "2024-10-07")]
    assert report.warnings == []


def test_undated_arxiv_listing_needs_date_and_says_so(data_dir: Path, tmp_path: Path) -> None:
    mail = ARXIV_MAIL.read_text(encoding="utf-8").split("\n", 4)[4]  # no mail headers
    entries = "\n".join(line for line in mail.split("\n") if "received from" not in line)
    path = tmp_path / "entries.txt"
    path.write_text(entries, encoding="utf-8")
    with Library.open(data_dir) as lib:
        # Not labelled "entries" after the file: refused, saying what to do.
        with pytest.raises(DigestError) as refused:
            lib.import_file(path)
        assert str(refused.value) == (
            "entries.txt names no day (no date line or date heading, no date in its front "
            "matter or header), and a digest is dated by its page; "
            "import it with --date YYYY-MM-DD"
        )
        assert lib.digests == [] and len(lib) == 0
        report = lib.import_file(path, date="2024-10-07")
        assert [(d.label, d.date) for d in report.digests] == [("Oct 7", "2024-10-07")]
        assert report.warnings == []


def test_forced_format_and_unknown_format(data_dir: Path, tmp_path: Path) -> None:
    with Library.open(data_dir) as lib:
        with pytest.raises(LibraryError, match="unknown format 'csv'; the supported formats"):
            lib.import_file(HF_JSON, format="csv")
        [outcome] = lib.import_files([HF_JSON], format="arxiv")
        assert isinstance(outcome, DigestError)
        assert "hf_daily_papers.json" in str(outcome)
        assert len(lib) == 0
        report = lib.import_file(HF_JSON, format="hf-json")
        assert report.papers == 4


def test_bad_json_leaves_the_library_untouched(data_dir: Path, tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(TEXT_DAY, encoding="utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text('[{"paper": {"title": "x"}}, {"oops"', encoding="utf-8")
    with Library.open(data_dir) as lib:
        lib.import_file(good, date="2024-10-08")
        before = (data_dir / "library.json").read_bytes()
        with pytest.raises(DigestError) as err:
            lib.import_file(bad)
        assert str(err.value).startswith("bad.json is not valid JSON")
        assert "line 1 column" in str(err.value)
        assert (data_dir / "library.json").read_bytes() == before
        assert len(lib) == 3


def test_digest_format_is_stored_only_when_not_text() -> None:
    from tracker.models import Digest

    old = {"id": "a", "label": "Oct 8", "date": None, "source": "x.txt", "sha256": "s"}
    assert Digest.from_dict(old).format == "text"  # libraries written before formats existed
    assert "format" not in Digest.from_dict(old).to_dict()
    rich = Digest("b", "Oct 8", "2024-10-08", "d.json", "t", "now", format="hf-json")
    assert Digest.from_dict(rich.to_dict()) == rich


def test_reimport_in_a_batch_stores_nothing_again(data_dir: Path, tmp_path: Path) -> None:
    text = _text_day(tmp_path)
    with Library.open(data_dir) as lib:
        # The same file twice in one command, then the whole batch again.
        first = lib.import_files([HF_JSON, text, HF_JSON], date="2024-10-08")
        assert [getattr(r, "already_imported", None) for r in first] == [False, False, True]
        assert len(lib.digests) == 3
        before = (data_dir / "library.json").read_bytes()
        again = lib.import_files([text, HF_JSON])
        assert all(getattr(r, "already_imported", False) for r in again)
        assert len(lib.digests) == 3
        assert (data_dir / "library.json").read_bytes() == before
    with Library.open(data_dir, readonly=True) as lib:
        assert len(lib.digests) == 3
        assert len(lib.paper(DIFF).digests) == 2


def test_digests_stored_twice_by_an_older_version_load_once(data_dir: Path) -> None:
    with Library.open(data_dir) as lib:
        lib.import_file(HF_JSON)
    path = data_dir / "library.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    table = document["digests"]
    for key, value in list(table.items()):
        table[str(int(key) + 100)] = value  # what re-importing used to append
    path.write_text(json.dumps(document), encoding="utf-8")
    with Library.open(data_dir, readonly=True) as lib:
        assert [d.label for d in lib.digests] == ["Oct 8", "Oct 9"]
