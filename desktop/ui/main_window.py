"""The main window: Draw and Train tabs, File and Edit menus, remembered settings."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import numpy as np
from PySide6.QtCore import QEvent, QSettings, QStandardPaths
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget

from desktop.data.corpus import CorpusSource, open_corpus
from desktop.data.personal_samples import UnsavedSamples, open_store
from desktop.data.run_ledger import RunLedger
from desktop.data.user_database import UserDataError
from desktop.recognition.model_in_use import ModelInUse
from desktop.recognition.prediction import Prediction
from desktop.recognition.recognizer import Recognizer
from desktop.training.process import TrainingProcess, TrainingProcessError
from desktop.ui import desktop_entry
from desktop.ui import settings as keys
from desktop.ui.dialogs.samples_dialog import SamplesDialog
from desktop.ui.menus import add_window_menus, ask_save_copy, ask_save_model
from desktop.ui.model_files import ModelFiles
from desktop.ui.support.later import later
from desktop.ui.tabs.draw_tab import DrawTab
from desktop.ui.tabs.inside_tab import InsideTab
from desktop.ui.tabs.train_tab import TrainTab
from desktop.ui.widgets.controls import confirm_losing, show_error
from desktop.words import counted
from nncore import Network

DEFAULT_SIZE = (1100, 760)  # the Train tab's form, early stopping included, unscrolled
DEFAULT_BRUSH = 16
BRUSH_RANGE = (4, 40)  # what the brush slider offers


class MainWindow(QMainWindow):
    """Digit Pad's window. Starts with the last model used, else the bundled one."""

    def __init__(
        self,
        recognizer: Recognizer | None = None,
        settings: QSettings | None = None,
        samples_folder: str | Path | None = None,
        process: TrainingProcess | None = None,
        corpus: CorpusSource | None = None,
    ) -> None:
        super().__init__()
        self.setWindowTitle("Digit Pad")
        self.setWindowIcon(desktop_entry.icon())
        self.settings = settings if settings is not None else keys.default_settings()
        self.folder = keys.RecentFolder(self.settings)
        self.checked = keys.CheckedSettings(self.settings)
        self.model_files = ModelFiles(self.settings, self)
        self.model_files.opened.connect(self._on_model_files_opened)
        self.model_files.failed.connect(self._on_model_files_failed)
        model_note, self._model_to_open = None, None
        if recognizer is not None:
            self.model = ModelInUse(recognizer)
        else:
            last = self.checked.text(keys.LAST_MODEL, "The model used last")
            self.model, model_note, self._model_to_open = self.model_files.restore(last)

        if samples_folder is None:
            location = QStandardPaths.StandardLocation.AppDataLocation
            samples_folder = QStandardPaths.writableLocation(location)
        self.samples, sample_notes = open_store(samples_folder)
        self.samples_dialog: SamplesDialog | None = None
        # One warm training process for training and fine-tuning, started once the window
        # shows (so start-up never waits for it) and ended when the window closes.
        self.training_process = process if process is not None else TrainingProcess()
        corpus_note = None
        if corpus is None:
            corpus, corpus_note = open_corpus()
        self.corpus = corpus
        self.draw_tab = DrawTab(self.model.recognizer, self.samples)
        self.draw_tab.samples_requested.connect(self.show_samples)
        self.train_tab = TrainTab(
            self.training_process,
            self.settings,
            corpus,
            self.samples,
            lambda: self.recognizer.network,
            RunLedger(samples_folder),
        )
        if corpus_note:
            self.train_tab.status_label.setText(corpus_note)
        self.draw_tab.samples_changed.connect(self.train_tab.show_sample_count)
        self.train_tab.use_model_requested.connect(self._on_train_tab_use_model_requested)
        self.train_tab.save_model_requested.connect(partial(ask_save_model, self))
        self.train_tab.use_file_requested.connect(self.open_model)
        self.train_tab.results.inspect_requested.connect(self._on_glyph_inspect_requested)
        self.train_tab.results.keep_requested.connect(self._on_glyph_keep_requested)
        self.train_tab.copy_file_requested.connect(partial(ask_save_copy, self))
        self.tabs = QTabWidget()
        self.tabs.setObjectName("tabs")
        self.inside_tab = InsideTab(self.model.recognizer.network)
        self.inside_tab.read_neighbours_from(corpus)
        self.draw_tab.prediction_changed.connect(self._on_draw_tab_prediction_changed)
        self.tabs.addTab(self.draw_tab, "Draw")
        self.tabs.addTab(self.inside_tab, "Inside")
        self.tabs.addTab(self.train_tab, "Train")
        self.setCentralWidget(self.tabs)

        self._server_started = False
        self.model_label = QLabel()
        self.model_label.setObjectName("modelLabel")
        self._show_model_line()
        self.statusBar().addPermanentWidget(self.model_label)
        add_window_menus(self)
        self.train_tab.plots.show_weights(self.model.recognizer.network.weights[0])
        self._restore_settings()
        for title, notes in (
            ("Some remembered settings were reset",
             [*self.checked.notices, *self.train_tab.settings_notices]),
            ("The model you used last is not available", [model_note] if model_note else []),
            ("About your samples", sample_notes),
            ("Settings will not be kept", [n for n in [keys.unwritable_note(self.settings)] if n]),
        ):  # fmt: skip
            if notes:
                self.report_error(title, "\n\n".join(notes))

    @property
    def recognizer(self) -> Recognizer:
        """The recogniser the Draw tab uses."""
        return self.model.recognizer

    # -- models -------------------------------------------------------------------

    def open_model(self, path: str | Path) -> None:
        """Read a model file in the background, then use it (a failure is said; nothing changes)."""
        if self.model_files.open(path):
            self.statusBar().showMessage(f"Opening {Path(path).name}…")
        else:
            self.statusBar().showMessage("Another model file is still being opened.", 5000)

    def _on_model_files_opened(self, model: ModelInUse) -> None:
        self.use_model(model)
        self.statusBar().showMessage(" · ".join(model.details().splitlines()), 15000)

    def _on_model_files_failed(self, message: str) -> None:
        self.report_error("This model cannot be opened", message)

    def save_model(self, path: str | Path, network: Network | None = None) -> bool:
        """Save ``network`` (default: the model in use) to ``path``; report failures."""
        network = network or self.recognizer.network
        try:
            network.save(path)
        except (ValueError, OSError) as error:
            self.report_error("The model could not be saved", str(error))
            return False
        self.statusBar().showMessage(f"Saved the model to {path}", 5000)
        return True

    def use_bundled_model(self) -> None:
        """Go back to the model that ships with Digit Pad."""
        self.use_model(ModelInUse.bundled())

    def use_model(self, model: ModelInUse) -> None:
        """Recognise drawings with ``model`` from now on (and remember its file)."""
        self.model = model
        self.draw_tab.set_recognizer(model.recognizer)
        self.inside_tab.set_network(model.recognizer.network)
        self.train_tab.plots.show_weights(model.recognizer.network.weights[0])
        self._show_model_line()
        if model.path is not None:
            self.settings.setValue(keys.LAST_MODEL, str(model.path))
        else:
            self.settings.remove(keys.LAST_MODEL)

    def _on_glyph_inspect_requested(self, glyph: np.ndarray) -> None:
        self.inside_tab.set_drawing(glyph)
        self.tabs.setCurrentWidget(self.inside_tab)

    def _on_glyph_keep_requested(self, label: int, glyph: np.ndarray) -> None:
        said = f"Kept the test digit as one of your {label}s."
        try:
            self.samples.add(label, glyph)
        except UnsavedSamples as error:  # a full or read-only disk: kept in memory for now
            said = f"Kept the test digit as a {label} for now, not saved: {error}"
        self.draw_tab.show_sample_counts()
        self.train_tab.show_sample_count()
        self.statusBar().showMessage(said, 10_000)

    def show_samples(self) -> SamplesDialog:
        """Open (or raise) the dialog of the user's samples."""
        if self.samples_dialog is None:
            self.samples_dialog = SamplesDialog(
                self.samples, lambda: self.recognizer.network, self.training_process, self.corpus,
                self.folder, self.train_tab.recorder.ledger, self,
            )  # fmt: skip
            self.samples_dialog.use_model_requested.connect(self._on_samples_use_model_requested)
            self.samples_dialog.samples_changed.connect(self.draw_tab.show_sample_counts)
            self.samples_dialog.samples_changed.connect(self.train_tab.show_sample_count)
            self.samples_dialog.worker_thread.ended.connect(self.train_tab.runs.refresh)
        self.samples_dialog.refresh()
        self.samples_dialog.show()
        self.samples_dialog.raise_()
        return self.samples_dialog

    def _on_draw_tab_prediction_changed(self, prediction: Prediction) -> None:
        stages = prediction.stages
        self.inside_tab.set_drawing(None if stages is None else stages.features)

    def report_error(self, title: str, message: str) -> None:
        """Tell the user, without blocking the window (the box is window-modal)."""
        show_error(self, title, message)
        self.statusBar().showMessage(title, 8000)

    def _on_samples_use_model_requested(self, network: Network) -> None:
        recognizer = Recognizer(network, self.recognizer.settings)
        self.use_model(ModelInUse(recognizer, "model fine-tuned on your handwriting"))

    def _on_train_tab_use_model_requested(self, network: Network) -> None:
        self.use_model(ModelInUse(Recognizer(network), "model trained in the Train tab"))
        self.tabs.setCurrentWidget(self.draw_tab)

    # -- settings -------------------------------------------------------------------

    def _restore_settings(self) -> None:
        if not self.checked.geometry(keys.WINDOW_GEOMETRY, self.restoreGeometry):
            self.resize(*DEFAULT_SIZE)
        # Never larger than the screen (a large scale factor, a small screen): tabs scroll.
        self.resize(self.size().boundedTo(self.screen().availableGeometry().size() * 0.95))
        brush = self.checked.number(keys.BRUSH, "The brush size", *BRUSH_RANGE, DEFAULT_BRUSH)
        self.draw_tab.set_brush_size(brush)

    def showEvent(self, event: QShowEvent) -> None:
        """Start the training process, then build the plots, once the window is up."""
        super().showEvent(event)
        if not self._server_started:
            self._server_started = True
            later(self, self._start_server)
            if self._model_to_open:  # a large last model: read while the window works
                self.open_model(self._model_to_open)

    def _start_server(self) -> None:
        if not self.isVisible():  # closed before this turn came: start nothing to leave behind
            return
        try:
            self.training_process.start()
        except TrainingProcessError as error:  # said again, with advice, when a run needs it
            self.statusBar().showMessage(str(error), 8000)
        self.train_tab.plots.build_charts_when_idle()

    def _show_model_line(self) -> None:
        self.model_label.setText(self.model.summary())
        self.model_label.setToolTip(self.model.details())

    def changeEvent(self, event: QEvent) -> None:
        """Back in front: show the samples and runs another window changed meanwhile."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.train_tab.runs.refresh_if_changed()
            try:
                changed = self.samples.refresh()
            except UserDataError:
                return  # said when a sample is next kept
            if changed:
                self.draw_tab.show_sample_counts()
                self.train_tab.show_sample_count()
                if self.samples_dialog is not None:
                    self.samples_dialog.refresh()

    def closeEvent(self, event: QCloseEvent) -> None:
        """End background work (bounded); remember window, brush and training setup.

        Samples the disk would not take are tried once more, then the user decides; so
        does a run that has trained a while.
        """
        if (not self.samples.save_unsaved() and not confirm_losing(
            self, "Samples not saved",
            f"{counted(len(self.samples.unsaved), 'sample')} you kept could not be saved "
            "(the disk is full or read-only). Close Digit Pad and lose them?",
        )) or not self.train_tab.may_end_run():  # fmt: skip
            event.ignore()
            return
        self.train_tab.shutdown()
        if self.samples_dialog is not None:
            self.samples_dialog.shutdown()
        self.training_process.close()
        self.settings.setValue(keys.WINDOW_GEOMETRY, self.saveGeometry())
        self.settings.setValue(keys.BRUSH, self.draw_tab.brush_slider.value())
        self.settings.sync()
        super().closeEvent(event)
