"""Real pen-drawn digits (UCI pen-digits): read, drawn on the canvas as a person would, featurised.

The file holds tablet trajectories (y up) of 30 writers with their ids. Each digit is
placed on the app's 280-unit canvas the way a person draws: y flipped, about two thirds
of the canvas high, near the centre. A jittered rendering also varies the slant, rotation
and proportions, as writers do. Features come from the app's own stroke pipeline
(:func:`desktop.recognition.preprocessing.preprocess_strokes`), so a training sample is
made exactly as a drawing on the canvas is.

E. Alpaydin, F. Alimoglu: Pen-Based Recognition of Handwritten Digits, UCI ML Repository,
1998 (CC BY 4.0).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from desktop.data.augmentation import random_affine
from desktop.recognition.drawing import SIZE
from desktop.recognition.preprocessing import DEFAULT_SETTINGS, Settings, preprocess_strokes


@dataclass(frozen=True)
class PenDigit:
    """One digit: its label, its writer's id and its strokes ((n, 2) tablet units, y up)."""

    label: int
    writer: int
    strokes: tuple[np.ndarray, ...]


@dataclass(frozen=True)
class Jitter:
    """How much a jittered rendering varies (degrees; shear dx per dy; log aspect)."""

    rotation: float = 8.0
    shear: float = 0.3
    aspect: float = 0.2


def read_pendigits(path: str | Path) -> list[PenDigit]:
    """Read the JSON-lines file; ``ValueError`` naming the line when one is malformed."""
    digits = []
    with open(path, encoding="utf-8") as stream:
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                strokes = tuple(
                    np.asarray(s, dtype=np.float64).reshape(-1, 2) for s in row["strokes"]
                )
                label, writer = int(row["label"]), int(row["writer"])
            except (ValueError, KeyError, TypeError) as error:
                raise ValueError(f"{path}: line {number} is not a pen digit: {error}") from None
            if not 0 <= label <= 9 or not strokes or any(len(s) == 0 for s in strokes):
                raise ValueError(f"{path}: line {number} has no strokes or a label outside 0..9")
            digits.append(PenDigit(label, writer, strokes))
    return digits


def place_on_canvas(
    strokes: Sequence[np.ndarray],
    rng: np.random.Generator,
    jitter: Jitter | None = None,
    canvas: float = SIZE,
) -> list[np.ndarray]:
    """Tablet strokes (y up) -> canvas strokes (y down), ~2/3 of the canvas high, near centre.

    With ``jitter``, the digit is also sheared, rotated and stretched at random first.
    """
    arrays = [np.asarray(s, dtype=np.float64) * [1, -1] for s in strokes]
    if jitter is not None:
        arrays = distort_strokes(arrays, rng, jitter)
    every = np.concatenate(arrays)
    low, span = every.min(axis=0), np.ptp(every, axis=0)
    height = canvas * rng.uniform(0.55, 0.75)
    scale = height / max(span[1], 1.0)
    scale = min(scale, 0.9 * canvas / max(span[0], 1.0))
    size = span * scale
    offset = (canvas - size) / 2 + rng.uniform(-0.1, 0.1, 2) * canvas
    offset = np.clip(offset, 4, canvas - size - 4)
    return [(a - low) * scale + offset for a in arrays]


def pen_features(
    digits: Sequence[PenDigit],
    renderings: int,
    seed: int | np.random.Generator | None,
    jitter: Jitter | None = Jitter(),
    settings: Settings = DEFAULT_SETTINGS,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features (n, 8, 8) 0..16, labels (n,) and writers (n,) of ``renderings`` drawings each.

    The first rendering of each digit is unjittered (as written); further ones are jittered.
    """
    rng = np.random.default_rng(seed)
    features, labels, writers = [], [], []
    for digit in digits:
        for copy in range(renderings):
            placed = place_on_canvas(digit.strokes, rng, jitter if copy else None)
            stages = preprocess_strokes(placed, (SIZE, SIZE), settings)
            if stages is not None:
                features.append(stages.features)
                labels.append(digit.label)
                writers.append(digit.writer)
    return (
        np.array(features).reshape(-1, 8, 8),
        np.array(labels, dtype=np.int64),
        np.array(writers, dtype=np.int64),
    )


def distort_strokes(
    strokes: Sequence[np.ndarray], rng: np.random.Generator, jitter: Jitter
) -> list[np.ndarray]:
    """The strokes turned, slanted and stretched at random (one matrix for all of them)."""
    matrix = random_affine(rng, jitter.rotation, jitter.shear, jitter.aspect)
    return [stroke @ matrix.T for stroke in strokes]


def compose_number(
    digits: Sequence[Sequence[np.ndarray]],
    rng: np.random.Generator,
    height: float = SIZE,
    gaps: tuple[float, float] = (-0.05, 0.4),
    drift: float = 0.05,
) -> tuple[list[np.ndarray], tuple[float, float]]:
    """Digits' strokes (y down, any scale) written side by side as one number.

    Every digit is scaled to about the same height (0.5-0.65 of ``height``, each digit
    85-100 % of it, as one writer writes) and placed after the previous one with a
    random gap (a share of that height, negative for a slight overlap) and a random
    baseline drift. Returns the strokes and the canvas size (width, height) they fit on.
    """
    digit_height = height * rng.uniform(0.5, 0.65)
    x = digit_height * 0.3
    placed: list[np.ndarray] = []
    for strokes in digits:
        arrays = [np.asarray(s, dtype=np.float64).reshape(-1, 2) for s in strokes]
        every = np.concatenate(arrays)
        low, span = every.min(axis=0), np.ptp(every, axis=0)
        own_height = digit_height * rng.uniform(0.85, 1.0)
        scale = own_height / max(span[1], 1e-9)
        top = (height - own_height) / 2 + rng.uniform(-drift, drift) * digit_height
        placed.extend((a - low) * scale + [x, top] for a in arrays)
        x += span[0] * scale + rng.uniform(*gaps) * digit_height
    return placed, (x + digit_height * 0.3, height)
