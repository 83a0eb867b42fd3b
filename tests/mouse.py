"""Real mouse events on the drawing canvas (QMouseEvent sent through QApplication)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QWidget

from desktop.recognition.drawing import SIZE

LEFT = Qt.MouseButton.LeftButton


def widget_point(canvas: QWidget, x: float, y: float) -> QPointF:
    """Canvas units -> the canvas widget's pixels (the canvas letterboxes its drawing)."""
    paper = canvas.paper()  # type: ignore[attr-defined]
    scale = paper.height() / SIZE
    return QPointF(paper.left() + x * scale, paper.top() + y * scale)


def _send(widget: QWidget, kind: QEvent.Type, point: QPointF, button, buttons) -> None:
    event = QMouseEvent(
        kind, point, widget.mapToGlobal(point), button, buttons, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(widget, event)


def press(canvas: QWidget, x: float, y: float, button: Qt.MouseButton = LEFT) -> None:
    _send(canvas, QEvent.Type.MouseButtonPress, widget_point(canvas, x, y), button, button)


def move(canvas: QWidget, x: float, y: float, button: Qt.MouseButton = LEFT) -> None:
    """A move with ``button`` held (Qt drops button-less moves without mouse tracking)."""
    point = widget_point(canvas, x, y)
    _send(canvas, QEvent.Type.MouseMove, point, Qt.MouseButton.NoButton, button)


def release(canvas: QWidget, x: float, y: float, button: Qt.MouseButton = LEFT) -> None:
    point = widget_point(canvas, x, y)
    _send(canvas, QEvent.Type.MouseButtonRelease, point, button, Qt.MouseButton.NoButton)


def drag(canvas: QWidget, points: Sequence[Sequence[float]], button=LEFT) -> None:
    """Press, move through ``points`` (canvas units) with ``button`` held, release."""
    press(canvas, *points[0], button)
    for x, y in points[1:]:
        move(canvas, x, y, button)
    release(canvas, *points[-1], button)


def draw_digit(canvas: QWidget, strokes: Sequence[np.ndarray]) -> None:
    """Each stroke as a mouse drag with a point every few units, as a mouse reports."""
    for stroke in strokes:
        dense = [stroke[0]]
        for a, b in itertools.pairwise(stroke):
            steps = max(1, int(np.hypot(*(b - a)) / 6))
            dense.extend(a + (b - a) * (k / steps) for k in range(1, steps + 1))
        drag(canvas, [tuple(p) for p in dense])
