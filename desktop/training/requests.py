"""What the Train tab asks of the training process, and how the process carries it out.

A :class:`TrainRequest` says what to train (a configuration, its data) and, for the run
ledger, where to keep the model and where to continue from; :func:`run_training` does it
in the training process and returns the :class:`TrainingResult`. No Qt.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from desktop.data.corpus import MY_SAMPLES, CorpusSource
from desktop.data.personal_samples import SampleStore
from desktop.data.run_ledger import state_file
from desktop.training.config import TrainingConfig
from desktop.training.outcome import TrainingResult, evaluate
from desktop.training.session import (
    EpochFigures,
    TrainingData,
    describe,
    prepare,
    train,
)
from nncore import (
    ModelFileError,
    Network,
    TrainingState,
    load_training_state,
    save_training_state,
)


@dataclass(frozen=True)
class TrainRequest:
    """One run: ``config`` on ``corpus`` (plus the user's samples ``mine``, if any).

    ``in_use``: the model in use, scored on the same drawn digits for comparison.
    ``keep_as``: where to write the model and its training state (the run ledger's file).
    ``resume_from``: a kept model whose run to continue for ``config.epochs`` more epochs.
    """

    config: TrainingConfig
    corpus: CorpusSource
    mine: tuple[np.ndarray, np.ndarray] | None = None
    in_use: Network | None = None
    keep_as: Path | None = None
    resume_from: Path | None = None


def request_for(
    config: TrainingConfig,
    corpus: CorpusSource,
    samples: SampleStore | None,
    *,
    in_use: Network | None = None,
    keep_as: Path | None = None,
    resume_from: Path | None = None,
) -> TrainRequest:
    """A request for ``config``, with the user's samples when its sources include them."""
    mine = samples.arrays() if samples is not None and MY_SAMPLES in config.sources else None
    return TrainRequest(config, corpus, mine, in_use, keep_as, resume_from)


def run_training(
    request: TrainRequest,
    *,
    on_epoch: Callable[[EpochFigures], None] | None = None,
    between_batches: Callable[[], bool] | None = None,
    weights_every: float | None = None,
) -> TrainingResult:
    """Train (or continue) as ``request`` says; ``ValueError`` in plain words if it cannot."""
    data = training_data(request)
    start = None if request.resume_from is None else resumed(request.resume_from)
    trained = train(request.config, data, start=start, on_epoch=on_epoch,
                    between_batches=between_batches, weights_every=weights_every)  # fmt: skip
    how = "continued in the Train tab" if start else "trained in the Train tab"
    trained.network.metadata = describe(
        request.config, data, trained.network, trained.epochs_run, how
    )
    # Fewer epochs than asked, without divergence or early stopping: the user stopped it.
    stopped = trained.epochs_run < request.config.epochs and not (
        trained.error or trained.stopped_early
    )
    result = evaluate(trained.network, data, epochs_run=trained.epochs_run, stopped=stopped,
                      error=trained.error, in_use=request.in_use)  # fmt: skip
    keep_error = None
    if request.keep_as is not None and trained.error is None and trained.epochs_run:
        keep_error = keep(trained.network, trained.state, request.keep_as)
    return replace(
        result,
        best_epoch=trained.best_epoch,
        stopped_early=trained.stopped_early,
        epochs_before=0 if start is None else start[1].epochs_done,
        model_file=request.keep_as.name if request.keep_as and keep_error is None else None,
        keep_error=keep_error,
    )


def training_data(request: TrainRequest) -> TrainingData:
    """The arrays ``request`` trains on: its corpus's chosen sources, with the user's samples."""
    corpus = request.corpus.load()
    if request.mine is not None:
        corpus = corpus.with_samples(*request.mine)
    return prepare(corpus, request.config.sources)


def resumed(model: Path) -> tuple[Network, TrainingState]:
    """The network kept in ``model`` and the training state beside it."""
    try:
        return Network.load(model), load_training_state(state_file(model))
    except ModelFileError as error:
        raise ValueError(f"the run to continue cannot be read ({error})") from None


def keep(network: Network, state: TrainingState | None, path: Path) -> str | None:
    """Write ``network`` and the training state that continues it (if any) to ``path``.

    Returns why they could not be written, in plain words, or None.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        network.save(path)
        if state is not None:
            save_training_state(state_file(path), state)
    except OSError as error:
        path.unlink(missing_ok=True)
        return f"Its model could not be kept for the run history: {error.strerror or error}."
    return None
