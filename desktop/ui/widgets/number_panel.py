"""What the network reads in a written number: the number, and each digit's evidence.

Under the number, one button per digit shows the 8x8 input that digit was read from
and how sure the network is; an unsure digit carries a question mark. Choosing a
digit's button makes it the one the Inside tab explains.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from desktop.recognition.features import MAX_COUNT
from desktop.recognition.numbers import DigitReading, NumberReading
from desktop.ui.widgets.bitmap_view import glyph_image
from desktop.ui.widgets.controls import answer_label

GLYPH_SIDE = 48  # pixels for each digit's 8x8 input


class NumberPanel(QWidget):
    """Shows one :class:`NumberReading`; ``digit_selected`` gives the chosen digit's index."""

    digit_selected = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.number_label = answer_label("numberLabel", "Number read", 40)
        self.status_label = QLabel("")
        self.status_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status_label.setWordWrap(True)
        self.buttons: list[QToolButton] = []
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self._group.idClicked.connect(self.digit_selected)
        self._row = QHBoxLayout()
        self._row.addStretch(1)
        self._row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.number_label)
        layout.addWidget(self.status_label)
        layout.addLayout(self._row)
        self.show_reading(None, 0)

    def show_reading(self, reading: NumberReading | None, selected: int) -> None:
        """Display ``reading`` (None: nothing written) with digit ``selected`` chosen."""
        digits = () if reading is None else reading.digits
        self.number_label.setText("" if reading is None else reading.text)
        while len(self.buttons) < len(digits):
            self._add_button()
        for index, button in enumerate(self.buttons):
            button.setVisible(index < len(digits))
            if index < len(digits):
                _show_digit(button, index, digits[index])
                button.setChecked(index == selected)
        unsure = sum(not d.prediction.is_confident for d in digits)
        if not digits:
            self.status_label.setText("Write a number on the canvas, digits side by side.")
        elif unsure:
            self.status_label.setText(
                f"{unsure} of {len(digits)} digits unsure (marked ?). "
                "Choose a digit to see it on the Inside tab."
            )
        else:
            self.status_label.setText("Choose a digit to see it on the Inside tab.")

    def _add_button(self) -> None:
        button = QToolButton()
        button.setCheckable(True)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
        button.setIconSize(QSize(GLYPH_SIDE, GLYPH_SIDE))
        self._group.addButton(button, len(self.buttons))
        self._row.insertWidget(len(self.buttons) + 1, button)
        self.buttons.append(button)


def _show_digit(button: QToolButton, index: int, reading: DigitReading) -> None:
    prediction = reading.prediction
    sure = prediction.is_confident
    button.setText(f"{reading.digit}{'' if sure else '?'}\n{prediction.confidence:.0%}")
    features = None if prediction.stages is None else prediction.stages.features
    image = glyph_image(features, MAX_COUNT)
    if image is not None:
        scaled = image.scaled(GLYPH_SIDE, GLYPH_SIDE, mode=Qt.TransformationMode.FastTransformation)
        button.setIcon(QIcon(QPixmap.fromImage(scaled)))
    doubt = "" if sure else f", not sure: {reading.digit} or {prediction.runner_up}"
    button.setAccessibleName(f"Digit {index + 1}: {reading.digit}{doubt}")
    button.setToolTip(f"Read as {reading.digit}, {prediction.confidence:.0%} sure{doubt}")
