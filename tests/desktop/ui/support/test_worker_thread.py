"""WorkerThread: one worker at a time, and a shutdown that never waits without a bound."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import QObject, Signal, Slot

from desktop.ui.support.worker_thread import ABORT_WAIT_MS, STOP_WAIT_MS, WorkerThread


class _Stubborn(QObject):
    """Ignores stop() (as a long NumPy call would); only abort() ends it."""

    done = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.aborted = threading.Event()
        self.stopped = False

    def stop(self) -> None:
        self.stopped = True

    def abort(self) -> None:
        self.aborted.set()

    @Slot()
    def run(self) -> None:
        self.aborted.wait(30)
        self.done.emit()


def test_shutdown_asks_then_forces_within_its_bound(qtbot) -> None:
    job = WorkerThread()
    worker = _Stubborn()
    job.start(worker)
    assert job.running
    started = time.perf_counter()
    with qtbot.waitSignal(job.ended, timeout=5_000):
        assert job.shutdown()
    waited = time.perf_counter() - started
    assert worker.stopped and worker.aborted.is_set()
    assert STOP_WAIT_MS / 1000 * 0.9 <= waited < (STOP_WAIT_MS + ABORT_WAIT_MS) / 1000
    assert not job.running and job.worker is None


def test_one_job_at_a_time(qtbot) -> None:
    job = WorkerThread()
    job.start(_Stubborn())
    try:
        with pytest.raises(RuntimeError, match="already running"):
            job.start(_Stubborn())
    finally:
        assert job.shutdown()


class _Quick(QObject):
    """Ends at once."""

    done = Signal()

    def stop(self) -> None:
        pass

    def abort(self) -> None:
        pass

    @Slot()
    def run(self) -> None:
        self.done.emit()


def test_a_finished_worker_is_deleted_once_in_the_gui_thread(qtbot) -> None:
    import weakref

    import shiboken6

    job = WorkerThread()
    worker = _Quick()
    alive = weakref.ref(worker)
    with qtbot.waitSignal(job.ended, timeout=5_000):
        job.start(worker)
    qtbot.wait(50)  # any deferred deletion has had its turn
    assert shiboken6.isValid(worker)  # not deleted in its thread behind Python's back
    assert job.worker is None
    del worker  # the last reference: the worker goes now, in this (the GUI) thread
    assert alive() is None
