"""A small widget that shows a 2-D array as crisp grey cells (the 8x8 and 32x32 inputs)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from desktop.ui.style import EMPTY, FRAME


def grey_shades(values: np.ndarray, maximum: float) -> np.ndarray:
    """Grey levels (uint8) for ``values``: 255 (paper) at 0, 30 (ink) at ``maximum``."""
    return (255 - np.clip(np.asarray(values) / maximum, 0, 1) * 225).astype(np.uint8)


class BitmapView(QWidget):
    """Paints ``values`` (rows x columns) from white (0) to ink (``maximum``)."""

    def __init__(self, maximum: float, parent: QWidget | None = None, side: int = 112) -> None:
        super().__init__(parent)
        self.maximum = maximum
        self.values: np.ndarray | None = None
        self._side = side
        self.setMinimumSize(side // 2, side // 2)

    def sizeHint(self) -> QSize:
        """Square, ``side`` pixels."""
        return QSize(self._side, self._side)

    def set_values(self, values: np.ndarray | None) -> None:
        """Show ``values``, or an empty grey square for None."""
        self.values = None if values is None else np.asarray(values, dtype=np.float64)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        """Cells scaled to the largest square that fits."""
        painter = QPainter(self)
        side = min(self.width(), self.height())
        left, top = (self.width() - side) / 2, (self.height() - side) / 2
        if self.values is None:
            painter.fillRect(QRectF(left, top, side, side), QColor(EMPTY))
            return
        rows, cols = self.values.shape
        cell_w, cell_h = side / cols, side / rows
        shades = grey_shades(self.values, self.maximum)
        for r in range(rows):
            for c in range(cols):
                shade = int(shades[r, c])
                painter.fillRect(
                    QRectF(left + c * cell_w, top + r * cell_h, cell_w + 0.5, cell_h + 0.5),
                    QColor(shade, shade, min(255, shade + 8)),
                )
        painter.setPen(QColor(FRAME))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(QRectF(left, top, side - 1, side - 1))
        painter.end()
