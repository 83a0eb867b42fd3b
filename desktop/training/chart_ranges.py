"""The plots' axis ranges, without Qt: round numbers that change rarely as a run grows.

A range that changes rarely keeps an axis from being laid out again at every redraw,
which is most of a plot's repaint when it happens.
"""

from __future__ import annotations

import math

import numpy as np


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
