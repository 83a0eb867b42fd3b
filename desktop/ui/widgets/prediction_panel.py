"""What the network says about the drawing.

The digit, its confidence, all ten probabilities, and the 32x32 and 8x8 inputs it saw.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from desktop.recognition.features import MAX_COUNT
from desktop.recognition.prediction import Prediction
from desktop.ui.style import MUTED
from desktop.ui.widgets.bitmap_view import BitmapView
from desktop.ui.widgets.controls import answer_label
from desktop.ui.widgets.probability_chart import ProbabilityChart


class PredictionPanel(QWidget):
    """Shows one :class:`Prediction`; empty when there is nothing drawn.

    Clicking a bar emits ``digit_clicked`` (the user says which digit it really is).
    """

    digit_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.digit_label = answer_label("predictionLabel", "Predicted digit", 64)
        self.digit_label.setMinimumHeight(110)
        self.status_label = QLabel("")
        self.status_label.setObjectName("confidenceLabel")
        self.status_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status_label.setWordWrap(True)

        self.chart = ProbabilityChart()
        self.chart.digit_clicked.connect(self.digit_clicked)

        self.normalized_view = BitmapView(1.0)
        self.features_view = BitmapView(MAX_COUNT)
        inputs = QGridLayout()
        inputs.addWidget(QLabel("Normalised 32×32"), 0, 0, Qt.AlignmentFlag.AlignHCenter)
        inputs.addWidget(QLabel("Network input 8×8"), 0, 1, Qt.AlignmentFlag.AlignHCenter)
        inputs.addWidget(self.normalized_view, 1, 0)
        inputs.addWidget(self.features_view, 1, 1)

        layout = QVBoxLayout(self)
        layout.addWidget(self.digit_label)
        layout.addWidget(self.status_label)
        layout.addWidget(QLabel("Probabilities"))
        layout.addWidget(self.chart, 1)
        layout.addLayout(inputs)
        self.show_prediction(None)

    def show_prediction(self, prediction: Prediction | None) -> None:
        """Display ``prediction``; None or a prediction without a digit clears the panel."""
        if prediction is None or prediction.digit is None:
            self.digit_label.setText("")
            self.digit_label.setStyleSheet("")
            mark = prediction is not None and prediction.not_a_digit
            self.status_label.setText(
                "That doesn't look like a digit (yet): keep drawing."
                if mark
                else "Draw a digit on the canvas."
            )
            self.chart.set_bars(np.zeros(10))
            stages = prediction.stages if prediction is not None else None
            self.normalized_view.set_values(None if stages is None else stages.normalized)
            self.features_view.set_values(None if stages is None else stages.features)
            return
        digit = prediction.digit
        self.digit_label.setText(str(digit))  # automation reads the digit alone
        if prediction.is_confident:
            self.digit_label.setStyleSheet("")
            self.status_label.setText(f"{prediction.confidence:.0%} sure")
        else:
            self.digit_label.setStyleSheet(f"color: {MUTED};")
            self.status_label.setText(
                f"Not sure: {digit} or {prediction.runner_up}? "
                f"({prediction.confidence:.0%} for {digit})"
            )
        self.chart.set_bars(prediction.probabilities, highlight=digit)
        assert prediction.stages is not None  # a digit always comes with its stages
        self.normalized_view.set_values(prediction.stages.normalized)
        self.features_view.set_values(prediction.stages.features)
