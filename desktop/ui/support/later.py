"""Do something in a later turn of the event loop: the one helper for "not in this frame".

:func:`later` runs an action after the repaints already asked for, so that two costly
changes (a run's last plot and its results, say) land in two frames, not one.
:func:`when_idle` also waits for the mouse buttons' release, for one-time work (importing
the plotting library) that must never interrupt a stroke being drawn.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication

# A 1 ms timer, not 0: Qt runs a zero-delay call in the same batch as the repaints already
# posted, with no input handled in between, so the two would still share a frame.
NEXT_TURN_MS = 1
BUSY_RETRY_MS = 100  # while a mouse button is held (a stroke being drawn), wait this long
MAX_HOLD_S = 5.0  # a button held longer (or a release Qt never saw) does not hold it up


def later(context: QObject, action: Callable[[], object]) -> None:
    """Call ``action`` in a later event-loop turn, unless ``context`` is deleted first."""
    QTimer.singleShot(NEXT_TURN_MS, context, action)


def when_idle(context: QObject, action: Callable[[], object]) -> None:
    """Call ``action`` in a later event-loop turn, once no mouse button is held.

    A held button delays it by at most ``MAX_HOLD_S``, so a release Qt never saw holds
    nothing up for ever. If ``context`` is deleted first, ``action`` is not called.
    """
    started = time.perf_counter()

    def attempt() -> None:
        held = QApplication.mouseButtons() != Qt.MouseButton.NoButton
        if held and time.perf_counter() - started < MAX_HOLD_S:
            QTimer.singleShot(BUSY_RETRY_MS, context, attempt)
            return
        action()

    later(context, attempt)
