"""Recognise a drawn digit: preprocessing (optdigits-style) followed by an nncore network.

Pure NumPy and nncore, no Qt: the Draw tab calls :meth:`Recognizer.predict_strokes`
with the canvas's strokes; :meth:`Recognizer.predict` takes any raster.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from desktop.bundled import read_bundled
from desktop.recognition.features import N_CLASSES, N_INPUTS
from desktop.recognition.marks import is_cross, is_loop_around
from desktop.recognition.numbers import NumberReading, read_number
from desktop.recognition.prediction import UNIFORM, Prediction
from desktop.recognition.preprocessing import (
    DEFAULT_SETTINGS,
    Settings,
    Stages,
    finite_points,
    path_ratio,
    preprocess_image,
    preprocess_strokes,
)
from desktop.recognition.sample_vote import SampleVote, vote_of
from desktop.recognition.sample_vote import probabilities as read_probabilities
from nncore import Network

MODEL_RESOURCE = "model.npz"

__all__ = ["MODEL_RESOURCE", "NumberReading", "Prediction", "Recognizer"]


class Recognizer:
    """A 64-input, 10-output network plus the preprocessing settings it was trained with.

    A personalised network also carries the user's samples, which vote beside it
    (:mod:`desktop.recognition.sample_vote`); ``ValueError`` if that part is malformed.
    """

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
        self.vote: SampleVote | None = vote_of(network)

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
        """Recognise pen strokes ((n, 2) arrays of x, y with y down); brush-independent.

        Ink too small to read (a dot, a tick) is "not a digit", unlike an empty canvas;
        so are a scribble (strokes far longer than the ink is large), a cross (X or +) and
        a loop around the canvas (:mod:`desktop.recognition.marks`).
        """
        stages = preprocess_strokes(strokes, canvas_size, self.settings)
        if stages is None and finite_points(strokes):  # ink, too small to read
            return Prediction(None, UNIFORM.copy(), None, not_a_digit=True)
        if stages is not None and (
            path_ratio(strokes) > self.settings.max_path_ratio
            or is_cross(strokes)
            or is_loop_around(strokes, canvas_size)
        ):
            return Prediction(None, UNIFORM.copy(), stages, not_a_digit=True)
        return self._predict(stages)

    def read_number(
        self, strokes: Sequence[np.ndarray], canvas_size: tuple[float, float]
    ) -> NumberReading:
        """Read a written number: strokes grouped into digits, each read as one digit.

        ``reading.text`` is the digits left to right ("" when there is no digit);
        ``reading.digits`` holds each digit's prediction, strokes and bounding box.
        """
        return read_number(strokes, canvas_size[1], self.predict_strokes)

    def personalised(
        self,
        samples: Sequence[tuple[Sequence[np.ndarray], tuple[float, float], int]],
        seed: int = 0,
    ) -> Recognizer:
        """A new recogniser tuned on one writer's ``[(strokes, (w, h), label), ...]``.

        The same tuning as My samples → Fine-tune on my handwriting: each sample re-drawn
        as variants of itself, the bundled corpus rehearsed so others' writing still
        reads, and the samples kept to vote beside the network. This recogniser is not
        changed. ``ValueError`` for fewer than 5 drawings.
        """
        # Training code depends on recognition, not the reverse: imported when asked for.
        from desktop.training.fine_tuning import personalise

        return Recognizer(personalise(self, samples, seed), self.settings)

    def _predict(self, stages: Stages | None) -> Prediction:
        if stages is None:
            return Prediction(None, UNIFORM.copy(), None)
        if stages.aspect < self.settings.min_aspect:
            # Far flatter than any handwritten digit: a dash, "=", a wavy line, or the
            # first bar of a 7 or a 5 still being drawn. Naming a digit would be nonsense.
            return Prediction(None, UNIFORM.copy(), stages, not_a_digit=True)
        probabilities = read_probabilities(self.network, stages.features[None], self.vote)[0]
        probabilities /= probabilities.sum()  # exact sum of 1 also for float32 models
        return Prediction(int(np.argmax(probabilities)), probabilities, stages)
