"""Training as the Train tab runs it, without Qt (desktop.training.session)."""

from __future__ import annotations

from collections.abc import Callable

from small_corpus import small_corpus

from desktop.training.config import HiddenLayer, TrainingConfig
from desktop.training.session import prepare, train


def _step_counter() -> tuple[list[int], Callable[[], bool]]:
    steps = [0]

    def count_step() -> bool:
        steps[0] += 1
        return False  # go on

    return steps, count_step


def test_a_batch_larger_than_the_training_set_trains_on_the_whole_set() -> None:
    data = prepare(small_corpus(40).load(), ("load_digits",))
    steps, count_step = _step_counter()
    config = TrainingConfig(hidden=(HiddenLayer(8),), epochs=3, batch_size=64)
    trained = train(config, data, between_batches=count_step)  # ~31 samples after the split
    assert trained.error is None and trained.epochs_run == 3
    assert steps == [3]  # one step an epoch: every sample in it


def test_the_configured_batch_is_used_when_the_set_is_large_enough() -> None:
    data = prepare(small_corpus(300).load(), ("load_digits",))
    steps, count_step = _step_counter()
    config = TrainingConfig(hidden=(HiddenLayer(8),), epochs=1, batch_size=64)
    train(config, data, between_batches=count_step)
    assert steps == [5]  # about 270 training samples after the 10 % share: 5 batches of 64
