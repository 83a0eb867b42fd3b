"""Distorted copies of load_digits glyphs, made alike to drawings.

An 8x8 glyph is upsampled to a smooth 32x32 image, distorted the way handwriting varies
(rotation, shear, aspect, stroke thickness, elastic wobble), and sent back through the
SAME normalisation a drawing goes through (:mod:`desktop.recognition.preprocessing`), so
training glyphs and drawn glyphs are made alike. Everything is seeded.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from desktop.recognition.preprocessing import DEFAULT_SETTINGS, FRAME, Settings, preprocess_image


@dataclass(frozen=True)
class Augmentation:
    """Ranges of the random distortions (angles in degrees, lengths in 32 px frame units)."""

    rotation: float = 12.0
    shear: float = 0.3
    aspect: float = 0.2
    threshold: tuple[float, float] = (0.3, 0.6)
    elastic_alpha: float = 5.0
    elastic_sigma: float = 4.0


def upsample(features: np.ndarray) -> np.ndarray:
    """(8, 8) counts 0..16 -> (32, 32) smooth ink coverage 0..1 (bilinear between blocks)."""
    coverage = np.pad(features / 16.0, 1)
    # Block centres sit at 4k + 2 in the frame; sample the frame's pixel centres.
    position = (np.arange(FRAME) + 0.5 - 2.0) / 4.0 + 1.0
    low = np.floor(position).astype(int)
    weight = position - low
    rows = coverage[low] * (1 - weight)[:, None] + coverage[low + 1] * weight[:, None]
    return rows[:, low] * (1 - weight) + rows[:, low + 1] * weight


def random_affine(
    rng: np.random.Generator, rotation: float, shear: float, aspect: float
) -> np.ndarray:
    """A random 2x2 rotate(shear(stretch)) matrix, as handwriting varies.

    The angle is within ±``rotation`` degrees, the shear within ±``shear`` (dx per dy),
    and the width/height stretch within exp(±``aspect``).
    """
    angle = np.radians(rng.uniform(-rotation, rotation))
    slant = rng.uniform(-shear, shear)
    stretch = np.exp(rng.uniform(-aspect, aspect))
    cos, sin = np.cos(angle), np.sin(angle)
    matrix = np.array([[cos, -sin], [sin, cos]]) @ np.array([[1, slant], [0, 1]])
    return matrix @ np.diag([stretch, 1 / stretch])


def distort(image: np.ndarray, rng: np.random.Generator, augmentation: Augmentation) -> np.ndarray:
    """A random affine + elastic distortion of a (32, 32) image, margin added around it."""
    size = FRAME + 16  # room for the glyph to move without clipping
    forward = random_affine(rng, augmentation.rotation, augmentation.shear, augmentation.aspect)
    inverse = np.linalg.inv(forward)  # output pixel -> source pixel
    ys, xs = np.mgrid[0:size, 0:size] + 0.5 - size / 2
    dx, dy = _elastic_field(size, rng, augmentation)
    source = inverse @ np.stack([(xs + dx).ravel(), (ys + dy).ravel()])
    return _bilinear(image, source[1] + FRAME / 2 - 0.5, source[0] + FRAME / 2 - 0.5).reshape(
        size, size
    )


def augmented(
    images: np.ndarray,
    labels: np.ndarray,
    copies: int,
    seed: int | np.random.Generator | None = 0,
    augmentation: Augmentation = Augmentation(),
    settings: Settings = DEFAULT_SETTINGS,
) -> tuple[np.ndarray, np.ndarray]:
    """``copies`` distorted versions of each (8, 8) glyph, renormalised: (n * copies, 8, 8)."""
    rng = np.random.default_rng(seed)
    features, targets = [], []
    for image, label in zip(images, labels, strict=True):
        smooth = upsample(image)
        for _ in range(copies):
            threshold = rng.uniform(*augmentation.threshold)
            ink = (distort(smooth, rng, augmentation) >= threshold).astype(np.float64)
            stages = preprocess_image(ink, settings)
            if stages is not None:
                features.append(stages.features)
                targets.append(label)
    return np.array(features).reshape(-1, 8, 8), np.array(targets, dtype=np.int64)


def _elastic_field(
    size: int, rng: np.random.Generator, augmentation: Augmentation
) -> tuple[np.ndarray, np.ndarray]:
    """Smooth random displacements (Simard et al. 2003), at most a few pixels."""
    if augmentation.elastic_alpha <= 0:
        return np.zeros((size, size)), np.zeros((size, size))
    radius = int(3 * augmentation.elastic_sigma)
    taps = np.exp(-0.5 * (np.arange(-radius, radius + 1) / augmentation.elastic_sigma) ** 2)
    taps /= taps.sum()
    fields = []
    for _ in range(2):
        noise = rng.uniform(-1, 1, (size, size))
        noise = np.apply_along_axis(np.convolve, 0, noise, taps, mode="same")
        noise = np.apply_along_axis(np.convolve, 1, noise, taps, mode="same")
        fields.append(noise / (np.abs(noise).max() + 1e-12) * augmentation.elastic_alpha)
    return fields[0], fields[1]


def _bilinear(image: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Sample ``image`` at fractional (rows, cols); outside is 0."""
    padded = np.pad(image, 1)
    rows, cols = rows + 1, cols + 1
    r0 = np.clip(np.floor(rows).astype(int), 0, padded.shape[0] - 2)
    c0 = np.clip(np.floor(cols).astype(int), 0, padded.shape[1] - 2)
    fr = np.clip(rows - r0, 0, 1)
    fc = np.clip(cols - c0, 0, 1)
    top = padded[r0, c0] * (1 - fc) + padded[r0, c0 + 1] * fc
    bottom = padded[r0 + 1, c0] * (1 - fc) + padded[r0 + 1, c0 + 1] * fc
    inside = (
        (rows >= 0) & (rows <= padded.shape[0] - 1) & (cols >= 0) & (cols <= padded.shape[1] - 1)
    )
    return np.where(inside, top * (1 - fr) + bottom * fr, 0.0)
