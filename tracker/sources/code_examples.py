"""Fenced code blocks that show examples in a document: never its papers.

A README, a tool's documentation or someone's notes show in fenced code
blocks (```` ```markdown ````, ``~~~``) what the pages they are about look
like: an arXiv entry, a JSON item, a card of a papers page. Read as a page,
such a document gave its examples as papers (paper-tracker's own README was
read as an arXiv listing of the one entry it shows). A clipping tool that
wraps the page it copied in one ```` ```text ```` fence is the opposite
case: there the fence is the page.

So the fenced blocks of a page are examples when they hold less of its text
than the rest of the page does, and a page whose papers all stand in its
examples is read again without them (:func:`without_examples`): a document
is then refused as one, in its reader's own sentence, and papers outside
the examples are read as they would be.

Pure: no I/O.
"""

from __future__ import annotations

from tracker.sources.parsed import ParsedDigest
from tracker.sources.patterns import lazy

__all__ = ["without_examples"]

# A fence: three or more backticks or tildes (indented in a list item, as READMEs do).
_FENCE = lazy(r"[ \t]*(`{3,}|~{3,})")


def without_examples(text: str, digest: ParsedDigest) -> str | None:
    """``text`` with the lines inside its example blocks blank (line numbers kept), when
    every paper of ``digest`` stands in one; None otherwise."""
    lines = text.split("\n")
    blocks = _fenced_blocks(lines)
    papers = digest.papers
    if not blocks or not papers or not _are_examples(lines, blocks):
        return None
    if not all(any(first <= p.line <= last for first, last in blocks) for p in papers):
        return None
    for first, last in blocks:
        # The fence lines stay: a reader takes them for what a document is made of.
        lines[first - 1 : last] = [""] * (last - first + 1)
    return "\n".join(lines)


def _fenced_blocks(lines: list[str]) -> list[tuple[int, int]]:
    """The first and last line (1-based) inside each closed fence.

    A fence is closed by the same character, at least as many times, alone on its
    line (CommonMark); a fence never closed is not counted: what follows it may be
    the page itself.
    """
    blocks: list[tuple[int, int]] = []
    opening: tuple[int, str] | None = None  # its line number and its fence
    for no, line in enumerate(lines, start=1):
        if "``" not in line and "~~" not in line:
            continue  # most lines: no pattern run on them
        match = _FENCE.match(line)
        if match is None:
            continue
        fence, rest = match.group(1), line[match.end() :]
        if opening is None:
            # "```a```" is inline code: an opening fence's info string has no backtick.
            if not (fence[0] == "`" and "`" in rest):
                opening = (no, fence)
        elif fence[0] == opening[1][0] and len(fence) >= len(opening[1]) and not rest.strip():
            blocks.append((opening[0] + 1, no - 1))
            opening = None
    return [(first, last) for first, last in blocks if first <= last]


def _are_examples(lines: list[str], blocks: list[tuple[int, int]]) -> bool:
    """Whether the fenced lines are fewer than the page's other lines (not counting
    blank lines nor the fences): examples in a document, not a page captured whole."""
    inside = sum(1 for first, last in blocks for line in lines[first - 1 : last] if line.strip())
    outside = sum(1 for line in lines if line.strip()) - inside - 2 * len(blocks)
    return inside < outside
