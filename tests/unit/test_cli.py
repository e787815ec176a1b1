"""The command line, driven as a user would: in-process for speed, one real process."""

from __future__ import annotations

import importlib.metadata
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli_run import run
from tracker.cli import main


def _listed(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, object]]:
    code, out, _ = run(capsys, "list", "--json", *args)
    assert code == 0
    return [json.loads(line) for line in out.splitlines()]


def test_import_list_mark_note_export(
    capsys: pytest.CaptureFixture[str], seeds: list[Path], tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "import", *map(str, seeds))
    assert code == 0
    assert "Aug 25 — 71 papers, 71 new, 0 already known" in out
    assert "Mar 17 — 62 papers, 43 new, 19 already known" in out
    papers = _listed(capsys)
    assert len(papers) == 114
    assert {"id", "title", "status", "digests", "note"} <= set(papers[0])

    _, out, _ = run(capsys, "import", *map(str, seeds))
    assert out.count("already imported") == 2
    assert len(_listed(capsys)) == 114

    target = papers[5]["id"]
    assert isinstance(target, str)
    assert run(capsys, "mark", "read", target[:8])[0] == 0
    assert run(capsys, "note", target, "--set", "Worth a *second* read.")[0] == 0
    assert run(capsys, "note", target, "--append", "Check the appendix.")[0] == 0
    [paper] = _listed(capsys, "status:read")
    assert paper["id"] == target
    assert paper["note"] == "Worth a *second* read.\n\nCheck the appendix."

    code, out, _ = run(capsys, "export")
    assert "Worth a *second* read." in out and str(paper["title"]) in out
    assert out.count("\n### ") == 1  # only annotated papers by default

    out_file = tmp_path / "notes.md"
    assert run(capsys, "export", "--all", "-o", str(out_file))[0] == 0
    assert out_file.read_text().count("\n### ") == 114

    vault = tmp_path / "vault"
    assert run(capsys, "export", "has:note", "--per-paper", str(vault))[0] == 0
    [note_file] = vault.iterdir()
    assert "Check the appendix." in note_file.read_text()


def test_status_survives_a_new_process(seeds: list[Path], data_dir: Path) -> None:
    env = {**os.environ, "TRACKER_DATA_DIR": str(data_dir)}
    cmd = [sys.executable, "-m", "tracker"]  # what `python -m tracker` runs is the CLI
    subprocess.run([*cmd, "import", *map(str, seeds)], env=env, check=True, capture_output=True)
    listed = subprocess.run(
        [*cmd, "list", "--ids"], env=env, check=True, capture_output=True, text=True
    )
    first = listed.stdout.split()[0]
    subprocess.run([*cmd, "mark", "reading", first], env=env, check=True, capture_output=True)
    shown = subprocess.run(
        [*cmd, "list", "--json", "status:reading"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    assert [json.loads(line)["id"] for line in shown.stdout.splitlines()] == [first]


def test_errors_are_one_line_without_traceback(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, seeds: list[Path]
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00binary")
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n\n")
    code, out, err = run(capsys, "import", str(bad), str(empty), str(seeds[0]))
    assert code == 1
    # One line per failed file; the good file's warnings are on stderr too.
    lines = [line for line in err.strip().splitlines() if "warning:" not in line]
    assert len(lines) == 2 and "bad.txt" in lines[0] and "empty.txt" in lines[1]
    assert "Traceback" not in err
    assert "71 papers" in out  # the good file still went in

    for args in (["mark", "done", "abcd"], ["mark", "read", "ffffffffff"], ["note", "zzzz"]):
        code, _, err = run(capsys, *args)
        assert code == 1 and err.startswith("tracker: ") and len(err.strip().splitlines()) == 1


def test_undo_and_tags(capsys: pytest.CaptureFixture[str], seeds: list[Path]) -> None:
    run(capsys, "import", str(seeds[0]))
    first = _listed(capsys)[0]
    pid = str(first["id"])
    run(capsys, "mark", "skipped", pid)
    _, out, _ = run(capsys, "undo")
    # Which paper came back: the trial's "undid: edited a note" did not say.
    assert out.strip() == f"undid: marked 1 paper skipped on “{first['title']}”"
    assert _listed(capsys, "status:skipped") == []
    run(capsys, "tag", pid, "rnn", "sets")
    run(capsys, "tag", pid, "--remove", "rnn")
    [paper] = _listed(capsys, "tag:sets")
    assert paper["tags"] == ["sets"]


def test_mark_reads_ids_from_stdin(
    capsys: pytest.CaptureFixture[str], seeds: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    run(capsys, "import", str(seeds[1]))
    _, out, _ = run(capsys, "list", "--ids", "-n", "3")
    monkeypatch.setattr(sys, "stdin", io.StringIO(out))
    assert run(capsys, "mark", "to-read", "-")[1].startswith("marked 3 papers to-read")
    assert len(_listed(capsys, "--status", "to-read")) == 3


def test_version_is_the_installed_release(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert (
        capsys.readouterr().out == f"paper-tracker {importlib.metadata.version('paper-tracker')}\n"
    )
    shown = subprocess.run(
        [sys.executable, "-m", "tracker", "--version"], check=True, capture_output=True, text=True
    )
    assert shown.stdout.startswith("paper-tracker ")


def test_first_run_imports_bundled_digests(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys)
    assert code == 0
    assert "First run: imported the bundled digests." in out
    assert "114 papers in 2 digests" in out
    code, out, _ = run(capsys)
    assert "First run" not in out


def test_stats_json(capsys: pytest.CaptureFixture[str], seeds: list[Path]) -> None:
    run(capsys, "import", *map(str, seeds))
    code, out, _ = run(capsys, "stats", "--json")
    assert code == 0
    stats = json.loads(out)
    assert stats["papers"] == 114
    assert [d["total"] for d in stats["digests"]] == [71, 62]


def test_note_edit_uses_the_editor(
    capsys: pytest.CaptureFixture[str],
    seeds: list[Path],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    run(capsys, "import", str(seeds[0]))
    pid = str(_listed(capsys)[0]["id"])
    script = tmp_path / "fake-editor"
    script.write_text("#!/bin/sh\nprintf 'typed in the editor' > \"$1\"\n")
    script.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(script))
    assert run(capsys, "note", pid, "--edit")[0] == 0
    assert run(capsys, "note", pid)[1].strip() == "typed in the editor"


def test_negated_words_are_query_not_options(
    capsys: pytest.CaptureFixture[str], seeds: list[Path]
) -> None:
    run(capsys, "import", *map(str, seeds))
    everything = len(_listed(capsys))
    without = _listed(capsys, "-llm")
    assert 0 < len(without) < everything
    assert all("llm" not in str(p["title"]).lower() for p in without)
    with pytest.raises(SystemExit):
        main(["mark", "read", "-x"])


def test_doctor_reports_and_restores_a_damaged_file(
    capsys: pytest.CaptureFixture[str], seeds: list[Path], data_dir: Path
) -> None:
    run(capsys, "import", str(seeds[0]))
    pid = str(_listed(capsys)[0]["id"])
    run(capsys, "mark", "read", pid)
    run(capsys, "note", pid, "--set", "precious")
    code, out, _ = run(capsys, "doctor")
    # Each data file and its journal.
    assert code == 0 and out.count("     ok") == 4, out

    damaged = data_dir / "annotations.json"
    damaged.write_text('{"annotations": {"1": {"paper_id": ')
    code, _, err = run(capsys, "list")
    assert code == 1 and "tracker doctor --restore" in err
    code, out, _ = run(capsys, "doctor")
    assert code == 1 and "damaged" in out and "--restore" in out
    code, out, _ = run(capsys, "doctor", "--restore")
    # The base was written empty when the library began; its journal holds
    # every change since, so nothing is lost.
    assert code == 0 and "made annotations.json again" in out, out
    kept = [p for p in data_dir.iterdir() if ".damaged-" in p.name]
    assert len(kept) == 1 and kept[0].read_text().startswith('{"annotations"')
    [paper] = _listed(capsys, "status:read")
    assert paper["id"] == pid and paper["note"] == "precious"
    code, out, _ = run(capsys, "doctor")
    assert code == 0 and "damaged" not in out


def test_doctor_restores_a_compacted_base_from_its_backup_and_keeps_later_changes(
    capsys: pytest.CaptureFixture[str], seeds: list[Path], data_dir: Path
) -> None:
    from tracker.library import Library

    run(capsys, "import", str(seeds[0]))
    ids = [str(p["id"]) for p in _listed(capsys)]
    run(capsys, "mark", "read", ids[0])
    with Library.open(data_dir) as lib:
        assert lib.store.compact(
            force=True
        )  # folds the journal: annotations.json.bak is the old base
    run(capsys, "mark", "skipped", ids[1])  # in the new journal
    (data_dir / "annotations.json").write_text("{ truncated")
    code, out, _ = run(capsys, "doctor", "--restore")
    assert code == 0 and "restored annotations.json from its backup" in out, out
    assert "1 changes made since that backup" in out or "changes made since" in out
    statuses = {p["id"]: p["status"] for p in _listed(capsys)}
    assert statuses[ids[0]] == "read" and statuses[ids[1]] == "skipped"


def test_related_lists_neighbours_by_id_prefix(
    capsys: pytest.CaptureFixture[str], seeds: list[Path]
) -> None:
    run(capsys, "import", *map(str, seeds))
    mamba = next(p for p in _listed(capsys) if str(p["title"]).startswith("Efficiently Modeling"))
    code, out, _ = run(capsys, "related", str(mamba["id"])[:6], "-n", "3")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 3
    assert str(mamba["id"]) not in out
    assert "Mamba" in out  # S4's obvious neighbour in the seeds
    code, _, err = run(capsys, "related", "zzzzzz")
    assert code != 0 and "no paper" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["list", "status:bogus"], "unknown status 'bogus'"),
        (["list", "has:bogus"], "unknown has: value"),
        (["digest", "--since", "99999999999d"], "outside the calendar"),
        (["digest", "--since", "0001-01-01T00:00+05:00"], "outside the calendar"),
    ],
)
def test_mistyped_queries_and_dates_get_one_sentence_not_an_empty_success(
    capsys: pytest.CaptureFixture[str], seeds: list[Path], args: list[str], message: str
) -> None:
    run(capsys, "import", *map(str, seeds))
    code, _, err = run(capsys, *args)
    assert code != 0 and message in err and "Traceback" not in err


@pytest.mark.parametrize(
    "args", [["list", "-n", "-1"], ["related", "x", "-n", "0"], ["stats", "--weeks", "200000"]]
)
def test_out_of_range_numbers_are_refused_by_the_parser(
    capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        main(args)
    assert info.value.code == 2


def test_plain_summary_reads_while_the_app_holds_the_library(
    capsys: pytest.CaptureFixture[str],
    seeds: list[Path],
    data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    run(capsys, "import", *map(str, seeds))
    code = (
        "import sys, time; from pathlib import Path; from tracker.store import Store\n"
        "s = Store.open(Path(sys.argv[1])); print('locked', flush=True); time.sleep(30)\n"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code, str(data_dir)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "locked"
        monkeypatch.setenv("TRACKER_NO_TUI", "1")
        code_, out, err = run(capsys)
        assert code_ == 0, err
        assert "114" in out
    finally:
        holder.kill()
        holder.wait()
