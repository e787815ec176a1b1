"""The daily routine in the app: watch list, saved searches, theme, NO_COLOR and ASCII marks.

Every test checks config.toml (or the library) on disk afterwards.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from waiting import run_command

from tracker.app.screens.main import MainScreen
from tracker.app.screens.triage import TriageScreen
from tracker.app.widgets.digest_sidebar import DigestSidebar
from tracker.app.widgets.paper_list import PaperList
from tracker.config import ConfigFile

SIZE = (120, 36)


def _config(tmp_path: Path) -> dict:  # type: ignore[type-arg]
    return tomllib.loads((tmp_path / "config" / "config.toml").read_text(encoding="utf-8"))


def _list(app) -> PaperList:  # type: ignore[no-untyped-def]
    return app.screen.query_one(PaperList)


def _row_text(plist: PaperList, row: int) -> str:
    return "".join(seg.text for seg in plist._render_row(row, 100, False))


async def _ready(app, pilot) -> None:  # type: ignore[no-untyped-def]
    await app.workers.wait_for_complete()
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_add_and_remove_watch_terms_in_the_dialog(
    seeded: Path, make_app, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        await pilot.press("W")
        await pilot.pause()
        assert type(app.screen).__name__ == "WatchListDialog"
        await pilot.press(*"pointer netwroks", "enter")  # a typo, as in the filter box
        await pilot.press(*"status:read", "enter")  # refused with a sentence, not saved
        await pilot.pause()
        assert "status:" in str(app.screen.query_one("#watch-problem").render())
        app.screen.query_one("#watch-input").value = ""  # the refused text is kept to fix
        await pilot.press(*"recipes", "enter")
        await pilot.pause()
        assert _config(tmp_path)["watch"]["terms"] == ["pointer netwroks", "recipes"]
        await pilot.press("escape")
        await _ready(app, pilot)
        assert isinstance(app.screen, MainScreen)
        # The list marks watched papers with a star, and is:watched finds them.
        await pilot.press("slash", *"is:watched", "enter")
        await _ready(app, pilot)
        plist = _list(app)
        titles = {plist.paper_at(i).title for i in range(len(plist.hits))}
        assert {"Pointer Networks", "A Named Entity Based Approach to Model Recipes"} <= titles
        # Exactly what the two entries find in the filter box ("recipes" is also in an abstract).
        lib = app.library
        expected = {r.paper.title for r in lib.query("pointer netwroks")} | {
            r.paper.title for r in lib.query("recipes")
        }
        assert titles == expected
        assert all("★" in _row_text(plist, i) for i in range(len(plist.hits)))

        # Remove one again: the star and the filter follow at once.
        await pilot.press("W")
        await pilot.pause()
        await pilot.press("tab", "delete")  # to the list (first entry highlighted), remove
        await pilot.pause()
        await pilot.press("escape")
        await _ready(app, pilot)
        assert _config(tmp_path)["watch"]["terms"] == ["recipes"]
        titles = {plist.paper_at(i).title for i in range(len(plist.hits))}
        assert titles == {r.paper.title for r in lib.query("recipes")}
        assert "Pointer Networks" not in titles


async def test_triage_shows_watched_papers_first(seeded: Path, make_app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ConfigFile(tmp_path / "config").set_watch(["recipes", '"state space"'])
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        await pilot.press("T")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TriageScreen)
        lib = app.library
        watched = [pid for pid in screen.queue if pid in screen.watched]
        assert watched, "nothing watched in the seeds"
        assert screen.queue[: len(watched)] == watched
        assert "watched first" in str(screen.query_one("#triage-label").render())
        assert "watched:" in str(screen.query_one("#triage-meta").render())
        first = screen.current_id
        await pilot.press("t")
    with lib.__class__.open(seeded, readonly=True) as again:
        assert again.status(first).value == "to-read"


async def test_save_run_rename_and_delete_searches(seeded: Path, make_app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        await pilot.press("slash", *"sequence", "enter", "1")  # words + the "only new" view
        await _ready(app, pilot)
        await pilot.press("F")
        await pilot.pause()
        assert type(app.screen).__name__ == "SearchNameDialog"
        await pilot.press(*"New sequence papers", "enter")
        await pilot.pause()
        assert _config(tmp_path)["searches"] == {"New sequence papers": "sequence status:new"}
        expected = len(_list(app).hits)

        await pilot.press("escape", "0", "slash", *"mamba", "enter")  # a second one
        await pilot.press("F")
        await pilot.pause()
        await pilot.press(*"Mamba", "enter")
        await _ready(app, pilot)
        sidebar = app.screen.query_one(DigestSidebar)
        assert list(sidebar.searches) == ["New sequence papers", "Mamba"]
        assert sidebar.search_counts["New sequence papers"] == expected

        # Run the first with its key, from the list with an empty filter.
        await pilot.press("escape", "escape", "6")
        await _ready(app, pilot)
        assert app.screen.query_one("#filter").value == "sequence status:new"
        assert len(_list(app).hits) == expected
        assert sidebar.current_search == "New sequence papers"

        # Rename and delete from the sidebar.
        sidebar.focus()
        await pilot.pause()
        await pilot.press("R")
        await pilot.pause()
        app.screen.query_one("#search-name").value = ""
        await pilot.press(*"Unread sequences", "enter")
        await pilot.pause()
        assert list(_config(tmp_path)["searches"]) == ["Unread sequences", "Mamba"]
        sidebar.highlight_search("Mamba")
        await pilot.press("D")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert _config(tmp_path)["searches"] == {"Unread sequences": "sequence status:new"}
        assert list(sidebar.searches) == ["Unread sequences"]


async def test_saved_search_from_the_command_palette(
    seeded: Path, make_app, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    ConfigFile(tmp_path / "config").set_searches({"Pointers": "pointer"})
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        await run_command(pilot, "Saved search: Pointers")
        await _ready(app, pilot)
        assert app.screen.query_one("#filter").value == "pointer"
        assert _list(app).paper_at(0).title == "Pointer Networks"


async def test_theme_choice_survives_a_restart(seeded: Path, make_app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        assert not (tmp_path / "config" / "config.toml").exists()  # starting writes nothing
        app.theme = "nord"  # what ctrl+p "Change theme" does
        await pilot.pause()
    assert _config(tmp_path)["look"]["theme"] == "nord"
    again = make_app(seeded)
    async with again.run_test(size=SIZE) as pilot:
        await _ready(again, pilot)
        assert again.theme == "nord"


async def test_rows_take_the_new_theme_colours(seeded: Path, make_app) -> None:  # type: ignore[no-untyped-def]
    # The list keeps its component styles between rows: a theme change must reach them.
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        plist = _list(app)
        plist.focus()
        await pilot.pause()
        before = {seg.style for seg in plist._render_row(0, 100, True)}
        app.theme = "nord" if app.theme != "nord" else "gruvbox"
        await pilot.pause()
        after = {seg.style for seg in plist._render_row(0, 100, True)}
        assert before != after
        plist.blur()
        await pilot.pause()
        # The cursor row looks different without focus (CSS :focus rules).
        assert {seg.style for seg in plist._render_row(0, 100, True)} != after


async def test_a_broken_config_file_starts_with_defaults_and_says_so(
    seeded: Path, make_app, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "config").mkdir()
    path = tmp_path / "config" / "config.toml"
    path.write_text('[look]\ntheme = "nord\n', encoding="utf-8")
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        assert isinstance(app.screen, MainScreen)
        messages = [str(n.message) for n in app._notifications]
        assert any(str(path) in m and "line 2" in m for m in messages), messages
        # Saving a search then is refused: the broken file is not overwritten.
        await pilot.press("slash", *"llm", "enter", "F")
        await pilot.pause()
        await pilot.press(*"LLM", "enter")
        await pilot.pause()
    assert path.read_text(encoding="utf-8") == '[look]\ntheme = "nord\n'


async def test_ascii_marks(seeded: Path, make_app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ConfigFile(tmp_path / "config").set_watch(["pointer networks"])
    app = make_app(seeded, ascii=True)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        await pilot.press("slash", *"pointer networks", "enter")
        await _ready(app, pilot)
        row = _row_text(_list(app), 0)
        assert row.startswith(" *!") and "Pointer Networks" in row
        assert row.isascii()


def test_no_color_is_honoured(monkeypatch: pytest.MonkeyPatch, seeded: Path, make_app) -> None:  # type: ignore[no-untyped-def]
    from textual.filter import Monochrome, NoColor

    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(seeded)
    assert app.no_color
    assert any(isinstance(f, Monochrome | NoColor) for f in app._filters)
    monkeypatch.delenv("NO_COLOR")
    assert not make_app(seeded).no_color


async def test_keys_are_in_help_and_remappable(seeded: Path, make_app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "config").mkdir(exist_ok=True)
    (tmp_path / "config" / "keymap.toml").write_text('[keys]\n"search.saved_1" = "f6"\n')
    ConfigFile(tmp_path / "config").set_searches({"Pointers": "pointer"})
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        ids = {row[2] for _, rows in app.help_sections() for row in rows}
        assert {
            "search.save",
            "search.saved_1",
            "search.saved_4",
            "watch.edit",
            "sidebar.rename_search",
            "sidebar.delete_search",
            "sidebar.edit_digest",
            "sidebar.forget_digest",
        } <= ids
        sidebar = app.screen.query_one(DigestSidebar)
        assert sidebar.search_keys[0] == "f6"  # the sidebar shows the remapped key
        await pilot.press("f6")
        await _ready(app, pilot)
        assert app.screen.query_one("#filter").value == "pointer"


async def test_a_saved_search_names_a_digest_by_id_when_its_label_is_ambiguous(
    seeded: Path, make_app
) -> None:  # type: ignore[no-untyped-def]
    from tracker.library import Library

    abstract = "An abstract long enough to be prose for the parser, as real ones are. " * 2
    with Library.open(seeded) as lib:
        lib.import_bytes(
            f"Aug 25, 2024\n\nAnother paper of another Aug 25\n\n{abstract}\n".encode(),
            source="other.txt",
        )
        seeds_aug, mar = lib.digests[0], lib.digests[1]
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        sidebar = screen.query_one(DigestSidebar)
        # The seeds' Aug 25 ("aug 25" is a prefix of "aug 25 2024"; the dated one is listed first).
        sidebar.highlighted = sidebar.get_option_index(seeds_aug.id)
        await _ready(app, pilot)
        assert sidebar.current_digest == seeds_aug.id
        assert f"digest:{seeds_aug.id}" in screen.filter_as_text()
        sidebar.highlighted = sidebar.get_option_index(mar.id)
        await _ready(app, pilot)
        assert sidebar.current_digest == mar.id
        assert 'digest:"Mar 17"' in screen.filter_as_text()


async def test_the_sidebar_tells_same_day_digests_apart_by_their_file(
    seeded: Path, make_app
) -> None:  # type: ignore[no-untyped-def]
    from tracker.library import Library

    abstract = "An abstract long enough to be prose for the parser, as real ones are. " * 2
    with Library.open(seeded) as lib:
        for name in ("morning.txt", "evening.txt"):
            lib.import_bytes(
                f"Oct 7, 2024\n\nA paper first seen in {name}\n\n{abstract}\n".encode(),
                source=name,
            )
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(app, pilot)
        sidebar = app.screen.query_one(DigestSidebar)
        prompts = [str(sidebar.get_option_at_index(i).prompt) for i in range(sidebar.option_count)]
        assert any("Oct 7, 2024 · mo" in p for p in prompts), prompts
        assert any("Oct 7, 2024 · ev" in p for p in prompts)
        assert any(p.startswith("Aug 25") and "·" not in p for p in prompts)
