"""Model files for the window: read in the background, and the last one restored at start.

A model file can be as large as the training form allows (hundreds of MiB): reading it
takes longer than a frame, so it is read off the GUI thread and the window keeps
working meanwhile; the model in use changes only when the file has been read whole.
At start-up a small last model (``QUICK_LOAD_BYTES``) is read at once, so the first
drawing already uses it; a larger one after the window shows, the bundled model until then.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Signal

from desktop.recognition.model_in_use import ModelInUse
from desktop.ui import settings as keys
from desktop.ui.support.background_call import BackgroundCall

# Read within a frame here (docs/performance.md), as the bundled model (3.5 MiB) is.
QUICK_LOAD_BYTES = 4 << 20


class ModelFiles(QObject):
    """Opens model files off the GUI thread: ``opened(ModelInUse)`` or ``failed(message)``."""

    opened = Signal(object)
    failed = Signal(str)

    def __init__(self, settings: QSettings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.reader = BackgroundCall(self)
        self.reader.answered.connect(self._on_reader_answered)

    @property
    def busy(self) -> bool:
        """True while a file is being read."""
        return self.reader.running

    def open(self, path: str | Path) -> bool:
        """Start reading ``path``; False (and nothing started) while another is being read."""
        return self.reader.start(str(path), partial(ModelInUse.from_file, path))

    def restore(self, last: str) -> tuple[ModelInUse, str | None, str | None]:
        """The model to start with, a note when the last one cannot serve, and a file to open.

        A large last model is not read here: it is returned as the file to :meth:`open`
        once the window shows, and the bundled model serves until then.
        """
        if last and not _quick_to_load(last):
            return ModelInUse.bundled(), None, last
        model, note = ModelInUse.restore(last)
        if note is not None:
            self.settings.remove(keys.LAST_MODEL)  # said once
        return model, note, None

    def _on_reader_answered(self, path: str, model: object, error: Exception | None) -> None:
        if isinstance(model, ModelInUse):
            self.opened.emit(model)
            return
        if path == self.settings.value(keys.LAST_MODEL):
            self.settings.remove(keys.LAST_MODEL)  # a last model that fails is said once
        self.failed.emit(_in_words(error))


def _quick_to_load(path: str) -> bool:
    try:
        return Path(path).stat().st_size <= QUICK_LOAD_BYTES
    except (OSError, ValueError):  # gone, a loop of links, a name too long: said at once
        return True


def _in_words(error: Exception | None) -> str:
    if isinstance(error, MemoryError | RecursionError):
        return "the file is damaged or not a Digit Pad model (it asks for too much memory)"
    return str(error) or type(error).__name__
