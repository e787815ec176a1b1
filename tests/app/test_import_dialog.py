"""The import dialog (I): a preview when the files look unusual, a report that stays."""

from __future__ import annotations

from pathlib import Path

from tracker.app.dialogs.import_file import ImportDialog
from tracker.app.screens.main import MainScreen
from tracker.app.widgets.paper_list import PaperList
from tracker.models import Status

SIZE = (80, 24)
HF_JSON = Path(__file__).parent.parent / "fixtures" / "sources" / "hf_daily_papers.json"


def _text(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one("#import-text").render())


def _page(tmp_path: Path, name: str, titles: list[str], *, abstracts: bool = True) -> Path:
    body = "".join(
        f"{t}\n\n" + ("We study this question in depth with many experiments. " * 3 + "\n\n")
        for t in titles
    )
    if not abstracts:
        body = "".join(f"{t}\n\n" for t in titles)
    path = tmp_path / name
    path.write_text(f"Daily Papers\n\nOct 7, 2024\n\n{body}")
    return path


def _two_days(tmp_path: Path) -> Path:
    """A text page split into two digests (a page is usually one day): unusual."""
    abstract = "We study this question in depth with many experiments. " * 3
    path = tmp_path / "two.txt"
    path.write_text(
        f"Daily Papers\n\nOct 7, 2024\n\nA Paper About Calendars And Weeks\n\n{abstract}\n\n"
        f"Oct 8, 2024\n\nAnother Paper About Clocks And Hours\n\n{abstract}\n"
    )
    return path


async def _open_dialog(app, pilot, paths: str) -> None:  # type: ignore[no-untyped-def]
    await app.workers.wait_for_complete()
    await pilot.press("I")
    await pilot.pause()
    app.screen.query_one("#import-path").value = paths
    await pilot.press("enter")
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_report_stays_open_with_every_warning_and_keys_do_not_leak(
    seeded: Path, make_app, reopen, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    for n in range(10):
        _page(tmp_path, f"day{n}.txt", [f"A Fresh Paper Number {n}"])
    undated = tmp_path / "undated.txt"
    undated.write_text(
        "Daily Papers\n\nOct 8\n\nAn Undated Paper On Calendars\n\n"
        + "Calendars are hard and we show why in detail. " * 3
        + "\n"
    )
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await _open_dialog(app, pilot, f"{tmp_path}/day*.txt {undated} {tmp_path}/missing.txt")
        assert isinstance(app.screen, ImportDialog)
        report = _text(app)
        # Every file, not "…and 8 more"; the warning itself, not "1 warnings".
        for n in range(10):
            assert f"day{n}.txt: Oct 7, 2024 — 1 paper, 1 new" in report
        assert "warning: Oct 8: the digest's year is unknown" in report
        assert "missing.txt" in report
        assert "12 files: added 11 digests and 11 new papers, 1 could not be imported" in report
        # Keys meant for the main screen must not reach it while the report is shown.
        await pilot.press("t", "m", "x")
        await pilot.pause()
        assert isinstance(app.screen, ImportDialog)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert len(app.screen.query_one(PaperList).hits) == 125
    with reopen(seeded) as lib:
        assert len(lib) == 125
        assert all(lib.status(p.id) is Status.NEW for p in lib.papers)


async def test_a_file_that_cannot_be_imported_keeps_the_dialog_open(
    seeded: Path, make_app, reopen, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01binary")
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await _open_dialog(app, pilot, str(bad))
        assert isinstance(app.screen, ImportDialog)
        assert "not imported: bad.txt" in _text(app)
        # Still asking for paths: typing goes into the box, not to the main screen.
        await pilot.press("t", "x")
        assert app.screen.query_one("#import-path").value.endswith("bad.txttx")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
    with reopen(seeded) as lib:
        assert len(lib) == 114
        assert all(lib.status(p.id) is Status.NEW for p in lib.papers)


async def test_an_unusual_preview_asks_and_no_writes_nothing(
    seeded: Path, make_app, reopen, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    bare = _page(
        tmp_path, "titles.txt", ["Only A Title Here", "And Another Title"], abstracts=False
    )
    before = (seeded / "library.json").read_bytes()
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await _open_dialog(app, pilot, f"{_two_days(tmp_path)} {bare}")
        preview = _text(app)
        assert "two.txt: would add Oct 7, 2024 (2024-10-07), Oct 8, 2024 (2024-10-08)" in preview
        assert "unusual: 2 digests from one file" in preview
        question = str(app.screen.query_one("#import-question").render())
        assert "Import anyway?" in question
        assert (seeded / "library.json").read_bytes() == before
        await pilot.press("n")  # back to the paths, nothing written
        await pilot.pause()
        assert app.screen.query_one("#import-path").has_focus
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
    assert (seeded / "library.json").read_bytes() == before


async def test_an_unusual_preview_imports_on_yes(
    seeded: Path, make_app, reopen, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await _open_dialog(app, pilot, str(_two_days(tmp_path)))
        assert "Import anyway?" in str(app.screen.query_one("#import-question").render())
        await pilot.press("enter")
        await pilot.pause()
        assert "2 papers, 2 new" in _text(app)
        assert "would add" not in _text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert len(app.screen.query_one(PaperList).hits) == 116
    with reopen(seeded) as lib:
        assert len(lib) == 116 and len(lib.digests) == 4


async def test_json_of_several_days_is_imported_without_a_question(
    seeded: Path, make_app, reopen
) -> None:  # type: ignore[no-untyped-def]
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await _open_dialog(app, pilot, str(HF_JSON))
        assert "would add" not in _text(app)
        assert "hf_daily_papers.json (hf-json): Oct 8 2024, Oct 9 2024 — 4 papers" in _text(app)
    with reopen(seeded) as lib:
        assert len(lib) == 118 and len(lib.digests) == 4


async def test_a_file_that_names_no_day_asks_for_its_day_then_imports_it(
    seeded: Path, make_app, reopen, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    nameless = tmp_path / "my-papers.txt"
    nameless.write_text(
        _page(tmp_path, "x.txt", ["A Paper Of No Day In Particular"])
        .read_text()
        .replace("Oct 7, 2024\n\n", "")
    )
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await _open_dialog(app, pilot, str(nameless))
        text = " ".join(_text(app).split())
        assert "my-papers.txt names no day" in text and "type its day below" in text
        assert "my-papers (no date)" not in text
        question = app.screen.query_one("#import-question")
        assert "This page names no day" in str(question.render())
        day = app.screen.query_one("#import-day")
        assert day.display and app.focused is day
        # A slip is said, and nothing is imported.
        await pilot.press(*"2025-13-01", "enter")
        await pilot.pause()
        assert "'2025-13-01' is not a date like 2024-10-07" in str(question.render())
        with reopen(seeded) as lib:
            assert len(lib.digests) == 2
        day.value = ""
        await pilot.press(*"2025-08-06", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "my-papers.txt: Aug 6 2025 — 1 paper" in _text(app)
        assert "added 1 digest and 1 new paper" in _text(app)
        await pilot.press("enter")  # closes the report
        await pilot.pause()
        assert not isinstance(app.screen, ImportDialog)
    with reopen(seeded) as lib:
        assert len(lib.digests) == 3
        [digest] = [d for d in lib.digests if d.date == "2025-08-06"]
        titles = {p.id: p.title for p in lib.papers}
        assert [titles[pid] for pid in digest.paper_ids] == ["A Paper Of No Day In Particular"]


async def test_the_day_typed_goes_to_the_page_that_names_none_not_to_a_dated_one(
    seeded: Path, make_app, reopen, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """A new user's case (2026-12-04): two files, one dated by its front matter, one not;
    the day typed for the undated one also dated the other (label Nov 3, date Oct 20)."""
    folder = tmp_path / "picks"
    folder.mkdir()
    abstract = "We study this question in depth with many experiments. " * 3
    (folder / "a.md").write_text(
        "---\ndate: 2025-11-03\n---\n\n# Week\n\n"
        "## [A Paper Dated By Its Own Page](https://huggingface.co/papers/2511.00001)\n\n"
        f"{abstract}\n"
    )
    (folder / "b.md").write_text(
        "# My picks\n\n"
        "## [A Paper Of A Page With No Day](https://huggingface.co/papers/2511.00002)\n\n"
        f"{abstract}\n"
    )
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await _open_dialog(app, pilot, str(folder / "*.md"))
        text = " ".join(_text(app).split())
        assert "? b.md names no day" in text and "not imported" not in text
        await pilot.press(*"2025-10-20", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "added 2 digests" in _text(app)
        assert "the day given (2025-10-20) is not used: a.md gives its own date" in " ".join(
            _text(app).split()
        )
    with reopen(seeded) as lib:
        dates = {d.source: (d.label, d.date) for d in lib.digests}
        assert dates["a.md"] == ("Nov 3", "2025-11-03")
        assert dates["b.md"] == ("Oct 20", "2025-10-20")


async def test_a_pattern_that_matches_no_file_says_so(
    seeded: Path, make_app, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await _open_dialog(app, pilot, str(tmp_path / "nowhere" / "*.md"))
        text = " ".join(_text(app).split())
        assert f"no file matches {tmp_path / 'nowhere' / '*.md'}" in text
        assert "No such file" not in text


async def test_a_file_name_in_the_question_is_shown_as_written(
    seeded: Path, make_app, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """The question names an unusual file among others: its name is text, never markup."""
    odd = tmp_path / "[b]odd.txt"
    odd.write_text(_two_days(tmp_path).read_text())
    plain = _page(tmp_path, "plain.txt", ["An Ordinary Paper About Lists Of Things"])
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await _open_dialog(app, pilot, f"'{odd}' {plain}")
        question = str(app.screen.query_one("#import-question").render())
        assert "[b]odd.txt does not look like one day's page" in question


async def test_the_pane_shows_what_an_import_added_to_its_paper(
    seeded: Path, make_app, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """Found trying the app in tmux: the list's row showed the paper's new digest at once,
    the pane beside it still the paper as it was, until the cursor moved."""
    from tracker.app.widgets.detail_pane import DetailPane

    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        detail = app.screen.query_one(DetailPane)
        paper = app.screen.query_one(PaperList).current_paper
        assert detail.paper is not None and detail.paper.id == paper.id
        before = len(paper.digests)
        page = _page(tmp_path, "again.txt", [paper.title, "A Paper About Calendars And Weeks"])
        await _open_dialog(app, pilot, str(page))
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.query_one(PaperList).current_paper.id == paper.id
        assert len(detail.paper.digests) == before + 1
        assert "Oct 7" in str(detail.query_one("#detail-meta").render())


async def test_a_digest_without_its_year_is_said_with_the_apps_way_to_date_it(
    seeded: Path, make_app, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """Found by a new-user trial: the app's report said "give --date", a flag of the CLI."""
    abstract = "We study this question in depth with many experiments. " * 3
    page = tmp_path / "no-year.txt"
    page.write_text(f"Daily Papers\n\nOct 7\n\nA Paper About Calendars And Weeks\n\n{abstract}\n")
    app = make_app(seeded)
    async with app.run_test(size=(120, 30)) as pilot:
        await _open_dialog(app, pilot, str(page))
        report = " ".join(_text(app).split())
        assert "year is unknown; R on the digest in the sidebar sets it" in report
        assert "--date" not in report
