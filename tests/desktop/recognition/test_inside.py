"""Looking inside the network: attributions and nearest examples, checked independently."""

from __future__ import annotations

import numpy as np
import pytest

from desktop.recognition.features import network_input
from desktop.recognition.inside import NearestExamples, look_inside
from desktop.recognizer import Recognizer
from nncore import Layer, Network


@pytest.fixture(scope="module")
def network() -> Network:
    return Recognizer.default().network


def test_saliency_is_gradient_times_input_against_finite_differences(network) -> None:
    rng = np.random.default_rng(0)
    features = rng.integers(0, 17, (8, 8)).astype(float)
    inside = look_inside(network, features, target=3)
    x = network_input(features)[0].astype(np.float64)
    probe = Network(network.layers, network.loss, dtype="float64")  # float64 for the check
    probe.set_params(network.get_params())
    numeric = np.zeros(64)
    for j in range(64):
        step = np.zeros(64)
        step[j] = 1e-5
        up = probe.forward((x + step)[None])[0, 3]
        down = probe.forward((x - step)[None])[0, 3]
        numeric[j] = (up - down) / 2e-5
    np.testing.assert_allclose(inside.saliency.ravel(), numeric * x, rtol=2e-3, atol=1e-6)


def test_every_layer_is_shown_for_any_architecture() -> None:
    for hidden in ([Layer(1, "tanh")], [Layer(30, "sigmoid"), Layer(4096, "relu")],
                   [Layer(8, "leaky_relu"), Layer(9, "linear"), Layer(7, "relu")]):  # fmt: skip
        network = Network([Layer(64, "input"), *hidden, Layer(10, "softmax")], seed=0)
        inside = look_inside(network, np.full((8, 8), 8.0))
        sizes = [64, *(layer.size for layer in hidden), 10]
        assert [len(layer) for layer in inside.layers] == sizes
        assert [len(push) for push in inside.pushes] == sizes[:-1]
        assert inside.probabilities.sum() == pytest.approx(1.0)
        assert inside.digit == int(np.argmax(network.forward(network_input(np.full((8, 8), 8.0)))))


def test_the_answer_matches_the_recogniser_for_the_same_input(network) -> None:
    recognizer = Recognizer.default()
    features = recognizer.features(np.pad(np.ones((60, 12)), 30))  # a "1"
    inside = look_inside(network, features)
    expected = network.predict_proba(network_input(features))[0]
    np.testing.assert_allclose(inside.probabilities, expected, rtol=1e-5)


def test_the_nearest_examples_are_the_true_nearest() -> None:
    rng = np.random.default_rng(1)
    glyphs = rng.integers(0, 17, (3000, 8, 8))
    labels = rng.integers(0, 10, 3000)
    nearest = NearestExamples(glyphs, labels)
    for _ in range(5):
        query = rng.integers(0, 17, (8, 8)).astype(float)
        brute = np.sqrt(((glyphs.reshape(3000, 64) - query.ravel()) ** 2).sum(axis=1))
        found = nearest.query(query, 5)
        assert [i for i, _, _ in found] == list(np.argsort(brute, kind="stable")[:5])
        assert [d for _, _, d in found] == pytest.approx(np.sort(brute)[:5], rel=1e-4)
        assert [label for _, label, _ in found] == [labels[i] for i, _, _ in found]
