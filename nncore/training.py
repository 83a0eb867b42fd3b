"""One training run: checked settings, then an iterator of per-epoch reports.

A caller that iterates (``fit``, or a GUI worker thread) sees every epoch as it ends and
may stop between epochs with :meth:`TrainingRun.stop` or by no longer iterating.
"""

from __future__ import annotations

import numbers
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np

from nncore.data import train_test_split
from nncore.errors import TrainingDiverged
from nncore.history import EpochReport, History
from nncore.optimizers import Optimizer, make_optimizer
from nncore.validation import check_fraction, check_int, check_non_negative

if TYPE_CHECKING:
    from nncore.network import Network

# Training has diverged when the loss exceeds this many times the larger of its value
# before training and the loss of always predicting the mean target (class frequencies).
# Healthy runs stay far below; an exploding step size pins cross-entropy at -log(eps).
DIVERGENCE_FACTOR = 3.0
# The epoch's loss scores each batch before its update, so the weights an epoch ends with
# are also scored on this many training rows before they count as good (cheap insurance).
PROBE_ROWS = 256


def resolve_batch_size(batch_size: object, n_samples: int) -> int:
    """Samples per step: an int in 1..n_samples, or a fraction in (0, 1] of n_samples."""
    if isinstance(batch_size, numbers.Integral) and not isinstance(batch_size, bool):
        if not 1 <= int(batch_size) <= n_samples:
            raise ValueError(
                f"batch_size must be between 1 and the number of training samples "
                f"({n_samples}), got {batch_size}"
            )
        return int(batch_size)
    if isinstance(batch_size, numbers.Real) and not isinstance(batch_size, bool):
        if not 0 < float(batch_size) <= 1:
            raise ValueError(
                f"a fractional batch_size must be in (0, 1] (a share of the training set), "
                f"got {batch_size}"
            )
        return max(1, round(float(batch_size) * n_samples))
    raise ValueError(f"batch_size must be an int or a float in (0, 1], got {batch_size!r}")


class TrainingRun:
    """Iterate to train ``network``; each step of the iteration is one epoch.

    Keywords (all checked when the run is created):

    - ``epochs``, ``learning_rate``, ``batch_size``, ``optimizer``, ``seed``: see ``fit``.
    - ``l2``: L2 weight decay (weights only, not biases); the reported loss excludes it.
    - ``validation_data``: ``(X_val, y_val)``; or ``validation_split`` in [0, 1): that share
      of the training data is held out (stratified for classifiers, drawn with ``seed``).
    - ``patience``: stop when the monitored loss (validation loss if any, else training
      loss) has not improved by more than ``min_delta`` for this many epochs.
    - ``restore_best_weights``: with ``patience``, end with the best epoch's weights.
    """

    def __init__(
        self,
        network: Network,
        X: np.ndarray,
        y: np.ndarray,
        *,
        epochs: int = 1,
        learning_rate: float = 0.1,
        batch_size: int | float = 32,
        optimizer: str | Optimizer = "sgd",
        seed: int | np.random.Generator | None = None,
        l2: float = 0.0,
        validation_data: tuple[np.ndarray, np.ndarray] | None = None,
        validation_split: float = 0.0,
        patience: int | None = None,
        min_delta: float = 0.0,
        restore_best_weights: bool = True,
    ) -> None:
        self.network = network
        self.epochs = check_int("epochs", epochs, minimum=1)
        self.l2 = check_non_negative("l2", l2)
        self.patience = None if patience is None else check_int("patience", patience, minimum=1)
        self.min_delta = check_non_negative("min_delta", min_delta)
        self.restore_best_weights = bool(restore_best_weights)
        self.optimizer = make_optimizer(optimizer, learning_rate)
        self._rng = np.random.default_rng(seed)

        X, Y = network._dataset(X, y)
        validation_split = check_fraction("validation_split", validation_split, allow_zero=True)
        if validation_data is not None and validation_split:
            raise ValueError("give validation_data or validation_split, not both")
        if validation_split:
            stratify = Y if network.is_classifier and network.n_outputs > 1 else None
            X, X_val, Y, Y_val = train_test_split(
                X, Y, 1.0 - validation_split, stratify=stratify, seed=self._rng
            )
            self._validation: tuple[np.ndarray, np.ndarray] | None = (X_val, Y_val)
        elif validation_data is not None:
            if not isinstance(validation_data, tuple | list) or len(validation_data) != 2:
                raise ValueError("validation_data must be a pair (X_val, y_val)")
            self._validation = network._dataset(*validation_data, name="validation X")
        else:
            self._validation = None
        self._X, self._Y = X, Y
        self.batch_size = resolve_batch_size(batch_size, len(X))
        self.history = History()
        self._stop_requested = False

    @property
    def n_train(self) -> int:
        """Samples trained on (after any validation split)."""
        return len(self._X)

    def stop(self) -> None:
        """Ask the run to end before its next epoch (safe to call from another thread)."""
        self._stop_requested = True

    def divergence_limit(self) -> float:
        """The loss above which this run counts as diverged (see ``DIVERGENCE_FACTOR``)."""
        X, Y = self._X, self._Y
        start = self.network._evaluate(X, Y)[0]
        baseline = float(
            np.mean(self.network._loss.function(np.broadcast_to(Y.mean(0), Y.shape), Y))
        )
        limit = DIVERGENCE_FACTOR * max(start, baseline)
        return limit if np.isfinite(limit) else np.inf

    def __iter__(self) -> Iterator[EpochReport]:
        network, history = self.network, self.history
        limit = self.divergence_limit()
        last_good = network.get_params()
        best_params, best_score, waited = last_good.copy(), np.inf, 0
        for epoch in range(1, self.epochs + 1):
            if self._stop_requested:
                break
            started = time.perf_counter()
            loss, accuracy = network._run_epoch(
                self._X, self._Y, self.batch_size, self.optimizer, self._rng, self.l2
            )
            probe = network._evaluate(self._X[:PROBE_ROWS], self._Y[:PROBE_ROWS])[0]
            reason = _divergence(loss, limit) or _divergence(probe, limit)
            if reason:
                network.set_params(last_good)
                raise TrainingDiverged(epoch, self.optimizer.learning_rate, reason)
            report = self._report(epoch, loss, accuracy, started)
            np.copyto(last_good, network._params)
            history.append(report)
            yield report

            if self.patience is not None:
                score = report.val_loss if report.val_loss is not None else report.loss
                if score < best_score - self.min_delta:
                    best_score, waited, history.best_epoch = score, 0, epoch
                    np.copyto(best_params, network._params)
                else:
                    waited += 1
                    if waited >= self.patience:
                        history.stopped_early = True
                        break
        if self.patience is not None and self.restore_best_weights and history.best_epoch:
            network.set_params(best_params)

    def _report(
        self, epoch: int, loss: float, accuracy: float | None, started: float
    ) -> EpochReport:
        val_loss = val_accuracy = None
        if self._validation is not None:
            val_loss, val_accuracy = self.network._evaluate(*self._validation)
        seconds = time.perf_counter() - started
        return EpochReport(epoch, self.epochs, loss, accuracy, val_loss, val_accuracy, seconds)


def _divergence(loss: float, limit: float) -> str:
    """Why a loss counts as diverged, or "" when it does not."""
    if not np.isfinite(loss):
        return f"the loss became {loss}"
    if loss > limit:
        return f"the loss rose to {loss:.3g}, above the divergence limit {limit:.3g}"
    return ""
