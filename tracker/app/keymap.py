"""The user's keymap: keymap.toml in the config directory, binding id → keys."""

from __future__ import annotations

import tomllib
from pathlib import Path

from tracker.store import StoreError, open_regular

KEYMAP_FILE = "keymap.toml"


def load_keymap(directory: Path) -> tuple[dict[str, str], str | None]:
    """Read ``[keys]`` from keymap.toml: binding id → comma-separated keys.

    Returns the keymap and a problem sentence (or None); a broken file never
    stops the app, it is reported and ignored.
    """
    path = directory / KEYMAP_FILE
    try:
        with open_regular(path) as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        return {}, None
    except (OSError, tomllib.TOMLDecodeError) as err:
        return {}, f"{path} was ignored: {err}"
    except StoreError as err:  # a FIFO or a device: never waited on
        return {}, f"{err}; it was ignored"
    keys = data.get("keys", {})
    if not isinstance(keys, dict) or not all(isinstance(v, str) for v in keys.values()):
        return {}, f'{path} was ignored: [keys] must map binding ids to strings like "j,down"'
    return {str(k): v for k, v in keys.items()}, None


def keymap_of(app: object) -> dict[str, str]:
    """The keymap the app was started with (binding id → keys); empty outside TrackerApp."""
    keymap = getattr(app, "keymap", None)
    return keymap if isinstance(keymap, dict) else {}
