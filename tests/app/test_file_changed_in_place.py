"""library.json changed in place by another program while the app shows its papers.

The app reads a paper's abstract from the file when it shows it (the store
keeps the last rows read); when another program rewrote the file in place
meanwhile, reading it raises the store's one-sentence error, and the pane
shows that sentence instead of stopping the app with a traceback.
"""

from __future__ import annotations

from tracker.app.widgets.detail_pane import shown_abstract
from tracker.models import Paper
from tracker.store import CorruptFileError


class _MovedAbstract(Paper):
    """A paper whose abstract, read from the file, is no longer where it was."""

    @property  # type: ignore[override]
    def abstract(self) -> str:
        raise CorruptFileError("library.json was changed by another program (nothing was changed)")


def test_an_abstract_that_moved_is_shown_as_one_sentence() -> None:
    paper = _MovedAbstract.__new__(_MovedAbstract)
    shown = shown_abstract(paper)
    assert shown.plain == "library.json was changed by another program (nothing was changed)"


def test_an_abstract_that_reads_is_shown() -> None:
    paper = Paper.__new__(Paper)
    object.__setattr__(paper, "abstract", "Words of the abstract.")
    assert shown_abstract(paper).plain == "Words of the abstract."


async def test_a_search_that_meets_a_moved_abstract_says_so_and_the_app_goes_on(  # type: ignore[no-untyped-def]
    seeded, make_app, monkeypatch
) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()

        def moved(*args: object, **kwargs: object) -> None:
            raise CorruptFileError("library.json was changed by another program")

        monkeypatch.setattr(app.screen.library, "search", moved)
        await pilot.press("slash", "m", "a")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running
        assert any("changed by another program" in str(n.message) for n in app._notifications)
