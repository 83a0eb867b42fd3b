"""Synthetic pen-drawn digits: stroke templates of common writing styles, randomly varied.

``load_digits`` holds scanned hand-printed forms; people drawing with a pointer use styles
it rarely shows (a "1" with a long lead-in, a crossed "7", an open "4", a curly "2").
Each template below is a list of strokes through control points in a unit box (x right,
y down); a sample jitters the points, smooths them into a spline, slants, stretches and
rotates the result and resamples it like a pen sampled in time. Seeded; no data files.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from desktop.recognition.preprocessing import Settings, preprocess_strokes
from desktop.recognition.rendering import smooth_polyline

Stroke = list[tuple[float, float]]

TEMPLATES: dict[int, list[list[Stroke]]] = {
    0: [
        [[(0.55, 0.0), (0.15, 0.15), (0.0, 0.5), (0.2, 0.9), (0.5, 1.0), (0.85, 0.85),
          (1.0, 0.5), (0.85, 0.1), (0.5, 0.0), (0.35, 0.08)]],
        [[(0.5, 0.0), (0.85, 0.15), (1.0, 0.5), (0.8, 0.9), (0.5, 1.0), (0.15, 0.85),
          (0.0, 0.5), (0.15, 0.12), (0.5, 0.0)]],
    ],
    1: [
        [[(0.5, 0.0), (0.5, 1.0)]],
        [[(0.15, 0.3), (0.55, 0.0), (0.55, 1.0)]],
        [[(0.3, 0.45), (0.6, 0.0), (0.5, 1.0)]],
        [[(0.05, 0.6), (0.6, 0.0), (0.55, 1.0)]],  # the long continental lead-in
        [[(0.15, 0.3), (0.55, 0.0), (0.55, 1.0)], [(0.2, 1.0), (0.9, 1.0)]],
    ],
    2: [
        [[(0.05, 0.25), (0.35, 0.0), (0.75, 0.02), (0.95, 0.25), (0.8, 0.5), (0.05, 1.0),
          (0.95, 1.0)]],
        [[(0.05, 0.25), (0.4, 0.0), (0.85, 0.15), (0.7, 0.55), (0.2, 0.92), (0.05, 0.85),
          (0.3, 0.78), (0.6, 0.95), (1.0, 1.0)]],
    ],
    3: [
        [[(0.05, 0.12), (0.5, 0.0), (0.9, 0.18), (0.75, 0.42), (0.35, 0.5), (0.8, 0.58),
          (0.95, 0.8), (0.6, 1.0), (0.05, 0.9)]],
        [[(0.05, 0.0), (0.95, 0.0), (0.4, 0.42), (0.85, 0.55), (0.95, 0.82), (0.55, 1.0),
          (0.05, 0.88)]],
    ],
    4: [
        [[(0.6, 0.0), (0.0, 0.68), (1.0, 0.68)], [(0.75, 0.3), (0.75, 1.0)]],
        [[(0.15, 0.0), (0.05, 0.6), (0.95, 0.6)], [(0.75, 0.0), (0.75, 1.0)]],
        [[(0.2, 0.0), (0.05, 0.6), (0.9, 0.6), (0.75, 0.0), (0.75, 1.0)]],
    ],
    5: [
        [[(0.2, 0.0), (0.12, 0.45), (0.55, 0.38), (0.92, 0.62), (0.75, 0.95), (0.35, 1.0),
          (0.05, 0.85)], [(0.2, 0.0), (0.9, 0.0)]],
        [[(0.9, 0.0), (0.2, 0.0), (0.12, 0.45), (0.55, 0.38), (0.92, 0.62), (0.75, 0.95),
          (0.35, 1.0), (0.05, 0.85)]],
    ],
    6: [
        [[(0.8, 0.0), (0.35, 0.2), (0.05, 0.65), (0.2, 0.95), (0.6, 1.0), (0.9, 0.75),
          (0.65, 0.5), (0.25, 0.55), (0.08, 0.72)]],
    ],
    7: [
        [[(0.0, 0.0), (1.0, 0.0), (0.4, 1.0)]],
        [[(0.0, 0.0), (1.0, 0.0), (0.4, 1.0)], [(0.25, 0.5), (0.85, 0.5)]],
        [[(0.0, 0.2), (0.05, 0.0), (1.0, 0.0), (0.45, 1.0)]],
    ],
    8: [
        [[(0.9, 0.1), (0.5, 0.0), (0.12, 0.15), (0.25, 0.4), (0.75, 0.6), (0.88, 0.85),
          (0.5, 1.0), (0.12, 0.85), (0.25, 0.6), (0.75, 0.4), (0.88, 0.15), (0.6, 0.0)]],
        [[(0.5, 0.48), (0.15, 0.25), (0.5, 0.0), (0.85, 0.25), (0.5, 0.48), (0.08, 0.75),
          (0.5, 1.0), (0.92, 0.75), (0.5, 0.48)]],
    ],
    9: [
        [[(0.9, 0.15), (0.5, 0.0), (0.1, 0.2), (0.2, 0.45), (0.55, 0.5), (0.9, 0.3),
          (0.92, 0.05), (0.85, 1.0)]],
        [[(0.9, 0.15), (0.5, 0.0), (0.1, 0.2), (0.2, 0.45), (0.55, 0.5), (0.9, 0.3),
          (0.92, 0.05), (0.85, 0.7), (0.55, 1.0), (0.2, 0.9)]],
        # A small head on a long tail, straight or hooked at the bottom.
        [[(0.9, 0.1), (0.5, 0.0), (0.12, 0.14), (0.2, 0.3), (0.55, 0.33), (0.88, 0.2),
          (0.9, 0.03), (0.8, 1.0)]],
        [[(0.9, 0.1), (0.5, 0.0), (0.12, 0.14), (0.2, 0.3), (0.55, 0.33), (0.88, 0.2),
          (0.9, 0.03), (0.85, 0.8), (0.6, 1.0), (0.15, 0.95)]],
    ],
}  # fmt: skip


def sample_strokes(
    digit: int, rng: np.random.Generator, style: int | None = None
) -> list[np.ndarray]:
    """One random drawing of ``digit``: strokes as (n, 2) arrays, x right, y down."""
    styles = TEMPLATES[digit]
    return draw_template(styles[rng.integers(len(styles)) if style is None else style], rng)


def draw_template(template: list[Stroke], rng: np.random.Generator) -> list[np.ndarray]:
    """A random rendition of ``template`` (strokes through points in a unit box).

    The points are jittered, the proportions warped, the strokes smoothed, slanted,
    stretched and rotated, and placed in a 500-unit box (x right, y down).
    """
    slant = rng.uniform(-0.35, 0.25)  # right-leaning writing is the more common
    aspect = rng.uniform(0.45, 0.95)
    angle = np.radians(rng.uniform(-8, 8))
    rotate = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    # Monotonic warps of the proportions (y -> y ** gamma): a small-headed 9, a 2 with
    # a tall top, a bottom-heavy 8 all come from one template.
    gamma = np.exp(rng.uniform(-0.25, 0.25, 2) * [0.5, 1.0])
    strokes = []
    for stroke in template:
        points = np.clip(np.array(stroke), 0.0, 1.0) ** gamma
        points += rng.normal(0, 0.045, points.shape)
        samples = max(8, int(rng.integers(12, 40) * _length(points)))
        curve = smooth_polyline(points, per_segment=max(1, samples // (len(points) - 1)))
        curve[:, 0] = (curve[:, 0] - 0.5) * aspect - slant * (curve[:, 1] - 0.5)
        curve[:, 1] -= 0.5
        strokes.append(curve @ rotate.T * 200 + 250)
    return strokes


def synthetic_strokes(
    per_digit: int, seed: int | np.random.Generator | None = 0
) -> Iterator[tuple[int, list[np.ndarray]]]:
    """``per_digit`` drawings of every digit, as (label, strokes), in a seeded order."""
    rng = np.random.default_rng(seed)
    for _ in range(per_digit):
        for digit in TEMPLATES:
            yield digit, sample_strokes(digit, rng)


def _length(points: np.ndarray) -> float:
    return float(np.hypot(*np.diff(points, axis=0).T).sum())


def synthetic_features(
    per_digit: int, seed: int, settings: Settings
) -> tuple[np.ndarray, np.ndarray]:
    """Synthetic drawings through the stroke preprocessing: (n, 8, 8) and labels (n,)."""
    features, labels = [], []
    for digit, strokes in synthetic_strokes(per_digit, seed):
        stages = preprocess_strokes(strokes, settings=settings)
        if stages is not None:
            features.append(stages.features)
            labels.append(digit)
    return np.array(features).reshape(-1, 8, 8), np.array(labels, dtype=np.int64)
