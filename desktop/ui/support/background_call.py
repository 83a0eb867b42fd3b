"""Call a function off the GUI thread and hear its answer in the GUI thread.

For work that cannot be stopped half-way but ends by itself, such as reading a large model
file: a daemon thread runs it, so closing the window never waits for it, and the answer
arrives through :attr:`BackgroundCall.answered`, a signal of an object living in the GUI
thread. Qt queues a signal emitted from another thread to its receivers' thread, so a
method of a GUI class connected to it runs in the GUI thread (see docs/architecture.md).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal


class BackgroundCall(QObject):
    """Runs one call at a time; ``answered(request, result, error)`` when it returns.

    ``request`` is what :meth:`start` was given to name the call (a path, say); exactly
    one of ``result`` and ``error`` is None.
    """

    answered = Signal(object, object, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        """True while a call has not returned."""
        return self._thread is not None and self._thread.is_alive()

    def start(self, request: object, call: Callable[[], object]) -> bool:
        """Run ``call`` in a thread of its own; False (nothing started) while one runs."""
        if self.running:
            return False

        def run() -> None:
            answer: tuple[object, object, Exception | None]
            try:
                answer = (request, call(), None)
            except Exception as error:  # told to the GUI, which says it in plain words
                answer = (request, None, error)
            try:
                self.answered.emit(*answer)
            except RuntimeError:  # the window (and this object) went while it ran
                pass

        self._thread = threading.Thread(target=run, name="background-call", daemon=True)
        self._thread.start()
        return True
