"""What the network does with one input, without Qt: activations, attributions, neighbours.

For an 8x8 input (counts 0..16) and any 64-input, 10-output network: every layer's
outputs, each hidden unit's signed push toward a digit (its output times the gradient of
that digit's probability: "gradient x input"), the same on the 8x8 input (saliency), and
the training glyphs nearest to the input in the space the network sees.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from desktop.recognition.features import GRID, network_input
from desktop.recognition.sample_vote import SampleVote
from nncore import Network


@dataclass(frozen=True)
class Inside:
    """One look inside: the network's layers for ``features``, explained for ``target``.

    layers: outputs of every layer, input (64,) to output (10,).
    pushes: for the input and each hidden layer, each unit's output times the gradient
        of the target's probability: positive pushes toward ``target``, negative against.
    saliency: ``pushes[0]`` as the (8, 8) grid.
    voted: the probabilities once the user's samples have voted (the Draw tab's answer),
        None for a network without them.
    """

    features: np.ndarray
    probabilities: np.ndarray
    digit: int
    target: int
    layers: list[np.ndarray]
    pushes: list[np.ndarray]
    voted: np.ndarray | None = None

    @property
    def saliency(self) -> np.ndarray:
        """Signed push of each input cell toward ``target``, (8, 8)."""
        return self.pushes[0].reshape(GRID, GRID)


def look_inside(
    network: Network,
    features: np.ndarray,
    target: int | None = None,
    vote: SampleVote | None = None,
) -> Inside:
    """Run ``features`` (8, 8) 0..16 through ``network``; explain ``target`` (or its answer).

    ``vote``: the user's samples a personalised network reads with, blended into ``voted``.
    """
    X = network_input(features)
    layers = [A[0].astype(np.float64) for A in network.layer_outputs(X)]
    probabilities = layers[-1] / layers[-1].sum() if layers[-1].sum() > 0 else layers[-1]
    digit = int(np.argmax(probabilities))
    target = digit if target is None else int(target)
    gradients = network.output_gradients(X, target)
    pushes = [layer * gradient[0] for layer, gradient in zip(layers, gradients, strict=False)]
    voted = None if vote is None else vote.blend(np.asarray(features)[None], probabilities[None])[0]
    return Inside(np.asarray(features, dtype=np.float64), probabilities, digit, target,
                  layers, pushes, voted)  # fmt: skip


class NearestExamples:
    """The training glyphs nearest to an input, by Euclidean distance of the 8x8 counts.

    Squared norms are computed once, so a query over 50,000 glyphs is one matrix-vector
    product (about a millisecond).
    """

    def __init__(self, features: np.ndarray, labels: np.ndarray) -> None:
        self.features = np.asarray(features).reshape(len(features), GRID * GRID)
        self.labels = np.asarray(labels)
        self._matrix = self.features.astype(np.float32)
        self._norms = np.einsum("ij,ij->i", self._matrix, self._matrix)

    def query(self, features: np.ndarray, k: int = 5) -> list[tuple[int, int, float]]:
        """The ``k`` nearest as (index, label, distance), nearest first."""
        x = np.asarray(features, dtype=np.float32).reshape(GRID * GRID)
        squared = self._norms - 2.0 * (self._matrix @ x) + float(x @ x)
        k = min(k, len(squared))
        nearest = np.argpartition(squared, k - 1)[:k]
        nearest = nearest[np.argsort(squared[nearest], kind="stable")]
        return [
            (int(i), int(self.labels[i]), float(np.sqrt(max(squared[i], 0.0)))) for i in nearest
        ]


TILES = 8  # the weights view shows the first 64 units, 8 by 8


def weight_mosaic(weights: np.ndarray) -> np.ndarray:
    """First-layer weights (64, units) -> an 8x8 mosaic of 8x8 tiles, NaN between tiles."""
    units = min(weights.shape[1], TILES * TILES)
    size = TILES * (GRID + 1) - 1
    mosaic = np.full((size, size), np.nan)
    for unit in range(units):
        row, column = divmod(unit, TILES)
        tile = weights[:, unit].reshape(GRID, GRID)
        mosaic[row * (GRID + 1): row * (GRID + 1) + GRID,
               column * (GRID + 1): column * (GRID + 1) + GRID] = tile  # fmt: skip
    return mosaic


def describe_weight(row: int, column: int, value: float) -> str:
    """Tooltip of a weights mosaic cell."""
    if value != value:
        return ""
    unit = (row // (GRID + 1)) * TILES + column // (GRID + 1)
    cell = (row % (GRID + 1), column % (GRID + 1))
    return f"unit {unit}, weight from input cell {cell}: {value:+.4f}"
