"""Plausible variants of one drawing: its strokes re-drawn slanted, turned and stretched.

A user's sample keeps its strokes, so dozens of variants cost nothing to make: each goes
through the same preprocessing as a drawing on the canvas, so the network learns the
user's style, not the 8x8 counts of two drawings. Seeded; no Qt.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from desktop.data.pendigits import Jitter, distort_strokes
from desktop.recognition.preprocessing import Settings, finite_points, preprocess_strokes

ONE_WRITER = Jitter()  # as much as one person's digits vary from one to the next


def stroke_variants(
    strokes: Sequence[np.ndarray],
    count: int,
    rng: np.random.Generator,
    settings: Settings,
    jitter: Jitter = ONE_WRITER,
) -> list[np.ndarray]:
    """Up to ``count`` (8, 8) features: the drawing as drawn, then ``count - 1`` variants.

    Each variant is the strokes turned, slanted and stretched as much as one person's
    writing varies (``jitter``); a variant with no digit left (too small) is skipped.
    """
    arrays = finite_points(strokes)
    if not arrays:
        return []
    variants = []
    for number in range(count):
        # Where the variant lands does not matter: the preprocessing crops to the ink.
        placed = distort_strokes(arrays, rng, jitter) if number else arrays
        stages = preprocess_strokes(placed, None, settings)
        if stages is not None:
            variants.append(stages.features)
    return variants
