"""A small widget that shows a 2-D array as crisp grey cells (the 8x8 and 32x32 inputs)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from desktop.ui.style import EMPTY, FRAME
from desktop.ui.widgets.colour_maps import grey_rgb, rgb_image


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
        with QPainter(self) as painter:
            side = min(self.width(), self.height())
            square = QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)
            paint_glyph(painter, square, glyph_image(self.values, self.maximum))


def glyph_image(values: np.ndarray | None, maximum: float) -> QImage | None:
    """``values`` (rows x columns, 0..``maximum``) as a grey image, one pixel per cell."""
    return None if values is None else rgb_image(grey_rgb(values, maximum))


def paint_glyph(painter: QPainter, square: QRectF, image: QImage | None) -> None:
    """``image`` scaled into ``square`` and framed; an empty grey square for None.

    One image scaled with nearest-neighbour sampling (crisp cells), not a rectangle per
    cell: the 32x32 view is painted on every stroke.
    """
    if image is None:
        painter.fillRect(square, QColor(EMPTY))
        return
    painter.drawImage(square, image)
    painter.setPen(QColor(FRAME))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(square.adjusted(0, 0, -1, -1))
