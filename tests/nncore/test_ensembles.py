"""merge(): several networks averaged as one ordinary network, exactly."""

from __future__ import annotations

import numpy as np
import pytest

from nncore import Layer, Network, merge, split


def _members(hidden: list[Layer], output: str, loss: str, count: int = 3) -> list[Network]:
    layers = [Layer(6, activation="input"), *hidden, Layer(4, activation=output)]
    return [Network(layers, loss=loss, seed=seed) for seed in range(count)]


@pytest.mark.parametrize(
    ("hidden", "output", "loss"),
    [
        ([Layer(5, "relu"), Layer(3, "tanh")], "softmax", "categorical_crossentropy"),
        ([Layer(5, "sigmoid")], "sigmoid", "binary_crossentropy"),
        ([Layer(5, "leaky_relu"), Layer(4, "relu"), Layer(3, "linear")], "linear", "mse"),
        ([], "softmax", "categorical_crossentropy"),
    ],
)
def test_the_merged_network_averages_the_members_pre_activations(
    hidden: list[Layer], output: str, loss: str
) -> None:
    members = _members(hidden, output, loss)
    X = np.random.default_rng(0).normal(size=(50, 6))
    merged = merge(members)
    # A linear output layer shows the pre-activations themselves; for the others the
    # output activation of the averaged pre-activations is compared.
    logits = [np.log(m.forward(X)) if output == "softmax" else m.forward(X) for m in members]
    if output == "softmax":
        mean = np.mean(logits, axis=0)
        expected = np.exp(mean - mean.max(axis=1, keepdims=True))
        expected /= expected.sum(axis=1, keepdims=True)
    elif output == "sigmoid":
        z = np.mean([np.log(p / (1 - p)) for p in logits], axis=0)
        expected = 1 / (1 + np.exp(-z))
    else:
        expected = np.mean(logits, axis=0)
    np.testing.assert_allclose(merged.forward(X), expected, rtol=1e-9, atol=1e-12)
    assert [layer.size for layer in merged.layers] == [6, *(3 * h.size for h in hidden), 4]


def test_one_member_is_itself_and_the_members_are_not_changed() -> None:
    members = _members([Layer(5, "relu")], "softmax", "categorical_crossentropy")
    before = [m.get_params() for m in members]
    X = np.random.default_rng(1).normal(size=(20, 6))
    np.testing.assert_array_equal(merge(members[:1]).forward(X), members[0].forward(X))
    merged = merge(members)
    merged.fit(X, np.arange(20) % 4, epochs=2, learning_rate=0.1, batch_size=5, seed=0)  # it trains
    for member, params in zip(members, before, strict=True):
        np.testing.assert_array_equal(member.get_params(), params)


def test_the_merged_network_saves_and_loads(tmp_path) -> None:  # type: ignore[no-untyped-def]
    merged = merge(_members([Layer(5, "relu"), Layer(3, "relu")], "softmax",
                            "categorical_crossentropy"))  # fmt: skip
    merged.save(tmp_path / "ensemble.npz")
    X = np.random.default_rng(2).normal(size=(10, 6))
    np.testing.assert_array_equal(Network.load(tmp_path / "ensemble.npz").forward(X),
                                  merged.forward(X))  # fmt: skip


def test_members_that_do_not_fit_together_are_refused_by_name() -> None:
    a = Network([Layer(6, activation="input"), Layer(5, "relu"), Layer(4, "softmax")])
    wider = Network([Layer(6, activation="input"), Layer(7, "relu"), Layer(4, "softmax")])
    with pytest.raises(ValueError, match=r"networks\[1\] must have the layers"):
        merge([a, wider])
    with pytest.raises(ValueError, match="at least one network"):
        merge([])
    with pytest.raises(ValueError, match=r"networks\[1\] must be a Network"):
        merge([a, "b"])  # type: ignore[list-item]
    softmax_inside = Network([Layer(6, activation="input"), Layer(5, "softmax"),
                              Layer(4, "softmax")])  # fmt: skip
    with pytest.raises(ValueError, match="each unit alone"):
        merge([softmax_inside, softmax_inside])


def test_split_gives_back_the_members_and_their_merge() -> None:
    members = _members([Layer(5, "relu"), Layer(3, "tanh")], "softmax",
                       "categorical_crossentropy")  # fmt: skip
    merged = merge(members)
    parts = split(merged, 3)
    for part, member in zip(parts, members, strict=True):
        for mine, theirs in zip(part.weights, member.weights, strict=True):
            np.testing.assert_allclose(mine, theirs, rtol=1e-15)
        for mine, theirs in zip(part.biases[:-1], member.biases[:-1], strict=True):
            np.testing.assert_array_equal(mine, theirs)
    np.testing.assert_allclose(merge(parts).get_params(), merged.get_params(), rtol=1e-15)
    single_layer = merge(_members([], "softmax", "categorical_crossentropy"))
    np.testing.assert_allclose(merge(split(single_layer, 3)).get_params(),
                               single_layer.get_params(), rtol=1e-15)  # fmt: skip


def test_split_refuses_a_network_that_is_not_a_merge() -> None:
    merged = merge(_members([Layer(5, "relu"), Layer(3, "relu")], "softmax",
                            "categorical_crossentropy"))  # fmt: skip
    with pytest.raises(ValueError, match="must divide"):
        split(merged, 2)
    with pytest.raises(ValueError, match="whole number"):
        split(merged, 0)
    merged.weights[1][0, -1] = 0.5  # a member's unit now feeds another member's
    with pytest.raises(ValueError, match="layer 2 joins them"):
        split(merged, 3)
