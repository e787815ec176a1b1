"""Edit the tags of one paper, or add/remove tags on several selected papers."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Label

from tracker.app.text import clean, literal
from tracker.app.widgets.safe_input import SafeInput
from tracker.library.changes import TagEdit, parse_tag_edit


class LastWordSuggester(Suggester):
    """Completes the word being typed from the tags already in use."""

    def __init__(self, tags: list[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.tags = tags

    async def get_suggestion(self, value: str) -> str | None:
        if not value or value[-1] in " ,":
            return None
        head, _, last = value.rpartition(" ")
        sign = "-" if last.startswith("-") else ""
        stem = last[len(sign) :].lstrip("#").casefold()
        if not stem:
            return None
        for tag in self.tags:
            if tag.casefold().startswith(stem) and tag.casefold() != stem:
                return f"{head} {sign}{tag}".lstrip() if head else f"{sign}{tag}"
        return None


class TagDialog(ModalScreen[TagEdit | None]):
    """Returns the tags to add and remove, or None when cancelled."""

    DEFAULT_CSS = """
    TagDialog { align: center middle; }
    /* A Label is as wide as its text: here it wraps at the dialog's edge (problems were cut off). */
    TagDialog > Vertical > Label { width: 1fr; }
    TagDialog > Vertical {
        width: 80; max-width: 98%; height: auto; padding: 1 2;
        border: thick $accent; background: $surface;
    }
    TagDialog .hint { color: $text-muted; }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="tags.cancel")]

    def __init__(self, heading: str, current: list[str] | None, known: list[str]) -> None:
        super().__init__()
        self.heading = heading
        self.current = current
        # Tags as shown (and completed): a tag holding a control character is
        # shown with U+FFFD, and saved that way only if the list is edited.
        self._shown = clean(" ".join(current or []))
        self.known = [clean(t) for t in known]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(literal(self.heading))
            yield SafeInput(
                # A trailing space: what is typed next starts a new tag.
                self._shown + " " if self.current else "",
                placeholder="tag another-tag" if self.current is not None else "add -remove",
                suggester=LastWordSuggester(self.known),
                select_on_focus=False,
                id="tags-input",
            )
            if self.current is not None:
                hint = "the paper's tags, separated by spaces · delete one to remove it"
            else:
                hint = "words add a tag to every selected paper · -word removes it"
            yield Label(
                f"{hint}\nenter: save · esc: cancel · → accepts a suggestion", classes="hint"
            )

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self.current is not None and event.value.split() == self._shown.split():
            self.dismiss(None)  # enter on the unchanged list: change nothing
            return
        self.dismiss(parse_tag_edit(event.value, self.current))

    def action_cancel(self) -> None:
        self.dismiss(None)
