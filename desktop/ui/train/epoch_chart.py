"""The Train tab's pyqtgraph plots: a run's figures per epoch, and the learning-rate test.

The only module that imports pyqtgraph (slow to import): :class:`RunView`
imports it once the window is shown (``build_charts_when_idle``) and builds the plots then.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGraphicsItem, QWidget

from desktop.training.chart_ranges import epoch_axis, nice_step, value_range
from desktop.training.learning_rates import RangeTest
from desktop.training.series import EpochSeries
from desktop.ui.style import AXES, FRAME, RUN_COLOURS

# Qt strokes a 2-pixel antialiased line several times slower than a 1-pixel one once a
# curve has thousands of points (a long run); that dense, the two look alike
# (tests/bench/plot_drawing.py). Runs longer than this are drawn with thin lines from
# their first epoch, so a line does not change in the middle of a run.
THIN_LINES_ABOVE = 250  # epochs
LINE_WIDTH = 2
THIN_LINE_WIDTH = 1
# Overlaid runs: each run a colour, each figure a line style (in the order of ``fields``).
FIGURE_STYLES = (Qt.PenStyle.SolidLine, Qt.PenStyle.DashLine, Qt.PenStyle.DotLine)


def apply_plot_style() -> None:
    """Light background, dark axes, smooth lines for every plot made after this call."""
    pg.setConfigOptions(antialias=True, background="w", foreground=AXES)


class EpochChart(pg.PlotWidget):  # type: ignore[misc]  # pyqtgraph has no type hints
    """A plot of some of a run's figures (``fields``, one colour each) against the epoch.

    The axes' ranges are set by hand, in steps, so that the axes are laid out again only
    when the data outgrow them (pyqtgraph's auto-range lays them out at every redraw).
    """

    def __init__(
        self,
        name: str,
        title: str,
        fields: Sequence[tuple[str, str]],
        parent: QWidget | None = None,
    ) -> None:
        apply_plot_style()  # pyqtgraph reads its options when a plot is made
        # No context menu and no auto-range button: the run sets the ranges and the log
        # scale, while pyqtgraph's own (View All, the "A" button, Plot Options -> Log Y)
        # turned auto-range back on or set a log scale the Log scale box did not know.
        super().__init__(parent, title=title, enableMenu=False)
        self.hideButtons()
        self.setObjectName(name)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # nothing in a plot answers keys
        self.setLabel("bottom", "epoch")
        self._colours = dict(fields)
        self._line_width = LINE_WIDTH
        # Factor 1: pyqtgraph's downsampling (below) makes one bucket per pixel column.
        self.curves = {
            field: self.plot(pen=self._pen(field), autoDownsampleFactor=1.0)
            for field in self._colours
        }
        # A long run is drawn as the lowest and highest value of each pixel column's epochs
        # (pyqtgraph's peak downsampling; at its default factor, 5, a redraw of 100,000
        # epochs drew five times the points): spikes stay visible, and 100,000 epochs draw in a few
        # ms. Clipping to the view would clip nothing: the view shows the whole run.
        self.setDownsampling(auto=True, mode="peak")
        self.disableAutoRange()
        self.setMouseEnabled(x=False, y=False)
        # The axes and the title are kept as pixmaps between their changes: each redraw
        # of a curve repainted their text too (a redraw now paints only the curves).
        cached = QGraphicsItem.CacheMode.DeviceCoordinateCache
        for item in (self.getAxis("left"), self.getAxis("bottom"), self.getPlotItem().titleLabel):
            item.setCacheMode(cached)
        self.overlays: list[pg.PlotDataItem] = []  # curves for overlaid kept runs, reused
        self.best_line = pg.InfiniteLine(angle=90, pen=pg.mkPen(AXES, style=Qt.PenStyle.DotLine))
        self.best_line.setVisible(False)
        self.addItem(self.best_line)
        self._dots = False  # points drawn as dots (a run of one epoch so far)
        self._x_range: tuple[float, float] | None = None
        self._y_range: tuple[float, float] | None = None
        self.set_x_range(0, 1)

    def clear_run(self, epochs: int) -> None:
        """Forget the curves and get ready for a run of ``epochs``."""
        for curve in self.curves.values():
            curve.setData([], [])
        self._y_range = None
        self.set_x_range(0, epochs)
        width = THIN_LINE_WIDTH if epochs > THIN_LINES_ABOVE else LINE_WIDTH
        if width != self._line_width:
            self._line_width = width
            for field, curve in self.curves.items():
                curve.setPen(self._pen(field))

    @property
    def line_width(self) -> int:
        """The width of the curves' lines in pixels (thinner in long runs)."""
        return self._line_width

    def _pen(self, field: str) -> object:
        return pg.mkPen(self._colours[field], width=self._line_width)

    def set_log_scale(self, on: bool) -> None:
        """Logarithmic (or linear) y axis; both ranges are set again at the next draw."""
        self.setLogMode(y=on)
        # pyqtgraph turns auto-range back on with a new log mode: the x axis then fitted
        # the data, not the run, and the axes were laid out again at every redraw.
        self.disableAutoRange()
        self._x_range = self._y_range = None

    def draw(self, series: EpochSeries, epochs: int) -> None:
        """Show the figures of ``series`` so far, in a run of ``epochs``."""
        dots = series.count == 1  # a line through one point draws nothing: show the point
        for name, curve in self.curves.items():
            curve.setData(*series.curve(name))
            if dots != self._dots:
                colour = self._colours[name]
                curve.setSymbol("o" if dots else None)
                curve.setSymbolBrush(colour)
                curve.setSymbolPen(colour)
        self._dots = dots
        self.set_x_range(series.count, epochs)
        self._fit_y(np.concatenate([series[name] for name in self.curves]), self._y_range)

    def _fit_y(self, values: np.ndarray, current: tuple[float, float] | None) -> None:
        """A y range that holds ``values`` (``current`` while it does); set when it changes."""
        if self.getAxis("left").logMode:
            values = np.log10(values[values > 0])  # log mode ranges are in decades
        y_range = value_range(values, current)
        if y_range is not None and y_range != self._y_range:
            self._y_range = y_range
            self.setYRange(*y_range, padding=0.02)

    def set_x_range(self, count: int, epochs: int) -> None:
        """Epochs 0 to a little past ``count`` (or ``epochs``), ticked at whole steps."""
        x_range = epoch_axis(count, epochs)
        if x_range == self._x_range:
            return
        self._x_range = x_range
        step = max(1.0, nice_step(x_range[1]))  # epochs are whole numbers
        minor = step / 5 if step >= 5 else step
        self.setXRange(*x_range, padding=0.02)
        self.getAxis("bottom").setTickSpacing(step, minor)

    def mark_best(self, epoch: int | None) -> None:
        """Mark the epoch early stopping kept (None: no mark)."""
        self.best_line.setVisible(epoch is not None)
        if epoch is not None:
            self.best_line.setValue(epoch)

    def show_runs(self, runs: Sequence[tuple[str, EpochSeries]]) -> None:
        """Overlay kept runs (by colour, figures by line style); none: the current run's curves."""
        for curve in self.curves.values():
            curve.setVisible(not runs)
        self.best_line.setVisible(False)
        shown, values = 0, []
        longest = max((series.count for _, series in runs), default=0)
        width = THIN_LINE_WIDTH if longest > THIN_LINES_ABOVE else LINE_WIDTH
        for number, (_, series) in enumerate(runs):
            colour = RUN_COLOURS[number % len(RUN_COLOURS)]
            for field, style in zip(self.curves, FIGURE_STYLES, strict=False):
                if shown == len(self.overlays):  # made once, reused: making one is costly
                    self.overlays.append(self.plot(autoDownsampleFactor=1.0))
                curve = self.overlays[shown]
                x, y = series.curve(field)
                curve.setPen(pg.mkPen(colour, width=width, style=style))
                curve.setData(x, y)
                curve.setVisible(True)
                values.append(y)
                shown += 1
        for curve in self.overlays[shown:]:
            curve.setData([], [])
            curve.setVisible(False)
        if not runs:
            self._x_range = self._y_range = None
            return
        self.set_x_range(longest, longest)
        self._fit_y(np.concatenate(values) if values else np.empty(0), None)  # fitted anew


class RangeTestChart(pg.PlotWidget):  # type: ignore[misc]  # pyqtgraph has no type hints
    """Loss against learning rate on a log axis, with the suggested rate marked."""

    def __init__(self, test: RangeTest, parent: QWidget | None = None) -> None:
        apply_plot_style()
        super().__init__(parent, title="Loss against learning rate", enableMenu=False)
        self.hideButtons()
        self.setObjectName("rangeTestPlot")
        self.setLogMode(x=True)
        self.setLabel("bottom", "learning rate")
        self.getAxis("bottom").enableAutoSIPrefix(False)  # "(x0.001)" on a log axis misleads
        self.setLabel("left", "loss")
        self.raw = self.plot(test.learning_rates, test.losses, pen=pg.mkPen(FRAME, width=1))
        self.smoothed = self.plot(test.learning_rates, test.smoothed,
                                  pen=pg.mkPen(RUN_COLOURS[0], width=LINE_WIDTH))  # fmt: skip
        if test.suggested is not None:  # log mode: the line's place is in decades
            line = pg.InfiniteLine(math.log10(test.suggested), angle=90,
                                   pen=pg.mkPen(AXES, style=Qt.PenStyle.DashLine))  # fmt: skip
            self.addItem(line)
        if len(test.smoothed):  # the exploding end would flatten the rest
            top = max(test.smoothed[0], float(np.min(test.smoothed))) * 1.5
            self.setYRange(float(np.min(test.losses)) * 0.9, top)
