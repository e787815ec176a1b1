"""Checking the user's keymap against the app's bindings, and letting a remapped key win.

Textual's keymap replaces a binding's keys, but a key the user gives to one
binding stays on every other binding that had it by default, and the binding
nearest the focus wins: with ``"status.skipped" = "j"`` the list's own ``j``
(move down) still took the key and skip had none. Here the bindings that are
active together (the app's, one screen's, the focused widget's) are known as
*situations*; a key given in keymap.toml is taken away from the defaults it
would meet in any of them. What cannot be done is said in one sentence each:
an unknown binding id (with the nearest known one), a key name no keyboard
sends, a key given to two bindings that are active together, a default left
without any key.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from textual.binding import Binding
from textual.keys import KEY_NAME_REPLACEMENTS, Keys, key_to_character

from tracker.app.keymap import KEYMAP_FILE, load_keymap


def situations(app_bindings: Sequence[object]) -> dict[str, list[Binding]]:
    """Where keys are pressed → every binding that answers there (app, screen, focused widget).

    ``app_bindings``: the App's own (they answer everywhere); passed in, as the
    App module imports this one.
    """
    from tracker.app.dialogs.confirm import ConfirmDialog
    from tracker.app.dialogs.digest_edit import DigestEditDialog
    from tracker.app.dialogs.export import ExportDialog
    from tracker.app.dialogs.help import HelpScreen
    from tracker.app.dialogs.import_file import ImportDialog
    from tracker.app.dialogs.paste_import import PasteImportDialog
    from tracker.app.dialogs.search_name import SearchNameDialog
    from tracker.app.dialogs.tags import TagDialog
    from tracker.app.dialogs.watch_list import WatchListDialog
    from tracker.app.screens.error import ErrorScreen
    from tracker.app.screens.main import MainScreen
    from tracker.app.screens.stats import StatsScreen
    from tracker.app.screens.triage import NoteDialog, TriageScreen, TriageSummary
    from tracker.app.screens.whats_new import WhatsNewScreen
    from tracker.app.widgets.detail_pane import NoteEditor
    from tracker.app.widgets.digest_sidebar import DigestSidebar
    from tracker.app.widgets.paper_list import PaperList

    def of(*classes: type) -> list[Binding]:
        found = [*app_bindings, *(b for cls in classes for b in getattr(cls, "BINDINGS", []))]
        return [b for b in found if isinstance(b, Binding)]

    return {
        "the paper list": of(MainScreen, PaperList),
        "the digests": of(MainScreen, DigestSidebar),
        "the note": of(MainScreen, NoteEditor),
        "the filter box": of(MainScreen),
        "triage": of(TriageScreen),
        "triage's note": of(NoteDialog, NoteEditor),
        "the triage summary": of(TriageSummary),
        "reading stats": of(StatsScreen),
        "what's new's papers": of(WhatsNewScreen, PaperList),
        "what's new's summary": of(WhatsNewScreen),
        "help": of(HelpScreen),
        "a confirmation": of(ConfirmDialog),
        "the export dialog": of(ExportDialog),
        "the import dialog": of(ImportDialog),
        "a pasted page": of(PasteImportDialog),
        "the saved-search name": of(SearchNameDialog),
        "the tags dialog": of(TagDialog),
        "the watch list": of(WatchListDialog),
        "the digest dialog": of(DigestEditDialog),
        "the error screen": of(ErrorScreen),
    }


def _keys(text: str) -> list[str]:
    return [k.strip() for k in text.split(",") if k.strip()]


MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
_NAMED = (
    frozenset(k.value for k in Keys)
    | set(KEY_NAME_REPLACEMENTS)
    | set(KEY_NAME_REPLACEMENTS.values())
)


def is_key_name(key: str) -> bool:
    """Whether a keyboard can send ``key``: modifiers, then one character or a key's name.

    Textual takes any Unicode character name as a key ("banana" is 🍌), so a
    mistyped name was accepted and the binding silently had no key a person
    can press. A name counts when it is one of Textual's keys (escape, f5,
    pageup, …) or names a printable ASCII character (question_mark, full_stop);
    any other character is given as itself ("ä").
    """
    *mods, base = key.split("+")
    if not base or any(m not in MODIFIERS for m in mods):
        return False
    if len(base) == 1 or base in _NAMED:
        return True
    character = key_to_character(base)
    return character is not None and len(character) == 1 and " " <= character <= "~"


@dataclass
class KeymapCheck:
    keymap: dict[str, str]
    """What to give Textual: the user's keys, and the defaults that lost a key to them."""
    problems: list[str]
    """One sentence per problem (empty: the keymap is fine)."""
    remapped: int
    """How many binding ids the user's keymap gives keys to (and are applied)."""


def check_keymap(
    user: dict[str, str], app_bindings: Sequence[object], file: str = KEYMAP_FILE
) -> KeymapCheck:
    """The keymap to apply for ``user`` (binding id → keys), and what is wrong with it."""
    where = situations(app_bindings)
    known = {b.id for bindings in where.values() for b in bindings if b.id}
    problems: list[str] = []
    mapped: dict[str, list[str]] = {}
    for binding_id, keys in user.items():
        if binding_id not in known:
            near = difflib.get_close_matches(binding_id, sorted(known), n=1)
            hint = f" (did you mean {near[0]!r}?)" if near else " (? lists the ids)"
            problems.append(f"{file}: there is no binding {binding_id!r}{hint}; it was ignored.")
        elif not _keys(keys):
            problems.append(f"{file}: {binding_id!r} is given no key; it keeps its own.")
        elif bad := [key for key in _keys(keys) if not is_key_name(key)]:
            problems.append(
                f"{file}: {bad[0]!r} (for {binding_id!r}) is not a key name (one character, "
                "or a name such as escape, f5, pageup, ctrl+x, question_mark); "
                "the binding keeps its own keys."
            )
        else:
            mapped[binding_id] = _keys(keys)
    effective = {binding_id: ",".join(keys) for binding_id, keys in mapped.items()}
    lost: dict[str, set[str]] = {}
    defaults: dict[str, list[str]] = {}
    clashes: dict[tuple[str, str], str] = {}  # (key, ids) → the first place they meet
    for place, bindings in where.items():
        holders: dict[str, list[str]] = {}  # key → the user's binding ids that take it here
        for binding in bindings:
            if binding.id in mapped:
                for key in mapped[binding.id]:
                    if binding.id not in holders.setdefault(key, []):
                        holders[key].append(binding.id)
        for key, ids in holders.items():
            if len(ids) > 1:
                clashes.setdefault((key, " and ".join(repr(i) for i in sorted(ids))), place)
        for binding in bindings:
            if binding.id is None or binding.id in mapped:
                continue
            own = _keys(binding.key)
            defaults[binding.id] = own
            taken = {key for key in own if key in holders}
            if taken:
                lost.setdefault(binding.id, set()).update(taken)
    for (key, names), place in sorted(clashes.items()):
        problems.append(f"{file}: {key!r} is given to both {names} (in {place}); one of them wins.")
    for binding_id, taken in sorted(lost.items()):
        left = [key for key in defaults[binding_id] if key not in taken]
        if left:
            effective[binding_id] = ",".join(left)
        else:
            gone = ", ".join(sorted(taken))
            problems.append(
                f"{file}: {binding_id!r} has no key left ({gone} went to another binding); "
                "give it one in the file."
            )
    return KeymapCheck(effective, problems, len(mapped))


def check_file(directory: Path, app_bindings: Sequence[object]) -> KeymapCheck:
    """Read keymap.toml in ``directory`` and check it (a file that does not parse is a problem)."""
    user, problem = load_keymap(directory)
    result = check_keymap(user, app_bindings, str(directory / KEYMAP_FILE))
    if problem:
        result.problems.insert(0, problem)
    return result
