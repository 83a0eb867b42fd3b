"""Marks that are no digit, told apart from digits by their strokes (no Qt).

Each rule was measured on the 7,494 pen-drawn digits of the corpus's 30 writers, with a
budget of at most 0.5 % of real digits taken for marks (tests/bench/drawn_digits.py):

- a scribble: strokes far longer than the ink is large (``Settings.max_path_ratio``);
- a cross (an X or a +): two nearly straight strokes of similar length that cross each
  other in their middle parts. Of the 1,921 two-stroke digits, three 7s cross their bar
  that way, all with a bar under half the length of the stem: none is a cross here;
- a loop around the canvas: one closed stroke whose ink spans nearly the whole canvas
  both ways. A round 0 is a digit (a quarter of the writers' zeros are as wide as they
  are high); only one drawn along the canvas's edges is taken for a frame.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from desktop.recognition.preprocessing import finite_points, stroke_length

STRAIGHT = 1.2  # a stroke's length over the distance between its ends: nearly straight
CROSSING_PART = (0.2, 0.8)  # where along each stroke (share of its length) they cross
SIMILAR_LENGTHS = 1.8  # the longer stroke of a cross is at most this many times the other
CLOSED = 0.2  # a loop ends within this share of its size from where it began
AROUND = 0.9  # share of the canvas's width and height a loop around the canvas spans


def is_cross(strokes: Sequence[np.ndarray]) -> bool:
    """True for an X or a + (two straight strokes of similar length crossing mid-way)."""
    points = finite_points(strokes)
    if len(points) != 2 or any(len(p) < 2 for p in points):
        return False
    lengths = [stroke_length(p) for p in points]
    if min(lengths) <= 0 or max(lengths) > SIMILAR_LENGTHS * min(lengths):
        return False
    if any(length > STRAIGHT * float(np.linalg.norm(p[-1] - p[0]))
           for p, length in zip(points, lengths, strict=True)):  # fmt: skip
        return False
    crossing = _crossing(*points)
    low, high = CROSSING_PART
    return crossing is not None and all(low <= share <= high for share in crossing)


def is_loop_around(strokes: Sequence[np.ndarray], canvas_size: tuple[float, float] | None) -> bool:
    """True for one closed stroke drawn around (nearly) the whole canvas."""
    points = finite_points(strokes)
    if canvas_size is None or len(points) != 1 or len(points[0]) < 3:
        return False
    stroke = points[0]
    extent = np.ptp(stroke, axis=0)
    closed = float(np.linalg.norm(stroke[-1] - stroke[0])) <= CLOSED * float(extent.max())
    return closed and bool(np.all(extent >= AROUND * np.asarray(canvas_size, dtype=float)))


def _crossing(a: np.ndarray, b: np.ndarray) -> tuple[float, float] | None:
    """Where polylines ``a`` and ``b`` first cross, as shares of each one's length."""
    p, r = a[:-1], np.diff(a, axis=0)  # segments of a: p + t r, t in [0, 1]
    q, s = b[:-1], np.diff(b, axis=0)
    cross = r[:, None, 0] * s[None, :, 1] - r[:, None, 1] * s[None, :, 0]
    qp = q[None, :, :] - p[:, None, :]
    with np.errstate(divide="ignore", invalid="ignore"):  # parallel segments never cross
        t = (qp[..., 0] * s[None, :, 1] - qp[..., 1] * s[None, :, 0]) / cross
        u = (qp[..., 0] * r[:, None, 1] - qp[..., 1] * r[:, None, 0]) / cross
    hits = np.argwhere((cross != 0) & (t >= 0) & (t <= 1) & (u >= 0) & (u <= 1))
    if len(hits) == 0:
        return None
    i, j = hits[0]
    along_a = np.concatenate([[0.0], np.cumsum(np.linalg.norm(r, axis=1))])
    along_b = np.concatenate([[0.0], np.cumsum(np.linalg.norm(s, axis=1))])
    share_a = (along_a[i] + t[i, j] * (along_a[i + 1] - along_a[i])) / along_a[-1]
    share_b = (along_b[j] + u[i, j] * (along_b[j + 1] - along_b[j])) / along_b[-1]
    return float(share_a), float(share_b)
