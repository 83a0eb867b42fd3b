"""What one redraw of a Train tab plot costs: line width, and whose peak downsampling.

A redraw is setting the curves' data (``EpochChart.draw``) and painting the plot; both
happen in the GUI thread, so their sum is a stall of the window. Measured for runs of
several lengths on the cost plot (training and validation loss with epoch-to-epoch noise):

- the app's plot as built (pyqtgraph's automatic peak downsampling: each pixel column's
  epochs drawn as their lowest and highest value) with 2- and 1-pixel lines;
- pyqtgraph's peak downsampling to a fixed ~1,000 points, 1-pixel lines;
- the previous round's hand-written downsampling (at most ~1,000 points, the lowest and
  highest value of each bucket of epochs, computed before ``setData``) with 2-pixel lines
  (as it shipped) and 1-pixel lines.

All variants alternate in one process, 15 times each; medians and worsts in ms.

Usage: QT_QPA_PLATFORM=offscreen python tests/bench/plot_drawing.py
"""

from __future__ import annotations

import os
import statistics
import time

import numpy as np

from desktop.training.series import EpochSeries
from desktop.training.session import EpochFigures
from nncore import EpochReport

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

RUNS = (20, 250, 1_000, 10_000, 100_000)
REPEATS = 15
FIELDS = (("loss", "#1f77b4"), ("val_loss", "#ff7f0e"))
# Each variant: its label, line width, pyqtgraph's downsampling (None: the app's own
# setting; a factor: fixed, to ~1,000 points; 1: none) and whether the previous round's
# buckets are computed before setData.
VARIANTS = (
    ("app, 2 px", 2, None, False),
    ("app, 1 px", 1, None, False),
    ("1000 pts, 1 px", 1, "fixed", False),
    ("buckets, 2 px", 2, 1, True),
    ("buckets, 1 px", 1, 1, True),
)


def main() -> None:
    from PySide6.QtWidgets import QApplication

    _app = QApplication.instance() or QApplication([])  # held for the whole run
    import desktop.ui  # noqa: F401  # the app's import set-up

    rng = np.random.default_rng(0)
    print(f"one redraw of the cost plot (2 curves, 520x300 px): median / worst of {REPEATS}, ms")
    print(f"{'epochs':>8} " + " ".join(f"{label:>14}" for label, *_ in VARIANTS))
    for epochs in RUNS:
        decay = np.exp(-np.arange(epochs) / epochs * 5) + 0.05
        loss = decay * (1 + 0.03 * rng.standard_normal(epochs))
        val_loss = 1.1 * decay * (1 + 0.1 * rng.standard_normal(epochs))
        figures = [EpochFigures(EpochReport(e + 1, epochs, float(loss[e]), None,
                                            float(val_loss[e]), None, 0.01), None)
                   for e in range(epochs)]  # fmt: skip
        times = measure(epochs, figures)
        cells = [f"{statistics.median(t):6.2f} /{max(t):6.2f}" for t in times]
        print(f"{epochs:>8,} " + " ".join(f"{cell:>14}" for cell in cells))


def measure(epochs: int, figures: list[EpochFigures]) -> list[list[float]]:
    """Redraw times (ms) of each variant's plot for a finished run of ``figures``."""
    import pyqtgraph as pg
    from PySide6.QtWidgets import QApplication

    from desktop.ui.train.epoch_chart import EpochChart

    plots, runs = [], []
    for _, width, downsample, bucketed in VARIANTS:
        plot = EpochChart("costPlot", "Cost per epoch (mean loss)", FIELDS)
        plot.resize(520, 300)
        plot.clear_run(epochs)
        for (_, colour), curve in zip(FIELDS, plot.curves.values(), strict=True):
            curve.setPen(pg.mkPen(colour, width=width))
            if downsample is not None:
                factor = max(1, -(-epochs // 500)) if downsample == "fixed" else downsample
                curve.setDownsampling(ds=factor, auto=False, method="peak")
        plot.show()
        series = Bucketed() if bucketed else EpochSeries()
        series.extend(figures)
        plots.append(plot)
        runs.append(series)
    QApplication.processEvents()
    times: list[list[float]] = [[] for _ in VARIANTS]
    for _ in range(REPEATS):
        for plot, series, spent in zip(plots, runs, times, strict=True):
            started = time.perf_counter()
            plot.draw(series, epochs)
            plot.viewport().repaint()
            spent.append((time.perf_counter() - started) * 1e3)
    for plot in plots:
        plot.close()
        plot.deleteLater()
    QApplication.processEvents()
    return times


class Bucketed(EpochSeries):
    """The previous round's curves: at most ~1,000 points, each bucket's low and high."""

    def curve(self, name: str, max_points: int = 1000) -> tuple[np.ndarray, np.ndarray]:
        x, values = super().curve(name)
        if len(values) <= max_points:
            return x, values
        per_bucket = -(-len(values) // (max_points // 2))
        usable = len(values) // per_bucket * per_bucket
        grouped = values[:usable].reshape(-1, per_bucket)
        starts = np.arange(0, usable, per_bucket) + 1
        x = np.column_stack([starts, starts + per_bucket - 1]).ravel()
        return x, np.column_stack([grouped.min(axis=1), grouped.max(axis=1)]).ravel()


if __name__ == "__main__":
    main()
