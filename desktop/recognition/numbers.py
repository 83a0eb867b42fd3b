"""Read a written number: group pen strokes into digits, then read each digit alone.

Segmentation works on strokes, not pixels, because a pen gives them for free and
they carry what pixels lose: which marks were made together. Two steps:

1. Strokes whose horizontal extents overlap by a good part of the narrower one are
   one digit (the bar of a 4 across its upright, the crossbar of a 7); digits that
   touch slightly overlap by only a sliver of either, so they stay two.
2. A group too low to be a digit on its own (the cap of a 5 drawn beside its body,
   the left half of a 4 written apart from its upright) joins the nearest group,
   when that one is near.

All distances are relative to the ink's height, so the size of the writing does not
matter. A group much smaller than that height (a dot, a stray click) is no digit.

Each group goes through exactly the preprocessing a single digit does, on a square
canvas as high as the one drawn on, so a digit in a number is read like the same
digit drawn alone. Pure NumPy, no Qt.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from desktop.recognition.prediction import Prediction
from desktop.recognition.rendering import densify

# Two groups are one digit when their x-extents overlap by at least this share of the
# narrower group's width. Chosen on composed numbers of the corpus's training writers
# (tests/bench/drawn_digits.py reports it on the held-out writers).
SAME_DIGIT_OVERLAP = 0.3
# A group lower than this share of the ink's height is part of a digit, not a digit
# (the cap of a 5, the lower half of a 4's upright drawn on its own): it joins the
# nearest group if that is within JOIN_DISTANCE of the ink's height.
FRAGMENT_SHARE = 0.75
JOIN_DISTANCE = 0.15
# A group whose larger side is below this share of the ink's height is a mark (a dot).
MIN_DIGIT_SHARE = 0.25
# Widths are floored at this share of the ink's height, so that a thin upright (a 1)
# touched by the next digit's stroke does not count that sliver as most of its width.
MIN_WIDTH_SHARE = 0.1

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in canvas units, y down


@dataclass(frozen=True)
class StrokeGroup:
    """Strokes read as one digit: their indices in the drawing and their bounding box."""

    indices: tuple[int, ...]
    box: Box

    @property
    def width(self) -> float:
        """Horizontal extent in canvas units."""
        return self.box[2] - self.box[0]

    @property
    def height(self) -> float:
        """Vertical extent in canvas units."""
        return self.box[3] - self.box[1]


def group_strokes(strokes: Sequence[np.ndarray]) -> list[StrokeGroup]:
    """Strokes grouped into digits (and marks), left to right; [] when there is no ink."""
    boxes = [_box(stroke) for stroke in strokes if len(stroke)]
    indices = [i for i, stroke in enumerate(strokes) if len(stroke)]
    if not boxes:
        return []
    ink_height = max(max(b[3] for b in boxes) - min(b[1] for b in boxes), 1.0)
    groups = [StrokeGroup((i,), box) for i, box in zip(indices, boxes, strict=True)]
    groups = _merge_overlapping(groups, MIN_WIDTH_SHARE * ink_height)
    points = {i: _outline(strokes[i], ink_height) for i in indices}
    groups = _join_fragments(groups, points, ink_height)
    return sorted(groups, key=lambda group: (group.box[0] + group.box[2]) / 2)


def _merge_overlapping(groups: list[StrokeGroup], floor: float) -> list[StrokeGroup]:
    """Merge groups that overlap as one digit's strokes do, until none does.

    A merge widens a group, which may then overlap another.
    """
    groups = sorted(groups, key=lambda group: group.box[0])
    merged = True
    while merged:
        merged = False
        for a, b in itertools.combinations(range(len(groups)), 2):
            if _same_digit(groups[a], groups[b], floor):
                groups[a] = _merge(groups[a], groups[b])
                del groups[b]
                merged = True
                break
    return groups


def is_mark(group: StrokeGroup, ink_height: float) -> bool:
    """True when ``group`` is too small beside the rest of the ink to be a digit."""
    return max(group.width, group.height) < MIN_DIGIT_SHARE * ink_height


@dataclass(frozen=True)
class DigitReading:
    """One digit of a number: its prediction, its strokes and where they are."""

    prediction: Prediction
    strokes: tuple[np.ndarray, ...]
    box: Box

    @property
    def digit(self) -> int | None:
        """The digit read, None for a mark that is no digit."""
        return self.prediction.digit

    @property
    def probabilities(self) -> np.ndarray:
        """The ten probabilities of this digit."""
        return self.prediction.probabilities


@dataclass(frozen=True)
class NumberReading:
    """A written number: its digits left to right, and the marks that were no digit."""

    digits: tuple[DigitReading, ...]
    marks: tuple[DigitReading, ...] = ()

    @property
    def text(self) -> str:
        """The digits as a string ("" when there is no digit)."""
        return "".join(str(reading.digit) for reading in self.digits)


def read_number(
    strokes: Sequence[np.ndarray],
    canvas_height: float,
    read_digit: Callable[[Sequence[np.ndarray], tuple[float, float] | None], Prediction],
) -> NumberReading:
    """Group ``strokes`` into digits and read each with ``read_digit(strokes, size)``.

    ``read_digit`` is a recogniser's ``predict_strokes``; each group is given a square
    canvas ``canvas_height`` on a side, as a digit drawn alone would be.
    """
    groups = group_strokes(strokes)
    if not groups:
        return NumberReading(())
    ink_height = max(g.box[3] for g in groups) - min(g.box[1] for g in groups)
    digits: list[DigitReading] = []
    marks: list[DigitReading] = []
    for group in groups:
        own = tuple(np.asarray(strokes[i]) for i in group.indices)
        if is_mark(group, ink_height):
            prediction = read_digit((), (canvas_height, canvas_height))
            marks.append(DigitReading(prediction, own, group.box))
            continue
        prediction = read_digit(own, (canvas_height, canvas_height))
        reading = DigitReading(prediction, own, group.box)
        (digits if reading.digit is not None else marks).append(reading)
    return NumberReading(tuple(digits), tuple(marks))


def _box(stroke: np.ndarray) -> Box:
    points = np.asarray(stroke, dtype=np.float64).reshape(-1, 2)
    low, high = points.min(axis=0), points.max(axis=0)
    return float(low[0]), float(low[1]), float(high[0]), float(high[1])


def _same_digit(a: StrokeGroup, b: StrokeGroup, floor: float) -> bool:
    overlap = min(a.box[2], b.box[2]) - max(a.box[0], b.box[0])
    narrower = max(min(a.width, b.width), floor)
    return overlap >= SAME_DIGIT_OVERLAP * narrower


def _join_fragments(
    groups: list[StrokeGroup], points: dict[int, np.ndarray], ink_height: float
) -> list[StrokeGroup]:
    """Join each group too low to be a digit to the nearest group, if that is near.

    The lowest fragment first: joining it may make a group tall enough to stand alone.
    """
    alone: set[tuple[int, ...]] = set()  # fragments with no group near enough
    while True:
        fragments = [
            g for g in groups if g.height < FRAGMENT_SHARE * ink_height and g.indices not in alone
        ]
        if not fragments or len(groups) < 2:
            return groups
        fragment = min(fragments, key=lambda group: group.height)
        others = [g for g in groups if g is not fragment]
        gaps = [_gap(fragment, other, points) for other in others]
        nearest = int(np.argmin(gaps))
        if gaps[nearest] > JOIN_DISTANCE * ink_height:
            alone.add(fragment.indices)
            continue
        joined = _merge(fragment, others[nearest])
        groups = [g for g in others if g is not others[nearest]] + [joined]


def _gap(a: StrokeGroup, b: StrokeGroup, points: dict[int, np.ndarray]) -> float:
    """The shortest distance between the ink of two groups."""
    first = np.concatenate([points[i] for i in a.indices])
    second = np.concatenate([points[i] for i in b.indices])
    return float(np.sqrt(((first[:, None, :] - second[None, :, :]) ** 2).sum(axis=-1).min()))


def _outline(stroke: np.ndarray, ink_height: float) -> np.ndarray:
    """The stroke's points about 1/40 of the ink's height apart (for distances)."""
    return densify(np.asarray(stroke, dtype=np.float64).reshape(-1, 2), ink_height / 40)


def _merge(a: StrokeGroup, b: StrokeGroup) -> StrokeGroup:
    box = (
        min(a.box[0], b.box[0]),
        min(a.box[1], b.box[1]),
        max(a.box[2], b.box[2]),
        max(a.box[3], b.box[3]),
    )
    return StrokeGroup(tuple(sorted(a.indices + b.indices)), box)
