"""Errors that callers are expected to catch and show to a person."""

from __future__ import annotations


class TrainingDiverged(ArithmeticError):
    """The loss or the weights blew up; the network keeps the last good epoch's weights.

    ``reason`` says what blew up, e.g. "the loss became nan".
    """

    def __init__(self, epoch: int, learning_rate: float, reason: str) -> None:
        self.epoch = epoch
        self.learning_rate = learning_rate
        self.reason = reason
        self.kept_epoch = epoch - 1
        kept = (
            f"the weights after epoch {epoch - 1}" if epoch > 1 else "the weights it started with"
        )
        super().__init__(
            f"training diverged at epoch {epoch}: {reason} with learning_rate={learning_rate:g}; "
            f"{kept} were kept. Try a smaller learning rate."
        )


class ModelFileError(ValueError):
    """A model file could not be read: missing, malformed, mismatched or hostile."""
