"""Colour maps for arrays of numbers, and the images that show them.

A colour map turns ``values`` and a ``scale`` into (rows, columns, 3) uint8 colours in one
NumPy pass: grey from paper (0) to ink for outputs and counts; blue for a push toward the
digit, red for a push against it. Painting one image per grid, not a rectangle per cell,
keeps a 71x71 weights mosaic or a 458-cell network cheap to draw.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtGui import QImage

from desktop.ui.style import BLUE, RED

ColourMap = Callable[[np.ndarray, float], np.ndarray]


def _channels(colour: str) -> list[int]:
    """The red, green and blue of a "#rrggbb" colour."""
    return [int(colour[i : i + 2], 16) for i in (1, 3, 5)]


def grey_rgb(values: np.ndarray, scale: float) -> np.ndarray:
    """Paper (0) to ink (``scale``): (rows, columns, 3) uint8; NaN (a gap) is paper."""
    strength = np.nan_to_num(np.clip(np.abs(values) / scale if scale > 0 else 0 * values, 0, 1))
    shade = 255 - strength * 225
    return np.stack([shade, shade, np.minimum(255, shade + 8)], axis=-1).astype(np.uint8)


def diverging_rgb(values: np.ndarray, scale: float) -> np.ndarray:
    """White at 0, blue toward +``scale``, red toward -``scale``: (rows, columns, 3) uint8.

    NaN (a gap) is white.
    """
    strength = np.nan_to_num(np.clip(np.abs(values) / scale if scale > 0 else 0 * values, 0, 1))
    ends = np.where((values >= 0)[..., None], _channels(BLUE), _channels(RED))
    return (255 + (ends - 255) * strength[..., None]).astype(np.uint8)


def rgb_image(rgb: np.ndarray) -> QImage:
    """An image of (rows, columns, 3) uint8 colours, one pixel per cell (its own copy)."""
    rows, columns, _ = rgb.shape
    rgb = np.ascontiguousarray(rgb)
    return QImage(rgb.data, columns, rows, 3 * columns, QImage.Format.Format_RGB888).copy()


def cell_gap(size: int) -> int:
    """Pixels between two cells: one, unless the cells are too small to spare it."""
    return 1 if size >= 3 else 0


def cells_image(rgb: np.ndarray, columns: int, size: int) -> QImage:
    """(n, 3) uint8 colours as rows of ``columns`` cells, ``size`` px apart with a gap.

    The gaps and the unfilled end of the last row are transparent. Premultiplied ARGB is
    the format Qt paints without converting (RGBA took 4 times as long to draw).
    """
    count = len(rgb)
    rows = -(-count // columns)
    red, green, blue = np.asarray(rgb, dtype=np.uint32).T
    argb = np.zeros(rows * columns, dtype=np.uint32)  # 0: transparent
    argb[:count] = 0xFF000000 | (red << 16) | (green << 8) | blue
    pixels = np.repeat(np.repeat(argb.reshape(rows, columns), size, axis=0), size, axis=1)
    gap = cell_gap(size)
    if gap:
        pixels[size - gap :: size, :] = 0
        pixels[:, size - gap :: size] = 0
    height, width = pixels.shape
    pixels = np.ascontiguousarray(pixels)
    image = QImage(pixels.data, width, height, 4 * width, QImage.Format.Format_ARGB32_Premultiplied)
    return image.copy()
