"""Training speed and accuracy: nncore against scikit-learn's MLPClassifier, same run.

Both train 64-128-10 (ReLU, softmax) with Adam (lr 1e-3), batch 32, no L2 and no early
stopping, on the SAME stratified split of ``load_digits`` (features / 16), in runs that
alternate in one process so machine noise hits both alike. Reported per dtype:

- ms per epoch: wall time of a whole fixed-length fit divided by its epochs;
- time to 97 %: training time until the test accuracy first reaches 97 % (the time spent
  measuring the test accuracy after each epoch is excluded for both);
- final test accuracy after the fixed number of epochs.

A third row per dtype, "straight line", is the floor for NumPy code: the same epoch
(shuffle, 45 steps of the same maths, Adam, the epoch's loss and accuracy) written out
for this one network, with no layer loop, no checks, no stop requests and no divergence
probe. It trains to the same accuracy as nncore (same seed, same arithmetic); its speed
is what any NumPy-only library could hope for here, so its ratio bounds nncore's.

Usage: python tests/bench/train_speed.py [--epochs 40] [--repeats 3]
"""

from __future__ import annotations

import argparse
import math
import statistics
import time
import warnings

import numpy as np
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

from nncore import Layer, Network, train_test_split
from nncore.optimizers import FLUSH_EVERY, flush_subnormals

TARGET = 0.97
LEARNING_RATE = 1e-3


def network(seed: int, dtype: str) -> Network:
    layers = [Layer(64, "input"), Layer(128, "relu"), Layer(10, "softmax")]
    return Network(layers, seed=seed, dtype=dtype)


def nncore_run(data, epochs: int, seed: int, dtype: str) -> tuple[float, float | None, float]:
    X_train, X_test, y_train, y_test = data
    options = {"learning_rate": LEARNING_RATE, "batch_size": 32, "optimizer": "adam", "seed": seed}
    timed = network(seed, dtype)
    started = time.perf_counter()
    timed.fit(X_train, y_train, epochs=epochs, **options)
    per_epoch = (time.perf_counter() - started) / epochs

    net, training_time, reached = network(seed, dtype), 0.0, None
    started = time.perf_counter()
    for _report in net.train(X_train, y_train, epochs=epochs, **options):
        training_time += time.perf_counter() - started
        if reached is None and net.accuracy(X_test, y_test) >= TARGET:
            reached = training_time
        started = time.perf_counter()
    return per_epoch, reached, timed.accuracy(X_test, y_test)


class StraightLine:
    """64-128-10 ReLU/softmax with Adam, every step written out: the NumPy floor.

    Starts from ``network``'s initial weights and does nncore's arithmetic in nncore's
    order (so it ends with the same weights), minus everything general around it.
    """

    def __init__(self, network: Network) -> None:
        self.dtype = network.dtype
        W1, W2 = (W.copy() for W in network.weights)
        b1, b2 = (b.copy() for b in network.biases)
        self.params = np.concatenate([W1.ravel(), W2.ravel(), b1, b2])
        self.grads = np.zeros_like(self.params)
        self.M, self.V = np.zeros_like(self.params), np.zeros_like(self.params)
        self.W1, self.W2, self.b1, self.b2 = self._views(self.params)
        self.gW1, self.gW2, self.gb1, self.gb2 = self._views(self.grads)
        self.steps = 0

    @staticmethod
    def _views(flat: np.ndarray) -> tuple[np.ndarray, ...]:
        W1 = flat[: 64 * 128].reshape(64, 128)
        W2 = flat[64 * 128 : 64 * 128 + 1280].reshape(128, 10)
        return W1, W2, flat[9472:9600], flat[9600:]

    def epoch(self, X: np.ndarray, Y: np.ndarray, rng: np.random.Generator) -> tuple[float, float]:
        order = rng.permutation(len(X))
        X, Y = X[order], Y[order]
        outputs = []
        ones_10, ones_32 = np.ones(10, self.dtype), np.ones(32, self.dtype)
        for start in range(0, len(X), 32):
            x, y = X[start : start + 32], Y[start : start + 32]
            ones = ones_32[: len(x)]
            A1 = x @ self.W1
            A1 += self.b1
            np.maximum(A1, 0.0, out=A1)
            A2 = A1 @ self.W2
            A2 += self.b2
            A2 -= np.ascontiguousarray(A2.T).max(axis=0)[:, np.newaxis]
            np.exp(A2, out=A2)
            A2 /= (A2 @ ones_10)[:, np.newaxis]
            outputs.append(A2)
            delta = A2 - y
            delta *= 1.0 / len(x)
            np.matmul(A1.T, delta, out=self.gW2)
            np.dot(ones, delta, out=self.gb2)
            delta = delta @ self.W2.T
            delta *= A1 > 0
            np.matmul(x.T, delta, out=self.gW1)
            np.dot(ones, delta, out=self.gb1)
            self._adam()
        A = np.clip(np.concatenate(outputs), np.finfo(self.dtype).eps, 1.0)
        loss = -float(((Y * np.log(A)) @ ones_10).sum()) / len(Y)
        return loss, np.count_nonzero(A.argmax(axis=1) == Y.argmax(axis=1)) / len(Y)

    def _adam(self) -> None:
        self.steps += 1
        lr, t = LEARNING_RATE, self.steps
        b1, b2, eps = 0.9, 0.999, 1e-8  # nncore's (and scikit-learn's) Adam defaults
        M, V, G = self.M, self.V, self.grads
        M *= b1
        M += G
        np.square(G, out=G)
        V *= b2
        V += G
        root = math.sqrt((1.0 - b2) / (1.0 - b2**t))
        np.sqrt(V, out=G)
        G += eps / root
        np.divide(M, G, out=G)
        G *= lr * (1.0 - b1) / (1.0 - b1**t) / root
        self.params -= G
        if t % FLUSH_EVERY == 0:  # as nncore: subnormal numbers would slow every later step
            for array in (self.params, M, V):
                flush_subnormals(array)

    def predict(self, X: np.ndarray) -> np.ndarray:
        A1 = np.maximum(X @ self.W1 + self.b1, 0.0)
        return np.argmax(A1 @ self.W2 + self.b2, axis=1)


def straight_line_run(
    data, epochs: int, seed: int, dtype: str
) -> tuple[float, float | None, float]:
    X_train, X_test, y_train, y_test = data
    net = network(seed, dtype)
    X, Y = net.dataset(X_train, y_train)
    X_test = X_test.astype(dtype)

    def timed_epochs(check: bool) -> tuple[float, float | None, float]:
        model, rng = StraightLine(net), np.random.default_rng(seed)
        training_time, reached = 0.0, None
        for _ in range(epochs):
            started = time.perf_counter()
            model.epoch(X, Y, rng)
            training_time += time.perf_counter() - started
            if check and reached is None and np.mean(model.predict(X_test) == y_test) >= TARGET:
                reached = training_time
        return training_time, reached, float(np.mean(model.predict(X_test) == y_test))

    total, _, accuracy = timed_epochs(check=False)
    reached = timed_epochs(check=True)[1]
    return total / epochs, reached, accuracy


def sklearn_run(data, epochs: int, seed: int, dtype: str) -> tuple[float, float | None, float]:
    X_train, X_test, y_train, y_test = (a.astype(dtype) if a.ndim == 2 else a for a in data)

    def classifier(max_iter: int) -> MLPClassifier:
        return MLPClassifier(
            hidden_layer_sizes=(128,), activation="relu", solver="adam", alpha=0.0,
            learning_rate_init=LEARNING_RATE, batch_size=32, max_iter=max_iter, shuffle=True,
            random_state=seed, tol=0.0, n_iter_no_change=10**9, early_stopping=False,
        )  # fmt: skip

    timed = classifier(epochs)
    started = time.perf_counter()
    timed.fit(X_train, y_train)
    per_epoch = (time.perf_counter() - started) / epochs

    model, training_time, reached = classifier(1), 0.0, None
    classes = np.arange(10)
    for _ in range(epochs):
        started = time.perf_counter()
        model.partial_fit(X_train, y_train, classes=classes)
        training_time += time.perf_counter() - started
        if reached is None and model.score(X_test, y_test) >= TARGET:
            reached = training_time
    return per_epoch, reached, timed.score(X_test, y_test)


RUNS = (("nncore", nncore_run), ("straight line", straight_line_run), ("scikit-learn", sklearn_run))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    warnings.simplefilter("ignore", ConvergenceWarning)

    digits = load_digits()
    results: dict[tuple[str, str], list[tuple[float, float | None, float]]] = {}
    for repeat in range(args.repeats):
        data = train_test_split(
            digits.data / 16.0, digits.target, 0.8, stratify=digits.target, seed=repeat
        )
        for dtype in ("float64", "float32"):
            for name, run in RUNS:
                results.setdefault((name, dtype), []).append(run(data, args.epochs, repeat, dtype))

    n_train, n_test = len(data[0]), len(data[1])
    print(f"64-128-10 ReLU/softmax, Adam lr 1e-3, batch 32, {args.epochs} epochs, "
          f"{args.repeats} seeded splits (medians; {n_train} train / {n_test} test)")  # fmt: skip
    header = f"{'library':<15}{'dtype':<9}{'ms/epoch':>9}{'to 97 %':>16}{'final acc':>11}"
    print(header)
    medians = {}
    for (name, dtype), rows in results.items():
        per_epoch = statistics.median(r[0] for r in rows) * 1e3
        # A split that never reaches the target within the epochs is left out of the median
        # and counted, so one hard split does not hide the other runs' times.
        reached_all = [r[1] for r in rows if r[1] is not None]
        reached = statistics.median(reached_all) if reached_all else None
        accuracy = statistics.median(r[2] for r in rows)
        medians[(name, dtype)] = (per_epoch, reached)
        shown = f"{reached:.3f} s" if reached is not None else "never"
        if reached_all and len(reached_all) < len(rows):
            shown = f"({len(reached_all)}/{len(rows)}) {shown}"
        print(f"{name:<15}{dtype:<9}{per_epoch:>9.2f}{shown:>16}{accuracy:>11.3f}")
    for dtype in ("float64", "float32"):
        ours, theirs = medians[("nncore", dtype)], medians[("scikit-learn", dtype)]
        line = f"{dtype}: nncore is {theirs[0] / ours[0]:.1f}x faster per epoch"
        if ours[1] and theirs[1]:
            line += f", {theirs[1] / ours[1]:.1f}x faster to 97 %"
        floor = medians[("straight line", dtype)][0]
        print(f"{line}; the straight line is {theirs[0] / floor:.1f}x "
              f"(nncore takes {ours[0] / floor - 1:.0%} longer than it)")  # fmt: skip


if __name__ == "__main__":
    main()
