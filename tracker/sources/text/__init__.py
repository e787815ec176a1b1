"""The plain-text page parser: plain-text copies of Hugging Face "Daily Papers" pages to papers.

The clean format is a run of blocks separated by blank lines: a header of page
noise (``new``, ``Subscribe``, ``Daily Papers`` …), a date line such as
``Aug 25``, then alternating title and abstract blocks. Copies made by other
people, text browsers (lynx, w3m), Markdown converters and note-taking apps add
navigation menus, URLs, upvote counts, Markdown syntax, wrapped lines and so on.

The parser works in three passes, all linear in the size of the text:

1. every line is classified on its own: blank, known page noise (skipped
   silently), a date line, page metadata (a URL, an arXiv id, an upvote count,
   ``Submitted by …``) or text; Markdown / lynx decoration is peeled off first;
2. consecutive text lines form blocks, and each block is classified by its
   shape: a title is short and not a run of sentences, an abstract is prose;
3. a small state machine walks the blocks: a title opens a paper, the prose
   after it is its abstract, further prose blocks are more paragraphs of it.
   Metadata lines attach to the paper they belong to.

Nothing is dropped silently unless it is a known noise pattern: everything else
that is skipped yields a :class:`~tracker.sources.parsed.ParseWarning` naming its line.

Known limits: a title that is itself several sentences, or longer than 300
characters, reads as prose; without blank lines, a page whose lines are all
shorter than 200 characters is taken for text wrapped at a fixed width; a title
without an abstract is only kept between two papers or with an arXiv link.

Pure: no file I/O, no Textual; only the standard library and
:mod:`tracker.models`. Linear time: no line is matched by a pattern that can
backtrack badly, and long lines skip the patterns meant for short ones.

The package, in the order of the passes: :mod:`~.lines` (the line patterns
and pass 1), :mod:`~.blocks` (pass 2), :mod:`~.papers` (pass 3) and
:mod:`~.reading` (the entry point, :func:`parse`).
"""

from tracker.sources.text.blocks import is_prose
from tracker.sources.text.lines import is_page_noise
from tracker.sources.text.reading import looks_like_a_page, parse, parse_bytes

__all__ = ["is_page_noise", "is_prose", "looks_like_a_page", "parse", "parse_bytes"]
