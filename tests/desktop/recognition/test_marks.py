"""A cross (X or +) and a loop around the canvas are no digit; digits stay digits."""

from __future__ import annotations

import numpy as np
import pytest
from drawn_strokes import DIGITS, ellipse

from desktop.data.synthetic import TEMPLATES, draw_template
from desktop.recognition.marks import is_cross, is_loop_around
from desktop.recognition.recognizer import Recognizer

CANVAS = (280.0, 280.0)


def _line(x0: float, y0: float, x1: float, y1: float, n: int = 25) -> np.ndarray:
    return np.linspace((x0, y0), (x1, y1), n)


@pytest.fixture(scope="module")
def recognizer() -> Recognizer:
    return Recognizer.default()


@pytest.mark.parametrize("mark", ["x", "plus", "slanted x"])
def test_a_cross_is_not_named_as_a_digit(recognizer, mark: str) -> None:
    strokes = {
        "x": [_line(70, 60, 210, 220), _line(210, 60, 70, 220)],
        "plus": [_line(140, 50, 140, 230), _line(60, 140, 220, 140)],
        "slanted x": [_line(90, 50, 200, 230), _line(230, 90, 60, 190)],
    }[mark]
    assert is_cross(strokes)
    prediction = recognizer.predict_strokes(strokes, CANVAS)
    assert prediction.digit is None and prediction.not_a_digit


def test_a_loop_around_the_canvas_is_not_a_digit_but_a_zero_is(recognizer) -> None:
    around = ellipse(140, 140, 132, 132)
    assert is_loop_around([around], CANVAS)
    assert recognizer.predict_strokes([around], CANVAS).not_a_digit
    # As large, drawn on a larger canvas: a round 0, read as one.
    assert recognizer.predict_strokes([around], (600.0, 600.0)).digit == 0
    assert recognizer.predict_strokes([ellipse(140, 140, 90, 100)], CANVAS).digit == 0


def test_no_digit_of_any_style_is_taken_for_a_cross_or_a_loop() -> None:
    rng = np.random.default_rng(0)
    for styles in TEMPLATES.values():
        for template in styles:  # two-stroke 4s, 5s and 7s with a crossbar among them
            for _ in range(50):
                strokes = draw_template(template, rng)
                assert not is_cross(strokes)
                assert not is_loop_around(strokes, (500.0, 500.0))
    for strokes in DIGITS.values():
        assert not is_cross(strokes) and not is_loop_around(strokes, CANVAS)


def test_strokes_that_touch_at_an_end_or_never_meet_are_no_cross() -> None:
    assert not is_cross([_line(70, 60, 140, 220), _line(140, 220, 210, 60)])  # a V
    assert not is_cross([_line(70, 60, 70, 220), _line(120, 60, 120, 220)])  # two bars
    assert not is_cross([_line(70, 60, 210, 220), _line(200, 70, 150, 120)])  # one short
