"""Widgets that paint numbers as coloured cells, with the exact number on hover.

:class:`CellView` shows one grid (the 8x8 input, the saliency, weights) and can be edited
with the mouse; :class:`ActivationsView` shows every layer of a network as rows of cells.
Colours: grey from paper (0) to ink (the largest value) for outputs and counts; blue for
a push toward the digit, red for a push against it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QPoint, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QToolTip, QWidget

from desktop.recognition.features import GRID
from desktop.ui.style import BLUE, EMPTY, FRAME, ORANGE, RED

MAX_CELLS_PER_LAYER = 512  # wider layers are summarised: each cell the mean of a group
CELLS_PER_ROW = 32


def grey(value: float, scale: float) -> QColor:
    """Paper (0) to ink (``scale``); NaN (a gap) is paper."""
    if value != value:  # NaN
        return QColor("white")
    shade = int(255 - np.clip(abs(value) / scale if scale > 0 else 0, 0, 1) * 225)
    return QColor(shade, shade, min(255, shade + 8))


def diverging(value: float, scale: float) -> QColor:
    """White at 0, blue toward +``scale``, red toward -``scale``; NaN (a gap) is white."""
    if value != value:  # NaN
        return QColor("white")
    strength = float(np.clip(abs(value) / scale if scale > 0 else 0, 0, 1))
    end = QColor(BLUE if value >= 0 else RED)
    red, green, blue = (
        int(255 + (a - 255) * strength) for a in (end.red(), end.green(), end.blue())
    )
    return QColor(red, green, blue)


def grey_rgb(values: np.ndarray, scale: float) -> np.ndarray:
    """:func:`grey` for a whole array at once: (rows, columns, 3) uint8."""
    strength = np.nan_to_num(np.clip(np.abs(values) / scale if scale > 0 else 0 * values, 0, 1))
    shade = 255 - strength * 225
    return np.stack([shade, shade, np.minimum(255, shade + 8)], axis=-1).astype(np.uint8)


def diverging_rgb(values: np.ndarray, scale: float) -> np.ndarray:
    """:func:`diverging` for a whole array at once: (rows, columns, 3) uint8."""
    strength = np.nan_to_num(np.clip(np.abs(values) / scale if scale > 0 else 0 * values, 0, 1))
    blue, red = QColor(BLUE), QColor(RED)
    ends = np.where((values >= 0)[..., None], [blue.red(), blue.green(), blue.blue()],
                    [red.red(), red.green(), red.blue()])  # fmt: skip
    return (255 + (ends - 255) * strength[..., None]).astype(np.uint8)


def rgb_image(rgb: np.ndarray) -> QImage:
    """An image of (rows, columns, 3) uint8 colours, one pixel per cell (its own copy)."""
    rows, columns, _ = rgb.shape
    rgb = np.ascontiguousarray(rgb)
    return QImage(rgb.data, columns, rows, 3 * columns, QImage.Format.Format_RGB888).copy()


COLOUR_MAPS: dict[Callable[[float, float], QColor], Callable[[np.ndarray, float], np.ndarray]]
COLOUR_MAPS = {grey: grey_rgb, diverging: diverging_rgb}


class CellView(QWidget):
    """A grid of cells; hovering shows ``describe(row, column, value)``.

    Editable views emit ``cell_edited(row, column, step)``: +1 for the left button, -1 for
    the right one, for every cell the pointer presses or drags over.
    """

    cell_edited = Signal(int, int, int)

    def __init__(
        self,
        colour: Callable[[float, float], QColor],
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
            # One scaled image (nearest neighbour), not a rectangle per cell: a 71x71
            # weights mosaic painted cell by cell took 30+ ms.
            image = rgb_image(COLOUR_MAPS[self.colour](self.values, self.scale))
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


class ActivationsView(QWidget):
    """Every layer's outputs as rows of cells, the units that push hardest outlined.

    Layers wider than ``MAX_CELLS_PER_LAYER`` are summarised (each cell the mean of a
    group of units), so a 4,096-unit layer still draws; a 1-unit layer is one cell.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.layers: list[np.ndarray] = []
        self.pushes: list[np.ndarray] = []
        self.names: list[str] = []
        self._bands: list[_Band] = []  # where the last paint put each layer
        self.setMouseTracking(True)
        self.setMinimumSize(240, 160)

    def sizeHint(self) -> QSize:
        """Wide and low."""
        return QSize(420, 260)

    def set_layers(self, layers: list[np.ndarray], pushes: list[np.ndarray],
                   names: list[str]) -> None:  # fmt: skip
        """Show ``layers`` (outputs, input to output) and ``pushes`` (input and hidden)."""
        self.layers, self.pushes, self.names = layers, pushes, names
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        """One band per layer: its name, then its cells."""
        self._bands = []
        with QPainter(self) as painter:
            if not self.layers:
                painter.fillRect(self.rect(), QColor(EMPTY))
                return
            hidden = self.layers[1:-1]
            scale = max((float(np.max(np.abs(a))) for a in hidden if a.size), default=1.0) or 1.0
            band = self.height() / len(self.layers)
            label_width = 118
            for index, (values, name) in enumerate(zip(self.layers, self.names, strict=True)):
                top = index * band
                painter.setPen(QColor("#3b4252"))
                align = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
                painter.drawText(QRectF(2, top, label_width - 4, band), align, name)
                push = self.pushes[index] if index < len(self.pushes) else None
                cells, group = _summarise(values)
                pushes = None if push is None else _summarise(push)[0]
                # The input and the output have scales of their own (counts, probabilities);
                # hidden layers share one, so their units compare.
                layer_scale = scale
                if index == 0:
                    layer_scale = max(float(values.max()), 1e-9)
                elif index == len(self.layers) - 1:
                    layer_scale = 1.0
                area = QRectF(label_width, top + 2, self.width() - label_width - 4, band - 4)
                columns = GRID if index == 0 else CELLS_PER_ROW  # the input as its 8x8 grid
                self._paint_cells(painter, area, cells, pushes, layer_scale, name, group, columns)

    def _paint_cells(
        self,
        painter: QPainter,
        area: QRectF,
        values: np.ndarray,
        pushes: np.ndarray | None,
        scale: float,
        name: str,
        group: int,
        columns: int = CELLS_PER_ROW,
    ) -> None:
        columns = min(len(values), columns)
        rows = -(-len(values) // columns)
        size = max(1, int(min(area.width() / columns, area.height() / rows)))
        # One image of the whole layer, not a rectangle per cell: the default network's
        # 458 cells took 2.5-4 ms of each Inside tab update; the whole view now 1.5.
        painter.drawImage(area.topLeft(), cells_image(grey_rgb(values, scale), columns, size))
        band = _Band(area.left(), area.top(), size, columns, name, group, values, pushes)
        self._bands.append(band)
        if pushes is not None and len(pushes) > 1:
            painter.setPen(QPen(QColor(ORANGE), 2))
            for unit in np.argsort(pushes)[-min(5, len(pushes) - 1) :].tolist():
                if pushes[unit] > 0:
                    painter.drawRect(band.rect(unit).adjusted(1, 1, -1, -1))

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        """The exact number under the pointer."""
        point = event.position()
        for band in self._bands:
            unit = band.unit_at(point.x(), point.y())
            if unit is not None:
                push = None if band.pushes is None else float(band.pushes[unit])
                text = _describe_unit(band.name, unit, band.group, float(band.values[unit]), push)
                QToolTip.showText(event.globalPosition().toPoint(), text, self)
                return


@dataclass(frozen=True)
class _Band:
    """Where one layer's cells were painted: rows of ``columns`` squares of ``size`` px."""

    left: float
    top: float
    size: int
    columns: int
    name: str
    group: int
    values: np.ndarray
    pushes: np.ndarray | None

    def rect(self, unit: int) -> QRectF:
        """The cell of ``unit`` (without its gap)."""
        row, column = divmod(unit, self.columns)
        gap = _gap(self.size)
        return QRectF(self.left + column * self.size, self.top + row * self.size,
                      self.size - gap, self.size - gap)  # fmt: skip

    def unit_at(self, x: float, y: float) -> int | None:
        """The unit whose cell holds (x, y), or None."""
        column, row = int((x - self.left) // self.size), int((y - self.top) // self.size)
        unit = row * self.columns + column
        inside = 0 <= column < self.columns and row >= 0 and unit < len(self.values)
        return unit if inside else None


def _gap(size: int) -> int:
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
    gap = _gap(size)
    if gap:
        pixels[size - gap :: size, :] = 0
        pixels[:, size - gap :: size] = 0
    height, width = pixels.shape
    pixels = np.ascontiguousarray(pixels)
    image = QImage(pixels.data, width, height, 4 * width, QImage.Format.Format_ARGB32_Premultiplied)
    return image.copy()


def _describe_unit(name: str, unit: int, group: int, value: float, push: float | None) -> str:
    """A cell's tooltip: which unit(s), its output, and its push toward the digit."""
    first = unit * group
    what = f"units {first}–{first + group - 1} (mean)" if group > 1 else f"unit {unit}"
    text = f"{name}, {what}: output {value:.3f}"
    if push is not None:
        text += f", push toward the digit {push:+.4f}"
    return text


def _summarise(values: np.ndarray) -> tuple[np.ndarray, int]:
    """At most ``MAX_CELLS_PER_LAYER`` cells: group means, and the group size."""
    values = np.asarray(values, dtype=np.float64).ravel()
    if len(values) <= MAX_CELLS_PER_LAYER:
        return values, 1
    group = -(-len(values) // MAX_CELLS_PER_LAYER)
    padded = np.pad(values, (0, group * MAX_CELLS_PER_LAYER - len(values)))
    return padded.reshape(MAX_CELLS_PER_LAYER, group).mean(axis=1), group


TILES = 8  # the weights view shows the first 64 units, 8 by 8


def weight_mosaic(weights: np.ndarray) -> np.ndarray:
    """First-layer weights (64, units) -> an 8x8 mosaic of 8x8 tiles, NaN between tiles."""
    units = min(weights.shape[1], TILES * TILES)
    size = TILES * (GRID + 1) - 1
    mosaic = np.full((size, size), np.nan)
    for unit in range(units):
        row, column = divmod(unit, TILES)
        tile = weights[:, unit].reshape(GRID, GRID)
        mosaic[row * (GRID + 1): row * (GRID + 1) + GRID,
               column * (GRID + 1): column * (GRID + 1) + GRID] = tile  # fmt: skip
    return mosaic


def describe_weight(row: int, column: int, value: float) -> str:
    """Tooltip of a weights mosaic cell."""
    if value != value:
        return ""
    unit = (row // (GRID + 1)) * TILES + column // (GRID + 1)
    cell = (row % (GRID + 1), column % (GRID + 1))
    return f"unit {unit}, weight from input cell {cell}: {value:+.4f}"
