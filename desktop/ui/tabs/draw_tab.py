"""The Draw tab: canvas, drawing tools, and the live prediction beside them.

In Number mode the canvas is a wide strip: a whole number is read digit by digit, and
typing the number keeps each of its digits as a sample.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QHideEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from desktop.data.personal_samples import SampleStore, UnsavedSamples
from desktop.data.sample import Sample
from desktop.data.user_database import UserDataError
from desktop.recognition.drawing import NUMBER_WIDTH, Drawing
from desktop.recognition.numbers import NumberReading
from desktop.recognition.prediction import Prediction
from desktop.recognition.recognizer import Recognizer
from desktop.ui.widgets.controls import one_shot_timer, page_contents
from desktop.ui.widgets.draw_tools import DrawTools
from desktop.ui.widgets.drawing_canvas import DrawingCanvas
from desktop.ui.widgets.number_panel import NumberPanel
from desktop.ui.widgets.prediction_panel import PredictionPanel
from desktop.words import counted

# Live prediction runs at most this often while drawing (each costs a fraction of a
# frame), so a stroke never stutters; the end of a stroke is always predicted at once.
PREDICT_INTERVAL_MS = 40
NEWS_MS = 5000  # how long "Kept as 7" and the like stay before the plain counts return
DIGIT_HINT, NUMBER_HINT = "Draw a digit here", "Write a number here, digits side by side"


class DrawTab(QWidget):
    """Draw a digit; the network's answer updates while you draw."""

    samples_requested = Signal()
    prediction_changed = Signal(object)  # Prediction
    samples_changed = Signal()

    def __init__(
        self,
        recognizer: Recognizer,
        store: SampleStore | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.recognizer = recognizer
        self.store = store
        self.prediction: Prediction | None = None
        self.reading: NumberReading | None = None  # Number mode's last reading
        self._selected = 0  # the digit of the number the Inside tab explains
        self._typed = ""  # Number mode: the digits typed so far to label the number
        self._kept: tuple[list[Sample], int] | None = None  # last kept samples, undo steps
        self.canvas = DrawingCanvas()
        self._drawings = {False: self.canvas.drawing, True: Drawing(NUMBER_WIDTH)}
        self.panel = PredictionPanel()
        self.number_panel = NumberPanel()
        self.number_panel.hide()
        self.number_panel.digit_selected.connect(self._on_number_panel_digit_selected)
        canvas = self.canvas
        self.tools = DrawTools(canvas)
        self.tools.number_mode_toggled.connect(self._on_number_mode_toggled)
        self.tools.samples_requested.connect(self.samples_requested)
        self.number_check = self.tools.number_check
        self.brush_slider = self.tools.brush_slider
        # The Edit menu's actions act on the drawing, so only while this tab is shown:
        # Escape in a Train-tab field or Ctrl+Z on the Inside tab must not touch it.
        keys = QKeySequence.StandardKey
        self.edit_actions = [
            _action(self, "&Undo", [keys.Undo], canvas.undo),
            _action(self, "&Redo", ["Ctrl+Shift+Z", "Ctrl+Y"], canvas.redo),
            _action(self, "&Clear", ["Delete", "Escape"], canvas.clear),
        ]

        self.samples_label = QLabel()
        self.samples_label.setObjectName("samplesLabel")
        self.samples_label.setWordWrap(True)

        left = QVBoxLayout()
        left.addWidget(self.tools)
        left.addWidget(self.canvas, 1)
        left.addWidget(self.number_panel)
        left.addWidget(self.samples_label)
        layout = QHBoxLayout(page_contents(self))
        layout.addLayout(left, 3)
        layout.addWidget(self.panel, 2)

        self.news_timer = one_shot_timer(self, NEWS_MS, self.show_sample_counts)
        self._timer = one_shot_timer(self, PREDICT_INTERVAL_MS, self.predict)
        self.canvas.changed.connect(self._on_canvas_changed)
        self.canvas.stroke_finished.connect(self.predict)
        self.panel.digit_clicked.connect(self.keep_sample)
        # Window-wide, so they also act with the focus on the tab bar; Qt lets a shortcut
        # act only while its widget shows, so they never act from the other tabs.
        for digit in range(10):
            shortcut = QShortcut(QKeySequence(str(digit)), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(partial(self.keep_sample, digit))
        backspace = QShortcut(QKeySequence(Qt.Key.Key_Backspace), self)
        backspace.setContext(Qt.ShortcutContext.WindowShortcut)
        backspace.activated.connect(self._untype)
        self._update_buttons()
        self.show_sample_counts()

    @property
    def number_mode(self) -> bool:
        """True when the canvas reads a whole number rather than one digit."""
        return self.number_check.isChecked()

    def keep_sample(self, digit: int) -> bool:
        """Keep the drawing as a sample of ``digit`` (the user's answer), then clear it.

        In Number mode ``digit`` is the next digit of the number typed: once every digit
        has its label, each is kept.
        """
        if self.store is None:
            return False
        self.predict()
        if self.number_mode:
            return self._type(digit)
        if self.prediction is not None and self.prediction.not_a_digit:  # a dash, a dot
            self.samples_label.setText(
                f"Not kept as {digit}: that doesn't look like a digit. Draw the digit, then "
                "press its key."
            )
            return False
        if self.prediction is None or self.prediction.stages is None:
            self.samples_label.setText("Draw a digit first, then press its key to keep it.")
            return False
        strokes = self.canvas.drawing.visible_strokes()
        return self._keep([(digit, self.prediction.stages.features, strokes)])

    def _type(self, digit: int) -> bool:
        digits = () if self.reading is None else self.reading.digits
        if not digits:
            self.samples_label.setText("Write a number first, then type it to keep its digits.")
            return False
        self._typed += str(digit)
        if len(self._typed) < len(digits):
            self._show_typed(len(digits))
            return False
        labels, self._typed = self._typed[: len(digits)], ""
        return self._keep(
            [
                (int(label), reading.prediction.stages.features, reading.strokes)
                for label, reading in zip(labels, digits, strict=True)
                if reading.prediction.stages is not None
            ]
        )

    def _untype(self) -> None:
        if self._typed:
            self._typed = self._typed[:-1]
            self._show_typed(0 if self.reading is None else len(self.reading.digits))

    def _show_typed(self, count: int) -> None:
        left = count - len(self._typed)
        self.samples_label.setText(
            f"Labelling the number: {self._typed}{'·' * left}. Type the other "
            f"{left} digit{'s' if left != 1 else ''} (Backspace takes one back)."
        )

    def _keep(self, drawings: list[tuple[int, np.ndarray, Sequence[np.ndarray]]]) -> bool:
        assert self.store is not None
        problem = ""
        try:
            samples = self.store.add_all(drawings)
        except UnsavedSamples as error:  # a full or read-only disk: kept in memory for now
            samples, problem = error.samples, f"for now, not saved: {error} "
        self.samples_changed.emit()
        self.canvas.clear()
        # Undoing the clear that follows takes the samples back too.
        self._kept = (samples, self.canvas.drawing.steps)
        labels = "".join(str(sample.label) for sample in samples)
        if problem:
            self.show_sample_counts(f"Kept as {labels} {problem}")
        elif len(samples) == 1:
            count = int(self.store.counts()[samples[0].label])
            self.show_sample_counts(f"Kept as {labels}: you have {count} of {labels}. ")
        else:
            self.show_sample_counts(f"Kept the digits of {labels}. ")
        return True

    def show_sample_counts(self, prefix: str = "") -> None:
        """Say how many samples there are and how to add one.

        ``prefix`` is news ("Kept as 7"), shown for a few seconds, then dropped.
        """
        if self.store is None:
            self.samples_label.setText("")
            return
        if prefix:
            self.news_timer.start()
        self.samples_label.setText(_counts_text(self.store, prefix, self.number_mode))

    def set_recognizer(self, recognizer: Recognizer) -> None:
        """Use another model from now on (and re-read the current drawing with it)."""
        self.recognizer = recognizer
        self.predict()

    def set_brush_size(self, size: int) -> None:
        """Brush width in canvas units (4..40)."""
        self.brush_slider.setValue(size)

    def predict(self) -> None:
        """Recognise the drawing now and show the answer."""
        self._timer.stop()
        drawing = self.canvas.drawing
        strokes = drawing.visible_strokes()
        if not self.number_mode:
            self.prediction = self.recognizer.predict_strokes(strokes, drawing.size)
            self.panel.show_prediction(self.prediction)
        else:
            self.reading = self.recognizer.read_number(strokes, drawing.size)
            digits = self.reading.digits
            self._selected = min(self._selected, max(len(digits) - 1, 0))
            self.number_panel.show_reading(self.reading, self._selected)
            self.prediction = (
                digits[self._selected].prediction if digits else self.recognizer.predict_strokes([])
            )
        self.prediction_changed.emit(self.prediction)

    def _on_number_panel_digit_selected(self, index: int) -> None:
        self._selected = index
        self.predict()

    def _on_number_mode_toggled(self, checked: bool) -> None:
        # Each mode keeps its own drawing, so switching back and forth loses nothing.
        self.canvas.set_drawing(self._drawings[checked], NUMBER_HINT if checked else DIGIT_HINT)
        self.panel.setVisible(not checked)
        self.number_panel.setVisible(checked)
        self._typed, self._kept = "", None
        self.predict()
        self.show_sample_counts()

    def _on_canvas_changed(self) -> None:
        if self._kept is not None and self.store is not None:
            samples, steps = self._kept
            labels = "".join(str(sample.label) for sample in samples)
            if self.canvas.drawing.steps < steps:  # the clear after keeping was undone
                self._kept = None
                try:
                    self.store.remove(*samples)
                except UserDataError as error:
                    self.samples_label.setText(f"The {labels} stays kept: {error}")
                else:
                    self.samples_changed.emit()
                    self.show_sample_counts(f"Took back the {labels} you kept. ")
            elif self.canvas.drawing.steps > steps:  # drawing on: the keep stands
                self._kept = None
        self._update_buttons()
        if self._typed:  # the number changed while it was being labelled: start again
            self._typed = ""
            self.show_sample_counts()
        if not self._timer.isActive():
            self._timer.start()

    def showEvent(self, event: QShowEvent) -> None:
        """The Edit menu acts on the drawing again."""
        super().showEvent(event)
        self._update_buttons()

    def hideEvent(self, event: QHideEvent) -> None:
        """Another tab is shown: the Edit menu leaves the drawing alone."""
        super().hideEvent(event)
        self._update_buttons()

    def _update_buttons(self) -> None:
        drawing, shown = self.canvas.drawing, self.isVisible()
        allowed = (drawing.can_undo, drawing.can_redo, bool(drawing.strokes))
        self.tools.enable_edits(*allowed)
        for action, enabled in zip(self.edit_actions, allowed, strict=True):
            action.setEnabled(enabled and shown)


def _action(
    parent: QWidget,
    text: str,
    shortcuts: list[QKeySequence.StandardKey | str],
    slot: Callable[[], object],
) -> QAction:
    action = QAction(text, parent)
    action.setShortcuts([QKeySequence(shortcut) for shortcut in shortcuts])
    action.triggered.connect(slot)
    return action


def _counts_text(store: SampleStore, news: str, number_mode: bool) -> str:
    """The samples line: news (or a standing warning), the counts, how to add one."""
    counts = store.counts()
    per_digit = "  ".join(f"{d}: {n}" for d, n in enumerate(counts))
    unsaved = len(store.unsaved)
    if unsaved and not news:  # said until they are saved, once the news is gone
        news = f"⚠ {counted(unsaved, 'sample')} not saved yet (saved with your next). "
    how = (
        "Type the number to keep each of its digits."
        if number_mode
        else "Press a digit key (or click its bar) to keep a drawing as that digit."
    )
    return f"{news}Your samples ({int(counts.sum())}): {per_digit}. {how}"
