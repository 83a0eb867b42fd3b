"""The training API (``fit``, ``train``, ``epoch``) for any trainable network.

A mixin: :class:`nncore.Network` inherits these methods, which use only the
:class:`~nncore.training.Trainable` members, so the network's own module stays about the
network (its layers, forward and backward passes, files).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from nncore.history import EpochReport, History
from nncore.optimizers import Optimizer, make_optimizer
from nncore.training import Trainable, TrainingRun, resolve_batch_size, run_epoch
from nncore.validation import check_non_negative


class FitMixin:
    """``train``, ``fit`` and ``epoch``: the ways to train a network."""

    def train(self: Trainable, X: np.ndarray, y: np.ndarray, **options: Any) -> TrainingRun:
        """A :class:`TrainingRun`: iterate it for one :class:`EpochReport` per epoch.

        Takes the same keywords as :meth:`fit`. Arguments are checked now; training
        happens as the run is iterated, so a caller (a GUI worker) can stop between epochs.
        """
        return TrainingRun(self, X, y, **options)

    def fit(
        self: Trainable,
        X: np.ndarray,
        y: np.ndarray,
        *,
        callback: Callable[[EpochReport], bool | None] | None = None,
        **options: Any,
    ) -> History:
        """Train on ``X`` (n_samples, n_inputs) and targets ``y``; return the history.

        ``y`` is one-hot (n_samples, n_outputs) or integer labels (n_samples,). The
        options are those of :class:`TrainingRun`: ``epochs`` (full shuffled passes),
        ``learning_rate``, ``batch_size`` (samples, or a fraction in (0, 1]),
        ``optimizer`` ("sgd", "momentum", "nesterov", "adam" or an :class:`Optimizer`),
        ``seed``, ``l2``, ``validation_data`` or ``validation_split``, ``patience``,
        ``min_delta`` and ``restore_best_weights``. ``callback`` is called with each
        :class:`EpochReport`; returning ``False`` stops training.

        Raises
        ------
        TrainingDiverged : the loss became NaN, infinite or exploded (the last good
            weights stay).
        """
        run = TrainingRun(self, X, y, **options)
        for report in run:
            if callback is not None and callback(report) is False:
                run.stop()
        return run.history

    def epoch(
        self: Trainable,
        X: np.ndarray,
        y: np.ndarray,
        learning_rate: float = 0.1,
        batch_size: int | float = 32,
        optimizer: str | Optimizer = "sgd",
        l2: float = 0.0,
        seed: int | np.random.Generator | None = None,
    ) -> float:
        """Run one epoch (one shuffled pass over all of ``X``); return its mean training loss.

        The loss is averaged over the epoch's mini-batches, each scored before its update.
        Pass an :class:`Optimizer` object to keep its state (momentum, Adam moments)
        from one call to the next.
        """
        X, Y = self.dataset(X, y)
        optimizer = make_optimizer(optimizer, learning_rate)
        scores = run_epoch(
            self, X, Y, resolve_batch_size(batch_size, len(X)), optimizer,
            np.random.default_rng(seed), check_non_negative("l2", l2),
        )  # fmt: skip
        assert scores is not None  # only an interrupted epoch has no scores
        return scores[0]
