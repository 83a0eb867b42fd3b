"""A grid of numbers as coloured cells, the exact number on hover; editable by mouse or keys.

Arrows choose a cell, + and - add or take away ink. It shows the 8x8 input (editable on
the Inside tab), the saliency, and the weights forming while a network trains.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QPoint, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QToolTip, QWidget

from desktop.ui.style import EMPTY, FRAME
from desktop.ui.widgets.colour_maps import ColourMap, rgb_image

MOVES = {Qt.Key.Key_Up: (-1, 0), Qt.Key.Key_Down: (1, 0),
         Qt.Key.Key_Left: (0, -1), Qt.Key.Key_Right: (0, 1)}  # fmt: skip
STEPS = {Qt.Key.Key_Plus: 1, Qt.Key.Key_Equal: 1, Qt.Key.Key_Space: 1, Qt.Key.Key_Minus: -1}


class CellView(QWidget):
    """A grid of cells; hovering shows ``describe(row, column, value)``.

    Editable views emit ``cell_edited(row, column, step)``: +1 for the left button, -1 for
    the right one, for every cell the pointer presses or drags over; with the keyboard,
    +1 for "+" (or "=", Space) and -1 for "-" on the cell the arrows chose (outlined
    while the view has focus).
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
        self.key_cell = (0, 0)  # the cell the arrow keys chose
        self._image: QImage | None = None
        self.setMouseTracking(True)
        self.setMinimumSize(side // 2, side // 2)
        if editable:
            self.setCursor(Qt.CursorShape.PointingHandCursor)
            self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def sizeHint(self) -> QSize:
        """Square, ``side`` pixels."""
        return QSize(self._side, self._side)

    def set_values(self, values: np.ndarray | None, scale: float | None = None) -> None:
        """Show ``values`` (rows x columns); colours span 0..``scale`` (default: the max)."""
        self.values = None if values is None else np.asarray(values, dtype=np.float64)
        self._image = None  # coloured at the next paint, once per change
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
            if self._image is None:  # not at every paint: a resize or a focus change
                self._image = rgb_image(self.colour(self.values, self.scale))
            painter.drawImage(QRectF(left, top, width * columns, height * rows), self._image)
            painter.setPen(QColor(FRAME))
            painter.drawRect(QRectF(left, top, width * columns - 1, height * rows - 1))
            if self.editable and self.hasFocus():  # where the next key acts
                row, column = self.key_cell
                painter.setPen(QPen(self.palette().color(QPalette.ColorRole.Highlight), 3))
                painter.drawRect(QRectF(left + column * width + 1.5, top + row * height + 1.5,
                                        width - 3, height - 3))  # fmt: skip

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Arrows choose a cell; "+" ("=", Space) adds ink to it and "-" takes ink away."""
        key = Qt.Key(event.key())
        if not self.editable or self.values is None or (key not in MOVES and key not in STEPS):
            super().keyPressEvent(event)
            return
        row, column = self.key_cell
        if key in MOVES:
            rows, columns = self.values.shape
            down, right = MOVES[key]
            self.key_cell = (min(max(row + down, 0), rows - 1),
                             min(max(column + right, 0), columns - 1))  # fmt: skip
            self.update()
        else:
            self.cell_edited.emit(row, column, STEPS[key])
        self.setAccessibleDescription(
            self.describe(*self.key_cell, float(self.values[self.key_cell]))
        )

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
