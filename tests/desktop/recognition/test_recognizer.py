"""The bundled recogniser: the public contract, and accuracy on data it never saw."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from drawn_strokes import DIGITS, MARKS, any_image, scaled
from hypothesis import given, settings

from desktop.data.digits import split_load_digits
from desktop.recognition import preprocessing as pp
from desktop.recognition import rendering
from desktop.recognition.features import network_input
from desktop.recognizer import Recognizer
from nncore import Layer, ModelFileError, Network


@pytest.fixture(scope="module")
def recognizer() -> Recognizer:
    return Recognizer.default()


@pytest.mark.parametrize("digit", sorted(DIGITS))
def test_drawn_digits_are_recognised_from_strokes_and_from_pixels(recognizer, digit) -> None:
    for factor, shift in [(1.0, (0, 0)), (0.6, (-30, 20))]:
        strokes = scaled(DIGITS[digit], factor, shift)
        assert recognizer.predict_strokes(strokes, (280, 280)).digit == digit
        image = rendering.draw_polylines(strokes, 18, (280, 280))
        result = recognizer.predict(image)
        assert result.digit == digit
        assert result.probabilities.shape == (10,)
        assert result.probabilities.sum() == pytest.approx(1.0)
        assert result.confidence == result.probabilities[digit]


def test_contract_for_an_empty_image(recognizer) -> None:
    result = recognizer.predict(np.zeros((100, 60)))
    assert result.digit is None and result.stages is None
    assert result.probabilities.shape == (10,) and result.probabilities.sum() == pytest.approx(1)
    assert not result.is_confident
    np.testing.assert_array_equal(recognizer.features(np.zeros((5, 5))), np.zeros((8, 8)))


def test_features_are_what_the_network_sees(recognizer) -> None:
    image = rendering.draw_polylines(DIGITS[7], 16, (280, 280)) * 255  # any scale of brightness
    features = recognizer.features(image)
    assert features.shape == (8, 8) and 0 <= features.min() and features.max() <= 16
    expected = recognizer.network.predict_proba(network_input(features))[0]
    np.testing.assert_allclose(recognizer.predict(image).probabilities, expected, rtol=1e-5)


def test_bundled_model_keeps_97_percent_on_the_held_out_load_digits_split(digits) -> None:
    recognizer = Recognizer.default()
    X, y = digits
    _, X_test, _, y_test = split_load_digits(X, y)
    assert recognizer.network.accuracy(network_input(X_test), y_test) >= 0.97
    stored = recognizer.network.metadata["training"]["load_digits_test_accuracy"]
    assert stored == pytest.approx(recognizer.network.accuracy(network_input(X_test), y_test))


def test_bundled_model_carries_its_preprocessing_settings() -> None:
    recognizer = Recognizer.default()
    assert recognizer.settings == pp.Settings.from_dict(
        recognizer.network.metadata["preprocessing"]
    )


def test_a_network_of_the_wrong_shape_is_refused(tmp_path) -> None:
    with pytest.raises(ValueError, match=r"64 inputs \(8x8\) and 10 outputs, got 4 inputs"):
        Recognizer(Network([Layer(4, "input"), Layer(10, "softmax")]))
    bad = tmp_path / "broken.npz"
    bad.write_bytes(b"not a model")
    with pytest.raises(ModelFileError):
        Recognizer.from_file(bad)


def test_malformed_preprocessing_settings_in_a_model_are_refused(tmp_path) -> None:
    network = Recognizer.default().network.copy()
    for bad in ({"min_width": "x"}, {"ink_range": [1]}, {"deslant": 1}, {"pen_fraction": -1}):
        network.metadata = {"preprocessing": bad}
        with pytest.raises(ValueError, match="preprocessing setting"):
            Recognizer(network)
        path = tmp_path / "odd.npz"
        network.save(path)
        with pytest.raises(ValueError, match="preprocessing setting"):
            Recognizer.from_file(path)
    network.metadata = {"preprocessing": {"pen_fraction": 0.08, "unknown": 3}}
    assert Recognizer(network).settings.pen_fraction == 0.08


@settings(max_examples=60, deadline=None)
@given(any_image(300))
def test_any_canvas_content_gives_a_well_formed_answer(image) -> None:
    result = _RECOGNIZER.predict(image)
    assert result.digit is None or 0 <= result.digit <= 9
    assert result.probabilities.shape == (10,)
    assert np.all(np.isfinite(result.probabilities))
    assert result.probabilities.sum() == pytest.approx(1.0)


_RECOGNIZER = Recognizer.default()


@pytest.mark.parametrize("mark", sorted(MARKS))
def test_marks_that_are_no_digit_are_not_named_as_digits(recognizer, mark) -> None:
    result = recognizer.predict_strokes(MARKS[mark], (280, 280))
    assert result.digit is None and result.not_a_digit
    assert result.stages is not None  # the inputs can still be shown
    image = rendering.draw_polylines(MARKS[mark], 16, (280, 280))
    assert recognizer.predict(image).not_a_digit


def test_an_empty_canvas_is_not_a_mark(recognizer) -> None:
    result = recognizer.predict_strokes([], (280, 280))
    assert result.digit is None and not result.not_a_digit and result.stages is None


def test_the_first_drawing_imports_nothing() -> None:
    """Everything a prediction needs is loaded with the recogniser: a module imported on
    first use (numpy.ma, by np.unique) once cost the first stroke anyone drew 26 ms."""
    script = """
import sys
from desktop.recognizer import Recognizer
from drawn_strokes import DIGITS
recognizer = Recognizer.default()
before = set(sys.modules)
assert recognizer.predict_strokes(DIGITS[7], (280, 280)).digit == 7
print(sorted(set(sys.modules) - before))
"""
    tests = str(Path(__file__).resolve().parents[2])
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": tests}, timeout=60)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_ink_too_small_to_read_is_not_a_digit_unlike_an_empty_canvas(recognizer) -> None:
    dot = recognizer.predict_strokes([np.array([[140.0, 140.0], [141.0, 141.0]])], (280, 280))
    assert dot.digit is None and dot.not_a_digit and dot.stages is None
    nothing = recognizer.predict_strokes([np.zeros((0, 2))], (280, 280))
    assert not nothing.not_a_digit


def _zigzag(lines: int, rng) -> list[np.ndarray]:
    """A scribble: the pen back and forth over the same patch, ``lines`` times."""
    points = []
    for i in range(lines):
        y = 90 + i * 100 / lines
        points += [(80 + rng.uniform(-5, 5), y), (200 + rng.uniform(-5, 5), y + 4)]
    return [np.array(points)]


def test_a_scribble_is_not_named_as_a_digit_and_no_digit_is_taken_for_one(recognizer) -> None:
    from desktop.data.synthetic import TEMPLATES, draw_template
    from desktop.recognition.preprocessing import path_ratio

    rng = np.random.default_rng(0)
    for lines in (6, 10, 20):
        scribble = recognizer.predict_strokes(_zigzag(lines, rng), (280, 280))
        assert scribble.digit is None and scribble.not_a_digit and scribble.stages is not None
    ratios = [
        path_ratio(draw_template(template, rng))
        for styles in TEMPLATES.values()
        for template in styles
        for _ in range(20)
    ]
    assert max(ratios) < recognizer.settings.max_path_ratio / 1.5  # every style, with room
    assert all(recognizer.predict_strokes(s).digit == d for d, s in DIGITS.items())
