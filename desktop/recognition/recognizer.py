"""Recognise a drawn digit: preprocessing (optdigits-style) followed by an nncore network.

Pure NumPy and nncore, no Qt: the Draw tab calls :meth:`Recognizer.predict_strokes`
with the canvas's strokes; :meth:`Recognizer.predict` takes any raster.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from desktop.bundled import read_bundled
from desktop.recognition.features import N_CLASSES, N_INPUTS, network_input
from desktop.recognition.preprocessing import (
    DEFAULT_SETTINGS,
    Settings,
    Stages,
    preprocess_image,
    preprocess_strokes,
)
from nncore import Network

MODEL_RESOURCE = "model.npz"
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


class Recognizer:
    """A 64-input, 10-output network plus the preprocessing settings it was trained with."""

    def __init__(self, network: Network, settings: Settings | None = None) -> None:
        if network.n_inputs != N_INPUTS or network.n_outputs != N_CLASSES:
            raise ValueError(
                "a digit recogniser needs a network with 64 inputs (8x8) and 10 outputs, "
                f"got {network.n_inputs} inputs and {network.n_outputs} outputs"
            )
        self.network = network
        stored = network.metadata.get("preprocessing")
        self.settings = settings or (
            Settings.from_dict(stored) if isinstance(stored, dict) else DEFAULT_SETTINGS
        )

    @classmethod
    def default(cls) -> Recognizer:
        """The model bundled with the application (``resources/model.npz``)."""
        return read_bundled(MODEL_RESOURCE, cls.from_file)

    @classmethod
    def from_file(cls, path: str | Path) -> Recognizer:
        """Load a model file; raises ``ModelFileError``/``ValueError`` if it cannot serve."""
        return cls(Network.load(path))

    def features(self, image: np.ndarray) -> np.ndarray:
        """The (8, 8) array, 0..16, the network sees for ``image`` (zeros if empty)."""
        stages = preprocess_image(image, self.settings)
        return np.zeros((8, 8)) if stages is None else stages.features

    def stroke_features(
        self, strokes: Sequence[np.ndarray], canvas_size: tuple[float, float] | None = None
    ) -> np.ndarray | None:
        """The (8, 8) features for pen strokes, or None when there is no digit."""
        stages = preprocess_strokes(strokes, canvas_size, self.settings)
        return None if stages is None else stages.features

    def predict(self, image: np.ndarray) -> Prediction:
        """Recognise a raster: 2-D array, any size, ink bright (> 0), background 0."""
        return self._predict(preprocess_image(image, self.settings))

    def predict_strokes(
        self, strokes: Sequence[np.ndarray], canvas_size: tuple[float, float] | None = None
    ) -> Prediction:
        """Recognise pen strokes ((n, 2) arrays of x, y with y down); brush-independent."""
        return self._predict(preprocess_strokes(strokes, canvas_size, self.settings))

    def _predict(self, stages: Stages | None) -> Prediction:
        if stages is None:
            return Prediction(None, UNIFORM.copy(), None)
        if stages.aspect < self.settings.min_aspect:
            # Far flatter than any handwritten digit: a dash, "=", a wavy line, or the
            # first bar of a 7 or a 5 still being drawn. Naming a digit would be nonsense.
            return Prediction(None, UNIFORM.copy(), stages, not_a_digit=True)
        probabilities = self.network.predict_proba(network_input(stages.features))[0].astype(
            np.float64
        )
        probabilities /= probabilities.sum()  # exact sum of 1 also for float32 models
        return Prediction(int(np.argmax(probabilities)), probabilities, stages)
