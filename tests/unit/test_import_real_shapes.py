"""Importing the shapes real pages have, through the library: days, published dates, controls.

Issue 13: a page's digest is the page, labelled by its own day, and a paper's
publication date is stored on the paper (never a digest). Issue 17 point 3:
every source strips terminal escapes and control characters at import.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tracker import sources
from tracker.library import Library
from tracker.models import Paper, paper_id_for
from tracker.sources.parsed import DigestError


def _import(data_dir: Path, tmp_path: Path, name: str, text: str, **kwargs: str) -> Library:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    lib = Library.open(data_dir)
    lib.import_file(path, **kwargs)  # type: ignore[arg-type]
    return lib


DAILY_ARCHIVE = """\
## Daily Papers (2025-04-25)

### [Step1X-Edit: A Practical Framework for General Image Editing](https://arxiv.org/abs/2504.17761)

Vote: 55

Authors: Jingwei Wu, Zheng Ge

- ***What's New***: 글로 지시하면 그림을 고치는 공개 모델입니다.
"""


def test_a_daily_archive_with_a_dated_heading_is_imported_not_refused(
    data_dir: Path, tmp_path: Path
) -> None:
    """Bad case: 'Daily Papers (2025-04-25)' was refused as 'not a digest'."""
    with _import(data_dir, tmp_path, "25.md", DAILY_ARCHIVE) as lib:
        [digest] = lib.digests
        assert (digest.label, digest.date) == ("Apr 25", "2025-04-25")
        paper = lib.paper(
            paper_id_for("Step1X-Edit: A Practical Framework for General Image Editing")
        )
        assert paper.arxiv_id == "2504.17761"
        assert paper.upvotes == 55
        assert paper.authors == ["Jingwei Wu", "Zheng Ge"]


SEARCH_PAGE = """\
Title: Daily Papers - Hugging Face

URL Source: https://huggingface.co/papers?q=context

Markdown Content:
Captured: 2026-06-29

### [Gemini 1.5: Unlocking multimodal understanding across millions of tokens of context](https://huggingface.co/papers/2403.05530)

A report on a multimodal model family that reads very long inputs.

· Published on Mar 8, 2024

### [MURMUR: An Efficient Inference System for Long-Form ASR](https://huggingface.co/papers/2606.00001)

Hours of audio are transcribed in windows that keep their context.

· Published on May 30
"""


def test_published_dates_are_stored_on_papers_and_the_label_is_the_pages_day(
    data_dir: Path, tmp_path: Path
) -> None:
    """The page names its day (a capture date), so the label never comes from the file name."""
    with _import(data_dir, tmp_path, "search-results.md", SEARCH_PAGE) as lib:
        [digest] = lib.digests
        assert (digest.label, digest.date) == ("Jun 29", "2026-06-29")
        gemini = lib.paper(
            paper_id_for(
                "Gemini 1.5: Unlocking multimodal understanding across millions of tokens of context"
            )
        )
        murmur = lib.paper(paper_id_for("MURMUR: An Efficient Inference System for Long-Form ASR"))
        assert (gemini.published, murmur.published) == ("2024-03-08", "2026-05-30")
    with Library.open(data_dir, readonly=True) as lib:  # stored, not only in memory
        assert lib.paper(murmur.id).published == "2026-05-30"


def test_published_is_optional_in_stored_papers() -> None:
    old = {"id": "0123456789ab", "title": "T", "abstract": "", "digests": ["d"]}
    assert Paper.from_dict(old).published is None
    assert "published" not in Paper.from_dict(old).to_dict()
    new = Paper.from_dict({**old, "published": "2024-03-08"})
    assert new.published == "2024-03-08"
    assert Paper.from_dict(new.to_dict()) == new


# -- Hugging Face JSON as scrapers save it --------------------------------------------------


def test_scraped_json_takes_its_day_id_and_abstract() -> None:
    item = {
        "title": "StereoWorld: Geometry-Aware Monocular-to-Stereo Video Generation",
        "paper_url": "https://huggingface.co/papers/2512.09363",
        "authors": ["Guixun Luo", "Hanwen Liang"],
        "details": {
            "abstract": "Stereo video from one camera, kept consistent by geometry.",
            "arxiv_page_url": "https://arxiv.org/abs/2512.09363",
            "scraped_at": "2025-12-12T01:47:07.328052",
        },
        "scraped_date": "2025-12-12",
    }
    parsed = sources.parse_bytes(json.dumps([item]).encode(), "2025-12-12.json")
    assert [(s.label, s.date) for s in parsed.digest.sections] == [("Dec 12", "2025-12-12")]
    [paper] = parsed.digest.papers
    assert paper.arxiv_id == "2512.09363"
    assert paper.abstract == "Stereo video from one camera, kept consistent by geometry."
    assert paper.authors == ("Guixun Luo", "Hanwen Liang")


def test_a_papers_own_published_at_is_its_published_date_not_a_digest() -> None:
    """Items that are the paper object alone: publishedAt is the arXiv date (3 digests before)."""
    items = [
        {"id": "2501.03262", "title": "REINFORCE++: A Simple and Efficient Approach", "publishedAt": "2025-01-04T02:08:06.000Z"},
        {"id": "2501.04519", "title": "rStar-Math: Small LLMs Can Master Math Reasoning", "publishedAt": "2025-01-07T17:21:00.000Z"},
    ]  # fmt: skip
    parsed = sources.parse_bytes(json.dumps(items).encode(), "day.json")
    assert [(s.label, s.date) for s in parsed.digest.sections] == [(None, None)]
    assert [p.published for p in parsed.digest.papers] == ["2025-01-04", "2025-01-07"]


# -- control characters and terminal escapes (issue 17 point 3) -----------------------------

_HOSTILE = (
    "\x1b]0;pwned\x07\x1b[2J\x1b]52;c;ZXZpbA==\x07\x1b]8;;https://evil\x1b\\x\x1b]8;;\x1b\\\x9b31m"
)


def _clean(text: str) -> bool:
    return not any((ord(c) < 32 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F for c in text)


def _hostile_files() -> list[tuple[str, str]]:
    item = {
        "paper": {
            "id": "2410.05258",
            "title": f"Differential {_HOSTILE}Transformer",
            "summary": f"An abstract{_HOSTILE} with escapes.\n\nSecond paragraph.",
            "authors": [{"name": f"Tianzhu{_HOSTILE} Ye"}],
            "submittedOnDailyAt": "2024-10-08T00:00:00Z",
        }
    }
    arxiv = (
        "Date: Mon, 7 Oct 2024 20:00:00 -0400\n\n"
        "------------------------------------------------------------------------------\n"
        "\\\\\narXiv:2410.05258\nDate: Mon, 7 Oct 2024 17:59:58 GMT   (1024kb,D)\n\n"
        f"Title: Differential {_HOSTILE}Transformer\n"
        f"Authors: Tianzhu Ye, Li{_HOSTILE} Dong\nCategories: cs.CL\n\\\\\n"
        f"  An abstract{_HOSTILE} with escapes.\n"
        "\\\\ ( https://arxiv.org/abs/2410.05258 ,  1024kb)\n"
        "------------------------------------------------------------------------------\n"
    )
    page = (
        "Oct 7\n\n"
        f"### [Differential {_HOSTILE}Transformer](https://huggingface.co/papers/2410.05258)\n\n"
        f"Authors: Tianzhu{_HOSTILE} Ye, Li Dong\n\n"
        f"An abstract{_HOSTILE} with escapes. It has two sentences.\n"
    )
    html = (
        "<!DOCTYPE html><html><body><p>Oct 7</p>"
        f'<h3><a href="https://huggingface.co/papers/2410.05258">Differential {_HOSTILE}'
        f"Transformer</a></h3><p>An abstract{_HOSTILE} with escapes.</p></body></html>"
    )
    text = f"Oct 7\n\nDifferential {_HOSTILE}Transformer\n\nAn abstract{_HOSTILE} with escapes.\n"
    return [
        ("day.json", json.dumps([item])),
        ("listing.txt", arxiv),
        ("page.md", page),
        ("page.html", html),
        ("copy.txt", text),
    ]


@pytest.mark.parametrize(("name", "content"), _hostile_files(), ids=lambda v: str(v)[:10])
def test_every_source_strips_terminal_escapes_at_import(
    name: str, content: str, data_dir: Path, tmp_path: Path
) -> None:
    with _import(data_dir, tmp_path, name, content, date="2024-10-07") as lib:
        assert lib.papers
        for paper in lib.papers:
            for text in (paper.title, paper.abstract, *paper.authors, paper.url or ""):
                assert _clean(text), (name, text)
                assert "[2J" not in text and "pwned" not in text and "52;c;" not in text
        assert any("Transformer" in p.title for p in lib.papers)
        for digest in lib.digests:
            assert _clean(digest.label)


def test_text_page_where_most_title_lines_are_not_papers_is_refused() -> None:
    """Never invent, never hide: a file of mostly doubtful candidates is refused in one sentence."""
    text = (
        "Oct 7\n\nReal Paper Title About Things\n\n"
        "This is the abstract of the paper. It has two sentences, both long enough to be prose.\n\n"
        "Contact Our Sales Team\n\nTerms Of Use And Policies\n\n"
        "Careers At The Company\n\nDownload The Mobile App\n"
    )
    with pytest.raises(DigestError) as err:
        sources.parse_bytes(text.encode(), "odd.txt")
    message = str(err.value)
    assert "odd.txt" in message and "--format" in message and "--date" in message
    assert "\n" not in message


PLAIN_SEARCH_VIEW = """\
Daily Papers

Jun 29

MURMUR: An Efficient Inference System for Long-Form ASR

Hours of audio are usually cut into windows, which loses context at the cuts. This system schedules the windows so that long transcripts keep their context and stay fast.

· 3 authors
·
May 30
65

Gemini 1.5: Unlocking multimodal understanding across millions of tokens of context

A report on a multimodal model family that reads very long inputs. Recall stays high across text, audio and video when the context grows to millions of tokens.

· 671 authors
·
Mar 8, 2024 [ 6]
24

VIBEVOICE-ASR Technical Report

One model transcribes long recordings, tells the speakers apart and places timestamps. It does all three in a single pass instead of a pipeline.

· 4 authors
·
Mar 13 [ 3]
1

ChunkFormer: Masked Chunking Conformer For Long-Form Speech Transcription

Masked chunks let a conformer transcribe hours of speech on one accelerator. Padding is avoided, so batches cost less memory and time.

· 4 authors
·
Feb 20, 2025
"""


def test_plain_copy_of_a_search_view_is_one_digest_with_published_dates() -> None:
    """Bad cases without links: each paper's date split the page; 'Mar 8, 2024 [ 6]' was a title."""
    parsed = sources.parse_bytes(PLAIN_SEARCH_VIEW.encode(), "search.txt")
    assert [(s.label, len(s.papers)) for s in parsed.digest.sections] == [("Jun 29", 4)]
    assert [(p.title[:20], p.published) for p in parsed.digest.papers] == [
        ("MURMUR: An Efficient", "May 30"),
        ("Gemini 1.5: Unlockin", "2024-03-08"),
        ("VIBEVOICE-ASR Techni", "Mar 13"),
        ("ChunkFormer: Masked ", None),
    ]


def test_flattened_search_view_with_url_lines_and_vote_boxes() -> None:
    """Bad case '[-] 33' as a paper's title; the day's year from the page's own day links."""
    cards = [
        ("2410.05434", "Better than Your Teacher: Agents that learn from Feedback", "1", "Oct 7, 2024"),
        ("2305.06161", "StarCoder: may the source be with you!", "33", "May 9, 2023"),
        ("2306.14898", "InterCode: Benchmarking Interactive Coding", "-", "Jun 26, 2023"),
    ]  # fmt: skip
    text = (
        "Daily Papers\n\nby\n\nAK\n\nhttps://huggingface.co/akhaliq\n\n and the research "
        "community\n\nhttps://huggingface.co/papers/date/2026-03-24\n\nMar 25\n\n"
    )
    for pid, title, votes, published in cards:
        text += (
            f" [-] {votes}\n\nhttps://huggingface.co/login?next=%2Fpapers%2F{pid}\n\n{title}\n\n"
            f"https://huggingface.co/papers/{pid}\n\n"
            "An abstract of this paper in two sentences. It says what the paper does.\n\n"
            f"https://huggingface.co/papers/{pid}\n\n·\n\n{published}\n\n"
        )
    parsed = sources.parse_bytes(text.encode(), "search.md")
    assert [(s.label, s.date) for s in parsed.digest.sections] == [("Mar 25", "2026-03-25")]
    assert [p.title for p in parsed.digest.papers] == [title for _, title, _, _ in cards]
    assert [p.arxiv_id for p in parsed.digest.papers] == [pid for pid, _, _, _ in cards]
