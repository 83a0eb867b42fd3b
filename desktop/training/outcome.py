"""What a training run produced, measured on digits it never trained on (no Qt)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from desktop.recognition.features import N_CLASSES, network_input
from nncore import Network, confusion_matrix


@dataclass(frozen=True)
class TrainingResult:
    """A finished (or stopped, or diverged) run and its test figures.

    images_test: (n, 8, 8) test glyphs 0..16; labels_test/predicted: (n,) digits.
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


def evaluate(
    network: Network,
    images_test: np.ndarray,
    labels_test: np.ndarray,
    *,
    epochs_run: int,
    stopped: bool,
    error: str | None,
) -> TrainingResult:
    """Score ``network`` on the test glyphs (n, 8, 8) and wrap it as a result."""
    predicted = network.predict(network_input(images_test))
    return TrainingResult(
        network=network,
        epochs_run=epochs_run,
        stopped=stopped,
        error=error,
        test_accuracy=float(np.mean(predicted == labels_test)),
        confusion=confusion_matrix(labels_test, predicted, N_CLASSES),
        images_test=images_test,
        labels_test=labels_test,
        predicted=predicted,
    )
