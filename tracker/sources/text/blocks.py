"""Pass 2 of the text parser: consecutive text lines as blocks, each a title or prose."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from tracker.sources.patterns import lazy
from tracker.sources.text.lines import FULL_STOP, LONG_LINE, SENTENCE_END, TITLE_MAX, Line

# --------------------------------------------------------------------------
# Pass 2: blocks
# --------------------------------------------------------------------------

PROSE, TITLE, AMBIGUOUS = range(3)


@dataclass(slots=True)
class Block:
    lines: list[Line]
    text: str = ""
    kind: int = TITLE
    strong: bool = False
    url: str | None = None

    @property
    def no(self) -> int:
        return self.lines[0].no


def _join_lines(lines: list[Line]) -> str:
    """Lines of one paragraph: hard-wrapped lines join with a space."""
    if len(lines) == 1:
        return lines[0].text
    parts = [lines[0].text]
    for prev, cur in itertools.pairwise(lines):
        if len(prev.text) >= LONG_LINE and ends_sentence(prev.text):
            parts.append("\n\n")
        else:
            parts.append(" ")
        parts.append(cur.text)
    return "".join(parts)


def ends_sentence(text: str) -> bool:
    return text.rstrip("\"'”’)]").endswith((".", "!", "…"))


def _classify_text(text: str) -> int:
    """Prose (an abstract), a title, or ambiguous (decided by the blocks around it).

    A title is short and not a run of sentences; it rarely ends with a full stop
    but may hold a question mark. An abstract is long, or several sentences.
    """
    n = len(text)
    if n >= TITLE_MAX:
        return PROSE
    # Every sentence end is one of these marks: without any (most titles), none to count
    # (the pattern's search was 2.4 of a title's 4 us here).
    marked = "." in text or "!" in text or "?" in text or "…" in text
    ends = len(SENTENCE_END.findall(text)) if marked else 0
    period = ends_sentence(text)
    if ends >= 3 or (ends == 2 and (n >= 100 or (period and n >= 60))):
        return PROSE
    if not period:
        return TITLE
    return AMBIGUOUS


def make_block(lines: list[Line]) -> Block:
    block = Block(lines)
    block.text = _join_lines(lines)
    block.strong = lines[0].strong
    block.url = lines[0].url
    block.kind = (
        TITLE if block.strong and len(block.text) < 2 * TITLE_MAX else _classify_text(block.text)
    )
    if (
        (block.kind == TITLE and block.text.endswith((":", "：")))
        or is_field_line(block.text)
        or is_run_of_points(block)
    ):
        # "For practitioners, I suggest:" introduces what follows, "Method: We …" is
        # one part of a paper's summary, "1. Introduces X 2. Achieves Y" is a list of
        # contributions run together: never a title.
        block.kind = PROSE
    return block


# "1. Introduction of a new benchmark 2. Proposed methods …": a numbered list on one line.
_RUN_OF_POINTS = lazy(r"\s*1[.)]\s+\S.*?\s2[.)]\s+\S")


def is_run_of_points(block: Block) -> bool:
    """``1. Introduces X 2. Achieves Y`` on one line: a numbered list run together (a copy
    that lost its line breaks), never a title. A list on lines of its own is not one."""
    text = block.text
    return (
        len(block.lines) == 1
        and text.lstrip()[:1] == "1"  # the pattern's start, without trying it on every block
        and _RUN_OF_POINTS.match(text) is not None
    )


# "Keywords: …", "Method: …", "Conclusion: …", "Read time: 10 min": a part of a paper's
# summary or one of its fields, as a bot writes them (a paper's title never starts so).
_FIELD_LEAD = lazy(
    r"(?:key ?words?|methods?|methodology|results?|conclusions?|motivation|background"
    r"|contributions?|limitations?|read(?:ing)? time|relevance(?: score)?|score|tags?|tl;?dr)\s*[:：]\s*\S",
    re.IGNORECASE,
)


def is_field_line(text: str) -> bool:
    # A field has its colon: most blocks (abstracts, titles without one) are not tried.
    return ("：" in text or ":" in text) and _FIELD_LEAD.match(text) is not None


def split_block(lines: list[Line], unwrapped: bool) -> Iterable[list[Line]]:
    """Split a run of text lines where a title marker or a new paragraph starts.

    ``unwrapped``: the page has paragraphs on one line each (it has prose lines
    longer than any fixed-width wrapping makes them), so a line break inside a
    run is a new paragraph or title unless the text is visibly wrapped there.
    """
    if len(lines) == 1:
        yield lines[:]
        return
    long_mode = unwrapped or any(len(line.text) >= LONG_LINE for line in lines)
    width = max((len(line.text) for line in lines if len(line.text) < LONG_LINE), default=0)
    start = 0
    for i in range(1, len(lines)):
        prev, cur = lines[i - 1], lines[i]
        cut = cur.strong or prev.strong or cur.lynx or cur.bullet
        if not cut and long_mode:
            cut = _paragraph_break(prev.text, cur.text, width)
        if cut:
            yield from _split_title_off(lines[start:i])
            start = i
    yield from _split_title_off(lines[start:])


def _paragraph_break(prev: str, cur: str, width: int) -> bool:
    """In unwrapped text, does a new paragraph or title start at ``cur``?"""
    if len(prev) >= LONG_LINE:
        # A paragraph: the next line continues it only when it is long too and
        # the paragraph stopped mid-sentence.
        return ends_sentence(prev) or len(cur) < LONG_LINE
    cur_title = _is_title_line(cur)
    if _is_title_line(prev):
        if cur_title:
            return False  # one title over two lines
        if cur[:1].isupper():
            return True  # a title over its abstract
    elif ends_any_sentence(prev):
        return True
    # A short line in a run wrapped at a width: it is full unless it ends an element.
    return len(prev) + 1 + len(cur.split(" ", 1)[0]) <= width - 5


def ends_any_sentence(text: str) -> bool:
    return text.rstrip("\"'”’)]").endswith((".", "!", "?", "…"))


def _is_title_line(text: str) -> bool:
    return len(text) < LONG_LINE and _classify_text(text) == TITLE


def _split_title_off(lines: list[Line]) -> Iterable[list[Line]]:
    """A hard-wrapped paragraph with a title stuck on top of it: split the two.

    In text wrapped at a fixed width, a line that ends although the next word
    would have fitted ends an element. When the lines up to there read as a
    title and the rest as prose, they are a title and its abstract.
    """
    if len(lines) == 2:
        first, second = lines[0].text, lines[1].text
        if (
            len(first) + 1 + len(second.split(" ", 1)[0]) <= len(second) - 5
            and _classify_text(first) == TITLE
            and not FULL_STOP.search(first)
            and _classify_text(second) != TITLE
        ):
            return ([lines[0]], [lines[1]])
    elif len(lines) >= 3 and all(len(line.text) < LONG_LINE for line in lines):
        width = max(len(line.text) for line in lines[1:])
        for k in range(min(len(lines) - 2, 3)):
            length = len(lines[k].text)
            word = lines[k + 1].text.split(" ", 1)[0]
            if length + 1 + len(word) <= width - 5:
                head, rest = lines[: k + 1], lines[k + 1 :]
                title = _join_lines(head)
                if (
                    _classify_text(title) == TITLE
                    and not FULL_STOP.search(title)
                    and _classify_text(_join_lines(rest)) == PROSE
                ):
                    return (head, rest)
                break
    return (lines,)


def is_prose(text: str) -> bool:
    """Text that reads as an abstract (a run of sentences), never as a title."""
    return _classify_text(text) == PROSE
