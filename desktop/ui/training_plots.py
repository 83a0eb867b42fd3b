"""The live view of a run: cost and accuracy per epoch, and the progress bar with the time left.

It owns the run's :class:`EpochSeries` and :class:`RunClock` and redraws on a clock of its
own, at most ~30 times a second and within a budget, however fast the epochs come.
"""

from __future__ import annotations

import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QCheckBox, QLabel, QProgressBar, QVBoxLayout, QWidget

from desktop.training.series import (
    EpochSeries,
    RunClock,
    duration,
    epoch_axis,
    nice_step,
    value_range,
)
from desktop.training.session import EpochFigures
from desktop.ui.cell_views import CellView, describe_weight, diverging, weight_mosaic
from desktop.ui.style import BLUE, GREEN, ORANGE

# pyqtgraph paints in Python; a redraw is spaced so that drawing takes at most about an
# eighth of the GUI thread, and never happens more often than this.
REDRAW_MS = 33
MAX_REDRAW_MS = 1000


class TrainingPlots(QWidget):
    """Cost (training, validation) and accuracy per epoch, plus the run's progress bar."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.series = EpochSeries()
        self.clock = RunClock()
        self._dirty = False

        train_pen, validation_pen = pg.mkPen(BLUE, width=2), pg.mkPen(ORANGE, width=2)
        drawn_pen = pg.mkPen(GREEN, width=2)
        self.cost_plot = pg.PlotWidget(title="Cost per epoch (mean loss per sample)")
        self.cost_plot.setObjectName("costPlot")
        self.cost_plot.setMinimumSize(240, 160)
        self.cost_plot.setLabel("bottom", "epoch")
        self.accuracy_plot = pg.PlotWidget(title="Accuracy per epoch")
        self.accuracy_plot.setObjectName("accuracyPlot")
        self.accuracy_plot.setMinimumSize(240, 120)
        self.accuracy_plot.setLabel("bottom", "epoch")
        self.curves = {
            "loss": self.cost_plot.plot(pen=train_pen),
            "val_loss": self.cost_plot.plot(pen=validation_pen),
            "accuracy": self.accuracy_plot.plot(pen=train_pen),
            "val_accuracy": self.accuracy_plot.plot(pen=validation_pen),
            "drawn_accuracy": self.accuracy_plot.plot(pen=drawn_pen),
        }
        # One key for both plots, as a label: pyqtgraph's legends follow their plot through
        # signals it never disconnects, which fired into half-deleted plots when a window
        # was destroyed (a crash seen once in the tests), and they cost paint time.
        key = "&nbsp;&nbsp;".join(
            f"<span style='color:{colour}'>━━</span>&nbsp;{name}"
            for colour, name in (
                (BLUE, "training"),
                (ORANGE, "validation"),
                (GREEN, "drawn digits, unseen writers"),
            )
        )
        self.key_label = QLabel(key)
        self.key_label.setObjectName("plotKey")
        self.key_label.setWordWrap(True)
        self.log_check = QCheckBox("Log scale")
        self.log_check.setObjectName("logScaleCheck")
        self.log_check.toggled.connect(self._on_log_check_toggled)
        self.progress = QProgressBar()
        self.progress.setObjectName("trainProgress")
        self.progress.setTextVisible(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.progress)
        layout.addWidget(self.key_label)
        layout.addWidget(self.cost_plot, 3)
        layout.addWidget(self.accuracy_plot, 2)
        self.weights_caption = QLabel(
            "Weights forming: the first hidden layer's incoming weights, one 8×8 tile per "
            "unit (the first 64); blue excites, red inhibits."
        )
        self.weights_caption.setWordWrap(True)
        self.weights_view = CellView(diverging, describe_weight, side=150)
        self.weights_view.setObjectName("weightsView")
        layout.addWidget(self.weights_caption)
        layout.addWidget(self.weights_view, 2)
        # Parts a page may paint in turns (reveal_in_turns): each plot is a scene of its own.
        self.sections = (self.cost_plot, self.accuracy_plot)

        # Each plot's fields and its current y range; the ranges are set by hand, in
        # steps, so the axes are laid out again only when the data outgrow them.
        self._fields = {
            self.cost_plot: ("loss", "val_loss"),
            self.accuracy_plot: ("accuracy", "val_accuracy", "drawn_accuracy"),
        }
        self._y_ranges: dict[pg.PlotWidget, tuple[float, float] | None] = {}
        self._x_range: tuple[float, float] | None = None
        self._turn = -1  # the plot redrawn last
        for plot in self._fields:
            plot.disableAutoRange()
            plot.setMouseEnabled(x=False, y=False)
        self._set_x_range(0, 1)

        self._redraw = QTimer(self)
        self._redraw.setInterval(REDRAW_MS)
        self._redraw.timeout.connect(self._on_redraw_timeout)

    def start(self, epochs: int) -> None:
        """Forget the last run's figures and get ready for ``epochs`` new ones."""
        self.series = EpochSeries()
        self.clock = RunClock()
        for curve in self.curves.values():
            curve.setData([], [])
        self._y_ranges = dict.fromkeys(self._fields)
        self._set_x_range(0, epochs)
        self.progress.setRange(0, epochs)
        self.progress.setValue(0)
        self.progress.setFormat(f"Epoch 0/{epochs}")
        self._redraw.start()

    def add(self, epochs: list[EpochFigures]) -> None:
        """Take the figures of finished epochs (drawn at the next redraw)."""
        self.series.extend(epochs)
        self._dirty = True
        for figures in reversed(epochs):
            if figures.first_weights is not None:
                self.show_weights(figures.first_weights)
                break

    def show_weights(self, weights: np.ndarray) -> None:
        """Show a network's first-layer weights (64, units) as tiles."""
        mosaic = weight_mosaic(weights)
        # The 99th percentile, not the largest weight: a few large ones would wash out the
        # rest. (np.partition: np.nanpercentile cost 17 ms of start-up.)
        magnitudes = np.abs(mosaic[np.isfinite(mosaic)])
        k = int(0.99 * (magnitudes.size - 1))
        scale = float(np.partition(magnitudes, k)[k]) if magnitudes.size else 1.0
        self.weights_view.set_values(mosaic, scale or 1.0)

    def finish(self) -> None:
        """Draw what is left and stop the clock; the bar keeps the epochs, not a time left."""
        self._dirty = True
        self._on_redraw_timeout(every_plot=True)
        self._redraw.stop()
        done, total = self.series.count, self.progress.maximum()
        self.progress.setFormat(f"Epoch {done}/{total} · {duration(self.clock.elapsed())} in all")

    def _on_log_check_toggled(self, checked: bool) -> None:
        self.cost_plot.setLogMode(y=checked)
        self._y_ranges[self.cost_plot] = None
        self._dirty = True
        self._on_redraw_timeout(every_plot=True)

    def _set_x_range(self, count: int, total: int) -> None:
        x_range = epoch_axis(count, total)
        if x_range == self._x_range:
            return
        self._x_range = x_range
        step = max(1.0, nice_step(x_range[1]))  # epochs are whole numbers
        minor = step / 5 if step >= 5 else step
        for plot in self._fields:
            plot.setXRange(*x_range, padding=0.02)
            plot.getAxis("bottom").setTickSpacing(step, minor)

    def _fit_y_ranges(self, plots: list[pg.PlotWidget]) -> None:
        for plot in plots:
            fields = self._fields[plot]
            values = np.concatenate([self.series[name] for name in fields])
            if plot is self.cost_plot and self.log_check.isChecked():
                values = np.log10(values[values > 0])  # log mode ranges are in decades
            y_range = value_range(values, self._y_ranges.get(plot))
            if y_range is not None and y_range != self._y_ranges.get(plot):
                self._y_ranges[plot] = y_range
                plot.setYRange(*y_range, padding=0.02)

    def _on_redraw_timeout(self, every_plot: bool = False) -> None:
        if not self._dirty:
            return
        # One plot per tick, in turn: when the first figures arrive both plots set their
        # ranges and lay out their axes, which in one frame was an 18-24 ms stall.
        plots = list(self._fields)
        if not every_plot:
            self._turn = (self._turn + 1) % len(plots)
            plots = [plots[self._turn]]
        self._dirty = not every_plot and self._turn != len(self._fields) - 1
        started = time.perf_counter()
        for plot in plots:
            for name in self._fields[plot]:
                self.curves[name].setData(*self.series.curve(name))
        self._set_x_range(self.series.count, self.progress.maximum())
        self._fit_y_ranges(plots)
        # setData schedules one repaint of each plot, which Qt paints with the next frame
        # (painting here as well painted everything twice); the next redraw is spaced by
        # what this one cost.
        cost_ms = (time.perf_counter() - started) * 1000
        self._redraw.setInterval(int(min(max(REDRAW_MS, 8 * cost_ms), MAX_REDRAW_MS)))
        done, total = self.series.count, self.progress.maximum()
        self.progress.setValue(done)
        self.progress.setFormat(self.clock.progress_text(done, total))
