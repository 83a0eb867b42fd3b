"""The warm training process: ``python -m desktop.training.server`` (no Qt, never prints).

The app starts it once, in the background, and hands it one job at a time over its
standard input; replies go back over its standard output (anything else the process
prints goes to standard error, so it cannot corrupt the channel). It is started with
``-m`` (a bundle: its own executable with ``--training-process``), so it never imports
the host program's ``__main__``.

Messages (:mod:`desktop.training.channel` frames), parent to child: ``(kind, payload)``
for a job of :data:`JOBS`; ``("stop",)``, ``("pause",)``, ``("resume",)`` while a job
runs (read between two mini-batches); ``("quit",)``. Child to parent: ``("ready", pid)``
once, then ``("alive",)`` every :data:`HEARTBEAT_S` seconds from a thread of its own
(a frozen process falls silent), and per job ``("epochs", [EpochFigures])`` (at most ~60
times a second), ``("status", text)``, and last ``("done", result)``, ``("cancelled",)``
or ``("failed", text)``. The process ends when told to quit or when its input ends (the
window is gone).
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from typing import IO, Any

import numpy as np

from desktop.data.corpus import CorpusError, CorpusFile
from desktop.training.channel import ChannelError, Inbox, Message, write_frame
from desktop.training.config import TrainingConfig
from desktop.training.fine_tuning import FineTuneCancelled, fine_tune, rehearsal_set
from desktop.training.learning_rates import HIGHEST, LOWEST, range_test
from desktop.training.requests import keep, run_training, training_data
from desktop.training.session import EpochFigures, prepare, train

Reply = Callable[[tuple[Any, ...]], None]
# Epoch reports are sent in batches at most this often, so a run of very fast epochs
# cannot flood the pipe or the GUI's event queue.
SEND_INTERVAL = 1 / 60
CONTROL_WORDS = ("stop", "pause", "resume")
WEIGHTS_EVERY = 0.25  # seconds between snapshots of the first layer's weights
WARM_UP_SAMPLES = 4096  # half trained on, half scored at once, as a run's validation share
HEARTBEAT_S = 0.5


class Outgoing:
    """Replies to the window, one frame at a time whichever thread sends them."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self._lock = threading.Lock()

    def send(self, message: Message) -> None:
        """Write ``message`` (blocks while the pipe is full: the window reads it)."""
        with self._lock:
            write_frame(self._stream, message)

    def beat(self, stop: threading.Event) -> None:
        """Say "alive" every ``HEARTBEAT_S`` until ``stop`` is set or the window is gone."""
        while not stop.wait(HEARTBEAT_S):
            try:
                self.send(("alive",))
            except (OSError, ValueError):
                return


class Controls:
    """The parent's stop and pause requests, read from the channel between mini-batches.

    A "quit" (the window closing) stops the job too, and is kept for the serving loop.
    """

    def __init__(self, inbox: Inbox, on_hold: Callable[[], None],
                 on_stop: Callable[[], None]) -> None:  # fmt: skip
        self._inbox = inbox
        self._on_hold = on_hold
        self._on_stop = on_stop
        self.stopped = False
        self.paused = False
        self.quit = False

    def should_stop(self) -> bool:
        """Read pending requests (holding here while paused); True once stop was asked."""
        while not self.stopped:
            if self.paused:
                self._on_hold()
            message = self._inbox.get(None if self.paused else 0)
            if message is None:
                break
            word = message[0]
            self.quit |= word == "quit"
            self.stopped |= word in ("stop", "quit")
            if self.stopped:
                self._on_stop()  # the window waits for this before it kills
            self.paused = word == "pause" or (self.paused and word not in ("resume", "stop"))
        return self.stopped


class EpochSender:
    """Sends epoch figures in batches, at most every ``SEND_INTERVAL`` seconds."""

    def __init__(self, reply: Reply) -> None:
        self._reply = reply
        self._pending: list[EpochFigures] = []
        self._last = time.perf_counter()

    def add(self, figures: EpochFigures) -> None:
        """Queue one epoch; send the queue when it is due."""
        self._pending.append(figures)
        if time.perf_counter() - self._last >= SEND_INTERVAL:
            self.flush()

    def status(self, text: str) -> None:
        """Say what the job is doing."""
        self._reply(("status", text))

    def stopping(self) -> None:
        """Say that a stop was seen: the job ends after this mini-batch."""
        self.flush()
        self._reply(("stopping",))

    def flush(self) -> None:
        """Send whatever is queued."""
        if self._pending:
            self._reply(("epochs", self._pending))
            self._pending, self._last = [], time.perf_counter()


def train_job(payload: tuple[Any, ...], controls: Controls, sender: EpochSender) -> object:
    """("train", (TrainRequest,)) -> a TrainingResult."""
    (request,) = payload
    result = run_training(request, on_epoch=sender.add, between_batches=controls.should_stop,
                          weights_every=WEIGHTS_EVERY)  # fmt: skip
    sender.flush()
    return result


def range_test_job(payload: tuple[Any, ...], controls: Controls, sender: EpochSender) -> object:
    """("range_test", (TrainRequest,)) -> a RangeTest of the request's configuration."""
    (request,) = payload
    sender.status(f"Trying learning rates from {LOWEST:g} to {HIGHEST:g}…")
    return range_test(request.config, training_data(request), stop=controls.should_stop)


def fine_tune_job(payload: tuple[Any, ...], controls: Controls, sender: EpochSender) -> object:
    """("fine_tune", (network, samples, strokes, corpus, keep_as)) -> a FineTuneResult.

    The tuned network is written to ``keep_as`` (the run ledger's file) when given.
    """
    network, user, strokes, source, keep_as = payload
    corpus = source.load()
    drawn_x, drawn_y, _ = corpus.drawn_validation()
    result = fine_tune(network, user, rehearsal_set(corpus), corpus.test_set(),
                       strokes=strokes, drawn=(drawn_x, drawn_y), progress=sender.status,
                       cancelled=controls.should_stop)  # fmt: skip
    if keep_as is None or keep(result.network, None, keep_as):
        return result  # not kept: the run's record says it has no model
    return replace(result, model_file=keep_as.name)


def warm_up() -> None:
    """Run a small training, then set up the default run on the bundled corpus, no step.

    The first run of a process paid more for its first epoch than later runs: time for
    BLAS set-up and memory pools for batch-sized products and for the large products of
    scoring thousands of validation samples at once (the small training has both), and
    more for the fresh memory of its corpus-sized arrays (the inputs, the validation
    split, an epoch's shuffled copy), which this machine gives slowly; the allocator then
    reuses what a process freed. Setting up the default run and stopping it before its
    first step touches those arrays while no one waits.
    """
    rng = np.random.default_rng(0)
    config = TrainingConfig(epochs=1, validation_split=0.5)  # the default run's products
    network = config.build_network()
    features, labels = rng.random((WARM_UP_SAMPLES, 64)), rng.integers(0, 10, WARM_UP_SAMPLES)
    for _report in network.train(features, labels, **config.fit_options()):
        pass  # one epoch, as a run of the Train tab trains it
    network.predict(features)
    try:
        corpus = CorpusFile().load()  # the corpus most runs use, read while nobody waits
    except CorpusError:
        return  # said when a run needs it
    default = TrainingConfig(epochs=1)
    train(default, prepare(corpus, default.sources), between_batches=lambda: True)


JOBS: dict[str, Callable[[tuple[Any, ...], Controls, EpochSender], object]] = {
    "train": train_job,
    "fine_tune": fine_tune_job,
    "range_test": range_test_job,
}


def serve(inbox: Inbox, outbox: Outgoing) -> None:
    """Answer jobs until told to quit or until the parent is gone."""
    outbox.send(("ready", os.getpid()))
    stop_beating = threading.Event()
    threading.Thread(target=outbox.beat, args=(stop_beating,), name="heartbeat",
                     daemon=True).start()  # fmt: skip
    try:
        warm_up()
        _serve_jobs(inbox, outbox)
    finally:
        stop_beating.set()


def _serve_jobs(inbox: Inbox, outbox: Outgoing) -> None:
    while True:
        try:
            message = inbox.get(None)
        except (EOFError, ChannelError):
            return  # the parent is gone, or its channel broke: nobody to answer
        assert message is not None  # get(None) waits for one
        kind = message[0]
        if kind == "quit":
            return
        if kind in CONTROL_WORDS:
            continue  # a request that came after its job ended
        sender = EpochSender(outbox.send)
        controls = Controls(inbox, sender.flush, sender.stopping)
        try:
            job = JOBS[kind]
            outbox.send(("done", job(message[1], controls, sender)))
        except FineTuneCancelled:
            outbox.send(("cancelled",))
        except ValueError as error:  # the job's data or settings cannot be used
            reason = str(error)
            outbox.send(("failed", reason[:1].upper() + reason[1:] + "."))
        except (EOFError, ChannelError):
            return  # the parent went away in the middle of the job
        except Exception as error:  # a bug: say so, and stay available for the next job
            outbox.send(("failed", f"{type(error).__name__}: {error}"))
        if controls.quit:
            return


def main() -> None:
    """Serve on standard input and output."""
    if hasattr(os, "nice"):  # POSIX only; elsewhere the process keeps its priority
        os.nice(5)  # the window's thread comes first when both want the CPU
    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # whatever else writes to standard output lands on standard error
    sys.stdout = sys.stderr
    serve(Inbox(sys.stdin.buffer, "window requests"), Outgoing(replies))


if __name__ == "__main__":
    main()
