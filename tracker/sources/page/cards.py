"""Where the cards of a page with paper links are.

Pure: no I/O. Linear in the number of lines for each heading level.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from tracker.sources import dates, fields, markup
from tracker.sources.page.card_content import Card
from tracker.sources.page.days import day_heading
from tracker.sources.page.lines import BULLET, PLACE, Line, link_id
from tracker.sources.page.shapes import (
    AUTHOR_COUNT,
    BARE_URL,
    BYLINE,
    NUMBERING,
    SKIP_LABELS,
    STARS,
    SUBMITTED,
    TITLE_LABELS,
    VOTE_MARK,
    field_label,
    heading_key,
    is_truncated,
    known_field,
    reads_as_text,
    title_of,
    vote_count,
)
from tracker.sources.page.tables import TableRows, table_rows
from tracker.sources.text import is_prose

# "**Title** — `2607.23802` — [Hugging Face](…)": an entry of a list of papers.
ENTRY_SEPARATOR = re.compile(r"\s+[—–|]\s+|\s+-\s+")
# Headings of lists of works a page cites rather than presents.
REFERENCES = re.compile(
    r"(?:sources?|references?|bibliography|works cited|cited (?:works|papers)|related (?:papers|work)"
    r"|see also|further reading|参考(?:文献|资料)?|引用|참고(?:\s*문헌)?)$",
    re.IGNORECASE,
)

# A leading arXiv category before a title ("`cs.AI` - Title", "[cs.CL] Title").
CATEGORY_TAG = re.compile(r"\s*[\[(]?[a-z]{2,}(?:-[a-z]{2,})?\.[A-Z]{2}[\])]?\s*[-–—:|]?\s+")
HEADING_MARKS = re.compile(r"^\s*(?:>\s*)*#{1,6}\s+")
# Where links stood, with the separators between them ("[PDF](…), [HTML](…)").
_BETWEEN_LINKS = re.compile(rf"(?:[\s,;|/]*{PLACE})+[\s,;|/]*")
# "1. **Title** - 👍 103": a list item that is a bold title and a count ("__Title__" too:
# the other way Markdown writes bold).
_BOLD_LINE = re.compile(
    r"(?:[-*+]\s+|\d{1,3}[.)]\s+)?(?P<mark>\*\*|__)(?!\s)(?P<title>.+?)(?P=mark)(?P<rest>.*)"
)
# "**♾️ Title** — A closed-form formula …": a paragraph led by a bold headline and a dash.
_HEADLINE = re.compile(
    r"(?:[^\w\s*]{1,4}\s*)?(?P<mark>\*\*|__)(?!\s)(?P<title>[^*\n]{3,400}?)(?P=mark)"
    r"(?:\s*[—–](?:\s+\S.*)?)?"  # the sentence after the dash may wrap onto the next line
)
_PARAGRAPH_LINES = 8  # lines a headline's paragraph may be wrapped over
# "1. **2604.13684** — Juraev, Tursunov — "Precision tests of …"": a list item naming a
# paper by its id in bold (no link) and its title in quotes, last.
_BOLD_ID_ITEM = re.compile(
    rf"(?:[-*+]\s+|\d{{1,3}}[.)]\s+)(?P<mark>\*\*|__)(?:arxiv:\s*)?(?P<id>{fields.ARXIV_ID})"
    r"(?:v\d+)?(?P=mark)\s*[—–-]\s.*?[—–-]\s*[\"“](?P<title>[^\"“”\n]{3,400})[\"”]\s*",
    re.IGNORECASE,
)
# What sets a reading list's comment off from the link leading its item:
# " — the transformer paper", ": must read", " (NeurIPS 2020)", ", 2017", " by Devlin et al."
_AFTER_LEAD_LINK = re.compile(r"\s*[—–:：(\[,;|]|\s+-\s|\s+by\s", re.IGNORECASE)
# "**Track**: …", "**Track:** …", "__트랙__: …": a field's label set off, then its value.
_BOLD_LABEL = re.compile(r"(\*\*|__|\*)(?!\s)[^*_\n]{1,40}?(?:[:：]\1|\1\s*[:：])")
# Link texts that label a paper's links rather than name it: "PDF", "HTML", "arXiv".
_LABEL_CHARS = 15
# "arXiv 2601.05241" beside a title link (the line's decoration, colon and all, is gone).
_ID_MENTION = re.compile(rf"\barxiv\s*:?\s*({fields.ARXIV_ID})(?:v\d+)?\b", re.IGNORECASE)
# Words a line may hold besides its title link: a mark or a badge ("📄 [Title](…) CV/RO").
_ASIDE_CHARS = 12
_ASIDE_WORDS = 2


def _link_is_the_line(line: Line) -> bool:
    """The line is its links, give or take a mark, a short badge or the paper's own id
    (``[Title](…) - arXiv:2601.05241``); not a ``Label:`` line."""
    aside = line.outside
    if aside and line.ids and "xiv" in aside.lower():
        aside = " ".join(
            _ID_MENTION.sub(lambda m: "" if m.group(1) in line.ids else m.group(0), aside).split()
        )
    if not aside:
        return True
    words = [word for word in aside.split() if any(c.isalnum() for c in word)]
    return (
        len(aside) <= _ASIDE_CHARS
        and len(words) <= _ASIDE_WORDS
        and not aside.endswith((":", "："))
    )


def _labels_only(line: Line) -> bool:
    """The line is links to one paper whose texts are labels (``PDF``, ``HF 페이지``)."""
    if len(set(line.ids)) != 1 or not line.links or not line.link_only:
        return False
    return all(
        link.image or (len(link.text) <= _LABEL_CHARS and len(link.text.split()) <= 2)
        for link in line.links
    )


def _id_link_item(line: Line) -> bool:
    """``- [2604.14134](…/abs/2604.14134) — authors``: a list item led by a link whose text
    is its paper's id alone (the item gives the paper, not its title)."""
    if not line.bullet or len(set(line.ids)) != 1 or not line.links or line.heading >= 0:
        return False
    first = line.links[0]
    return (
        not first.image
        and fields.arxiv_id(first.text) == line.ids[0]
        and line.raw.lstrip().removeprefix("-").removeprefix("*").lstrip().startswith(PLACE)
    )


def _link_field(line: Line) -> bool:
    """``- 链接：https://arxiv.org/abs/ID``: a labelled field whose value is one paper's link.

    The value is a bare URL of the paper or links to it with label texts
    (``Link: [arXiv](…)``); the label is no title label. Such a line names
    where the paper is, never what it is called.
    """
    if len(set(line.ids)) != 1 or line.heading >= 0 or line.table:
        return False
    found = field_label(line.text)
    if found is None or found[0] in TITLE_LABELS or not found[1]:
        return False
    value = found[1]
    pid = line.ids[0]
    if markup.paper_id(value) == pid:
        return True
    return (
        bool(line.links)
        and all(
            link.image or (link_id(link)[0] == pid and len(link.text) <= _LABEL_CHARS)
            for link in line.links
        )
        and len(value) <= _LABEL_CHARS
    )


class CardFinder:
    """Finds where the cards of a page start.

    A card starts at a *title link* (a line that is nothing but a link to a
    paper, whose text reads as a title), at a list entry that sets a title off
    before a paper's id, or at a heading that owns one paper id: the heading
    level chosen is the one whose sections hold ids most often, so
    sub-headings inside a card are not cards. Pages without any id but with
    ``### [Title][12]`` headings (a copy whose link list was cut off) take
    those headings as their cards.
    """

    def __init__(self, lines: list[Line]) -> None:
        self.lines = lines
        self.has_ids = any(line.ids for line in lines)
        # Papers named under a "Sources" / "References" heading: id -> (title, line).
        self.references: dict[str, tuple[str, int]] = {}
        self.rows = (
            table_rows(lines) if any(line.table for line in lines) else TableRows({}, {}, [])
        )

    def cards(self) -> list[Card]:
        """The page's cards in page order (empty when it has fewer than two without ids)."""
        lines = self.lines
        cards: dict[int, Card] = dict(self.rows.cards)
        if self.has_ids:
            in_references = False
            for index, line in enumerate(lines):
                if line.heading >= 0:
                    in_references = bool(REFERENCES.fullmatch(heading_key(line.text)))
                if not line.ids or line.table:
                    continue
                above = (
                    self._set_off_title(index)
                    if _labels_only(line) or _link_field(line)
                    else self._headline_above(index)
                    if _id_link_item(line)
                    else None
                )
                card: Card | None = None
                if above is not None:
                    index, card = above
                elif _link_is_the_line(line):
                    card = self._title_link(line)
                else:
                    card = self._entry(line) or self._lead_link_item(line)
                if card is None and line.heading >= 0:
                    card = self._heading_beside_links(line)
                if card is None:
                    found = self._labelled_title(index) or self._bold_title_below(index)
                    if found is None:
                        continue
                    index, card = found
                card.line = index
                if in_references:
                    # A list of works the page cites: they name papers, they are not its papers.
                    self.references.setdefault(card.paper_id or "", (card.title or "", line.no))
                    continue
                cards[index] = card
            cards.update(self._bold_id_items(cards))
            cards.update(self._records(cards))
            level = self._card_level(cards)
            if level is not None:
                for index, card in self._heading_cards(level, cards):
                    cards[index] = card
                cards.update(self._numbered_siblings(level, cards))
            heads = {
                c.level for c in cards.values() if c.paper_id and lines[c.line].heading == c.level
            }
            if len(heads) == 1:
                cards.update(self._template_siblings(heads.pop(), cards))
        else:
            # No id anywhere: "### [Title][12]" headings whose link list was cut off.
            for index, line in enumerate(lines):
                if line.heading > 0 and line.link_only and len(line.links) == 1:
                    title = title_of(line.links[0].text, heading=True)
                    if title:
                        cards[index] = Card(
                            index, title, None, line.heading, is_truncated(title), 3
                        )
            if len(cards) < 2:
                cards.update(self._prose_heading_cards())
            if len(cards) < 2:
                cards.update(self._numbered_byline_cards())
            if len(cards) < 2:
                return []
        return [cards[i] for i in sorted(cards)]

    def _prose_heading_cards(self) -> dict[int, Card]:
        """No link anywhere: ``### Title`` headings over an abstract and a paper's fields.

        A copy of a papers view that lost all its links. The headings of one
        level are cards when most of them have prose right under them and most
        of those also carry a field of a paper card (``8 authors``, upvotes, a
        GitHub star count, a date): a document's headings over paragraphs
        (documentation, a README) have no such fields.
        """
        lines = self.lines
        best: list[int] = []
        best_level = 0
        for level in sorted({line.heading for line in lines if line.heading > 0}):
            heads = [
                i for i, line in enumerate(lines) if line.heading == level and not day_heading(line)
            ]
            good = [i for i in heads if self._card_under(i)]
            if len(good) >= 3 and len(good) * 5 >= len(heads) * 3 and len(good) > len(best):
                best, best_level = good, level
        cards: dict[int, Card] = {}
        for index in best:
            title = title_of(lines[index].text, heading=True)
            if title:
                cards[index] = Card(index, title, None, best_level, is_truncated(title), 1)
        return cards

    def _numbered_byline_cards(self) -> dict[int, Card]:
        """No paper id anywhere: ``## 1. Title`` headings, each over its authors' byline.

        A briefing of working papers that have no arXiv id (SSRN, a school's
        series) numbers its papers' headings 1, 2, 3 … and puts the authors
        under each (``Seung Y. Lee & Iván Marinovic · Stanford GSB WP 4253 ·
        2025年4月``), then the paper's own sections. The numbers must run 1..n
        (three or more) at one level with a byline under every one: a blog's
        posts over ``Jane Doe · 5 min read`` are not numbered, a listicle's
        points carry no byline.
        """
        lines = self.lines
        for level in sorted({line.heading for line in lines if line.heading > 0}):
            numbered: list[int] = []
            for index, line in enumerate(lines):
                if line.heading != level or day_heading(line):
                    continue
                m = NUMBERING.match(line.text)
                if m is not None and int(re.sub(r"\D", "", m.group(0))) == len(numbered) + 1:
                    numbered.append(index)
            if len(numbered) < 3 or not all(self._byline_under(i) for i in numbered):
                continue
            cards: dict[int, Card] = {}
            for index in numbered:
                title = title_of(lines[index].text, heading=True)
                if not title:
                    return {}
                cards[index] = Card(index, title, None, level, is_truncated(title), 1)
            return cards
        return {}

    def _byline_under(self, index: int) -> bool:
        """An authors' byline among the first lines under this heading, before any other."""
        seen = 0
        for line in self.lines[index + 1 : index + 12]:
            if line.heading >= 0 or seen >= 3:
                return False
            if line.blank:
                continue
            if BYLINE.fullmatch(line.text):
                return True
            seen += 1
        return False

    def _card_under(self, index: int) -> bool:
        """Prose and a card field between this heading and the next one."""
        prose = field_line = False
        paragraph: list[str] = []  # hard-wrapped lines read as the paragraph they make
        for line in self.lines[index + 1 : index + 80]:
            if line.heading >= 0:
                break
            text = line.text
            day = dates.date_only(text)
            if (
                AUTHOR_COUNT.fullmatch(text)
                or STARS.fullmatch(text)
                # A paper's own day; a range ("April 15-21, 2025") is a week's, an index's.
                or (day is not None and not day.span)
                or SUBMITTED.match(text)
                or (vote_count(text) is not None and VOTE_MARK.search(line.raw))
            ):
                field_line = True
                text = ""
            if text:
                paragraph.append(text)
                continue
            prose = prose or (bool(paragraph) and reads_as_text(" ".join(paragraph)))
            paragraph = []
        prose = prose or (bool(paragraph) and reads_as_text(" ".join(paragraph)))
        return prose and field_line

    def _title_link(self, line: Line) -> Card | None:
        """A card from a line that is a link to a paper whose text reads as a title.

        In a row of short links to one paper (``[PDF 原文](…) [arXiv](…) [HF 頁面](…)``)
        only the first may be its title: buttons follow a title, never lead to it.
        """
        links = line.links[:1] if len(line.links) > 1 and _labels_only(line) else line.links
        for link in links:
            pid, text = (None, "") if link.image else link_id(link)
            if pid is None:
                continue
            title = title_of(text, heading=line.heading >= 0)
            if title is None:
                continue
            level = line.heading if line.heading >= 0 else 7
            rank = 3 if line.heading >= 0 or link.strong else 2
            return Card(0, title, pid, level, is_truncated(title), rank)
        return None

    def _set_off_title(self, index: int) -> tuple[int, Card] | None:
        """A bold title above a paper's links in one list item or block of lines.

        ``1. **Kling-Omni Technical Report** - 👍 103`` then indented bullets
        ``[HF 페이지](…/papers/ID)``, ``[논문 링크](…/abs/ID)``: the links are
        labels, the bold line is the paper's title (a count after it is not).
        So is a bold item over a field holding the paper's bare link
        (``1. **Title**`` then ``- 链接：https://arxiv.org/abs/ID``).
        """
        pid = self.lines[index].ids[0]
        for back, line in self._block_above(index):
            raw = line.raw.strip()
            m = _BOLD_LINE.match(raw)
            if m is None:
                continue
            if _BOLD_LABEL.match(raw, m.start("mark")) or m.group("title").rstrip().endswith(
                (":", "：")
            ):
                continue  # "**论文链接：** [HuggingFace](…) |", "**Links**: …": a field's label
            if any(c.isalpha() for c in m.group("rest")):
                return None  # words after the bold part: prose with a bold phrase
            title = title_of(markup.inline_text(m.group("title")), heading=False)
            if title is None:
                return None
            return back, Card(back, title, pid, 7, is_truncated(title), 3)
        return None

    def _headline_above(self, index: int) -> tuple[int, Card] | None:
        """A paragraph's bold headline above a list item that gives the paper by its id.

        ``**♾️ All-order structure of …** — A closed-form formula …``, a blank
        line, then ``- [2604.14134](…/abs/2604.14134) — Brunello, Mandal``: the
        link names the paper by its id only, the headline over it is its title
        (the sentence after the dash is not). Only the paragraph right above,
        with no other paper in it.
        """
        lines = self.lines
        back = index - 1
        while back >= 0 and lines[back].blank and index - back <= 2:
            back -= 1
        if back < 0:
            return None
        line = lines[back]
        if line.blank or line.heading >= 0 or line.ids or line.table or line.bullet:
            return None  # a list item above: this item is one of a list, not under a headline
        # The paragraph's first line: its sentence may be wrapped over several.
        for _ in range(_PARAGRAPH_LINES):
            above = lines[back - 1] if back > 0 else None
            if above is None or above.blank or above.heading >= 0 or above.table:
                break
            if above.bullet or above.ids:
                return None
            back -= 1
        line = lines[back]
        m = _HEADLINE.fullmatch(line.raw.strip())
        if m is None:
            return None
        title = title_of(markup.inline_text(m.group("title")), heading=False)
        if title is None or _BOLD_LABEL.match(line.raw.strip()):
            return None
        return back, Card(back, title, lines[index].ids[0], 7, is_truncated(title), 3)

    def _bold_id_items(self, cards: dict[int, Card]) -> dict[int, Card]:
        """List items that name a paper by its id in bold and its title in quotes.

        ``1. **2604.13684** — Juraev, Tursunov — "Precision tests of …"``: no
        link, but the id is set off as a list entry's name and the quoted
        title closes the item.
        """
        found: dict[int, Card] = {}
        for index, line in enumerate(self.lines):
            if not line.bullet or line.heading >= 0 or line.table or index in cards:
                continue
            if "**" not in line.raw and "__" not in line.raw:
                continue
            m = _BOLD_ID_ITEM.fullmatch(self._item_text(index))
            if m is None:
                continue
            title = title_of(m.group("title"), heading=False)
            if title is not None:
                found[index] = Card(index, title, m.group("id"), 7, is_truncated(title), 2)
        return found

    def _item_text(self, index: int) -> str:
        """A list item's raw text with the lines its writer wrapped it onto (indented, plain)."""
        raw = self.lines[index].raw.strip()
        for cur in self.lines[index + 1 : index + 1 + _PARAGRAPH_LINES]:
            if cur.blank or cur.bullet or cur.heading >= 0 or cur.table or cur.raw[:1] not in " \t":
                break
            raw = f"{raw} {cur.raw.strip()}"
        return raw

    def _block_above(self, index: int) -> Iterator[tuple[int, Line]]:
        """The lines above line ``index`` in its block, nearest first (at most seven).

        The block ends at a blank line, a heading or a line naming another paper.
        """
        pid = self.lines[index].ids[0]
        for back in range(index - 1, max(-1, index - 8), -1):
            line = self.lines[back]
            if line.blank or line.heading >= 0 or (line.ids and pid not in line.ids):
                return
            yield back, line

    def _records(self, cards: dict[int, Card]) -> dict[int, Card]:
        """``[1] Title`` over indented ``URL: …``, ``Source: …``, ``Published: …``: records.

        A plain-text report sets each paper off as a numbered (or outdented)
        title line over a block of ``label: value`` fields, one of them the
        paper's URL. The title line is the paper's; the field holding its link
        names where it is. A record whose URL is no paper id (a paper on
        another archive) is a paper too when the page's records run 1..n with
        no gap or repeat and at least two of them carry an id, as with
        :meth:`_numbered_siblings`; anything else on such a page (a summary's
        own headings, its lists) never starts a card.
        """
        lines = self.lines
        taken = set(cards)
        found: list[tuple[int, int | None, str, str | None]] = []  # (head, number, title, id)
        for index, line in enumerate(lines):
            if line.blank or line.heading >= 0 or line.table or line.ids or index in taken:
                continue
            m = NUMBERING.match(line.text)
            indent = len(line.raw) - len(line.raw.lstrip())
            block = self._field_block(index, indent, numbered=m is not None)
            if block is None or any(at in taken for at in block):
                continue
            ids = {pid for at in block for pid in lines[at].ids}
            if len(ids) > 1 or known_field(line.text) is not None:
                continue
            title = title_of(line.text, heading=False)
            if title is None or title.endswith((":", "：")):
                continue
            number = int(re.sub(r"\D", "", m.group(0))) if m is not None else None
            found.append((index, number, title, next(iter(ids), None)))
        with_ids = sum(1 for *_, pid in found if pid is not None)
        numbers = [number for _, number, _, _ in found]
        run = with_ids >= 2 and numbers == list(range(1, len(found) + 1))
        return {
            index: Card(index, title, pid, 0, is_truncated(title), 2 if pid else 1)
            for index, _, title, pid in found
            if pid is not None or run
        }

    def _field_block(self, index: int, indent: int, *, numbered: bool) -> list[int] | None:
        """The lines under a record's title line, when all are fields and one is its URL.

        The fields are indented deeper than the title line, or the title line
        is numbered; the block ends at a blank line or a heading.
        """
        block: list[int] = []
        has_url = False
        for at in range(index + 1, min(len(self.lines), index + 16)):
            line = self.lines[at]
            if line.blank or line.heading >= 0:
                break
            deeper = len(line.raw) - len(line.raw.lstrip()) > indent
            found = field_label(line.text)
            if found is None or not (deeper or numbered):
                return None
            if BARE_URL.fullmatch(found[1]) or (line.ids and found[0] in SKIP_LABELS):
                has_url = True
            block.append(at)
        return block if has_url else None

    def _heading_beside_links(self, line: Line) -> Card | None:
        """``## 1. `cs.AI` - Title [PDF](…/pdf/ID), [HTML](…/abs/ID)``: a title with its links.

        A heading whose text is a title and whose links to one paper are short
        labels (``PDF``, ``HTML``, ``arXiv``), not titles: the heading's own text
        is the paper's title, without a leading arXiv category tag.
        """
        if len(set(line.ids)) != 1 or not line.links or known_field(line.text) is not None:
            return None  # "### Comments: … arXiv:1808.01340": a field naming another paper
        if not any(link_id(link)[0] == line.ids[0] for link in line.links if not link.image):
            return None  # the id is in the text, not in the heading's links
        for link in line.links:
            if not link.image and (len(link.text) > _LABEL_CHARS or len(link.text.split()) > 2):
                return None  # a link that could be the title: not this shape
        # The heading's own text, its links taken out (and the commas between them).
        body = HEADING_MARKS.sub("", line.raw, count=1)
        text = " ".join(markup.inline_text(_BETWEEN_LINKS.sub(" ", body)).split())
        m = NUMBERING.match(text)
        if m:
            text = text[m.end() :]
        title = title_of(CATEGORY_TAG.sub("", text, count=1), heading=True)
        if title is None:
            return None
        return Card(0, title, line.ids[0], line.heading, is_truncated(title), 3)

    def _bold_title_below(self, index: int) -> tuple[int, Card] | None:
        """A bold title on the line right under a link that names the paper by its id only.

        A chat bot's message: ``[arXiv:2602.17724](…/abs/2602.17724)[Submitted on 24
        Feb 2026]``, then ``**There and back again -- …**``, the authors and the
        subjects. The card starts at the link; its first line, wholly bold, is the
        title (as under a heading that names no title).
        """
        line = self.lines[index]
        if len(set(line.ids)) != 1 or line.heading >= 0 or line.bullet or line.table:
            return None
        if any(title_of(link.text) for link in line.links if not link.image):
            return None
        below = self.lines[index + 1] if index + 1 < len(self.lines) else None
        if below is None or below.blank or below.heading >= 0 or below.ids or below.links:
            return None
        m = _BOLD_LINE.fullmatch(below.raw.strip())
        if m is None or m.group("rest").strip() or m.group("title").rstrip().endswith((":", "：")):
            return None  # "**总结时间:** 2025-08-06": a field, not a title
        if title_of(markup.inline_text(m.group("title")), heading=False) is None:
            return None
        return index, Card(index, None, line.ids[0], 7, False, 2)

    def _labelled_title(self, index: int) -> tuple[int, Card] | None:
        """A ``Title: …`` line above a paper's link in the same block of lines.

        Records written as labelled fields (``Title: …`` / ``Link: https://arxiv.org/abs/ID``):
        the block between blank lines holds one paper id, and its title is the
        labelled line's value.
        """
        pid = self.lines[index].ids[0]
        for back, line in self._block_above(index):
            found = field_label(line.text)
            if found is None or found[0] not in TITLE_LABELS:
                continue
            title = title_of(found[1], heading=False)
            if title is None:
                return None
            return back, Card(back, title, pid, 7, is_truncated(title), 2)
        return None

    def _entry(self, line: Line) -> Card | None:
        """A card from a list entry: ``**Title** — `ID` — [Hugging Face](…)``."""
        if line.heading >= 0:
            return None
        body = line.raw.strip()
        m = BULLET.match(body)
        if m:
            body = body[m.end() :]
        parts = ENTRY_SEPARATOR.split(body, maxsplit=1)
        if len(parts) < 2 or PLACE in parts[0] or "`" in parts[0]:
            return None
        head = parts[0].strip()
        if not (head.startswith(("**", "__")) or (head.startswith("*") and head.endswith("*"))):
            return None  # an entry's title is set off; plain text before a dash is prose
        if _BOLD_LABEL.match(head):
            return None  # "**Track**: LLM | **Link**: [arXiv](…)": a record's fields, no title
        title = title_of(markup.inline_text(head), heading=False)
        if title is None or title.endswith((":", "：")):
            return None
        return Card(0, title, line.ids[0], 7, is_truncated(title), 3)

    def _lead_link_item(self, line: Line) -> Card | None:
        """A list item led by a paper's link, then what the writer thinks of it.

        ``- [Attention Is All You Need](…/papers/1706.03762) — the transformer paper``,
        ``- [Mamba: …](…): must read``, ``- [BERT: …](…) by Devlin et al.``: a reading
        list's entry. The link text is the title when the item starts with it (marks
        aside), the words after it are set off from it (a dash, a colon, a bracket,
        a comma, ``by``) and it reads as a title of three words or more; a link a
        sentence runs on from (``- [Mamba](…) shows that …``) is no such entry.
        """
        if not line.bullet or line.heading >= 0 or line.table or not line.links:
            return None
        body = line.raw.strip()
        bullet = BULLET.match(body)
        lead, _, rest = body[bullet.end() if bullet else 0 :].partition(PLACE)
        if lead.strip("*_ ") or not _AFTER_LEAD_LINK.match(rest.lstrip("*_")):
            return None
        link = line.links[0]
        pid, text = (None, "") if link.image else link_id(link)
        if pid is None:
            return None
        title = title_of(text, heading=False)
        if title is None or len(title.split()) < 3:
            return None
        return Card(0, title, pid, 7, is_truncated(title), 2)

    def _card_level(self, title_links: dict[int, Card]) -> int | None:
        """The heading level whose sections hold one paper each, most often.

        Sub-headings inside a card hold the card's id too (the section with
        the link) as often as the card's heading does; they are told apart by
        the share of headings of their level that hold an id at all: every
        card heading does, most sub-headings do not. A tie goes to the
        shallower level. A deeper level with as many one-paper sections wins
        when the chosen level's headings are topics over one paper's heading
        each (:meth:`_topics_over`).
        """
        levels = sorted({line.heading for line in self.lines if line.heading >= 0})
        keys: dict[int, tuple[int, float]] = {}
        for level in levels:
            sections = [len(ids) for _, ids in self._sections_at(level, title_links)]
            good = [n for n in sections if n == 1]
            if not good:
                continue
            first = sections.index(1)
            empty = sum(1 for n in sections[first:] if n == 0)
            keys[level] = (len(good), len(good) / (len(good) + empty))
        if not keys:
            return None
        chosen = max(keys, key=lambda level: (*keys[level], -level))
        for deeper in sorted(keys):
            # As many one-paper sections a level further down, each the paper of a topic.
            if (
                deeper > chosen
                and keys[deeper][0] == keys[chosen][0]
                and self._topics_over(chosen, deeper, title_links)
            ):
                chosen = deeper
        return chosen

    def _topics_over(self, level: int, deeper: int, title_links: dict[int, Card]) -> bool:
        """Are the headings of ``level`` topics, each over one paper's heading of ``deeper``?

        ``## 🔬 <topic>`` then ``### <title>`` and the paper's fields: each
        section of ``level`` that holds a paper holds it under its first
        heading, of ``deeper``, nothing of its own above it, and those deeper
        headings all differ and none is a part of a card (``### Summary``).
        """
        lines = self.lines
        subs: list[str] = []
        for index, ids in self._sections_at(level, title_links):
            if len(ids) != 1:
                continue
            if lines[index].ids:
                return False  # "## [Title](…/abs/ID)": the paper's own heading
            first: int | None = None  # the first deeper heading
            for at in range(index + 1, len(lines)):
                line = lines[at]
                if line.heading >= 0:
                    if line.heading <= level or first is not None:
                        return False  # no paper under the first deeper heading
                    first = at
                elif line.ids:
                    if first is None:
                        return False  # the paper's link above any deeper heading: its card
                    break
            if first is None or lines[first].heading != deeper:
                return False
            key = heading_key(lines[first].text)
            if known_field(key + ":") is not None or title_of(lines[first].text) is None:
                return False  # "### Summary", "### 摘要": a part of the card
            subs.append(key)
        # One card is no evidence: two or more, each under its own title.
        return len(subs) >= 2 and len(set(subs)) == len(subs)

    def _sections_at(
        self, level: int, title_links: dict[int, Card]
    ) -> Iterable[tuple[int, list[str]]]:
        """(heading index, distinct ids) per heading of exactly ``level``.

        A section ends at the next heading of ``level`` or above. A section
        holding title links of its own is a list of papers, not one card.
        """
        lines = self.lines
        current: int | None = None
        ids: list[str] = []
        listed = False
        for index, line in enumerate(lines):
            if 0 <= line.heading <= level:
                if current is not None and not listed:
                    yield current, ids
                # A heading naming a day ("Daily Papers (2025-04-25)") heads a digest, not a card.
                own = line.heading == level and index not in title_links
                current = index if own and day_heading(line) is None else None
                ids = []
                listed = False
                continue
            if current is None:
                continue
            if index in title_links:
                listed = True
            if line.ids and not (line.link_only or line.table) and is_prose(line.text):
                continue  # "… as [HY-World 2.0](…/2604.14268) shows, …": a paper cited in passing
            for pid in line.ids:
                if pid not in ids:
                    ids.append(pid)
        if current is not None and not listed:
            yield current, ids

    def _numbered_siblings(self, level: int, cards: dict[int, Card]) -> dict[int, Card]:
        """``### 3. Title`` between the paper headings ``### 2.`` and ``### 4.``: a paper too.

        A page numbers its papers' headings 1, 2, 3 …; a paper it links only by
        its project page or code (no arXiv link, no id) still has its place in
        that run. A heading of the card level is a paper without an id when the
        numbered headings of that level run 1..n with no gap or repeat, at
        least two of them are cards of papers with ids, and its own section
        holds no paper id (a list or another paper's section is not one paper).
        """
        lines = self.lines
        numbered: list[tuple[int, int]] = []  # (heading index, its number)
        for index, line in enumerate(lines):
            if line.heading != level or day_heading(line):
                continue
            m = NUMBERING.match(line.text)
            if m is not None:
                numbered.append((index, int(re.sub(r"\D", "", m.group(0)))))
        if [n for _, n in numbered] != list(range(1, len(numbered) + 1)):
            return {}
        if sum(1 for index, _ in numbered if index in cards and cards[index].paper_id) < 2:
            return {}
        empty = {index for index, ids in self._sections_at(level, cards) if not ids}
        found: dict[int, Card] = {}
        for index, _ in numbered:
            if index in cards or index not in empty:
                continue
            title = title_of(lines[index].text, heading=True)
            if title:
                found[index] = Card(index, title, None, level, is_truncated(title), 1)
        return found

    def _template_siblings(self, level: int, cards: dict[int, Card]) -> dict[int, Card]:
        """``### Title`` over ``[Paper Link](…/paper.pdf)`` among cards whose ``Paper Link`` is arXiv's.

        A page's cards share one template: each paper's heading, then a link
        labelled the same way (``Paper Link``, ``PDF``) to the paper. A heading
        of the card level whose section holds no paper id but such a link, with
        a label two or more cards of papers with ids use for their own link, is
        a paper the page links elsewhere (a lab's PDF, a GitHub file): stored by
        its title, with that link.
        """
        lines = self.lines
        heads = [i for i, line in enumerate(lines) if line.heading == level]
        uses: dict[str, int] = {}
        for index in heads:
            card = cards.get(index)
            if card is None or card.paper_id is None:
                continue
            for label in {text for text, _ in self._labelled_links(index, level, card.paper_id)}:
                uses[label] = uses.get(label, 0) + 1
        shared = {label for label, n in uses.items() if n >= 2}
        if not shared:
            return {}
        found: dict[int, Card] = {}
        for index in heads:
            if index in cards or day_heading(lines[index]) or self._ids_under(index, level):
                continue
            url = next(
                (u for text, u in self._labelled_links(index, level, None) if text in shared), None
            )
            title = title_of(lines[index].text, heading=True) if url else None
            if title:
                found[index] = Card(index, title, None, level, is_truncated(title), 1, url=url)
        return found

    def _section(self, index: int, level: int) -> Iterator[Line]:
        """The lines under heading ``index``, up to the next heading of ``level`` or above."""
        for line in self.lines[index + 1 :]:
            if 0 <= line.heading <= level:
                return
            yield line

    def _other_items_under(self, index: int, level: int) -> int:
        """How many lines under heading ``index`` are wholly a bold link to no paper."""
        return sum(
            1
            for line in self._section(index, level)
            if line.link_only
            and line.links
            and not line.ids
            and all(link.strong and not link.image for link in line.links)
        )

    def _ids_under(self, index: int, level: int) -> bool:
        """Does the section under heading ``index`` name a paper by its id?"""
        return any(line.ids for line in self._section(index, level))

    def _labelled_links(self, index: int, level: int, pid: str | None) -> Iterator[tuple[str, str]]:
        """(label, URL) of the links in the section under heading ``index`` that are labels
        (``Paper Link``, not a title) to paper ``pid`` (to a web page with no id: None)."""
        for line in self._section(index, level):
            for link in line.links:
                if link.image or not link.url or not link.url.startswith(("http://", "https://")):
                    continue
                if link_id(link)[0] == pid and title_of(link.text) is None:
                    yield " ".join(link.text.split()).casefold(), link.url

    def _heading_cards(
        self, level: int, title_links: dict[int, Card]
    ) -> Iterable[tuple[int, Card]]:
        for index, ids in self._sections_at(level, title_links):
            line = self.lines[index]
            if len(ids) != 1:
                # None: not a paper's card; several: a list ("## Papers at a glance" over a
                # table, "Robot Learning · 10편" over prose that names them), not one paper.
                continue
            if self._other_items_under(index, level) >= 2:
                # "## HackerNews: "ai"" over bold links to posts, one of which links
                # arXiv: a list of other things, not that paper's card.
                continue
            title = title_of(line.text, heading=True)
            yield index, Card(index, title, ids[0], level, bool(title and is_truncated(title)), 1)
