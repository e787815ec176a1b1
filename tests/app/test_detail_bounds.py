"""The detail pane lays out a bounded part of an abstract (issue 17 point 12).

Attack repeated: a digest with a 50 MB one-paragraph abstract was imported,
and selecting that paper froze the app for 56 s at 4 GB. Imports now skip
such a paper, but a library from before can still hold a long one: the pane
shows its first SHOWN_ABSTRACT_CHARS characters and says how many more there are.
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from tracker.app.screens.main import MainScreen
from tracker.app.widgets.detail_pane import SHOWN_ABSTRACT_CHARS, DetailPane
from tracker.app.widgets.paper_list import PaperList
from tracker.library import Library

LONG = 90_000  # within what an import keeps (100,000), far over what the pane lays out


async def test_a_very_long_abstract_is_shown_in_part(data_dir: Path, make_app) -> None:  # type: ignore[no-untyped-def]
    page = data_dir.parent / "long.txt"
    words = "longword " * (LONG // 9)
    page.write_text(
        f"Daily Papers\n\nOct 7, 2024\n\nA Paper With A Very Long Abstract\n\n{words}\n",
        encoding="utf-8",
    )
    with Library.open(data_dir) as lib:
        [report] = lib.import_files([page])
        assert not isinstance(report, Exception), report
        [paper] = lib.papers
        assert len(paper.abstract) > LONG - 10
    app = make_app(data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert app.screen.query_one(PaperList).current_paper is not None
        pane = app.screen.query_one(DetailPane)
        pane.show_pending()
        await pilot.pause()
        shown = str(pane.query_one("#detail-abstract", Static).render())
        assert shown.startswith("longword longword")
        assert len(shown) < SHOWN_ABSTRACT_CHARS + 200
        assert f"{len(paper.abstract) - SHOWN_ABSTRACT_CHARS:,} more characters not shown" in shown
