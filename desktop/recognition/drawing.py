"""The drawing on the canvas, without Qt: strokes, eraser, undo and redo.

Coordinates are canvas units: ``SIZE`` units high (a square for a digit, wider for a
number), x right and y down, mapped onto whatever size the widget has (so a drawing
survives resizing and HiDPI scaling).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from desktop.recognition.rendering import densify, draw_polylines

SIZE = 280.0  # canvas units high, and across a digit's canvas (scaled to the widget)
NUMBER_WIDTH = 4 * SIZE  # across a number's canvas: room for six digits or so


@dataclass
class Stroke:
    """One pen-down trajectory: points (x, y) in canvas units, a brush width, ink or eraser."""

    width: float
    erase: bool = False
    points: list[tuple[float, float]] = field(default_factory=list)
    # An eraser's cells, drawn for its first ``_drawn`` points: extended as it grows.
    _cells: np.ndarray | None = field(default=None, compare=False, repr=False)
    _drawn: int = field(default=0, compare=False, repr=False)
    # Ink's centreline at 1-unit spacing, for as many points as it had then.
    _line: tuple[int, np.ndarray] | None = field(default=None, compare=False, repr=False)

    def centreline(self) -> np.ndarray:
        """The stroke's points at most one canvas unit apart, (n, 2); kept until it grows."""
        if self._line is None or self._line[0] != len(self.points):
            line = densify(np.array(self.points, dtype=np.float64), 1.0)
            self._line = (len(self.points), line)
        return self._line[1]

    def erased_cells(self, shape: tuple[int, int]) -> np.ndarray:
        """The canvas cells under this eraser stroke: booleans, one per canvas unit.

        Drawn once and then only for the points added since, so erasing a long path
        costs each move its own segment, not the whole path again.
        """
        points = np.array(self.points[max(self._drawn - 1, 0) :], dtype=np.float64)
        if self._cells is None or len(self.points) > self._drawn:
            new = draw_polylines([points], self.width, shape) > 0
            self._cells = new if self._cells is None else self._cells | new
            self._drawn = len(self.points)
        return self._cells


class Drawing:
    """Strokes in drawing order with per-stroke undo/redo; clearing can be undone too."""

    def __init__(self, width: float = SIZE) -> None:
        if not SIZE <= width <= NUMBER_WIDTH:
            raise ValueError(f"width must be between {SIZE} and {NUMBER_WIDTH} units, got {width}")
        self.width = width
        self._strokes: list[Stroke] = []
        self._undone: list[list[Stroke]] = []  # each entry: what one undo took away
        self._cleared: list[list[Stroke]] = []  # strokes removed by each clear, for undo
        self._actions: list[str] = []  # "stroke" or "clear", for undo in order

    @property
    def size(self) -> tuple[float, float]:
        """(width, height) in canvas units."""
        return self.width, SIZE

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
            if not stroke.erase:
                visible.append(stroke.centreline())
                continue
            # The eraser's path drawn once on a grid of canvas units, and each ink point
            # looked up in it: a cost that grows with the ink plus the eraser's path,
            # where measuring every ink point against every eraser segment grew with
            # their product (a long erase over a scribble took minutes).
            erased = stroke.erased_cells((int(SIZE), int(self.width)))
            visible = [piece for line in visible for piece in _erase(line, erased)]
        return visible

    def is_empty(self) -> bool:
        """True when no ink is visible."""
        return not self.visible_strokes()

    def to_array(self, size: int = int(SIZE)) -> np.ndarray:
        """The drawing as seen, ``size`` pixels high, ink 1.0 on 0.0 (float64)."""
        scale = size / SIZE
        shape = (size, round(self.width * scale))
        raster = np.zeros(shape)
        for stroke in self._strokes:
            points = np.array(stroke.points, dtype=np.float64) * scale
            mark = draw_polylines([points], stroke.width * scale, shape) > 0
            raster[mark] = 0.0 if stroke.erase else 1.0
        return raster


def _erase(line: np.ndarray, erased: np.ndarray) -> list[np.ndarray]:
    """Parts of ``line`` (n, 2) whose points lie outside the ``erased`` cells."""
    cells = np.rint(line).astype(int)
    rows, columns = erased.shape
    inside = (cells >= 0).all(axis=1) & (cells[:, 0] < columns) & (cells[:, 1] < rows)
    keep = np.ones(len(line), dtype=bool)
    keep[inside] = ~erased[cells[inside, 1], cells[inside, 0]]
    if keep.all():
        return [line]
    edges = np.flatnonzero(np.diff(np.concatenate([[0], keep.astype(int), [0]])))
    return [line[start:stop] for start, stop in zip(edges[::2], edges[1::2], strict=True)]
