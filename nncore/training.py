"""Training: the epoch loop, and one run of epochs with checked settings.

:func:`run_epoch` is one shuffled pass of mini-batch steps. :class:`TrainingRun` checks
its settings at once, then yields one report per epoch; a caller that iterates (``fit``,
or a GUI's training process) sees every epoch as it ends, and :meth:`TrainingRun.stop`
ends the run even in the middle of an epoch (between two mini-batches).

This module works on any network with the small public training surface below
(:class:`Trainable`); it does not import the network module, which imports it.
"""

from __future__ import annotations

import numbers
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from nncore.data import train_test_split
from nncore.errors import TrainingDiverged
from nncore.history import EpochReport, History
from nncore.losses import get_loss
from nncore.optimizers import Optimizer, make_optimizer
from nncore.validation import check_fraction, check_int, check_non_negative

# Training has diverged when the loss exceeds this many times the larger of its value
# before training and the loss of always predicting the mean target (class frequencies).
# Healthy runs stay far below; an exploding step size pins cross-entropy at -log(eps).
DIVERGENCE_FACTOR = 3.0
# The epoch's loss scores each batch before its update, so the weights an epoch ends with
# are also scored on this many training rows before they count as good (cheap insurance).
PROBE_ROWS = 64
# The divergence limit's starting loss is measured on at most this many training rows.
LIMIT_ROWS = 4096


@dataclass(frozen=True)
class TrainingState:
    """Where a run ended, to continue it later exactly as if it had never stopped.

    The optimizer's name, step count and state arrays (Adam's moments, momentum's
    velocity), the shuffling generator's state and the epochs done. The weights are the
    network's own; save both (``Network.save`` and ``nncore.save_training_state``).
    """

    optimizer: str
    steps: int
    arrays: dict[str, np.ndarray]
    rng: dict[str, Any]  # numpy's ``bit_generator.state``
    epochs_done: int


class Trainable(Protocol):
    """What training needs of a network; :class:`nncore.Network` documents each member."""

    loss: str

    @property
    def is_classifier(self) -> bool:
        """Outputs are class scores."""

    @property
    def n_outputs(self) -> int:
        """Output units."""

    @property
    def params(self) -> np.ndarray:
        """The live flat parameter vector."""

    @property
    def grads(self) -> np.ndarray:
        """The gradient vector ``backprop`` fills."""

    def get_params(self) -> np.ndarray:
        """A copy of the parameters."""

    def set_params(self, params: np.ndarray) -> None:
        """Restore a copy of the parameters."""

    def backprop(self, X: np.ndarray, Y: np.ndarray, l2: float = 0.0) -> np.ndarray:
        """Fill ``grads`` for one batch; return its outputs."""

    def evaluate(self, X: np.ndarray, Y: np.ndarray) -> tuple[float, float | None]:
        """Mean loss and accuracy."""

    def score(self, outputs: np.ndarray, Y: np.ndarray) -> tuple[float, float | None]:
        """Mean loss and accuracy of given outputs."""

    def dataset(self, X: object, y: object, name: str = "X") -> tuple[np.ndarray, np.ndarray]:
        """Checked features and targets."""


def run_epoch(
    network: Trainable,
    X: np.ndarray,
    Y: np.ndarray,
    batch_size: int,
    optimizer: Optimizer,
    rng: np.random.Generator,
    l2: float,
    interrupted: Callable[[], bool] | None = None,
) -> tuple[float, float | None] | None:
    """One shuffled pass of mini-batch steps; the mean loss and accuracy over its batches.

    X (n, n_inputs) and Y (n, n_outputs) are checked arrays (``network.dataset``). As in
    Keras and scikit-learn, each batch is scored with the weights it was given (before
    its update); this costs nothing extra, where a second full pass would. Returns None
    when ``interrupted()`` became true between two batches (the epoch is incomplete).
    """
    order = rng.permutation(len(X))
    X, Y = X[order], Y[order]  # one gather per epoch; batches are then cheap slices
    batch_outputs = []
    # Divergence shows up as a non-finite or exploding loss (checked by the caller), so
    # floating-point warnings on the way there are noise.
    with np.errstate(all="ignore"):
        for start in range(0, len(X), batch_size):
            if interrupted is not None and interrupted():
                return None
            batch = slice(start, start + batch_size)
            batch_outputs.append(network.backprop(X[batch], Y[batch], l2))
            optimizer.step(network.params, network.grads)
        # Scoring all batches at once costs one vectorised pass instead of one per batch.
        return network.score(np.concatenate(batch_outputs), Y)


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
    - ``between_batches``: called before every mini-batch step; returning True stops
      the run there (a training process checks its pause and stop requests this way,
      so they act within one step).
    - ``resume``: a :class:`TrainingState` from :meth:`checkpoint` of an earlier run on
      the same data with the same seed: ``epochs`` more epochs, numbered on from it, give
      bit for bit the weights one longer run would have.
    """

    def __init__(
        self,
        network: Trainable,
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
        between_batches: Callable[[], bool | None] | None = None,
        resume: TrainingState | None = None,
    ) -> None:
        self.network = network
        self.epochs = check_int("epochs", epochs, minimum=1)
        self.l2 = check_non_negative("l2", l2)
        self.patience = None if patience is None else check_int("patience", patience, minimum=1)
        self.min_delta = check_non_negative("min_delta", min_delta)
        self.restore_best_weights = bool(restore_best_weights)
        self.optimizer = make_optimizer(optimizer, learning_rate)
        self._rng = np.random.default_rng(seed)

        X, Y = network.dataset(X, y)
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
            self._validation = network.dataset(*validation_data, name="validation X")
        else:
            self._validation = None
        self._X, self._Y = X, Y
        self.batch_size = resolve_batch_size(batch_size, len(X))
        self.history = History()
        self._stop_requested = False
        self._between_batches = between_batches
        self._epochs_before = 0
        if resume is not None:
            self._resume(resume)
        # The state that goes with the weights the network will end with (the last good
        # epoch's, or the best one's when those are restored).
        self._checkpoint = self._state_now(self._epochs_before)
        self._best_checkpoint = self._checkpoint

    def _resume(self, state: TrainingState) -> None:
        if not isinstance(state, TrainingState):
            raise ValueError(f"resume must be a TrainingState, got {type(state).__name__}")
        if state.optimizer != self.optimizer.name:
            raise ValueError(
                f"resume: the saved state is of the {state.optimizer!r} optimizer, this run "
                f"uses {self.optimizer.name!r}"
            )
        self.optimizer.restore(state.steps, state.arrays, self.network.params)
        try:
            self._rng.bit_generator.state = state.rng
        except (TypeError, ValueError, KeyError) as error:
            raise ValueError(f"resume: the saved generator state is unusable: {error}") from None
        self._epochs_before = check_int("resume.epochs_done", state.epochs_done, minimum=0)

    def _state_now(self, epochs_done: int) -> TrainingState:
        return TrainingState(self.optimizer.name, self.optimizer.steps, self.optimizer.state(),
                             dict(self._rng.bit_generator.state), epochs_done)  # fmt: skip

    def checkpoint(self) -> TrainingState:
        """The state to continue this run from, matching the network's weights now."""
        return self._checkpoint

    @property
    def n_train(self) -> int:
        """Samples trained on (after any validation split)."""
        return len(self._X)

    def stop(self) -> None:
        """End the run before its next mini-batch (safe to call from another thread).

        An epoch cut short does not count: the network keeps the weights of the last
        completed epoch, and no report is made for it.
        """
        self._stop_requested = True

    @property
    def stopped(self) -> bool:
        """True once :meth:`stop` was called."""
        return self._stop_requested

    def _interrupted(self) -> bool:
        if self._between_batches is not None and self._between_batches():
            self._stop_requested = True
        return self._stop_requested

    def divergence_limit(self) -> float:
        """The loss above which this run counts as diverged (see ``DIVERGENCE_FACTOR``)."""
        # A sample estimates the starting loss as well as all rows do, at a fraction of a
        # forward pass over a large training set (that pass delayed the first epoch).
        X, Y = self._X[:LIMIT_ROWS], self._Y[:LIMIT_ROWS]
        start = self.network.evaluate(X, Y)[0]
        always_the_mean = np.broadcast_to(Y.mean(0), Y.shape)
        baseline = float(np.mean(get_loss(self.network.loss).function(always_the_mean, Y)))
        limit = DIVERGENCE_FACTOR * max(start, baseline)
        return limit if np.isfinite(limit) else np.inf

    def __iter__(self) -> Iterator[EpochReport]:
        network, history = self.network, self.history
        limit = self.divergence_limit()
        last_good = network.get_params()
        best_params, best_score, waited = last_good.copy(), np.inf, 0
        first = self._epochs_before + 1
        for epoch in range(first, first + self.epochs):
            if self._stop_requested:
                break
            started = time.perf_counter()
            scores = run_epoch(
                network, self._X, self._Y, self.batch_size, self.optimizer, self._rng,
                self.l2, self._interrupted,
            )  # fmt: skip
            if scores is None:  # stopped mid-epoch: that epoch's steps do not count
                network.set_params(last_good)
                break
            loss, accuracy = scores
            probe = network.evaluate(self._X[:PROBE_ROWS], self._Y[:PROBE_ROWS])[0]
            reason = _divergence(loss, limit) or _divergence(probe, limit)
            if reason:
                network.set_params(last_good)
                raise TrainingDiverged(epoch, self.optimizer.learning_rate, reason)
            report = self._report(epoch, loss, accuracy, started)
            np.copyto(last_good, network.params)
            self._checkpoint = self._state_now(epoch)
            history.append(report)
            yield report

            if self.patience is not None:
                score = report.val_loss if report.val_loss is not None else report.loss
                if score < best_score - self.min_delta:
                    best_score, waited, history.best_epoch = score, 0, epoch
                    np.copyto(best_params, network.params)
                    self._best_checkpoint = self._checkpoint
                else:
                    waited += 1
                    if waited >= self.patience:
                        history.stopped_early = True
                        break
        if self.patience is not None and self.restore_best_weights and history.best_epoch:
            network.set_params(best_params)
            self._checkpoint = self._best_checkpoint

    def _report(
        self, epoch: int, loss: float, accuracy: float | None, started: float
    ) -> EpochReport:
        val_loss = val_accuracy = None
        if self._validation is not None:
            val_loss, val_accuracy = self.network.evaluate(*self._validation)
        seconds = time.perf_counter() - started
        total = self._epochs_before + self.epochs
        return EpochReport(epoch, total, loss, accuracy, val_loss, val_accuracy, seconds)


def _divergence(loss: float, limit: float) -> str:
    """Why a loss counts as diverged, or "" when it does not."""
    if not np.isfinite(loss):
        return f"the loss became {loss}"
    if loss > limit:
        return f"the loss rose to {loss:.3g}, above the divergence limit {limit:.3g}"
    return ""
