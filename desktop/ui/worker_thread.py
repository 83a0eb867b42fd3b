"""Start a worker object in a thread of its own (the QT_NOTES pattern, written once).

The worker is a parentless ``QObject`` with a ``run`` slot and a ``done`` signal; the
thread quits when the worker is done and the worker is deleted after. Connect the
worker's other signals to methods of a GUI class (Qt runs those in the GUI thread)
before calling this; keep the returned thread and ``wait()`` for it before dropping it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QThread


def start_in_thread(worker: QObject, on_finished: Callable[[], None]) -> QThread:
    """Move ``worker`` to a new thread, start it, and return the thread.

    ``on_finished`` (a method of a GUI object) is connected before the thread starts, so
    it cannot miss the end of a worker that finishes at once.
    """
    thread = QThread()
    thread.finished.connect(on_finished)
    worker.moveToThread(thread)
    thread.started.connect(worker.run)  # type: ignore[attr-defined]
    worker.done.connect(thread.quit)  # type: ignore[attr-defined]
    worker.done.connect(worker.deleteLater)  # type: ignore[attr-defined]
    thread.start()
    return thread


def stop_and_wait(worker: QObject, thread: QThread) -> None:
    """Ask ``worker`` to stop (its ``stop()`` takes effect between steps) and wait for it."""
    worker.stop()  # type: ignore[attr-defined]
    thread.quit()
    thread.wait()
