"""The training loop in a process of its own, so the window never waits for it.

Python threads share one interpreter lock; pyqtgraph paints in Python, and PySide hands the
lock back and forth around every Qt call, so a busy training thread made each repaint
wait hundreds of times. A child process has its own lock. No Qt is imported here.

Protocol on the pipe, child to parent: ``("epochs", [EpochReport, ...])`` at most about
60 times a second, then ``("done", params, epochs_run, error)`` with the final weights
(the last good ones after a divergence). The parent sets ``stop`` to end the run before
the next epoch and clears ``running`` to pause it.
"""

from __future__ import annotations

import time
from multiprocessing.connection import Connection
from multiprocessing.synchronize import Event

import numpy as np

from desktop.training.config import TrainingConfig
from nncore import EpochReport, TrainingDiverged

# Reports are sent in batches at most this often, so a run of very fast epochs cannot
# flood the pipe or the GUI's event queue.
SEND_INTERVAL = 1 / 60


def train(
    config: TrainingConfig,
    X_train: np.ndarray,
    y_train: np.ndarray,
    connection: Connection,
    stop: Event,
    running: Event,
) -> None:
    """Train ``config`` on (X_train, y_train) and report through ``connection``."""
    network = config.build_network()
    run = network.train(X_train, y_train, **config.fit_options())
    pending: list[EpochReport] = []
    last_send = time.perf_counter()
    error = None
    try:
        for report in run:
            pending.append(report)
            now = time.perf_counter()
            if now - last_send >= SEND_INTERVAL or report.epoch == config.epochs:
                connection.send(("epochs", pending))
                pending, last_send = [], now
            if not running.is_set():
                if pending:
                    connection.send(("epochs", pending))
                    pending = []
                running.wait()
            if stop.is_set():
                run.stop()
    except TrainingDiverged as diverged:
        error = str(diverged)
    if pending:
        connection.send(("epochs", pending))
    connection.send(("done", network.get_params(), len(run.history), error))
    connection.close()
