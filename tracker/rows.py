"""The schemas of the stored rows: what a paper, digest or annotation row must be, and bounds.

A row read from a data file (the base, a journal, a backup being merged)
is checked against its table's schema before it becomes a
:class:`tracker.models.Paper`, ``Digest`` or ``Annotation``; a row that
does not fit is set aside (tracker/store/rejected.py), never loaded half
right. Each ``*_problem`` function says in one sentence why a row does not
fit ("" when it does). Nothing here knows the model classes: the models
and the store both use these checks.
"""

from __future__ import annotations

import re
from typing import Any

_PAPER_ID = re.compile("[0-9a-f]{12}")
is_paper_id = _PAPER_ID.fullmatch
"""Whether a text is a paper id: 12 lower-case hex digits (see tracker.models.paper_id_for)."""


class InvalidRowError(ValueError):
    """A row read from a file is not a paper, digest or annotation of this shape (why, in words).

    Raised by the ``from_dict`` methods; the store sets such a row aside
    instead of loading it (see tracker/store/rejected.py).
    """


class InvalidIdError(InvalidRowError):
    """A paper id read from a file does not have the shape :func:`tracker.models.paper_id_for` gives."""


def checked_paper_id(value: object) -> str:
    """``value`` if it is a paper id (12 lower-case hex digits), else InvalidIdError.

    Ids come from files (the data files, a merged backup) and end up in file
    names (vault exports): an id like ``x/../../x`` must never get that far.
    """
    if type(value) is str and is_paper_id(value):
        return value
    raise InvalidIdError(f"the paper id {value!r} is not a paper-tracker id (12 hex digits)")


MAX_TITLE_CHARS = 2_000
"""The longest title a paper may have. The longest in the real pages we test against
(tests/fixtures/real, /work's corpus of pages other people made) is 295 characters,
table markup and all; arXiv titles are far shorter. Longer is not a title."""
MAX_ABSTRACT_CHARS = 100_000
"""The longest abstract a paper may have: ten times the longest in those real pages
(8,815 characters, several paragraphs of a Markdown bot's page); arXiv itself allows
1,920. A 50 MB "abstract" froze the app: longer is not an abstract."""


_PAPER_TEXT_FIELDS = ("arxiv_id", "url", "published", "primary_class")


def common_paper_fields(row: object) -> tuple[str, str, str, list[Any]] | None:
    """(id, title, abstract, digests) of a row of the shape nearly every stored paper has.

    Those four keys, the id a paper id, the texts text within their bounds,
    the digests a list (its items are not looked at: the caller's use of them
    tells). None for any other row, which :func:`paper_row_problem` checks in
    full. A library opens 100,000 rows: this is the cheap path.
    """
    if type(row) is not dict or len(row) != 4:
        return None
    pid, title, abstract = row.get("id"), row.get("title"), row.get("abstract")
    digests = row.get("digests")
    if (
        type(pid) is str
        and is_paper_id(pid)
        and type(title) is str
        and type(abstract) is str
        and type(digests) is list
        and len(title) <= MAX_TITLE_CHARS
        and len(abstract) <= MAX_ABSTRACT_CHARS
    ):
        return pid, title, abstract, digests
    return None


def paper_row_fits(row: object) -> bool:
    """``not paper_row_problem(row)``, quick for the shape nearly every stored paper has."""
    common = common_paper_fields(row)
    if common is not None:
        try:
            "".join(common[3])  # every digest id a string (a TypeError names any other)
        except TypeError:
            return False
        return True
    return not paper_row_problem(row)


def paper_row_problem(row: object) -> str:
    """Why a stored paper row cannot be a paper ("" when it can): the schema of the papers table.

    Required: ``id`` (12 hex digits) and ``title`` (a string of at most
    MAX_TITLE_CHARS); ``abstract`` a string of at most MAX_ABSTRACT_CHARS,
    ``digests`` and ``authors`` lists of strings, ``upvotes`` a whole number,
    the other known fields strings (each may be missing or null). Keys this
    version does not know are allowed (a newer version's fields).
    """
    if type(row) is not dict:
        return f"a paper row is {_kind(row)}, not an object"
    pid = row.get("id")
    if pid is None:
        return "a paper row has no id"
    if type(pid) is not str or not is_paper_id(pid):
        return f"the paper id {_show(pid)} is not a paper-tracker id (12 hex digits)"
    title = row.get("title")
    if type(title) is not str:
        return f"paper {pid}: its title is {_kind(title)}, not text"
    if len(title) > MAX_TITLE_CHARS:
        return f"paper {pid}: its title has {len(title):,} characters (at most {MAX_TITLE_CHARS:,})"
    abstract = row.get("abstract")
    if abstract is not None and type(abstract) is not str:
        return f"paper {pid}: its abstract is {_kind(abstract)}, not text"
    if abstract is not None and len(abstract) > MAX_ABSTRACT_CHARS:
        return (
            f"paper {pid}: its abstract has {len(abstract):,} characters "
            f"(at most {MAX_ABSTRACT_CHARS:,})"
        )
    problem = _optional_fields_problem(row, texts=_PAPER_TEXT_FIELDS, lists=("digests", "authors"))
    if problem:
        return f"paper {pid}: {problem}"
    upvotes = row.get("upvotes")
    if upvotes is not None and type(upvotes) is not int:
        return f"paper {pid}: its upvotes are {_kind(upvotes)}, not a whole number"
    return ""


def paper_patch_problem(pid: str, patch: object) -> str:
    """Why a journal's change of a stored paper would leave it no paper ("" when it would not).

    A change holds some of the row's fields (null removes one): each must fit
    the schema, the id and title cannot be removed, and the id cannot change.
    """
    if type(patch) is not dict:
        return f"a change of paper {pid} is {_kind(patch)}, not an object"
    if patch.get("id", pid) != pid:
        return f"a change of paper {pid} gives it another id, {_show(patch.get('id'))}"
    for key in ("id", "title"):
        if key in patch and patch[key] is None:
            return f"a change of paper {pid} removes its {key}"
    kept = {key: value for key, value in patch.items() if value is not None}
    return paper_row_problem({"id": pid, "title": "", **kept})


def _optional_fields_problem(
    row: dict[str, object], *, texts: tuple[str, ...], lists: tuple[str, ...]
) -> str:
    """What is wrong with a row's optional fields ("" when nothing): ``texts`` are text
    when present, ``lists`` lists of texts; the text fields are checked first."""
    for key in texts:
        value = row.get(key)
        if value is not None and type(value) is not str:
            return f"its {key} is {_kind(value)}, not text"
    for key in lists:
        items = row.get(key)
        if items is not None and (type(items) is not list or not _all_text(items)):
            return f"its {key} are {_kind(items)}, not a list of texts"
    return ""


def _all_text(items: list[object]) -> bool:
    """Whether every item is text. A digest lists a thousand paper ids, and a library opens
    with a hundred digests: joined in C, not tested one by one (a TypeError names any other)."""
    try:
        "".join(items)  # type: ignore[arg-type]
    except TypeError:
        return False
    return True


def _kind(value: object) -> str:
    """What a JSON value is, for a sentence: ``5`` → "the number 5", ``[…]`` → "a list"."""
    if value is None:
        return "missing"
    if isinstance(value, bool):
        return f"the value {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {_show(value)}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


def digest_row_problem(row: object) -> str:
    """Why a stored digest row cannot be a digest ("" when it can): the schema of the digests table.

    Required: ``id`` and ``label`` (text); ``paper_ids`` a list of texts;
    ``date``, ``source``, ``sha256``, ``imported_at`` and ``format`` text
    (each may be missing or null).
    """
    if type(row) is not dict:
        return f"a digest row is {_kind(row)}, not an object"
    did = row.get("id")
    if type(did) is not str or not did:
        return f"a digest row's id is {_kind(did)}, not text"
    if type(row.get("label")) is not str:
        return f"digest {did}: its label is {_kind(row.get('label'))}, not text"
    problem = _optional_fields_problem(
        row, texts=("date", "source", "sha256", "imported_at", "format"), lists=("paper_ids",)
    )
    return f"digest {did}: {problem}" if problem else ""


STATUS_NAMES = ("new", "to-read", "reading", "read", "skipped")
"""The statuses as stored: the values of :class:`tracker.models.Status` (a test keeps them so)."""


def _is_status(text: str) -> bool:
    """Whether ``tracker.models.Status.parse`` takes ``text`` (``to_read``, ``ToRead``, ...)."""
    key = text.strip().lower().replace("_", "-")
    return any(key in (name, name.replace("-", "")) for name in STATUS_NAMES)


def annotation_row_problem(row: object) -> str:
    """Why a stored annotation row cannot be an annotation ("" when it can): the annotations' schema.

    Required: ``paper_id`` (12 hex digits). ``status`` one of the statuses
    (as stored: ``new``, ``to-read``, ``reading``, ``read``, ``skipped``);
    ``note``, ``updated_at`` and the ``*_at`` times text; ``tags`` and
    ``note_seen`` lists of texts; ``history`` a list (entries that are not
    [time, status] are skipped on load, not fatal). Each may be missing or null.
    """
    if not isinstance(row, dict):
        return f"an annotation row is {_kind(row)}, not an object"
    pid = row.get("paper_id")
    if pid is None:
        return "an annotation row has no paper_id"
    if type(pid) is not str or not is_paper_id(pid):
        return f"the paper id {_show(pid)} is not a paper-tracker id (12 hex digits)"
    status = row.get("status")
    if status is not None and (type(status) is not str or not _is_status(status)):
        names = ", ".join(STATUS_NAMES)
        return f"annotation of {pid}: its status is {_kind(status)}, not one of {names}"
    problem = _optional_fields_problem(
        row,
        texts=("note", "updated_at", "status_at", "tags_at", "note_at"),
        lists=("tags", "note_seen"),
    )
    if problem:
        return f"annotation of {pid}: {problem}"
    history = row.get("history")
    if history is not None and type(history) is not list:
        return f"annotation of {pid}: its history is {_kind(history)}, not a list"
    return ""
