"""The Draw tab: canvas, drawing tools, and the live prediction beside them."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QHideEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from desktop.data.personal_samples import Sample, SampleStore
from desktop.data.user_database import UserDataError
from desktop.recognition.drawing import SIZE
from desktop.recognition.prediction import Prediction
from desktop.recognition.recognizer import Recognizer
from desktop.ui.widgets.controls import named_button, one_shot_timer
from desktop.ui.widgets.drawing_canvas import DrawingCanvas
from desktop.ui.widgets.prediction_panel import PredictionPanel

# Live prediction runs at most this often while drawing (each costs a fraction of a
# frame), so a stroke never stutters; the end of a stroke is always predicted at once.
PREDICT_INTERVAL_MS = 40
NEWS_MS = 5000  # how long "Kept as 7" and the like stay before the plain counts return


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
        self._kept: tuple[Sample, int] | None = None  # the last kept sample, undo steps
        self.canvas = DrawingCanvas()
        self.panel = PredictionPanel()

        self.brush_slider = QSlider(Qt.Orientation.Horizontal)
        self.brush_slider.setObjectName("brushSlider")
        self.brush_slider.setAccessibleName("Brush size")
        self.brush_slider.setRange(4, 40)
        self.brush_slider.setValue(int(self.canvas.brush_size))
        self.brush_slider.setFixedWidth(140)
        self.brush_slider.valueChanged.connect(self._on_brush_slider_value_changed)
        self.brush_label = QLabel()
        self._on_brush_slider_value_changed(self.brush_slider.value())

        self.eraser_button = named_button(
            "Eraser", "eraserButton", tip="Erase (or drag with the right button)", tool=True
        )
        self.eraser_button.setCheckable(True)
        self.eraser_button.toggled.connect(self._on_eraser_button_toggled)
        canvas = self.canvas
        self.undo_button = named_button(
            "Undo", "undoButton", slot=canvas.undo, tip="Undo the last stroke (Ctrl+Z)", tool=True
        )
        self.redo_button = named_button(
            "Redo", "redoButton", slot=canvas.redo, tip="Redo (Ctrl+Shift+Z)", tool=True
        )
        self.clear_button = named_button(
            "Clear", "clearButton", slot=canvas.clear, tip="Clear the canvas (Delete)", tool=True
        )
        # The Edit menu's actions act on the drawing, so only while this tab is shown:
        # Escape in a Train-tab field or Ctrl+Z on the Inside tab must not touch it.
        keys = QKeySequence.StandardKey
        self.edit_actions = [
            _action(self, "&Undo", [keys.Undo], canvas.undo),
            _action(self, "&Redo", ["Ctrl+Shift+Z", "Ctrl+Y"], canvas.redo),
            _action(self, "&Clear", ["Delete", "Escape"], canvas.clear),
        ]

        tools = QHBoxLayout()
        tools.addWidget(QLabel("Brush"))
        tools.addWidget(self.brush_slider)
        tools.addWidget(self.brush_label)
        tools.addSpacing(12)
        for button in (self.eraser_button, self.undo_button, self.redo_button, self.clear_button):
            tools.addWidget(button)
        tools.addStretch(1)
        self.samples_button = named_button(
            "My samples…",
            "samplesButton",
            tip="Review, export and fine-tune on your samples",
            tool=True,
        )
        self.samples_button.clicked.connect(self.samples_requested)
        tools.addWidget(self.samples_button)
        self.samples_label = QLabel()
        self.samples_label.setObjectName("samplesLabel")
        self.samples_label.setWordWrap(True)

        left = QVBoxLayout()
        left.addLayout(tools)
        left.addWidget(self.canvas, 1)
        left.addWidget(self.samples_label)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 3)
        layout.addWidget(self.panel, 2)

        self.news_timer = one_shot_timer(self, NEWS_MS, self.show_sample_counts)
        self._timer = one_shot_timer(self, PREDICT_INTERVAL_MS, self.predict)
        self.canvas.changed.connect(self._on_canvas_changed)
        self.canvas.stroke_finished.connect(self.predict)
        self.panel.digit_clicked.connect(self.keep_sample)
        for digit in range(10):
            shortcut = QShortcut(QKeySequence(str(digit)), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(partial(self.keep_sample, digit))
        self._update_buttons()
        self.show_sample_counts()

    def keep_sample(self, digit: int) -> bool:
        """Keep the drawing as a sample of ``digit`` (the user's answer), then clear it."""
        if self.store is None:
            return False
        self.predict()
        if self.prediction is None or self.prediction.stages is None:
            self.samples_label.setText("Draw a digit first, then press its key to keep it.")
            return False
        try:
            sample = self.store.add(
                digit, self.prediction.stages.features, self.canvas.drawing.visible_strokes()
            )
        except UserDataError as error:  # a full or read-only disk: the drawing stays
            self.samples_label.setText(f"Not kept: {error} The drawing stays; try again.")
            return False
        count = int(self.store.counts()[digit])
        self.samples_changed.emit()
        self.canvas.clear()
        # Undoing the clear that follows takes the sample back too.
        self._kept = (sample, self.canvas.drawing.steps)
        self.show_sample_counts(f"Kept as {digit}: you have {count} of {digit}. ")
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
        counts = self.store.counts()
        per_digit = "  ".join(f"{d}: {n}" for d, n in enumerate(counts))
        self.samples_label.setText(
            f"{prefix}Your samples ({int(counts.sum())}): {per_digit}. Press a digit key "
            "(or click its bar) to keep a drawing as that digit."
        )

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
        strokes = self.canvas.drawing.visible_strokes()
        self.prediction = self.recognizer.predict_strokes(strokes, (SIZE, SIZE))
        self.panel.show_prediction(self.prediction)
        self.prediction_changed.emit(self.prediction)

    def _on_canvas_changed(self) -> None:
        if self._kept is not None and self.store is not None:
            sample, steps = self._kept
            if self.canvas.drawing.steps < steps:  # the clear after keeping was undone
                self._kept = None
                try:
                    self.store.remove(sample)
                except UserDataError as error:
                    self.samples_label.setText(f"The {sample.label} stays kept: {error}")
                else:
                    self.samples_changed.emit()
                    self.show_sample_counts(f"Took back the {sample.label} you kept. ")
            elif self.canvas.drawing.steps > steps:  # drawing on: the keep stands
                self._kept = None
        self._update_buttons()
        if not self._timer.isActive():
            self._timer.start()

    def _on_brush_slider_value_changed(self, value: int) -> None:
        self.canvas.brush_size = float(value)
        self.brush_label.setText(f"{value} px")

    def _on_eraser_button_toggled(self, checked: bool) -> None:
        self.canvas.eraser = checked

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
        for button, action, allowed in zip(
            (self.undo_button, self.redo_button, self.clear_button),
            self.edit_actions,
            (drawing.can_undo, drawing.can_redo, bool(drawing.strokes)),
            strict=True,
        ):
            button.setEnabled(allowed)
            action.setEnabled(allowed and shown)


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
