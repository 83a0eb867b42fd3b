"""Training behaviour: real epochs, mean cost, learning, optimizers, stopping, divergence."""

from __future__ import annotations

import numpy as np
import pytest

from nncore import (
    OPTIMIZERS,
    SGD,
    Adam,
    Layer,
    Momentum,
    Nesterov,
    Network,
    OneHotEncoder,
    TrainingDiverged,
    train_test_split,
)

XOR_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
XOR_Y = np.array([0, 1, 1, 0])


def _small_digits(digits: tuple[np.ndarray, np.ndarray], n: int = 400):
    X, y = digits
    return X[:n] / 16.0, y[:n]


def test_seed_readme_configuration_reaches_95_percent(digits) -> None:
    X, y = digits
    encoder = OneHotEncoder()
    Y = encoder.encode(y)
    X_train, X_test, y_train, y_test = train_test_split(X / 16.0, Y, 0.8, stratify=y, seed=0)
    network = Network(
        [Layer(64, activation="input"), Layer(50), Layer(30), Layer(10, activation="softmax")],
        loss="categorical_crossentropy",
        seed=0,
    )
    history = network.fit(X_train, y_train, epochs=50, learning_rate=1, batch_size=0.1, seed=0)
    predicted = encoder.decode(network.forward(X_test))
    assert np.mean(predicted == encoder.decode(y_test)) >= 0.95
    assert len(history.loss) == 50
    assert history.loss[-1] < history.loss[0]


def test_xor_is_learned() -> None:
    network = Network([Layer(2, "input"), Layer(8, "tanh"), Layer(2, "softmax")], seed=1)
    network.fit(XOR_X, XOR_Y, epochs=500, learning_rate=0.05, batch_size=4, optimizer="adam")
    assert list(network.predict(XOR_X)) == list(XOR_Y)


def test_one_epoch_visits_every_sample_once() -> None:
    # With the whole set as one batch, an SGD epoch is exactly one full-gradient step,
    # whatever the shuffle; with batches of 1 it is n steps.
    X, Y = XOR_X, np.eye(2)[XOR_Y]
    network = Network([Layer(2, "input"), Layer(3, "sigmoid"), Layer(2, "softmax")], seed=4)
    expected = network.copy()
    expected.backprop(X, Y, 0.0)
    expected.set_params(expected.params - 0.5 * expected.grads)
    network.epoch(X, Y, learning_rate=0.5, batch_size=4, seed=9)
    np.testing.assert_allclose(network.params, expected.params)

    sgd = SGD(0.1)
    network.epoch(X, Y, batch_size=1, optimizer=sgd)
    assert sgd.steps == 4


@pytest.mark.parametrize(("batch_size", "steps"), [(0.1, 10), (32, 4), (1.0, 1), (100, 1)])
def test_fractional_and_integer_batch_sizes(digits, batch_size: float, steps: int) -> None:
    X, y = _small_digits(digits, 100)
    sgd = SGD(0.1)
    network = Network([Layer(64, "input"), Layer(10, "softmax")], seed=0)
    network.epoch(X, y, batch_size=batch_size, optimizer=sgd)
    assert sgd.steps == steps


def test_cost_is_a_mean_not_a_sum(digits) -> None:
    X, y = _small_digits(digits, 50)
    network = Network([Layer(64, "input"), Layer(10, "softmax")], seed=0)
    single = network.cost(X, y)
    assert network.cost(np.vstack([X, X, X]), np.concatenate([y, y, y])) == pytest.approx(single)
    assert 1.5 < single < 4.0  # about log(10) for an untrained softmax, never a sum over 50


def test_one_hot_and_integer_labels_train_identically(digits) -> None:
    X, y = _small_digits(digits, 120)
    a = Network([Layer(64, "input"), Layer(16, "relu"), Layer(10, "softmax")], seed=5)
    b = a.copy()
    ha = a.fit(X, y, epochs=3, batch_size=16, seed=2)
    hb = b.fit(X, np.eye(10)[y], epochs=3, batch_size=16, seed=2)
    assert ha.loss == hb.loss


def test_same_seed_same_result_and_different_seed_differs(digits) -> None:
    X, y = _small_digits(digits, 200)

    def run(seed: int) -> list[float]:
        network = Network([Layer(64, "input"), Layer(16, "relu"), Layer(10, "softmax")], seed=seed)
        return network.fit(X, y, epochs=3, optimizer="adam", learning_rate=0.01, seed=seed).loss

    assert run(1) == run(1)
    assert run(1) != run(2)


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_every_optimizer_learns(digits, name: str) -> None:
    X, y = _small_digits(digits)
    network = Network([Layer(64, "input"), Layer(32, "relu"), Layer(10, "softmax")], seed=0)
    learning_rate = 0.01 if name == "adam" else 0.1
    history = network.fit(X, y, epochs=15, learning_rate=learning_rate, optimizer=name, seed=0)
    assert history.loss[-1] < 0.5 * history.loss[0]
    assert history.accuracy[-1] > 0.9


def test_optimizer_steps_follow_their_formulas() -> None:
    grads = np.array([0.5, -2.0])
    params = np.array([1.0, 1.0])
    SGD(0.1).step(params, grads)
    np.testing.assert_allclose(params, [0.95, 1.2])

    params, momentum = np.zeros(2), Momentum(0.1, momentum=0.5)
    momentum.step(params, grads)
    momentum.step(params, grads)  # v1 = -lr g; v2 = 0.5 v1 - lr g = -1.5 lr g; p = -2.5 lr g
    np.testing.assert_allclose(params, -2.5 * 0.1 * grads)

    params, nesterov = np.zeros(2), Nesterov(0.1, momentum=0.5)
    nesterov.step(params, grads)  # v = -lr g; p += mu v - lr g = -1.5 lr g
    np.testing.assert_allclose(params, -1.5 * 0.1 * grads)

    params, adam = np.zeros(2), Adam(0.01)
    adam.step(params, grads.copy())  # the first bias-corrected Adam step is lr * sign(g)
    np.testing.assert_allclose(params, -0.01 * np.sign(grads), rtol=1e-6)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_adam_matches_the_paper_over_many_steps(dtype) -> None:
    """Kingma & Ba's Algorithm 1, step by step (Adam rearranges it and reuses grads)."""
    rng = np.random.default_rng(0)
    lr, b1, b2, eps = 0.01, 0.9, 0.999, 1e-8
    params = rng.normal(size=50).astype(dtype)
    expected, m, v = params.astype(np.float64), np.zeros(50), np.zeros(50)
    adam = Adam(lr, b1, b2, eps)
    for t in range(1, 41):
        g = rng.normal(size=50) * 10.0 ** rng.uniform(-4, 1, size=50)  # scales far apart
        adam.step(params, g.astype(dtype))
        m, v = b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g * g
        m_hat, v_hat = m / (1 - b1**t), v / (1 - b2**t)
        expected -= lr * m_hat / (np.sqrt(v_hat) + eps)
    tolerance = 1e-10 if dtype == np.float64 else 1e-5
    np.testing.assert_allclose(params, expected, rtol=tolerance, atol=tolerance)


def test_l2_shrinks_the_weights(digits) -> None:
    X, y = _small_digits(digits, 200)
    plain = Network([Layer(64, "input"), Layer(16, "relu"), Layer(10, "softmax")], seed=0)
    decayed = plain.copy()
    plain.fit(X, y, epochs=10, seed=0)
    decayed.fit(X, y, epochs=10, seed=0, l2=0.05)
    norm = [sum(float(np.sum(W**2)) for W in n.weights) for n in (plain, decayed)]
    assert norm[1] < 0.8 * norm[0]


def test_validation_split_is_held_out_and_reported(digits) -> None:
    X, y = _small_digits(digits)
    network = Network([Layer(64, "input"), Layer(16, "relu"), Layer(10, "softmax")], seed=0)
    run = network.train(X, y, epochs=4, validation_split=0.25, seed=0)
    history = list(run)
    assert run.n_train == 300
    assert all(r.val_loss is not None and 0 <= r.val_accuracy <= 1 for r in history)
    assert run.history.val_loss == [r.val_loss for r in history]


def test_validation_data_figures_match_cost_and_accuracy(digits) -> None:
    X, y = _small_digits(digits)
    network = Network([Layer(64, "input"), Layer(16, "relu"), Layer(10, "softmax")], seed=0)
    history = network.fit(X[:300], y[:300], epochs=3, validation_data=(X[300:], y[300:]), seed=0)
    assert history.val_loss[-1] == pytest.approx(network.cost(X[300:], y[300:]))
    assert history.val_accuracy[-1] == pytest.approx(network.accuracy(X[300:], y[300:]))


def test_epoch_loss_is_the_mean_over_batches_scored_before_their_update(digits) -> None:
    X, y = _small_digits(digits, 100)
    network = Network([Layer(64, "input"), Layer(16, "relu"), Layer(10, "softmax")], seed=0)
    before = network.cost(X, y), network.accuracy(X, y)
    # One batch of the whole set: the epoch's figures are those of the weights before it.
    history = network.fit(X, y, epochs=1, batch_size=1.0, learning_rate=0.5)
    assert history.loss[0] == pytest.approx(before[0])
    assert history.accuracy[0] == pytest.approx(before[1])
    assert network.cost(X, y) < before[0]


def test_early_stopping_stops_and_restores_the_best_weights(digits) -> None:
    X, y = _small_digits(digits, 300)
    network = Network([Layer(64, "input"), Layer(64, "relu"), Layer(10, "softmax")], seed=0)
    # A tiny validation set and a large learning rate make the validation loss noisy.
    history = network.fit(
        X[:200], y[:200], epochs=300, learning_rate=0.05, optimizer="adam", seed=0,
        validation_data=(X[200:], y[200:]), patience=5,
    )  # fmt: skip
    assert history.stopped_early
    assert len(history) < 300
    best = history.best_epoch
    assert best is not None and len(history) == best + 5
    assert network.cost(X[200:], y[200:]) == pytest.approx(history.val_loss[best - 1])
    assert min(history.val_loss) == history.val_loss[best - 1]


def test_callback_and_stop_end_training_between_epochs(digits) -> None:
    X, y = _small_digits(digits, 100)
    network = Network([Layer(64, "input"), Layer(10, "softmax")], seed=0)
    seen = []
    history = network.fit(X, y, epochs=50, callback=lambda r: seen.append(r.epoch) or r.epoch < 3)
    assert seen == [1, 2, 3] and len(history) == 3

    run = network.train(X, y, epochs=50)
    for report in run:
        if report.epoch == 2:
            run.stop()
    assert len(run.history) == 2


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_learning_rate_1000_diverges_with_a_clear_error_and_keeps_good_weights(
    digits, dtype: str
) -> None:
    X, y = _small_digits(digits, 200)
    network = Network(
        [Layer(64, "input"), Layer(32, "relu"), Layer(10, "softmax")], seed=0, dtype=dtype
    )
    good = [network.get_params()]
    with pytest.raises(TrainingDiverged) as caught:
        for _ in network.train(X, y, epochs=100, learning_rate=1000, optimizer="adam", seed=0):
            good.append(network.get_params())
    error = caught.value
    assert "learning_rate=1000" in str(error) and f"epoch {error.epoch}" in str(error)
    assert error.epoch == len(good)
    np.testing.assert_array_equal(network.get_params(), good[-1])
    assert np.all(np.isfinite(network.predict_proba(X)))


def test_a_nan_loss_is_divergence_too() -> None:
    # A linear regression with a huge step overflows to inf and then NaN.
    X = np.linspace(-1, 1, 20).reshape(-1, 1)
    network = Network([Layer(1, "input"), Layer(1, "linear")], loss="mse", seed=0)
    before = network.get_params()
    with pytest.raises(TrainingDiverged, match=r"epoch 1: the loss became (nan|inf)"):
        network.fit(X, 3 * X[:, 0], epochs=5, learning_rate=1e200, batch_size=20)
    np.testing.assert_array_equal(network.get_params(), before)


def test_an_ordinary_run_never_trips_the_divergence_limit(digits) -> None:
    X, y = _small_digits(digits)
    network = Network([Layer(64, "input"), Layer(32, "sigmoid"), Layer(10, "softmax")], seed=0)
    history = network.fit(X, y, epochs=30, learning_rate=2.0, batch_size=0.1, seed=0)
    assert len(history) == 30


def test_metrics(digits) -> None:
    X, y = _small_digits(digits, 200)
    network = Network([Layer(64, "input"), Layer(32, "relu"), Layer(10, "softmax")], seed=0)
    network.fit(X, y, epochs=20, optimizer="adam", learning_rate=0.01, seed=0)
    matrix = network.confusion_matrix(X, y)
    assert matrix.shape == (10, 10) and matrix.sum() == 200
    assert np.trace(matrix) / 200 == pytest.approx(network.accuracy(X, y))
    np.testing.assert_allclose(network.predict_proba(X).sum(axis=1), 1.0)
    assert network.predict(X).dtype == np.int64


def test_weights_that_only_decay_are_flushed_before_they_turn_subnormal(digits) -> None:
    # Pixel 0 is always blank in load_digits, so its weights feel only the L2 decay.
    X, y = _small_digits(digits, 200)
    network = Network([Layer(64, "input"), Layer(16, "relu"), Layer(10, "softmax")],
                      seed=0, dtype="float32")  # fmt: skip
    network.fit(
        X, y, epochs=150, batch_size=8, optimizer="adam", learning_rate=1e-3, l2=1e-4, seed=0
    )  # fmt: skip  (seeded: between flushes a stray weight may dip below)
    params = network.get_params()  # without flushing: about 180 of 1,210 are subnormal
    subnormal = (np.abs(params) < np.finfo(np.float32).tiny) & (params != 0)
    assert subnormal.sum() <= 0.001 * params.size


def test_float32_network_trains_like_float64(digits) -> None:
    X, y = _small_digits(digits)
    results = {}
    for dtype in ("float64", "float32"):
        network = Network(
            [Layer(64, "input"), Layer(32, "relu"), Layer(10, "softmax")], seed=0, dtype=dtype
        )
        network.fit(X, y, epochs=10, optimizer="adam", learning_rate=0.01, seed=0)
        assert network.forward(X).dtype == np.dtype(dtype)
        results[dtype] = network.accuracy(X, y)
    assert abs(results["float64"] - results["float32"]) < 0.02


def test_stop_inside_an_epoch_keeps_the_last_completed_epochs_weights() -> None:
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(400, 4)), rng.integers(0, 3, 400)
    network = Network([Layer(4, "input"), Layer(8, "relu"), Layer(3, "softmax")], seed=1)
    steps = 0
    run = None

    def between_batches() -> None:
        nonlocal steps
        steps += 1
        if steps == 13 + 5:  # epoch 1 has 13 batches of 32; stop in the middle of epoch 2
            run.stop()

    run = network.train(X, y, epochs=5, batch_size=32, optimizer="adam",
                        learning_rate=0.01, seed=2, between_batches=between_batches)  # fmt: skip
    after_epoch_1 = None
    for report in run:
        after_epoch_1 = network.get_params()
        assert report.epoch == 1
    assert len(run.history) == 1 and run.stopped
    np.testing.assert_array_equal(network.get_params(), after_epoch_1)


def test_a_copy_has_its_own_metadata() -> None:
    network = Network([Layer(2, "input"), Layer(2, "softmax")], seed=0)
    network.metadata = {"training": {"accuracy": 0.9, "sources": ["a"]}}
    twin = network.copy()
    twin.metadata["training"]["accuracy"] = 0.5
    twin.metadata["training"]["sources"].append("b")
    assert network.metadata == {"training": {"accuracy": 0.9, "sources": ["a"]}}


def test_calibration_error_weighs_each_bins_gap_by_its_share() -> None:
    from nncore import calibration_error

    # Four rows at 0.95 confidence, 3 right; two rows at 0.55, 1 right.
    probabilities = np.array([[0.95, 0.05]] * 4 + [[0.55, 0.45]] * 2)
    labels = np.array([0, 0, 0, 1, 0, 1])
    error, table = calibration_error(probabilities, labels)
    assert error == pytest.approx(4 / 6 * abs(0.95 - 0.75) + 2 / 6 * abs(0.55 - 0.5))
    assert table == [(0.5, pytest.approx(0.55), 0.5, 2), (0.9, pytest.approx(0.95), 0.75, 4)]
    sure = np.eye(3)[[0, 1, 2]]  # certain and right: perfectly calibrated, in the top bin
    assert calibration_error(sure, np.array([0, 1, 2]))[0] == 0.0
    with pytest.raises(ValueError, match="need probabilities"):
        calibration_error(np.ones(3), np.ones(3))
