"""Do real pages still read the same once another tool has touched them?

    python -m benchmarks.corpus_variants [--corpus DIR] [--verbose]

The corpus (``benchmarks.corpus``) measures the importer on pages as they were
found; the next page a user pastes is the same kind of page passed through
one more tool. So every corpus page (and the bundled seeds) is changed the
way real tools change Markdown, and read again in memory:

- ``crlf+bom``: Windows line endings and a byte-order mark;
- ``nav-top`` / ``nav-bottom``: a site's navigation links above the page
  (below its front matter) and a footer of links and share buttons below it;
- ``wrap72``: paragraphs and list items wrapped at 72 columns as pandoc does
  (``--wrap=auto``; headings, tables, code, HTML and quotes kept), Markdown
  pages only: a plain-text page was wrapped by its own writer already;
- ``bold__``: bold written ``__x__`` instead of ``**x**``;
- ``reflinks``: inline links as reference links with their definitions at the
  end (html2text ``--reference-links``);
- ``setext``: level 1 and 2 headings underlined, as pandoc wrote them
  before 2.11.2; ``autolinks``: bare addresses as ``<https://…>``;
  ``closing-hashes``: ``## Title #``;
- ``star-bullets``, ``paren-numbers``, ``tabs``, ``trailing-spaces``: other
  list markers, indentation and line ends;
- and, printed apart because the importer is not held to it yet,
  ``rendered``: the page as a browser copies it once rendered (links, marks
  and list markers gone). The plain-text reader takes junk from such copies
  of bot-written pages.

Per change it prints the pages whose titles changed, and of the rows the
changed page gave: ``lost`` (titles of the page as found that are gone),
``mangled`` (a title cut or joined) and ``junk`` (a row that is no title of
the page at all: the one thing a change must never bring). Nothing here asserts a figure;
``tests/unit/test_page_variants.py`` holds the importer to "no junk, and the
same titles for every change but the wrap".
"""

from __future__ import annotations

import argparse
import json
import re
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.corpus import CORPUS_ENV, DEFAULT_CORPUS, EXPECTED, ROOT, _looks_like
from tracker.sources.page.days import front_matter_end

NAV_TOP = (
    "[Skip to content](#main)\n\n- [Models](https://huggingface.co/models)\n"
    "- [Datasets](https://huggingface.co/datasets)\n- [Papers](https://huggingface.co/papers)\n"
    "- [Docs](https://huggingface.co/docs)\n- [Log In](https://huggingface.co/login)\n\n"
)
NAV_BOTTOM = (
    "\n\n---\n\n[Home](https://huggingface.co/) · [Papers](https://huggingface.co/papers) · "
    "[Trending](https://huggingface.co/papers/trending) · [About](/about) · "
    "[Subscribe](https://example.com/subscribe)\n\n"
    "Share: [Twitter](https://twitter.com/intent/tweet?url=x) "
    "[LinkedIn](https://www.linkedin.com/share)\n"
)
WIDTH = 72  # pandoc's default
_LIST_ITEM = re.compile(r"^(\s*)([-*+]|\d{1,3}[.)])\s+")
_INLINE_LINK = re.compile(r"(?<!!)\[([^\[\]\n]{1,300})\]\((https?://[^()\s]+)\)")


def below_front_matter(text: str, block: str) -> str:
    lines = text.split("\n")
    end = front_matter_end(lines)
    return "\n".join([*lines[:end], block + "\n".join(lines[end:])]) if end else block + text


def wrap(text: str, width: int = WIDTH) -> str:
    """Paragraphs and list items wrapped at ``width`` as pandoc does.

    A list item's continuation lines are indented under its text; headings,
    table rows, fenced code, HTML, quotes and front matter stay as they are.
    """
    lines = text.split("\n")
    front = front_matter_end(lines)
    out = lines[:front]
    fenced = False
    for line in lines[front:]:
        stripped = line.strip()
        if stripped.startswith("```"):
            fenced = not fenced
        if (
            fenced
            or len(line) <= width
            or stripped.startswith(("#", "|", "```", "<", ">"))
            or (line[:1] in (" ", "\t") and not _LIST_ITEM.match(line))
        ):
            out.append(line)  # an indented line that is no list item: a table row's wrap, code
            continue
        m = _LIST_ITEM.match(line)
        first = line[: len(line) - len(line.lstrip())]
        rest = " " * m.end() if m else first
        out.extend(
            textwrap.wrap(
                stripped,
                width,
                initial_indent=first,
                subsequent_indent=rest,
                break_long_words=False,
                break_on_hyphens=False,
            )
            or [""]
        )
    return "\n".join(out)


def reference_links(text: str) -> str:
    urls: list[str] = []

    def numbered(m: re.Match[str]) -> str:
        urls.append(m.group(2))
        return f"[{m.group(1)}][{len(urls)}]"

    body = _INLINE_LINK.sub(numbered, text)
    return body + "\n\n" + "\n".join(f"[{i}]: {u}" for i, u in enumerate(urls, 1)) + "\n"


_ATX = re.compile(r"(#{1,2})[ \t]+(.+?)[ \t]*#*[ \t]*")
_BARE_URL = re.compile(r"(?<![(<\[\"'=])\bhttps?://[^\s<>()\[\]\"']+")


_LIST_MARK = re.compile(r"(?:[-*+>|]|\d{1,9}[.)])(?:\s|$)")


def setext(text: str) -> str:
    """Level 1 and 2 headings underlined, as pandoc wrote them before 2.11.2.

    Only where Markdown allows it: a heading after a blank line (or the page's
    start) whose text would not read as a list item or a quote once its ``#``
    is gone (``## 1. Title`` stays: ``1. Title`` over ``---`` is a list and a rule).
    """
    lines = text.split("\n")
    out: list[str] = []
    for index, line in enumerate(lines):
        m = _ATX.fullmatch(line)
        if m is None or (index and lines[index - 1].strip()) or _LIST_MARK.match(m.group(2)):
            out.append(line)
            continue
        out += [m.group(2), "=-"[len(m.group(1)) - 1] * len(m.group(2))]
    return "\n".join(out)


CHANGES: dict[str, Callable[[str], str]] = {
    "crlf+bom": lambda t: "\ufeff" + t.replace("\n", "\r\n"),
    "nav-top": lambda t: below_front_matter(t, NAV_TOP),
    "nav-bottom": lambda t: t + NAV_BOTTOM,
    "wrap72": wrap,
    "bold__": lambda t: t.replace("**", "__"),
    "reflinks": reference_links,
    "star-bullets": lambda t: re.sub(r"(?m)^(\s*)- ", r"\1* ", t),
    "tabs": lambda t: t.replace("    ", "\t"),
    "setext": setext,
    "autolinks": lambda t: _BARE_URL.sub(lambda m: f"<{m.group(0)}>", t),
    "closing-hashes": lambda t: re.sub(r"(?m)^(#{1,6} .+?)[ \t]*$", r"\1 #", t),
    "paren-numbers": lambda t: re.sub(r"(?m)^(\s*\d{1,3})\. ", r"\1) ", t),
    "trailing-spaces": lambda t: "\n".join(x + "  " if x.strip() else x for x in t.split("\n")),
}
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\[\]]*)\]\([^)]*\)")
_RULE_ROW = re.compile(r"\s*\|?[\s:|-]+\|?\s*")


def rendered(text: str) -> str:
    """The page as a browser copies it once rendered: links, marks and markers gone,
    table cells separated by tabs."""
    out: list[str] = []
    for line in text.split("\n"):
        shown = _LINK.sub(r"\1", _IMAGE.sub("", line))
        shown = re.sub(r"^\s{0,3}#{1,6}\s+", "", shown).replace("**", "").replace("__", "")
        shown = re.sub(r"^(\s*)[-*+]\s+", r"\1", shown)
        if "-" in shown and _RULE_ROW.fullmatch(shown):
            continue
        if shown.strip().startswith("|"):
            shown = "\t".join(cell.strip() for cell in shown.strip().strip("|").split("|"))
        out.append(shown)
    return "\n".join(out)


# Changes the importer is not held to yet (printed apart; the test leaves them out).
# A rendered copy of a Markdown page loses the links the page reader anchors on, and
# the plain-text reader, made for Hugging Face's own page, takes junk from it.
UNSOLVED: dict[str, Callable[[str], str]] = {"rendered": rendered}
MARKDOWN_ONLY = frozenset({"wrap72", "rendered"})


@dataclass
class Page:
    name: str
    text: str
    markdown: bool


@dataclass
class Change:
    """What one change did to one page's rows."""

    page: str
    change: str
    refused: str = ""  # the refusal's message, when the changed page was refused
    lost: list[str] = field(default_factory=list)
    mangled: list[str] = field(default_factory=list)
    junk: list[str] = field(default_factory=list)


def pages(corpus: Path | None) -> Iterator[Page]:
    """The seeds, and the corpus's digest pages that read on their own (no --date needed)."""
    for seed in sorted((ROOT / "seeds").glob("*.txt")):
        yield Page(f"seeds/{seed.name}", seed.read_text(encoding="utf-8"), markdown=False)
    if corpus is None:
        return
    for expected in sorted(EXPECTED.rglob("*.json")):
        rel = expected.relative_to(EXPECTED).as_posix().removesuffix(".json")
        path = corpus / rel
        spec = json.loads(expected.read_text(encoding="utf-8"))
        if not path.is_file() or spec.get("refuse") or spec.get("import_args"):
            continue
        if path.suffix not in (".md", ".txt", ".markdown"):
            continue
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            continue
        yield Page(rel, text, markdown=path.suffix != ".txt")


def titles(text: str, name: str) -> list[str] | str:
    """The titles the importer reads from ``text``, or its refusal."""
    from tracker import sources
    from tracker.sources.parsed import DigestError

    try:
        parsed = sources.parse_bytes(text.encode("utf-8"), name)
    except DigestError as err:
        return err.message
    return [paper.title for paper in parsed.digest.papers]


def compare(page: Page, change: str) -> Change | None:
    """What ``change`` does to ``page``'s titles; None when they stay the same (or it does
    not apply)."""
    if change in MARKDOWN_ONLY and not page.markdown:
        return None
    name = page.name.rsplit("/", 1)[-1]
    before = titles(page.text, name)
    if isinstance(before, str):
        return None  # refused as found: the corpus measures that
    after = titles({**CHANGES, **UNSOLVED}[change](page.text), name)
    if after == before:
        return None
    outcome = Change(page.name, change)
    if isinstance(after, str):
        outcome.refused = after
        outcome.lost = before
        return outcome
    outcome.lost = [t for t in before if t not in after]
    for row in after:
        if row in before:
            continue
        (outcome.mangled if _looks_like(row, before) else outcome.junk).append(row)
    return outcome


def main(argv: list[str] | None = None) -> int:
    import os

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument("--verbose", "-v", action="store_true")
    args = parser.parse_args(argv)
    corpus = args.corpus or Path(os.environ.get(CORPUS_ENV) or DEFAULT_CORPUS)
    found = list(pages(corpus if corpus.is_dir() else None))
    print(f"{len(found)} pages (the seeds and the corpus at {corpus})")
    for change in [*CHANGES, *UNSOLVED]:
        if change in UNSOLVED:
            print(f"not held to it yet: {change}")
        outcomes = [o for page in found if (o := compare(page, change)) is not None]
        applied = sum(1 for page in found if page.markdown or change not in MARKDOWN_ONLY)
        junk = sum(len(o.junk) for o in outcomes)
        print(
            f"{change:16} pages changed {len(outcomes):3}/{applied:<3} "
            f"lost {sum(len(o.lost) for o in outcomes):4}  "
            f"mangled {sum(len(o.mangled) for o in outcomes):3}  junk {junk:3}  "
            f"refused {sum(1 for o in outcomes if o.refused)}"
        )
        if args.verbose:
            for o in outcomes:
                what = f"refused: {o.refused[:100]}" if o.refused else ""
                print(
                    f"    {o.page}: lost {len(o.lost)} mangled {o.mangled[:2]} junk {o.junk[:3]} {what}"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
