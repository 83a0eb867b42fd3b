"""One training code path for the Train tab, its process and the bundled model's build (no Qt).

:func:`prepare` turns a corpus and a choice of sources into arrays; :func:`train` trains a
:class:`TrainingConfig` on them, epoch by epoch, measuring every epoch on drawn digits of
writers it never trains on; :func:`describe` writes what a model file should say about
itself (architecture, settings, data, figures, date).
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from desktop.data.corpus import Corpus
from desktop.recognition.features import network_input
from desktop.recognition.preprocessing import DEFAULT_SETTINGS
from desktop.recognition.sample_vote import accuracy
from desktop.training.config import TrainingConfig
from nncore import EpochReport, Network, TrainingDiverged, TrainingState


@dataclass(frozen=True)
class TrainingData:
    """Arrays for one run: training features and labels, and what the run is tested on.

    features: (n, 8, 8) counts 0..16 as uint8 (compact to send to a process); test:
    load_digits' held-out split; drawn: pen-drawn digits of unseen writers (empty when
    the corpus has none). Both as (features (n, 8, 8) 0..16, labels).
    """

    features: np.ndarray
    labels: np.ndarray
    sources: tuple[str, ...]
    test: tuple[np.ndarray, np.ndarray]
    drawn: tuple[np.ndarray, np.ndarray]

    @property
    def has_drawn(self) -> bool:
        """True when drawn digits of unseen writers can be measured."""
        return len(self.drawn[1]) > 0


@dataclass(frozen=True)
class EpochFigures:
    """One epoch's report and its accuracy on drawn digits of unseen writers (None: none)."""

    report: EpochReport
    drawn_accuracy: float | None
    first_weights: np.ndarray | None = None  # (64, units), a few times a second


@dataclass(frozen=True)
class Trained:
    """A finished (or stopped, or diverged) run: the network keeps the last good weights.

    ``state`` continues it exactly (see ``nncore.TrainingState``); ``best_epoch`` is the
    epoch early stopping judged best (None without early stopping).
    """

    network: Network
    epochs_run: int
    error: str | None
    state: TrainingState | None = None
    best_epoch: int | None = None
    stopped_early: bool = False


def prepare(corpus: Corpus, sources: Sequence[str]) -> TrainingData:
    """The training arrays of ``sources`` (their training rows only) and the test sets.

    Raises ``ValueError`` in plain words when the sources hold no samples.
    """
    features, labels = corpus.training_set(sources)
    if len(labels) == 0:
        raise ValueError("the chosen training data holds no samples: tick at least one source")
    drawn_x, drawn_y, _ = corpus.drawn_validation()
    return TrainingData(
        features=features,
        labels=labels,
        sources=tuple(sources),
        test=corpus.test_set(),
        drawn=(drawn_x, drawn_y),
    )


def accuracy_on(network: Network, glyphs: tuple[np.ndarray, np.ndarray]) -> float | None:
    """Accuracy on (features (n, 8, 8), labels), or None when there are none."""
    features, labels = glyphs
    if len(labels) == 0:
        return None
    return accuracy(network, features, labels)  # with the user's samples' vote, if any


def train(
    config: TrainingConfig,
    data: TrainingData,
    *,
    start: tuple[Network, TrainingState] | None = None,
    on_epoch: Callable[[EpochFigures], None] | None = None,
    between_batches: Callable[[], bool] | None = None,
    weights_every: float | None = None,
) -> Trained:
    """Train a fresh network of ``config`` on ``data``, or continue ``start``'s run.

    ``start``: a network and the state its run ended with: ``config.epochs`` more
    epochs, as if the run had never stopped (same data and seed).

    ``on_epoch`` sees each epoch's figures (with a copy of the first layer's weights at
    most every ``weights_every`` seconds, to watch them form); ``between_batches`` is
    asked before every mini-batch step and ends the run when it returns True (the last
    completed epoch's weights are kept). A diverged run ends with its message in ``error``.
    """
    network = config.build_network() if start is None else start[0]
    inputs = network_input(data.features, network.dtype)
    # The whole training set as one batch until the validation share is split off; then
    # the configured batch, or the whole set if it is smaller (as in Keras: nncore itself
    # refuses a batch larger than the set, and "only my 40 drawings" should still train).
    options = {**config.fit_options(), "batch_size": 1.0}
    run = network.train(inputs, data.labels, **options, between_batches=between_batches,
                        resume=None if start is None else start[1])  # fmt: skip
    run.batch_size = min(config.batch_size, run.n_train)
    # Scored after every epoch: converted once, not per epoch.
    drawn_inputs = network_input(data.drawn[0], network.dtype) if data.has_drawn else None
    error = None
    try:
        last_weights = -np.inf
        for report in run:
            if on_epoch is not None:
                weights = None
                now = time.perf_counter()
                if weights_every is not None and now - last_weights >= weights_every:
                    weights, last_weights = network.weights[0].copy(), now
                drawn = None
                if drawn_inputs is not None:
                    drawn = float(np.mean(network.predict(drawn_inputs) == data.drawn[1]))
                on_epoch(EpochFigures(report, drawn, weights))
    except TrainingDiverged as diverged:
        error = str(diverged)
    history = run.history
    return Trained(network, len(history), error, run.checkpoint(), history.best_epoch,
                   history.stopped_early)  # fmt: skip


def describe(
    config: TrainingConfig, data: TrainingData, network: Network, epochs_run: int, how: str
) -> dict[str, object]:
    """The metadata a model file carries about ``network`` (plain JSON data)."""
    return {
        "preprocessing": DEFAULT_SETTINGS.to_dict(),
        "training": {
            "how": how,
            "architecture": config.summary(),
            "config": config.to_dict(),
            "sources": list(data.sources),
            "samples": len(data.labels),
            "epochs_run": epochs_run,
            "load_digits_test_accuracy": accuracy_on(network, data.test),
            "drawn_digits_accuracy": accuracy_on(network, data.drawn),
            "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        },
    }
