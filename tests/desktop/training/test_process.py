"""The training process imports the same Digit Pad as the window, wherever it is started."""

from __future__ import annotations

import os
import signal
import sys
import time

import pytest
from small_corpus import small_corpus

from desktop.data.corpus import CorpusFile
from desktop.training.config import HiddenLayer, TrainingConfig
from desktop.training.process import TrainingProcess, TrainingProcessError
from desktop.training.requests import TrainRequest
from desktop.training.self_check import run_job


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
        result = run_job(process, "train", (TrainRequest(config, CorpusFile(corpus_path)),))
    finally:
        process.close()
    assert result.epochs_run == 2


# A stand-in for the training process that speaks the protocol and then misbehaves.
FAKE = """
import sys, time
from desktop.training.channel import write_frame
out = sys.stdout.buffer
write_frame(out, ("ready", 1))
if {garbage!r}:
    out.write(b"\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x05junk!"); out.flush()
while True:
    write_frame(out, ("alive",)); time.sleep(0.2)
"""


def _fake(garbage: bool) -> list[str]:
    return [sys.executable, "-c", FAKE.format(garbage=garbage)]


def test_garbage_from_the_process_ends_it_with_a_plain_message() -> None:
    process = TrainingProcess(_fake(garbage=True))
    try:
        with pytest.raises(TrainingProcessError, match=r"not a message.*it was ended"):
            process.wait_ready()
            while True:
                process.receive(0.5)
        assert not process.alive
    finally:
        process.close()


@pytest.mark.skipif(not hasattr(signal, "SIGSTOP"), reason="freezing a process is POSIX")
def test_a_frozen_process_is_noticed_and_ended(tmp_path) -> None:
    process = TrainingProcess()
    try:
        process.wait_ready()
        assert process.pid is not None
        os.kill(process.pid, signal.SIGSTOP)
        for _ in range(1000):  # requests go on without blocking, though nobody reads
            process.control("pause")
            process.control("resume")
        started = time.monotonic()
        with pytest.raises(TrainingProcessError, match="stopped answering"):
            while time.monotonic() - started < 30:
                process.receive(0.5)
        assert not process.alive
    finally:
        process.close()
