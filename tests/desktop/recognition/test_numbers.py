"""Reading whole numbers: strokes grouped into digits, each digit read as if drawn alone."""

from __future__ import annotations

import numpy as np
import pytest

from desktop.data.pendigits import compose_number
from desktop.data.synthetic import sample_strokes
from desktop.recognition.numbers import group_strokes
from desktop.recognizer import NumberReading, Recognizer
from tests.drawn_strokes import DIGITS

HEIGHT = 280.0
FIVE = [  # upright and bowl in one stroke, the cap on its own (as many write it)
    np.array([[95.0, 60], [90, 135], [150, 125], [190, 165], [175, 215], [120, 230], [85, 210]]),
    np.array([[97.0, 58], [195, 55]]),
]
CROSSED_SEVEN = [
    np.array([[80.0, 55], [200, 55], [120, 230]]),
    np.array([[105.0, 145], [195, 140]]),
]


def side_by_side(*digits: list[np.ndarray], step: float = 150.0) -> list[np.ndarray]:
    """Hand-made digits (each in a 280 square, about 130 wide) placed ``step`` apart."""
    shifted = []
    for index, strokes in enumerate(digits):
        shifted.extend(stroke + np.array([index * step, 0.0]) for stroke in strokes)
    return shifted


@pytest.fixture(scope="module")
def recognizer() -> Recognizer:
    return Recognizer.default()


def test_two_stroke_digits_stay_one_digit() -> None:
    for strokes in (DIGITS[4], FIVE, CROSSED_SEVEN):
        assert len(group_strokes(strokes)) == 1


def test_digits_that_touch_slightly_stay_two() -> None:
    # The 0 spans x 85..195 and the 2 starts at 85 + step: 100 apart, they overlap by 10.
    strokes = side_by_side(DIGITS[0], DIGITS[2], step=100.0)
    groups = group_strokes(strokes)
    assert [g.indices for g in groups] == [(0,), (1,)]


def test_groups_are_ordered_left_to_right_whatever_the_drawing_order() -> None:
    strokes = side_by_side(DIGITS[7], DIGITS[1], DIGITS[4])
    reordered = [strokes[3], strokes[0], strokes[2], strokes[1]]  # the 4's upright first
    groups = group_strokes(reordered)
    assert [g.indices for g in groups] == [(1,), (3,), (0, 2)]


def test_a_number_is_read_digit_by_digit(recognizer: Recognizer) -> None:
    strokes = side_by_side(DIGITS[2], DIGITS[0], DIGITS[7], FIVE)
    reading = recognizer.read_number(strokes, (4 * 150 + 100, HEIGHT))
    assert isinstance(reading, NumberReading)
    assert reading.text == "2075"
    boxes = [d.box for d in reading.digits]
    assert [b[0] for b in boxes] == sorted(b[0] for b in boxes)
    for digit in reading.digits:
        assert digit.probabilities.shape == (10,)
        assert digit.probabilities.sum() == pytest.approx(1.0)
        assert digit.digit == int(np.argmax(digit.probabilities))


def test_a_digit_in_a_number_reads_as_the_same_digit_drawn_alone(recognizer: Recognizer) -> None:
    alone = recognizer.predict_strokes(DIGITS[4], (HEIGHT, HEIGHT))
    reading = recognizer.read_number(side_by_side(DIGITS[1], DIGITS[4]), (500, HEIGHT))
    np.testing.assert_allclose(reading.digits[1].probabilities, alone.probabilities)


def test_a_dot_is_not_a_digit(recognizer: Recognizer) -> None:
    dot = np.array([[420.0, 225], [421, 226]])
    reading = recognizer.read_number([*side_by_side(DIGITS[1], DIGITS[7]), dot], (600, HEIGHT))
    assert reading.text == "17"
    assert len(reading.marks) == 1 and reading.marks[0].digit is None


def test_one_digit_and_no_ink(recognizer: Recognizer) -> None:
    assert recognizer.read_number(DIGITS[0], (HEIGHT, HEIGHT)).text == "0"
    empty = recognizer.read_number([], (HEIGHT, HEIGHT))
    assert empty.text == "" and empty.digits == () and empty.marks == ()


def test_composed_numbers_of_random_drawings_are_split_into_their_digits() -> None:
    rng = np.random.default_rng(3)
    for _ in range(40):
        labels = rng.integers(0, 10, size=int(rng.integers(2, 7)))
        strokes, _ = compose_number([sample_strokes(int(d), rng) for d in labels], rng)
        assert len(group_strokes(strokes)) == len(labels), labels
