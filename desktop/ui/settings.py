"""Where Digit Pad remembers things (``QSettings``), and every key it uses, named once."""

from __future__ import annotations

from PySide6.QtCore import QSettings

LAST_MODEL = "model/last"  # path of the model file in use, absent for the bundled one
WINDOW_GEOMETRY = "window/geometry"
BRUSH = "draw/brush"
TRAIN_CONFIG = "train/config"  # TrainingConfig.to_json()


def default_settings() -> QSettings:
    """The user's settings store (per-user, per-platform location)."""
    return QSettings("DigitPad", "Digit Pad")
