"""Two edits of one note made at the same time, by two processes: keep both.

The app saves a note as it is typed; meanwhile a script may run
``tracker note ID --append "…"`` on the same paper, or another window may
save its own version. When the app saves, it says which note its edit
started from (``base``); if the stored note is no longer that one, the two
edits are joined rather than one replacing the other:

- the other process *appended* to the note (the stored note is the base
  plus more at its end, which is what ``--append`` does): the appended part
  goes after what is being typed;
- it changed the note in any other way: what is being typed comes first,
  then a line saying that another version follows, then that version.

Either way the result is the text being typed with something added at its
end, so the editor can add the same at its end without moving the cursor.
"""

from __future__ import annotations

OTHER_VERSION_MARK = (
    "**paper-tracker:** this note was also changed elsewhere while it was being edited; "
    "that version follows."
)


def addition(base: str, theirs: str, ours: str) -> str:
    """What to add at the end of ``ours`` so that the edit in ``theirs`` is kept too."""
    if theirs in (base, ours) or not theirs.strip():
        return ""  # nothing new there (a note cleared elsewhere does not clear this edit)
    stem = base.rstrip("\n")
    if theirs.startswith(stem) and len(theirs) > len(stem):
        added = theirs[len(stem) :]
        if not stem:  # the note was empty: all of it is new, a paragraph of its own
            added = "\n\n" + added.lstrip("\n")
    else:
        added = f"\n\n{OTHER_VERSION_MARK}\n\n{theirs}"
    if not ours.strip():
        # Nothing typed yet: the other version as it was stored (from an empty note,
        # whole, its leading blank lines too), else what it added.
        return theirs if not stem else added.lstrip("\n")
    return added


def merge_concurrent_edit(base: str, theirs: str, ours: str) -> str:
    """``ours`` (edited from ``base``) joined with ``theirs`` (the note as stored now)."""
    return ours + addition(base, theirs, ours)
