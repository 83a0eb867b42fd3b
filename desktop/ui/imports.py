"""Import a slow module after the window is up, in short turns, while no button is held.

pyqtgraph takes ~200 ms to import, ~100 ms of it making PySide6 create every class of
QtCore, QtGui and QtWidgets (PySide6 makes a class on first use, and pyqtgraph touches
them all) and ~35 ms importing other modules (four more of PySide6's, pydoc, xml).
Imported at start-up, it kept the window from appearing for that long.

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


def when_idle(context: QObject, action: Callable[[], object], since: float | None = None) -> None:
    """Call ``action`` in a later event-loop turn, once no mouse button is held.

    A held button (a stroke being drawn) delays it by at most ``MAX_HOLD_S`` counted from
    ``since`` (a ``time.perf_counter()`` value; default: now), so a release Qt never saw
    holds nothing up for ever. If ``context`` is deleted first, ``action`` is not called.
    """
    started = time.perf_counter() if since is None else since

    def attempt() -> None:
        held = QApplication.mouseButtons() != Qt.MouseButton.NoButton
        if held and time.perf_counter() - started < MAX_HOLD_S:
            QTimer.singleShot(BUSY_RETRY_MS, context, attempt)  # not in the middle of a stroke
            return
        action()

    QTimer.singleShot(0, context, attempt)


def import_when_idle(
    module: str,
    then: Callable[[], object],
    context: QObject,
    prepare: Sequence[str] = (),
    failed: Callable[[ImportError], object] | None = None,
) -> None:
    """Import ``module`` in the GUI thread, in turns, never while a mouse button is held.

    First each of the ``prepare`` modules (what ``module`` imports besides itself) is
    imported in a turn of its own, and its attributes are touched a few per turn (for
    PySide6 modules: their classes are made now, not all at once by the import); then
    ``module`` is imported in one turn and ``then`` is called in the next, or ``failed``
    with the ImportError (a broken installation). A prepared module that cannot be
    imported is passed over: ``module`` says so itself if it needs it. Each turn waits
    for the mouse buttons' release (see :func:`when_idle`), the whole by at most
    ``MAX_HOLD_S``. If ``context`` is deleted first, nothing more happens.
    """
    to_import = list(prepare)
    to_touch: list[tuple[ModuleType, str]] = []
    called = time.perf_counter()

    def next_turn() -> None:
        if to_touch:
            deadline = time.perf_counter() + TURN_BUDGET_S
            while to_touch and time.perf_counter() < deadline:
                source, name = to_touch.pop()
                getattr(source, name, None)
        elif to_import:
            try:
                source = importlib.import_module(to_import.pop(0))
            except ImportError:
                pass
            else:
                to_touch.extend((source, name) for name in dir(source))
        else:
            try:
                importlib.import_module(module)
            except ImportError as error:
                if failed is None:
                    raise
                failed(error)
                return
            # In a turn of its own: what comes next (building a plot, 20-30 ms) made the
            # import's turn that much longer.
            when_idle(context, then, called)
            return
        when_idle(context, next_turn, called)

    when_idle(context, next_turn, called)
