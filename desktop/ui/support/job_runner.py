"""Jobs for the warm training process, run from a worker thread (see ``WorkerThread``).

A :class:`JobRunner` hands its payload (small: the process reads the corpus itself) to
the :class:`TrainingProcess` and relays the replies as signals with plain payloads; the
GUI connects them to methods of its own class, which Qt runs in the GUI thread.
``stop()``, ``pause()`` and ``resume()`` are safe from any thread, never block, and act
within one mini-batch; a process that has not acknowledged a stop within
:data:`STOP_GRACE` seconds is killed. ``abort()`` kills the process at once. A reply that
belongs to no job ends the process too: the next job always starts clean.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from desktop.training.process import TrainingProcess, TrainingProcessError

# How long a job waits for a busy process (another job still ending) before giving up.
BUSY_TIMEOUT = 2.0
POLL_SECONDS = 0.05
STOP_GRACE = 1.0  # seconds for the process to say it is stopping before it is killed


class JobRunner(QObject):
    """Runs one job of ``kind`` with ``payload`` on ``process`` and relays its replies."""

    status_changed = Signal(str)
    epochs_finished = Signal(list)  # [EpochFigures, ...] since the last batch
    finished = Signal(object)  # the job's result
    cancelled = Signal()
    failed = Signal(str)  # could not start, crashed, or bad data: plain words
    done = Signal()  # always last: the thread may quit

    def __init__(self, process: TrainingProcess, kind: str, payload: tuple[Any, ...]) -> None:
        super().__init__()
        self.training_process = process
        self.kind = kind
        self.payload = payload
        self._stopped = False
        self._stop_asked_at: float | None = None  # until the process says "stopping"
        self._paused = False
        self._training_said = False

    def stop(self) -> None:
        """End the job within one mini-batch, keeping what was done (also ends a pause)."""
        self._stopped = True
        if self._stop_asked_at is None:
            self._stop_asked_at = time.monotonic()
        self.training_process.control("stop")

    def pause(self) -> None:
        """Hold the job (within one mini-batch)."""
        self._paused = True
        self.training_process.control("pause")

    def resume(self) -> None:
        """Continue a paused job."""
        self._paused = False
        self.training_process.control("resume")

    def abort(self) -> None:
        """End now: kill the process."""
        self._stopped = True
        self.training_process.kill()

    @Slot()
    def run(self) -> None:
        """Prepare, submit, relay: ``finished``, ``cancelled`` or ``failed``, then ``done``."""
        try:
            self._run()
        except TrainingProcessError as error:
            self.failed.emit(str(error))
        except Exception as error:  # a bug must not kill the thread silently
            self.failed.emit(f"The job failed unexpectedly: {error}")
        finally:
            self.done.emit()

    def _run(self) -> None:
        if not self.training_process.busy.acquire(timeout=BUSY_TIMEOUT):
            raise TrainingProcessError(
                "The training process is still busy with another job (training or "
                "fine-tuning); try again when it is done."
            )
        try:
            if self._stopped:  # stopped while waiting for the process
                self.cancelled.emit()
                return
            self.status_changed.emit("Starting…")
            self.training_process.submit(self.kind, self.payload)
            # A request made before the job reached the process found it idle, and an
            # idle process ignores requests: say it again, now that the job runs.
            for asked, word in ((self._stopped, "stop"), (self._paused, "pause")):
                if asked:
                    self.training_process.control(word)
            self._relay()
        finally:
            self.training_process.busy.release()

    def _relay(self) -> None:
        # What each reply does, and whether it ends the job.
        handlers: dict[str, tuple[Callable[..., None], bool]] = {
            "epochs": (self._on_epochs, False),
            "status": (self.status_changed.emit, False),
            "stopping": (self._on_stopping, False),
            "done": (self.finished.emit, True),
            "cancelled": (self.cancelled.emit, True),
            "failed": (self.failed.emit, True),
        }
        while True:
            message = self.training_process.receive(POLL_SECONDS)
            if message is None:
                self._check_stop_grace()
                continue
            if message[0] not in handlers:
                self.training_process.kill()  # a reply of no job: never half a job left
                raise TrainingProcessError(
                    f"The training process sent an unexpected {message[0]!r}; it was ended. "
                    "The next job starts a new one."
                )
            handler, final = handlers[message[0]]
            handler(*message[1:])
            if final:
                return

    def _on_stopping(self) -> None:
        self._stop_asked_at = None

    def _check_stop_grace(self) -> None:
        asked = self._stop_asked_at
        if asked is not None and time.monotonic() - asked > STOP_GRACE:
            self.training_process.kill()
            raise TrainingProcessError(
                f"The training process did not stop within {STOP_GRACE:.0f} s, so it was "
                "ended; the epochs of this run are lost. The next job starts a new one."
            )

    def _on_epochs(self, figures: list[Any]) -> None:
        if not self._training_said:
            self.status_changed.emit("Training…")
            self._training_said = True
        self.epochs_finished.emit(figures)
