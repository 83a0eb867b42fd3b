"""The Train tab's results: test accuracy, confusion matrix, misclassified digits, use/save."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.recognition.features import MAX_COUNT, N_CLASSES
from desktop.training.outcome import Evaluation, TrainingResult
from desktop.training.session import accuracy_on
from desktop.ui.style import BLUE, RED
from desktop.ui.widgets.controls import button_row, named_button, reserved_label, say_within
from desktop.ui.widgets.gallery_view import GalleryView
from desktop.words import counted
from nncore import Network

MAX_MISCLASSIFIED = 40
ALL_MISTAKES = "Misclassified test digits (true → predicted); click a matrix cell for its own"
GALLERY_COLUMNS = 4


class TrainingResults(QGroupBox):
    """Shows one :class:`TrainingResult`; asks for it to be used or saved."""

    use_requested = Signal(object)  # Network
    save_requested = Signal(object)  # Network
    inspect_requested = Signal(object)  # a glyph (8, 8), counts 0..16
    keep_requested = Signal(int, object)  # its true digit, and the glyph

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Result on the held-out test digits", parent)
        self.result: TrainingResult | None = None
        self._evaluation: Evaluation | None = None  # the one the matrix shows
        self._cell: tuple[int, int] | None = None  # the matrix cell whose glyphs are shown
        self._shown: np.ndarray = np.empty(0, dtype=int)  # their rows in the evaluation
        # Every text here has lines reserved (a long one is cut at a word, whole in its
        # tooltip): the window's minimum size is then exact, and nothing overlaps in it.
        self.test_label = reserved_label(
            "Train a network to see how it does on digits it never saw.", "testAccuracyLabel", 4
        )
        self.evaluation_combo = QComboBox()
        self.evaluation_combo.setObjectName("evaluationCombo")
        self.evaluation_combo.setToolTip("Which test digits the matrix and the gallery show")
        self.evaluation_combo.currentIndexChanged.connect(self._on_evaluation_combo_changed)
        self.comparison_label = reserved_label("", "comparisonLabel", 3)
        self.confusion_table = QTableWidget(N_CLASSES, N_CLASSES)
        self.confusion_table.setObjectName("confusionTable")
        self.confusion_table.setHorizontalHeaderLabels([str(d) for d in range(N_CLASSES)])
        self.confusion_table.setVerticalHeaderLabels([str(d) for d in range(N_CLASSES)])
        for header in (self.confusion_table.horizontalHeader(),
                       self.confusion_table.verticalHeader()):  # fmt: skip
            header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.confusion_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.confusion_table.setTabKeyNavigation(False)  # Tab leaves; arrows visit the cells
        # In a narrow window a count of two or three digits showed as "…"; the digits,
        # even touching the cell's edge, say more.
        self.confusion_table.setTextElideMode(Qt.TextElideMode.ElideNone)
        for header in (self.confusion_table.horizontalHeader(),
                       self.confusion_table.verticalHeader()):  # fmt: skip
            header.setMinimumSectionSize(18)  # ten columns fit a narrow window
        self.confusion_table.setToolTip("Rows: true digit. Columns: predicted digit.")
        self.confusion_table.setAccessibleName("Confusion matrix")
        self.confusion_table.setAccessibleDescription(
            "Rows: the true digit. Columns: the digit predicted. Arrows move between cells."
        )
        self.confusion_table.setMinimumHeight(220)
        self.confusion_table.cellClicked.connect(self._on_cell_chosen)
        self.confusion_table.cellActivated.connect(self._on_cell_chosen)  # Enter, from the keys
        self.gallery = GalleryView(MAX_COUNT, "Misclassified test digits", GALLERY_COLUMNS)
        self.gallery.setObjectName("misclassifiedGallery")
        scroll = QScrollArea()
        scroll.setObjectName("misclassifiedArea")
        scroll.setAccessibleName("Misclassified test digits")
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.gallery)
        self.gallery.selected_changed.connect(self._on_glyph_selected)
        self.inspect_button = named_button(
            "Inside", "inspectGlyphButton", slot=self._on_inspect_clicked,
            tip="See how the network reads the selected digit, in the Inside tab",
        )  # fmt: skip
        self.keep_button = named_button(
            "Keep as my sample", "keepGlyphButton", slot=self._on_keep_clicked,
            tip="Keep the selected digit, with its true label, among your samples",
        )  # fmt: skip
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
        layout.addWidget(self.evaluation_combo)
        policy = self.evaluation_combo.sizePolicy()
        policy.setRetainSizeWhenHidden(True)  # showing it later moves nothing
        self.evaluation_combo.setSizePolicy(policy)
        self.evaluation_combo.setVisible(False)  # until there are results to choose from
        layout.addWidget(reserved_label("Confusion matrix (rows: true, columns: predicted)",
                                        "confusionCaption", 2))  # fmt: skip
        layout.addWidget(self.confusion_table, 2)
        self.gallery_caption = reserved_label(ALL_MISTAKES, "misclassifiedCaption", 2)
        layout.addWidget(self.gallery_caption)
        layout.addWidget(scroll, 2)
        layout.addLayout(button_row(self.inspect_button, self.keep_button))
        layout.addWidget(self.comparison_label)
        layout.addLayout(buttons)
        self.use_button.setEnabled(False)
        self.save_button.setEnabled(False)
        self._on_glyph_selected(-1)

    def await_run(self) -> None:
        """A run started: the last run's figures go, and nothing can be used until it ends."""
        self.result, self._evaluation = None, None
        say_within(self.test_label, "Training… the results appear here when the run ends.")
        self.evaluation_combo.setVisible(False)
        self.confusion_table.clearContents()
        self.gallery.set_items([], [])
        say_within(self.comparison_label, "")
        self.use_button.setEnabled(False)
        self.save_button.setEnabled(False)

    def show_message(self, text: str) -> None:
        """Say something instead of a result (a run that could not finish)."""
        say_within(self.test_label, text)

    def show_result(self, result: TrainingResult, in_use: Network | None = None) -> None:
        """Display ``result`` and offer to use or save its network (not after a divergence).

        The comparison with the model the Draw tab uses (what "Use this model" changes)
        takes the result's own score of it, or scores ``in_use`` here when given (the
        model in use changed during the run).
        """
        self.result = result
        drawn = result.drawn
        in_use_drawn = result.in_use_drawn
        if in_use is not None and drawn is not None:
            in_use_drawn = accuracy_on(in_use, (drawn.images, drawn.labels))
        if result.error:
            headline = f"Stopped: {result.error}"
        elif result.stopped:
            headline = f"Stopped after {counted(result.epochs_run, 'epoch')}."
        elif result.epochs_before:  # a continued run
            headline = (f"Finished {counted(result.epochs_run, 'more epoch')} "
                        f"({result.epochs_before + result.epochs_run:,} in all).")  # fmt: skip
        else:
            headline = f"Finished {counted(result.epochs_run, 'epoch')}."
        figures = "\n".join(
            f"{e.name}: {e.accuracy:.2%} "
            f"({int(np.sum(e.predicted == e.labels))} of {len(e.labels)})."
            for e in result.evaluations
        )
        say_within(self.test_label, f"{headline}\n{figures}")
        self.evaluation_combo.blockSignals(True)
        self.evaluation_combo.clear()
        self.evaluation_combo.addItems([e.name for e in result.evaluations])
        self.evaluation_combo.blockSignals(False)
        self.evaluation_combo.setVisible(True)
        self._show_evaluation(0)
        say_within(self.comparison_label, _comparison(result, in_use_drawn))
        self.use_button.setEnabled(result.usable)
        self.save_button.setEnabled(result.usable)

    def _on_evaluation_combo_changed(self, index: int) -> None:
        if self.result is not None and 0 <= index < len(self.result.evaluations):
            self._show_evaluation(index)

    def _show_evaluation(self, index: int) -> None:
        assert self.result is not None
        self._evaluation = self.result.evaluations[index]
        self._cell = None
        self._show_confusion(self._evaluation.confusion)
        self._show_glyphs()

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

    def _on_cell_chosen(self, true: int, predicted: int) -> None:
        """Show exactly the glyphs of that cell; the same cell again: every mistake."""
        if self._evaluation is not None:
            self._cell = None if self._cell == (true, predicted) else (true, predicted)
            self._show_glyphs()

    def _show_glyphs(self) -> None:
        evaluation = self._evaluation
        assert evaluation is not None
        labels, predicted = evaluation.labels, evaluation.predicted
        if self._cell is None:
            chosen, caption = predicted != labels, ALL_MISTAKES
        else:
            true, read = self._cell
            chosen = (labels == true) & (predicted == read)
            caption = (f"{int(chosen.sum())} test {true}s read as {read} (click the cell "
                       "again for every mistake)")  # fmt: skip
        self._shown = np.flatnonzero(chosen)[:MAX_MISCLASSIFIED]
        say_within(self.gallery_caption, caption)
        self.gallery.set_items([evaluation.images[i] for i in self._shown],
                               [f"{labels[i]} → {predicted[i]}" for i in self._shown])  # fmt: skip

    def _selected_glyph(self) -> tuple[int, np.ndarray] | None:
        """The selected glyph's true digit and counts, or None."""
        index = self.gallery.selected
        if self._evaluation is None or not 0 <= index < len(self._shown):
            return None
        row = self._shown[index]
        return int(self._evaluation.labels[row]), self._evaluation.images[row]

    def _on_glyph_selected(self, _index: int) -> None:
        chosen = self._selected_glyph()
        self.inspect_button.setEnabled(chosen is not None)
        self.keep_button.setEnabled(chosen is not None)
        self.keep_button.setText(f"Keep as my {chosen[0]}" if chosen else "Keep as my sample")

    def _on_inspect_clicked(self) -> None:
        chosen = self._selected_glyph()
        if chosen is not None:
            self.inspect_requested.emit(chosen[1])

    def _on_keep_clicked(self) -> None:
        chosen = self._selected_glyph()
        if chosen is not None:
            self.keep_requested.emit(*chosen)

    def _on_use_button_clicked(self) -> None:
        if self.result is not None:
            self.use_requested.emit(self.result.network)

    def _on_save_button_clicked(self) -> None:
        if self.result is not None:
            self.save_requested.emit(self.result.network)


def _comparison(result: TrainingResult, in_use_drawn: float | None) -> str:
    """What "Use this model" would change, in words."""
    if not result.usable:
        return "A diverged network guesses at chance: it cannot be used or saved."
    drawn = result.drawn
    if drawn is None or in_use_drawn is None:
        return ""
    change = (
        f"Drawn digits of unseen writers: {in_use_drawn:.1%} (model in use) → {drawn.accuracy:.1%}."
    )
    if drawn.accuracy < in_use_drawn:
        return f"⚠ Reads drawings worse. {change}"
    return change
