"""The tag dialog's text → tags to add and remove; Library.change_tags as one undoable change."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from tracker.library import Library
from tracker.library.changes import TagEdit, parse_tag_edit


def test_one_paper_text_is_the_whole_tag_list() -> None:
    assert parse_tag_edit("ml  #rl, new", ["ml", "old"]) == TagEdit(("rl", "new"), ("old",))
    assert parse_tag_edit("", ["a", "b"]) == TagEdit((), ("a", "b"))
    assert parse_tag_edit("a b", ["a", "b"]) == TagEdit((), ())


def test_several_papers_words_add_and_minus_removes() -> None:
    assert parse_tag_edit("ml -old #x -#y", None) == TagEdit(("ml", "x"), ("old", "y"))
    assert parse_tag_edit("  ", None) == TagEdit((), ())


tag = st.text(alphabet="abcxyz-_#1", min_size=1, max_size=6).filter(
    lambda t: t.strip("#-") and not t.startswith(("-", "#"))
)


@given(st.lists(tag, max_size=5, unique=True), st.lists(tag, max_size=5, unique=True))
def test_applying_the_edit_gives_exactly_the_typed_list(
    current: list[str], typed: list[str]
) -> None:
    edit = parse_tag_edit(" ".join(typed), current)
    result = [t for t in dict.fromkeys([*current, *edit.add]) if t not in set(edit.remove)]
    assert sorted(result) == sorted(dict.fromkeys(t.lstrip("#") for t in typed))


def test_change_tags_is_one_undoable_change(data_dir: Path) -> None:
    with Library.open(data_dir) as lib:
        lib.import_bundled_seeds()
        a, b = lib.papers[0].id, lib.papers[1].id
        lib.add_tags([a], ["old", "keep"])
        lib.change_tags([a, b], add=["new"], remove=["old"])
        assert lib.annotation(a).tags == ["keep", "new"]
        assert lib.annotation(b).tags == ["new"]
        assert lib.all_tags()[0] == "new"  # most used first
        lib.undo()
        assert lib.annotation(a).tags == ["old", "keep"]
        assert lib.annotation(b).tags == []
    with Library.open(data_dir, readonly=True) as lib:
        assert lib.annotation(a).tags == ["old", "keep"]


def test_tags_are_one_word_whatever_the_caller(data_dir: Path) -> None:
    from tracker.models import normalize_tag

    assert normalize_tag(" #machine learning ") == "machine-learning"
    assert normalize_tag("-x, y") == "x-y"
    assert normalize_tag("#") == ""
    with Library.open(data_dir) as lib:
        lib.import_bundled_seeds()
        pid = lib.papers[0].id
        lib.change_tags([pid], add=["machine learning", "#rl", "", "-"])
        assert lib.annotation(pid).tags == ["machine-learning", "rl"]
        # What the dialog shows, read back unchanged, changes nothing.
        shown = " ".join(lib.annotation(pid).tags)
        assert parse_tag_edit(shown, lib.annotation(pid).tags) == TagEdit((), ())


def test_cli_tag_add_and_remove_is_one_undo(data_dir: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from tracker.cli import main

    with Library.open(data_dir) as lib:
        lib.import_bundled_seeds()
        pid = lib.papers[0].id
        lib.add_tags([pid], ["old"])
    assert main(["--data-dir", str(data_dir), "tag", pid, "a,b", "--remove", "old"]) == 0
    assert main(["--data-dir", str(data_dir), "undo"]) == 0
    with Library.open(data_dir, readonly=True) as lib:
        assert lib.annotation(pid).tags == ["old"]


def test_cli_says_when_a_tag_to_remove_is_not_there(data_dir: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from tracker.cli import main

    with Library.open(data_dir) as lib:
        lib.import_bundled_seeds()
        pid = lib.papers[0].id
        title = lib.papers[0].title
        lib.add_tags([pid], ["kept"])
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "tag", pid, "--remove", "nosuch,kept"]) == 0
    out, err = capsys.readouterr()
    assert err.strip() == f"tracker: {title!r} has no tag 'nosuch'"
    assert out.strip() == f"{title}: no tags"
