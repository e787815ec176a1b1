"""A vault re-export keeps what the user wrote (issue 18 point 2).

The released build rewrote every note of the vault: a line added in Obsidian
was gone after the next export, and a note the user deleted came back.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.cli import main
from tracker.exports import ExportItem
from tracker.exports import vault as vault_format
from tracker.library import Library, VaultReport
from tracker.models import Annotation, Digest, Paper, Status

# What release 420c639 (before the markers) wrote for this paper, byte for byte.
RELEASED_NOTE = (
    '---\ntitle: "Pointer Networks"\nid: "3f2a9c0b1d2e"\ncitekey: "vinyals2015-1506.03134"\n'
    'status: "read"\ndigests: ["Aug 25 2025"]\ntags: ["seq2seq"]\nauthors: ["Oriol Vinyals"]\n'
    'arxiv: "1506.03134"\nurl: "https://arxiv.org/abs/1506.03134"\n'
    'updated: "2026-11-01T08:00:00.000Z"\n---\n\n# Pointer Networks\n\n'
    "> We introduce a new neural architecture.\n\n## Notes\n\nRead it twice.\n\n"
    "- attention as a pointer\n"
)


def _pointer_networks() -> tuple[ExportItem, list[Digest]]:
    paper = Paper(
        "3f2a9c0b1d2e",
        "Pointer Networks",
        "We introduce a new neural architecture.",
        ["d1"],
        arxiv_id="1506.03134",
        authors=["Oriol Vinyals"],
        url="https://arxiv.org/abs/1506.03134",
    )
    ann = Annotation(
        paper.id,
        Status.READ,
        "Read it twice.\n\n- attention as a pointer",
        ["seq2seq"],
        "2026-11-01T08:00:00.000Z",
    )
    return ExportItem(paper, ann), [Digest("d1", "Aug 25", "2025-08-25", "a.txt", "x", "t")]


def test_a_note_as_the_previous_release_wrote_it_is_recognised() -> None:
    item, digests = _pointer_networks()
    [note] = vault_format.vault_notes([item], digests)
    assert note.old == RELEASED_NOTE


def test_a_new_note_has_front_matter_first_and_delimited_generated_part() -> None:
    item, digests = _pointer_networks()
    [note] = vault_format.vault_notes([item], digests)
    text = note.text
    assert text.startswith("---\n")
    assert yaml.safe_load(text.split("---\n")[1])["citekey"] == "vinyals2015-1506.03134"
    assert vault_format.BEGIN in text and "end of generated part" in text
    parts = vault_format.split_note(text)
    assert parts is not None and parts.intact
    assert parts.generated.startswith("# Pointer Networks\n") and parts.below == ""


lines = st.lists(
    st.sampled_from(
        [
            "",
            "---",
            "my own line",
            vault_format.BEGIN,
            "<!-- paper-tracker: end of generated part 0123456789abcdef -->",
            "# Pointer Networks",
        ]
    )
    | st.text(st.characters(exclude_categories=("Cs",)), max_size=20),
    max_size=6,
)


@settings(max_examples=200, deadline=None)
@given(above=lines, below=lines, note=st.text(max_size=60))
def test_the_users_parts_come_back_byte_for_byte(
    above: list[str], below: list[str], note: str
) -> None:
    item, digests = _pointer_networks()
    item = ExportItem(item.paper, Annotation(item.paper.id, Status.READ, note))
    [ours] = vault_format.vault_notes([item], digests)
    mine_above, mine_below = "\n" + "\n".join(above), "\n".join(below)
    if mine_above and not mine_above.endswith("\n"):
        mine_above += "\n"
    text = vault_format.compose(ours.front, ours.generated, above=mine_above, below=mine_below)
    parts = vault_format.split_note(text)
    assert parts is not None and parts.intact
    assert (parts.front, parts.generated) == (ours.front, ours.generated)
    assert (parts.above, parts.below) == (mine_above, mine_below)


# -- the vault on disk, through the library and the command line ----------------------------


@pytest.fixture
def library(tmp_path: Path) -> tuple[Path, list[str]]:
    directory = tmp_path / "lib"
    with Library.open(directory) as lib:
        lib.import_bundled_seeds()
        ids = [p.id for p in lib.papers[:5]]
        lib.set_status(ids, Status.TO_READ)
        for pid in ids:
            lib.set_note(pid, f"first thoughts on {pid}")
    return directory, ids


def _export(directory: Path, vault: Path, **kwargs: bool) -> VaultReport:
    with Library.open(directory) as lib:
        items = lib.export_items([p.id for p in lib.papers if not lib.annotation(p.id).is_default])
        result = lib.write_export(items, vault, fmt="vault", **kwargs)
    assert result.vault is not None
    return result.vault


def _note(vault: Path, pid: str) -> Path:
    [path] = vault.glob(f"*({pid}).md")
    return path


def _change_library(directory: Path, ids: list[str]) -> None:
    with Library.open(directory) as lib:
        for pid in ids:
            lib.set_note(pid, f"second thoughts on {pid}")
        lib.set_status(ids, Status.READ)


def test_edits_above_and_below_are_kept_and_our_part_is_updated(
    library: tuple[Path, list[str]], tmp_path: Path
) -> None:
    directory, ids = library
    vault = tmp_path / "vault"
    assert len(_export(directory, vault).written) == 5
    note = _note(vault, ids[0])
    text = note.read_text()
    front_end = text.index("\n---\n") + 5
    above = "\nWritten in Obsidian, above. [[Another note]]\n\n"
    below = "\n## My reading notes\n\n- a line added in Obsidian\n"
    note.write_text(text[:front_end] + above + text[front_end + 1 :] + below)
    _change_library(directory, ids)
    report = _export(directory, vault)
    assert sorted(report.updated) == sorted(_note(vault, pid).name for pid in ids)
    after = note.read_text()
    assert after.endswith(" -->\n" + below)
    assert after[after.index("\n---\n") + 5 :].startswith(above + vault_format.BEGIN + "\n")
    assert "second thoughts" in after and "first thoughts" not in after
    assert 'status: "read"' in after
    parts = vault_format.split_note(after)
    assert parts is not None and parts.intact and parts.below == below


def test_a_note_whose_generated_part_was_edited_is_left_alone_and_listed(
    library: tuple[Path, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    directory, ids = library
    vault = tmp_path / "vault"
    _export(directory, vault)
    inside, front = _note(vault, ids[1]), _note(vault, ids[2])
    inside.write_text(inside.read_text().replace("first thoughts", "first thoughts, edited there"))
    front.write_text(front.read_text().replace("tags: []", 'tags: ["mine"]'))
    edited = {p: p.read_bytes() for p in (inside, front)}
    _change_library(directory, ids)
    code = main(["--data-dir", str(directory), "export", "--format", "vault", "-o", str(vault)])
    err = capsys.readouterr().err
    assert code == 0
    for path, before in edited.items():
        assert path.read_bytes() == before
        assert path.name in err
    assert "2 notes not touched" in err and "3 updated" in err
    # --force replaces our part, keeps the rest and the whole old note beside it.
    inside.write_bytes(edited[inside] + b"\nbelow, kept\n")
    report = _export(directory, vault, force=True)
    assert len(report.backups) == 2
    assert "second thoughts" in inside.read_text() and inside.read_text().endswith("below, kept\n")
    kept = {b.read_bytes() for b in report.backups}
    assert edited[inside] + b"\nbelow, kept\n" in kept and edited[front] in kept
    assert all(b.parent == vault and not b.name.endswith(".md") for b in report.backups)


def test_a_deleted_note_is_not_written_again_unless_asked(
    library: tuple[Path, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    directory, ids = library
    vault = tmp_path / "vault"
    _export(directory, vault)
    gone = _note(vault, ids[3])
    gone.unlink()
    report = _export(directory, vault)
    assert report.deleted == [gone.name] and not gone.exists()
    code = main(["--data-dir", str(directory), "export", "--format", "vault", "-o", str(vault)])
    assert code == 0 and "1 note you deleted was not written again" in capsys.readouterr().err
    assert not gone.exists()
    report = _export(directory, vault, recreate=True)
    assert report.written == [gone.name] and gone.exists()


def test_an_unchanged_vault_is_not_written_at_all(
    library: tuple[Path, list[str]], tmp_path: Path
) -> None:
    directory, _ids = library
    vault = tmp_path / "vault"
    _export(directory, vault)
    stamps = {p: p.stat().st_mtime_ns for p in vault.iterdir()}
    for path in stamps:
        os.utime(path, ns=(1, 1))
    report = _export(directory, vault)
    assert report.unchanged == 5 and not report.updated
    assert all(p.stat().st_mtime_ns == 1 for p in stamps)


def test_notes_of_the_previous_release_are_updated_when_unchanged_else_listed(
    library: tuple[Path, list[str]], tmp_path: Path
) -> None:
    directory, ids = library
    vault = tmp_path / "vault"
    vault.mkdir()
    with Library.open(directory) as lib:
        notes = vault_format.vault_notes(
            lib.export_items([p.id for p in lib.papers if p.id in ids]), lib.digests
        )
    # A vault the previous release wrote: no markers, no record of what it wrote.
    for note in notes:
        (vault / note.name).write_text(note.old)
    untouched_by_user, edited = vault / notes[0].name, vault / notes[1].name
    edited.write_text(notes[1].old + "\nA line I added in Obsidian.\n")
    report = _export(directory, vault)
    assert report.not_ours == [edited]
    assert edited.read_text() == notes[1].old + "\nA line I added in Obsidian.\n"
    parts = vault_format.split_note(untouched_by_user.read_text())
    assert parts is not None and parts.intact  # now in the new format, ours to update
    assert len(report.updated) == 4
    # --force rewrites it in the new format and keeps the old note beside it.
    report = _export(directory, vault, force=True)
    [backup] = report.backups
    assert backup.read_text().endswith("A line I added in Obsidian.\n")
    assert vault_format.BEGIN in edited.read_text()


def test_a_file_in_the_vault_that_is_not_a_note_of_ours_is_left_alone(
    library: tuple[Path, list[str]], tmp_path: Path
) -> None:
    directory, ids = library
    vault = tmp_path / "vault"
    _export(directory, vault)
    note = _note(vault, ids[4])
    note.write_bytes(b"\xff\xfe not text")
    report = _export(directory, vault)
    assert report.not_ours == [note] and note.read_bytes() == b"\xff\xfe not text"
