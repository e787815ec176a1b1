"""o / O / y / Y: the browser setting, a visible failure with the address, the system clipboard."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from tracker.app.widgets.paper_list import PaperList
from tracker.library import Library

SIZE = (120, 36)
HF_JSON = Path(__file__).parent.parent / "fixtures" / "sources" / "hf_daily_papers.json"


def _script(path: Path, body: str) -> Path:
    path.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def _messages(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(n.message) for n in app._notifications]


@pytest.fixture
def hf_library(data_dir: Path) -> Path:
    """A library of the four Hugging Face papers (they have arXiv ids)."""
    with Library.open(data_dir) as lib:
        lib.import_file(HF_JSON)
    return data_dir


def _set_browser(tmp_path: Path, command: str) -> None:
    config = tmp_path / "config"
    config.mkdir(exist_ok=True)
    (config / "config.toml").write_text(f"[open]\nbrowser = '{command}'\n", encoding="utf-8")


async def test_o_uses_the_browser_setting_and_keeps_its_output_off_the_screen(
    hf_library: Path, make_app, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    got = tmp_path / "got"
    cmd = _script(
        tmp_path / "loud", f'echo "Gtk-WARNING chatter"\necho "chatter" >&2\necho "$@" >> {got}\n'
    )
    _set_browser(tmp_path, f"{cmd} %s")
    app = make_app(hf_library)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        paper = app.screen.query_one(PaperList).current_paper
        await pilot.press("o")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("O")
        await app.workers.wait_for_complete()
        await pilot.pause()
        messages = _messages(app)
    assert got.read_text().split() == [paper.url, f"https://arxiv.org/pdf/{paper.arxiv_id}"]
    assert any(m.startswith(f"Opened {paper.url}") for m in messages), messages
    assert "chatter" not in capfd.readouterr().out


async def test_o_without_any_browser_says_so_and_shows_the_address(
    seeded: Path, make_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # over SSH: nothing to open a page with
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("o")
        await app.workers.wait_for_complete()
        await pilot.pause()
        messages = _messages(app)
    failure = [m for m in messages if m.startswith("Could not open a browser")]
    assert failure, messages
    assert "https://huggingface.co/papers?q=" in failure[0]


async def test_O_on_a_paper_without_arxiv_id_says_why(
    seeded: Path, make_app, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    got = tmp_path / "got"
    _set_browser(tmp_path, str(_script(tmp_path / "b", f'echo "$@" >> {got}\n')))
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("O")
        await app.workers.wait_for_complete()
        await pilot.pause()
        messages = _messages(app)
    assert any("no arXiv id or PDF link" in m for m in messages)
    assert not got.exists()


async def test_y_and_Y_copy_through_the_system_clipboard_and_say_how(
    hf_library: Path, make_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    got = tmp_path / "clip"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    _script(bin_dir / "xclip", f"cat >> {got}\necho >> {got}\n")
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    app = make_app(hf_library)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        paper = app.screen.query_one(PaperList).current_paper
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.press("Y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        messages = _messages(app)
    assert got.read_text().splitlines() == [paper.title, f"[{paper.title}]({paper.url})"]
    assert any(m.startswith("Copied with xclip") for m in messages), messages


async def test_y_with_no_clipboard_program_says_it_went_only_to_the_terminal(
    seeded: Path, make_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("PATH", str(tmp_path))
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "TMUX"):
        monkeypatch.delenv(name, raising=False)
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        messages = _messages(app)
        assert app.clipboard  # the OSC 52 copy was still made
    assert any("OSC 52" in m and "only" in m for m in messages), messages


async def test_latex_titles_are_shown_as_unicode_with_matches_highlighted(
    data_dir: Path, make_app, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    import json

    day = [
        {
            "paper": {
                "id": "2406.14347",
                "title": "$\\nabla^2$DFT: A Universal Quantum Chemistry Dataset",
                "summary": "Accurate $\\mathcal{O}(n)$ approximations of molecular properties.",
            },
            "publishedAt": "2024-06-21T03:00:00.000Z",
        }
    ]
    page = tmp_path / "day.json"
    page.write_text(json.dumps(day), encoding="utf-8")
    with Library.open(data_dir) as lib:
        lib.import_file(page)
    app = make_app(data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("slash", *"quantum", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        title = str(app.screen.query_one("#detail-title").render())
        abstract = str(app.screen.query_one("#detail-abstract").render())
        plist = app.screen.query_one(PaperList)
        strip = plist.render_line(0)
    assert title.startswith("∇^2DFT: A Universal")
    assert "𝒪(n) approximations" in abstract
    assert "∇^2DFT: A Universal Quantum" in strip.text
    # The matched word is still the highlighted one after the conversion.
    styles = {seg.text: seg.style for seg in strip if seg.text.strip()}
    assert "Quantum" in styles
    assert styles["Quantum"] != styles["∇^2DFT: A Universal "]
