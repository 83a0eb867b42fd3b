"""Invalid arguments raise ValueError naming the parameter, the rule and the value."""

from __future__ import annotations

import numpy as np
import pytest

from nncore import Layer, Network

X = np.random.default_rng(0).uniform(size=(20, 4))
y = np.arange(20) % 3


def _net(**kwargs) -> Network:
    return Network([Layer(4, "input"), Layer(5, "relu"), Layer(3, "softmax")], seed=0, **kwargs)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Layer(5, "swish"), r"unknown activation 'swish'; valid names are 'input', "),
        (lambda: Layer(0), "Layer size must be an integer >= 1, got 0"),
        (lambda: Layer(2.5), "Layer size must be an integer >= 1, got 2.5"),
        (lambda: Network([]), "needs an input layer and at least one more layer, got 0"),
        (lambda: Network([Layer(4, "input")]), "at least one more layer"),
        (lambda: Network([Layer(4), Layer(2)]), "first layer is the input layer"),
        (
            lambda: Network([Layer(4, "input"), Layer(3, "input")]),
            "only the first layer can be an input layer",
        ),
        (lambda: _net(loss="hinge"), "unknown loss 'hinge'; valid names are 'mse'"),
        (lambda: _net(dtype="float16"), "unknown dtype 'float16'"),
    ],
)
def test_construction_errors(build, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"learning_rate": 0}, "learning_rate must be a finite number > 0, got 0"),
        ({"learning_rate": -0.1}, "learning_rate must be a finite number > 0, got -0.1"),
        ({"learning_rate": float("nan")}, "learning_rate must be a finite number > 0"),
        ({"batch_size": 0}, r"batch_size must be between 1 and the number of training"),
        ({"batch_size": 21}, r"\(20\), got 21"),
        ({"batch_size": 0.0}, r"fractional batch_size must be in \(0, 1\]"),
        ({"batch_size": 1.5}, r"fractional batch_size must be in \(0, 1\]"),
        ({"batch_size": "all"}, "batch_size must be an int or a float"),
        ({"epochs": 0}, "epochs must be an integer >= 1, got 0"),
        ({"optimizer": "rmsprop"}, "unknown optimizer 'rmsprop'; valid names are 'sgd'"),
        ({"l2": -1}, "l2 must be a finite number >= 0, got -1"),
        ({"validation_split": 1.0}, r"validation_split must be a number in \[0, 1\), got 1.0"),
        ({"patience": 0}, "patience must be an integer >= 1, got 0"),
        ({"validation_data": (X, y), "validation_split": 0.2}, "not both"),
    ],
)
def test_fit_argument_errors(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        _net().fit(X, y, **kwargs)


@pytest.mark.parametrize(
    ("features", "labels", "message"),
    [
        (X[:10], y, "same number of samples, got 10 and 20"),
        (np.full((20, 4), np.nan), y, "X must not contain NaN or infinity"),
        (X[:, :3], y, "X must have 4 features"),
        (X[0], y, r"X must be 2-D \(n_samples, n_features\), got shape \(4,\)"),
        (np.zeros((0, 4)), y[:0], "at least one sample"),
        (X, y + 5, r"integer labels y must lie in 0..2"),
        (X, np.zeros((20, 5)), r"y must have shape \(20, 3\) or \(20,\)"),
        (X, "abc", r"y must be integer labels \(n_samples,\) or one-hot rows"),
        ([["a"] * 4] * 20, y, "X must be a numeric 2-D array"),
    ],
)
def test_data_errors(features, labels, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        _net().fit(features, labels)


def test_forward_checks_its_input() -> None:
    with pytest.raises(ValueError, match="X must have 4 features"):
        _net().forward(np.zeros((2, 5)))
