"""What a training run produced, measured on digits it never trained on (no Qt)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from desktop.recognition.features import N_CLASSES, network_input
from desktop.training.session import TrainingData
from nncore import Network, confusion_matrix

LOAD_DIGITS_TEST = "load_digits test split"
DRAWN_DIGITS = "drawn digits of unseen writers"


@dataclass(frozen=True)
class Evaluation:
    """A network's answers on one test set: glyphs (n, 8, 8) 0..16, labels and predictions."""

    name: str
    images: np.ndarray
    labels: np.ndarray
    predicted: np.ndarray

    @property
    def accuracy(self) -> float:
        """Share of right answers."""
        return float(np.mean(self.predicted == self.labels))

    @property
    def confusion(self) -> np.ndarray:
        """Counts (10, 10): row = true digit, column = predicted digit."""
        return confusion_matrix(self.labels, self.predicted, N_CLASSES)


def evaluation(network: Network, name: str, glyphs: tuple[np.ndarray, np.ndarray]) -> Evaluation:
    """Score ``network`` on (features (n, 8, 8), labels)."""
    images, labels = glyphs
    return Evaluation(name, images, labels, network.predict(network_input(images)))


@dataclass(frozen=True)
class TrainingResult:
    """A finished (or stopped, or diverged) run and its evaluations, load_digits' first.

    error: the divergence message, or None. The network holds the last good weights.
    """

    network: Network
    epochs_run: int
    stopped: bool
    error: str | None
    evaluations: tuple[Evaluation, ...]
    # The model in use when the run started, scored on the same drawn digits (None: no
    # such model or no drawn digits): what "Use this model" would change.
    in_use_drawn: float | None = None
    best_epoch: int | None = None  # with early stopping: the epoch whose weights it judged best
    stopped_early: bool = False
    epochs_before: int = 0  # a continued run: the epochs of the run it went on from
    model_file: str | None = None  # its name in the run ledger's folder, when kept there
    keep_error: str | None = None  # why it could not be kept there

    @property
    def test(self) -> Evaluation:
        """The load_digits test split's evaluation."""
        return self.evaluations[0]

    @property
    def drawn(self) -> Evaluation | None:
        """The evaluation on drawn digits of unseen writers, if the corpus has them."""
        return next((e for e in self.evaluations if e.name == DRAWN_DIGITS), None)

    @property
    def ending(self) -> str:
        """How the run ended, in a few words (a divergence says so in ``error``)."""
        if self.stopped_early:
            return f"Stopped early: no progress; kept epoch {self.best_epoch}'s weights."
        return "Stopped." if self.stopped else "Done."

    @property
    def usable(self) -> bool:
        """False after a divergence: such weights are no better than chance."""
        return self.error is None


def evaluate(
    network: Network,
    data: TrainingData,
    *,
    epochs_run: int,
    stopped: bool,
    error: str | None,
    in_use: Network | None = None,
) -> TrainingResult:
    """Score ``network`` (and the model ``in_use``, if any) on the run's test sets."""
    evaluations = [evaluation(network, LOAD_DIGITS_TEST, data.test)]
    in_use_drawn = None
    if data.has_drawn:
        evaluations.append(evaluation(network, DRAWN_DIGITS, data.drawn))
        if in_use is not None:
            in_use_drawn = evaluation(in_use, DRAWN_DIGITS, data.drawn).accuracy
    return TrainingResult(network, epochs_run, stopped, error, tuple(evaluations), in_use_drawn)
