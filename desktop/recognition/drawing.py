"""The drawing on the canvas, without Qt: strokes, eraser, undo and redo.

Coordinates are canvas units: a square of ``SIZE`` units, x right and y down, mapped
onto whatever size the widget has (so a drawing survives resizing and HiDPI scaling).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from desktop.recognition.rendering import densify, draw_polylines

SIZE = 280.0  # canvas units across (the widget scales them to its pixels)


@dataclass
class Stroke:
    """One pen-down trajectory: points (x, y) in canvas units, a brush width, ink or eraser."""

    width: float
    erase: bool = False
    points: list[tuple[float, float]] = field(default_factory=list)


class Drawing:
    """Strokes in drawing order with per-stroke undo/redo; clearing can be undone too."""

    def __init__(self) -> None:
        self._strokes: list[Stroke] = []
        self._undone: list[list[Stroke]] = []  # each entry: what one undo took away
        self._cleared: list[list[Stroke]] = []  # strokes removed by each clear, for undo
        self._actions: list[str] = []  # "stroke" or "clear", for undo in order

    @property
    def strokes(self) -> tuple[Stroke, ...]:
        """Every stroke still on the canvas (ink and eraser), oldest first."""
        return tuple(self._strokes)

    @property
    def steps(self) -> int:
        """How many strokes and clears undo could take back now (grows and shrinks)."""
        return len(self._actions)

    @property
    def can_undo(self) -> bool:
        """True when there is a stroke or a clear to take back."""
        return bool(self._actions)

    @property
    def can_redo(self) -> bool:
        """True when something undone can be put back."""
        return bool(self._undone)

    def begin_stroke(self, x: float, y: float, width: float, erase: bool = False) -> None:
        """Start a stroke at (x, y); it is part of the drawing from now on."""
        self._strokes.append(Stroke(width, erase, [(x, y)]))
        self._actions.append("stroke")
        self._undone.clear()

    def extend_stroke(self, x: float, y: float) -> None:
        """Add a point to the stroke being drawn (repeated points are skipped)."""
        if self._strokes and self._strokes[-1].points[-1] != (x, y):
            self._strokes[-1].points.append((x, y))

    def undo(self) -> bool:
        """Take back the last stroke or clear; False when there is nothing to undo."""
        if not self._actions:
            return False
        if self._actions.pop() == "stroke":
            self._undone.append([self._strokes.pop()])
        else:
            restored = self._cleared.pop()
            self._strokes.extend(restored)
            self._undone.append([])  # an empty entry means "redo the clear"
        return True

    def redo(self) -> bool:
        """Put back what the last undo took away; False when there is nothing to redo."""
        if not self._undone:
            return False
        entry = self._undone.pop()
        if entry:
            self._strokes.extend(entry)
            self._actions.append("stroke")
        else:
            self._cleared.append(self._strokes)
            self._strokes = []
            self._actions.append("clear")
        return True

    def clear(self) -> bool:
        """Remove every stroke (undoable); False when the canvas was already empty."""
        if not self._strokes:
            return False
        self._cleared.append(self._strokes)
        self._strokes = []
        self._actions.append("clear")
        self._undone.clear()
        return True

    def visible_strokes(self) -> list[np.ndarray]:
        """The ink centrelines left after erasing: (n, 2) arrays, for recognition.

        An eraser stroke removes the parts of earlier ink that lie under it, splitting a
        stroke where it crosses; ink drawn after erasing stays.
        """
        visible: list[np.ndarray] = []
        for stroke in self._strokes:
            points = np.array(stroke.points, dtype=np.float64)
            if not stroke.erase:
                visible.append(densify(points, 1.0))
                continue
            visible = [
                piece for line in visible for piece in _erase(line, points, stroke.width / 2)
            ]
        return visible

    def is_empty(self) -> bool:
        """True when no ink is visible."""
        return not self.visible_strokes()

    def to_array(self, size: int = int(SIZE)) -> np.ndarray:
        """The drawing as seen, ``size`` x ``size`` pixels, ink 1.0 on 0.0 (float64)."""
        scale = size / SIZE
        raster = np.zeros((size, size))
        for stroke in self._strokes:
            points = np.array(stroke.points, dtype=np.float64) * scale
            mark = draw_polylines([points], stroke.width * scale, (size, size)) > 0
            raster[mark] = 0.0 if stroke.erase else 1.0
        return raster


def _erase(line: np.ndarray, path: np.ndarray, radius: float) -> list[np.ndarray]:
    """Parts of ``line`` (n, 2) farther than ``radius`` from the eraser ``path`` (m, 2)."""
    keep = _distance_to_path(line, path) > radius
    if keep.all():
        return [line]
    pieces = []
    edges = np.flatnonzero(np.diff(np.concatenate([[0], keep.astype(int), [0]])))
    for start, stop in zip(edges[::2], edges[1::2], strict=True):
        pieces.append(line[start:stop])
    return pieces


def _distance_to_path(points: np.ndarray, path: np.ndarray) -> np.ndarray:
    """Distance from each point (n, 2) to the polyline ``path`` (m, 2)."""
    if len(path) == 1:
        return np.hypot(*(points - path[0]).T)
    start, end = path[:-1], path[1:]
    direction = end - start
    length2 = np.maximum(np.sum(direction**2, axis=1), 1e-12)
    offset = points[:, None, :] - start[None, :, :]
    t = np.clip(np.sum(offset * direction[None], axis=2) / length2, 0.0, 1.0)
    nearest = start[None] + t[..., None] * direction[None]
    return np.min(np.hypot(*(points[:, None, :] - nearest).transpose(2, 0, 1)), axis=1)
