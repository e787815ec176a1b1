"""The inverted index of titles and abstracts: words, posting arrays, vocabulary lookups."""

from __future__ import annotations

import re
import threading
import time
from array import array
from bisect import bisect_left, bisect_right, insort
from collections import deque
from collections.abc import Callable, Iterable, Iterator, MutableSequence, Sequence
from itertools import accumulate, repeat
from typing import cast

from rapidfuzz import process
from rapidfuzz.distance import OSA

from tracker.search import bits as bitmaps
from tracker.search.authors import AuthorIndex
from tracker.search.index_state import IndexState, IndexStore, Postings
from tracker.search.lazy_postings import IndexDamaged
from tracker.search.paper_keys import KEY_TYPE, paper_key, paper_keys
from tracker.search.reconcile import Matching, match, remap
from tracker.search.title_tokens import TitleTokens
from tracker.search.vocabulary import BucketKey, Groups, bucket_keys, prefix_keys
from tracker.search.words import doc_words, title_words

__all__ = ["IndexState", "IndexStore", "Postings", "WordIndex"]
_BUILD_CHUNK = 256  # papers indexed between two looks at cancelled() and at update()
# A word in at least one paper in this many has its postings kept as a bitmap
# too, once a search used them: no larger than its array (N/8 bytes against
# 4 bytes a paper), and the words whose unions cost most (see _bits).
_DENSE_SHARE = 32
_PREFIX_KEPT = 64
# One-letter prefixes kept apart from the others (never pushed out by them):
# at most this many (title and abstract), the letters that were typed or warmed.
_LETTERS_KEPT = 128
_ARRAY_APPEND = array.append
# The bitmaps thread sets this many positions (about half a millisecond) between
# two looks at whether a search started within the last _WARM_QUIET_S seconds (a
# key's search and frame take a few ms; then it waits).
_WARM_STEP = 8192
_WARM_QUIET_S = 0.02


SAVE_BEHIND = 500
"""A command leaves a saved file the journal fits as it is while it indexed fewer papers
beyond it than this, or than ``1 / SAVE_BEHIND_SHARE`` of the library (see
``WordIndex.defers_small_saves``). Measured at 100,000 papers: ``tracker list`` with
the file 100 papers behind took 0.33 s, 400 behind 0.45 s, and one that wrote the
file again 1.16 s (0.25 s with a file that fits)."""
SAVE_BEHIND_SHARE = 400


def _fitted_but(changed: list[int], count: int) -> Matching:
    """The matching of an index of ``count`` papers that are the library's first ``count``,
    all in place, the ones at ``changed`` (ascending) with other texts now: those are
    indexed again, the papers after ``count`` as new ones."""
    positions = list(range(count))
    for pos in changed:
        positions[pos] = -1
    return Matching(positions, changed, count, changed[0] if changed else count)


class WordIndex:
    """The words and postings of a :class:`SearchIndex`: adding, building, updating, vocabulary."""

    def __init__(self) -> None:
        self._titles: list[str] = []
        self._abstracts: list[str] = []
        self._authors: list[Sequence[str]] = []
        self.authors = AuthorIndex(self._authors)
        """Each paper's authors by name word (built when a search first needs it)."""
        self._title_toks = TitleTokens()  # per paper: title word ids in order
        self._keys: array[int] = array(KEY_TYPE)  # per indexed paper: the key of its text
        self._ids: dict[str, int] = {}
        self._words: list[str] = []
        self._tpost: list[Postings | None] = []
        self._apost: list[Postings | None] = []
        # First 1, 2 and 3 letters -> ids (tracker/search/vocabulary.py).
        self._by_prefix: Groups[str, list[int]] = Groups()
        # Candidates for typo matching: (length, first letter) and (length, last
        # letter) -> (words, ids). One typo leaves the first or the last letter alone.
        self._fuzzy_buckets: Groups[BucketKey, tuple[list[str], list[int]]] = Groups()
        self._indexed = 0  # papers before this position have their words indexed
        self._titled = 0  # ... and before this one, at least their title words
        # True once papers moved (relist): the postings are those of the old
        # positions until the next build fits them to the new ones (reconcile.py).
        self._moved = False
        self._build_lock = threading.Lock()
        self.store: IndexStore | None = None
        """Where :meth:`build` loads a saved index from and saves it to (None: nowhere)."""
        self._saved_version = -1  # _version of the index last saved or loaded
        self._load_saved = True  # False once a loaded index was found damaged
        self._behind_file: int | None = None
        """New papers indexed beyond a loaded file the journal fitted with no paper
        changed (see ``_adopt``); None otherwise (the file is saved as usual)."""
        # update() runs on the app's main thread (an import) while build() may
        # run in a worker. This lock makes "is this paper indexed yet?" and the
        # change of its text one step, so that a paper is indexed from its new
        # text or re-indexed, never left with its old text's words; the counter
        # tells a build that a text changed while it was loading a saved index,
        # and a save that one changed while it was writing.
        self._text_lock = threading.Lock()
        self._searches_waiting: list[None] = []
        """One item per search waiting for the text lock: a build lets them go first."""
        self._text_changes = 0
        self._version = 0
        # All words on lines of one string, for substring search by the regex engine:
        # (blob, start offset of each word, number of words). One tuple, replaced
        # whole, so overlapping searches never pair a new blob with old offsets.
        self._blob: tuple[str, array[int], int] = ("", array("q"), 0)
        # Bitmaps of frequent words' postings (title, abstract), for _version.
        self._bit_cache: tuple[dict[int, int], dict[int, int]] = ({}, {})
        self._bit_version = -1
        # The last few short prefixes' bitmaps, by (title?, prefix) (see _prefix_bits),
        # and those of one letter, kept apart (see _warm_bitmaps).
        self._prefix_cache: dict[tuple[bool, str], int] = {}
        self._letter_cache: dict[tuple[bool, str], int] = {}

    # ------------------------------------------------------------------ building

    def __len__(self) -> int:
        return len(self._titles)

    def attach(
        self,
        titles: MutableSequence[str],
        abstracts: MutableSequence[str],
        authors: MutableSequence[Sequence[str]],
    ) -> None:
        """Take the texts of every paper at once, as sequences read when used (an empty index).

        For a command that searches once: with a saved index that fits, only
        the texts of the papers a search looks at are ever read. Such an
        index takes :meth:`add` but not :meth:`update` (its caller drops it
        instead, see :attr:`has_lazy_texts`).
        """
        assert not self._titles, "attach() is for an empty index"
        self._titles = titles  # type: ignore[assignment]
        self._abstracts = abstracts  # type: ignore[assignment]
        self._authors = authors  # type: ignore[assignment]
        self.authors = AuthorIndex(self._authors)
        self.has_lazy_texts = True

    has_lazy_texts = False
    """True when the texts were attached (:meth:`attach`): they are read when used."""

    def add(self, title: str, abstract: str, authors: Sequence[str] = ()) -> int:
        """Add a paper; return its position (the number of papers added before it).

        Adding is cheap: the words are indexed later, by :meth:`build` or by the
        first search that needs them. Empty and filter-only queries never do, so
        the app can show its list at once and index 100,000 papers (seconds) in
        the background.
        """
        with self._text_lock:
            pos = len(self._titles)
            self._titles.append(title)
            self._abstracts.append(abstract)
            self._authors.append(authors)
        return pos

    def set_authors(self, pos: int, authors: Sequence[str]) -> None:
        """Replace the authors of the paper at ``pos`` (an import filled them in)."""
        if list(self._authors[pos]) != list(authors):
            self._authors[pos] = authors
            if pos < self.authors.indexed:
                self.authors.reset()
            self._version += 1

    def relist(
        self, titles: Sequence[str], abstracts: Sequence[str], authors: Sequence[Sequence[str]]
    ) -> None:
        """The papers are now these, in this order (some removed, put back, changed, added).

        Cheap: the next :meth:`build` fits the words indexed so far to the
        papers now, by the keys of their texts, and indexes only the papers it
        could not fit (tracker/search/reconcile.py): about a second at 100,000
        papers when papers near the start moved, instead of nine for a build
        from scratch. Searches wait for that build, as for any.
        """
        if not len(titles) == len(abstracts) == len(authors):
            raise ValueError("relist needs as many titles, abstracts and authors")
        with self._text_lock:
            self._text_changes += 1
            self._titles[:] = titles
            self._abstracts[:] = abstracts
            self._authors[:] = authors
            self._moved = True
            self.authors.reset()
            self._version += 1

    @property
    def is_built(self) -> bool:
        """True when every added paper's words are indexed."""
        return not self._moved and self._indexed == len(self._titles)

    @property
    def titles_built(self) -> bool:
        """True when every added paper's title words are indexed (abstracts may not be yet)."""
        return not self._moved and self._titled == len(self._titles)

    def build(
        self,
        cancelled: Callable[[], bool] | None = None,
        *,
        save: bool = True,
        titles_only: bool = False,
    ) -> bool:
        """Index the words of papers added since the last build.

        Safe to call from a worker thread while searches run: the first search
        that needs words waits for the build instead of starting its own.
        Returns False if ``cancelled`` stopped it (what is indexed stays indexed).

        Titles are indexed first, for every paper, then abstracts (a search
        may answer from the titles meanwhile, see
        ``SearchIndex.answers_while_indexing``); ``titles_only`` stops after
        the titles.

        With a :attr:`store`, the first build loads the saved index instead
        of indexing from scratch and fits it to the papers as they are now
        (only new and changed papers are indexed); a build that changed
        anything saves the result (unless ``save`` is False: then a later
        build does), after letting go of searches.
        """
        with self._build_lock:
            done = self._build(cancelled, save=save, titles_only=titles_only)
        if done and self.warms_bitmaps and self.is_built:
            # In a thread of its own: the build's caller goes on at once (the
            # app searches again and shows related papers when it returns).
            self.warming = threading.Thread(target=self._warm_bitmaps, name="bitmaps", daemon=True)
            self.warming.start()
        return done

    defers_small_saves = False
    """Whether a build that indexed only a few new papers beyond a saved file the
    journal fits, with none of the file's papers changed (see :meth:`_adopt`), leaves
    the file as it is. A command says yes: writing the whole file again (70 MB at
    100,000 papers) cost the first ``tracker list`` after each day's import more than
    the rest of it; the next command fits the same file again by the journal and
    indexes those few papers again (see ``SAVE_BEHIND``). A changed paper moves
    postings when the file is fitted, every time: then the file is saved. The app
    says no: it saves in the background."""

    warms_bitmaps = False
    """Whether a build is followed by making the bitmaps of every frequent word
    (see :meth:`_bits`), in a thread of its own. The app says yes: a keystroke
    that met a frequent word first waited for its bitmap (a few ms each at
    100,000 papers, several on some keys; about 8 MB for all of them). A
    command searches once and makes the few it needs."""
    warming: threading.Thread | None = None
    """The thread making them, after the last build that started one."""

    def _warm_bitmaps(self) -> None:
        """Make and keep the bitmap of every word in at least one paper in ``_DENSE_SHARE``,
        then those of the letters that start many words' postings.

        In steps of about ``_WARM_STEP`` postings, each after a pause in the
        searches (:meth:`_wait_for_quiet`). What an update or an import changes
        meanwhile makes a new version of the index: the thread stops, and that
        version's bitmaps are made when used (see :meth:`_bits`).
        """
        self._fresh_caches()
        # This version's caches: when the index changes, new ones replace them
        # (_fresh_caches), and what is stored here after that is never read.
        version = self._bit_version
        word_caches, letter_cache = self._bit_cache, self._letter_cache
        size = len(self._titles)
        dense = max(size // _DENSE_SHARE, 64)
        for title, postings in ((True, self._tpost), (False, self._apost)):
            cache = word_caches[0 if title else 1]
            for wid, arr in enumerate(postings[:]):
                if arr and len(arr) >= dense and wid not in cache:
                    found = self._warm_union([arr], size, version)
                    if found is None:
                        return
                    cache[wid] = found
        # The letters: a word of one letter matches the titles with a word it
        # starts, and after other words ("beam s") the abstracts too (see
        # SearchIndex._search). For "s" that set the postings of thousands of
        # rare words bit by bit on the first such keystroke: 8 ms at 10,000
        # papers, 75 ms at 100,000. Those starting an eighth of the papers'
        # postings or more; longer prefixes have far fewer words.
        letters = [k for k in self._by_prefix.group_keys() if len(k) == 1]
        for title, postings in ((True, self._tpost), (False, self._apost)):
            words = word_caches[0 if title else 1]
            for prefix in letters:
                arrays = [postings[w] for w in self._by_prefix.get(prefix, ())]
                if sum(map(len, filter(None, arrays))) < size // 8:
                    continue
                rare = [arr for arr in arrays if arr and len(arr) < dense]
                found = self._warm_union(rare, size, version)
                if found is None:
                    return
                for wid in self._by_prefix.get(prefix, ()):
                    found |= words.get(wid, 0)  # the frequent ones, made above
                letter_cache[(title, prefix)] = found
                if len(letter_cache) > _LETTERS_KEPT:
                    del letter_cache[next(iter(letter_cache))]

    def _warm_union(self, arrays: Sequence[Postings], size: int, version: int) -> int | None:
        """The bitmap of the positions in ``arrays``, set ``_WARM_STEP`` at a time, each after a
        pause in the searches; None if the index changed meanwhile."""
        buf = bytearray((size >> 3) + 1)
        for arr in arrays:
            for start in range(0, len(arr), _WARM_STEP):
                self._wait_for_quiet()
                if self._version != version:
                    return None
                bitmaps.add_positions(buf, arr[start : start + _WARM_STEP])
        return int.from_bytes(buf, "little")

    searched_at = 0.0
    """``time.monotonic()`` when the last search started (see :meth:`_wait_for_quiet`)."""

    def _wait_for_quiet(self) -> None:
        """Wait until no search started for ``_WARM_QUIET_S`` (the bitmaps thread).

        Both threads want the interpreter: while the first keys of a start were
        typed, making bitmaps beside them made each key's search and frame
        take up to twice as long (measured at 100,000 papers: frames of 7-8 ms
        instead of 3-4). A key's search and its frame come first; the bitmaps
        are made in the pauses between keys, a step at a time.
        """
        while (wait := self.searched_at + _WARM_QUIET_S - time.monotonic()) > 0:
            time.sleep(wait)

    def _build(
        self, cancelled: Callable[[], bool] | None, *, save: bool, titles_only: bool
    ) -> bool:
        store = self.store
        if (
            store is not None
            and self._load_saved
            and self._titled == 0
            and not self._moved
            and self._titles
        ):
            if cancelled is not None and cancelled():
                return False
            with self._text_lock:
                loaded_at = self._text_changes
            state = store.load()
            try:
                if state is not None and self._adopt(state, same_words=False, loaded_at=loaded_at):
                    self._saved_version = self._version  # the file fits as it is
            except IndexDamaged:  # postings read while fitting it (a lazy load)
                self._load_saved = False
                with self._text_lock:
                    self._clear()
        before = (self._titled, self._indexed)
        done: bool | None = False
        while not done:
            while self._moved:
                if cancelled is not None and cancelled():
                    return False
                self._adopt(self._state(), same_words=True)
            # Titles of every paper first, then abstracts; a relist meanwhile
            # (papers removed or put back) starts both again after fitting.
            done = self._chunks(cancelled, titles=True)
            if done is None:
                return False
            if titles_only:
                return True
            if done:
                done = self._chunks(cancelled, titles=False)
                if done is None:
                    return False
        changed = self._version != self._saved_version or (self._titled, self._indexed) != before
        # The authors too, here in the background rather than in the first search.
        self.authors.catch_up()
        self._version += 1
        if not changed:
            self._saved_version = self._version  # still what the file holds
        if store is None or not changed or not save:
            return True
        behind = self._behind_file
        if (
            self.defers_small_saves
            and behind is not None
            and behind < max(SAVE_BEHIND, len(self._titles) // SAVE_BEHIND_SHARE)
        ):
            return True  # the file, fitted by the journal, serves the next command as well
        with self._text_lock:
            if self._moved or not self._indexed == len(self._titles) > 0:
                return True
            state = self._state()
            changes = self._text_changes
            version = self._version
        # Let a search waiting for the build lock go first: the file is not
        # what it needs (build() holds the lock and lets go of it after this).
        self._build_lock.release()
        try:
            store.save(state, lambda: changes == self._text_changes)
            self._saved_version = version
        finally:
            self._build_lock.acquire()
        return True

    def build_titles_locked(self) -> None:
        """Index every title not indexed yet (the caller holds the build lock)."""
        self._build(None, save=False, titles_only=True)

    def _chunks(self, cancelled: Callable[[], bool] | None, *, titles: bool) -> bool | None:
        """Index titles (or abstracts) of the papers not indexed so far.

        True when done, False when a relist came in between (fit first), None
        when ``cancelled``. A chunk at a time under the text lock: an update
        or a relist in another thread waits at most one chunk, and so does a
        search that answers while abstracts are indexed.
        """
        while True:
            if cancelled is not None and cancelled():
                return None
            while self._searches_waiting:
                # A lock is not fair: taken again at once, it kept a waiting
                # search out for several chunks (see SearchIndex.search).
                time.sleep(0.0005)
            with self._text_lock:
                if self._moved:
                    return False
                if titles:
                    start, end = self._titled, len(self._titles)
                else:
                    start, end = self._indexed, self._titled
                if start >= end:
                    return True
                stop = min(start + _BUILD_CHUNK, end)
                if titles:
                    self._append_titles(start, stop)
                else:
                    for pos in range(start, stop):
                        self._index_abstract(pos, append=True)
                        self._indexed = pos + 1
                self._version += 1

    def _index_title(self, pos: int, *, append: bool) -> None:
        """Index the words of the title at ``pos`` (text lock held)."""
        words, name = title_words(self._titles[pos])
        self._post(pos, dict.fromkeys(words), self._tpost, append=append)
        ids = map(self._ids.__getitem__, words)
        if append:
            self._title_toks.append(ids, name)
            self._keys.append(0)  # known once the abstract is indexed too
        else:
            self._title_toks.replace(pos, ids, name)

    def _append_titles(self, start: int, stop: int) -> None:
        """:meth:`_index_title` for the titles at ``start`` to ``stop``, each new and last.

        The same postings and tokens, made in one loop with its look-ups bound
        once and each title's word ids looked up once (``_index_title`` looked
        them up for the postings and again for the tokens). A first start on a
        library just imported waits for every title to be indexed before it
        answers a search: at 100,000 papers 1.6 -> 1.2 s (2026-12-04).
        """
        titles, postings = self._titles, self._tpost
        ids_get, new_word = self._ids.get, self._new_word
        tokens = self._title_toks
        flat, starts, names = tokens.flat, tokens.starts, tokens.names
        for pos in range(start, stop):
            words, name = title_words(titles[pos])
            found = list(map(ids_get, words))
            if None in found:
                # New words get their ids in the order they first come, as _post gives
                # them; a second occurrence finds the id its first one got.
                for k, i in enumerate(found):
                    if i is None:
                        known = ids_get(words[k])
                        found[k] = new_word(words[k]) if known is None else known
            wids = cast("list[int]", found)  # no None left
            for wid in dict.fromkeys(wids):
                arr = postings[wid]
                if arr is None:
                    arr = postings[wid] = array("i")
                arr.append(pos)
            flat.extend(wids)
            starts.append(len(flat))
            names.append(min(name, 255))
            self._keys.append(0)  # known once the abstract is indexed too
            self._titled = pos + 1

    def _index_abstract(self, pos: int, *, append: bool) -> None:
        """Index the words of the abstract at ``pos`` and keep the paper's key (text lock held).

        The key of both texts as they are now: a title changed since it was
        indexed was indexed again by :meth:`update`.
        """
        abstract = self._abstracts[pos]
        self._post(pos, set(doc_words(abstract)), self._apost, append=append)
        self._keys[pos] = paper_key(self._titles[pos], abstract)

    def _index_paper(self, pos: int, *, append: bool) -> None:
        """Index the words of the paper at ``pos``: title, then abstract (text lock held)."""
        self._index_title(pos, append=append)
        self._index_abstract(pos, append=append)

    def _adopt(self, state: IndexState, *, same_words: bool, loaded_at: int | None = None) -> bool:
        """Take ``state`` (build lock held), fitted to the papers as they are now.

        ``same_words``: it is this index's own (its vocabulary is kept); else
        a loaded one, whose vocabulary replaces this index's. Fitting reads
        the texts; when one changes meanwhile, it starts again. True when
        ``state`` fits the papers as it is (nothing to drop or index again).
        ``loaded_at``: ``_text_changes`` when ``state`` was loaded; its
        ``candidates`` (what the journal said was written since) hold only
        while no text changed in this index after that.
        """
        while True:
            candidates = state.candidates if not same_words else None
            changed: list[int] = []
            with self._text_lock:
                changes = self._text_changes
                count = len(self._titles)
                trusted = state.fits and state.count == count and not same_words
                if candidates is not None and not (
                    candidates.papers == count >= state.count
                    and not trusted
                    and loaded_at == self._text_changes
                ):
                    candidates = None  # worked out for other papers or texts than these
                if candidates is not None:
                    # Only these may differ from what was indexed: their keys now.
                    changed = [
                        pos
                        for pos in candidates.positions
                        if paper_key(self._titles[pos], self._abstracts[pos]) != state.keys[pos]
                    ]
                elif not trusted:
                    titles = self._titles[:]
                    abstracts = self._abstracts[:]
            matching: Matching | None
            if trusted:
                # Saved in the library's current state: no text is read to check
                # (a command's texts are read from disk when used).
                matching = Matching(list(range(count)), [], count, count)
                fitted: IndexState | None = state
            elif candidates is not None:
                # Saved in an earlier state that the journal leads to from here:
                # the papers written since are the only ones whose keys could
                # differ (an import writes its new papers and the known ones it
                # met again). No other text is read.
                matching = _fitted_but(changed, state.count)
                fitted = remap(state, matching) if changed else state
            else:
                keys = paper_keys(titles, abstracts)
                matching = match(state.keys[: state.count], keys)
                fitted = None if matching is None else remap(state, matching)
            with self._text_lock:
                if changes != self._text_changes:
                    continue  # a text changed while it was being fitted: again
                if fitted is None or matching is None:  # building anew is cheaper
                    self._clear()
                    return False
                if not same_words:
                    self._clear()
                    lookups = fitted.lookups
                    if lookups is None:
                        for word in fitted.words:
                            self._new_word(word)
                    else:  # the saved tables, as _new_word would have made them
                        self._words = fitted.words
                        self._ids = lookups.ids
                        self._by_prefix = lookups.by_prefix
                        self._fuzzy_buckets = lookups.buckets
                self._tpost = fitted.title_postings
                self._apost = fitted.abstract_postings
                self._title_toks = TitleTokens(
                    fitted.title_tokens, fitted.title_starts, fitted.title_names
                )
                self._keys = fitted.keys
                for pos in matching.todo:
                    self._index_paper(pos, append=False)
                # A file behind by a few new papers alone may stay as it is (see
                # defers_small_saves); one whose papers changed is saved: fitting
                # it again moved every posting (remap), each command again.
                self._behind_file = (
                    count - state.count if candidates is not None and not changed else None
                )
                self._moved = False
                self._version += 1
                # Last: from here on the words are searchable.
                self._titled = self._indexed = fitted.count
                return matching.unchanged == state.count

    def _clear(self) -> None:
        """No words indexed (build and text locks held)."""
        self._behind_file = None  # nothing loaded from a file any more
        self._ids = {}
        self._words = []
        self._tpost = []
        self._apost = []
        self._by_prefix = Groups()
        self._fuzzy_buckets = Groups()
        self._blob = ("", array("q"), 0)
        self._title_toks = TitleTokens()
        self._keys = array(KEY_TYPE)
        self._moved = False
        self._titled = self._indexed = 0
        self._version += 1

    def _state(self) -> IndexState:
        """The index as plain arrays (text lock held, or the build lock and no relist)."""
        toks = self._title_toks
        flat, starts, names = (
            toks.merged() if toks.replaced else (toks.flat, toks.starts, toks.names)
        )
        return IndexState(
            self._indexed,
            self._words,
            self._tpost,
            self._apost,
            flat,
            starts,
            names,
            self._keys,
        )

    def drop_saved(self) -> None:
        """Forget the loaded index: reading its postings found the file damaged.

        The next search builds the index from the texts (and saves it over
        the damaged file); the file is not loaded again by this index.
        """
        with self._build_lock, self._text_lock:
            self._load_saved = False
            self._clear()
            self._saved_version = -1

    def update(self, pos: int, title: str, abstract: str) -> None:
        """Replace the text of the paper at ``pos`` (e.g. a longer abstract was merged in)."""
        if not 0 <= pos < len(self._titles):
            raise IndexError(f"no paper at position {pos}")
        with self._text_lock:
            self._text_changes += 1
            self._update(pos, title, abstract)

    def _update(self, pos: int, title: str, abstract: str) -> None:
        if self._moved or pos >= self._titled:
            # Not indexed yet, or to be fitted by key: the new text is all it takes.
            self._titles[pos] = title
            self._abstracts[pos] = abstract
            return
        whole = pos < self._indexed  # else only its title is indexed so far
        for text, postings in (
            (self._titles[pos], self._tpost),
            (self._abstracts[pos], self._apost),
        )[: 2 if whole else 1]:
            for word in set(doc_words(text)):
                arr = postings[self._ids[word]]
                if arr is not None:
                    i = bisect_left(arr, pos)
                    if i < len(arr) and arr[i] == pos:
                        del arr[i]
        self._titles[pos] = title
        self._abstracts[pos] = abstract
        self._index_title(pos, append=False)
        if whole:
            self._index_abstract(pos, append=False)
        self._version += 1

    def truncate(self, count: int) -> None:
        """Keep only the first ``count`` papers (the last ones were taken back: an undone import).

        Their positions leave every posting array; words only they had stay
        in the vocabulary with no papers. Call it with no search or build
        running in another thread.
        """
        if not 0 <= count <= len(self._titles):
            raise IndexError(f"cannot keep {count} of {len(self._titles)} papers")
        with self._build_lock, self._text_lock:
            self._text_changes += 1
            if self._titled > count and not self._moved:
                for postings in (self._tpost, self._apost):
                    for arr in postings:
                        if arr and arr[-1] >= count:
                            del arr[bisect_left(arr, count) :]
                toks = self._title_toks
                toks.replaced = {p: t for p, t in toks.replaced.items() if p < count}
                del toks.flat[toks.starts[count] :]
                del toks.starts[count + 1 :]
                del toks.names[count:]
                del self._keys[count:]
                self._titled = count
                self._indexed = min(self._indexed, count)
            del self._titles[count:]
            del self._abstracts[count:]
            del self._authors[count:]
            self.authors.truncate(count)
            self._version += 1

    def _post(
        self, pos: int, words: Iterable[str], postings: list[Postings | None], *, append: bool
    ) -> None:
        word_list = list(words)
        if append:
            try:  # the common case, all in C: every word known and already posted
                known = list(map(postings.__getitem__, map(self._ids.__getitem__, word_list)))
            except (KeyError, TypeError):
                pass  # a new word, or one not yet seen in this field
            else:
                if None not in known:
                    arrays_known = cast("list[array[int]]", known)
                    deque(map(_ARRAY_APPEND, arrays_known, repeat(pos)), maxlen=0)
                    return
        ids = list(map(self._ids.get, word_list))
        if None in ids:
            ids = [
                self._new_word(w) if i is None else i for i, w in zip(ids, word_list, strict=True)
            ]
        wids: list[int] = ids  # type: ignore[assignment]  # no None left
        found = list(map(postings.__getitem__, wids))
        if None in found:
            for k, arr in enumerate(found):
                if arr is None:
                    found[k] = postings[wids[k]] = array("i")
        arrays: list[array[int]] = found  # type: ignore[assignment]  # no None left
        if append:  # the common case, kept in C: every array gets the new, largest pos
            deque(map(_ARRAY_APPEND, arrays, repeat(pos)), maxlen=0)
        else:
            for arr in arrays:
                insort(arr, pos)

    def _bits(self, groups: Iterable[Sequence[int]], *, title: bool) -> int:
        """The papers whose title (or abstract) has any of the words, as a bitmap (bits.py).

        A frequent word's bitmap is kept until the index changes: typing
        "cont", "conte", "contex" unions the same frequent words again and
        again (a set union of them took milliseconds a key at 100,000
        papers). The postings of rarer words are set bit by bit each time.
        """
        self._fresh_caches()
        cache = self._bit_cache[0 if title else 1]
        postings = self._tpost if title else self._apost
        size = len(self._titles)
        dense = max(size // _DENSE_SHARE, 64)
        out = 0
        rare = bytearray((size >> 3) + 1)
        bit = bitmaps.BIT
        for ids in groups:
            for wid in ids:
                arr = postings[wid]
                if not arr:
                    continue
                if len(arr) >= dense:
                    found = cache.get(wid)
                    if found is None:
                        found = cache[wid] = bitmaps.of_positions(arr, size)
                    out |= found
                else:
                    for p in arr:  # bitmaps.add_positions, without a call per word
                        rare[p >> 3] |= bit[p & 7]
        return out | int.from_bytes(rare, "little")

    def _fresh_caches(self) -> None:
        """Start new bitmap caches when the index changed since the kept ones were made."""
        if self._bit_version != self._version:
            self._bit_cache = ({}, {})
            self._prefix_cache = {}
            self._letter_cache = {}
            self._bit_version = self._version

    def _prefix_bits(self, prefix: str, *, title: bool) -> int:
        """Papers with a word of the title (or abstract) starting with ``prefix`` (1 to 3
        letters), as a bitmap.

        The words are the index's own (a camel-case name's parts among them).
        The last ``_PREFIX_KEPT`` prefixes' bitmaps are kept: typing "pointer n",
        "pointer ne" asks for the same ones again on every key, and a word of
        one to three letters matches exactly the titles with a word it starts;
        the letters' (the costliest, made ahead by :meth:`_warm_bitmaps`) apart,
        up to ``_LETTERS_KEPT``.
        """
        self._fresh_caches()
        letter = len(prefix) == 1
        cache = self._letter_cache if letter else self._prefix_cache
        key = (title, prefix)
        found = cache.get(key)
        if found is None:
            found = cache[key] = self._bits([self._by_prefix.get(prefix, ())], title=title)
            if len(cache) > (_LETTERS_KEPT if letter else _PREFIX_KEPT):
                del cache[next(iter(cache))]
        return found

    def _abstract_prefix_bits(self, prefix: str, within: int) -> int:
        """The papers of ``within`` (a bitmap) with a word of the abstract starting with
        ``prefix`` (1 to 3 letters), as a bitmap (see :meth:`_prefix_bits`).

        Not kept yet, the prefix's frequent words are asked first (their bitmaps
        are kept, see :meth:`_bits`): when they leave none of ``within`` out, as
        for a letter ("beam s": every paper about beams has a frequent word with
        an s), the thousands of rare words need not be set bit by bit.
        """
        self._fresh_caches()
        kept = (self._letter_cache if len(prefix) == 1 else self._prefix_cache).get((False, prefix))
        if kept is not None:
            return within & kept
        postings = self._apost
        dense = max(len(self._titles) // _DENSE_SHARE, 64)
        ids = self._by_prefix.get(prefix, ())
        frequent = [w for w in ids if len(postings[w] or ()) >= dense]
        covered = within & self._bits([frequent], title=False)
        if covered == within:
            return covered
        return within & self._prefix_bits(prefix, title=False)

    # ------------------------------------------ term statistics (related papers)

    def word_ids(self, text: str) -> list[int]:
        """Ids of the indexed words of ``text``, in order; unknown words are left out."""
        return [i for i in map(self._ids.get, doc_words(text)) if i is not None]

    def word(self, wid: int) -> str:
        """The word with this id."""
        return self._words[wid]

    def postings(self, wid: int) -> tuple[Sequence[int], Sequence[int]]:
        """Positions (ascending) of the papers whose title / abstract has the word."""
        return self._tpost[wid] or (), self._apost[wid] or ()

    def text_of(self, pos: int) -> tuple[str, str]:
        """The title and abstract indexed at ``pos``."""
        return self._titles[pos], self._abstracts[pos]

    def _doc_frequency(self, wid: int) -> int:
        """Papers whose title or abstract has the word (an upper bound: both count)."""
        return len(self._tpost[wid] or ()) + len(self._apost[wid] or ())

    def _new_word(self, word: str) -> int:
        wid = len(self._words)
        self._words.append(word)
        self._ids[word] = wid
        self._tpost.append(None)
        self._apost.append(None)
        for prefix in prefix_keys(word):
            self._by_prefix.setdefault(prefix, []).append(wid)
        for key in bucket_keys(word):
            bucket = self._fuzzy_buckets.get(key)
            if bucket is None:
                bucket = self._fuzzy_buckets[key] = ([], [])
            bucket[0].append(word)
            bucket[1].append(wid)
        return wid

    # ---------------------------------------------------------- vocabulary lookups

    def _fuzzy(self, token: str, k: int) -> Iterator[tuple[str, float, int]]:
        """Vocabulary words within ``k`` edits of ``token`` (not itself)."""
        n = len(token)
        seen: set[int] = set()
        for length in range(n - k, n + k + 1):
            for key in ((length, token[0], True), (length, token[-1], False)):
                bucket = self._fuzzy_buckets.get(key)
                if bucket is None:
                    continue
                words, ids = bucket
                for word, dist, i in process.extract(
                    token, words, scorer=OSA.distance, score_cutoff=k, limit=None
                ):
                    wid = ids[i]
                    if dist and wid not in seen:
                        seen.add(wid)
                        yield word, dist, wid

    def _fuzzy_prefix(self, token: str) -> list[int]:
        """Words starting with a one-typo variant of ``token`` (``trasnf`` -> transformer)."""
        bucket = self._by_prefix.get(token[:2], [])
        words = self._words
        found: dict[int, None] = {}
        n = len(token)
        for length in (n, n + 1, n - 1):
            heads = [words[w][:length] for w in bucket]
            for _, _, i in process.extract(
                token, heads, scorer=OSA.distance, score_cutoff=1, limit=None
            ):
                if len(heads[i]) == length:
                    found[bucket[i]] = None
        return list(found)

    def _words_with(
        self, needle: str, *, at_start: bool = False, at_end: bool = False
    ) -> list[int]:
        """Ids of vocabulary words containing ``needle`` (or starting/ending with it)."""
        if at_start and not at_end:
            if len(needle) <= 3:
                return list(self._by_prefix.get(needle, ()))
            return [
                w for w in self._by_prefix.get(needle[:3], ()) if self._words[w].startswith(needle)
            ]
        blob, starts, count = self._blob
        if count != len(self._words):  # the vocabulary grew since the last phrase search
            words = self._words[:]
            blob = "\n" + "\n".join(words) + "\n"
            starts = array("q", accumulate((len(w) + 1 for w in words), initial=1))
            self._blob = (blob, starts, len(words))
        pattern = re.escape(needle)
        if at_start:
            pattern = "(?<=\n)" + pattern
        if at_end:
            pattern += "(?=\n)"
        found: dict[int, None] = {}
        for m in re.finditer(pattern, blob):
            found[bisect_right(starts, m.start()) - 1] = None
        return list(found)
