"""Import a slow module after the window is up, in short turns, while no button is held.

pyqtgraph takes ~200 ms to import, ~100 ms of it making PySide6 create every class of
QtCore, QtGui and QtWidgets (PySide6 makes a class on first use, and pyqtgraph touches
them all). Imported at start-up, it kept the window from appearing for that long.

It is imported in the GUI thread all the same: PySide6's lazy class creation is not
thread-safe. Imported in a thread, it crashed the process (a segfault in a paint event
of the GUI thread while the thread was making Qt's enums, 1 start in 5).
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable, Sequence
from types import ModuleType

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication

TURN_BUDGET_S = 0.004  # classes are made for at most this long per event-loop turn
BUSY_RETRY_MS = 100  # while a mouse button is held (a stroke being drawn), wait this long
MAX_HOLD_S = 5.0  # a button held longer (or a release Qt never saw) does not hold it up


def import_when_idle(
    module: str,
    then: Callable[[], object],
    context: QObject,
    prepare: Sequence[ModuleType] = (),
    failed: Callable[[ImportError], object] | None = None,
) -> None:
    """Import ``module`` in the GUI thread, in turns, never while a mouse button is held.

    First every attribute of the ``prepare`` modules is touched, a few per turn (for
    PySide6 modules: their classes are made now, not all at once by the import); then
    ``module`` is imported in one turn and ``then`` is called, or ``failed`` with the
    ImportError (a broken installation). If ``context`` is deleted first, nothing more
    happens. A held button delays it by at most ``MAX_HOLD_S``.
    """
    pending = [(source, name) for source in prepare for name in dir(source)]
    called = time.perf_counter()

    def next_turn() -> None:
        held = QApplication.mouseButtons() != Qt.MouseButton.NoButton
        if held and time.perf_counter() - called < MAX_HOLD_S:
            QTimer.singleShot(BUSY_RETRY_MS, context, next_turn)  # not in the middle of a stroke
            return
        if pending:
            deadline = time.perf_counter() + TURN_BUDGET_S
            while pending and time.perf_counter() < deadline:
                source, name = pending.pop()
                getattr(source, name, None)
            QTimer.singleShot(0, context, next_turn)
            return
        try:
            importlib.import_module(module)
        except ImportError as error:
            if failed is None:
                raise
            failed(error)
            return
        then()

    QTimer.singleShot(0, context, next_turn)
