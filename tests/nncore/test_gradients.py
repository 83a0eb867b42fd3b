"""Backpropagation agrees with finite differences for every table entry (float64)."""

from __future__ import annotations

import numpy as np
import pytest

from nncore import ACTIVATIONS, Layer, Network

HIDDEN = [name for name in ACTIVATIONS if name != "input"]
# Output/loss pairs that make sense: the two fused pairs and the generic paths.
OUTPUT_LOSS = [
    ("softmax", "categorical_crossentropy"),
    ("sigmoid", "binary_crossentropy"),
    ("linear", "mse"),
    ("sigmoid", "mse"),
    ("tanh", "mse"),
    ("softmax", "mse"),
]


def _targets(output: str, rng: np.random.Generator, n: int, k: int) -> np.ndarray:
    if output == "softmax":
        return np.eye(k)[rng.integers(0, k, n)]
    if output == "sigmoid":
        return rng.integers(0, 2, (n, k)).astype(float)
    return rng.normal(size=(n, k))


def _relative_error(network: Network, X: np.ndarray, Y: np.ndarray, l2: float) -> float:
    network.backprop(X, Y, l2)
    analytic = network.grads.copy()
    params = network.params  # the live vector: changing an entry changes the network
    numeric = np.zeros_like(params)
    step = 1e-6

    def objective() -> float:
        penalty = sum(float(np.sum(W**2)) for W in network.weights)
        return network.cost(X, Y) + 0.5 * l2 * penalty

    for i in range(params.size):
        original = params[i]
        params[i] = original + step
        plus = objective()
        params[i] = original - step
        minus = objective()
        params[i] = original
        numeric[i] = (plus - minus) / (2 * step)
    scale = np.linalg.norm(analytic) + np.linalg.norm(numeric)
    return float(np.linalg.norm(analytic - numeric) / scale)


@pytest.mark.parametrize("hidden", HIDDEN)
@pytest.mark.parametrize(("output", "loss"), OUTPUT_LOSS)
def test_backprop_matches_finite_differences(hidden: str, output: str, loss: str) -> None:
    rng = np.random.default_rng(7)
    network = Network(
        [Layer(4, "input"), Layer(5, hidden), Layer(4, hidden), Layer(3, output)],
        loss=loss,
        seed=3,
    )
    X = rng.normal(size=(6, 4))
    assert _relative_error(network, X, _targets(output, rng, 6, 3), l2=0.0) < 1e-6


def test_l2_gradient_matches_finite_differences() -> None:
    rng = np.random.default_rng(1)
    network = Network([Layer(3, "input"), Layer(4, "tanh"), Layer(2, "softmax")], seed=2)
    X = rng.normal(size=(5, 3))
    assert _relative_error(network, X, np.eye(2)[rng.integers(0, 2, 5)], l2=0.3) < 1e-6


@pytest.mark.parametrize("hidden", HIDDEN)
def test_output_gradients_match_finite_differences(hidden: str) -> None:
    rng = np.random.default_rng(5)
    network = Network([Layer(6, "input"), Layer(5, hidden), Layer(4, hidden),
                       Layer(3, "softmax")], seed=2)  # fmt: skip
    x = rng.normal(size=(1, 6))
    for output in range(3):
        gradient = network.output_gradients(x, output)[0][0]
        numeric = np.zeros(6)
        for j in range(6):
            step = np.zeros((1, 6))
            step[0, j] = 1e-6
            numeric[j] = (network.forward(x + step)[0, output]
                          - network.forward(x - step)[0, output]) / 2e-6  # fmt: skip
        np.testing.assert_allclose(gradient, numeric, rtol=1e-5, atol=1e-8)


def test_output_gradients_have_one_array_per_layer_below_the_output() -> None:
    network = Network([Layer(4, "input"), Layer(7, "relu"), Layer(2, "softmax")], seed=0)
    gradients = network.output_gradients(np.ones((3, 4)), 1)
    assert [g.shape for g in gradients] == [(3, 4), (3, 7)]
    outputs = network.layer_outputs(np.ones((3, 4)))
    assert [o.shape for o in outputs] == [(3, 4), (3, 7), (3, 2)]
    with pytest.raises(ValueError, match=r"output must be an int in 0\.\.1, got 2"):
        network.output_gradients(np.ones((1, 4)), 2)
