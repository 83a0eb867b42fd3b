"""Models of several averaged runs: marked, split and tuned run by run."""

from __future__ import annotations

import numpy as np

from desktop.recognizer import Recognizer
from desktop.training.ensemble import mark_members, members_of, tuned_per_member
from nncore import Layer, Network, merge, split

LAYERS = [Layer(8, activation="input"), Layer(6, "relu"), Layer(5, "relu"), Layer(3, "softmax")]
X = np.random.default_rng(0).normal(size=(60, 8))
Y = np.arange(60) % 3


def _trained(network: Network) -> Network:
    copy = network.copy()
    copy.fit(X, Y, epochs=3, learning_rate=0.01, optimizer="adam", batch_size=10, seed=0)
    return copy


def test_each_run_is_tuned_on_its_own_and_the_runs_averaged_again() -> None:
    runs = [Network(LAYERS, seed=seed) for seed in range(3)]
    ensemble = mark_members(merge(runs), 3)
    ensemble.metadata["training"] = {"how": "three runs"}
    tuned = tuned_per_member(ensemble, _trained)
    expected = merge([_trained(run) for run in runs])
    np.testing.assert_allclose(tuned.forward(X), expected.forward(X), rtol=1e-12)
    assert len(split(tuned, 3)) == 3  # still three runs side by side, not joined
    assert members_of(tuned) == 3 and tuned.metadata["training"] == {"how": "three runs"}
    assert not np.allclose(tuned.forward(X), ensemble.forward(X))  # it did learn


def test_a_network_that_is_not_what_it_says_is_tuned_whole() -> None:
    single = Network(LAYERS, seed=0)
    single.metadata["ensemble"] = {"members": 2}  # a lie: 6 and 5 units are no two runs
    np.testing.assert_array_equal(tuned_per_member(single, _trained).forward(X),
                                  _trained(single).forward(X))  # fmt: skip
    for marked in ({"members": "5"}, {"members": 0}, "five", None):
        single.metadata["ensemble"] = marked
        assert members_of(single) == 1


def test_the_bundled_model_is_five_runs_averaged() -> None:
    network = Recognizer.default().network
    assert members_of(network) == 5
    runs = split(network, 5)
    assert [layer.size for layer in runs[0].layers] == [64, 256, 128, 10]
