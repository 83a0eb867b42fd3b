"""Review the user's samples, export/import them, and fine-tune the model on them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
from PySide6.QtCore import QSize, Signal
from PySide6.QtGui import QCloseEvent, QIcon, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.data.corpus import CorpusSource
from desktop.data.personal_samples import SampleStore
from desktop.data.run_ledger import RunEnd, RunLedger
from desktop.data.sample import Sample
from desktop.data.user_database import UserDataError
from desktop.recognition.features import MAX_COUNT
from desktop.training.fine_tuning import FineTuneResult
from desktop.training.process import TrainingProcess
from desktop.training.recording import RunRecorder, fine_tune_end
from desktop.training.run_clock import RunClock
from desktop.ui.dialogs.file_choice import choose_file_to_open, choose_file_to_save
from desktop.ui.settings import RecentFolder
from desktop.ui.support.job_runner import JobRunner
from desktop.ui.support.worker_thread import WorkerThread
from desktop.ui.widgets.colour_maps import grey_rgb, rgb_image
from desktop.ui.widgets.controls import (
    button_row,
    named_button,
    one_shot_timer,
    reserved_label,
    show_error,
)
from desktop.words import counted, plural
from nncore import Network

NEWS_MS = 6000  # how long news stays in the status line
UNSAVED = (
    "The samples are kept for now and will be saved with the next change that can be "
    "written (closing Digit Pad before then loses them)."
)
# The format follows the name: JSON lines keep the strokes, optdigits text other tools read.
SAMPLE_FILE_FILTER = (
    "optdigits text (*.tra *.tes *.txt *.csv);;JSON lines, with the strokes (*.jsonl);;"
    "All files (*)"
)


def thumbnail(features: np.ndarray, side: int = 48) -> QIcon:
    """An 8x8 glyph (0..16) as a crisp grey icon."""
    image = rgb_image(grey_rgb(np.asarray(features, dtype=np.float64), MAX_COUNT))
    return QIcon(QPixmap.fromImage(image.scaled(side, side)))


class SamplesDialog(QDialog):
    """Your samples, and "Fine-tune on my handwriting" with a keep-or-discard choice."""

    use_model_requested = Signal(object)  # Network
    samples_changed = Signal()

    def __init__(
        self,
        store: SampleStore,
        current_network: Callable[[], Network],
        process: TrainingProcess,
        corpus: CorpusSource,
        folder: RecentFolder | None = None,
        ledger: RunLedger | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("My samples")
        self.setObjectName("samplesDialog")
        self.store = store
        self.current_network = current_network
        self.training_process = process
        self.corpus = corpus  # loaded in the worker thread
        self.folder = folder
        self.fine_tuned: FineTuneResult | None = None
        self.recorder = RunRecorder(ledger or RunLedger(None))  # fine-tunings are kept as runs
        self._clock = RunClock()
        self._before_delete: list[Sample] | None = None
        self.worker_thread = WorkerThread(self)
        self.worker_thread.ended.connect(self.refresh)

        self.counts_label = QLabel()
        self.counts_label.setObjectName("countsLabel")
        self.counts_label.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("samplesList")
        self.list.setViewMode(QListView.ViewMode.IconMode)
        self.list.setIconSize(QSize(48, 48))
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.list.setMinimumSize(520, 260)
        self.delete_button = named_button(
            "Delete selected", "deleteSampleButton", slot=self.delete_selected
        )
        self.undo_delete_button = named_button(
            "Undo delete", "undoDeleteButton", slot=self.undo_delete
        )
        self.undo_delete_button.setEnabled(False)
        self.export_button = named_button("Export…", "exportSamplesButton", slot=self._on_export)
        self.import_button = named_button("Import…", "importSamplesButton", slot=self._on_import)
        self.fine_tune_button = named_button(
            "Fine-tune on my handwriting", "fineTuneButton", slot=self.start_fine_tune
        )
        # Room for the figures and a warning, reserved: the buttons below never move.
        self.status_label = reserved_label("", "fineTuneStatus", lines=6)
        # News ("Exported 12 samples") fades after a while; results of fine-tuning stay.
        self.news_timer = one_shot_timer(self, NEWS_MS, self._on_news_timer_timeout)
        self.keep_button = named_button(
            "Keep the fine-tuned model", "keepModelButton", slot=self.keep
        )
        self.discard_button = named_button("Discard it", "discardModelButton", slot=self.discard)

        layout = QVBoxLayout(self)
        layout.addWidget(self.counts_label)
        layout.addWidget(self.list, 1)
        layout.addLayout(button_row(self.delete_button, self.undo_delete_button,
                                    self.export_button, self.import_button))  # fmt: skip
        layout.addWidget(self.fine_tune_button)
        layout.addWidget(self.status_label)
        layout.addLayout(button_row(self.keep_button, self.discard_button))
        self.refresh()
        self._show_decision(False)

    # -- samples --------------------------------------------------------------------

    def refresh(self) -> None:
        """Show the store as it is on disk."""
        self.list.clear()
        for sample in self.store.samples:
            item = QListWidgetItem(thumbnail(sample.features), str(sample.label))
            self.list.addItem(item)
        counts = self.store.counts()
        per_digit = ", ".join(f"{d}: {n}" for d, n in enumerate(counts))
        self.counts_label.setText(
            f"{len(self.store.samples)} samples ({per_digit}). On the Draw tab, press a digit "
            "key (or click its bar) to keep a drawing as that digit."
        )
        self.fine_tune_button.setEnabled(
            not self.worker_thread.running and len(self.store.samples) >= 5
        )

    def delete_selected(self) -> None:
        """Forget the selected samples (Undo delete brings them back)."""
        rows = sorted({index.row() for index in self.list.selectedIndexes()}, reverse=True)
        if not rows:
            return
        self._before_delete = [self.store.samples[row] for row in rows]
        try:
            self.store.remove(*self._before_delete)
        except UserDataError as error:
            show_error(self, "Delete failed", str(error))
            return
        self.refresh()
        self.samples_changed.emit()
        self.undo_delete_button.setEnabled(True)
        self._say(f"Deleted {counted(len(rows), 'sample')}. Undo delete brings "
                  f"{plural(len(rows), 'it', 'them')} back.")  # fmt: skip

    def undo_delete(self) -> None:
        """Bring back what the last delete took."""
        if self._before_delete is None:
            return
        try:
            self.store.restore(self._before_delete)
        except UserDataError as error:
            show_error(self, "Undo failed", str(error))
            return
        self._before_delete = None
        self.undo_delete_button.setEnabled(False)
        self.refresh()
        self.samples_changed.emit()
        self._say("The deleted samples are back.")

    def _say(self, news: str) -> None:
        self.status_label.setText(news)
        self.news_timer.start()

    def _on_news_timer_timeout(self) -> None:
        if not self.keep_button.isVisible() and not self.worker_thread.running:
            self.status_label.setText("")

    def export_to(self, path: str | Path) -> bool:
        """Write the samples (JSON lines for a ``.jsonl`` name, else optdigits text)."""
        try:
            count = self.store.export(path)
        except (OSError, ValueError) as error:  # a full disk; a row damaged outside the app
            show_error(self, "Export failed", f"The samples could not be exported: {error}")
            return False
        self._say(f"Exported {counted(count, 'sample')} to {path}.")
        return True

    def import_from(self, path: str | Path) -> bool:
        """Add the samples of an optdigits text or JSON-lines file; a bad one changes nothing."""
        try:
            added, skipped = self.store.import_file(path)
        except UserDataError as error:  # read, but the disk would not take them
            self.refresh()
            self.samples_changed.emit()
            show_error(self, "Import not saved", f"{error} {UNSAVED}")
            return False
        except (OSError, ValueError) as error:
            show_error(self, "Import failed", f"{Path(path).name} cannot be imported: {error}")
            return False
        self.refresh()
        self.samples_changed.emit()
        news = f"Imported {counted(added, 'sample')}"
        if skipped:
            news += f"; {counted(skipped, 'sample')} {plural(skipped, 'was', 'were')} already here"
        self._say(news + ".")
        return True

    def _on_export(self) -> None:
        path = choose_file_to_save(self, "Export samples", "my-digits.tra", SAMPLE_FILE_FILTER,
                                   self.folder)  # fmt: skip
        if path:
            self.export_to(path)

    def _on_import(self) -> None:
        path = choose_file_to_open(self, "Import samples", SAMPLE_FILE_FILTER, self.folder)
        if path:
            self.import_from(path)

    # -- fine-tuning ------------------------------------------------------------------

    def start_fine_tune(self) -> bool:
        """Fine-tune a copy of the current model in a worker thread."""
        if self.worker_thread.running or len(self.store.samples) < 5:
            return False
        self.fine_tuned = None
        self._show_decision(False)
        strokes = [sample.strokes for sample in self.store.samples]  # re-drawn as variants
        keep_as = self.recorder.begin_fine_tune(len(self.store.samples))
        self._clock = RunClock()
        payload = (self.current_network(), self.store.arrays(), strokes, self.corpus, keep_as)
        worker = JobRunner(self.training_process, "fine_tune", payload)
        worker.status_changed.connect(self._on_worker_status_changed)
        worker.finished.connect(self._on_worker_finished)
        worker.failed.connect(self._on_worker_failed)
        worker.cancelled.connect(self._on_worker_cancelled)
        self.worker_thread.start(worker)
        self.fine_tune_button.setEnabled(False)
        return True

    @property
    def is_running(self) -> bool:
        """True while fine-tuning."""
        return self.worker_thread.running

    def keep(self) -> None:
        """Use the fine-tuned model from now on."""
        if self.fine_tuned is not None:
            self.use_model_requested.emit(self.fine_tuned.network)
            self.status_label.setText("The Draw tab now uses the fine-tuned model.")
        self._show_decision(False)

    def discard(self) -> None:
        """Forget the fine-tuned model; the current one stays."""
        self.fine_tuned = None
        self.status_label.setText("Discarded; the model in use did not change.")
        self._show_decision(False)

    def _show_decision(self, visible: bool) -> None:
        for button in (self.keep_button, self.discard_button):
            policy = button.sizePolicy()
            policy.setRetainSizeWhenHidden(True)  # their place is kept: nothing jumps
            button.setSizePolicy(policy)
            button.setVisible(visible)

    def _on_worker_status_changed(self, text: str) -> None:
        self.status_label.setText(text)

    def _on_worker_finished(self, result: FineTuneResult) -> None:
        self.recorder.end(fine_tune_end(result, self._clock.elapsed()))
        if not self.isVisible():  # closed meanwhile: closing discards it, as it says
            self.fine_tuned = None
            return
        self.fine_tuned = result
        self.status_label.setText(_figures(result))
        self._show_decision(True)

    def _on_worker_cancelled(self) -> None:
        self._on_worker_failed("Fine-tuning was cancelled; nothing changed.", "stopped")

    def _on_worker_failed(self, message: str, ended: str = "failed") -> None:
        self.recorder.end(RunEnd(ended, self._clock.elapsed(), message=message))
        self.status_label.setText(message)

    def shutdown(self) -> None:
        """Cancel fine-tuning (between folds) within a bounded wait."""
        self.worker_thread.shutdown()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing cancels fine-tuning and forgets an undecided result (nothing changes).

        The samples are already on disk.
        """
        self.shutdown()
        if self.fine_tuned is not None:
            self.discard()
        super().closeEvent(event)


def _figures(result: FineTuneResult) -> str:
    """Before and after, in words, with a warning when drawings read worse."""
    figures = [
        f"On your {result.samples} samples (cross-validated, {result.folds} folds): "
        f"{result.yours_before:.0%} before, {result.yours_after:.0%} after.",
        f"On the held-out load_digits test digits: {result.test_before:.1%} before, "
        f"{result.test_after:.1%} after.",
    ]
    if result.drawn_before is not None and result.drawn_after is not None:
        figures.append(f"On drawn digits of unseen writers: {result.drawn_before:.1%} "
                       f"before, {result.drawn_after:.1%} after.")  # fmt: skip
        if result.drawn_after < result.drawn_before:  # as the Train tab warns
            figures.insert(0, "⚠ It reads drawn digits of unseen writers worse than the "
                              "model in use.")  # fmt: skip
    figures.append("It keeps your samples: the nearest ones have a say in every answer.")
    return "\n".join(figures)
