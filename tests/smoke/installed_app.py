"""Smoke test of an installed Digit Pad: train and fine-tune through the real process.

Run by ``.ci/run`` with the interpreter of a ``pip install .`` virtual environment, from
the clone's root, as a user following the README would: the process started in a folder
that holds another ``desktop/`` must still import the installed one. No Qt.
"""

from __future__ import annotations

import sys
import time
from typing import Any

import desktop
from desktop.data.corpus import CorpusFile
from desktop.recognizer import Recognizer
from desktop.training.config import HiddenLayer, TrainingConfig
from desktop.training.process import TrainingProcess


def run(process: TrainingProcess, kind: str, payload: tuple[Any, ...]) -> Any:
    """The result of one job, or exit with what the process said."""
    process.submit(kind, payload)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        message = process.receive(0.5)
        if message is not None and message[0] == "done":
            return message[1]
        if message is not None and message[0] in ("failed", "cancelled"):
            sys.exit(f"{kind}: {message}")
    sys.exit(f"{kind}: no result within 120 s")


def main() -> None:
    """Train two epochs and fine-tune on twenty samples in the installed training process."""
    assert "site-packages" in desktop.__file__, f"not the installed copy: {desktop.__file__}"
    config = TrainingConfig(hidden=(HiddenLayer(16, "relu"),), epochs=2)
    process = TrainingProcess()
    try:
        trained = run(process, "train", (config, CorpusFile(), None, None))
        corpus = CorpusFile().load()
        features, labels = corpus.test_set()
        mine = (features[:20].reshape(-1, 8, 8), labels[:20])
        network = Recognizer.default().network
        tuned = run(process, "fine_tune", (network, mine, CorpusFile()))
    finally:
        process.close()
    print(f"installed app: trained {trained.epochs_run} epochs, fine-tuned: {type(tuned).__name__}")
    assert trained.epochs_run == 2 and trained.test.accuracy > 0.5


if __name__ == "__main__":
    main()
