"""The network's answer for one drawing, and how sure it is."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from desktop.recognition.preprocessing import Stages

# Below this probability the top answer is shown as a question ("4 or 9?").
CONFIDENT = 0.7
UNIFORM = np.full(10, 0.1)


@dataclass(frozen=True)
class Prediction:
    """The network's answer for one drawing.

    digit: 0..9, or None when there is nothing to recognise (an empty canvas, or a mark
        that is no digit: then ``not_a_digit`` is True).
    probabilities: (10,) summing to 1 (uniform when there is no digit).
    stages: the preprocessing stages, None when the canvas is empty; kept for a mark, so
        the inputs can still be shown.
    """

    digit: int | None
    probabilities: np.ndarray
    stages: Stages | None
    not_a_digit: bool = False

    @property
    def confidence(self) -> float:
        """Probability of the predicted digit (0 when there is no digit)."""
        return 0.0 if self.digit is None else float(self.probabilities[self.digit])

    @property
    def is_confident(self) -> bool:
        """True when the top answer is probable enough to be stated without a question."""
        return self.confidence >= CONFIDENT

    @property
    def runner_up(self) -> int | None:
        """The second most probable digit, or None when there is no digit."""
        return None if self.digit is None else int(np.argsort(self.probabilities)[-2])
