"""The ten probabilities as bars, painted directly with QPainter.

A plain widget, not a pyqtgraph plot: the chart is on screen from the first frame, and
pyqtgraph (slow to import) is then needed only by the Train tab's plots, which load
after the window is shown.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from desktop.ui.style import AXES, BAR, BLUE, FRAME

N_DIGITS = 10
TOP = 1.08  # the value at the top edge: room above a bar of 100 %
BAR_WIDTH = 0.65  # of a digit's slot
BAR_CLICK_MARGIN = 0.12  # of the chart's 0..1 height, above a bar, still counts as it
LEFT, BOTTOM, RIGHT, TOP_MARGIN = 40, 20, 8, 6  # pixels around the plotting area
TICKS = ((0.0, "0"), (0.5, "50%"), (1.0, "100%"))


class ProbabilityChart(QWidget):
    """One bar per digit; the network's answer in blue. Clicking a bar emits its digit."""

    digit_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("probabilityChart")
        self.setAccessibleName("Probabilities")
        self.setMinimumHeight(140)
        self.setToolTip("Click the right digit's bar to keep this drawing as that digit")
        self.heights = np.zeros(N_DIGITS)
        self.highlight: int | None = None

    def set_bars(self, heights: np.ndarray, highlight: int | None = None) -> None:
        """Show ``heights`` (10 values in 0..1), the bar of digit ``highlight`` in blue."""
        self.heights = np.clip(np.asarray(heights, dtype=float), 0.0, 1.0)
        self.highlight = highlight
        shown = [f"{d}: {p:.0%}" for d, p in enumerate(self.heights) if p >= 0.005]
        self.setAccessibleDescription(", ".join(shown) or "nothing drawn")
        self.update()

    def point_at(self, digit: float, value: float) -> QPointF:
        """The pixel of ``value`` (0..1) above ``digit``'s slot centre."""
        area = self._area()
        x = area.left() + (digit + 0.5) * area.width() / N_DIGITS
        return QPointF(x, area.bottom() - value / TOP * area.height())

    def digit_at(self, point: QPointF) -> int | None:
        """The digit whose bar is at ``point``: on the bar or just above a short one."""
        area = self._area()
        if area.width() <= 0 or area.height() <= 0:
            return None
        slot = (point.x() - area.left()) / (area.width() / N_DIGITS) - 0.5
        digit = round(slot)
        value = (area.bottom() - point.y()) / area.height() * TOP
        if not (0 <= digit < N_DIGITS and abs(slot - digit) <= 0.4):
            return None
        # Empty space high above a bar that is almost zero is not a click on it (it
        # labelled drawings by accident).
        return digit if value <= self.heights[digit] + BAR_CLICK_MARGIN else None

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """A click on a bar says which digit the drawing really is."""
        if event.button() == Qt.MouseButton.LeftButton:
            digit = self.digit_at(event.position())
            if digit is not None:
                self.digit_clicked.emit(digit)
        super().mouseReleaseEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        """Axes, ticks and the ten bars."""
        with QPainter(self) as painter:
            painter.fillRect(self.rect(), QColor("white"))  # as the Train tab's plots
            area = self._area()
            slot = area.width() / N_DIGITS
            painter.setPen(QPen(QColor(FRAME), 1))
            for value, _ in TICKS[1:]:
                y = self.point_at(0, value).y()
                painter.drawLine(QPointF(area.left(), y), QPointF(area.right(), y))
            painter.setPen(Qt.PenStyle.NoPen)
            width = BAR_WIDTH * slot
            for digit, height in enumerate(self.heights):
                painter.setBrush(QColor(BLUE if digit == self.highlight else BAR))
                top = self.point_at(digit, float(height))
                painter.drawRect(
                    QRectF(top.x() - width / 2, top.y(), width, area.bottom() - top.y())
                )
            painter.setPen(QPen(QColor(AXES), 1))
            painter.drawLine(area.bottomLeft(), area.bottomRight())
            painter.drawLine(area.bottomLeft(), area.topLeft())
            metrics, align = painter.fontMetrics(), Qt.AlignmentFlag
            for value, text in TICKS:
                y = self.point_at(0, value).y()
                box = QRectF(0, y - metrics.height() / 2, LEFT - 6, metrics.height())
                painter.drawText(box, align.AlignRight | align.AlignVCenter, text)
            for digit in range(N_DIGITS):
                x = self.point_at(digit, 0).x()
                box = QRectF(x - slot / 2, area.bottom() + 2, slot, BOTTOM - 2)
                painter.drawText(box, align.AlignHCenter | align.AlignTop, str(digit))

    def _area(self) -> QRectF:
        """The plotting area inside the axes' margins."""
        return QRectF(self.rect()).adjusted(LEFT, TOP_MARGIN, -RIGHT, -BOTTOM)
