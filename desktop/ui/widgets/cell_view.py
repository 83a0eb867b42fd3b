"""A grid of numbers as coloured cells, with the exact number on hover; editable by mouse.

It shows the 8x8 input (editable on the Inside tab), the saliency, and the weights
forming while a network trains.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QPoint, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QToolTip, QWidget

from desktop.ui.style import EMPTY, FRAME
from desktop.ui.widgets.colour_maps import ColourMap, rgb_image


class CellView(QWidget):
    """A grid of cells; hovering shows ``describe(row, column, value)``.

    Editable views emit ``cell_edited(row, column, step)``: +1 for the left button, -1 for
    the right one, for every cell the pointer presses or drags over.
    """

    cell_edited = Signal(int, int, int)

    def __init__(
        self,
        colour: ColourMap,
        describe: Callable[[int, int, float], str],
        *,
        editable: bool = False,
        side: int = 160,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.colour = colour
        self.describe = describe
        self.editable = editable
        self.values: np.ndarray | None = None
        self.scale = 1.0
        self._side = side
        self._last_cell: tuple[int, int] | None = None
        self._button = 0
        self.setMouseTracking(True)
        self.setMinimumSize(side // 2, side // 2)
        if editable:
            self.setCursor(Qt.CursorShape.PointingHandCursor)

    def sizeHint(self) -> QSize:
        """Square, ``side`` pixels."""
        return QSize(self._side, self._side)

    def set_values(self, values: np.ndarray | None, scale: float | None = None) -> None:
        """Show ``values`` (rows x columns); colours span 0..``scale`` (default: the max)."""
        self.values = None if values is None else np.asarray(values, dtype=np.float64)
        if self.values is not None:
            peak = float(np.nanmax(np.abs(self.values))) if self.values.size else 0.0
            self.scale = scale if scale is not None else (peak or 1.0)
        self.update()

    def _geometry(self) -> tuple[float, float, float, float]:
        assert self.values is not None
        rows, columns = self.values.shape
        cell = min(self.width() / columns, self.height() / rows)
        left = (self.width() - cell * columns) / 2
        top = (self.height() - cell * rows) / 2
        return left, top, cell, cell

    def cell_at(self, point: QPoint) -> tuple[int, int] | None:
        """The (row, column) under ``point``, or None."""
        if self.values is None:
            return None
        left, top, width, height = self._geometry()
        column = int((point.x() - left) // width)
        row = int((point.y() - top) // height)
        rows, columns = self.values.shape
        return (row, column) if 0 <= row < rows and 0 <= column < columns else None

    def paintEvent(self, event: QPaintEvent) -> None:
        """The cells, and a frame."""
        with QPainter(self) as painter:
            if self.values is None:
                side = min(self.width(), self.height())
                painter.fillRect(QRectF((self.width() - side) / 2, 0, side, side), QColor(EMPTY))
                return
            left, top, width, height = self._geometry()
            rows, columns = self.values.shape
            # One scaled image (nearest neighbour), not a rectangle per cell.
            image = rgb_image(self.colour(self.values, self.scale))
            painter.drawImage(QRectF(left, top, width * columns, height * rows), image)
            painter.setPen(QColor(FRAME))
            painter.drawRect(QRectF(left, top, width * columns - 1, height * rows - 1))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """Start editing (left raises, right lowers)."""
        if self.editable and event.button() in (Qt.MouseButton.LeftButton,
                                                Qt.MouseButton.RightButton):  # fmt: skip
            self._button = 1 if event.button() == Qt.MouseButton.LeftButton else -1
            self._last_cell = None
            self._edit(event.position().toPoint())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        """Edit while a button is held; otherwise show the cell's number."""
        point = event.position().toPoint()
        if self.editable and self._button:
            self._edit(point)
        cell = self.cell_at(point)
        if cell is not None and self.values is not None:
            text = self.describe(cell[0], cell[1], float(self.values[cell]))
            QToolTip.showText(event.globalPosition().toPoint(), text, self)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """Stop editing."""
        self._button = 0

    def _edit(self, point: QPoint) -> None:
        cell = self.cell_at(point)
        if cell is not None and cell != self._last_cell:
            self._last_cell = cell
            self.cell_edited.emit(cell[0], cell[1], self._button)
