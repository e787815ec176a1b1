"""Tests for the plain-text page parser (tracker.sources.text): seeds, every page variant, errors, fuzzing."""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.sources.parsed import DigestError, ParsedDigest, ParseWarning, decode
from tracker.sources.text import parse, parse_bytes

SEEDS = Path(__file__).parent.parent.parent / "seeds"
FIXTURES = Path(__file__).parent.parent / "fixtures" / "digests"
SEED_A = SEEDS / "000_0c6dd877d1d695bf.txt"
SEED_B = SEEDS / "001_647fae0982a8fe03.txt"

HEADER = [
    "new",
    "Get trending papers in your email inbox!",
    "Subscribe",
    "Daily Papers",
    "byAK and the research community",
]

T1 = "Differential Transformer"
A1 = (
    "Transformer tends to overallocate attention to irrelevant context. In this work, we "
    "introduce Diff Transformer, which amplifies attention to the relevant context while "
    "canceling noise. Specifically, the differential attention mechanism calculates attention "
    "scores as the difference between two separate softmax attention maps."
)
T2 = "Pointer Networks"
A2 = (
    "We introduce a new neural architecture to learn the conditional probability of an output "
    "sequence with elements that are discrete tokens corresponding to positions in an input "
    "sequence. Such problems cannot be trivially addressed by existing approaches."
)
T3 = "Order Matters: Sequence to sequence for sets"
A3 = (
    "Sequences have become first class citizens in supervised learning thanks to the resurgence "
    "of recurrent neural networks. We discuss an extension of the seq2seq framework that goes "
    "beyond sequences and handles input sets in a principled way."
)


def page(*blocks: str, header: bool = True, date: str | None = "Oct 7") -> str:
    """A clean digest page: header, date line, then the given blocks."""
    parts = list(HEADER) if header else []
    if date is not None:
        parts.append(date)
    parts.extend(blocks)
    return "\n\n".join(parts) + "\n"


def titles(digest: ParsedDigest) -> list[str]:
    return [p.title for p in digest.papers]


def abstracts(digest: ParsedDigest) -> list[str]:
    return [p.abstract for p in digest.papers]


def messages(digest: ParsedDigest) -> list[str]:
    return [str(w) for w in digest.warnings]


def seed_blocks(path: Path) -> tuple[str, list[str], list[str]]:
    """The seed split naively: label, titles, abstracts (each block whitespace-trimmed)."""
    blocks = [b.strip() for b in path.read_text(encoding="utf-8").split("\n\n") if b.strip()]
    index = next(i for i, b in enumerate(blocks) if b in ("Aug 25", "Mar 17"))
    body = blocks[index + 1 :]
    return blocks[index], body[0::2], body[1::2]


# --------------------------------------------------------------------------
# Seeds
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "count", "label", "label_line", "first", "last"),
    [
        (
            SEED_A,
            71,
            "Aug 25",
            11,
            "Order Matters: Sequence to sequence for sets",
            "ATLAS: Learning to Optimally Memorize the Context at Test Time",
        ),
        (
            SEED_B,
            62,
            "Mar 17",
            9,
            "An Interdisciplinary Comparison of Sequence Modeling Methods for Next-Element Prediction",
            "Efficient Long-Range Transformers: You Need to Attend More, but Not Necessarily at Every Layer",
        ),
    ],
)
def test_seed_parses_exactly(
    path: Path, count: int, label: str, label_line: int, first: str, last: str
) -> None:
    digest = parse_bytes(path.read_bytes(), path.name)
    raw_label, raw_titles, raw_abstracts = seed_blocks(path)
    assert len(digest.papers) == count == len(raw_titles) == len(raw_abstracts)
    assert [(s.label, s.date, s.line) for s in digest.sections] == [(label, None, label_line)]
    assert label == raw_label
    # Byte-exact: every title and abstract is the seed's block, trimmed.
    assert titles(digest) == raw_titles
    assert abstracts(digest) == raw_abstracts
    assert (titles(digest)[0], titles(digest)[-1]) == (first, last)
    assert digest.warnings == ()
    lines = path.read_text(encoding="utf-8").split("\n")
    for paper in digest.papers:
        assert lines[paper.line - 1].strip() == paper.title
        assert (paper.arxiv_id, paper.url, paper.authors, paper.upvotes) == (None, None, (), None)


def test_seeds_share_19_titles() -> None:
    from tracker.models import normalize_title

    a = {normalize_title(t) for t in titles(parse_bytes(SEED_A.read_bytes(), SEED_A.name))}
    b = {normalize_title(t) for t in titles(parse_bytes(SEED_B.read_bytes(), SEED_B.name))}
    assert len(a & b) == 19
    assert len(a | b) == 114


# --------------------------------------------------------------------------
# Clean format basics
# --------------------------------------------------------------------------


def test_clean_page() -> None:
    digest = parse(page(T1, A1, T2, A2))
    assert titles(digest) == [T1, T2]
    assert abstracts(digest) == [A1, A2]
    assert digest.sections[0].label == "Oct 7"
    assert digest.sections[0].date is None
    assert digest.sections[0].line == 11
    assert [p.line for p in digest.papers] == [13, 17]
    assert digest.warnings == ()


def test_header_lines_may_be_missing() -> None:
    digest = parse(page(T1, A1, header=False))
    assert titles(digest) == [T1]
    assert digest.warnings == ()
    digest = parse("Subscribe\n\nOct 7\n\n" + T1 + "\n\n" + A1)
    assert titles(digest) == [T1]
    assert digest.warnings == ()


def test_one_sentence_abstract_after_a_title() -> None:
    short = "We propose the Transformer, based solely on attention mechanisms, dispensing with recurrence and convolutions entirely."
    digest = parse(page("Attention Is All You Need", short, T2, A2))
    assert titles(digest) == ["Attention Is All You Need", T2]
    assert abstracts(digest) == [short, A2]


# --------------------------------------------------------------------------
# Variants made by copying
# --------------------------------------------------------------------------


def test_crlf_and_lone_cr() -> None:
    text = page(T1, A1, T2, A2)
    for newline in ("\r\n", "\r"):
        digest = parse(text.replace("\n", newline))
        assert titles(digest) == [T1, T2]
        assert abstracts(digest) == [A1, A2]
        assert [p.line for p in digest.papers] == [13, 17]
        assert digest.warnings == ()
    assert titles(parse_bytes(text.replace("\n", "\r\n").encode(), "crlf.txt")) == [T1, T2]


def test_bom() -> None:
    text = page(T1, A1)
    assert titles(parse("\ufeff" + text)) == [T1]
    digest = parse_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"), "bom.txt")
    assert titles(digest) == [T1]
    assert digest.sections[0].label == "Oct 7"
    assert decode(b"\xef\xbb\xbfabc\r\ndef", "x") == "abc\ndef"


def test_trailing_and_leading_spaces() -> None:
    text = page(T1 + "   ", "  " + A1 + " \t", T2 + "\u00a0", A2)
    text = text.replace("\n\n", "\n  \n")
    digest = parse(text)
    assert titles(digest) == [T1, T2]
    assert abstracts(digest) == [A1, A2]
    assert digest.warnings == ()


def test_smart_quotes_kept_exactly_and_deduplicated() -> None:
    title = "“Yes, but…” – Can ChatGPT’s Answers Be Trusted"
    abstract = "We ask whether “chat” models can be trusted. It’s complicated, we find, and we explain why in detail."
    digest = parse(page(title, abstract, T1, A1))
    assert titles(digest) == [title, T1]
    assert abstracts(digest) == [abstract, A1]
    # The same title with straight quotes is the same paper.
    plain = '"Yes, but..." - Can ChatGPT\'s Answers Be Trusted'
    digest = parse(page(title, abstract, plain, abstract))
    assert titles(digest) == [title]
    assert any("duplicate" in m for m in messages(digest))


def test_title_wrapped_over_two_lines() -> None:
    wrapped = "Order Matters:\nSequence to sequence for sets"
    digest = parse(page(T1, A1, wrapped, A3))
    assert titles(digest) == [T1, T3]
    assert abstracts(digest) == [A1, A3]
    assert digest.papers[1].line == 17
    assert digest.warnings == ()


def test_abstract_in_several_paragraphs() -> None:
    p1, p2, p3 = A1, A2, "Code is available online."
    digest = parse(page(T1, p1, p2, p3, T3, A3))
    assert titles(digest) == [T1, T3]
    assert abstracts(digest) == [f"{p1}\n\n{p2}\n\n{p3}", A3]
    assert digest.warnings == ()


def test_short_last_paragraph_with_a_link_is_not_a_title() -> None:
    digest = parse(page(T1, A1, "Project page: https://diff-transformer.github.io", T2, A2))
    assert titles(digest) == [T1, T2]
    assert abstracts(digest) == [A1 + "\n\nProject page: https://diff-transformer.github.io", A2]
    assert digest.warnings == ()


def test_title_made_of_sentences_between_two_abstracts() -> None:
    title = "Stop Regressing. Train Value Functions via Classification for Scalable Deep RL"
    digest = parse(page(T1, A1, title, A2))
    assert titles(digest) == [T1, title]
    assert abstracts(digest) == [A1, A2]


def test_extra_page_text() -> None:
    text = page(
        "Submitted by someone",
        "42",
        T1,
        "· 7 authors",
        "arXiv:2410.05258",
        "Published on Oct 7",
        A1,
        "Submitted by another",
        "▲ 13",
        T2,
        "· 3 authors",
        A2,
        "Upvote 5",
        T3,
        A3,
    )
    digest = parse(text)
    assert titles(digest) == [T1, T2, T3]
    assert abstracts(digest) == [A1, A2, A3]
    assert [p.upvotes for p in digest.papers] == [42, 13, 5]
    assert digest.papers[0].arxiv_id == "2410.05258"
    msgs = messages(digest)
    assert "line 13: skipped 'Submitted by someone' (submitter; 1 more like it)" in msgs
    assert "line 19: skipped '· 7 authors' (author count; 1 more like it)" in msgs
    assert "line 23: skipped 'Published on Oct 7' (publication date)" in msgs
    # Folded: one warning per kind of page text, not one per line.
    assert len(msgs) == 3


def test_upvotes_after_the_abstract_attach_to_the_paper_above() -> None:
    digest = parse(page(T1, A1, "▲ 42", T2, A2, "▲ 7"))
    assert [p.upvotes for p in digest.papers] == [42, 7]


def test_missing_abstract() -> None:
    digest = parse(page(T1, A1, T2, T3, A3))
    assert titles(digest) == [T1, T2, T3]
    assert abstracts(digest) == [A1, "", A3]
    assert messages(digest) == [f"line 17: no abstract for {T2!r}"]


def test_missing_abstract_at_the_edges_is_reported_not_guessed() -> None:
    # Short text right after the date line or after the last paper is more often
    # page text than a paper: it is skipped, with a warning naming the line.
    digest = parse(page(T2, T1, A1, T3))
    assert titles(digest) == [T1]
    assert messages(digest) == [
        f"line 13: skipped {T2!r} (no abstract; not taken for a paper)",
        f"line 19: skipped {T3!r} (no abstract; not taken for a paper)",
    ]
    # With an arXiv link it is a paper for sure.
    digest = parse(page(T2, "https://arxiv.org/abs/1506.03134", T1, A1))
    assert titles(digest) == [T2, T1]
    assert digest.papers[0].arxiv_id == "1506.03134"
    assert messages(digest) == [f"line 13: no abstract for {T2!r}"]


def test_one_sentence_abstract_without_a_full_stop() -> None:
    abstract = (
        "We present a model that reads an entire book in one pass and answers questions about "
        "it with the accuracy of a careful human reader, available at https://example.org/code"
    )
    digest = parse(page(T1, abstract, T2, A2))
    assert titles(digest) == [T1, T2]
    assert abstracts(digest) == [abstract, A2]


def test_missing_date_line() -> None:
    digest = parse(page(T1, A1, T2, A2, date=None))
    assert titles(digest) == [T1, T2]
    assert [s.label for s in digest.sections] == [None]
    assert digest.sections[0].date is None and digest.sections[0].line is None
    # No warning of its own: the import dates such a page by --date or refuses it.
    assert digest.warnings == ()


def test_several_date_sections() -> None:
    text = page(T1, A1, "Oct 8", T2, A2, "Oct 9, 2024", T3, A3)
    digest = parse(text)
    assert [s.label for s in digest.sections] == ["Oct 7", "Oct 8", "Oct 9, 2024"]
    assert [s.date for s in digest.sections] == [None, None, "2024-10-09"]
    assert [[p.title for p in s.papers] for s in digest.sections] == [[T1], [T2], [T3]]
    assert titles(digest) == [T1, T2, T3]
    assert digest.warnings == ()


def test_the_same_date_again_does_not_start_a_section() -> None:
    digest = parse(page(T1, "Oct 7", A1, "Oct 7", T2, A2, "Oct 8", T3, A3))
    assert [(s.label, len(s.papers)) for s in digest.sections] == [("Oct 7", 2), ("Oct 8", 1)]
    assert abstracts(digest) == [A1, A2, A3]


def test_empty_sections_are_dropped() -> None:
    digest = parse("Oct 6\n\nPrevious\n\nNext\n\nOct 7\n\n" + T1 + "\n\n" + A1)
    assert [(s.label, s.line) for s in digest.sections] == [("Oct 7", 7)]
    assert digest.warnings == ()


def test_date_with_year() -> None:
    digest = parse(page(T1, A1, date="Oct 7, 2024"))
    section = digest.sections[0]
    assert (section.label, section.date) == ("Oct 7, 2024", "2024-10-07")
    for label, iso in [
        ("October 7, 2024", "2024-10-07"),
        ("7 Oct 2024", "2024-10-07"),
        ("2024-10-07", "2024-10-07"),
        ("Mon, Oct 7, 2024", "2024-10-07"),
        ("Sep 30", None),
        ("Sept 30", None),
    ]:
        section = parse(page(T1, A1, date=label)).sections[0]
        assert (section.label, section.date) == (label, iso)


def test_impossible_date_keeps_label_without_iso() -> None:
    digest = parse(page(T1, A1, date="Feb 30, 2024"))
    assert digest.sections[0].label == "Feb 30, 2024"
    assert digest.sections[0].date is None
    assert any("not a real date" in m for m in messages(digest))


NAV = """Hugging Face
Models
Datasets
Spaces
Posts
Docs
Pricing
Log In
Sign Up
"""
FOOTER = """System theme
Company
TOS
Privacy
About
Jobs
Website
Models
Datasets
Spaces
Pricing
Docs
"""


def test_navigation_menu_and_footer() -> None:
    text = NAV + "\n" + page(T1, A1, T2, A2) + "\n" + FOOTER
    digest = parse(text)
    assert titles(digest) == [T1, T2]
    assert abstracts(digest) == [A1, A2]
    assert digest.warnings == ()
    # Separated by blank lines too.
    text = NAV.replace("\n", "\n\n") + page(T1, A1) + "\n" + FOOTER.replace("\n", "\n\n")
    digest = parse(text)
    assert titles(digest) == [T1]
    assert digest.warnings == ()


def test_url_line_after_each_title() -> None:
    text = page(
        T1,
        "https://huggingface.co/papers/2410.05258",
        A1,
        T2,
        "https://arxiv.org/abs/1506.03134v2",
        A2,
    )
    digest = parse(text)
    assert titles(digest) == [T1, T2]
    assert abstracts(digest) == [A1, A2]
    assert [p.arxiv_id for p in digest.papers] == ["2410.05258", "1506.03134"]
    assert [p.url for p in digest.papers] == [
        "https://huggingface.co/papers/2410.05258",
        "https://arxiv.org/abs/1506.03134v2",
    ]
    assert digest.warnings == ()


def test_url_line_in_the_same_block_as_the_title() -> None:
    text = page(f"{T1}\nhttps://huggingface.co/papers/2410.05258\n{A1}")
    digest = parse(text)
    assert titles(digest) == [T1]
    assert abstracts(digest) == [A1]
    assert digest.papers[0].arxiv_id == "2410.05258"


def test_markdown_headings_and_links() -> None:
    text = "\n\n".join(
        [
            "# Daily Papers",
            "## Oct 7, 2024",
            f"### {T1}",
            A1,
            f"### [{T2}](https://huggingface.co/papers/1506.03134)",
            A2,
            f"### [{T3}][12]",
            A3,
            "[12]: https://huggingface.co/papers/1511.06391",
        ]
    )
    digest = parse(text)
    assert titles(digest) == [T1, T2, T3]
    assert abstracts(digest) == [A1, A2, A3]
    assert [p.arxiv_id for p in digest.papers] == [None, "1506.03134", "1511.06391"]
    assert digest.papers[2].url == "https://huggingface.co/papers/1511.06391"
    assert digest.sections[0].date == "2024-10-07"
    assert digest.warnings == ()


def test_markdown_heading_directly_above_the_abstract() -> None:
    text = f"## Oct 7\n### {T1}\n{A1}\n### [{T2}](/papers/1506.03134)\n{A2}\n"
    digest = parse(text)
    assert titles(digest) == [T1, T2]
    assert abstracts(digest) == [A1, A2]
    assert digest.papers[1].url == "https://huggingface.co/papers/1506.03134"


def test_upvotes_split_over_several_lines() -> None:
    text = page("▲", "42", T1, A1, "Upvote", "7", T2, A2)
    digest = parse(text)
    assert titles(digest) == [T1, T2]
    assert [p.upvotes for p in digest.papers] == [42, 7]
    assert digest.warnings == ()
    text = page(T1, "▲\n1.2k", A1)
    assert parse(text).papers[0].upvotes == 1200


def test_page_rendered_twice() -> None:
    once = page(T1, A1, T2, A2)
    digest = parse(once + "\n" + once)
    assert titles(digest) == [T1, T2]
    assert [s.label for s in digest.sections] == ["Oct 7"]
    msgs = messages(digest)
    assert len(msgs) == 2
    assert all("duplicate" in m for m in msgs)
    assert msgs[0] == f"line 33: skipped duplicate {T1!r} (already on line 13)"
    assert "line 13" in msgs[0]


def test_duplicate_by_normalized_title_is_dropped() -> None:
    digest = parse(page(T1, A1, T1.upper() + ".", A2))
    assert titles(digest) == [T1]
    assert abstracts(digest) == [A1]
    dup = T1.upper() + "."
    assert messages(digest) == [f"line 17: skipped duplicate {dup!r} (already on line 13)"]


def test_duplicate_fills_in_a_missing_abstract() -> None:
    once = page(T1, A1, T2, T3, A3)
    twice = once + "\n" + page(T1, A1, T2, A2, T3, A3)
    digest = parse(twice)
    assert titles(digest) == [T1, T2, T3]
    assert abstracts(digest) == [A1, A2, A3]


def test_lynx_dump() -> None:
    text = (FIXTURES / "lynx.txt").read_text(encoding="utf-8")
    digest = parse(text, "lynx.txt")
    assert titles(digest) == [
        "Differential Transformer",
        "Pointer Networks: A Neural Architecture That Learns to Point at Positions in Its Input",
        "Order Matters: Sequence to sequence for sets",
    ]
    assert abstracts(digest)[0] == A1
    assert abstracts(digest)[2] == A3
    assert [p.arxiv_id for p in digest.papers] == ["2410.05258", "1506.03134", "1511.06391"]
    assert [p.upvotes for p in digest.papers] == [42, 13, 7]
    assert digest.sections[0].label == "Oct 7"
    # Page text is reported once per kind, not once per paper.
    assert len(digest.warnings) <= 4


def test_w3m_dump() -> None:
    text = (FIXTURES / "w3m.txt").read_text(encoding="utf-8")
    digest = parse(text, "w3m.txt")
    assert titles(digest) == [T1, T2, T3]
    assert abstracts(digest) == [A1, A2, A3]
    assert [p.upvotes for p in digest.papers] == [42, 13, 7]


def test_note_taking_export() -> None:
    text = (FIXTURES / "obsidian.md").read_text(encoding="utf-8")
    digest = parse(text, "obsidian.md")
    assert titles(digest) == [T1, T2, T3]
    assert abstracts(digest) == [A1, A2, A3]
    assert digest.sections[0].date == "2024-10-07"
    assert digest.papers[0].authors == ("Tianzhu Ye", "Li Dong", "Furu Wei")
    assert digest.warnings == ()


def test_browser_copy_of_the_live_page() -> None:
    # Select-all + copy: one line per element, no blank lines, the submitter's
    # name on its own line, the date on every card, a comment count after each.
    text = (FIXTURES / "browser_copy.txt").read_text(encoding="utf-8")
    digest = parse(text, "browser_copy.txt")
    assert titles(digest) == [T1, T2, T3]
    assert abstracts(digest) == [A1, A2, A3]
    assert [p.upvotes for p in digest.papers] == [181, 42, 7]
    assert [(s.label, s.line) for s in digest.sections] == [("Oct 7", 16)]
    assert messages(digest) == [
        "line 23: skipped 'Submitted by' (submitter; 2 more like it)",
        "line 30: skipped '· 7 authors' (author count; 2 more like it)",
    ]


def test_markdown_conversion_of_the_live_page() -> None:
    # html2text / markdownify output: nested image links, inline links in the
    # header and footer, relative paper links on the title headings.
    text = (FIXTURES / "markdown.md").read_text(encoding="utf-8")
    digest = parse(text, "markdown.md")
    assert titles(digest) == [T1, T2, T3]
    assert abstracts(digest) == [A1, A2, A3]
    assert [p.arxiv_id for p in digest.papers] == ["2410.05258", "1506.03134", "1511.06391"]
    assert digest.papers[0].url == "https://huggingface.co/papers/2410.05258"
    assert [p.upvotes for p in digest.papers] == [181, 42, 7]
    # "Oct 7" between links to ?date=2024-10-06 and ?date=2024-10-08: its year is theirs.
    assert [(s.label, s.date) for s in digest.sections] == [("Oct 7", "2024-10-07")]
    assert len(digest.warnings) == 3
    assert "the year comes from the page's link to 2024-10-06" in str(digest.warnings[0])


def test_collection_style_paper_lines() -> None:
    text = page(T1, "Paper • 2410.05258 • Published Oct 7 • 181", A1, T2, "1506.03134", A2)
    digest = parse(text)
    assert titles(digest) == [T1, T2]
    assert [p.arxiv_id for p in digest.papers] == ["2410.05258", "1506.03134"]
    assert [p.upvotes for p in digest.papers] == [181, None]


def test_unwrapped_export_without_blank_lines() -> None:
    text = "Oct 7\n" + "\n".join([T1, A1, T2, A2, T3, A3]) + "\n"
    digest = parse(text)
    assert titles(digest) == [T1, T2, T3]
    assert abstracts(digest) == [A1, A2, A3]


def test_unwrapped_export_with_short_abstracts_and_a_wrapped_title() -> None:
    short = "We study pointers. They point at positions in the input sequence."
    lines = ["Oct 7", T1, A1 + " " + A2, "Order Matters:", "Sequence to sequence for sets", short]
    digest = parse("\n".join(lines))
    assert titles(digest) == [T1, T3]
    assert abstracts(digest) == [A1 + " " + A2, short]


def test_title_and_short_abstract_in_one_block() -> None:
    short = "We study pointers. They point at positions in the input sequence."
    digest = parse(f"Oct 7\n\n{T2}\n{short}\n\n{T1}\n\n{A1}")
    assert titles(digest) == [T2, T1]
    assert abstracts(digest) == [short, A1]


def test_hard_wrapped_abstract_directly_under_its_title() -> None:
    import textwrap

    body = "\n".join(textwrap.wrap(A1, 72))
    digest = parse(f"Oct 7\n\n{T1}\n{body}\n\n{T2}\n\n{A2}\n")
    assert titles(digest) == [T1, T2]
    assert abstracts(digest) == [A1, A2]


# --------------------------------------------------------------------------
# Unknown text is reported, not turned into papers
# --------------------------------------------------------------------------


def test_unknown_text_before_the_date_is_not_a_paper() -> None:
    text = "Welcome to the best papers of the week\n\n" + page(T1, A1)
    digest = parse(text)
    assert titles(digest) == [T1]
    assert messages(digest)[0].startswith("line 1: skipped 'Welcome to the best")


def test_prose_without_a_title_is_reported() -> None:
    digest = parse(page(A2, T1, A1))
    assert titles(digest) == [T1]
    assert messages(digest) == [
        f"line 13: skipped {A2[:59].rstrip() + '…'!r} (text with no title before it)"
    ]


def test_trailing_short_text_is_reported_not_a_paper() -> None:
    digest = parse(page(T1, A1, "Made with love by the community"))
    assert titles(digest) == [T1]
    assert len(digest.warnings) == 1
    assert "Made with love" in digest.warnings[0].message
    assert digest.warnings[0].line == 17


def test_warning_str() -> None:
    assert str(ParseWarning(12, "skipped 'x'")) == "line 12: skipped 'x'"


# --------------------------------------------------------------------------
# Hostile input
# --------------------------------------------------------------------------


def test_control_characters_and_unicode() -> None:
    title = "Ünïcödé \u2028 Tïtlé wïth émoji 🚀 and 中文"
    text = page("\x07" + title + "\x1b", "\x00" + A1 + "\x7f")
    digest = parse(text)
    assert titles(digest) == [title]
    assert abstracts(digest) == [A1]


def test_terminal_colours_are_removed() -> None:
    text = page(f"\x1b[1;31m{T1}\x1b[0m", f"\x1b]8;;https://x\x07{A1}\x1b]8;;\x07")
    digest = parse(text)
    assert titles(digest) == [T1]
    assert abstracts(digest) == [A1]


def test_very_long_lines_do_not_hang() -> None:
    start = time.perf_counter()
    with pytest.raises(DigestError):
        parse("x" * 5_000_000)
    with pytest.raises(DigestError):
        parse("[" * 1_000_000 + "\n" + "# " * 500_000 + "\n" + "[a](" * 200_000)
    digest = parse(page(T1, "word. " * 500_000))
    assert len(digest.papers) == 1
    assert time.perf_counter() - start < 5


def test_many_papers_parse_fast() -> None:
    blocks = []
    for i in range(10_000):
        blocks += [f"{T3} {i}", A1 * 5]
    text = page(*blocks)
    start = time.perf_counter()
    digest = parse(text)
    elapsed = time.perf_counter() - start
    assert len(digest.papers) == 10_000
    assert elapsed < 5  # well under a second on a normal machine; generous for CI


# --------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "empty"),
        (b"  \n\r\n\t ", "empty"),
        (b"\xef\xbb\xbf\n", "empty"),
        (b"\x00\x01\x02binary\xff", "binary"),
        (bytes(range(256)) * 10, "binary"),
        (b"\x01\x02\x03\x04\x05\x06\x07\x08" * 20 + b"abc", "binary"),
        (b"Oct 7\n\nTitle\n\ncaf\xe9 au lait\n", "not UTF-8 text (invalid byte at line 5)"),
        (b"Oct 7\r\nTitle\rcaf\xe9", "line 3"),
        ("Oct 7\n\nTitle".encode("utf-16"), "UTF-16"),
    ],
)
def test_unreadable_bytes(data: bytes, fragment: str) -> None:
    with pytest.raises(DigestError) as info:
        parse_bytes(data, "notes.txt")
    assert "notes.txt" in str(info.value)
    assert fragment in str(info.value)
    assert info.value.source == "notes.txt"


def test_no_papers() -> None:
    with pytest.raises(DigestError) as info:
        parse("\n".join([*HEADER, "Oct 7", *NAV.splitlines()]), "page.txt")
    assert str(info.value) == (
        "no papers found in page.txt: expected a date line followed by title and abstract blocks"
    )
    with pytest.raises(DigestError, match="<text>"):
        parse("")


def test_digest_error_message() -> None:
    err = DigestError("notes.txt", "not UTF-8 text (invalid byte at line 3)", line=3)
    assert str(err) == "notes.txt: not UTF-8 text (invalid byte at line 3)"
    assert isinstance(err, ValueError)
    assert (err.source, err.line) == ("notes.txt", 3)
    assert str(DigestError("a.txt", "bad", line=7)) == "a.txt: bad (line 7)"


# --------------------------------------------------------------------------
# Property-based
# --------------------------------------------------------------------------

_WORD_LINES = (
    "attention transformer network learning model language large vision diffusion graph",
    "neural sparse efficient scaling reasoning retrieval agents benchmark robust",
    "multimodal generative latent policy reward alignment token memory federated quantum",
    "causal spectral adaptive hierarchical temporal optimal kernel bayesian contrastive",
)
WORDS = [w for line in _WORD_LINES for w in line.split()]

word = st.sampled_from(WORDS)
title_st = st.builds(
    lambda ws, colon, cap: (
        " ".join(w.capitalize() if cap else w for w in ws[:2])
        + (":" if colon else "")
        + " "
        + " ".join(w.capitalize() if cap else w for w in ws[2:])
    ).strip(),
    st.lists(word, min_size=3, max_size=14),
    st.booleans(),
    st.booleans(),
)
sentence_st = st.builds(
    lambda ws, end: (" ".join(ws)).capitalize() + end,
    st.lists(word, min_size=6, max_size=25),
    st.sampled_from([".", ".", ".", "!", "?"]),
)
# Real abstracts run to a thousand characters; a paragraph of one is at least two
# sentences and a hundred characters.
paragraph_st = (
    st.lists(sentence_st, min_size=2, max_size=8).map(" ".join).filter(lambda p: len(p) >= 100)
)
paper_st = st.tuples(title_st, st.lists(paragraph_st, min_size=1, max_size=3))


def _render(
    papers: list[tuple[str, list[str]]],
    header: bool,
    newline: str,
    bom: bool,
    trailing: str,
    wrap_at: int | None,
) -> str:
    blocks = list(HEADER) if header else []
    blocks.append("Mar 17")
    for title, paragraphs in papers:
        words = title.split(" ")
        if wrap_at is not None and len(words) > 3:
            cut = min(wrap_at, len(words) - 1)
            title = " ".join(words[:cut]) + "\n" + " ".join(words[cut:])
        blocks.append(title)
        blocks.extend(paragraphs)
    text = "\n\n".join(b.replace("\n", trailing + "\n") + trailing for b in blocks)
    text = text.replace("\n", newline)
    return ("\ufeff" if bom else "") + text


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    papers=st.lists(paper_st, min_size=1, max_size=8, unique_by=lambda p: p[0].casefold()),
    header=st.booleans(),
    newline=st.sampled_from(["\n", "\r\n", "\r"]),
    bom=st.booleans(),
    trailing=st.sampled_from(["", " ", "  \t"]),
    wrap_at=st.one_of(st.none(), st.integers(min_value=2, max_value=6)),
)
def test_round_trip(
    papers: list[tuple[str, list[str]]],
    header: bool,
    newline: str,
    bom: bool,
    trailing: str,
    wrap_at: int | None,
) -> None:
    from tracker.models import normalize_title

    # Titles equal after normalization are one paper by design.
    keys = [normalize_title(t) for t, _ in papers]
    if len(set(keys)) != len(keys):
        return
    text = _render(papers, header, newline, bom, trailing, wrap_at)
    digest = parse(text)
    assert titles(digest) == [t for t, _ in papers]
    assert abstracts(digest) == ["\n\n".join(ps) for _, ps in papers]
    assert digest.warnings == ()
    assert [s.label for s in digest.sections] == ["Mar 17"]
    assert parse_bytes(text.encode("utf-8"), "gen.txt") == digest


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    papers=st.lists(paper_st, min_size=1, max_size=6, unique_by=lambda p: p[0].casefold()),
    extras=st.lists(
        st.tuples(
            st.booleans(),  # "Submitted by …"
            st.one_of(st.none(), st.integers(0, 5000)),  # upvotes before the title
            st.one_of(st.none(), st.from_regex(r"2[0-4][01][0-9]\.[0-9]{5}", fullmatch=True)),
            st.one_of(st.none(), st.integers(1, 40)),  # "· N authors"
        ),
        min_size=6,
        max_size=6,
    ),
    nav=st.booleans(),
    sep=st.sampled_from(["\n\n", "\n"]),
)
def test_round_trip_with_page_text(
    papers: list[tuple[str, list[str]]],
    extras: list[tuple[bool, int | None, str | None, int | None]],
    nav: bool,
    sep: str,
) -> None:
    """Page text around and between the papers never loses or invents one."""
    from tracker.models import normalize_title

    if len({normalize_title(t) for t, _ in papers}) != len(papers):
        return
    if sep == "\n":
        # Without blank lines, a paragraph is a line, and a line this long
        # tells the parser the text is not wrapped at a fixed width.
        papers = [(t, [" ".join(ps)]) for t, ps in papers]
        papers[0] = (papers[0][0], [papers[0][1][0] + " Padding sentence." * 12])
    lines = NAV.splitlines() if nav else []
    lines += [*HEADER, "Oct 7, 2024"]
    for (title, paragraphs), (submitted, votes, arxiv_id, authors) in zip(
        papers, extras, strict=False
    ):
        if submitted:
            lines.append("Submitted by someone")
        if votes is not None:
            lines.append(f"▲ {votes}")
        lines.append(title)
        if arxiv_id is not None:
            lines.append(f"https://huggingface.co/papers/{arxiv_id}")
        if authors is not None:
            lines.append(f"· {authors} authors")
        lines.extend(paragraphs)
    if nav:
        lines += FOOTER.splitlines()
    digest = parse(sep.join(lines))
    assert titles(digest) == [t for t, _ in papers]
    assert abstracts(digest) == ["\n\n".join(ps) for _, ps in papers]
    assert [p.arxiv_id for p in digest.papers] == [e[2] for e in extras[: len(papers)]]
    assert [s.date for s in digest.sections] == ["2024-10-07"]
    if all(e[1] is not None for e in extras[: len(papers)]):
        assert [p.upvotes for p in digest.papers] == [e[1] for e in extras[: len(papers)]]
    assert not any("no abstract" in m or "duplicate" in m for m in messages(digest))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=2000))
def test_arbitrary_text_only_raises_digest_error(text: str) -> None:
    try:
        digest = parse(text, "fuzz.txt")
    except DigestError as err:
        assert "fuzz.txt" in str(err)
        return
    for paper in digest.papers:
        assert paper.title.strip() == paper.title and paper.title
        assert paper.line >= 1


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_only_raise_digest_error(data: bytes) -> None:
    try:
        parse_bytes(data, "fuzz.bin")
    except DigestError as err:
        assert "fuzz.bin" in str(err)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.text(alphabet=st.sampled_from(list("\n #*[]()0123456789.:-abcdefg ")), max_size=40),
        max_size=30,
    )
)
def test_markup_soup_only_raises_digest_error(lines: list[str]) -> None:
    with contextlib.suppress(DigestError):
        parse("\n".join(lines))


NOISE_LINES = [
    *HEADER,
    *NAV.split("\n"),
    *FOOTER.split("\n"),
    "Oct 7",
    "Aug 25, 2024",
    "42",
    "▲ 42",
    "▲",
    "Upvote 42",
    "Upvote",
    "· 7 authors",
    "Submitted by someone",
    "Submitted by akhaliq",
    "arXiv:2410.05434",
    "Published on Oct 7",
    "https://huggingface.co/papers/2410.05434",
    "https://arxiv.org/abs/2410.05434v2",
    "https://huggingface.co/models",
    "* [3]Models",
    "[12]: https://huggingface.co/papers/2410.05434",
    "# Daily Papers",
    "---",
    "3 comments",
    "",
]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(NOISE_LINES), max_size=60),
    st.sampled_from(["\n", "\n\n", "\r\n"]),
)
def test_no_paper_is_invented_from_noise(lines: list[str], sep: str) -> None:
    with pytest.raises(DigestError, match="no papers found"):
        parse(sep.join(lines), "noise.txt")


def test_title_read_as_a_paragraph_is_reported_not_silent() -> None:
    # A "title" with a URL and a full stop in it reads as one more paragraph of
    # the abstract above; the parser must say so, naming the line.
    abstract = "We study a problem in depth and report what we found. " * 4
    text = (
        "Daily Papers\n\nOct 7, 2024\n\nA Normal Title\n\n"
        + abstract
        + "\n\nSee https://github.com/x/y. Then More Title Words\n\n"
        + abstract
        + "\n"
    )
    digest = parse(text, "t.txt")
    assert [p.title for p in digest.papers] == ["A Normal Title"]
    [warning] = digest.warnings
    assert warning.line == 9 and "if it is a title" in warning.message


def test_arxiv_ids_old_and_new_read_like_every_other_format() -> None:
    """The text parser uses the one arXiv-id pattern (tracker.sources.fields) all formats share."""
    from tracker.sources import fields

    page = (
        "Oct 7\n\n"
        "Knot Invariants from Quantum Groups\n"
        "arXiv:math.GT/0309136\n\n"
        "We study invariants of knots. They come from quantum groups.\n\n"
        "Strings on Branes\n"
        "https://arxiv.org/abs/hep-th/9901001v2\n\n"
        "We study strings. Branes appear.\n\n"
        "Sparse Attention at Scale\n"
        "https://huggingface.co/papers/2410.05258\n\n"
        "We make attention sparse. It scales.\n"
    )
    ids = [p.arxiv_id for p in parse(page, "ids.txt").papers]
    assert ids == ["math.GT/0309136", "hep-th/9901001", "2410.05258"]
    assert ids == [fields.arxiv_id(i) for i in ids]
