"""Where the workbench finds its resources and keeps the user's data.

The one module that knows whether the program is frozen by PyInstaller.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

APP_DIR_NAME = "evaluator-workbench"


def is_frozen() -> bool:
    """Whether this is the PyInstaller program rather than Python running the package.

    A frozen program cannot start *spawned* worker processes without
    ``multiprocessing.freeze_support`` in its entry point (each child would run
    the whole program again), so work that would use them runs in-process.
    """
    return bool(getattr(sys, "frozen", False))


def resources_dir() -> Path:
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def user_data_dir() -> Path:
    """The per-user data folder (XDG on Linux, AppData on Windows, Library on macOS).

    ``WORKBENCH_DATA_DIR`` overrides it (tests and portable installs).
    """
    override = os.environ.get("WORKBENCH_DATA_DIR")
    if override:
        return Path(override)
    if sys.platform.startswith("win"):
        base = Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming"))
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
    return base / APP_DIR_NAME


def default_database_path() -> Path:
    return user_data_dir() / "workbench.sqlite"


def settings_path() -> Path:
    """The user's settings (the window's QSettings, an INI file): their name, the window's place."""
    return user_data_dir() / "settings.ini"


def evaluator_name() -> str:
    """The name the user gave the window at first start (``[evaluator] name``); "" when none.

    The commands name the same person in the audit trail as the window does.
    """
    import configparser

    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(settings_path(), encoding="utf-8")
    except (configparser.Error, OSError, UnicodeDecodeError):
        return ""
    return parser.get("evaluator", "name", fallback="").strip()
