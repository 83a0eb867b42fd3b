"""The Train tab: train the network from the GUI and watch every epoch.

Choose an architecture and hyperparameters, train in a worker (thread and process),
watch the cost and accuracy of every epoch, then inspect and use the result.
"""

from __future__ import annotations

import json
import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSettings, Qt, QThread, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

import desktop.ui.style  # noqa: F401  (applies the plot look)
from desktop.data.digits import load_digit_images
from desktop.training.config import (
    HIDDEN_ACTIVATIONS,
    MAX_EPOCHS,
    MAX_UNITS,
    OUTPUTS,
    HiddenLayer,
    TrainingConfig,
)
from desktop.training.outcome import TrainingResult
from desktop.ui.bitmap_view import BitmapView
from desktop.ui.controls import named_button
from desktop.ui.worker_thread import start_in_thread, stop_and_wait
from desktop.ui.workers import DataLoader, TrainingWorker
from nncore import OPTIMIZERS, EpochReport

# The plots redraw at most ~30 times a second, however fast epochs are. (pyqtgraph paints
# in Python, holding the GIL the worker needs: a grid alone made each repaint 20 ms.)
REDRAW_MS = 33
MAX_MISCLASSIFIED = 40
TRAIN_PEN = pg.mkPen("#2e6fdb", width=2)
VALIDATION_PEN = pg.mkPen("#e07b24", width=2)


class EpochSeries:
    """Per-epoch figures in arrays that grow geometrically (flat memory per epoch)."""

    FIELDS = ("loss", "val_loss", "accuracy", "val_accuracy")

    def __init__(self) -> None:
        self.count = 0
        self._data = np.full((len(self.FIELDS), 1024), np.nan)

    def extend(self, reports: list[EpochReport]) -> None:
        """Append the figures of ``reports`` (missing ones stored as NaN)."""
        needed = self.count + len(reports)
        if needed > self._data.shape[1]:
            grown = np.full((len(self.FIELDS), max(needed, 2 * self._data.shape[1])), np.nan)
            grown[:, : self.count] = self._data[:, : self.count]
            self._data = grown
        for offset, report in enumerate(reports):
            values = [getattr(report, name) for name in self.FIELDS]
            self._data[:, self.count + offset] = [np.nan if v is None else v for v in values]
        self.count = needed

    def epochs(self) -> np.ndarray:
        """1, 2, ..., count."""
        return np.arange(1, self.count + 1)

    def __getitem__(self, name: str) -> np.ndarray:
        return self._data[self.FIELDS.index(name), : self.count]

    def curve(self, name: str, max_points: int = 1000) -> tuple[np.ndarray, np.ndarray]:
        """(epochs, values) of ``name`` with at most about ``max_points`` points.

        Long runs are cut into buckets and each keeps its lowest and highest value, so a
        100,000-epoch curve draws as fast as a short one and keeps its spikes visible.
        A figure that was never measured (no validation) gives an empty curve.
        """
        values = self[name]
        if self.count == 0 or np.isnan(values[0]):  # measured for every epoch or for none
            return np.empty(0), np.empty(0)
        if self.count <= max_points:
            return self.epochs(), values
        per_bucket = -(-self.count // (max_points // 2))
        usable = self.count // per_bucket * per_bucket
        buckets = values[:usable].reshape(-1, per_bucket)
        low, high = buckets.min(axis=1), buckets.max(axis=1)
        starts = np.arange(0, usable, per_bucket) + 1
        x = np.column_stack([starts, starts + per_bucket - 1]).ravel()
        return x, np.column_stack([low, high]).ravel()


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
        self._thread: QThread | None = None
        self._worker: TrainingWorker | None = None
        self.result: TrainingResult | None = None
        self.series = EpochSeries()
        self._started = 0.0
        self._paused_for = 0.0
        self._paused_at: float | None = None
        self._dirty = False

        self._build_form()
        self._build_plots()
        self._build_results()
        layout = QHBoxLayout(self)
        layout.addWidget(self.form_box, 0)
        middle = QVBoxLayout()
        middle.addLayout(self.controls)
        middle.addWidget(self.cost_plot, 3)
        middle.addWidget(self.accuracy_plot, 2)
        layout.addLayout(middle, 3)
        layout.addWidget(self.results_box, 2)

        self._redraw = QTimer(self)
        self._redraw.setInterval(REDRAW_MS)
        self._redraw.timeout.connect(self._on_redraw_timeout)
        self.set_config(self._saved_config() or TrainingConfig())
        self._set_running(False)

    # -- form -----------------------------------------------------------------------

    def _build_form(self) -> None:
        self.form_box = QGroupBox("Network and training")
        self.form_box.setMinimumWidth(260)
        form = QFormLayout(self.form_box)

        self.layers_table = QTableWidget(0, 2)
        self.layers_table.setObjectName("layersTable")
        self.layers_table.setHorizontalHeaderLabels(["Units", "Activation"])
        self.layers_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.layers_table.verticalHeader().setVisible(True)
        self.layers_table.setMinimumHeight(120)
        self.add_layer_button = named_button(
            "Add layer", "addLayerButton", slot=self._on_add_layer_button_clicked
        )
        self.remove_layer_button = named_button(
            "Remove layer", "removeLayerButton", slot=self._on_remove_layer_button_clicked
        )
        layer_buttons = QHBoxLayout()
        layer_buttons.addWidget(self.add_layer_button)
        layer_buttons.addWidget(self.remove_layer_button)
        form.addRow(QLabel("Hidden layers (input: 64, output: 10)"))
        form.addRow(self.layers_table)
        form.addRow(layer_buttons)

        self.output_combo = self._combo("outputCombo", list(OUTPUTS))
        self.optimizer_combo = self._combo("optimizerCombo", list(OPTIMIZERS))
        self.learning_rate_edit = self._number_edit("learningRateEdit")
        self.l2_edit = self._number_edit("l2Edit")
        self.epochs_spin = self._spin("epochsSpin", 1, MAX_EPOCHS)
        self.batch_spin = self._spin("batchSizeSpin", 1, 1000)
        self.seed_spin = self._spin("seedSpin", 0, 2**31 - 1)
        self.validation_spin = QDoubleSpinBox()
        self.validation_spin.setObjectName("validationSpin")
        self.validation_spin.setRange(0, 50)
        self.validation_spin.setSuffix(" %")
        self.validation_spin.valueChanged.connect(self._on_form_changed)
        form.addRow("Output and loss", self.output_combo)
        form.addRow("Optimizer", self.optimizer_combo)
        form.addRow("Learning rate", self.learning_rate_edit)
        form.addRow("Epochs", self.epochs_spin)
        form.addRow("Batch size", self.batch_spin)
        form.addRow("L2 weight decay", self.l2_edit)
        form.addRow("Validation share", self.validation_spin)
        form.addRow("Seed", self.seed_spin)
        self.problems_label = QLabel("")
        self.problems_label.setObjectName("problemsLabel")
        self.problems_label.setWordWrap(True)
        self.problems_label.setStyleSheet("color: #b3261e;")
        form.addRow(self.problems_label)

        self.train_button = named_button("Start", "trainButton", slot=self.start)
        self.pause_button = named_button("Pause", "pauseButton")
        self.pause_button.setCheckable(True)
        self.pause_button.toggled.connect(self._on_pause_button_toggled)
        self.stop_button = named_button("Stop", "stopButton", slot=self.stop)
        self.progress = QProgressBar()
        self.progress.setObjectName("trainProgress")
        self.progress.setTextVisible(True)
        self.status_label = QLabel("Ready. The digits load when you press Start.")
        self.status_label.setObjectName("trainStatusLabel")
        self.status_label.setWordWrap(True)
        self.status_label.setMinimumWidth(80)
        self.controls = QGridLayout()
        self.controls.addWidget(self.train_button, 0, 0)
        self.controls.addWidget(self.pause_button, 0, 1)
        self.controls.addWidget(self.stop_button, 0, 2)
        self.controls.addWidget(self.progress, 1, 0, 1, 5)
        self.controls.addWidget(self.status_label, 2, 0, 1, 5)
        self.controls.setColumnStretch(3, 1)

    def _combo(self, name: str, items: list[str]) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.addItems(items)
        combo.currentIndexChanged.connect(self._on_form_changed)
        return combo

    def _spin(self, name: str, low: int, high: int) -> QSpinBox:
        spin = QSpinBox()
        spin.setObjectName(name)
        spin.setRange(low, high)
        spin.setGroupSeparatorShown(True)
        spin.valueChanged.connect(self._on_form_changed)
        return spin

    def _number_edit(self, name: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.textChanged.connect(self._on_form_changed)
        return edit

    def _add_layer_row(self, layer: HiddenLayer) -> None:
        row = self.layers_table.rowCount()
        self.layers_table.insertRow(row)
        size = QSpinBox()
        size.setRange(1, MAX_UNITS)
        size.setValue(layer.size)
        size.valueChanged.connect(self._on_form_changed)
        activation = QComboBox()
        activation.addItems(HIDDEN_ACTIVATIONS)
        activation.setCurrentText(layer.activation)
        activation.currentIndexChanged.connect(self._on_form_changed)
        self.layers_table.setCellWidget(row, 0, size)
        self.layers_table.setCellWidget(row, 1, activation)

    def _on_add_layer_button_clicked(self) -> None:
        self._add_layer_row(HiddenLayer(64, "relu"))
        self._on_form_changed()

    def _on_remove_layer_button_clicked(self) -> None:
        if self.layers_table.rowCount():
            selected = self.layers_table.currentRow()
            self.layers_table.removeRow(
                selected if selected >= 0 else self.layers_table.rowCount() - 1
            )
            self._on_form_changed()

    def config(self) -> TrainingConfig | None:
        """The configuration in the form, or None if a number cannot be read."""
        try:
            learning_rate = float(self.learning_rate_edit.text())
            l2 = float(self.l2_edit.text())
        except ValueError:
            return None
        hidden = tuple(
            HiddenLayer(
                self.layers_table.cellWidget(row, 0).value(),  # type: ignore[attr-defined]
                self.layers_table.cellWidget(row, 1).currentText(),  # type: ignore[attr-defined]
            )
            for row in range(self.layers_table.rowCount())
        )
        return TrainingConfig(
            hidden=hidden,
            output=self.output_combo.currentText(),
            optimizer=self.optimizer_combo.currentText(),
            learning_rate=learning_rate,
            epochs=self.epochs_spin.value(),
            batch_size=self.batch_spin.value(),
            l2=l2,
            validation_split=self.validation_spin.value() / 100,
            seed=self.seed_spin.value(),
        )

    def set_config(self, config: TrainingConfig) -> None:
        """Fill the form with ``config``."""
        self.layers_table.setRowCount(0)
        for layer in config.hidden:
            self._add_layer_row(layer)
        self.output_combo.setCurrentText(config.output)
        self.optimizer_combo.setCurrentText(config.optimizer)
        self.learning_rate_edit.setText(f"{config.learning_rate:g}")
        self.l2_edit.setText(f"{config.l2:g}")
        self.epochs_spin.setValue(config.epochs)
        self.batch_spin.setValue(config.batch_size)
        self.validation_spin.setValue(config.validation_split * 100)
        self.seed_spin.setValue(config.seed)
        self._on_form_changed()

    def problems(self) -> list[str]:
        """What stops the form's configuration from training (empty when it can)."""
        config = self.config()
        if config is None:
            return ["The learning rate and L2 must be numbers, for example 0.001."]
        return config.problems()

    def _on_form_changed(self, *_: object) -> None:
        problems = self.problems()
        self.problems_label.setText("\n".join(problems))
        for edit in (self.learning_rate_edit, self.l2_edit):
            edit.setStyleSheet("" if _is_number(edit.text()) else "border: 1px solid #b3261e;")
        if self._thread is None:
            self.train_button.setEnabled(not problems)

    # -- plots and results --------------------------------------------------------------

    def _build_plots(self) -> None:
        self.cost_plot = pg.PlotWidget(title="Cost per epoch (mean loss per sample)")
        self.cost_plot.setObjectName("costPlot")
        self.cost_plot.setMinimumSize(240, 160)
        self.cost_plot.setLabel("bottom", "epoch")
        self.cost_plot.addLegend()
        self.train_curve = self.cost_plot.plot(pen=TRAIN_PEN, name="training")
        self.validation_curve = self.cost_plot.plot(pen=VALIDATION_PEN, name="validation")
        self.accuracy_plot = pg.PlotWidget(title="Accuracy per epoch")
        self.accuracy_plot.setObjectName("accuracyPlot")
        self.accuracy_plot.setMinimumSize(240, 120)
        self.accuracy_plot.setLabel("bottom", "epoch")
        self.train_accuracy_curve = self.accuracy_plot.plot(pen=TRAIN_PEN)
        self.validation_accuracy_curve = self.accuracy_plot.plot(pen=VALIDATION_PEN)
        self.curves = {
            "loss": self.train_curve,
            "val_loss": self.validation_curve,
            "accuracy": self.train_accuracy_curve,
            "val_accuracy": self.validation_accuracy_curve,
        }
        self.log_check = QCheckBox("Log scale")
        self.log_check.setObjectName("logScaleCheck")
        self.log_check.toggled.connect(self._on_log_check_toggled)
        self.controls.addWidget(self.log_check, 0, 4, Qt.AlignmentFlag.AlignRight)

    def _build_results(self) -> None:
        self.results_box = QGroupBox("Result on the held-out test digits")
        layout = QVBoxLayout(self.results_box)
        self.test_label = QLabel("Train a network to see how it does on digits it never saw.")
        self.test_label.setObjectName("testAccuracyLabel")
        self.test_label.setWordWrap(True)
        self.confusion_table = QTableWidget(10, 10)
        self.confusion_table.setObjectName("confusionTable")
        self.confusion_table.setHorizontalHeaderLabels([str(d) for d in range(10)])
        self.confusion_table.setVerticalHeaderLabels([str(d) for d in range(10)])
        self.confusion_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.confusion_table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.confusion_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.confusion_table.setToolTip("Rows: true digit. Columns: predicted digit.")
        self.confusion_table.setMinimumHeight(220)
        self.misclassified = QWidget()
        self.misclassified_grid = QGridLayout(self.misclassified)
        scroll = QScrollArea()
        scroll.setObjectName("misclassifiedArea")
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.misclassified)
        self.use_button = named_button(
            "Use this model", "useModelButton", slot=self._on_use_button_clicked,
            tip="Recognise drawings with this network in the Draw tab",
        )  # fmt: skip
        self.save_button = named_button(
            "Save model…", "saveModelButton", slot=self._on_save_button_clicked
        )
        buttons = QHBoxLayout()
        buttons.addWidget(self.use_button)
        buttons.addWidget(self.save_button)
        layout.addWidget(self.test_label)
        layout.addWidget(QLabel("Confusion matrix (rows: true, columns: predicted)"))
        layout.addWidget(self.confusion_table, 2)
        layout.addWidget(QLabel("Misclassified test digits (true → predicted)"))
        layout.addWidget(scroll, 2)
        layout.addLayout(buttons)
        self.use_button.setEnabled(False)
        self.save_button.setEnabled(False)

    def _show_result(self, result: TrainingResult) -> None:
        if result.error:
            headline = f"Stopped: {result.error}"
        elif result.stopped:
            headline = f"Stopped after {result.epochs_run} epochs."
        else:
            headline = f"Finished {result.epochs_run} epochs."
        self.test_label.setText(
            f"{headline}\nTest accuracy: {result.test_accuracy:.2%} "
            f"({int(np.trace(result.confusion))} of {len(result.labels_test)} test digits)."
        )
        peak = max(int(result.confusion.max()), 1)
        for true in range(10):
            for predicted in range(10):
                count = int(result.confusion[true, predicted])
                item = QTableWidgetItem(str(count) if count else "")
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                strength = count / peak
                colour = (46, 111, 219) if true == predicted else (214, 69, 65)
                if count:
                    item.setBackground(QColor(*colour, int(40 + 150 * strength)))
                self.confusion_table.setItem(true, predicted, item)
        while self.misclassified_grid.count():
            layout_item = self.misclassified_grid.takeAt(0)
            widget = layout_item.widget() if layout_item is not None else None
            if widget is not None:
                widget.deleteLater()
        wrong = np.flatnonzero(result.predicted != result.labels_test)[:MAX_MISCLASSIFIED]
        for position, index in enumerate(wrong):
            cell = QWidget()
            cell_layout = QVBoxLayout(cell)
            cell_layout.setContentsMargins(2, 2, 2, 2)
            view = BitmapView(16.0, side=56)
            view.set_values(result.images_test[index])
            caption = QLabel(f"{result.labels_test[index]} → {result.predicted[index]}")
            caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
            cell_layout.addWidget(view)
            cell_layout.addWidget(caption)
            self.misclassified_grid.addWidget(cell, position // 4, position % 4)
        self.use_button.setEnabled(True)
        self.save_button.setEnabled(True)

    def _on_use_button_clicked(self) -> None:
        if self.result is not None:
            self.use_model_requested.emit(self.result.network)

    def _on_save_button_clicked(self) -> None:
        if self.result is not None:
            self.save_model_requested.emit(self.result.network)

    def _on_log_check_toggled(self, checked: bool) -> None:
        self.cost_plot.setLogMode(y=checked)

    # -- running ----------------------------------------------------------------------

    @property
    def is_running(self) -> bool:
        """True while a worker thread exists."""
        return self._thread is not None

    def start(self) -> bool:
        """Start training the form's configuration; False if it cannot start."""
        config = self.config()
        if self._thread is not None or config is None or config.problems():
            return False
        self._save_config(config)
        self.series = EpochSeries()
        for curve in self.curves.values():
            curve.setData([], [])
        self.progress.setRange(0, config.epochs)
        self.progress.setValue(0)
        self.progress.setFormat(f"Epoch 0/{config.epochs}")
        self._started, self._paused_for, self._paused_at = time.perf_counter(), 0.0, None

        worker = TrainingWorker(config, self.load_data)
        worker.status_changed.connect(self._on_worker_status_changed)
        worker.epochs_finished.connect(self._on_worker_epochs_finished)
        worker.finished.connect(self._on_worker_finished)
        worker.failed.connect(self._on_worker_failed)
        self._worker = worker
        self._thread = start_in_thread(worker, self._on_thread_finished)
        self._set_running(True)
        self._redraw.start()
        return True

    def stop(self) -> None:
        """Ask the run to end after the current epoch (the result is kept)."""
        if self._worker is not None:
            self._worker.stop()
            self.status_label.setText("Stopping…")

    def shutdown(self) -> None:
        """Stop and wait for the worker thread (closing the window)."""
        if self._thread is not None and self._worker is not None:
            stop_and_wait(self._worker, self._thread)
            self._on_thread_finished()

    def _on_pause_button_toggled(self, paused: bool) -> None:
        if self._worker is None:
            return
        now = time.perf_counter()
        if paused:
            self._worker.pause()
            self._paused_at = now
            self.pause_button.setText("Resume")
            self.status_label.setText("Paused")
        else:
            self._worker.resume()
            if self._paused_at is not None:
                self._paused_for += now - self._paused_at
            self._paused_at = None
            self.pause_button.setText("Pause")
            self.status_label.setText("Training…")

    def _set_running(self, running: bool) -> None:
        self.train_button.setEnabled(not running and not self.problems())
        self.stop_button.setEnabled(running)
        self.pause_button.setEnabled(running)
        self.form_box.setEnabled(not running)
        if not running:
            self.pause_button.setChecked(False)

    def _on_worker_status_changed(self, text: str) -> None:
        self.status_label.setText(text)

    def _on_worker_epochs_finished(self, reports: list[EpochReport]) -> None:
        self.series.extend(reports)
        self._dirty = True

    def _on_worker_finished(self, result: TrainingResult) -> None:
        self.result = result
        self._on_redraw_timeout()
        self._show_result(result)
        self.status_label.setText(result.error or ("Stopped." if result.stopped else "Done."))
        self.training_finished.emit(result)

    def _on_worker_failed(self, message: str) -> None:
        self.status_label.setText(message)
        self.test_label.setText(message)

    def _on_thread_finished(self) -> None:
        if self._thread is None:
            return
        self._thread.wait()
        self._thread, self._worker = None, None
        self._redraw.stop()
        self._set_running(False)

    def _on_redraw_timeout(self) -> None:
        if not self._dirty:
            return
        self._dirty = False
        started = time.perf_counter()
        for name, curve in self.curves.items():
            curve.setData(*self.series.curve(name))
        # Paint now, to learn what a redraw costs, and space the next one so that drawing
        # takes at most ~1/8 of the GUI thread (pyqtgraph paints in Python, holding the
        # GIL that the worker needs too); never more often than every REDRAW_MS.
        self.cost_plot.repaint()
        self.accuracy_plot.repaint()
        cost_ms = (time.perf_counter() - started) * 1000
        self._redraw.setInterval(int(min(max(REDRAW_MS, 8 * cost_ms), 1000)))
        done, total = self.series.count, self.progress.maximum()
        self.progress.setValue(done)
        elapsed = time.perf_counter() - self._started - self._paused_for
        remaining = elapsed / done * (total - done) if done else 0.0
        self.progress.setFormat(
            f"Epoch {done}/{total} · {_duration(elapsed)} elapsed · {_duration(remaining)} left"
        )

    # -- settings ---------------------------------------------------------------------

    def _saved_config(self) -> TrainingConfig | None:
        if self.settings is None:
            return None
        raw = str(self.settings.value("train/config", "", str))
        try:
            values = json.loads(raw) if raw else None
            if not isinstance(values, dict):
                return None
            values["hidden"] = tuple(HiddenLayer(**layer) for layer in values["hidden"])
            config = TrainingConfig(**values)
        except (TypeError, ValueError, KeyError):
            return None  # settings from another version: start from the defaults
        return None if config.problems() else config

    def _save_config(self, config: TrainingConfig) -> None:
        if self.settings is not None:
            values = {**config.__dict__, "hidden": [layer.__dict__ for layer in config.hidden]}
            self.settings.setValue("train/config", json.dumps(values))


def _is_number(text: str) -> bool:
    try:
        return np.isfinite(float(text))
    except ValueError:
        return False


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, seconds = divmod(int(seconds), 60)
    return (
        f"{minutes} min {seconds:02d} s"
        if minutes < 60
        else f"{minutes // 60} h {minutes % 60:02d} min"
    )
