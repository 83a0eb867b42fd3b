"""Training from the GUI: a worker thread that runs the training in a child process.

Use: ``worker.moveToThread(thread)``; ``thread.started -> worker.run``. The worker loads
the data, starts :func:`desktop.training.process.train` in a spawned process (its own
interpreter lock, so the window stays responsive however fast epochs are), relays its
reports as signals with plain payloads, and evaluates the final network. The GUI connects
the signals to methods of its own class (which Qt runs in the GUI thread). ``stop()``,
``pause()`` and ``resume()`` are safe from any thread and take effect between epochs.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QObject, Signal, Slot

from desktop.data.digits import load_digit_images, split_load_digits
from desktop.recognition.features import network_input
from desktop.training import process as training_process
from desktop.training.config import TrainingConfig
from desktop.training.fine_tuning import FineTuneCancelled, fine_tune
from desktop.training.outcome import evaluate
from nncore import Network

DataLoader = Callable[[], tuple[np.ndarray, np.ndarray]]
# "spawn" starts a clean interpreter: forking a process that runs Qt threads is unsafe.
CONTEXT = multiprocessing.get_context("spawn")
JOIN_SECONDS = 2.0  # a process that has sent its result exits at once; this is a bound


class TrainingWorker(QObject):
    """Trains ``config`` on the data ``load_data`` returns (default: ``load_digits``)."""

    status_changed = Signal(str)
    epochs_finished = Signal(list)  # [EpochReport, ...] since the last batch
    finished = Signal(object)  # TrainingResult
    failed = Signal(str)  # the run could not start or crashed: plain words
    done = Signal()  # always last: the thread may quit

    def __init__(self, config: TrainingConfig, load_data: DataLoader = load_digit_images) -> None:
        super().__init__()
        self.config = config
        self._load_data = load_data
        self._stop = CONTEXT.Event()
        self._running = CONTEXT.Event()
        self._running.set()
        self._process: multiprocessing.process.BaseProcess | None = None

    def stop(self) -> None:
        """End the run before its next epoch (also wakes a paused run)."""
        self._stop.set()
        self._running.set()

    def abort(self) -> None:
        """End the run now: the training process is killed (nothing is kept)."""
        self.stop()
        process = self._process
        if process is not None and process.is_alive():
            process.kill()

    def pause(self) -> None:
        """Hold the run between epochs."""
        self._running.clear()

    def resume(self) -> None:
        """Continue a paused run."""
        self._running.set()

    @Slot()
    def run(self) -> None:
        """Load, train, evaluate; emits ``finished`` or ``failed``, then ``done``."""
        try:
            self._run()
        except Exception as error:  # a bug must not kill the thread silently
            self.failed.emit(f"Training failed unexpectedly: {error}")
        finally:
            self.done.emit()

    def _run(self) -> None:
        config = self.config
        self.status_changed.emit("Loading the digits…")
        images, labels = self._load_data()
        images_train, images_test, labels_train, labels_test = split_load_digits(images, labels)
        X_train = network_input(images_train)

        receiver, sender = CONTEXT.Pipe(duplex=False)
        process = CONTEXT.Process(
            target=training_process.train,
            args=(config, X_train, labels_train, sender, self._stop, self._running),
            daemon=True,  # never outlives the app
        )
        self.status_changed.emit("Starting…")
        self._process = process
        process.start()
        sender.close()  # the child holds the only writing end now
        outcome = None
        try:
            while outcome is None:
                if receiver.poll(0.05):
                    message = receiver.recv()
                    if message[0] == "epochs":
                        self.epochs_finished.emit(message[1])
                        self.status_changed.emit("Training…")
                    else:
                        outcome = message
                elif not process.is_alive() and not receiver.poll():
                    break
        except EOFError:  # the child ended without saying "done"
            pass
        process.join(JOIN_SECONDS)
        if process.is_alive():  # it said "done" but does not exit: end it
            process.kill()
            process.join(JOIN_SECONDS)
        if outcome is None:
            self.failed.emit(
                f"Training stopped unexpectedly (the training process exited with code "
                f"{process.exitcode})."
            )
            return

        _, params, epochs_run, error = outcome
        network = config.build_network()
        network.set_params(params)
        result = evaluate(
            network, images_test, labels_test,
            epochs_run=epochs_run, stopped=self._stop.is_set(), error=error,
        )  # fmt: skip
        self.finished.emit(result)


class FineTuneWorker(QObject):
    """Fine-tunes ``network`` on the user's samples in a worker thread (same pattern).

    load_digits' fixed test split stays held out. ``stop()`` cancels within a step.
    """

    status_changed = Signal(str)
    finished = Signal(object)  # FineTuneResult
    failed = Signal(str)
    done = Signal()

    def __init__(
        self,
        network: Network,
        samples: tuple[np.ndarray, np.ndarray],
        load_data: DataLoader = load_digit_images,
    ) -> None:
        super().__init__()
        self.network = network
        self.samples = samples
        self._load_data = load_data
        self._stop = threading.Event()  # fine-tuning runs in this thread, not a process

    def stop(self) -> None:
        """Cancel before the next mini-batch step."""
        self._stop.set()

    def abort(self) -> None:
        """The same as :meth:`stop`: a thread cannot be killed, only asked."""
        self.stop()

    @Slot()
    def run(self) -> None:
        """Load the digits, fine-tune, emit ``finished`` or ``failed``, then ``done``."""
        try:
            self.status_changed.emit("Loading the digits…")
            images, labels = self._load_data()
            base_X, test_X, base_y, test_y = split_load_digits(images, labels)
            result = fine_tune(
                self.network, self.samples, (base_X, base_y), (test_X, test_y),
                progress=self.status_changed.emit, cancelled=self._stop.is_set,
            )  # fmt: skip
            self.finished.emit(result)
        except FineTuneCancelled:
            self.failed.emit("Fine-tuning was cancelled; nothing changed.")
        except ValueError as error:
            self.failed.emit(str(error).capitalize() + ".")
        except Exception as error:  # a bug must not kill the thread silently
            self.failed.emit(f"Fine-tuning failed unexpectedly: {error}")
        finally:
            self.done.emit()
