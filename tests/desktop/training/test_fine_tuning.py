"""Fine-tuning on a writer whose style the bundled model gets wrong."""

from __future__ import annotations

import json

import numpy as np
import pytest

from desktop.data.corpus import Corpus
from desktop.data.synthetic import draw_template, sample_strokes
from desktop.recognition.features import network_input
from desktop.recognition.sample_vote import KEY
from desktop.recognizer import Recognizer
from desktop.training.fine_tuning import fine_tune, rehearsal_set

# This writer's "1" is a typewriter I: a stem with a bar on top and at the bottom.
SERIF_ONE = [[(0.2, 0.0), (0.8, 0.0)], [(0.5, 0.0), (0.5, 1.0)], [(0.2, 1.0), (0.8, 1.0)]]
# This writer closes the top of their 4 with a square head: the bundled model reads a 9.
CLOSED_FOUR = [[(0.9, 0.1), (0.1, 0.1), (0.1, 0.5), (0.9, 0.5)], [(0.9, 0.0), (0.9, 1.0)]]


def _writer(recognizer: Recognizer, rng) -> tuple[np.ndarray, np.ndarray]:
    features, labels = [], []
    for _ in range(12):
        for digit in (1, 2, 3, 7):
            strokes = draw_template(SERIF_ONE, rng) if digit == 1 else sample_strokes(digit, rng)
            features.append(recognizer.stroke_features(strokes))
            labels.append(digit)
    return np.array(features), np.array(labels)


def test_fine_tuning_learns_a_writers_style_without_forgetting() -> None:
    recognizer = Recognizer.default()
    before_metadata = json.dumps(recognizer.network.metadata)
    user = _writer(recognizer, np.random.default_rng(3))
    corpus = Corpus.bundled()
    drawn_x, drawn_y, _ = corpus.drawn_validation()
    result = fine_tune(recognizer.network, user, rehearsal_set(corpus), corpus.test_set(),
                       drawn=(drawn_x, drawn_y))  # fmt: skip
    ones = user[1] == 1
    assert recognizer.network.accuracy(network_input(user[0][ones]), user[1][ones]) < 0.5
    assert result.yours_before < 0.85  # its 1s are misread: 12 of its 48 digits
    assert result.yours_after >= result.yours_before + 0.15  # cross-validated, not trained on
    assert result.test_after >= result.test_before - 0.01  # it did not forget load_digits
    assert result.drawn_after >= result.drawn_before - 0.01  # ... nor other people's drawings
    assert result.samples == 48 and result.folds == 5
    assert result.network is not recognizer.network  # the user decides whether to keep it
    # The fine-tuned copy describes itself; the original's description is untouched.
    training = result.network.metadata["training"]
    assert training["how"] == "fine-tuned on 48 of your samples"
    assert training["drawn_digits_accuracy"] == pytest.approx(result.drawn_after)
    assert training["base"] == recognizer.network.metadata["training"]
    assert json.dumps(recognizer.network.metadata) == before_metadata


def test_rehearsal_is_a_stratified_sample_of_the_default_sources() -> None:
    features, labels = rehearsal_set(Corpus.bundled(), size=1000)
    assert len(labels) == 1000 and features.shape == (1000, 8, 8)
    assert np.all(np.abs(np.bincount(labels, minlength=10) - 100) <= 5)


def test_too_few_samples_is_a_clear_error(digits) -> None:
    recognizer = Recognizer.default()
    X, y = digits
    few = (X[:3].reshape(-1, 8, 8), y[:3])
    with pytest.raises(ValueError, match="at least 5 of your samples, you have 3"):
        fine_tune(recognizer.network, few, few, few)


def _drawn_writer(
    rng, per_digit: int, styles: dict[int, list] | None = None
) -> list[tuple[list[np.ndarray], tuple[float, float], int]]:
    """A writer with ``styles`` (by default a 1 like a typewriter I), drawn on the canvas."""
    styles = {1: SERIF_ONE} if styles is None else styles
    return [
        (draw_template(styles[digit], rng) if digit in styles else sample_strokes(digit, rng),
         (280.0, 280.0), digit)
        for digit in range(10)
        for _ in range(per_digit)
    ]  # fmt: skip


def test_personalised_learns_a_style_from_two_samples_a_digit() -> None:
    recognizer = Recognizer.default()
    params = recognizer.network.get_params().copy()
    unseen = [draw_template(SERIF_ONE, np.random.default_rng(50 + i)) for i in range(40)]
    assert sum(recognizer.predict_strokes(s).digit == 1 for s in unseen) <= 8  # misread
    mine = recognizer.personalised(_drawn_writer(np.random.default_rng(7), per_digit=2))
    # Ones it never saw: 7 of 40 before; 37 after (31 by the tuned network alone).
    assert sum(mine.predict_strokes(s).digit == 1 for s in unseen) >= 28
    others = [(sample_strokes(d, np.random.default_rng(90 + d)), d) for d in range(10)]
    assert all(mine.predict_strokes(s).digit == d for s, d in others)  # still reads the rest
    np.testing.assert_array_equal(recognizer.network.get_params(), params)  # unchanged
    assert mine.network.metadata["training"]["how"] == "personalised on 20 samples"
    assert mine.settings == recognizer.settings


def test_personalised_reads_a_writers_closed_4_after_two_of_them() -> None:
    recognizer = Recognizer.default()
    unseen = [draw_template(CLOSED_FOUR, np.random.default_rng(50 + i)) for i in range(40)]
    nines = [sample_strokes(9, np.random.default_rng(150 + i)) for i in range(40)]
    assert sum(recognizer.predict_strokes(s).digit == 4 for s in unseen) <= 4  # read as 9
    samples = _drawn_writer(np.random.default_rng(7), per_digit=2, styles={4: CLOSED_FOUR})
    mine = recognizer.personalised(samples)
    assert mine.vote is not None and len(mine.vote.labels) == 20  # its samples vote
    fours = sum(mine.predict_strokes(s).digit == 4 for s in unseen)
    assert fours >= 25  # 28 of 40 (2 before)
    assert sum(mine.predict_strokes(s).digit == 9 for s in nines) >= 38  # its 9s stay 9s
    # The vote's share: the tuned network alone reads 24 of them.
    network = mine.network.copy()
    del network.metadata[KEY]
    assert sum(Recognizer(network).predict_strokes(s).digit == 4 for s in unseen) <= fours - 2
    assert recognizer.vote is None  # the recogniser in use is not changed


def test_personalised_says_what_is_wrong_with_its_samples() -> None:
    recognizer = Recognizer.default()
    samples = _drawn_writer(np.random.default_rng(1), per_digit=1)
    with pytest.raises(ValueError, match=r"samples\[3\]: the label must be a digit 0..9, got 12"):
        recognizer.personalised([*samples[:3], (samples[3][0], (280.0, 280.0), 12)])
    blank = [([np.zeros((0, 2))], (280.0, 280.0), 4)] * 10
    with pytest.raises(ValueError, match="at least 5 samples with a digit drawn, got 4"):
        recognizer.personalised(samples[:4] + blank)


def test_variants_start_with_the_drawing_itself_and_are_seeded() -> None:
    from desktop.data.stroke_variants import stroke_variants

    recognizer = Recognizer.default()
    strokes = sample_strokes(4, np.random.default_rng(2))
    first = stroke_variants(strokes, 5, np.random.default_rng(0), recognizer.settings)
    again = stroke_variants(strokes, 5, np.random.default_rng(0), recognizer.settings)
    assert len(first) == 5
    np.testing.assert_array_equal(first[0], recognizer.stroke_features(strokes))
    assert all(np.array_equal(a, b) for a, b in zip(first, again, strict=True))
    assert not any(np.array_equal(first[0], v) for v in first[1:])  # each one different
