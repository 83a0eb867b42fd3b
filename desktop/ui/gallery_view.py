"""Small grey glyphs in a grid, each with a caption: the misclassified test digits.

One widget paints them all. A widget per glyph (a bitmap view and a label for each of
up to 40) took 33 ms to show at the end of a run, most of it Qt polishing 80 new widgets.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from desktop.ui.cell_views import grey_rgb, rgb_image
from desktop.ui.style import FRAME

THUMBNAIL = 56  # pixels
PADDING = 4


class GalleryView(QWidget):
    """Glyphs (rows x columns arrays, 0..``maximum``) with captions, ``columns`` a row."""

    def __init__(self, maximum: float, columns: int = 4, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.maximum = maximum
        self.columns = columns
        self.captions: list[str] = []
        self._images: list[QImage] = []
        self.setAccessibleName("Misclassified test digits")

    @property
    def count(self) -> int:
        """How many glyphs are shown."""
        return len(self._images)

    def set_items(self, glyphs: Sequence[np.ndarray], captions: Sequence[str]) -> None:
        """Show ``glyphs`` with their ``captions`` (as many of each), replacing the last."""
        self._images = [rgb_image(grey_rgb(np.asarray(g, dtype=float), self.maximum))
                        for g in glyphs]  # fmt: skip
        self.captions = list(captions)
        self.setAccessibleDescription(", ".join(self.captions) or "none")
        rows = -(-len(self._images) // self.columns)
        self.setMinimumHeight(rows * self._cell_height())  # the scroll area scrolls the rest
        self.update()

    def sizeHint(self) -> QSize:
        """Room for one row of glyphs."""
        return QSize(self.columns * (THUMBNAIL + 2 * PADDING), self._cell_height())

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
                square = QRectF(left + (width - THUMBNAIL) / 2, top + PADDING, THUMBNAIL, THUMBNAIL)
                painter.drawImage(square, image)
                painter.setPen(QColor(FRAME))
                painter.drawRect(square.adjusted(0, 0, -1, -1))
                painter.setPen(self.palette().text().color())
                text_box = QRectF(left, square.bottom() + 2, width, caption_height)
                painter.drawText(text_box, Qt.AlignmentFlag.AlignHCenter, caption)

    def _cell_height(self) -> int:
        return THUMBNAIL + 2 * PADDING + self.fontMetrics().height() + 2
