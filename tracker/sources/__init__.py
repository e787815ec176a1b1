"""Every input format the library imports, and telling them apart by content.

``text``: copies of paper pages as text or Markdown: pages whose papers are
links (:mod:`tracker.sources.page`), plain copies without links
(:mod:`tracker.sources.text`);
``hf-json``: the Daily Papers JSON, scraped variants, JSON Feeds, JSON Lines and
other JSON lists of papers (:mod:`tracker.sources.hf_json`);
``feed``: RSS and Atom feeds of papers (:mod:`tracker.sources.feed`);
``arxiv``: arXiv listings, e-mail, web text or Markdown (:mod:`tracker.sources.arxiv_listing`,
:mod:`tracker.sources.arxiv_markdown`);
``html``: a page saved as HTML (:mod:`tracker.sources.html_page`), read as its Markdown.

Markdown's HTML blocks are read as the Markdown they stand for before a text
reader sees them (:func:`tracker.sources.html_page.html_blocks_to_markdown`),
and whatever the reader, titles that still hold page markup are dropped
(:mod:`tracker.sources.title_check`). All parsers give a
:class:`~tracker.sources.parsed.ParsedDigest`, so the library stores every
format the same way; :mod:`tracker.sources.parsed` also
decodes the bytes, and :mod:`tracker.sources.fields` holds what several formats
share (arXiv ids and links, month names, digest labels and dates), and
:mod:`tracker.sources.merging` what a page adds to a paper already stored.
Pure: no I/O, only the bytes given.

The readers are imported when a file is parsed, not with the package: the
names here (formats, :class:`Parsed`, the errors) are all that most
commands need, and ``tracker list`` or ``tracker mark`` import the library,
whose import code names them.
"""

from __future__ import annotations

from dataclasses import dataclass

from tracker.sources.parsed import DigestError, DoubtfulDigestError, ParsedDigest, decode

__all__ = ["AUTO", "FORMATS", "Parsed", "detect", "parse_bytes"]

AUTO = "auto"
# In the order detection tries them: the strict shapes first, text last.
FORMATS = ("hf-json", "feed", "html", "arxiv", "text")
FORMAT_NAMES = {
    "hf-json": "Hugging Face daily-papers JSON, a JSON Feed or another JSON list of papers",
    "feed": "an RSS or Atom feed of papers",
    "html": "a page saved as HTML",
    "arxiv": "arXiv e-mail or web listing",
    "text": "text or Markdown copy of a papers page",
}
_KIND = {
    "text": "a text digest",
    "html": "an HTML page",
    "arxiv": "an arXiv listing",
    "feed": "a feed",
}
# Formats whose dates are exact (a full date from the data), not "Aug 25".
EXACT_DATES = frozenset({"hf-json", "feed", "arxiv"})


@dataclass(frozen=True, slots=True)
class Parsed:
    """A parsed file and the format it was read as."""

    format: str
    digest: ParsedDigest


def supported() -> str:
    """``hf-json (Hugging Face daily-papers JSON), …`` for messages."""
    return ", ".join(f"{name} ({FORMAT_NAMES[name]})" for name in FORMATS)


def detect(text: str) -> str:
    """The format of decoded text: ``hf-json``, ``feed``, ``html``, ``arxiv`` or ``text``
    (the fallback)."""
    if _might_be_json(text):
        from tracker.sources import hf_json

        if hf_json.looks_like_json(text) or hf_json.is_json(text):
            return "hf-json"
    if _has_tags(text):
        from tracker.sources import feed, html_page

        if feed.looks_like_feed(text):
            return "feed"
        if html_page.looks_like_html(text):
            return "html"
    if _is_arxiv(text):
        return "arxiv"
    return "text"


# The readers of JSON, feeds and HTML are imported for text that could be theirs: a
# plain-text digest (most days' import) does not pay for importing them (issue 14).
def _might_be_json(text: str) -> bool:
    """Whether ``text`` opens as JSON does: anything else is neither ``looks_like_json`` nor
    ``is_json`` (both look at its first character first)."""
    return text.lstrip()[:1] in ("[", "{")


def _has_tags(text: str) -> bool:
    """Whether ``text`` has a ``<`` at all: a feed, an HTML page and Markdown's HTML blocks
    each start with one (``looks_like_feed``, ``looks_like_html``, ``html_blocks_to_markdown``)."""
    return "<" in text


def _has_fences(text: str) -> bool:
    """Whether ``text`` may have a fenced code block (``code_examples`` finds none without)."""
    return "```" in text or "~~~" in text


def _is_arxiv(text: str) -> bool:
    # The Markdown form links its entries: "[arXiv:ID](…)" (a substring test first,
    # so that a plain page does not pay for normalizing).
    linked = "]" in text and "](" in text
    if not linked and not _may_name_arxiv(text):
        return False  # without importing the listing's readers (3 ms of a digest's import)
    from tracker.sources import arxiv_listing, arxiv_markdown

    if arxiv_listing.looks_like_arxiv(text):
        return True
    if not linked:
        return False
    plain = arxiv_markdown.normalize(text)
    return plain is not None and arxiv_listing.looks_like_arxiv(plain)


def _may_name_arxiv(text: str) -> bool:
    """Whether a colon of ``text`` follows five characters that may spell "arXiv" in any case.

    ``arxiv_listing.looks_like_arxiv`` finds no entry without one. Its pattern
    ignores case, and an ``i`` so matches ``I``, ``ı`` and ``İ`` too: that letter
    is not looked at; a, r, x and v match only themselves in either case (every
    character tried: tests/unit/test_whole_page_scans.py).
    """
    colon = text.find(":")
    while colon >= 0:
        if (
            colon >= 5
            and text[colon - 5] in "aA"
            and text[colon - 4] in "rR"
            and text[colon - 3] in "xX"
            and text[colon - 1] in "vV"
        ):
            return True
        colon = text.find(":", colon + 1)
    return False


def _parse_arxiv(text: str, source: str) -> ParsedDigest:
    """An arXiv listing in any of its text forms (e-mail, copied page, Markdown)."""
    from tracker.sources import arxiv_listing, arxiv_markdown

    plain = arxiv_markdown.normalize(text)  # None for the e-mail and plain copies
    return arxiv_listing.parse(plain if plain is not None else text, source)


def _parse_text(text: str, source: str) -> ParsedDigest:
    """A page with paper links card by card, else the plain-text reader."""
    from tracker.sources import page
    from tracker.sources import text as text_page

    anchored = page.parse(text, source)
    if anchored is not None:
        return anchored
    return text_page.parse(text, source)


def parse_bytes(data: bytes, source: str, format: str = AUTO) -> Parsed:
    """Decode and parse one file; :class:`DigestError` names the file when it cannot.

    ``format`` is ``auto`` (detect from the content) or one of :data:`FORMATS`.
    """
    from tracker.sources import title_check

    if format != AUTO and format not in FORMATS:
        raise DigestError(
            source, f"unknown format {format!r} for {source}; supported: auto, {', '.join(FORMATS)}"
        )
    text = decode(data, source)
    refuse_own_files(text[:500], text[-500:], source)
    chosen = detect(text) if format == AUTO else format
    if chosen != "hf-json" and _might_be_json(text) and _is_json(text):
        # Any other reader would take JSON's lines for titles: refuse rather than store that.
        raise DigestError(
            source,
            f"{source} is JSON, not {_KIND[chosen]}; import it with --format hf-json or auto",
        )
    digest = _parse(text, source, format, chosen)
    if chosen in ("arxiv", "text") and _has_fences(text):
        from tracker.sources import code_examples

        # Papers that are all a document's examples in code blocks (a README showing
        # the formats) are not its papers: it is read again without them, and a
        # document is refused as one. The lines of these readers' papers are the file's.
        plain = code_examples.without_examples(text, digest)
        if plain is not None:
            chosen = detect(plain) if format == AUTO else format
            digest = _parse(plain, source, format, chosen)
    # Whatever read it, a title holding page markup is never stored (title_check).
    return Parsed(chosen, title_check.without_marked_up_titles(digest, source))


def _is_json(text: str) -> bool:
    from tracker.sources import hf_json

    return hf_json.looks_like_json(text) and hf_json.is_json(text)


def refuse_own_files(head: str, tail: str, source: str) -> None:
    """DigestError for one of paper-tracker's own files (a backup, a data file): ``head`` and
    ``tail`` are the text's first and last 500 characters."""
    if '"paper-tracker-backup"' in head:
        raise DigestError(
            source,
            f"{source} is a paper-tracker backup, not a digest: use `tracker merge {source}`",
        )
    if head.lstrip().startswith("{") and '"_meta"' in head + tail:
        raise DigestError(source, f"{source} is a paper-tracker data file, not a digest")


def _parse(text: str, source: str, format: str, chosen: str) -> ParsedDigest:
    from tracker.sources import markup, page
    from tracker.sources import text as text_page

    if chosen == "hf-json":
        from tracker.sources import hf_json

        return hf_json.parse(text, source)
    if chosen == "feed":
        from tracker.sources import feed

        return feed.parse(text, source)
    if chosen == "arxiv":
        return _parse_arxiv(text, source)
    if chosen == "html":
        from tracker.sources import html_page

        markdown = html_page.to_markdown(text)
        if _is_arxiv(markdown):
            return _parse_arxiv(markdown, source)
        try:
            return _parse_text(markdown, source)
        except DigestError as err:
            raise DigestError(
                source,
                f"no papers found in the HTML page {source}: nothing in it reads as a list "
                f"of papers ({err.message.removeprefix(source + ': ')})",
                line=err.line,
            ) from None
    # HTML inside Markdown (a README's <table>, a <details> block) is read as the
    # Markdown it stands for, never as lines of text.
    if _has_tags(text):
        from tracker.sources import html_page

        text = html_page.html_blocks_to_markdown(text)
    text = markup.plain_markdown(text)
    anchored = page.parse(text, source)  # its refusal says what it found: not rephrased
    if anchored is not None:
        return anchored
    try:
        return text_page.parse(text, source)
    except DoubtfulDigestError:
        raise  # it found candidates and says why it refuses them
    except DigestError as err:
        if format != AUTO:
            raise
        untitled = page.untitled_links(text, source)
        if untitled is not None:
            count, line, first = untitled
            shown = first if len(first) <= 60 else first[:59] + "…"
            raise DoubtfulDigestError(
                source,
                (
                    f"{source}: it links {count} papers but names none of them by a title "
                    f"(the first, at line {line}: {shown!r})"
                    if count != 1
                    else f"{source}: it links 1 paper but gives no title for it (line {line}: "
                    f"{shown!r})"
                )
                + ", so nothing was imported; import the page that lists the titles, or "
                "`tracker fetch` the day",
                line=line,
            ) from None
        # Nothing matched any format: say which ones there are.
        raise DigestError(
            source,
            f"no papers found in {source}: it is not in a format paper-tracker reads "
            f"(supported: {supported()}); --format forces one",
            line=err.line,
        ) from None
