"""The figures of a run as it happens, without Qt: per-epoch series and the run's clock."""

from __future__ import annotations

import math
import operator
import time
from collections.abc import Callable

import numpy as np

from desktop.training.session import EpochFigures

REPORT_FIELDS = ("loss", "val_loss", "accuracy", "val_accuracy")  # read from an EpochReport


class EpochSeries:
    """Per-epoch figures in arrays that grow geometrically (flat memory per epoch)."""

    FIELDS = (*REPORT_FIELDS, "drawn_accuracy")

    def __init__(self) -> None:
        self.count = 0
        # Only the first ``count`` columns are ever read, and each is written in full, so
        # the rest stays uninitialised: filling megabytes with NaN when the arrays grew
        # cost a long run up to 8 ms at once (page faults); now 0.2-0.3 ms.
        self._data = np.empty((len(self.FIELDS), 1024))

    def extend(self, epochs: list[EpochFigures]) -> None:
        """Append the figures of finished epochs (missing ones stored as NaN)."""
        needed = self.count + len(epochs)
        if needed > self._data.shape[1]:
            grown = np.empty((len(self.FIELDS), max(needed, 2 * self._data.shape[1])))
            grown[:, : self.count] = self._data[:, : self.count]
            self._data = grown
        # One conversion for the whole batch (None becomes NaN): a Python loop storing
        # epoch by epoch took twice as long in the GUI thread (1.3 against 0.7 us an epoch).
        report_figures = operator.attrgetter(*REPORT_FIELDS)
        rows = [(*report_figures(f.report), f.drawn_accuracy) for f in epochs]
        block = np.array(rows, dtype=float).reshape(len(epochs), len(self.FIELDS))
        self._data[:, self.count : needed] = block.T
        self.count = needed

    @property
    def capacity(self) -> int:
        """Epochs the arrays hold before they grow again."""
        return int(self._data.shape[1])

    def epochs(self) -> np.ndarray:
        """1, 2, ..., count."""
        return np.arange(1, self.count + 1)

    def __getitem__(self, name: str) -> np.ndarray:
        return self._data[self.FIELDS.index(name), : self.count]

    def curve(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """(epochs, values) of ``name``; empty for a figure never measured (no validation)."""
        values = self[name]
        if self.count == 0 or np.isnan(values[0]):  # measured for every epoch or for none
            return np.empty(0), np.empty(0)
        return self.epochs(), values


class RunClock:
    """Elapsed time of a run without its pauses, and an honest estimate of the time left.

    The estimate counts from the end of the first epoch, whose time includes starting
    the run (a process, the data); until then there is no estimate.
    """

    def __init__(self, now: Callable[[], float] = time.perf_counter) -> None:
        self._now = now
        self._started = now()
        self._paused_for = 0.0
        self._paused_at: float | None = None
        self._first_epoch: tuple[float, int] | None = None  # (running time, epochs) then

    def pause(self) -> None:
        """Stop the clock (a paused run does not age)."""
        if self._paused_at is None:
            self._paused_at = self._now()

    def resume(self) -> None:
        """Start the clock again."""
        if self._paused_at is not None:
            self._paused_for += self._now() - self._paused_at
            self._paused_at = None

    def elapsed(self) -> float:
        """Seconds the run has been running (pauses excluded)."""
        until = self._paused_at if self._paused_at is not None else self._now()
        return until - self._started - self._paused_for

    def remaining(self, done: int, total: int) -> float | None:
        """Seconds left after ``done`` of ``total`` epochs, or None while unknown."""
        if done <= 0:
            return None
        if self._first_epoch is None:
            self._first_epoch = (self.elapsed(), done)
            return None
        mark, epochs_then = self._first_epoch
        if done <= epochs_then:
            return None
        per_epoch = (self.elapsed() - mark) / (done - epochs_then)
        return per_epoch * (total - done)

    def progress_text(self, done: int, total: int) -> str:
        """Say e.g. "Epoch 3/40 · 1.2 s elapsed · 9.8 s left" (no estimate before one)."""
        text = f"Epoch {done}/{total} · {duration(self.elapsed())} elapsed"
        left = self.remaining(done, total)
        return text if left is None or done >= total else f"{text} · {duration(left)} left"


def duration(seconds: float) -> str:
    """Say ``seconds`` as "4.2 s", "3 min 07 s" or "2 h 05 min"."""
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, seconds = divmod(int(seconds), 60)
    return (
        f"{minutes} min {seconds:02d} s"
        if minutes < 60
        else f"{minutes // 60} h {minutes % 60:02d} min"
    )


def nice_step(span: float) -> float:
    """A round step (1, 2 or 5 times a power of ten) that cuts ``span`` into about 5 parts."""
    raw = max(span, 1e-12) / 5
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def epoch_axis(count: int, total: int) -> tuple[float, float]:
    """The epoch axis's range: the whole run when it is short, else doubling as it grows.

    A range that changes rarely keeps the axis from being laid out again on every redraw
    (most of a plot's repaint when it does).
    """
    if total <= 1000:
        return 0.0, float(max(total, 1))
    return 0.0, float(min(total, max(16, 2 ** math.ceil(math.log2(max(count, 1))))))


def value_range(
    values: np.ndarray, current: tuple[float, float] | None
) -> tuple[float, float] | None:
    """A y range that holds ``values``: ``current`` while it does, else rounded outward.

    None when there is nothing finite to show.
    """
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return current
    low, high = float(finite.min()), float(finite.max())
    if current is not None and current[0] <= low and high <= current[1]:
        return current
    step = nice_step(high - low if high > low else abs(high) or 1.0)
    return math.floor(low / step) * step, math.ceil(high / step) * step + (high == low) * step
