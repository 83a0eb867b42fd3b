"""``digit-pad --self-check``: train and fine-tune briefly through the real training process.

For an installation (a virtual environment, a bundle, a ``.deb``) to prove, without a
window, that its training process starts, finds the bundled corpus and model, trains and
fine-tunes. No Qt.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from desktop.data.corpus import CorpusFile
from desktop.data.synthetic import sample_strokes
from desktop.recognizer import Recognizer
from desktop.training.config import HiddenLayer, TrainingConfig
from desktop.training.process import TrainingProcess, TrainingProcessError
from desktop.training.requests import TrainRequest

JOB_TIMEOUT = 120.0  # seconds for each of the two small jobs


def run_job(process: TrainingProcess, kind: str, payload: tuple[Any, ...]) -> Any:
    """The result of one job; :class:`TrainingProcessError` if it fails or takes too long."""
    process.submit(kind, payload)
    deadline = time.monotonic() + JOB_TIMEOUT
    while time.monotonic() < deadline:
        message = process.receive(0.5)
        if message is None or message[0] in ("epochs", "status", "stopping"):
            continue
        if message[0] == "done":
            return message[1]
        raise TrainingProcessError(f"The {kind} job ended with {message!r}.")
    raise TrainingProcessError(f"The {kind} job gave no result within {JOB_TIMEOUT:.0f} s.")


def self_check() -> str:
    """Train 2 epochs and fine-tune on 20 samples; one line saying what happened."""
    config = TrainingConfig(hidden=(HiddenLayer(16, "relu"),), epochs=2)
    process = TrainingProcess()
    try:
        trained = run_job(process, "train", (TrainRequest(config, CorpusFile()),))
        recognizer, rng = Recognizer.default(), np.random.default_rng(0)
        strokes = [sample_strokes(digit, rng) for digit in range(10) for _ in range(2)]
        features = [recognizer.stroke_features(drawing) for drawing in strokes]
        mine = (np.array(features), np.repeat(np.arange(10), 2))
        payload = (recognizer.network, mine, strokes, CorpusFile(), None)
        tuned = run_job(process, "fine_tune", payload)
    finally:
        process.close()
    if trained.epochs_run != 2 or trained.test.accuracy < 0.5:
        raise TrainingProcessError(f"The check's training went wrong: {trained!r}")
    return (
        f"self-check passed: trained {trained.epochs_run} epochs "
        f"({trained.test.accuracy:.1%} on load_digits' test split), "
        f"fine-tuned on {len(strokes)} drawn samples ({type(tuned).__name__})"
    )
