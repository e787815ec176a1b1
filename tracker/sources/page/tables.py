"""Markdown tables of papers, read by their columns.

Bots that track arXiv write their lists as tables
(``|Publish Date|Title|Authors|PDF|Code|``, ``| 排名 | 论文 | 热度 | 方向 |``),
and a page saved as HTML keeps its ``<table>`` as one. A table is a table of
papers when one column holds the titles: its header names it (``Title``,
``Paper``, ``论文``, …) or most of its cells are a link to a paper whose text
reads as a title; and most of its rows then give a title there. Each such row
is one paper's card: the title from that column, the id from the title's link
or the one paper the row links to, and the other columns as the paper's
fields by their headers (``Authors``, ``Publish Date``, ``Upvotes`` …). A
table of anything else (a table of contents, a comparison of results, a
paper's own fields) gives no cards, and its cells are never titles.

Pure: no I/O. Linear in the number of table lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tracker.sources import markup
from tracker.sources.page.card_content import Card
from tracker.sources.page.lines import PLACE, Line, link_id
from tracker.sources.page.shapes import is_truncated, title_of

__all__ = ["TableRows", "table_rows"]

TITLE_HEADERS = frozenset(
    {
        "title", "titles", "paper", "papers", "paper title", "name", "论文", "论文标题", "题目",
        "标题", "論文", "タイトル", "논문", "제목", "논문 제목",
        # The full title beside a column of short names ("| 简称 | … | 论文全名 |").
        "full title", "full name", "论文全名", "论文全称", "全名", "全称", "英文标题", "原文标题",
        "original title", "english title",
    }
)  # fmt: skip
_SEPARATOR_CELL = re.compile(r":?-{2,}:?")
_PIPE = re.compile(r"(?<!\\)\|")
_EDGES = re.compile(r"^\W+|\W+$")


@dataclass(frozen=True, slots=True)
class Cell:
    text: str  # what the cell shows: links by their text, markup gone
    links: tuple[markup.Link, ...]
    strong: bool  # set off in bold ("**Title**")
    raw: str = ""  # the cell as written, each link a PLACE


# "(Read more on [arXiv](…) or [HuggingFace](…))" after a title: where to read it.
_LINK_TAIL = re.compile(r"\s*\(([^()]*)\)\s*$")
_TAIL_WORDS = 5  # words besides the links in such a tail ("Read more on", "or")
_LABEL_CHARS = 15  # a link text this short labels a link ("arXiv", "PDF"), it names nothing


@dataclass(slots=True)
class TableRows:
    """The cards a page's tables of papers give, and the rows that could not be read."""

    cards: dict[int, Card]  # line index -> the row's card
    fields: dict[int, list[tuple[str, str]]]  # line index -> (header, cell text), other columns
    skipped: list[tuple[int, str]]  # (line number, the row's title cell) without a title


def cells(line: Line) -> list[Cell]:
    """A table line's cells, each with the links it holds."""
    raw = line.raw.strip()
    if raw.startswith("|"):
        raw = raw[1:]
    if raw.endswith("|") and not raw.endswith("\\|"):
        raw = raw[:-1]
    links = iter(line.links[len(line.links) - raw.count(PLACE) :])
    out: list[Cell] = []
    for part in _PIPE.split(raw):
        own = tuple(next(links) for _ in range(part.count(PLACE)))
        stripped = part.strip()
        strong = stripped.startswith(("**", "__")) or any(link.strong for link in own)
        out.append(Cell(_shown(part, own), own, strong, part))
    return out


def _shown(part: str, own: tuple[markup.Link, ...]) -> str:
    """What a cell's text shows: its links by their texts, its markup gone."""
    pieces = part.split(PLACE)
    shown = [markup.inline_text(pieces[0])]
    for link, piece in zip(own, pieces[1:], strict=True):
        shown += ["" if link.image else link.text, markup.inline_text(piece)]
    return " ".join("".join(shown).split())


def _without_link_tail(cell: Cell) -> str:
    """A title cell's text without a closing parenthesis of links to its paper.

    ``Title (Read more on [arXiv](…/abs/ID) or [HuggingFace](…/papers/ID))``:
    the parenthesis says where to read the paper (link labels and a few
    words), it is no part of the title.
    """
    m = _LINK_TAIL.search(cell.raw)
    if m is None or PLACE not in m.group(1):
        return cell.text
    inside = m.group(1)
    count = inside.count(PLACE)
    tail = cell.links[len(cell.links) - count :]
    words = markup.inline_text(inside.replace(PLACE, " ")).split()
    labels = all(
        not link.image and link_id(link)[0] and len(link.text) <= _LABEL_CHARS for link in tail
    )
    if not labels or len(words) > _TAIL_WORDS:
        return cell.text
    head = cell.raw[: m.start()]
    return _shown(head, cell.links[: len(cell.links) - count])


def _is_separator(line: Line) -> bool:
    parts = [p.strip() for p in line.raw.strip().strip("|").split("|")]
    return len(parts) >= 2 and all(_SEPARATOR_CELL.fullmatch(p) for p in parts)


def _header_key(text: str) -> str:
    """``**Publish Date**`` → ``publish date``, ``热度⬆️`` → ``热度``."""
    return _EDGES.sub("", text).casefold()


def _linked_title(cell: Cell) -> tuple[str | None, str | None]:
    """(paper id, title) of a cell that is one link to a paper whose text reads as a title."""
    paper_links = [link for link in cell.links if not link.image and link_id(link)[0]]
    if len(paper_links) != 1:
        return None, None
    pid, text = link_id(paper_links[0])
    return pid, title_of(text)


# A header in two languages ("标题 / Title") names the title column when one of its
# halves is a word for a title (not "论文 / Paper": a paper column may hold short names).
TITLE_WORDS = frozenset(
    {"title", "titles", "paper title", "论文标题", "题目", "标题", "タイトル", "제목"}
)
_HALVES = re.compile(r"\s+/\s+")
# Han, kana, Hangul: the script of a translated half of a cell ("Title / 标题").
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")


_SHORT_NAME_WORDS = 3


def _short_name(title: str) -> bool:
    """``LEMUR``, ``Scaling Embeddings``, ``Thinking in Frames``: a name, not a title.

    Said of a row that names no paper by its id: with an id, a short title is
    the paper's own (``UI-TARS``); without one, nothing says it is not a
    site's nickname for the paper.
    """
    return len(title.split()) <= _SHORT_NAME_WORDS and ":" not in title


def _is_title_header(key: str) -> bool:
    if key in TITLE_HEADERS:
        return True
    halves = _HALVES.split(key)
    return len(halves) == 2 and any(half in TITLE_WORDS for half in halves)


def original_half(text: str) -> str:
    """A cell in two languages, ``SAFE: Self-Evolving … / 协作任务的…``: its untranslated half.

    Only when one half is written in Han, kana or Hangul and the other in none of
    them; a title with a slash of its own (``Input/Output``, ``A / B Testing``) stays.
    """
    halves = _HALVES.split(text)
    if len(halves) != 2:
        return text
    first, second = (bool(_CJK.search(half)) for half in halves)
    if first == second:
        return text
    return halves[1] if first else halves[0]


def _title_column(header: list[str], body: list[list[Cell]]) -> int | None:
    for index, key in enumerate(header):
        if _is_title_header(key):
            return index
    # No header says so: the column whose cells are mostly titled links to papers.
    for index in range(len(header)):
        titled = sum(
            1 for row in body if index < len(row) and _linked_title(row[index])[1] is not None
        )
        if titled * 2 > len(body):
            return index
    return None


def table_rows(lines: list[Line]) -> TableRows:
    """Every table of papers on the page, row by row."""
    result = TableRows({}, {}, [])
    index = 0
    while index < len(lines) - 1:
        line = lines[index]
        if not (line.table and lines[index + 1].table and _is_separator(lines[index + 1])):
            index += 1
            continue
        header = [_header_key(cell.text) for cell in cells(line)]
        start = index + 2
        end = start
        while end < len(lines) and lines[end].table:
            end += 1
        _read_table(lines, header, start, end, result)
        index = end
    return result


def _read_table(
    lines: list[Line], header: list[str], start: int, end: int, result: TableRows
) -> None:
    body = [cells(lines[i]) for i in range(start, end)]
    column = _title_column(header, body)
    if column is None or not body:
        return
    titles = [
        title_of(original_half(_without_link_tail(row[column]))) if column < len(row) else None
        for row in body
    ]
    if sum(1 for t in titles if t) * 2 <= len(body):
        return  # its "titles" are mostly not titles: not a table of papers
    for offset, (row, title) in enumerate(zip(body, titles, strict=True)):
        at = start + offset
        line = lines[at]
        if title is None:
            shown = row[column].text if column < len(row) else ""
            result.skipped.append((line.no, shown or line.text))
            continue
        pid, _ = _linked_title(row[column])
        if pid is None and len(line.ids) == 1:
            pid = line.ids[0]  # "[2301.07095v1](…/abs/2301.07095v1)" in a column of its own
        if pid is None and _short_name(title):
            # "| [🦎 LEMUR](papers/lemur-multivec) | マルチベクトル検索を… |": a site's
            # nickname for a paper it never names by title or id; not a title.
            shown = row[column].text if column < len(row) else ""
            result.skipped.append((line.no, shown or line.text))
            continue
        rank = 3 if row[column].strong else 2
        result.cards[at] = Card(at, title, pid, 7, is_truncated(title), rank)
        result.fields[at] = [
            (header[i], cell.text)
            for i, cell in enumerate(row)
            if i != column and i < len(header) and cell.text
        ]
