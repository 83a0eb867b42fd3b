"""The Draw tab's toolbar: brush size, eraser, undo, redo, clear, Number mode, samples."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QSlider, QWidget

from desktop.ui.widgets.controls import named_button
from desktop.ui.widgets.drawing_canvas import DrawingCanvas


class DrawTools(QWidget):
    """Buttons that act on ``canvas``; the tab acts on the two signals."""

    number_mode_toggled = Signal(bool)
    samples_requested = Signal()

    def __init__(self, canvas: DrawingCanvas, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.canvas = canvas
        self.brush_slider = QSlider(Qt.Orientation.Horizontal)
        self.brush_slider.setObjectName("brushSlider")
        self.brush_slider.setAccessibleName("Brush size")
        self.brush_slider.setRange(4, 40)
        self.brush_slider.setValue(int(canvas.brush_size))
        self.brush_slider.setFixedWidth(100)
        self.brush_slider.valueChanged.connect(self._on_brush_slider_value_changed)
        self.brush_label = QLabel()
        # As wide as the widest value: "4 px" to "40 px" must not move the buttons beside it.
        widest = self.brush_label.fontMetrics().horizontalAdvance(
            f"{self.brush_slider.maximum()} px"
        )
        self.brush_label.setFixedWidth(widest + 2)
        self._on_brush_slider_value_changed(self.brush_slider.value())

        self.eraser_button = named_button(
            "Eraser", "eraserButton", tip="Erase (or drag with the right button)", tool=True
        )
        self.eraser_button.setCheckable(True)
        self.eraser_button.toggled.connect(self._on_eraser_button_toggled)
        self.undo_button = named_button(
            "Undo", "undoButton", slot=canvas.undo, tip="Undo the last stroke (Ctrl+Z)", tool=True
        )
        self.redo_button = named_button(
            "Redo", "redoButton", slot=canvas.redo, tip="Redo (Ctrl+Shift+Z)", tool=True
        )
        self.clear_button = named_button(
            "Clear", "clearButton", slot=canvas.clear, tip="Clear the canvas (Delete)", tool=True
        )
        self.number_check = QCheckBox("&Number")
        self.number_check.setObjectName("numberModeCheck")
        self.number_check.setToolTip("Write a whole number on a wide canvas")
        self.number_check.toggled.connect(self.number_mode_toggled)
        self.samples_button = named_button(
            "My samples…",
            "samplesButton",
            tip="Review, export and fine-tune on your samples",
            tool=True,
        )
        self.samples_button.clicked.connect(self.samples_requested)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Brush"))
        layout.addWidget(self.brush_slider)
        layout.addWidget(self.brush_label)
        layout.addSpacing(12)
        for button in (self.eraser_button, self.undo_button, self.redo_button, self.clear_button):
            layout.addWidget(button)
        layout.addWidget(self.number_check)
        layout.addStretch(1)
        layout.addWidget(self.samples_button)

    def enable_edits(self, undo: bool, redo: bool, clear: bool) -> None:
        """Undo, redo and clear enabled only when they would do something."""
        self.undo_button.setEnabled(undo)
        self.redo_button.setEnabled(redo)
        self.clear_button.setEnabled(clear)

    def _on_brush_slider_value_changed(self, value: int) -> None:
        self.canvas.brush_size = float(value)
        self.brush_label.setText(f"{value} px")

    def _on_eraser_button_toggled(self, checked: bool) -> None:
        self.canvas.eraser = checked
