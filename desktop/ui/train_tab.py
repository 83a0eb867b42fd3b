"""The Train tab: train a network from the GUI and watch every epoch.

A form (what to train), the live plots (how it goes), the results (how it did) and the
controls; the run itself is a :class:`TrainingWorker` owned by a :class:`BackgroundJob`.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop.data.digits import load_digit_images
from desktop.training.config import TrainingConfig
from desktop.training.outcome import TrainingResult
from desktop.ui import settings as keys
from desktop.ui.background import BackgroundJob
from desktop.ui.controls import named_button
from desktop.ui.training_form import TrainingForm
from desktop.ui.training_plots import TrainingPlots
from desktop.ui.training_results import TrainingResults
from desktop.ui.workers import DataLoader, TrainingWorker
from nncore import EpochReport


class TrainTab(QWidget):
    """Train a network on load_digits from the GUI; the window stays responsive."""

    use_model_requested = Signal(object)  # Network
    save_model_requested = Signal(object)  # Network
    training_finished = Signal(object)  # TrainingResult

    def __init__(
        self,
        settings: QSettings | None = None,
        load_data: DataLoader = load_digit_images,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.load_data = load_data  # called in the worker thread
        self.job = BackgroundJob(self)
        self.job.ended.connect(self._on_job_ended)

        self.form = TrainingForm()
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
        self.status_label = QLabel("Ready. The digits load when you press Start.")
        self.status_label.setObjectName("trainStatusLabel")
        self.status_label.setWordWrap(True)
        self.status_label.setMinimumWidth(80)

        controls = QGridLayout()
        for column, button in enumerate((self.train_button, self.pause_button, self.stop_button)):
            controls.addWidget(button, 0, column)
        controls.setColumnStretch(3, 1)
        controls.addWidget(self.plots.log_check, 0, 4, Qt.AlignmentFlag.AlignRight)
        controls.addWidget(self.status_label, 1, 0, 1, 5)
        middle = QVBoxLayout()
        middle.addLayout(controls)
        middle.addWidget(self.plots, 1)
        layout = QHBoxLayout(self)
        layout.addWidget(self.form, 0)
        layout.addLayout(middle, 3)
        layout.addWidget(self.results, 2)

        self.form.set_config(self._saved_config() or TrainingConfig())
        self._set_running(False)

    @property
    def is_running(self) -> bool:
        """True while a run (its worker thread) exists."""
        return self.job.running

    @property
    def result(self) -> TrainingResult | None:
        """The last run's result, if any."""
        return self.results.result

    def start(self) -> bool:
        """Start training the form's configuration; False if it cannot start."""
        config = self.form.config()
        if self.job.running or config is None or config.problems():
            return False
        if self.settings is not None:
            self.settings.setValue(keys.TRAIN_CONFIG, config.to_json())
        self.plots.start(config.epochs)
        worker = TrainingWorker(config, self.load_data)
        worker.status_changed.connect(self._on_worker_status_changed)
        worker.epochs_finished.connect(self._on_worker_epochs_finished)
        worker.finished.connect(self._on_worker_finished)
        worker.failed.connect(self._on_worker_failed)
        self.job.start(worker)
        self._set_running(True)
        return True

    def stop(self) -> None:
        """Ask the run to end (the result of the epochs done so far is kept)."""
        if self.job.running:
            self.job.stop()
            self.status_label.setText("Stopping…")

    def shutdown(self) -> None:
        """End any run within a bounded time (closing the window)."""
        self.job.shutdown()

    def _on_form_changed(self) -> None:
        if not self.job.running:
            self.train_button.setEnabled(not self.form.problems())

    def _on_pause_button_toggled(self, paused: bool) -> None:
        worker = self.job.worker
        if not isinstance(worker, TrainingWorker):
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
        self.form.setEnabled(not running)
        if not running:
            self.pause_button.setChecked(False)

    def _on_worker_status_changed(self, text: str) -> None:
        self.status_label.setText(text)

    def _on_worker_epochs_finished(self, reports: list[EpochReport]) -> None:
        self.plots.add(reports)

    def _on_worker_finished(self, result: TrainingResult) -> None:
        self.plots.finish()
        self.results.show_result(result)
        self.status_label.setText(result.error or ("Stopped." if result.stopped else "Done."))
        self.training_finished.emit(result)

    def _on_worker_failed(self, message: str) -> None:
        self.plots.finish()
        self.status_label.setText(message)
        self.results.show_message(message)

    def _on_job_ended(self) -> None:
        self._set_running(False)

    def _saved_config(self) -> TrainingConfig | None:
        if self.settings is None:
            return None
        return TrainingConfig.from_json(str(self.settings.value(keys.TRAIN_CONFIG, "", str)))
