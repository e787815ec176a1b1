"""A built word index as plain arrays, and where it is kept between runs."""

from __future__ import annotations

from array import array
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, TypeAlias

from tracker.search.vocabulary import BucketKey, Groups

Postings: TypeAlias = "array[int]"  # positions, ascending


@dataclass(slots=True)
class IndexState:
    """A built index as plain arrays: what an :class:`IndexStore` saves and loads.

    The first ``count`` papers are indexed. Word ``i`` of ``words`` has id
    ``i``; ``title_postings[i]`` and ``abstract_postings[i]`` are the ascending
    positions of the papers whose title / abstract has it (None: none).
    ``title_tokens[title_starts[p] : title_starts[p + 1]]`` are the ids of the
    words of paper ``p``'s title, in order (``title_starts`` has ``count + 1``
    items, the first 0). ``title_names[p]``: how many of those are the words of
    the paper's name (0: none; see :func:`~tracker.search.words.title_words`).
    ``keys[p]``: the key of the title and abstract indexed for paper ``p``
    (:func:`~tracker.search.paper_keys.paper_key`), by which an index is
    fitted to papers that changed since (tracker/search/reconcile.py).
    """

    count: int
    words: list[str]
    title_postings: list[Postings | None]
    abstract_postings: list[Postings | None]
    title_tokens: array[int]
    title_starts: array[int]
    title_names: array[int]
    keys: array[int]
    fits: bool = False
    """Saved in the library's current state (tracker/search/index_file.py): it fits
    the papers as they are, without reading their texts to compare keys."""
    lookups: Lookups | None = None
    """The vocabulary's look-up tables as they were saved (None: made from ``words``)."""
    saved_as: str = ""
    """The name of the library's state it was saved in (Store.library_state; "": unknown)."""
    candidates: Candidates | None = None
    """Saved in an earlier state: which of its papers the changes since may have touched,
    when the library could tell (tracker/search/word_index.py fits it by comparing only
    their keys); None: every paper's key is compared."""


@dataclass(slots=True, frozen=True)
class Candidates:
    """What changed in the library since a saved index's state, as the journal tells it.

    The index's ``count`` papers are the library's first ``count``, in order;
    of those, only the ones at ``positions`` were written since (their texts may
    differ from the ones indexed); the library's papers after them are new.
    """

    positions: list[int]
    """Positions below the index's ``count``, ascending."""
    papers: int
    """How many papers the library had when this was worked out."""


@dataclass(slots=True)
class Lookups:
    """The look-up tables of a loaded index's words (see tracker/search/vocabulary.py)."""

    ids: dict[str, int]
    """Word -> id."""
    by_prefix: Groups[str, list[int]]
    """The first one, two or three letters -> ids of the words that start so."""
    buckets: Groups[BucketKey, tuple[list[str], list[int]]]
    """Typo buckets -> their words and ids."""


class IndexStore(Protocol):
    """Keeps a built index between runs (see tracker/search/index_file.py)."""

    def load(self) -> IndexState | None:
        """The saved index, if there is one made by this version of the code.

        It may have been made for other texts: its ``keys`` say for which.
        """
        ...

    def save(self, state: IndexState, still_valid: Callable[[], bool]) -> None:
        """Save ``state``, unless ``still_valid()`` is False once it is written; never raises."""
        ...
