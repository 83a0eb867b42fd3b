"""Small grey glyphs in a grid, each with a caption (misclassified digits, nearest examples).

One widget paints them all. A widget per glyph (a bitmap view and a label for each of
up to 40) took more than a frame to show at the end of a run: Qt polishing 80 widgets.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QImage, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from desktop.ui.widgets.bitmap_view import glyph_image, paint_glyph

THUMBNAIL = 56  # pixels, unless given
PADDING = 4


class GalleryView(QWidget):
    """Glyphs (rows x columns arrays, 0..``maximum``) with captions, ``columns`` a row.

    A glyph of None is an empty grey square (a slot with nothing to show yet). A click
    (or the arrow keys) selects a glyph: ``selected_changed(index)``, -1 for none.
    """

    selected_changed = Signal(int)

    def __init__(
        self,
        maximum: float,
        name: str,
        columns: int = 4,
        side: int = THUMBNAIL,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.maximum = maximum
        self.columns = columns
        self.side = side
        self.captions: list[str] = []
        self._images: list[QImage | None] = []
        self.selected = -1
        self.setAccessibleName(name)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    @property
    def count(self) -> int:
        """How many glyphs (and empty slots) are shown."""
        return len(self._images)

    def set_items(self, glyphs: Sequence[np.ndarray | None], captions: Sequence[str]) -> None:
        """Show ``glyphs`` with their ``captions`` (as many of each), replacing the last."""
        self._images = [glyph_image(None if g is None else np.asarray(g, dtype=float), self.maximum)
                        for g in glyphs]  # fmt: skip
        self.captions = list(captions)
        self.select(-1)
        self.setAccessibleDescription(", ".join(c for c in self.captions if c) or "none")
        rows = -(-len(self._images) // self.columns)
        self.setMinimumHeight(rows * self._cell_height())  # the scroll area scrolls the rest
        self.update()

    def select(self, index: int) -> None:
        """Select glyph ``index`` (-1, or one out of range: none)."""
        index = index if 0 <= index < len(self._images) else -1
        if index != self.selected:
            self.selected = index
            self.selected_changed.emit(index)
            self.update()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """Select the glyph under the pointer."""
        super().mousePressEvent(event)
        column = int(event.position().x() // (self.width() / self.columns))
        row = int(event.position().y() // self._cell_height())
        self.select(row * self.columns + column if column < self.columns else -1)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Arrows move the selection; others go to the usual handling."""
        steps = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1,
                 Qt.Key.Key_Up: -self.columns, Qt.Key.Key_Down: self.columns}  # fmt: skip
        step = steps.get(Qt.Key(event.key()))
        if step is None or not self._images:
            super().keyPressEvent(event)
            return
        self.select(min(max(self.selected + step, 0), len(self._images) - 1))

    def sizeHint(self) -> QSize:
        """Room for one row of glyphs."""
        return QSize(self.columns * (self.side + 2 * PADDING), self._cell_height())

    def paintEvent(self, event: QPaintEvent) -> None:
        """Each glyph scaled up crisply, framed, its caption below."""
        with QPainter(self) as painter:
            width = self.width() / self.columns
            caption_height = painter.fontMetrics().height()
            for position, (image, caption) in enumerate(
                zip(self._images, self.captions, strict=True)
            ):
                row, column = divmod(position, self.columns)
                left, top = column * width, row * self._cell_height()
                square = QRectF(left + (width - self.side) / 2, top + PADDING, self.side, self.side)
                paint_glyph(painter, square, image)
                if position == self.selected:
                    painter.setPen(QPen(self.palette().highlight().color(), 3))
                    painter.drawRect(square.adjusted(-2, -2, 2, 2))
                painter.setPen(self.palette().text().color())
                text_box = QRectF(left, square.bottom() + 2, width, caption_height)
                painter.drawText(text_box, Qt.AlignmentFlag.AlignHCenter, caption)

    def _cell_height(self) -> int:
        return self.side + 2 * PADDING + self.fontMetrics().height() + 2
