"""The learning-rate range test (Smith 2017, "Cyclical learning rates", section 3.3), no Qt.

A fresh network of the form's configuration takes mini-batch steps while the learning
rate grows exponentially from :data:`LOWEST` to :data:`HIGHEST`; each batch's loss
(scored before its step, as an epoch's are) is recorded against the rate it was taken
with. The loss first barely moves, then falls, then explodes; the suggestion is the
rate of the smoothed loss's minimum divided by :data:`BELOW_MINIMUM`, where the loss
still falls fast but training is not yet unstable (the rule fastai and Keras users use).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from desktop.recognition.features import network_input
from desktop.training.config import LIMITS, TrainingConfig
from desktop.training.session import TrainingData
from nncore import OPTIMIZERS

LOWEST, HIGHEST = 1e-6, 10.0
STEPS = 200
SMOOTHING = 0.9  # exponential moving average of the batch losses (bias-corrected)
EXPLODED = 4.0  # the test ends once the smoothed loss exceeds its minimum this many times
BELOW_MINIMUM = 10.0


@dataclass(frozen=True)
class RangeTest:
    """Learning rates tried, the loss at each (raw and smoothed), and the suggestion."""

    learning_rates: np.ndarray
    losses: np.ndarray
    smoothed: np.ndarray
    suggested: float | None  # None when the loss never fell

    def figures(self) -> dict[str, np.ndarray]:
        """By name, for the run ledger."""
        return {"learning_rate": self.learning_rates, "loss": self.losses,
                "smoothed": self.smoothed}  # fmt: skip


def range_test(
    config: TrainingConfig,
    data: TrainingData,
    *,
    steps: int = STEPS,
    stop: Callable[[], bool] | None = None,
) -> RangeTest:
    """Sweep the learning rate over ``steps`` mini-batches of ``config`` on ``data``.

    ``stop`` is asked before every step; True ends the test with what it has.
    """
    network = config.build_network()
    X, Y = network.dataset(network_input(data.features, network.dtype), data.labels)
    optimizer = OPTIMIZERS[config.optimizer](learning_rate=LOWEST)
    batches = _batches(len(X), min(config.batch_size, len(X)), np.random.default_rng(config.seed))
    growth = (HIGHEST / LOWEST) ** (1 / max(steps - 1, 1))
    rates, losses, smoothed = [], [], []
    average, best = 0.0, math.inf
    with np.errstate(all="ignore"):  # the loss is meant to explode at the end
        for step, rows in zip(range(steps), batches, strict=False):
            if stop is not None and stop():
                break
            optimizer.learning_rate = LOWEST * growth**step
            loss = network.score(network.backprop(X[rows], Y[rows], config.l2), Y[rows])[0]
            optimizer.step(network.params, network.grads)
            if not math.isfinite(loss):
                break
            average = SMOOTHING * average + (1 - SMOOTHING) * loss
            value = average / (1 - SMOOTHING ** (step + 1))  # the bias correction of Adam
            rates.append(optimizer.learning_rate)
            losses.append(loss)
            smoothed.append(value)
            best = min(best, value)
            if value > EXPLODED * best:
                break
    return RangeTest(np.array(rates), np.array(losses), np.array(smoothed),
                     suggestion(np.array(rates), np.array(smoothed)))  # fmt: skip


def _batches(n: int, size: int, rng: np.random.Generator) -> Iterator[np.ndarray]:
    """Row indices of mini-batches, pass after shuffled pass, for ever."""
    while True:
        order = rng.permutation(n)
        for start in range(0, n - size + 1, size):
            yield order[start : start + size]


def suggestion(rates: np.ndarray, smoothed: np.ndarray) -> float | None:
    """The learning rate to use: the smoothed loss's minimum's rate / 10 (None: no fall)."""
    if len(smoothed) < 2 or smoothed.min() >= smoothed[0]:
        return None
    rate = float(rates[int(np.argmin(smoothed))]) / BELOW_MINIMUM
    limit = LIMITS["learning_rate"]
    return float(f"{min(max(rate, limit.low), limit.high):.1g}")  # a round number to type
