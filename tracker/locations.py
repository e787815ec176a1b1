"""Where paper-tracker keeps its files: the only module that knows platformdirs.

The data directory holds the library; the config directory holds the keymap.
Both can be moved: ``--data-dir`` beats ``TRACKER_DATA_DIR`` beats the
platform default, so tests and people with several libraries never touch the
real one by accident.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "paper-tracker"
DATA_DIR_ENV = "TRACKER_DATA_DIR"
CONFIG_DIR_ENV = "TRACKER_CONFIG_DIR"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The library's directory: the override, else $TRACKER_DATA_DIR, else the platform default."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The config directory (keymap): the override, else $TRACKER_CONFIG_DIR, else the platform default."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get(CONFIG_DIR_ENV)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def default_export_dir() -> Path:
    """Where exports go unless a path is given: the user's documents folder when it exists."""
    docs = Path(platformdirs.user_documents_dir())
    return docs if docs.is_dir() else Path.cwd()
