"""Fine-tune a model on the user's own samples, and say honestly whether it helped.

The user's samples are mixed with load_digits' training split (so the model does not
forget), repeated so that they make up about a fifth of the mix. "Before and after" is
measured on the held-out load_digits test split and on the user's samples, the latter by
k-fold cross-validation: each sample is scored by a model fine-tuned without it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from desktop.recognition.features import network_input
from nncore import Network

USER_SHARE = 0.2  # of the training mix, after repeating the user's samples
MIN_SAMPLES = 5


class FineTuneCancelled(Exception):
    """The user cancelled fine-tuning; nothing changed."""


@dataclass(frozen=True)
class FineTuneResult:
    """The fine-tuned network (trained on all samples) and the figures before and after.

    ``yours_after`` is cross-validated over ``folds`` folds: never measured on a sample
    the scoring model was trained on.
    """

    network: Network
    test_before: float
    test_after: float
    yours_before: float
    yours_after: float
    folds: int
    samples: int


def fine_tune(
    network: Network,
    user: tuple[np.ndarray, np.ndarray],
    base: tuple[np.ndarray, np.ndarray],
    test: tuple[np.ndarray, np.ndarray],
    *,
    folds: int = 5,
    epochs: int = 12,
    learning_rate: float = 3e-4,
    seed: int = 0,
    progress: Callable[[str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> FineTuneResult:
    """Fine-tune a copy of ``network``; each pair is (features (n, 8, 8) 0..16, labels).

    ``cancelled()`` is asked before every mini-batch step; when it says True the work
    ends with :class:`FineTuneCancelled` (``network`` itself is never changed).
    Raises ``ValueError`` when there are fewer than ``MIN_SAMPLES`` user samples.
    """

    def between_batches() -> None:
        if cancelled is not None and cancelled():
            raise FineTuneCancelled

    user_X, user_y = network_input(user[0]), np.asarray(user[1])
    if len(user_y) < MIN_SAMPLES:
        raise ValueError(
            f"fine-tuning needs at least {MIN_SAMPLES} of your samples, you have {len(user_y)}"
        )
    base_X, base_y = network_input(base[0]), np.asarray(base[1])
    test_X, test_y = network_input(test[0]), np.asarray(test[1])
    folds = min(folds, len(user_y))
    rng = np.random.default_rng(seed)

    def tuned(X: np.ndarray, y: np.ndarray) -> Network:
        repeats = max(1, round(USER_SHARE / (1 - USER_SHARE) * len(base_y) / len(y)))
        copy = network.copy()
        copy.fit(
            np.concatenate([base_X, np.repeat(X, repeats, axis=0)]),
            np.concatenate([base_y, np.repeat(y, repeats)]),
            epochs=epochs, learning_rate=learning_rate, optimizer="adam", batch_size=32,
            seed=seed, between_batches=between_batches,
        )  # fmt: skip
        return copy

    correct = 0
    for number, held_out in enumerate(np.array_split(rng.permutation(len(user_y)), folds), 1):
        if progress is not None:
            progress(f"Cross-validating: fold {number} of {folds}…")
        keep = np.setdiff1d(np.arange(len(user_y)), held_out)
        model = tuned(user_X[keep], user_y[keep])
        correct += int(np.sum(model.predict(user_X[held_out]) == user_y[held_out]))
    if progress is not None:
        progress("Fine-tuning on all your samples…")
    final = tuned(user_X, user_y)
    return FineTuneResult(
        network=final,
        test_before=network.accuracy(test_X, test_y),
        test_after=final.accuracy(test_X, test_y),
        yours_before=network.accuracy(user_X, user_y),
        yours_after=correct / len(user_y),
        folds=folds,
        samples=len(user_y),
    )
