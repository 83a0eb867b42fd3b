"""The learning-rate range test in the Train tab: run it, record it, show it, apply it.

A :class:`LearningRateFinder` takes the test's job from the Train tab, records it in the
run ledger like any run, and shows its curve in a dialog (``lrFinderDialog``) whose
button applies the suggested rate to the form.
"""

from __future__ import annotations

import importlib

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.data.run_ledger import RunEnd, figure_rows
from desktop.training.config import TrainingConfig
from desktop.training.learning_rates import BELOW_MINIMUM, RangeTest
from desktop.training.recording import RunRecorder
from desktop.training.run_clock import RunClock
from desktop.ui.support.job_runner import JobRunner
from desktop.ui.train.run_view import CHARTS_MODULE


class LearningRateFinder(QObject):
    """Follows one range test's job; ``ended(status)`` when it is over, however it ends."""

    ended = Signal(str)

    def __init__(self, recorder: RunRecorder, rate_field: QLineEdit, parent: QWidget) -> None:
        super().__init__(parent)
        self.recorder = recorder
        self.rate_field = rate_field  # where the rate the user chooses goes
        self.window_parent = parent
        self.dialog: LearningRateDialog | None = None
        self._clock = RunClock()

    def follow(self, worker: JobRunner, *, config: TrainingConfig, sizes: dict[str, int]) -> None:
        """Record the test ``worker`` runs for ``config``, and answer its end."""
        self.recorder.begin("lr-test", config, sizes)
        self._clock = RunClock()
        worker.finished.connect(self._on_finished)
        worker.failed.connect(self._on_failed)
        worker.cancelled.connect(self._on_failed)

    def _on_finished(self, test: RangeTest) -> None:
        said = (f"Suggested learning rate: {test.suggested:g}" if test.suggested is not None
                else "The loss never fell: no learning rate to suggest")  # fmt: skip
        rows = figure_rows(test.figures())
        self.recorder.end(RunEnd("finished", self._clock.elapsed(), *rows, message=said))
        self.dialog = LearningRateDialog(test, self.window_parent)
        self.dialog.apply_requested.connect(lambda rate: self.rate_field.setText(f"{rate:g}"))
        self.dialog.open()
        self.ended.emit(said + ".")

    def _on_failed(self, message: str = "Stopped before the test began.") -> None:
        self.recorder.end(RunEnd("failed", self._clock.elapsed(), message=message))
        self.ended.emit(message)


class LearningRateDialog(QDialog):
    """The test's curve, what it suggests and why, and a button to use the suggestion."""

    apply_requested = Signal(float)

    def __init__(self, test: RangeTest, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lrFinderDialog")
        self.setWindowTitle("Learning-rate test")
        self.test = test
        layout = QVBoxLayout(self)
        try:
            layout.addWidget(importlib.import_module(CHARTS_MODULE).RangeTestChart(test), 1)
        except ImportError as error:  # a broken installation: the figures are still said
            layout.addWidget(QLabel(f"The plot cannot be shown: {error}."))
        if test.suggested is None:
            text = ("The loss did not fall at any learning rate tried: check the data and the "
                    "network (a layer too small, a wrong output?).")  # fmt: skip
        else:
            text = (f"Suggested learning rate: <b>{test.suggested:g}</b>, a tenth of the rate "
                    f"where the smoothed loss was lowest ({test.suggested * BELOW_MINIMUM:g}): "
                    "the loss still falls fast there, and training stays stable.")  # fmt: skip
        self.explanation = QLabel(text)
        self.explanation.setObjectName("lrSuggestionLabel")
        self.explanation.setWordWrap(True)
        layout.addWidget(self.explanation)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        if test.suggested is not None:
            self.apply_button = buttons.addButton(
                f"Use {test.suggested:g}", QDialogButtonBox.ButtonRole.AcceptRole
            )
            self.apply_button.setObjectName("applyLearningRateButton")
            buttons.accepted.connect(self._on_apply)
        layout.addWidget(buttons)
        self.resize(520, 420)

    def _on_apply(self) -> None:
        assert self.test.suggested is not None
        self.apply_requested.emit(self.test.suggested)
        self.accept()
