"""Training in a worker thread: loads the data, trains, and reports, never touching widgets.

Use: ``worker.moveToThread(thread)``; ``thread.started -> worker.run``. The worker emits
plain Python payloads; the GUI connects them to methods of its own class (which Qt runs
in the GUI thread). ``stop()``, ``pause()`` and ``resume()`` are safe from any thread
and take effect between epochs.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, Signal, Slot

from desktop.training_config import TrainingConfig
from nncore import EpochReport, Network, TrainingDiverged, train_test_split

# Reports are sent in batches at most this often, so a run of very fast epochs cannot
# flood the GUI's event queue (one signal per epoch would, at 100,000 epochs).
EMIT_INTERVAL = 1 / 60

DataLoader = Callable[[], tuple[np.ndarray, np.ndarray]]


@dataclass(frozen=True)
class TrainingResult:
    """What a finished (or stopped, or diverged) run produced.

    images_test: (n, 8, 8) test glyphs; predicted/labels_test: (n,) digits.
    error: the divergence message, or None. The network holds the last good weights.
    """

    network: Network
    epochs_run: int
    stopped: bool
    error: str | None
    test_accuracy: float
    confusion: np.ndarray
    images_test: np.ndarray
    labels_test: np.ndarray
    predicted: np.ndarray


def load_digits_data() -> tuple[np.ndarray, np.ndarray]:
    """``load_digits`` images (n, 8, 8) and labels; imports scikit-learn (slow: worker only)."""
    from desktop.digits_data import load_digit_images

    return load_digit_images()


class TrainingWorker(QObject):
    """Trains ``config`` on the data ``load_data`` returns (default: ``load_digits``)."""

    status_changed = Signal(str)
    epochs_finished = Signal(list)  # [EpochReport, ...] since the last emit
    finished = Signal(object)  # TrainingResult
    failed = Signal(str)  # the run could not start or crashed: plain words
    done = Signal()  # always last: the thread may quit

    def __init__(self, config: TrainingConfig, load_data: DataLoader = load_digits_data) -> None:
        super().__init__()
        self.config = config
        self._load_data = load_data
        self._stop = threading.Event()
        self._running = threading.Event()
        self._running.set()

    def stop(self) -> None:
        """End the run before its next epoch (also wakes a paused run)."""
        self._stop.set()
        self._running.set()

    def pause(self) -> None:
        """Hold the run between epochs."""
        self._running.clear()

    def resume(self) -> None:
        """Continue a paused run."""
        self._running.set()

    @Slot()
    def run(self) -> None:
        """Load, train, evaluate; emits ``finished`` or ``failed``, then ``done``."""
        try:
            self._run()
        except Exception as error:  # a bug must not kill the thread silently
            self.failed.emit(f"Training failed unexpectedly: {error}")
        finally:
            self.done.emit()

    def _run(self) -> None:
        config = self.config
        self.status_changed.emit("Loading the digits…")
        images, labels = self._load_data()
        split = train_test_split(
            images, labels, 1 - config.test_share, stratify=labels, seed=config.seed
        )
        images_train, images_test, labels_train, labels_test = split
        X_train = images_train.reshape(len(images_train), -1) / 16.0
        X_test = images_test.reshape(len(images_test), -1) / 16.0
        network = config.build_network()
        run = network.train(X_train, labels_train, **config.fit_options())
        self.status_changed.emit("Training…")

        pending: list[EpochReport] = []
        last_emit = time.perf_counter()
        error = None
        try:
            for report in run:
                pending.append(report)
                now = time.perf_counter()
                if now - last_emit >= EMIT_INTERVAL or report.epoch == config.epochs:
                    self.epochs_finished.emit(pending)
                    pending, last_emit = [], now
                if not self._running.is_set():
                    self.status_changed.emit("Paused")
                    self._running.wait()
                    if not self._stop.is_set():
                        self.status_changed.emit("Training…")
                if self._stop.is_set():
                    run.stop()
        except TrainingDiverged as diverged:
            error = str(diverged)
        if pending:
            self.epochs_finished.emit(pending)

        predicted = network.predict(X_test)
        self.finished.emit(
            TrainingResult(
                network=network,
                epochs_run=len(run.history),
                stopped=self._stop.is_set(),
                error=error,
                test_accuracy=float(np.mean(predicted == labels_test)),
                confusion=network.confusion_matrix(X_test, labels_test),
                images_test=images_test,
                labels_test=labels_test,
                predicted=predicted,
            )
        )
