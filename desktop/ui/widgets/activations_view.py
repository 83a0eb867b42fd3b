"""Every layer's outputs as rows of cells, the units that push hardest toward the digit outlined."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QToolTip, QWidget

from desktop.recognition.features import GRID
from desktop.ui.style import EMPTY, ORANGE
from desktop.ui.widgets.colour_maps import cell_gap, cells_image, grey_rgb

MAX_CELLS_PER_LAYER = 512  # wider layers are summarised: each cell the mean of a group
CELLS_PER_ROW = 32


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
                self._paint_cells(
                    painter, area, cells, pushes, layer_scale, name, (group, values.size), columns
                )

    def _paint_cells(
        self,
        painter: QPainter,
        area: QRectF,
        values: np.ndarray,
        pushes: np.ndarray | None,
        scale: float,
        name: str,
        grouping: tuple[int, int],
        columns: int = CELLS_PER_ROW,
    ) -> None:
        """``grouping``: units a cell stands for, and the layer's units."""
        columns = min(len(values), columns)
        rows = -(-len(values) // columns)
        size = max(1, int(min(area.width() / columns, area.height() / rows)))
        # One image of the whole layer, not a rectangle per cell (see colour_maps).
        painter.drawImage(area.topLeft(), cells_image(grey_rgb(values, scale), columns, size))
        band = _Band(area.left(), area.top(), size, columns, name, *grouping, values, pushes)
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
                text = _describe_unit(band, unit, push)
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
    units: int
    values: np.ndarray
    pushes: np.ndarray | None

    def rect(self, unit: int) -> QRectF:
        """The cell of ``unit`` (without its gap)."""
        row, column = divmod(unit, self.columns)
        gap = cell_gap(self.size)
        return QRectF(self.left + column * self.size, self.top + row * self.size,
                      self.size - gap, self.size - gap)  # fmt: skip

    def unit_at(self, x: float, y: float) -> int | None:
        """The unit whose cell holds (x, y), or None."""
        column, row = int((x - self.left) // self.size), int((y - self.top) // self.size)
        unit = row * self.columns + column
        inside = 0 <= column < self.columns and row >= 0 and unit < len(self.values)
        return unit if inside else None


def _describe_unit(band: _Band, unit: int, push: float | None) -> str:
    """A cell's tooltip: which unit(s), its output, and its push toward the digit."""
    first = unit * band.group
    last = min(first + band.group, band.units) - 1
    what = f"units {first}–{last} (mean)" if band.group > 1 else f"unit {unit}"
    text = f"{band.name}, {what}: output {float(band.values[unit]):.3f}"
    if push is not None:
        text += f", push toward the digit {push:+.4f}"
    return text


def _summarise(values: np.ndarray) -> tuple[np.ndarray, int]:
    """At most ``MAX_CELLS_PER_LAYER`` cells: group means, and the group size.

    The last group may be smaller: its mean is over its own units (no padding cells).
    """
    values = np.asarray(values, dtype=np.float64).ravel()
    if len(values) <= MAX_CELLS_PER_LAYER:
        return values, 1
    group = -(-len(values) // MAX_CELLS_PER_LAYER)
    starts = np.arange(0, len(values), group)
    counts = np.diff(np.append(starts, len(values)))
    return np.add.reduceat(values, starts) / counts, group
