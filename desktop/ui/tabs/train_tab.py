"""The Train tab: train a network from the GUI and watch every epoch.

A form (what to train, on which data), the live plots (how it goes), the results (how it
did) and the controls; the run is a :class:`JobRunner` on the warm training process,
owned by a :class:`WorkerThread`. Where a run is in its life is one :class:`RunState`,
changed only by :meth:`TrainTab._enter`, which also sets what the controls allow.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from functools import partial
from pathlib import Path

from PySide6.QtCore import QSettings, QSignalBlocker, Signal
from PySide6.QtWidgets import QWidget

from desktop.data.corpus import CorpusSource, open_corpus
from desktop.data.personal_samples import SampleStore
from desktop.data.run_ledger import RunLedger
from desktop.training.config import TrainingConfig, starting_config
from desktop.training.outcome import TrainingResult
from desktop.training.process import TrainingProcess
from desktop.training.recording import Continuation, RunRecorder, run_end, unfinished_end
from desktop.training.requests import TrainRequest, request_for
from desktop.training.series import EpochSeries
from desktop.ui import settings as keys
from desktop.ui.support.job_runner import JobRunner
from desktop.ui.support.later import later
from desktop.ui.support.worker_thread import WorkerThread
from desktop.ui.train.learning_rate_finder import LearningRateFinder
from desktop.ui.train.run_view import RunView
from desktop.ui.train.runs_panel import RunsPanel
from desktop.ui.train.train_layout import controls_over, lay_out, side_pages
from desktop.ui.train.training_form import TrainingForm
from desktop.ui.train.training_results import TrainingResults
from desktop.ui.widgets.controls import (
    confirm_losing,
    named_button,
    page_contents,
    reserved_label,
    say_within,
    scrolling,
    show_error,
)
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
        self.runs = RunsPanel(self.recorder.ledger, settings, self.form.epochs_spin.value)
        self.runs.overlay_requested.connect(self.plots.overlay)
        self.runs.load_settings_requested.connect(self.form.set_config)
        self.runs.continue_requested.connect(self.continue_run)
        self.runs.use_requested.connect(self.use_file_requested)
        self.runs.save_requested.connect(self.copy_file_requested)
        self.train_button = named_button("Start", "trainButton", slot=self.start)
        self.pause_button = named_button("Pause", "pauseButton")
        self.pause_button.setCheckable(True)
        self.pause_button.toggled.connect(self._on_pause_button_toggled)
        self.stop_button = named_button("Stop", "stopButton", slot=self.stop)
        self.lr_button = named_button(
            "Find learning rate", "lrFinderButton", slot=self.find_learning_rate,
            tip="A short test of learning rates from 1e-6 to 10 on these settings",
        )  # fmt: skip
        self.finder = LearningRateFinder(self.recorder, self.form.learning_rate_edit, self)
        self.finder.ended.connect(self._on_finder_ended)
        # Two lines reserved: a longer status would resize (and repaint) the plots.
        self.status_label = reserved_label(self.corpus_note or "Ready.", "trainStatusLabel", 2)
        self.runs.problem_found.connect(partial(say_within, self.status_label))

        self.form_area = scrolling(self.form, "formArea")
        self.side_pages = side_pages(self.results, self.runs)
        buttons = (self.train_button, self.pause_button, self.stop_button, self.lr_button)
        middle = controls_over(buttons, self.status_label, self.plots.log_check, self.plots)
        lay_out(page_contents(self), self.form_area, middle, self.side_pages)

        self.show_sample_count()
        saved, self.settings_notices = keys.saved_training_config(settings)
        self.settings_notices += self.runs.settings_notices
        self.form.set_config(starting_config(saved, bool(samples and samples.samples)))
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
        config = self._startable_config()
        if config is None:
            return False
        self._last_started = config  # remembered when the window closes (see shutdown)
        self._launch(config, keep_as=self.recorder.begin("train", config, self.form.sizes))
        return True

    def continue_run(self, more: Continuation) -> bool:
        """Train a kept run for more epochs, from where it ended."""
        if self.state is not RunState.IDLE:
            return False
        keep_as = self.recorder.begin("continue", more.recorded, self.form.sizes, more.parent)
        self._launch(more.config, keep_as=keep_as, resume_from=more.model, before=more.before)
        return True

    def find_learning_rate(self) -> bool:
        """Run the learning-rate range test on the form's configuration; False if it can't."""
        config = self._startable_config()
        if config is None:
            return False
        follow = partial(self.finder.follow, config=config, sizes=self.form.sizes)
        self._start_job("range_test", request_for(config, self.corpus, self.samples), follow)
        return True

    def _startable_config(self) -> TrainingConfig | None:
        config = self.form.config()
        if self.state is not RunState.IDLE or config is None or config.problems():
            return None
        return config

    def _launch(self, config: TrainingConfig, *, keep_as: Path | None,
                resume_from: Path | None = None,
                before: EpochSeries | None = None) -> None:  # fmt: skip
        self.plots.start(config.epochs, before)
        # The process reads the corpus itself, and scores the model in use for comparison
        # (so the GUI thread does not, when the run ends).
        self._in_use_at_start = self.model_in_use() if self.model_in_use is not None else None
        request = request_for(config, self.corpus, self.samples, in_use=self._in_use_at_start,
                              keep_as=keep_as, resume_from=resume_from)  # fmt: skip
        self._start_job("train", request, self._follow_run)
        later(self.results, self.results.await_run)  # a frame of its own, as the form's

    def _follow_run(self, worker: JobRunner) -> None:
        worker.epochs_finished.connect(self.plots.add)
        worker.finished.connect(self._on_worker_finished)
        worker.failed.connect(self._on_worker_failed)
        worker.cancelled.connect(self._on_worker_cancelled)

    def _start_job(self, kind: str, request: TrainRequest,
                   follow: Callable[[JobRunner], None]) -> None:  # fmt: skip
        worker = JobRunner(self.training_process, kind, (request,))
        # C++ slots and methods of GUI classes: Qt runs them in the GUI thread.
        worker.status_changed.connect(self.status_label.setText)
        follow(worker)
        self.worker_thread.start(worker)
        self._enter(RunState.RUNNING)

    def _on_finder_ended(self, status: str) -> None:
        say_within(self.status_label, status)
        self.runs.refresh()

    def may_end_run(self) -> bool:
        """True unless a run that trained a while (worth a question) is going and is kept."""
        active = self.state in (RunState.RUNNING, RunState.PAUSED)
        lost = self.plots.what_would_be_lost(ASK_BEFORE_ENDING_S) if active else None
        return lost is None or confirm_losing(self, "A network is training", lost)

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
        self.lr_button.setEnabled(self.train_button.isEnabled())
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
            self._enter(RunState.IDLE)  # Start needs a configuration without problems

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
        say_within(self.status_label, result.error or result.ending)
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
        self.runs.refresh_within_budget()  # the run just recorded, the budget kept

    def _on_worker_failed(self, message: str) -> None:
        self._on_worker_cancelled(message, "failed")
        self.results.show_message(message)
        show_error(self, "The run could not go on", message)  # all of it, however long

    def _on_worker_cancelled(self, message: str = "Stopped before the first epoch.",
                             ended: str = "stopped") -> None:  # fmt: skip
        self.plots.finish()
        seconds = self.plots.clock.elapsed()
        self.recorder.end(unfinished_end(message, self.plots.series, seconds, ended))
        say_within(self.status_label, message)  # all of it under Result and in the tooltip
        self.runs.refresh()

    def _on_worker_thread_ended(self) -> None:
        if self.state is not RunState.FINISHING:  # else once the result is shown
            self._enter(RunState.IDLE)
