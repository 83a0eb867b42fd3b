"""The Train tab: train a network from the GUI and watch every epoch.

A form (what to train, on which data), the live plots (how it goes), the results (how it
did) and the controls; the run is a :class:`JobRunner` on the warm training process,
owned by a :class:`WorkerThread`. Where a run is in its life is one :class:`RunState`,
changed only by :meth:`TrainTab._enter`, which also sets what the controls allow.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from pathlib import Path

from PySide6.QtCore import QSettings, QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QTabWidget, QVBoxLayout, QWidget

from desktop.data.corpus import MY_SAMPLES, CorpusSource, open_corpus
from desktop.data.personal_samples import SampleStore
from desktop.data.run_ledger import RunLedger, RunRecord
from desktop.training.config import TrainingConfig
from desktop.training.outcome import TrainingResult
from desktop.training.process import TrainingProcess
from desktop.training.recording import RunRecorder, continuation, run_end, unfinished_end
from desktop.training.requests import TrainRequest
from desktop.training.run_clock import duration
from desktop.training.series import EpochSeries
from desktop.ui import settings as keys
from desktop.ui.support.job_runner import JobRunner
from desktop.ui.support.later import later
from desktop.ui.support.worker_thread import WorkerThread
from desktop.ui.train.run_view import RunView
from desktop.ui.train.runs_panel import RunsPanel
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
    use_file_requested = Signal(object)  # Path of a kept run's model
    copy_file_requested = Signal(object)  # Path of a kept run's model, to save elsewhere
    training_finished = Signal(object)  # TrainingResult

    def __init__(
        self,
        process: TrainingProcess,
        settings: QSettings | None = None,
        corpus: CorpusSource | None = None,
        samples: SampleStore | None = None,
        model_in_use: Callable[[], Network] | None = None,
        ledger: RunLedger | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.training_process = process
        self.settings = settings
        self.samples = samples
        self.model_in_use = model_in_use
        self.corpus_note: str | None = None
        self.state = RunState.IDLE
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
        self.recorder = RunRecorder(ledger if ledger is not None else RunLedger(None))
        self.runs = RunsPanel(self.recorder.ledger, settings)
        self.runs.overlay_requested.connect(self._on_runs_overlay_requested)
        self.runs.load_settings_requested.connect(self.form.set_config)
        self.runs.continue_requested.connect(self.continue_run)
        self.runs.use_requested.connect(self.use_file_requested)
        self.runs.save_requested.connect(self.copy_file_requested)
        self.train_button = named_button("Start", "trainButton", slot=self.start)
        self.pause_button = named_button("Pause", "pauseButton")
        self.pause_button.setCheckable(True)
        self.pause_button.toggled.connect(self._on_pause_button_toggled)
        self.stop_button = named_button("Stop", "stopButton", slot=self.stop)
        # Two lines reserved: a longer status would resize (and repaint) the plots.
        self.status_label = reserved_label(self.corpus_note or "Ready.", "trainStatusLabel", 2)

        layout = QHBoxLayout(page_contents(self))
        self.form_area = scrolling(self.form, "formArea")
        layout.addWidget(self.form_area, 0)
        layout.addLayout(_middle_column(self), 3)
        # The last run's result and every run kept, side by side as pages: the history
        # first when the tab opens, the result when a run ends.
        self.side_pages = QTabWidget()
        self.side_pages.setObjectName("resultPages")
        self.side_pages.addTab(self.results, "Result")
        self.side_pages.addTab(self.runs, "Runs")
        self.side_pages.setCurrentWidget(self.runs if self.runs.model.runs else self.results)
        layout.addWidget(self.side_pages, 2)

        self.show_sample_count()
        saved, self.settings_notices = keys.saved_training_config(settings)
        self.settings_notices += self.runs.settings_notices
        config = saved or TrainingConfig()
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
        keep_as = self.recorder.begin("train", config, self.form.sizes)
        self._launch(config, keep_as=keep_as)
        return True

    def continue_run(self, run: RunRecord) -> bool:
        """Train kept ``run`` for the form's number of epochs more, from where it ended."""
        if self.state is not RunState.IDLE:
            return False
        more = continuation(self.recorder.ledger, run, self.form.epochs_spin.value())
        if isinstance(more, str):
            show_error(self, "This run cannot be continued", more)
            return False
        keep_as = self.recorder.begin("continue", more.recorded, self.form.sizes, run.id)
        self._launch(more.config, keep_as=keep_as, resume_from=more.model, before=more.before)
        return True

    def _launch(
        self,
        config: TrainingConfig,
        *,
        keep_as: Path | None,
        resume_from: Path | None = None,
        before: EpochSeries | None = None,
    ) -> None:
        self.plots.start(config.epochs, before)
        mine = None
        if self.samples is not None and MY_SAMPLES in config.sources:
            mine = self.samples.arrays()
        # The process reads the corpus itself, and scores the model in use for comparison
        # (so the GUI thread does not, when the run ends).
        self._in_use_at_start = self.model_in_use() if self.model_in_use is not None else None
        request = TrainRequest(config, self.corpus, mine, self._in_use_at_start, keep_as,
                               resume_from)  # fmt: skip
        worker = JobRunner(self.training_process, "train", (request,))
        # C++ slots and methods of GUI classes: Qt runs them in the GUI thread.
        worker.status_changed.connect(self.status_label.setText)
        worker.epochs_finished.connect(self.plots.add)
        worker.finished.connect(self._on_worker_finished)
        worker.failed.connect(self._on_worker_failed)
        worker.cancelled.connect(self._on_worker_cancelled)
        self.worker_thread.start(worker)
        self._enter(RunState.RUNNING)
        later(self.results, self.results.await_run)  # a frame of its own, as the form's

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
        self.recorder.ledger.close()
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
        self.runs.set_busy(not idle)

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
        self.plots.mark_best(result.best_epoch)
        self.recorder.end(run_end(result, self.plots.series, self.plots.clock.elapsed()))
        say_within(self.status_label, result.error or _ending(result))
        self._enter(RunState.FINISHING)
        # The results in a later frame than the plots' last redraw: together they are
        # more than a frame's work (a confusion matrix, a gallery, the model in use).
        later(self, lambda: self._show_result(result))

    def _show_result(self, result: TrainingResult) -> None:
        self.side_pages.setCurrentWidget(self.results)
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
        self.runs.refresh()
        self.runs.keep_within_budget()

    def _on_worker_failed(self, message: str) -> None:
        self._on_worker_cancelled(message, "failed")
        self.results.show_message(message)
        show_error(self, "The run could not go on", message)  # all of it, however long

    def _on_worker_cancelled(
        self, message: str = "Stopped before the first epoch.", ended: str = "stopped"
    ) -> None:
        self.plots.finish()
        seconds = self.plots.clock.elapsed()
        self.recorder.end(unfinished_end(message, self.plots.series, seconds, ended))
        say_within(self.status_label, message)  # all of it under Result and in the tooltip
        self.runs.refresh()

    def _on_runs_overlay_requested(self, runs: list[tuple[str, EpochSeries]]) -> None:
        if self.state is RunState.IDLE:  # a run in progress keeps its own curves
            self.plots.overlay(runs)

    def _on_worker_thread_ended(self) -> None:
        if self.state is not RunState.FINISHING:  # else once the result is shown
            self._enter(RunState.IDLE)


def _middle_column(tab: TrainTab) -> QVBoxLayout:
    """The run's controls and status over the plots."""
    middle = QVBoxLayout()
    middle.addLayout(button_row(tab.train_button, tab.pause_button, tab.stop_button))
    # The log-scale switch sits beside the status, not the buttons, so that the middle
    # column (and the window) can be narrow.
    status = QHBoxLayout()
    status.addWidget(tab.status_label, 1)
    status.addWidget(tab.plots.log_check, 0, Qt.AlignmentFlag.AlignTop)
    middle.addLayout(status)
    middle.addWidget(tab.plots, 1)
    return middle


def _ending(result: TrainingResult) -> str:
    """How a run that produced ``result`` ended, in a few words."""
    if result.stopped_early:
        return f"Stopped early: no progress; kept epoch {result.best_epoch}'s weights."
    return "Stopped." if result.stopped else "Done."
