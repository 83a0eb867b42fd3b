"""Preprocessing: optdigits-style normalisation, pure NumPy, never raises."""

from __future__ import annotations

import numpy as np
import pytest
from drawn_strokes import DIGITS, any_image, ellipse, scaled
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from desktop.data.augmentation import upsample
from desktop.recognition import preprocessing as pp
from desktop.recognition import rendering


def _image(strokes, brush: float = 16, size: int = 280) -> np.ndarray:
    return rendering.draw_polylines(
        [s * size / 280 for s in strokes], brush * size / 280, (size, size)
    )


@pytest.mark.parametrize(
    "blank", [np.zeros((280, 280)), np.full((50, 50), np.nan), -np.ones((9, 9))]
)
def test_blank_input_is_no_digit(blank: np.ndarray) -> None:
    assert pp.preprocess_image(blank) is None
    assert pp.preprocess_strokes([], (280, 280)) is None


def test_a_speck_is_no_digit_but_a_small_digit_is() -> None:
    assert pp.preprocess_strokes([np.array([[140.0, 140.0]])], (280, 280)) is None
    small = scaled(DIGITS[7], 0.15, (0, 0))  # about 27 units tall on a 280 canvas
    assert pp.preprocess_strokes(small, (280, 280)) is not None


def test_stages_have_the_optdigits_format() -> None:
    stages = pp.preprocess_strokes(DIGITS[4], (280, 280))
    assert stages is not None
    assert stages.normalized.shape == (32, 32) and set(np.unique(stages.normalized)) <= {0, 1}
    assert stages.features.shape == (8, 8)
    assert stages.features.min() >= 0 and stages.features.max() <= 16
    np.testing.assert_array_equal(stages.features, pp.features_from_bitmap(stages.normalized))
    # NIST's frame: full height, ink centred, 16..20 px wide (plus one pixel each side
    # when a thin stroke is thickened towards the load_digits ink count).
    rows = np.flatnonzero(stages.normalized.any(axis=1))
    cols = np.flatnonzero(stages.normalized.any(axis=0))
    assert rows[0] == 0 and rows[-1] == 31
    assert 16 <= cols[-1] - cols[0] + 1 <= 22
    assert abs((cols[0] + cols[-1]) / 2 - 15.5) <= 1


def test_ink_count_is_evened_out_into_the_load_digits_range() -> None:
    for strokes in DIGITS.values():
        for brush in (4, 16, 40):
            stages = pp.preprocess_image(_image(strokes, brush))
            assert stages is not None
            assert 200 <= stages.features.sum() <= 460, (brush, stages.features.sum())


def test_position_and_size_do_not_matter() -> None:
    reference = pp.preprocess_strokes(DIGITS[2], (280, 280)).features
    for factor, shift in [(0.5, (-60, 40)), (1.2, (10, -5)), (0.35, (80, 80))]:
        moved = pp.preprocess_strokes(scaled(DIGITS[2], factor, shift), (280, 280)).features
        assert np.abs(moved - reference).mean() < 0.6


def test_slant_is_removed() -> None:
    upright = [np.array([[140.0, 40], [140, 240]]), np.array([[100.0, 240], [180, 240]])]
    slanted = [s.copy() for s in upright]
    for s in slanted:
        s[:, 0] += 0.5 * (240 - s[:, 1])  # lean right by 0.5 px per px of height
    a = pp.preprocess_strokes(upright, (280, 280))
    b = pp.preprocess_strokes(slanted, (280, 280))
    assert abs(a.slant) < 0.05 and b.slant < -0.3
    assert np.abs(a.features - b.features).mean() < 1.0
    without = pp.preprocess_strokes(slanted, (280, 280), pp.Settings(deslant=False))
    assert np.abs(without.features - a.features).mean() > np.abs(b.features - a.features).mean()


def test_stroke_recognition_does_not_depend_on_the_brush() -> None:
    # The stroke path re-renders at its own pen; the raster path evens strokes out.
    by_brush = [pp.preprocess_image(_image(DIGITS[0], brush)).features for brush in (6, 14, 24)]
    assert max(np.abs(f - by_brush[1]).mean() for f in by_brush) < 2.0
    ring = pp.preprocess_strokes([ellipse()], (280, 280)).normalized
    assert ring[14:18, 14:18].sum() == 0  # the loop stays open


def test_load_digits_glyphs_survive_renormalisation(digits) -> None:
    images = digits[0][:200].reshape(-1, 8, 8)
    again = np.array([pp.preprocess_image(upsample(image) >= 0.45).features for image in images])
    assert np.abs(again - images).mean() < 2.0  # of 16: the same glyphs, block for block


def test_smoothing_passes_through_the_points_and_keeps_lines_straight() -> None:
    corners = np.array([[0.0, 0], [10, 0], [10, 10], [0, 10]])
    curve = rendering.smooth_polyline(corners)
    for corner in corners:
        assert np.min(np.hypot(*(curve - corner).T)) < 1e-9
    line = np.linspace([0.0, 0.0], [30.0, 15.0], 12)
    smoothed = rendering.smooth_polyline(line)
    assert np.allclose(smoothed[:, 1], smoothed[:, 0] / 2)


@settings(max_examples=150, deadline=None)
@given(any_image(120))
def test_any_image_gives_stages_or_none_without_raising(image: np.ndarray) -> None:
    stages = pp.preprocess_image(image)
    if stages is not None:
        assert stages.features.shape == (8, 8)
        assert np.all((stages.features >= 0) & (stages.features <= 16))


@pytest.mark.parametrize(
    "image",
    [
        np.ones((280, 280)),
        np.eye(1),
        np.pad(np.ones((280, 1)), ((0, 0), (279, 0))),  # a line at the right border
        np.pad(np.ones((1, 300)), ((299, 0), (0, 0))),  # a line along the bottom
        np.ones((4000, 3)),
        np.ones((3, 4000)),
    ],
)
def test_extreme_images_do_not_raise(image: np.ndarray) -> None:
    stages = pp.preprocess_image(image)
    assert stages is not None and 0 < stages.features.sum() <= 1024


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        arrays(
            np.float64,
            st.tuples(st.integers(1, 30), st.just(2)),
            elements=st.one_of(st.floats(-1e4, 1e4), st.just(np.nan)),
        ),
        max_size=5,
    )
)
def test_any_strokes_give_stages_or_none_without_raising(strokes) -> None:
    stages = pp.preprocess_strokes(strokes, (280, 280))
    assert stages is None or stages.features.shape == (8, 8)
