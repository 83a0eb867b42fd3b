"""Where Digit Pad remembers things (``QSettings``), and every key it uses, named once."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

LAST_MODEL = "model/last"  # path of the model file in use, absent for the bundled one
LAST_FOLDER = "files/last_folder"  # where the last file dialog was left
WINDOW_GEOMETRY = "window/geometry"
BRUSH = "draw/brush"
TRAIN_CONFIG = "train/config"  # TrainingConfig.to_json()


def default_settings() -> QSettings:
    """The user's settings store (per-user, per-platform location)."""
    return QSettings("DigitPad", "Digit Pad")


class RecentFolder:
    """The folder of the last file opened or saved, remembered across runs."""

    def __init__(self, settings: QSettings) -> None:
        self.settings = settings

    def path(self, name: str = "") -> str:
        """``name`` in the remembered folder (the home folder at first)."""
        folder = str(self.settings.value(LAST_FOLDER, "", str)) or str(Path.home())
        return str(Path(folder) / name) if name else folder

    def remember(self, chosen: str | Path) -> None:
        """Remember the folder of a file the user chose."""
        self.settings.setValue(LAST_FOLDER, str(Path(chosen).resolve().parent))
