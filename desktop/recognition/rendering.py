"""Pen trajectories -> ink: smoothed polylines drawn as round-capped strokes, without Qt.

Pens and mice are sampled in time, so a quick loop can arrive as a few corners; the
strokes are smoothed with a centripetal Catmull-Rom spline before they are drawn. Used
by the recogniser (strokes re-rendered at a pen width tied to the drawing's size), the
canvas's eraser and the corpus build.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def smooth_polyline(points: np.ndarray, per_segment: int = 4) -> np.ndarray:
    """The smooth pen path through sampled points: a centripetal Catmull-Rom spline.

    Pens and mice are sampled in time, so a quickly drawn loop may arrive as a few
    corners; the curve through them restores its roundness. It passes through every
    point and, being centripetal, neither overshoots nor loops on uneven spacing.
    Dense input is left practically unchanged. (n, 2) -> (m, 2).
    """
    # Drop points that (nearly) repeat their predecessor: a knot interval far below the
    # drawing's size would vanish next to the others in floating point (0 / 0).
    tolerance = 1e-9 * max(1.0, float(np.ptp(points, axis=0).max()))
    keep = np.ones(len(points), dtype=bool)
    keep[1:] = np.hypot(*np.diff(points, axis=0).T) > tolerance
    points = points[keep]
    if len(points) < 3:
        return points
    padded = np.vstack([2 * points[0] - points[1], points, 2 * points[-1] - points[-2]])
    p0, p1, p2, p3 = padded[:-3], padded[1:-2], padded[2:-1], padded[3:]
    # Knot spacing by the square root of chord length (alpha = 0.5: "centripetal").
    d01, d12, d23 = (np.sqrt(np.hypot(*(b - a).T)) for a, b in ((p0, p1), (p1, p2), (p2, p3)))
    t1, t2 = d01[:, None], (d01 + d12)[:, None]
    t3 = (d01 + d12 + d23)[:, None]
    u = np.arange(per_segment) / per_segment
    t = t1[:, :, None] + (t2 - t1)[:, :, None] * u  # (segments, 1, samples)
    P0, P1, P2, P3 = (p[:, :, None] for p in (p0, p1, p2, p3))
    T1, T2, T3 = t1[:, :, None], t2[:, :, None], t3[:, :, None]
    # Barry-Goldman pyramid, evaluated for all segments and samples at once.
    A1 = (T1 - t) / T1 * P0 + t / T1 * P1
    A2 = (T2 - t) / (T2 - T1) * P1 + (t - T1) / (T2 - T1) * P2
    A3 = (T3 - t) / (T3 - T2) * P2 + (t - T2) / (T3 - T2) * P3
    B1 = (T2 - t) / T2 * A1 + t / T2 * A2
    B2 = (T3 - t) / (T3 - T1) * A2 + (t - T1) / (T3 - T1) * A3
    C = (T2 - t) / (T2 - T1) * B1 + (t - T1) / (T2 - T1) * B2
    curve = C.transpose(0, 2, 1).reshape(-1, 2)
    return np.vstack([curve, points[-1]])


def render_strokes(
    strokes: Sequence[np.ndarray], pen_fraction: float, height: int = 96
) -> np.ndarray:
    """Draw the strokes ``height`` px tall (aspect kept) with pen ``pen_fraction * height``.

    Returns a float64 raster, ink 1.0 on 0.0, just large enough for the ink.
    """
    every = np.concatenate(strokes)
    low = every.min(axis=0)
    span = np.ptp(every, axis=0)
    pen = pen_fraction * height
    scale = (height - pen) / max(float(span.max()), 1e-9)
    margin = int(np.ceil(pen / 2)) + 2
    width, tall = (np.ceil(span * scale).astype(int) + 2 * margin + 1).tolist()
    placed = [(stroke - low) * scale + margin for stroke in strokes]
    return draw_polylines(placed, pen, (tall, width))


def draw_polylines(
    strokes: Sequence[np.ndarray], width: float, shape: tuple[int, int]
) -> np.ndarray:
    """Rasterise polylines (x, y in pixels, y down) with a round pen ``width`` px wide.

    Round caps and joins, a dot for a single point, as a painter with a round pen
    draws; returns a float64 array of ``shape`` with ink 1.0 on 0.0 (clipped at edges).
    """
    raster = np.zeros(shape)
    radius = width / 2
    # Discs a quarter of the pen's width apart leave no gaps along the stroke's edge.
    spacing = max(0.5, radius / 2)
    dense = [
        densify(np.asarray(stroke, dtype=np.float64), spacing) for stroke in strokes if len(stroke)
    ]
    if not dense:
        return raster
    reach = int(np.ceil(radius))
    # Each pixel centre once, marked on a grid `reach` wider than the raster (a centre
    # further out inks nothing). np.unique(axis=0) did this but imported numpy.ma on
    # first use, on the first stroke anyone drew.
    points = np.rint(np.concatenate(dense)).astype(int) + reach
    seen = np.zeros((shape[0] + 2 * reach, shape[1] + 2 * reach), dtype=bool)
    inside = (
        (points >= 0).all(axis=1) & (points[:, 0] < seen.shape[1]) & (points[:, 1] < seen.shape[0])
    )
    seen[points[inside, 1], points[inside, 0]] = True
    ys, xs = np.nonzero(seen)
    centres = np.column_stack([xs, ys]) - reach
    dy, dx = np.mgrid[-reach : reach + 1, -reach : reach + 1]
    disc = dx**2 + dy**2 <= radius**2 + 0.25
    rows = (centres[:, 1:2] + dy[disc][None, :]).ravel()
    cols = (centres[:, 0:1] + dx[disc][None, :]).ravel()
    keep = (rows >= 0) & (rows < shape[0]) & (cols >= 0) & (cols < shape[1])
    raster[rows[keep], cols[keep]] = 1.0
    return raster


def densify(points: np.ndarray, spacing: float) -> np.ndarray:
    """Points along a polyline (n, 2) at most ``spacing`` apart, ends included."""
    if len(points) == 1:
        return points
    steps = np.maximum(np.ceil(np.hypot(*np.diff(points, axis=0).T) / spacing), 1).astype(int)
    segment = np.repeat(np.arange(len(steps)), steps)
    first = np.cumsum(steps) - steps  # index of each segment's first sample
    fraction = (np.arange(segment.size) - first[segment]) / steps[segment]
    start = points[segment]
    dense = start + (points[segment + 1] - start) * fraction[:, None]
    return np.vstack([dense, points[-1]])
