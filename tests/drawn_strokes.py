"""Test drawings used by several tests: hand-made strokes (canvas units: a 280 square,
y down) and arbitrary canvas content for property tests."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays


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


def any_image(max_side: int) -> st.SearchStrategy[np.ndarray]:
    """Any 2-D canvas content up to ``max_side`` square: NaN, infinities, negatives."""
    return arrays(
        np.float64,
        st.tuples(st.integers(1, max_side), st.integers(1, max_side)),
        elements=st.floats(allow_nan=True, allow_infinity=True, width=32),
    )


def _line(x0: float, y0: float, x1: float, y1: float, n: int = 20) -> np.ndarray:
    t = np.linspace(0, 1, n)[:, None]
    return np.array([x0, y0]) + t * np.array([x1 - x0, y1 - y0])


_wave_x = np.linspace(50, 230, 40)
# Marks that are no digit, as a person might draw them on the 280-unit canvas.
MARKS: dict[str, list[np.ndarray]] = {
    "dash": [_line(60, 140, 220, 142)],
    "tilted dash": [_line(60, 160, 220, 120)],  # about 14 degrees
    "wavy line": [np.column_stack([_wave_x, 140 + 18 * np.sin(_wave_x / 18)])],
    "equals sign": [_line(70, 115, 210, 115), _line(70, 165, 210, 165)],
    "a 7's first bar": [_line(70, 60, 210, 62)],
}
