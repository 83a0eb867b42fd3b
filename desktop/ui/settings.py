"""Where Digit Pad remembers things (``QSettings``), every key named once, every value checked.

Settings are preferences only: a value left by an earlier version, another program or a
damaged file is read through :class:`CheckedSettings`, which answers the default for
anything unusable, forgets that value, and keeps one plain-words notice of it, so that no
setting can stop the app from starting.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QByteArray, QSettings, QStandardPaths

from desktop.training.config import TrainingConfig

LAST_MODEL = "model/last"  # path of the model file in use, absent for the bundled one
LAST_FOLDER = "files/last_folder"  # where the last file dialog was left
WINDOW_GEOMETRY = "window/geometry"
BRUSH = "draw/brush"
TRAIN_CONFIG = "train/config"  # TrainingConfig.to_json()
RUNS_BUDGET = "train/runs_budget_mb"  # the run ledger's models may take this much
ORGANIZATION, APPLICATION = "DigitPad", "Digit Pad"
PATH_LIMIT = 4096  # characters: longer than any path a system accepts
TEXT_LIMIT = 65_536  # characters of a remembered training configuration
T = TypeVar("T")
UNREADABLE = object()  # a stored value that could not be read at all


def default_settings() -> QSettings:
    """The user's settings store (per-user, per-platform location).

    A settings file that is not a regular file (reading a FIFO would block for ever, a
    folder cannot be read) is moved aside first, never deleted: QSettings reads its file
    as soon as it is made, so the check comes before.
    """
    _set_aside_if_not_a_file(settings_file())
    return QSettings(ORGANIZATION, APPLICATION)


def unwritable_note(settings: QSettings) -> str | None:
    """What to tell the user when ``settings`` cannot be written (else None), once a start.

    Digit Pad works without them; only what it would remember is lost.
    """
    if settings.isWritable():
        return None
    where = settings.fileName() or "the settings store"
    return (
        f"Your preferences cannot be saved: {where} cannot be written (a read-only or full "
        "disk, or a file where a folder should be). Digit Pad works as usual, but the window "
        "size, the brush, the last model and the training setup will not be remembered."
    )


def settings_file() -> Path:
    """Where QSettings keeps the user's settings on Linux (elsewhere: not a plain file)."""
    location = QStandardPaths.StandardLocation.GenericConfigLocation
    return Path(QStandardPaths.writableLocation(location)) / ORGANIZATION / f"{APPLICATION}.conf"


def _set_aside_if_not_a_file(path: Path) -> None:
    if not sys.platform.startswith("linux"):
        return  # the registry, a property list: nothing to read that could block
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return  # none yet (or unreachable: Qt reads nothing then either)
    if not stat.S_ISREG(mode):
        os.replace(path, path.with_name(f"{path.name}.not-a-file"))


class CheckedSettings:
    """Remembered values, each checked; ``notices`` says what was unusable and reset."""

    def __init__(self, settings: QSettings) -> None:
        self.settings = settings
        self.notices: list[str] = []

    def text(self, key: str, what: str, limit: int = PATH_LIMIT) -> str:
        """A remembered string of at most ``limit`` characters, or "" (absent or unusable)."""

        def parse(value: object) -> str | None:
            return value if isinstance(value, str) and len(value) <= limit else None

        return self._checked(key, what, "", parse)

    def number(self, key: str, what: str, low: int, high: int, default: int) -> int:
        """A remembered whole number in ``low..high``, or ``default``."""

        def parse(value: object) -> int | None:
            text = value if isinstance(value, str) else str(value) if type(value) is int else ""
            number = int(text) if re.fullmatch(r"\d{1,9}", text) else None
            return number if number is not None and low <= number <= high else None

        return self._checked(key, what, default, parse)

    def geometry(self, key: str, restore: Callable[[QByteArray], bool]) -> bool:
        """Give a remembered window geometry to ``restore``; False when there is none usable."""

        def parse(value: object) -> QByteArray | None:
            return value if isinstance(value, QByteArray) and restore(value) else None

        return self._checked(key, "the window's size and place", None, parse) is not None

    def forget(self, key: str, what: str, why: str) -> None:
        """Drop a value that turned out unusable when used (said once)."""
        self.settings.remove(key)
        self.notices.append(f"{what}: {why}")

    def _checked(self, key: str, what: str, default: T, parse: Callable[[object], T | None]) -> T:
        try:
            value = self.settings.value(key)
        except Exception:  # a value PySide cannot even convert
            value = UNREADABLE
        if value is None:
            return default
        parsed = None if value is UNREADABLE else parse(value)
        if parsed is None:
            self.forget(key, what, "the remembered value could not be used; the default is back")
            return default
        return parsed


class RecentFolder:
    """The folder of the last file opened or saved, remembered across runs."""

    def __init__(self, settings: QSettings) -> None:
        self.settings = settings

    def path(self, name: str = "") -> str:
        """``name`` in the remembered folder (the home folder if that is gone)."""
        folder = CheckedSettings(self.settings).text(LAST_FOLDER, "the last folder")
        try:
            usable = bool(folder) and Path(folder).is_dir()
        except OSError:  # a name too long, a loop of links
            usable = False
        folder = folder if usable else str(Path.home())
        return str(Path(folder) / name) if name else folder

    def remember(self, chosen: str | Path) -> None:
        """Remember the folder of a file the user chose."""
        self.settings.setValue(LAST_FOLDER, str(Path(chosen).resolve().parent))


def saved_training_config(settings: QSettings | None) -> tuple[TrainingConfig | None, list[str]]:
    """The training configuration started last (None: none usable), and notices to say."""
    if settings is None:
        return None, []
    checked = CheckedSettings(settings)
    what = "The last training settings"
    text = checked.text(TRAIN_CONFIG, what, TEXT_LIMIT)
    config = TrainingConfig.from_json(text) if text else None
    if text and config is None:
        checked.forget(TRAIN_CONFIG, what, "they could not be used; the defaults are back")
    return config, checked.notices
