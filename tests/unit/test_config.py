"""config.toml: read what people write by hand, write without losing their comments."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from tracker.config import ConfigError, ConfigFile, Settings

HAND_WRITTEN = """\
# My settings -- keep this comment!

[watch]
terms = [
    "diffusion",  # image generation
    '"state space"',
]

[searches]
# what I read on Mondays
"LLM backlog" = "llm status:to-read"
Unread = "status:new"

[look]
theme = "nord"   # easier on the eyes
"""


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    settings, problems = ConfigFile(tmp_path).load()
    assert settings == Settings()
    assert problems == []


def test_reads_a_hand_written_file(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text(HAND_WRITTEN, encoding="utf-8")
    settings, problems = ConfigFile(tmp_path).load()
    assert problems == []
    assert settings.watch == ["diffusion", '"state space"']
    assert settings.searches == {"LLM backlog": "llm status:to-read", "Unread": "status:new"}
    assert settings.theme == "nord"
    assert settings.ascii is False


def test_writing_keeps_comments_and_other_settings(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    config = ConfigFile(tmp_path)
    config.set_searches({"Unread": "status:new", "Mamba": "mamba -survey"})
    config.set_theme("gruvbox")
    text = path.read_text(encoding="utf-8")
    for comment in ("# My settings -- keep this comment!", "# image generation", "# what I read"):
        assert comment in text
    settings, problems = config.load()
    assert problems == []
    assert settings.watch == ["diffusion", '"state space"']
    assert list(settings.searches.items()) == [("Unread", "status:new"), ("Mamba", "mamba -survey")]
    assert settings.theme == "gruvbox"
    config.set_watch(["diffusion", '"state space"', 'author:"Yann LeCun"'])
    assert config.load()[0].watch[-1] == 'author:"Yann LeCun"'
    assert "# My settings -- keep this comment!" in path.read_text(encoding="utf-8")
    assert not list(tmp_path.glob(".config-*"))  # no temporary file left behind


def test_first_write_creates_a_commented_file(tmp_path: Path) -> None:
    config = ConfigFile(tmp_path / "new-dir")
    config.set_watch(["diffusion"])
    text = config.path.read_text(encoding="utf-8")
    assert text.startswith("# paper-tracker settings")
    assert tomllib.loads(text)["watch"]["terms"] == ["diffusion"]


def test_invalid_toml_is_one_sentence_with_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[watch]\nterms = ["diffusion"]\n\n[look\ntheme = "nord"\n', encoding="utf-8")
    settings, problems = ConfigFile(tmp_path).load()
    assert settings == Settings()
    [problem] = problems
    assert str(path) in problem
    assert "line 4" in problem
    assert "\n" not in problem
    assert "default settings" in problem


def test_an_invalid_file_is_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    broken = '[watch]\nterms = ["diffusion"\n'
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"end of the file.*not changed"):
        ConfigFile(tmp_path).set_watch(["mamba"])
    assert path.read_text(encoding="utf-8") == broken


def test_wrong_types_are_reported_and_the_rest_is_used(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text(
        '[watch]\nterms = "diffusion"\n[searches]\nOk = "status:new"\nBad = 3\n'
        "[look]\nascii = true\n",
        encoding="utf-8",
    )
    settings, problems = ConfigFile(tmp_path).load()
    assert settings.watch == []
    assert settings.searches == {"Ok": "status:new"}
    assert settings.ascii is True
    assert len(problems) == 2
    assert all("config.toml" in p for p in problems)


def test_saving_keeps_a_symlinked_config_a_symlink_and_readable(tmp_path: Path) -> None:
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    real = dotfiles / "paper-tracker.toml"
    real.write_text("# mine\n[watch]\nterms = []\n", encoding="utf-8")
    config = tmp_path / "config"
    config.mkdir()
    (config / "config.toml").symlink_to(real)
    ConfigFile(config).set_watch(["diffusion"])
    assert (config / "config.toml").is_symlink()
    assert "diffusion" in real.read_text(encoding="utf-8")
    assert "# mine" in real.read_text(encoding="utf-8")
    assert real.stat().st_mode & 0o644 == 0o644  # not narrowed to the owner only


def test_changes_reread_the_file_and_keep_a_hand_edit_made_meanwhile(tmp_path: Path) -> None:
    """The app's copy may be old: each change re-reads config.toml and changes its own key."""
    (tmp_path / "config.toml").write_text(HAND_WRITTEN)
    config = ConfigFile(tmp_path)
    config.load()
    # Edited by hand while the app runs.
    (tmp_path / "config.toml").write_text(
        HAND_WRITTEN.replace("Unread = ", 'Fresh = "status:new"\nUnread = ')
    )
    assert config.add_watch('  author:"Yann LeCun" ') == 'author:"Yann LeCun"'
    assert config.save_search("Mine", "tag:x") is False
    config.rename_search("LLM backlog", " LLM  queue ")
    config.delete_search("Unread")
    settings, problems = ConfigFile(tmp_path).load()
    assert problems == []
    assert settings.watch == ["diffusion", '"state space"', 'author:"Yann LeCun"']
    assert list(settings.searches) == ["LLM queue", "Fresh", "Mine"]  # a rename keeps its place
    assert config.settings.searches == settings.searches
    assert "# what I read on Mondays" in (tmp_path / "config.toml").read_text()
    with pytest.raises(ConfigError, match="exists already"):
        config.rename_search("Mine", "Fresh")
    with pytest.raises(ConfigError, match="needs a name"):
        config.save_search("   ", "x")


def test_watch_entries_skip_what_cannot_be_watched_and_say_where(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('[watch]\nterms = ["diffusion", "status:read"]\n')
    config = ConfigFile(tmp_path)
    config.load()
    entries, problems = config.watch_entries()
    assert [e.text for e in entries] == ["diffusion"]
    assert problems == [
        f"watch list in {tmp_path / 'config.toml'}: 'status:read': status: cannot be part of a "
        'watch entry (use words, "phrases" and author:"Name"); it is skipped'
    ]


def test_browser_setting_is_read_and_a_wrong_type_is_reported(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('[open]\nbrowser = "firefox --new-tab %s"\n')
    settings, problems = ConfigFile(tmp_path).load()
    assert settings.browser == "firefox --new-tab %s" and problems == []
    (tmp_path / "config.toml").write_text("[open]\nbrowser = 3\n")
    settings, problems = ConfigFile(tmp_path).load()
    assert settings.browser is None
    assert problems and "[open] browser" in problems[0]
