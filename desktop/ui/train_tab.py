"""The Train tab: train a network from the GUI and watch every epoch.

A form (what to train, on which data), the live plots (how it goes), the results (how it
did) and the controls; the run is a :class:`ServerJob` on the warm training process,
owned by a :class:`BackgroundJob`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QVBoxLayout,
    QWidget,
)

from desktop.data.corpus import MY_SAMPLES, CorpusSource, open_corpus
from desktop.data.personal_samples import SampleStore
from desktop.training.client import TrainingServer
from desktop.training.config import TrainingConfig
from desktop.training.outcome import TrainingResult
from desktop.ui import settings as keys
from desktop.ui.background import BackgroundJob
from desktop.ui.controls import (
    named_button,
    reserved_label,
    reveal_in_turns,
    scrolling,
)
from desktop.ui.training_form import TrainingForm
from desktop.ui.training_plots import TrainingPlots
from desktop.ui.training_results import TrainingResults
from desktop.ui.workers import ServerJob
from nncore import Network


class TrainTab(QWidget):
    """Train a network on the corpus from the GUI; the window stays responsive."""

    use_model_requested = Signal(object)  # Network
    save_model_requested = Signal(object)  # Network
    training_finished = Signal(object)  # TrainingResult

    def __init__(
        self,
        server: TrainingServer,
        settings: QSettings | None = None,
        corpus: CorpusSource | None = None,
        samples: SampleStore | None = None,
        model_in_use: Callable[[], Network] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.server = server
        self.settings = settings
        self.samples = samples
        self.model_in_use = model_in_use
        self.corpus_note: str | None = None
        self._result_pending = False  # a finished run's result waits for its turn
        self._in_use_at_start: Network | None = None  # the model in use when a run started
        self._last_started: TrainingConfig | None = None
        if corpus is None:
            corpus, self.corpus_note = open_corpus()
        self.corpus = corpus  # loaded in the worker thread, when a run starts
        self.job = BackgroundJob(self)
        self.job.ended.connect(self._on_job_ended)

        self.form = TrainingForm(corpus.sizes())
        self.form.changed.connect(self._on_form_changed)
        self.plots = TrainingPlots()
        self.results = TrainingResults()
        self.results.use_requested.connect(self.use_model_requested)
        self.results.save_requested.connect(self.save_model_requested)
        self.train_button = named_button("Start", "trainButton", slot=self.start)
        self.pause_button = named_button("Pause", "pauseButton")
        self.pause_button.setCheckable(True)
        self.pause_button.toggled.connect(self._on_pause_button_toggled)
        self.stop_button = named_button("Stop", "stopButton", slot=self.stop)
        # Two lines reserved: a longer status resized the plots (a 20 ms stall).
        self.status_label = reserved_label(self.corpus_note or "Ready.", "trainStatusLabel", 2)

        buttons = QHBoxLayout()
        for button in (self.train_button, self.pause_button, self.stop_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        # The log-scale switch sits beside the status, not the buttons, so that the middle
        # column (and the window) can be narrow.
        status = QHBoxLayout()
        status.addWidget(self.status_label, 1)
        status.addWidget(self.plots.log_check, 0, Qt.AlignmentFlag.AlignTop)
        middle = QVBoxLayout()
        middle.addLayout(buttons)
        middle.addLayout(status)
        middle.addWidget(self.plots, 1)
        layout = QHBoxLayout(self)
        self.form_area = scrolling(self.form, "formArea")
        layout.addWidget(self.form_area, 0)
        layout.addLayout(middle, 3)
        layout.addWidget(self.results, 2)

        self.show_sample_count()
        config = self._saved_config() or TrainingConfig()
        if self.samples is not None and self.samples.samples and MY_SAMPLES not in config.sources:
            config = config.with_changes(sources=(*config.sources, MY_SAMPLES))
        self.form.set_config(config)
        self._set_running(False)

    def showEvent(self, event: QShowEvent) -> None:
        """Paint the form, the plots and the results in turns (see reveal_in_turns)."""
        super().showEvent(event)
        if not event.spontaneous():  # not when the window itself is restored
            reveal_in_turns(self.parts)

    @property
    def parts(self) -> tuple[QWidget, ...]:
        """The tab's parts, each painted in a turn of its own, containers first."""
        form, plots = self.form.sections, self.plots.sections
        return (self.form_area, *form, self.plots, *plots, self.results)

    def show_sample_count(self) -> None:
        """Bring the "my samples" source up to date (after samples were kept or deleted)."""
        self.form.set_sample_count(0 if self.samples is None else len(self.samples.samples))

    @property
    def is_running(self) -> bool:
        """True from Start until the run's worker has ended and its result is shown."""
        return self.job.running or self._result_pending

    def start(self) -> bool:
        """Start training the form's configuration; False if it cannot start."""
        config = self.form.config()
        if self.job.running or config is None or config.problems():
            return False
        self._last_started = config  # remembered when the window closes (see shutdown)
        self.plots.start(config.epochs)
        mine = None
        if self.samples is not None and MY_SAMPLES in config.sources:
            mine = self.samples.arrays()
        # The process reads the corpus itself, and scores the model in use for comparison
        # (2-3 ms of the GUI thread when the run ended, before).
        self._in_use_at_start = self.model_in_use() if self.model_in_use is not None else None
        payload = (config, self.corpus, mine, self._in_use_at_start)
        worker = ServerJob(self.server, "train", payload)
        # C++ slots and methods of GUI classes: Qt runs them in the GUI thread.
        worker.status_changed.connect(self.status_label.setText)
        worker.epochs_finished.connect(self.plots.add)
        worker.finished.connect(self._on_worker_finished)
        worker.failed.connect(self._on_worker_failed)
        worker.cancelled.connect(self._on_worker_cancelled)
        self.job.start(worker)
        self._set_running(True)
        return True

    def stop(self) -> None:
        """Ask the run to end (the result of the epochs done so far is kept)."""
        if self.job.running:
            self.job.stop()
            self.status_label.setText("Stopping…")

    def shutdown(self) -> None:
        """End any run within a bounded time, and remember the last configuration started.

        Not written at Start: writing the settings file took 6 ms of the GUI thread
        (locked, written, synced to disk), in the same frame as the plots' reset.
        """
        self.job.shutdown()
        if self.settings is not None and self._last_started is not None:
            self.settings.setValue(keys.TRAIN_CONFIG, self._last_started.to_json())

    def _on_form_changed(self) -> None:
        if not self.job.running:
            self.train_button.setEnabled(not self.form.problems())

    def _on_pause_button_toggled(self, paused: bool) -> None:
        worker = self.job.worker
        if not isinstance(worker, ServerJob):
            return
        if paused:
            worker.pause()
            self.plots.clock.pause()
        else:
            worker.resume()
            self.plots.clock.resume()
        self.pause_button.setText("Resume" if paused else "Pause")
        self.status_label.setText("Paused" if paused else "Training…")

    def _set_running(self, running: bool) -> None:
        self.train_button.setEnabled(not running and not self.form.problems())
        self.stop_button.setEnabled(running)
        self.pause_button.setEnabled(running)
        if running:
            # Greyed in a frame of its own, after the buttons and the plots' reset: all
            # painted at once, pressing Start cost one 14-19 ms frame.
            QTimer.singleShot(2, self, lambda: self.form.setEnabled(not self.job.running))
        else:
            self.form.setEnabled(True)
            self.pause_button.setChecked(False)

    def _on_worker_finished(self, result: TrainingResult) -> None:
        self.plots.finish()
        self.status_label.setText(result.error or ("Stopped." if result.stopped else "Done."))
        # The results in a turn of their own: with the plots' last redraw they took
        # 14-25 ms in one go (a confusion matrix, a gallery, the model in use scored).
        # A 1 ms timer, not 0: a zero-delay call is posted, and Qt runs it in the same
        # batch as the repaints just requested, with no input handled in between.
        self._result_pending = True
        QTimer.singleShot(1, self, lambda: self._show_result(result))

    def _show_result(self, result: TrainingResult) -> None:
        in_use = self.model_in_use() if self.model_in_use is not None else None
        # The process scored the model in use at Start; another one since is scored here.
        changed = in_use is not self._in_use_at_start
        self.results.show_result(result, in_use if changed else None)
        # The controls come back in a turn of their own: the result and the re-enabled
        # form painted together took 10-14 ms, where each alone takes 4-9.
        QTimer.singleShot(1, self, lambda: self._ready_again(result))

    def _ready_again(self, result: TrainingResult) -> None:
        self._result_pending = False
        if not self.job.running:  # the job ended meanwhile: Start only now, after the result
            self._set_running(False)
        self.training_finished.emit(result)

    def _on_worker_failed(self, message: str) -> None:
        self._on_worker_cancelled(message)
        self.results.show_message(message)

    def _on_worker_cancelled(self, message: str = "Stopped before the first epoch.") -> None:
        self.plots.finish()
        self.status_label.setText(message)

    def _on_job_ended(self) -> None:
        if not self._result_pending:  # else once the result is shown (_show_result)
            self._set_running(False)

    def _saved_config(self) -> TrainingConfig | None:
        if self.settings is None:
            return None
        return TrainingConfig.from_json(str(self.settings.value(keys.TRAIN_CONFIG, "", str)))
