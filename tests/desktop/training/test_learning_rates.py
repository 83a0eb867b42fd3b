"""The learning-rate range test: an exponential sweep, the loss's fall and rise, a suggestion."""

from __future__ import annotations

import numpy as np
from small_corpus import small_corpus

from desktop.training.config import HiddenLayer, TrainingConfig
from desktop.training.learning_rates import HIGHEST, LOWEST, range_test, suggestion
from desktop.training.session import prepare

CONFIG = TrainingConfig(hidden=(HiddenLayer(32, "relu"),), batch_size=32)


def test_the_sweep_rises_exponentially_and_ends_when_the_loss_explodes() -> None:
    data = prepare(small_corpus(600).load(), CONFIG.sources)
    test = range_test(CONFIG, data)
    rates = test.learning_rates
    assert rates[0] == LOWEST and rates[-1] <= HIGHEST
    ratios = rates[1:] / rates[:-1]
    np.testing.assert_allclose(ratios, ratios[0])  # one constant factor: exponential
    assert len(rates) < 200  # Adam's loss explodes well before a rate of 10
    assert test.smoothed.min() < 0.5 * test.smoothed[0]
    assert test.suggested is not None and 1e-4 <= test.suggested <= 0.1
    at_minimum = rates[int(np.argmin(test.smoothed))]
    assert test.suggested < at_minimum  # below the minimum, where it still falls


def test_stop_ends_the_test_with_what_it_has() -> None:
    data = prepare(small_corpus(300).load(), CONFIG.sources)
    asked = iter(range(1000))
    test = range_test(CONFIG, data, stop=lambda: next(asked) >= 10)
    assert len(test.learning_rates) == 10


def test_a_loss_that_never_falls_suggests_nothing() -> None:
    rates = np.geomspace(1e-6, 1, 50)
    assert suggestion(rates, np.linspace(2.0, 3.0, 50)) is None
    falling = np.concatenate([np.linspace(2.3, 0.5, 40), np.linspace(0.6, 5, 10)])
    assert suggestion(rates, falling) == float(f"{rates[39] / 10:.1g}")
