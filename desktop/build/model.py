"""Build the bundled model from the shipped corpus, through the Train tab's own code path.

The recipe is a :class:`TrainingConfig` (the Train tab's settings, with more epochs) on
the corpus's default sources; :func:`desktop.training.session.train` trains it exactly as
a run in the Train tab does, and the model file records the recipe, the data and its
figures on load_digits' test split and on drawn digits of writers it never saw.
"""

from __future__ import annotations

import time
from pathlib import Path

from desktop.data.corpus import Corpus, CorpusFile
from desktop.training.config import TrainingConfig
from desktop.training.session import describe, prepare, train
from nncore import Network

# The batch size is the one the shipped model was built with (the Train tab's default
# was 32 then): the recipe reproduces resources/model.npz.
RECIPE = TrainingConfig(epochs=30, batch_size=32, validation_split=0.0, seed=0)
HOW = "bundled model: python -m desktop.build model"


def build(recipe: TrainingConfig = RECIPE, corpus: Corpus | None = None) -> Network:
    """Train ``recipe`` on ``corpus`` (default: the shipped one); metadata holds its figures."""
    started = time.perf_counter()
    corpus = corpus if corpus is not None else CorpusFile().load()
    data = prepare(corpus, recipe.sources)
    trained = train(recipe, data)
    if trained.error:
        raise RuntimeError(trained.error)
    metadata = describe(recipe, data, trained, HOW)
    metadata["training"]["seconds"] = round(time.perf_counter() - started, 1)  # type: ignore[index]
    trained.network.metadata = metadata
    return trained.network


def default_path() -> Path:
    """resources/model.npz of this checkout."""
    return Path(__file__).resolve().parents[2] / "resources" / "model.npz"
