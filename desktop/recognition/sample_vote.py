"""The user's own samples as a vote beside the network: how a personalised model reads them.

A personalised model carries the 8x8 features of the samples it was tuned on. Each
drawing it reads is compared with them; the nearest samples vote for their labels, and
the vote is blended with the network's probabilities. Tuning moves the network towards a
writer's style; the vote adds what twenty samples cannot teach a network: "this writer's
4 looks exactly like this". Measured with ``tests/bench/personalisation.py`` (figures in
docs/performance.md). Pure NumPy, no Qt.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from desktop.recognition.features import MAX_COUNT, N_CLASSES, N_INPUTS, network_input
from nncore import Network

KEY = "your_samples"  # in the model file's metadata
# With weight w the vote can overturn the network only where the network's lead over the
# vote's digit is below w / (1 - w): 0.67 at 0.4. From 0.5 on it would overturn a network
# that is certain, and the vote of a few samples then decides every drawing (measured:
# other writers' digits fall from 98 % to 80 %).
WEIGHT = 0.4
MAX_WEIGHT = 0.5
# Squared 8x8 distance (counts 0..16) over which a farther sample's say falls by e.
WIDTH = 100.0
MAX_SAMPLES = 1000  # the latest; keeps the model file's header far below its 1 MiB limit


@dataclass(frozen=True, eq=False)
class SampleVote:
    """Samples (features (n, 64), counts 0..16; labels (n,)) that vote beside a network."""

    features: np.ndarray
    labels: np.ndarray
    weight: float = WEIGHT
    width: float = WIDTH

    def __post_init__(self) -> None:
        features = np.asarray(self.features, dtype=np.float64).reshape(-1, N_INPUTS)
        labels = np.asarray(self.labels).reshape(-1)
        if len(labels) == 0 or len(labels) != len(features):
            raise ValueError(
                f"{KEY}: needs one label per sample and at least one sample, "
                f"got {len(features)} samples and {len(labels)} labels"
            )
        if not np.all((labels >= 0) & (labels < N_CLASSES) & (labels == labels.astype(int))):
            raise ValueError(f"{KEY}: every label must be a digit 0..9")
        if not np.all(np.isfinite(features) & (features >= 0) & (features <= MAX_COUNT)):
            raise ValueError(f"{KEY}: every feature must be a count 0..16")
        if not 0 <= self.weight < MAX_WEIGHT:
            raise ValueError(f"{KEY}: weight must be in [0, {MAX_WEIGHT}), got {self.weight!r}")
        if not self.width > 0:
            raise ValueError(f"{KEY}: width must be > 0, got {self.width!r}")
        object.__setattr__(self, "features", features[-MAX_SAMPLES:])
        object.__setattr__(self, "labels", labels[-MAX_SAMPLES:].astype(np.int64))

    def votes(self, features: np.ndarray) -> np.ndarray:
        """Each row of ``features`` ((n, 8, 8) or (n, 64)): the samples' vote, (n, 10)."""
        grids = np.asarray(features, dtype=np.float64).reshape(-1, N_INPUTS)
        distances = (
            np.sum(grids**2, axis=1)[:, None]
            + np.sum(self.features**2, axis=1)[None, :]
            - 2 * grids @ self.features.T
        )
        # Measured from the nearest sample: exp(-d / width) of the raw distances (hundreds)
        # underflows to 0 for every sample, and the nearest one must always have its say.
        kernel = np.exp(-(distances - distances.min(axis=1, keepdims=True)) / self.width)
        votes = kernel @ np.eye(N_CLASSES)[self.labels]
        return votes / votes.sum(axis=1, keepdims=True)

    def blend(self, features: np.ndarray, probabilities: np.ndarray) -> np.ndarray:
        """The network's ``probabilities`` (n, 10) for ``features`` with the vote blended in."""
        return (1 - self.weight) * probabilities + self.weight * self.votes(features)

    def to_metadata(self) -> dict[str, Any]:
        """Plain JSON data for the model file (features to two decimals)."""
        return {
            "features": np.round(self.features, 2).tolist(),
            "labels": self.labels.tolist(),
            "weight": self.weight,
            "width": self.width,
        }

    @classmethod
    def from_metadata(cls, entry: object) -> SampleVote:
        """Read :meth:`to_metadata`'s data back; ``ValueError`` naming what is wrong."""
        if not isinstance(entry, Mapping) or not {"features", "labels"} <= set(entry):
            raise ValueError(f"{KEY}: must hold 'features' and 'labels'")
        try:
            return cls(
                np.array(entry["features"], dtype=np.float64),
                np.array(entry["labels"], dtype=np.int64),
                float(entry.get("weight", WEIGHT)),
                float(entry.get("width", WIDTH)),
            )
        except (TypeError, ValueError) as error:
            raise ValueError(str(error) if KEY in str(error) else f"{KEY}: {error}") from None


def vote_of(network: Network) -> SampleVote | None:
    """The samples ``network`` was personalised on, or None; ``ValueError`` if malformed."""
    entry = network.metadata.get(KEY)
    return None if entry is None else SampleVote.from_metadata(entry)


def with_vote(network: Network, features: np.ndarray, labels: np.ndarray) -> Network:
    """``network``, its metadata now carrying ``features`` and ``labels`` as its vote."""
    network.metadata[KEY] = SampleVote(features, labels).to_metadata()
    return network


def probabilities(
    network: Network, features: np.ndarray, vote: SampleVote | None = None
) -> np.ndarray:
    """(n, 10) for ``features`` (n, 8, 8) 0..16: the network's, blended with ``vote`` if any."""
    predicted = network.predict_proba(network_input(features)).astype(np.float64)
    return predicted if vote is None else vote.blend(features, predicted)


def predict(network: Network, features: np.ndarray) -> np.ndarray:
    """The most likely digit for each of ``features``, with the network's own vote if any."""
    return probabilities(network, features, vote_of(network)).argmax(axis=1)


def accuracy(network: Network, features: np.ndarray, labels: np.ndarray) -> float:
    """How often :func:`predict` names the label."""
    return float(np.mean(predict(network, features) == labels))
