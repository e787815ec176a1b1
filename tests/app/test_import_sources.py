"""Importing a Hugging Face JSON file from the app (I) and opening its papers (o)."""

from __future__ import annotations

from pathlib import Path

from tracker.app.widgets.detail_pane import authors_line
from tracker.app.widgets.paper_list import PaperList
from tracker.models import paper_id_for

SIZE = (120, 36)
HF_JSON = Path(__file__).parent.parent / "fixtures" / "sources" / "hf_daily_papers.json"
DIFF = paper_id_for("Differential Transformer")


async def test_json_imported_through_the_dialog_shows_and_opens_arxiv(
    seeded: Path,
    make_app,
    reopen,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    from tracker import browser

    opened: list[str] = []
    monkeypatch.setattr(
        browser,
        "open_url",
        lambda url, command=None: opened.append(url) or browser.Opened(url, True, "test"),
    )
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("I")
        await pilot.pause()
        app.screen.query_one("#import-path").value = str(HF_JSON)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        # Two days of JSON are the two listing days: imported without a question.
        report = str(app.screen.query_one("#import-text").render())
        assert "hf_daily_papers.json (hf-json): Oct 8 2024, Oct 9 2024 — 4 papers, 4 new" in report
        await pilot.press("escape")
        await pilot.pause()
        plist = app.screen.query_one(PaperList)
        assert len(plist.hits) == 118

        await pilot.press("slash", *"differential transformer", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert plist.current_paper.id == DIFF
        meta = str(app.screen.query_one("#detail-meta").render())
        assert "arXiv 2410.05258" in meta
        assert "▲181" in meta
        assert (
            "Tianzhu Ye, Li Dong, Yuqing Xia, Yutao Sun, Yi Zhu, Gao Huang, Furu Wei"
            in " ".join(meta.split())
        )
        assert "https://arxiv.org/abs/2410.05258" in meta
        await pilot.press("o")
        await app.workers.wait_for_complete()
        assert opened == ["https://arxiv.org/abs/2410.05258"]
    with reopen(seeded) as lib:
        assert len(lib) == 118
        paper = lib.paper(DIFF)
        assert paper.upvotes == 181 and paper.arxiv_id == "2410.05258"
        assert [d.format for d in lib.digests[-2:]] == ["hf-json", "hf-json"]


def test_authors_line_shortens_long_lists() -> None:
    assert authors_line(["A", "B"]) == "A, B"
    assert authors_line([f"N{i}" for i in range(9)]).endswith("N7, N8")
    names = [f"N{i}" for i in range(12)]
    assert authors_line(names) == "N0, N1, N2, N3, N4, N5, N6, N7, … and 4 more"
