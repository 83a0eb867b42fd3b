"""Build the bundled model from the shipped corpus, through the Train tab's own code path.

The recipe is a :class:`TrainingConfig` (the Train tab's settings, with more epochs) on
the corpus's default sources; :func:`desktop.training.session.train` trains it exactly as
a run in the Train tab does, ``MEMBERS`` times from seeds ``seed``, ``seed + 1``, ...,
and the runs are averaged as one network (:func:`nncore.merge`): a single run's reading
of new writers moves by about half a point from seed to seed, their average does not
(``tests/bench/drawn_digits.py``, docs/performance.md). The model file records the
recipe, the data and its figures on load_digits' test split and on drawn digits of
writers it never saw.
"""

from __future__ import annotations

import time
from pathlib import Path

from desktop.data.corpus import Corpus, CorpusFile
from desktop.training.config import TrainingConfig
from desktop.training.ensemble import mark_members
from desktop.training.session import TrainingData, describe, prepare, train
from nncore import Network, merge

# The batch size is the one the shipped model was built with (the Train tab's default
# was 32 then): the recipe reproduces resources/model.npz.
RECIPE = TrainingConfig(epochs=30, batch_size=32, validation_split=0.0, seed=0)
HOW = "bundled model: python -m desktop.build model"
MEMBERS = 5  # runs averaged; 5 reads new writers better than 3 (docs/performance.md)


def build(
    recipe: TrainingConfig = RECIPE, corpus: Corpus | None = None, members: int = MEMBERS
) -> Network:
    """Train ``recipe`` on ``corpus`` (default: the shipped one); metadata holds its figures."""
    started = time.perf_counter()
    corpus = corpus if corpus is not None else CorpusFile().load()
    data = prepare(corpus, recipe.sources)
    network = train_members(recipe, data, members)
    metadata = describe(recipe, data, network, recipe.epochs, HOW)
    training = metadata["training"]
    assert isinstance(training, dict)  # describe() made it
    if members > 1:
        training["architecture"] = f"{members} runs averaged, each {training['architecture']}"
    training["seconds"] = round(time.perf_counter() - started, 1)
    network.metadata.update(metadata)
    return network


def train_members(recipe: TrainingConfig, data: TrainingData, members: int) -> Network:
    """``members`` runs of ``recipe`` from consecutive seeds, averaged as one network."""
    runs = []
    for member in range(members):
        trained = train(recipe.with_changes(seed=recipe.seed + member), data)
        if trained.error:
            raise RuntimeError(trained.error)
        runs.append(trained.network)
    return mark_members(merge(runs), members)


def default_path() -> Path:
    """resources/model.npz of this checkout."""
    return Path(__file__).resolve().parents[2] / "resources" / "model.npz"
