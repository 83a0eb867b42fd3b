"""The live view of a run: cost and accuracy per epoch, and the progress bar with the time left.

It owns the run's :class:`EpochSeries` and :class:`RunClock` and redraws on a clock of its
own, at most ~30 times a second and within a budget, however fast the epochs come. The
plots themselves (pyqtgraph, :mod:`desktop.ui.train.epoch_chart`) are built once the window
is up (``build_charts_when_idle``), so that importing pyqtgraph never delays the window:
until then their places are kept empty, and a run that starts meanwhile is drawn in full
when they arrive.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QCheckBox, QLabel, QProgressBar, QVBoxLayout, QWidget

from desktop.recognition.inside import describe_weight, weight_mosaic
from desktop.training.run_clock import RunClock, duration
from desktop.training.series import EpochSeries
from desktop.training.session import EpochFigures
from desktop.ui.style import BLUE, GREEN, ORANGE, RUN_COLOURS
from desktop.ui.support.later import later, when_idle
from desktop.ui.widgets.cell_view import CellView
from desktop.ui.widgets.colour_maps import diverging_rgb
from desktop.ui.widgets.controls import reserved_label
from desktop.words import counted

if TYPE_CHECKING:
    from desktop.ui.train.epoch_chart import EpochChart

# pyqtgraph paints in Python; a redraw is spaced so that drawing takes at most about an
# eighth of the GUI thread, and never happens more often than this.
REDRAW_MS = 33
MAX_REDRAW_MS = 1000
CHARTS_MODULE = "desktop.ui.train.epoch_chart"  # the one module that imports pyqtgraph
KEY = ((BLUE, "training"), (ORANGE, "validation"), (GREEN, "drawn digits, unseen writers"))
OVERLAY_KEY = "Solid: training, dashed: validation, dotted: drawn digits."
# Each plot: object name, title, its figures and their colours, share of the height, and
# minimum size. The first is the cost plot, the one the log-scale switch acts on.
CHARTS = (
    ("costPlot", "Cost per epoch (mean loss)",
     (("loss", BLUE), ("val_loss", ORANGE)), 3, (240, 160)),
    ("accuracyPlot", "Accuracy per epoch",
     (("accuracy", BLUE), ("val_accuracy", ORANGE), ("drawn_accuracy", GREEN)), 2, (240, 120)),
)  # fmt: skip


class RunView(QWidget):
    """Cost (training, validation) and accuracy per epoch, plus the run's progress bar."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.series = EpochSeries()
        self.clock = RunClock()
        self.charts: list[EpochChart] = []  # built so far, in the order of CHARTS
        self._epochs = 0  # of the current (or last) run; 0 before the first
        self._dirty = False
        self._turn = -1  # the plot redrawn last

        # One key for both plots, as a label: pyqtgraph's legends follow their plot through
        # signals it never disconnects, which fired into half-deleted plots when a window
        # was destroyed (a crash seen once in the tests), and they cost paint time.
        self.key_label = reserved_label(_key(KEY), "plotKey", 2)
        self.overlaid: list[tuple[str, EpochSeries]] = []  # kept runs shown instead
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
        # Each plot's place: empty, at the plot's size, until the plot is built in it.
        self._places: list[QWidget] = []
        self._place_layouts: list[QVBoxLayout] = []
        for *_, stretch, size in CHARTS:
            place = QWidget()
            place.setMinimumSize(*size)
            place_layout = QVBoxLayout(place)
            place_layout.setContentsMargins(0, 0, 0, 0)
            layout.addWidget(place, stretch)
            self._places.append(place)
            self._place_layouts.append(place_layout)
        self.weights_caption = reserved_label(
            "Weights forming: the first hidden layer's incoming weights, one 8×8 tile per "
            "unit (the first 64); blue excites, red inhibits.",
            "weightsCaption", 3,
        )  # fmt: skip
        self.weights_view = CellView(diverging_rgb, describe_weight, side=150)
        self.weights_view.setObjectName("weightsView")
        layout.addWidget(self.weights_caption)
        layout.addWidget(self.weights_view, 2)

        self._redraw = QTimer(self)
        self._redraw.setInterval(REDRAW_MS)
        self._redraw.timeout.connect(self._on_redraw_timeout)

    @property
    def cost_plot(self) -> EpochChart | None:
        """The plot of the cost per epoch, once built."""
        return self.charts[0] if self.charts else None

    @property
    def accuracy_plot(self) -> EpochChart | None:
        """The plot of the accuracy per epoch, once built."""
        return self.charts[1] if len(self.charts) > 1 else None

    def build_charts_when_idle(self) -> None:
        """Import pyqtgraph in a later turn, then build the plots in the next.

        One-time pauses right after start-up, never during a stroke, so that the window
        appears without waiting for them.
        """
        when_idle(self, self._import_charts)

    def _import_charts(self) -> None:
        try:
            importlib.import_module(CHARTS_MODULE)
        except ImportError as error:  # a broken installation: training works without plots
            self._no_charts(error)
            return
        when_idle(self, self.ensure_charts)

    def _no_charts(self, error: ImportError) -> None:
        """Say in the plots' place that they cannot be shown (training works without them)."""
        note = QLabel(
            f"The plots cannot be shown: {error}. Reinstall Digit Pad to get them back. "
            "Training still works: the bar shows its progress and the results its figures."
        )
        note.setObjectName("plotsUnavailable")
        note.setWordWrap(True)
        self._place_layouts[0].addWidget(note)

    def ensure_charts(self) -> list[EpochChart]:
        """Build every plot not built yet, now (importing pyqtgraph first); the plots."""
        if len(self.charts) == len(CHARTS):
            return self.charts
        chart_type = importlib.import_module(CHARTS_MODULE).EpochChart
        for index in range(len(self.charts), len(CHARTS)):
            name, title, fields, *_ = CHARTS[index]
            chart = chart_type(name, title, fields)
            if index == 0 and self.log_check.isChecked():
                chart.set_log_scale(True)
            if self._epochs:
                chart.clear_run(self._epochs)
            if self.series.count:
                chart.draw(self.series, self._epochs)
            if self.overlaid:
                chart.show_runs(self.overlaid)
            self._place_layouts[index].addWidget(chart)
            self.charts.append(chart)
        return self.charts

    def overlay(self, runs: list[tuple[str, EpochSeries]]) -> None:
        """Show kept runs (label, figures) on both plots, one colour each; [] for the current."""
        self.overlaid = list(runs)
        for chart in self.charts:
            chart.show_runs(self.overlaid)
        if runs:
            named = [
                (RUN_COLOURS[n % len(RUN_COLOURS)], label) for n, (label, _) in enumerate(runs)
            ]
            self.key_label.setText(f"{OVERLAY_KEY} {_key(named)}")
        else:
            self.key_label.setText(_key(KEY))
            self._dirty = True
            self._on_redraw_timeout(every_plot=True)

    def mark_best(self, epoch: int | None) -> None:
        """Mark the epoch whose weights early stopping kept, on both plots (None: none)."""
        for chart in self.charts:
            chart.mark_best(epoch)

    def start(self, epochs: int, before: EpochSeries | None = None) -> None:
        """Forget the last run's figures and get ready for ``epochs`` new ones.

        ``before``: the figures of the run this one continues, drawn first.
        """
        if self.overlaid:
            self.overlay([])
        self.mark_best(None)
        self.series = EpochSeries.of(before.table()) if before is not None else EpochSeries()
        self.clock = RunClock()
        epochs += self.series.count
        self._epochs = epochs
        # The bar first: QProgressBar repaints at once when its value changes, and paints
        # everything else waiting to be painted with it (the plots too, in the same frame).
        self.progress.setRange(0, epochs)
        self.progress.setValue(0)
        self.progress.setFormat(f"Epoch 0/{epochs}")
        # One plot now, the others a turn later (before the first redraw): each lays out
        # its axes again, and both in one frame made pressing Start a run's worst frame.
        for turn, chart in enumerate(self.charts):
            if turn == 0:
                chart.clear_run(epochs)
            else:
                later(chart, partial(chart.clear_run, epochs))
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
        # rest. (np.partition: np.nanpercentile is slow to import and to run.)
        magnitudes = np.abs(mosaic[np.isfinite(mosaic)])
        k = int(0.99 * (magnitudes.size - 1))
        scale = float(np.partition(magnitudes, k)[k]) if magnitudes.size else 1.0
        self.weights_view.set_values(mosaic, scale or 1.0)

    def what_would_be_lost(self, worth_s: float) -> str | None:
        """What ending the run now would lose, if it has trained ``worth_s`` seconds or more."""
        if self.clock.elapsed() < worth_s:
            return None
        return (
            f"It has trained {counted(self.series.count, 'epoch')} in "
            f"{duration(self.clock.elapsed())}. Close Digit Pad and lose it? (Stop keeps "
            "what it learned, to use or save.)"
        )

    def finish(self) -> None:
        """Draw what is left and stop the clock; the bar keeps the epochs, not a time left."""
        self._dirty = True
        self._on_redraw_timeout(every_plot=True)
        self._redraw.stop()
        done, total = self.series.count, self.progress.maximum()
        self.progress.setValue(done)
        self.progress.setFormat(f"Epoch {done}/{total} · {duration(self.clock.elapsed())} in all")

    def _on_log_check_toggled(self, checked: bool) -> None:
        if self.cost_plot is not None:
            self.cost_plot.set_log_scale(checked)
            if self.overlaid:
                self.cost_plot.show_runs(self.overlaid)
                return
        self._dirty = True
        self._on_redraw_timeout(every_plot=True)

    def _on_redraw_timeout(self, every_plot: bool = False) -> None:
        if not self._dirty:
            return
        # One plot per tick, in turn: when the first figures arrive both plots set their
        # ranges and lay out their axes, more than a frame's work for both at once.
        charts = self.charts
        if charts and not every_plot:
            self._turn = (self._turn + 1) % len(charts)
            charts = [charts[self._turn]]
        self._dirty = not every_plot and self._turn < len(self.charts) - 1
        # The bar before the plots (it repaints at once, see start); a finished run's bar
        # keeps its final words.
        if self._redraw.isActive():
            done, total = self.series.count, self.progress.maximum()
            self.progress.setValue(done)
            self.progress.setFormat(self.clock.progress_text(done, total))
        started = time.perf_counter()
        for chart in charts:
            chart.draw(self.series, self._epochs)
        # setData schedules one repaint of each plot, which Qt paints with the next frame
        # (painting here as well painted everything twice); the next redraw is spaced by
        # what this one cost.
        cost_ms = (time.perf_counter() - started) * 1000
        self._redraw.setInterval(int(min(max(REDRAW_MS, 8 * cost_ms), MAX_REDRAW_MS)))


def _key(entries: Iterable[tuple[str, str]]) -> str:
    """A plot key: a line of each colour, then its name."""
    return "&nbsp;&nbsp;".join(
        f"<span style='color:{colour}'>━━</span>&nbsp;{name}" for colour, name in entries
    )
