"""The drawing surface: a thin widget over :class:`desktop.recognition.drawing.Drawing`.

Mouse, pen (tablet) and touch draw round-capped strokes; the right button, or eraser
mode, erases. The drawing (a square for a digit, a wide strip for a number) is scaled
to fit the widget, so it survives resizing and is painted at the screen's full
resolution (HiDPI) by QPainter.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPolygonF,
    QTabletEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from desktop.recognition.drawing import SIZE, Drawing, Stroke
from desktop.ui import style

PAPER, INK, FRAME, HINT = (QColor(c) for c in (style.PAPER, style.INK, style.FRAME, style.HINT))
FOCUS_FRAME = 2.5  # pixels: a frame plainly thicker than the unfocused one


class DrawingCanvas(QWidget):
    """Draw digits here. ``changed`` fires whenever the drawing changes (also mid-stroke)."""

    changed = Signal()
    stroke_finished = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("canvas")
        self.setAccessibleName("Drawing canvas")
        self.setMinimumSize(200, 200)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        self.drawing = Drawing()
        self.brush_size = 16.0  # canvas units
        self.eraser = False
        self.hint = "Draw a digit here"
        self._drawing_now = False

    # -- the public API (thin: the model does the work) ---------------------------

    def set_drawing(self, drawing: Drawing, hint: str) -> None:
        """Show and edit ``drawing`` from now on (the other one is kept as it is)."""
        self._drawing_now = False
        self.drawing = drawing
        self.hint = hint
        self._update()

    def clear(self) -> None:
        """Remove everything (undoable)."""
        if self.drawing.clear():
            self._update()

    def undo(self) -> None:
        """Take back the last stroke or clear."""
        if self.drawing.undo():
            self._update()

    def redo(self) -> None:
        """Put back what was undone."""
        if self.drawing.redo():
            self._update()

    def add_stroke(self, points: np.ndarray, erase: bool = False) -> None:
        """Add a whole stroke (canvas units) as if it had been drawn with the brush."""
        x0, y0 = points[0]
        self.drawing.begin_stroke(float(x0), float(y0), self.brush_size, erase)
        for x, y in points[1:]:
            self.drawing.extend_stroke(x, y)
        self._update()
        self.stroke_finished.emit()

    def to_image(self, size: int = 560) -> QImage:
        """The drawing rendered on paper, ``size`` pixels high, for export."""
        image = QImage(round(size * self.drawing.width / SIZE), size, QImage.Format.Format_RGB32)
        image.fill(PAPER)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._paint_strokes(painter, size / SIZE, QPointF(0, 0))
        painter.end()
        return image

    # -- geometry -------------------------------------------------------------------

    def paper(self) -> QRectF:
        """Where the drawing is shown, in widget pixels: as large as fits, centred."""
        across = self.drawing.width
        scale = max(min((self.width() - 2) / across, (self.height() - 2) / SIZE), 1e-3)
        width, height = across * scale, SIZE * scale
        return QRectF((self.width() - width) / 2, (self.height() - height) / 2, width, height)

    def _to_canvas(self, position: QPointF) -> tuple[float, float]:
        paper = self.paper()
        scale = SIZE / paper.height()
        x = (position.x() - paper.left()) * scale
        y = (position.y() - paper.top()) * scale
        return float(np.clip(x, 0, self.drawing.width)), float(np.clip(y, 0, SIZE))

    # -- input ----------------------------------------------------------------------

    def _press(self, position: QPointF, erase: bool) -> None:
        self._drawing_now = True
        self.drawing.begin_stroke(*self._to_canvas(position), self.brush_size, erase)
        self._update()

    def _move(self, position: QPointF) -> None:
        if self._drawing_now:
            self.drawing.extend_stroke(*self._to_canvas(position))
            self._update()

    def _release(self) -> None:
        if self._drawing_now:
            self._drawing_now = False
            self.stroke_finished.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """Left button draws (or erases in eraser mode); right button erases."""
        button = event.button()
        if button in (Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton):
            self._press(event.position(), self.eraser or button == Qt.MouseButton.RightButton)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        """Extend the stroke while a button is held."""
        if event.buttons() & (Qt.MouseButton.LeftButton | Qt.MouseButton.RightButton):
            self._move(event.position())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """End the stroke."""
        self._release()

    def tabletEvent(self, event: QTabletEvent) -> None:
        """A pen draws like the mouse; its eraser end erases."""
        kind = event.type()
        if kind == QTabletEvent.Type.TabletPress:
            erase = self.eraser or event.pointerType() == event.pointerType().Eraser
            self._press(event.position(), erase)
        elif kind == QTabletEvent.Type.TabletMove:
            self._move(event.position())
        elif kind == QTabletEvent.Type.TabletRelease:
            self._release()
        event.accept()  # no synthesised mouse events on top

    # -- painting -------------------------------------------------------------------

    def _update(self) -> None:
        self.update()
        self.changed.emit()

    def paintEvent(self, event: QPaintEvent) -> None:
        """Paper, frame, strokes, and an invitation to draw while empty."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        paper = self.paper()
        painter.fillRect(self.rect(), self.palette().window())
        # The frame shows the keyboard focus (digit keys keep the drawing) as Qt's own
        # controls do, in the palette's highlight colour.
        focused = QPen(self.palette().color(QPalette.ColorRole.Highlight), FOCUS_FRAME)
        painter.setPen(focused if self.hasFocus() else QPen(FRAME, 1))
        painter.setBrush(PAPER)
        painter.drawRoundedRect(paper, 6, 6)
        self._paint_strokes(painter, paper.height() / SIZE, paper.topLeft())
        if not self.drawing.strokes:
            painter.setPen(HINT)
            font = painter.font()
            font.setPointSizeF(font.pointSizeF() * 1.4)
            painter.setFont(font)
            painter.drawText(paper, Qt.AlignmentFlag.AlignCenter, self.hint)
        painter.end()

    def _paint_strokes(self, painter: QPainter, scale: float, origin: QPointF) -> None:
        for stroke in self.drawing.strokes:
            self._paint_stroke(painter, stroke, scale, origin)

    @staticmethod
    def _paint_stroke(painter: QPainter, stroke: Stroke, scale: float, origin: QPointF) -> None:
        pen = QPen(PAPER if stroke.erase else INK, stroke.width * scale)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        points = [QPointF(origin.x() + x * scale, origin.y() + y * scale) for x, y in stroke.points]
        if len(points) == 1:
            painter.drawPoint(points[0])  # a zero-length line would draw nothing
        else:
            painter.drawPolyline(QPolygonF(points))
