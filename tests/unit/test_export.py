"""Markdown export: structure, notes verbatim, front matter."""

from __future__ import annotations

import json

from tracker.exports.item import ExportItem
from tracker.exports.markdown import markdown
from tracker.exports.vault import file_name, per_paper_files
from tracker.models import Annotation, Digest, Paper, Status

DIGESTS = [
    Digest("d1", "Aug 25", "2025-08-25", "a.txt", "x", "t"),
    Digest("d2", "Mar 17", None, "b.txt", "y", "t"),
]


def _item(
    title: str, status: Status, note: str = "", digests: tuple[str, ...] = ("d1",)
) -> ExportItem:
    paper = Paper(f"id{len(title)}", title, "An abstract.", list(digests), url="https://x.org/1")
    return ExportItem(paper, Annotation(paper.id, status, note, ["ml"]))


def test_markdown_groups_by_digest_and_keeps_notes_verbatim() -> None:
    note = "## My take\n\n- point one\n- `code`\n\n> quoted"
    items = [
        _item("Pointer Networks", Status.READ, note),
        _item("Other", Status.NEW, digests=("d2",)),
    ]
    text = markdown(items, DIGESTS)
    assert text.startswith("# Paper notes\n")
    assert "## Aug 25 2025" in text and "## Mar 17" in text
    assert (
        text.index("## Aug 25 2025") < text.index("### Pointer Networks") < text.index("## Mar 17")
    )
    # Verbatim but for its heading, which goes below the paper's (### + 2).
    assert note.replace("## My take", "##### My take") in text
    assert "- Status: read" in text and "- Tags: ml" in text
    assert "> An abstract." in text
    assert "An abstract" not in markdown(items, DIGESTS, abstracts=False)


def test_markdown_groups_by_status_in_reading_order() -> None:
    items = [_item("A", Status.SKIPPED), _item("Bb", Status.READING), _item("Ccc", Status.TO_READ)]
    text = markdown(items, DIGESTS, group_by="status")
    assert text.index("## Reading") < text.index("## To read") < text.index("## Skipped")


def test_hostile_titles_cannot_break_the_structure() -> None:
    text = markdown([_item("# Not a heading\nsecond line", Status.NEW)], DIGESTS)
    assert "### \\# Not a heading second line" in text


def test_front_matter_is_json_compatible_yaml() -> None:
    item = _item('Quotes "and": colons', Status.TO_READ, "note body")
    files = per_paper_files([item], DIGESTS)
    ((name, content),) = files.items()
    assert name == file_name(item.paper) and name.endswith(f"({item.paper.id}).md")
    head, body = content.split("---\n")[1], content.split("---\n", 2)[2]
    fields = dict(line.split(": ", 1) for line in head.strip().splitlines())
    assert json.loads(fields["title"]) == 'Quotes "and": colons'
    assert json.loads(fields["digests"]) == ["Aug 25 2025"]
    assert json.loads(fields["status"]) == "to-read"
    assert "## Notes\n\nnote body" in body
