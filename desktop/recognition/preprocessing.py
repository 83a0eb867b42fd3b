"""Drawing -> the 8x8 features that ``load_digits`` (UCI optdigits) would hold for it.

optdigits was made by NIST's normalisation: crop to the ink, scale to 32 px high and at
most 20 px wide, centre in a 32x32 frame, even out the stroke width, count on-pixels in
4x4 blocks. A drawing must go through the same steps or the network sees something it
never learned from. Pure NumPy; every stage is returned for display.

Two entry points share one normaliser: :func:`preprocess_image` takes any raster (ink
bright), :func:`preprocess_strokes` takes pen trajectories and first re-renders them at
a pen width tied to the drawing's size, so the user's brush size does not matter.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np

from desktop.recognition.rendering import render_strokes, smooth_polyline

FRAME = 32  # optdigits bitmaps are 32x32
BLOCK = 4  # ... counted in 4x4 blocks into 8x8 values 0..16
SUPERSAMPLE = 4  # sub-samples per frame pixel along each axis when resampling


@dataclass(frozen=True)
class Settings:
    """Normalisation parameters (saved with a model so training and use agree).

    min_width/max_width: the glyph's width in the 32 px frame (NIST kept at most 20).
    ink_range: on-pixel counts of 98.6 % of load_digits glyphs; strokes outside it are
    thickened or thinned towards it, as NIST evened out stroke widths.
    max_slant: bound on the de-slant shear (dx per dy), for near-horizontal scribbles.
    pen_fraction: stroke width / drawing height when strokes are re-rendered.
    min_extent: ink smaller than this share of the canvas's larger side is "no digit".
    min_aspect: ink flatter than this (height / width) is a mark, not a digit: of the
    7,494 pen-drawn digits none is below 0.62 (a dash is about 0.05, "=" about 0.4).
    max_path_ratio: strokes longer than this many times the ink's larger extent are a
    scribble, not a digit: of the 7,494 pen-drawn digits none is above 5.0 (an 8 written
    with care, 4.7), a scribble of six back-and-forth lines is about 10.
    """

    deslant: bool = True
    min_width: float = 16.0
    max_width: float = 20.0
    ink_range: tuple[int, int] = (256, 412)
    max_slant: float = 1.0
    pen_fraction: float = 0.11
    min_extent: float = 0.06
    min_aspect: float = 0.5
    max_path_ratio: float = 8.0

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form, for a model file's metadata."""
        return {**asdict(self), "ink_range": list(self.ink_range)}

    @classmethod
    def from_dict(cls, values: dict[str, object]) -> Settings:
        """Inverse of :meth:`to_dict`, checked (it comes from a file); unknown keys ignored.

        Raises ``ValueError`` naming the setting when a value has the wrong kind.
        """
        checked: dict[str, object] = {}
        for name, default in asdict(cls()).items():
            if name not in values:
                continue
            value = values[name]
            if isinstance(default, bool):
                ok = isinstance(value, bool)
            elif isinstance(default, tuple):
                ok = (
                    isinstance(value, list | tuple)
                    and len(value) == 2
                    and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
                )
                value = tuple(value) if ok else value  # type: ignore[arg-type]
            else:
                ok = (
                    isinstance(value, int | float)
                    and not isinstance(value, bool)
                    and math.isfinite(value)
                    and 0 <= value <= 1000
                )
            if not ok:
                raise ValueError(
                    f"the model's preprocessing setting {name!r} must be like {default!r}, "
                    f"got {value!r}"
                )
            checked[name] = value
        return cls(**checked)  # type: ignore[arg-type]


DEFAULT_SETTINGS = Settings()


@dataclass(frozen=True)
class Stages:
    """What the network sees, stage by stage.

    normalized: (32, 32) uint8 0/1, the optdigits-style bitmap.
    features: (8, 8) float64 0..16, on-pixels per 4x4 block (``load_digits`` format).
    slant: the shear removed (dx per dy, y down); 0 when de-slanting is off.
    aspect: the ink's height / width before normalisation (a dash is far below 1).
    """

    normalized: np.ndarray
    features: np.ndarray
    slant: float
    aspect: float = 1.0


def features_from_bitmap(bitmap: np.ndarray) -> np.ndarray:
    """(32, 32) 0/1 bitmap -> (8, 8) on-pixel counts per 4x4 block, float64."""
    n = FRAME // BLOCK
    return bitmap.reshape(n, BLOCK, n, BLOCK).sum(axis=(1, 3)).astype(np.float64)


def preprocess_image(image: np.ndarray, settings: Settings = DEFAULT_SETTINGS) -> Stages | None:
    """A raster (2-D, any size, ink bright, background 0) -> stages; None if no digit.

    Values are scaled by the image's maximum; ink is what is at least half of it. NaN
    and negative values count as background. Never raises on a 2-D numeric array.
    """
    values = _as_ink(image)
    if values is None:
        return None
    ink = values >= 0.5
    rows, cols = np.nonzero(ink)
    extent = max(np.ptp(rows), np.ptp(cols)) + 1
    if extent < settings.min_extent * max(values.shape):
        return None
    return _normalize(ink, rows, cols, settings)


def preprocess_strokes(
    strokes: Sequence[np.ndarray],
    canvas_size: tuple[float, float] | None = None,
    settings: Settings = DEFAULT_SETTINGS,
) -> Stages | None:
    """Pen trajectories -> stages; None if there is no digit.

    strokes: each an (n, 2) array of x, y points (y down), in drawing order.
    canvas_size: (width, height) of the surface drawn on; ink smaller than
        ``settings.min_extent`` of its larger side is "no digit". None skips that test.
    """
    points = finite_points(strokes)
    if not points:
        return None
    every = np.concatenate(points)
    span = np.ptp(every, axis=0)
    if canvas_size is not None and max(span) < settings.min_extent * max(canvas_size):
        return None
    raster = render_strokes([smooth_polyline(p) for p in points], settings.pen_fraction)
    return preprocess_image(raster, settings)


def finite_points(strokes: Sequence[np.ndarray]) -> list[np.ndarray]:
    """The strokes as (n, 2) float arrays of their finite points; strokes left empty go."""
    points = [np.asarray(s, dtype=np.float64).reshape(-1, 2) for s in strokes]
    points = [p[np.all(np.isfinite(p), axis=1)] for p in points]
    return [p for p in points if len(p)]


def stroke_length(points: np.ndarray) -> float:
    """The length of the polyline through ``points`` (n, 2)."""
    return float(np.linalg.norm(np.diff(points, axis=0), axis=1).sum())


def path_ratio(strokes: Sequence[np.ndarray]) -> float:
    """The strokes' total length over the ink's larger extent (0 for no ink or a dot).

    A digit is a few pen lengths of its own size; a scribble goes over itself many times.
    """
    points = finite_points(strokes)
    if not points:
        return 0.0
    extent = float(np.ptp(np.concatenate(points), axis=0).max())
    length = sum(stroke_length(p) for p in points)
    return length / extent if extent > 0 else 0.0


def _as_ink(image: np.ndarray) -> np.ndarray | None:
    """Finite, non-negative values scaled to a maximum of 1; None if blank or not 2-D."""
    try:
        values = np.asarray(image, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    if values.ndim != 2 or values.size == 0:
        return None
    values = np.where(np.isfinite(values) & (values > 0), values, 0.0)
    peak = values.max()
    if not peak > 0 or not np.isfinite(peak):
        return None
    return values / peak


def _normalize(ink: np.ndarray, rows: np.ndarray, cols: np.ndarray, settings: Settings) -> Stages:
    """NIST normalisation of the ink mask (rows, cols: its pixel coordinates)."""
    y = rows + 0.5  # pixel centres
    x = cols + 0.5
    slant = 0.0
    if settings.deslant:
        # Slant from second moments: alpha = mu11 / mu02 with y pointing down.
        dy = y - y.mean()
        mu02 = float(np.dot(dy, dy))
        if mu02 > 0:
            slant = float(np.dot(x - x.mean(), dy)) / mu02
            slant = float(np.clip(slant, -settings.max_slant, settings.max_slant))
    mean_y = float(y.mean())
    sheared = x - slant * (y - mean_y)
    # The ink's box, pixel edges included: height -> 32, width -> clipped to 16..20.
    left, right = sheared.min() - 0.5, sheared.max() + 0.5
    top, bottom = y.min() - 0.5, y.max() + 0.5
    scale_y = FRAME / (bottom - top)
    width = float(np.clip((right - left) * scale_y, settings.min_width, settings.max_width))
    scale_x = width / (right - left)
    offset_x = (FRAME - width) / 2

    # Sample the frame: sub-sample centres -> source coordinates (undo scale and shear).
    sub = (np.arange(FRAME * SUPERSAMPLE) + 0.5) / SUPERSAMPLE
    source_y = top + sub / scale_y
    source_x = left + (sub - offset_x) / scale_x
    grid_x = source_x[None, :] + slant * (source_y[:, None] - mean_y)
    row_index = np.floor(source_y).astype(int)[:, None]
    col_index = np.floor(grid_x).astype(int)
    inside = (
        (row_index >= 0)
        & (row_index < ink.shape[0])
        & (col_index >= 0)
        & (col_index < ink.shape[1])
    )
    samples = np.zeros(inside.shape, dtype=bool)
    rr = np.broadcast_to(row_index, inside.shape)[inside]
    samples[inside] = ink[rr, col_index[inside]]
    coverage = samples.reshape(FRAME, SUPERSAMPLE, FRAME, SUPERSAMPLE).mean(axis=(1, 3))
    bitmap = _even_out_strokes(coverage, settings.ink_range)
    aspect = float((rows.max() - rows.min() + 1) / (cols.max() - cols.min() + 1))
    return Stages(bitmap, features_from_bitmap(bitmap), slant, aspect)


# Coverage thresholds from thickest to thinnest; 0.5 is the plain "mostly inked" rule.
THRESHOLDS = (0.02, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0)


def _even_out_strokes(coverage: np.ndarray, ink_range: tuple[int, int]) -> np.ndarray:
    """Binarise (32, 32) coverage so the on-pixel count falls in ``ink_range`` if it can.

    Start at coverage >= 0.5; if that is too little ink, lower the threshold (and then
    dilate), if too much, raise it: the threshold closest to the range wins.
    """
    low, high = ink_range
    bitmap = coverage >= 0.5
    count = int(bitmap.sum())
    if count < low:
        for threshold in reversed(THRESHOLDS[:3]):
            bitmap = coverage >= threshold
            if bitmap.sum() >= low:
                break
        for _ in range(2):
            if bitmap.sum() >= low:
                break
            bitmap = _dilate(bitmap)
    elif count > high:
        for threshold in THRESHOLDS[4:]:
            thinner = coverage >= threshold
            if thinner.sum() < low:
                break
            bitmap = thinner
            if thinner.sum() <= high:
                break
    return bitmap.astype(np.uint8)


def _dilate(bitmap: np.ndarray) -> np.ndarray:
    """Grow ink by one pixel up, down, left and right."""
    grown = bitmap.copy()
    grown[1:] |= bitmap[:-1]
    grown[:-1] |= bitmap[1:]
    grown[:, 1:] |= bitmap[:, :-1]
    grown[:, :-1] |= bitmap[:, 1:]
    return grown
