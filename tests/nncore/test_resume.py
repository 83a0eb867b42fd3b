"""Continuing a run: 10 epochs, saved, then 10 more, equal 20 epochs bit for bit."""

from __future__ import annotations

import numpy as np
import pytest

from nncore import (
    OPTIMIZERS,
    Layer,
    ModelFileError,
    Network,
    TrainingState,
    load_training_state,
    save_training_state,
)


def _network(seed: int = 3) -> Network:
    layers = [Layer(64, "input"), Layer(24, "relu"), Layer(10, "softmax")]
    return Network(layers, loss="categorical_crossentropy", seed=seed, dtype="float32")


def _options(optimizer: str) -> dict[str, object]:
    return {"learning_rate": 0.01 if optimizer != "adam" else 1e-3, "batch_size": 32,
            "optimizer": optimizer, "l2": 1e-4, "validation_split": 0.2, "seed": 7}  # fmt: skip


@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
def test_ten_and_ten_epochs_equal_twenty_bit_for_bit(digits, tmp_path, optimizer: str) -> None:
    X, y = digits[0][:600] / 16.0, digits[1][:600]
    whole = _network()
    whole_history = whole.fit(X, y, epochs=20, **_options(optimizer))

    first = _network()
    run = first.train(X, y, epochs=10, **_options(optimizer))
    for _ in run:
        pass
    first.save(tmp_path / "model.npz")
    save_training_state(tmp_path / "state.npz", run.checkpoint())

    # A new process would start here: everything comes back from the two files.
    second = Network.load(tmp_path / "model.npz")
    resumed = second.train(X, y, epochs=10, **_options(optimizer),
                           resume=load_training_state(tmp_path / "state.npz"))  # fmt: skip
    reports = list(resumed)

    assert np.array_equal(second.get_params(), whole.get_params())
    assert [r.epoch for r in reports] == list(range(11, 21))
    assert reports[-1].epochs == 20
    assert [r.loss for r in reports] == whole_history.loss[10:]
    assert resumed.checkpoint().epochs_done == 20


def test_a_run_stopped_inside_an_epoch_resumes_from_its_last_whole_epoch(digits) -> None:
    X, y = digits[0][:600] / 16.0, digits[1][:600]
    whole = _network()
    whole.fit(X, y, epochs=6, **_options("adam"))

    steps = 0

    def stop_in_epoch_four() -> bool:
        nonlocal steps
        steps += 1
        return steps > 3 * 15 + 5  # 480 training rows: 15 batches an epoch

    cut = _network()
    run = cut.train(X, y, epochs=6, **_options("adam"), between_batches=stop_in_epoch_four)
    assert len(list(run)) == 3
    state = run.checkpoint()
    assert state.epochs_done == 3 and state.steps == 45
    list(cut.train(X, y, epochs=3, **_options("adam"), resume=state))
    assert np.array_equal(cut.get_params(), whole.get_params())


def test_resuming_with_another_optimizer_or_a_mismatched_state_is_refused(digits) -> None:
    X, y = digits[0][:200] / 16.0, digits[1][:200]
    network = _network()
    run = network.train(X, y, epochs=1, **_options("adam"))
    list(run)
    state = run.checkpoint()
    with pytest.raises(ValueError, match="'adam' optimizer, this run uses 'sgd'"):
        network.train(X, y, epochs=1, **_options("sgd"), resume=state)
    wrong = TrainingState("adam", 3, {"m": np.zeros(5), "v": np.zeros(5)}, state.rng, 1)
    with pytest.raises(ValueError, match="'m' must have shape"):
        network.train(X, y, epochs=1, **_options("adam"), resume=wrong)


def test_a_damaged_state_file_is_refused_in_plain_words(tmp_path) -> None:
    path = tmp_path / "state.npz"
    path.write_bytes(b"not a zip")
    with pytest.raises(ModelFileError, match="cannot load training state"):
        load_training_state(path)
    model = tmp_path / "model.npz"
    _network().save(model)
    with pytest.raises(ModelFileError, match="training-state"):
        load_training_state(model)
