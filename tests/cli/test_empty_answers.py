"""`tracker list` and `tracker note` with nothing to show: stdout stays empty, stderr says why."""

from __future__ import annotations

import pytest

from tests.cli_run import run


def test_list_of_an_empty_library_says_how_to_fill_it(capsys: pytest.CaptureFixture[str]) -> None:
    for form in ([], ["--json"], ["--ids"], ["llm"]):
        code, out, err = run(capsys, "list", *form)
        assert (code, out) == (0, "")
        assert err.startswith("tracker: the library is empty: ") and err.count("\n") == 1
        # What is true of this code base: `tracker` imports the bundled digests into an empty one.
        assert "`tracker import FILE`" in err and "bundled digests" in err


@pytest.mark.usefixtures("seeded")
def test_list_without_a_match_says_so_and_keeps_stdout_empty(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for form in ([], ["--json"], ["--ids"]):
        assert run(capsys, "list", "zzzzqqq", *form) == (
            0,
            "",
            'tracker: no paper matches "zzzzqqq"\n',
        )
    code, out, err = run(capsys, "list", "zzz", "qqq", "--status", "read", "--digest", "Aug 25")
    assert (code, out) == (0, "")
    assert err == "tracker: no paper matches \"zzz qqq\" with --status read --digest 'Aug 25'\n"
    assert run(capsys, "list", "--status", "read")[2] == (
        "tracker: no paper matches --status read\n"
    )


@pytest.mark.usefixtures("seeded")
def test_list_with_matches_says_nothing_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "list", "-n", "3")
    assert code == 0 and out.count("\n") == 3 and err == ""


@pytest.mark.usefixtures("seeded")
def test_note_of_a_paper_without_one_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    first = run(capsys, "list", "--ids")[1].split()[0]
    # A prefix names the paper; the line names it in full.
    assert run(capsys, "note", first[:8]) == (0, "", f"tracker: {first}: no note\n")
    assert run(capsys, "note", first, "--set", "Read it again.")[0] == 0
    assert run(capsys, "note", first) == (0, "Read it again.\n", "")
