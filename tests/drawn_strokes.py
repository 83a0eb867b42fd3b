"""Hand-made test drawings (canvas units: a 280 square, y down), used by several tests."""

from __future__ import annotations

import numpy as np


def ellipse(cx: float = 140, cy: float = 140, rx: float = 55, ry: float = 90) -> np.ndarray:
    t = np.linspace(0, 2 * np.pi, 60)
    return np.stack([cx + rx * np.sin(t), cy - ry * np.cos(t)], axis=1)


DIGITS: dict[int, list[np.ndarray]] = {
    0: [ellipse()],
    1: [np.array([[150.0, 50], [140, 230]])],
    7: [np.array([[80.0, 55], [200, 55], [120, 230]])],
    4: [np.array([[160.0, 50], [80, 170], [210, 170]]), np.array([[170.0, 110], [170, 235]])],
    2: [np.array([[85.0, 90], [110, 55], [160, 50], [190, 85], [175, 130], [85, 225], [205, 225]])],
}


def scaled(
    strokes: list[np.ndarray], factor: float, shift: tuple[float, float]
) -> list[np.ndarray]:
    """The same drawing, scaled about the canvas centre and moved."""
    return [(s - 140) * factor + 140 + np.array(shift) for s in strokes]
