"""The Train tab: train a network from the GUI and watch every epoch.

A form (what to train, on which data), the live plots (how it goes), the results (how it
did) and the controls; the run is a :class:`JobRunner` on the warm training process,
owned by a :class:`WorkerThread`. Where a run is in its life is one :class:`RunState`,
changed only by :meth:`TrainTab._enter`, which also sets what the controls allow.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum

from PySide6.QtCore import QSettings, QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from desktop.data.corpus import MY_SAMPLES, CorpusSource, open_corpus
from desktop.data.personal_samples import SampleStore
from desktop.training.config import TrainingConfig
from desktop.training.outcome import TrainingResult
from desktop.training.process import TrainingProcess
from desktop.training.run_clock import duration
from desktop.ui import settings as keys
from desktop.ui.support.job_runner import JobRunner
from desktop.ui.support.later import later
from desktop.ui.support.worker_thread import WorkerThread
from desktop.ui.train.run_view import RunView
from desktop.ui.train.training_form import TrainingForm
from desktop.ui.train.training_results import TrainingResults
from desktop.ui.widgets.controls import (
    button_row,
    confirm_losing,
    named_button,
    page_contents,
    reserved_label,
    say_within,
    scrolling,
    show_error,
)
from desktop.words import counted
from nncore import Network

# A run that has trained this long is worth a question before closing the window ends it.
ASK_BEFORE_ENDING_S = 30.0


class RunState(Enum):
    """Where the Train tab's run is in its life."""

    IDLE = "idle"  # no run: the form can be edited and Start pressed
    RUNNING = "running"
    PAUSED = "paused"
    STOPPING = "stopping"  # Stop was pressed; the process ends the run within a mini-batch
    FINISHING = "finishing"  # the run ended: its result is shown in a later frame
    ENDING = "ending"  # the result is shown; the run's thread is ending


class TrainTab(QWidget):
    """Train a network on the corpus from the GUI; the window stays responsive."""

    use_model_requested = Signal(object)  # Network
    save_model_requested = Signal(object)  # Network
    training_finished = Signal(object)  # TrainingResult

    def __init__(
        self,
        process: TrainingProcess,
        settings: QSettings | None = None,
        corpus: CorpusSource | None = None,
        samples: SampleStore | None = None,
        model_in_use: Callable[[], Network] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.training_process = process
        self.settings = settings
        self.samples = samples
        self.model_in_use = model_in_use
        self.corpus_note: str | None = None
        self.state = RunState.IDLE
        self.settings_notices: list[str] = []  # remembered values that had to be reset
        self._in_use_at_start: Network | None = None  # the model in use when a run started
        self._last_started: TrainingConfig | None = None
        if corpus is None:
            corpus, self.corpus_note = open_corpus()
        self.corpus = corpus  # loaded in the worker thread, when a run starts
        self.worker_thread = WorkerThread(self)
        self.worker_thread.ended.connect(self._on_worker_thread_ended)

        self.form = TrainingForm(corpus.sizes())
        self.form.changed.connect(self._on_form_changed)
        self.plots = RunView()
        self.results = TrainingResults()
        self.results.use_requested.connect(self.use_model_requested)
        self.results.save_requested.connect(self.save_model_requested)
        self.train_button = named_button("Start", "trainButton", slot=self.start)
        self.pause_button = named_button("Pause", "pauseButton")
        self.pause_button.setCheckable(True)
        self.pause_button.toggled.connect(self._on_pause_button_toggled)
        self.stop_button = named_button("Stop", "stopButton", slot=self.stop)
        # Two lines reserved: a longer status would resize (and repaint) the plots.
        self.status_label = reserved_label(self.corpus_note or "Ready.", "trainStatusLabel", 2)

        buttons = button_row(self.train_button, self.pause_button, self.stop_button)
        # The log-scale switch sits beside the status, not the buttons, so that the middle
        # column (and the window) can be narrow.
        status = QHBoxLayout()
        status.addWidget(self.status_label, 1)
        status.addWidget(self.plots.log_check, 0, Qt.AlignmentFlag.AlignTop)
        middle = QVBoxLayout()
        middle.addLayout(buttons)
        middle.addLayout(status)
        middle.addWidget(self.plots, 1)
        layout = QHBoxLayout(page_contents(self))
        self.form_area = scrolling(self.form, "formArea")
        layout.addWidget(self.form_area, 0)
        layout.addLayout(middle, 3)
        layout.addWidget(self.results, 2)

        self.show_sample_count()
        config = self._saved_config() or TrainingConfig()
        if self.samples is not None and self.samples.samples and MY_SAMPLES not in config.sources:
            config = config.with_changes(sources=(*config.sources, MY_SAMPLES))
        self.form.set_config(config)
        self._enter(RunState.IDLE)

    def show_sample_count(self) -> None:
        """Bring the "my samples" source up to date (after samples were kept or deleted)."""
        self.form.set_sample_count(0 if self.samples is None else len(self.samples.samples))

    @property
    def is_running(self) -> bool:
        """True from Start until the run's thread has ended and its result is shown."""
        return self.state is not RunState.IDLE

    def start(self) -> bool:
        """Start training the form's configuration; False if it cannot start."""
        config = self.form.config()
        if self.state is not RunState.IDLE or config is None or config.problems():
            return False
        self._last_started = config  # remembered when the window closes (see shutdown)
        self.plots.start(config.epochs)
        mine = None
        if self.samples is not None and MY_SAMPLES in config.sources:
            mine = self.samples.arrays()
        # The process reads the corpus itself, and scores the model in use for comparison
        # (so the GUI thread does not, when the run ends).
        self._in_use_at_start = self.model_in_use() if self.model_in_use is not None else None
        payload = (config, self.corpus, mine, self._in_use_at_start)
        worker = JobRunner(self.training_process, "train", payload)
        # C++ slots and methods of GUI classes: Qt runs them in the GUI thread.
        worker.status_changed.connect(self.status_label.setText)
        worker.epochs_finished.connect(self.plots.add)
        worker.finished.connect(self._on_worker_finished)
        worker.failed.connect(self._on_worker_failed)
        worker.cancelled.connect(self._on_worker_cancelled)
        self.worker_thread.start(worker)
        self._enter(RunState.RUNNING)
        later(self.results, self.results.await_run)  # a frame of its own, as the form's
        return True

    def may_end_run(self) -> bool:
        """True unless a run that has trained a while is going and the user keeps it.

        Asked when the window closes: a run of a few seconds is cheap to do again, one
        of minutes is not (Stop keeps what it learned; closing does not).
        """
        if self.state not in (RunState.RUNNING, RunState.PAUSED):
            return True
        if self.plots.clock.elapsed() < ASK_BEFORE_ENDING_S:
            return True
        epochs = counted(self.plots.series.count, "epoch")
        return confirm_losing(
            self, "A network is training",
            f"It has trained {epochs} in {duration(self.plots.clock.elapsed())}. Close "
            "Digit Pad and lose it? (Stop keeps what it learned, to use or save.)",
        )  # fmt: skip

    def stop(self) -> None:
        """Ask the run to end (the result of the epochs done so far is kept)."""
        if self.state in (RunState.RUNNING, RunState.PAUSED):
            self.worker_thread.stop()
            self._enter(RunState.STOPPING)
            self.status_label.setText("Stopping…")

    def shutdown(self) -> None:
        """End any run within a bounded time, and remember the last configuration started.

        Not written at Start: writing the settings file takes the GUI thread a while
        (locked, written, synced to disk), in the same frame as the plots' reset.
        """
        self.worker_thread.shutdown()
        if self.settings is not None and self._last_started is not None:
            self.settings.setValue(keys.TRAIN_CONFIG, self._last_started.to_json())

    def _enter(self, state: RunState) -> None:
        """Move the run to ``state`` and let the controls allow what it allows."""
        self.state = state
        idle, active = state is RunState.IDLE, state in (RunState.RUNNING, RunState.PAUSED)
        self.train_button.setEnabled(idle and not self.form.problems())
        self.stop_button.setEnabled(active)
        self.pause_button.setEnabled(active)
        if idle:
            self.form.setEnabled(True)
        else:  # greyed a frame later: with Start's other changes, more than a frame's work
            later(self.form, lambda: self.form.setEnabled(self.state is RunState.IDLE))
        with QSignalBlocker(self.pause_button):  # shows the state; does not ask for it
            self.pause_button.setChecked(state is RunState.PAUSED)
        self.pause_button.setText("Resume" if state is RunState.PAUSED else "Pause")

    def _on_form_changed(self) -> None:
        if self.state is RunState.IDLE:
            self.train_button.setEnabled(not self.form.problems())

    def _on_pause_button_toggled(self, paused: bool) -> None:
        worker = self.worker_thread.worker
        if self.state not in (RunState.RUNNING, RunState.PAUSED) or worker is None:
            return
        assert isinstance(worker, JobRunner)
        if paused:
            worker.pause()
            self.plots.clock.pause()
        else:
            worker.resume()
            self.plots.clock.resume()
        self._enter(RunState.PAUSED if paused else RunState.RUNNING)
        self.status_label.setText("Paused" if paused else "Training…")

    def _on_worker_finished(self, result: TrainingResult) -> None:
        self.plots.finish()
        say_within(self.status_label, result.error or ("Stopped." if result.stopped else "Done."))
        self._enter(RunState.FINISHING)
        # The results in a later frame than the plots' last redraw: together they are
        # more than a frame's work (a confusion matrix, a gallery, the model in use).
        later(self, lambda: self._show_result(result))

    def _show_result(self, result: TrainingResult) -> None:
        in_use = self.model_in_use() if self.model_in_use is not None else None
        # The process scored the model in use at Start; another one since is scored here.
        changed = in_use is not self._in_use_at_start
        self.results.show_result(result, in_use if changed else None)
        self.training_finished.emit(result)
        # The controls come back a frame later: with the result, the re-enabled form is
        # more than a frame's painting.
        later(self, self._after_result)

    def _after_result(self) -> None:
        self._enter(RunState.ENDING if self.worker_thread.running else RunState.IDLE)

    def _on_worker_failed(self, message: str) -> None:
        self._on_worker_cancelled(message)
        self.results.show_message(message)
        show_error(self, "The run could not go on", message)  # all of it, however long

    def _on_worker_cancelled(self, message: str = "Stopped before the first epoch.") -> None:
        self.plots.finish()
        say_within(self.status_label, message)  # all of it under Result and in the tooltip

    def _on_worker_thread_ended(self) -> None:
        if self.state is not RunState.FINISHING:  # else once the result is shown
            self._enter(RunState.IDLE)

    def _saved_config(self) -> TrainingConfig | None:
        if self.settings is None:
            return None
        checked = keys.CheckedSettings(self.settings)
        what = "The last training settings"
        text = checked.text(keys.TRAIN_CONFIG, what, keys.TEXT_LIMIT)
        config = TrainingConfig.from_json(text) if text else None
        if text and config is None:
            checked.forget(keys.TRAIN_CONFIG, what, "they could not be used; the defaults are back")
        self.settings_notices = checked.notices
        return config
