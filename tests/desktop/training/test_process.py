"""The training process imports the same Digit Pad as the window, wherever it is started."""

from __future__ import annotations

import time

from small_corpus import small_corpus

from desktop.data.corpus import CorpusFile
from desktop.training.config import HiddenLayer, TrainingConfig
from desktop.training.process import TrainingProcess


def _run(process: TrainingProcess, payload: tuple[object, ...]) -> tuple[object, ...]:
    process.submit("train", payload)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        message = process.receive(0.5)
        if message is not None and message[0] in ("done", "failed"):
            return message
    raise AssertionError("the training process gave no result within 60 s")


def test_a_folder_with_another_desktop_package_does_not_shadow_this_one(
    tmp_path, monkeypatch
) -> None:
    # The README's install (pip install .) started from the clone's root: the working
    # folder holds a desktop/ that is not the one the window imported.
    decoy = tmp_path / "folder" / "desktop"
    decoy.mkdir(parents=True)
    (decoy / "__init__.py").write_text("raise ImportError('the decoy desktop/ was imported')\n")
    corpus_path = tmp_path / "corpus.npz"
    small_corpus(100).load().save(corpus_path)
    monkeypatch.chdir(decoy.parent)
    config = TrainingConfig(hidden=(HiddenLayer(8, "relu"),), epochs=2, batch_size=32)
    process = TrainingProcess()
    try:
        reply = _run(process, (config, CorpusFile(corpus_path), None, None))
    finally:
        process.close()
    assert reply[0] == "done", reply
    assert reply[1].epochs_run == 2
