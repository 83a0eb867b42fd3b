"""One owner for background work: a worker object in a thread of its own, ended in bounded time.

The worker is a parentless ``QObject`` with a ``run`` slot, a ``done`` signal (always its
last), ``stop()`` (finish soon, keeping what was done) and ``abort()`` (end now: kill a
child process). Connect its other signals to methods of a GUI class (Qt runs those in
the GUI thread) before :meth:`WorkerThread.start`. Like Qt's mandelbrot example, a
shutdown asks first and waits a bounded time, then forces the end; the GUI thread never
waits without a limit.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QObject, QThread, Signal

# How long a shutdown waits after asking the worker to stop, and again after aborting it.
STOP_WAIT_MS = 500
ABORT_WAIT_MS = 1000


class Worker(Protocol):
    """What :class:`WorkerThread` needs of a worker (besides being a ``QObject``)."""

    def stop(self) -> None:
        """Finish soon, keeping what was done (safe from any thread)."""

    def abort(self) -> None:
        """End now (safe from any thread)."""


class WorkerThread(QObject):
    """Runs one worker at a time in its own thread; ``ended`` when the thread has finished."""

    ended = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: QThread | None = None
        self._worker: QObject | None = None

    @property
    def running(self) -> bool:
        """True from :meth:`start` until the thread has finished."""
        return self._thread is not None

    @property
    def worker(self) -> QObject | None:
        """The worker while it runs, else None."""
        return self._worker

    def start(self, worker: QObject) -> None:
        """Move ``worker`` to a new thread and run it; refuses while another one runs."""
        if self._thread is not None:
            raise RuntimeError("a background job is already running")
        thread = QThread()
        thread.finished.connect(self._on_thread_finished)  # connected before it can finish
        worker.moveToThread(thread)
        thread.started.connect(worker.run)  # type: ignore[attr-defined]
        worker.done.connect(thread.quit)  # type: ignore[attr-defined]
        # No deleteLater: the worker is deleted once, in the GUI thread, when the thread
        # has finished and the last reference goes (docs/decisions/0006).
        self._thread, self._worker = thread, worker
        thread.start()

    def stop(self) -> None:
        """Ask the worker to finish soon (it ends on its own; ``ended`` follows)."""
        if self._worker is not None:
            self._worker.stop()  # type: ignore[attr-defined]

    def shutdown(self) -> bool:
        """Stop, wait at most ``STOP_WAIT_MS``, then abort and wait ``ABORT_WAIT_MS``.

        Returns True when the thread has ended (it always has, unless the worker ignores
        both requests; then the thread is left to end by itself and False is returned).
        """
        thread, worker = self._thread, self._worker
        if thread is None or worker is None:
            return True
        worker.stop()  # type: ignore[attr-defined]
        # The worker's "done" reaches thread.quit through this (blocked) thread's event
        # loop, so quit now: the thread's loop ends as soon as the worker returns.
        thread.quit()
        if not thread.wait(STOP_WAIT_MS):
            worker.abort()  # type: ignore[attr-defined]
            if not thread.wait(ABORT_WAIT_MS):
                return False
        self._on_thread_finished()
        return True

    def _on_thread_finished(self) -> None:
        if self._thread is None:
            return
        self._thread.wait(ABORT_WAIT_MS)  # finished already: returns at once
        # The last references: worker and thread are deleted now, in this thread.
        self._thread, self._worker = None, None
        self.ended.emit()
