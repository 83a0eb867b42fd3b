"""What training reports: one record per epoch, and the history they add up to."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class EpochReport:
    """The state after one epoch (``epoch`` counts from 1 up to ``epochs``).

    ``loss`` and ``accuracy`` are the training figures averaged over the epoch's
    mini-batches (each batch scored before its update, as Keras and scikit-learn report
    them); the validation figures are measured after the epoch, or ``None`` without
    validation data. Accuracies are ``None`` for non-classifiers. ``seconds`` is the
    wall time of the epoch, validation included.
    """

    epoch: int
    epochs: int
    loss: float
    accuracy: float | None
    val_loss: float | None
    val_accuracy: float | None
    seconds: float


@dataclass
class History:
    """Per-epoch figures of one ``fit``, in epoch order."""

    loss: list[float] = field(default_factory=list)
    accuracy: list[float | None] = field(default_factory=list)
    val_loss: list[float | None] = field(default_factory=list)
    val_accuracy: list[float | None] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    best_epoch: int | None = None
    stopped_early: bool = False

    def append(self, report: EpochReport) -> None:
        """Add one epoch's figures."""
        self.loss.append(report.loss)
        self.accuracy.append(report.accuracy)
        self.val_loss.append(report.val_loss)
        self.val_accuracy.append(report.val_accuracy)
        self.seconds.append(report.seconds)

    def __len__(self) -> int:
        return len(self.loss)
