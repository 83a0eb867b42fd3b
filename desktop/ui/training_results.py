"""The Train tab's results: test accuracy, confusion matrix, misclassified digits, use/save."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.recognition.features import MAX_COUNT, N_CLASSES
from desktop.training.outcome import TrainingResult
from desktop.ui.bitmap_view import BitmapView
from desktop.ui.controls import named_button
from desktop.ui.style import BLUE, RED

MAX_MISCLASSIFIED = 40
GALLERY_COLUMNS = 4


class TrainingResults(QGroupBox):
    """Shows one :class:`TrainingResult`; asks for it to be used or saved."""

    use_requested = Signal(object)  # Network
    save_requested = Signal(object)  # Network

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Result on the held-out test digits", parent)
        self.result: TrainingResult | None = None
        self.test_label = QLabel("Train a network to see how it does on digits it never saw.")
        self.test_label.setObjectName("testAccuracyLabel")
        self.test_label.setWordWrap(True)
        self.confusion_table = QTableWidget(N_CLASSES, N_CLASSES)
        self.confusion_table.setObjectName("confusionTable")
        self.confusion_table.setHorizontalHeaderLabels([str(d) for d in range(N_CLASSES)])
        self.confusion_table.setVerticalHeaderLabels([str(d) for d in range(N_CLASSES)])
        for header in (self.confusion_table.horizontalHeader(),
                       self.confusion_table.verticalHeader()):  # fmt: skip
            header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
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
        layout = QVBoxLayout(self)
        layout.addWidget(self.test_label)
        layout.addWidget(QLabel("Confusion matrix (rows: true, columns: predicted)"))
        layout.addWidget(self.confusion_table, 2)
        layout.addWidget(QLabel("Misclassified test digits (true → predicted)"))
        layout.addWidget(scroll, 2)
        layout.addLayout(buttons)
        self.use_button.setEnabled(False)
        self.save_button.setEnabled(False)

    def show_message(self, text: str) -> None:
        """Say something instead of a result (a run that could not finish)."""
        self.test_label.setText(text)

    def show_result(self, result: TrainingResult) -> None:
        """Display ``result`` and offer to use or save its network."""
        self.result = result
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
        self._show_confusion(result.confusion)
        self._show_misclassified(result)
        self.use_button.setEnabled(True)
        self.save_button.setEnabled(True)

    def _show_confusion(self, confusion: np.ndarray) -> None:
        peak = max(int(confusion.max()), 1)
        for true in range(N_CLASSES):
            for predicted in range(N_CLASSES):
                count = int(confusion[true, predicted])
                item = QTableWidgetItem(str(count) if count else "")
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if count:
                    colour = QColor(BLUE if true == predicted else RED)
                    colour.setAlpha(int(40 + 150 * count / peak))
                    item.setBackground(colour)
                self.confusion_table.setItem(true, predicted, item)

    def _show_misclassified(self, result: TrainingResult) -> None:
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
            view = BitmapView(MAX_COUNT, side=56)
            view.set_values(result.images_test[index])
            caption = QLabel(f"{result.labels_test[index]} → {result.predicted[index]}")
            caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
            cell_layout.addWidget(view)
            cell_layout.addWidget(caption)
            row, column = divmod(position, GALLERY_COLUMNS)
            self.misclassified_grid.addWidget(cell, row, column)

    def _on_use_button_clicked(self) -> None:
        if self.result is not None:
            self.use_requested.emit(self.result.network)

    def _on_save_button_clicked(self) -> None:
        if self.result is not None:
            self.save_requested.emit(self.result.network)
