"""A fully connected feed-forward network trained by mini-batch backpropagation.

Rows are samples: ``X`` is (n_samples, n_inputs), outputs are (n_samples, n_outputs).
All weights and biases live in one flat vector (weights first, then biases), and the
per-layer matrices are views into it, so optimizers update everything in a few
vectorised operations and a snapshot of the whole network is one ``copy()``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from nncore.activations import get_activation
from nncore.history import EpochReport, History
from nncore.initializers import INITIALIZERS
from nncore.layer import Layer
from nncore.losses import FUSED_OUTPUT_GRADIENTS, get_loss
from nncore.metrics import accuracy_score, confusion_matrix
from nncore.optimizers import Optimizer, make_optimizer
from nncore.training import TrainingRun, resolve_batch_size
from nncore.validation import as_features, check_non_negative, lookup

# Output activations whose outputs are class scores, so accuracy is meaningful.
CLASSIFIER_OUTPUTS = ("softmax", "sigmoid")
# float64 is exact enough for finite-difference checks; float32 trains about twice as fast.
DTYPES = {"float64": np.float64, "float32": np.float32}


class Network:
    """A stack of :class:`Layer` objects; the first must be ``Layer(n, activation="input")``.

    ``seed`` (an int or ``np.random.Generator``) draws the initial weights; the same seed
    gives the same network. ``dtype`` ("float64" or "float32") is the precision of the
    weights and of all arithmetic in training and inference.
    """

    def __init__(
        self,
        layers: Sequence[Layer],
        loss: str = "categorical_crossentropy",
        seed: int | np.random.Generator | None = None,
        dtype: str = "float64",
    ) -> None:
        self.layers = _check_layers(layers)
        self.dtype = np.dtype(lookup(DTYPES, dtype, "dtype"))
        self.loss = get_loss(loss).name
        self._loss = get_loss(loss)
        self._activations = [get_activation(layer.activation) for layer in self.layers[1:]]
        self._fused_gradient = FUSED_OUTPUT_GRADIENTS.get((self.layers[-1].activation, self.loss))
        self.metadata: dict[str, Any] = {}

        shapes = [(a.size, b.size) for a, b in itertools.pairwise(self.layers)]
        n_weights = sum(n_in * n_out for n_in, n_out in shapes)
        n_biases = sum(n_out for _, n_out in shapes)
        self._params = np.zeros(n_weights + n_biases, dtype=self.dtype)
        self._grads = np.zeros_like(self._params)
        self._n_weights = n_weights
        self.weights = _views(self._params, shapes, 0)
        self.biases = _views(self._params, [(n,) for _, n in shapes], n_weights)
        self._weight_grads = _views(self._grads, shapes, 0)
        self._bias_grads = _views(self._grads, [(n,) for _, n in shapes], n_weights)
        self.initialize(seed)

    # -- structure -------------------------------------------------------------------

    @property
    def n_inputs(self) -> int:
        """Number of input features."""
        return self.layers[0].size

    @property
    def n_outputs(self) -> int:
        """Number of output units."""
        return self.layers[-1].size

    @property
    def is_classifier(self) -> bool:
        """True when the outputs are class scores (softmax or sigmoid output layer)."""
        return self.layers[-1].activation in CLASSIFIER_OUTPUTS

    def initialize(self, seed: int | np.random.Generator | None = None) -> None:
        """Draw fresh weights (by each layer's activation) and zero the biases."""
        rng = np.random.default_rng(seed)
        for W, b, activation in zip(self.weights, self.biases, self._activations, strict=True):
            W[...] = INITIALIZERS[activation.init](W.shape[0], W.shape[1], rng)  # cast to dtype
            b[...] = 0.0

    def get_params(self) -> np.ndarray:
        """A copy of every weight and bias as one flat vector."""
        return self._params.copy()

    def set_params(self, params: np.ndarray) -> None:
        """Restore a vector from :meth:`get_params` (same architecture)."""
        params = np.asarray(params, dtype=self.dtype)
        if params.shape != self._params.shape:
            raise ValueError(f"params must have shape {self._params.shape}, got {params.shape}")
        self._params[...] = params

    def copy(self) -> Network:
        """An independent network with the same layers, loss, weights and metadata."""
        twin = Network(self.layers, self.loss, seed=0, dtype=self.dtype.name)
        twin.set_params(self._params)
        twin.metadata = dict(self.metadata)
        return twin

    # -- inference -------------------------------------------------------------------

    def forward(self, X: np.ndarray) -> np.ndarray:
        """Outputs (n_samples, n_outputs) for inputs ``X`` (n_samples, n_inputs)."""
        return self._forward(self._features(X))[-1]

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """Class scores (n_samples, n_outputs); rows sum to 1 for a softmax output."""
        return self.forward(X)

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Predicted class index (n_samples,) of int64."""
        return self._labels_from_outputs(self.forward(X))

    def cost(self, X: np.ndarray, y: np.ndarray) -> float:
        """Mean loss per sample on ``X`` with targets ``y`` (one-hot or integer labels)."""
        X, Y = self._dataset(X, y)
        return self._cost(X, Y)

    def accuracy(self, X: np.ndarray, y: np.ndarray) -> float:
        """Fraction of samples whose predicted class is the target class."""
        X, Y = self._dataset(X, y)
        return accuracy_score(self._labels_from_outputs(Y), self.predict(X))

    def confusion_matrix(self, X: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Counts (n_classes, n_classes): row = true class, column = predicted class."""
        X, Y = self._dataset(X, y)
        n_classes = max(self.n_outputs, 2)
        return confusion_matrix(self._labels_from_outputs(Y), self.predict(X), n_classes)

    # -- training --------------------------------------------------------------------

    def train(self, X: np.ndarray, y: np.ndarray, **options: Any) -> TrainingRun:
        """A :class:`TrainingRun`: iterate it for one :class:`EpochReport` per epoch.

        Takes the same keywords as :meth:`fit`. Arguments are checked now; training
        happens as the run is iterated, so a caller (a GUI worker) can stop between epochs.
        """
        return TrainingRun(self, X, y, **options)

    def fit(
        self,
        X: np.ndarray,
        y: np.ndarray,
        *,
        callback: Callable[[EpochReport], bool | None] | None = None,
        **options: Any,
    ) -> History:
        """Train on ``X`` (n_samples, n_inputs) and targets ``y``; return the history.

        ``y`` is one-hot (n_samples, n_outputs) or integer labels (n_samples,). The
        options are those of :class:`TrainingRun`: ``epochs`` (full shuffled passes),
        ``learning_rate``, ``batch_size`` (samples, or a fraction in (0, 1]),
        ``optimizer`` ("sgd", "momentum", "nesterov", "adam" or an :class:`Optimizer`),
        ``seed``, ``l2``, ``validation_data`` or ``validation_split``, ``patience``,
        ``min_delta`` and ``restore_best_weights``. ``callback`` is called with each
        :class:`EpochReport`; returning ``False`` stops training.

        Raises
        ------
        TrainingDiverged : the loss became NaN, infinite or exploded (the last good
            weights stay).
        """
        run = self.train(X, y, **options)
        for report in run:
            if callback is not None and callback(report) is False:
                run.stop()
        return run.history

    def epoch(
        self,
        X: np.ndarray,
        y: np.ndarray,
        learning_rate: float = 0.1,
        batch_size: int | float = 32,
        optimizer: str | Optimizer = "sgd",
        l2: float = 0.0,
        seed: int | np.random.Generator | None = None,
    ) -> float:
        """Run one epoch (one shuffled pass over all of ``X``); return its mean training loss.

        The loss is averaged over the epoch's mini-batches, each scored before its update.
        Pass an :class:`Optimizer` object to keep its state (momentum, Adam moments)
        from one call to the next.
        """
        X, Y = self._dataset(X, y)
        optimizer = make_optimizer(optimizer, learning_rate)
        loss, _ = self._run_epoch(
            X, Y, resolve_batch_size(batch_size, len(X)), optimizer,
            np.random.default_rng(seed), check_non_negative("l2", l2),
        )  # fmt: skip
        return loss

    # -- persistence -----------------------------------------------------------------

    def save(self, path: str | Path) -> None:
        """Write the network to one ``.npz`` file (atomically: temporary file, then rename)."""
        from nncore.serialization import save_network

        save_network(self, path)

    @classmethod
    def load(cls, path: str | Path) -> Network:
        """Read a network written by :meth:`save`; raises :class:`ModelFileError` if unusable."""
        from nncore.serialization import load_network

        return load_network(path)

    def __repr__(self) -> str:
        return f"Network({self.layers!r}, loss={self.loss!r}, dtype={self.dtype.name!r})"

    # -- numerics (internal; no argument checks) ------------------------------------

    def _forward(self, X: np.ndarray) -> list[np.ndarray]:
        """Activations A_l (n, size_l) of every layer, with A_0 = X."""
        activations = [X]
        for W, b, activation in zip(self.weights, self.biases, self._activations, strict=True):
            Z = activations[-1] @ W
            Z += b
            activations.append(activation.function(Z))  # computed in place in Z
        return activations

    def _backprop(self, X: np.ndarray, Y: np.ndarray, l2: float) -> np.ndarray:
        """Fill the gradient vector with d(mean loss + l2/2 * |W|^2)/d(params) on one batch.

        Returns the batch's outputs (n, n_outputs) before the update, for the epoch's loss.
        """
        A = self._forward(X)
        if self._fused_gradient is not None:
            delta = self._fused_gradient(A[-1], Y)
        else:
            delta = self._activations[-1].backward(A[-1], self._loss.gradient(A[-1], Y))
        delta /= len(X)  # the cost is a mean over the batch
        for i in range(len(self.weights) - 1, -1, -1):
            np.matmul(A[i].T, delta, out=self._weight_grads[i])
            np.sum(delta, axis=0, out=self._bias_grads[i])
            if i > 0:
                delta = self._activations[i - 1].backward(A[i], delta @ self.weights[i].T)
        if l2:
            self._grads[: self._n_weights] += l2 * self._params[: self._n_weights]
        return A[-1]

    def _run_epoch(
        self,
        X: np.ndarray,
        Y: np.ndarray,
        batch_size: int,
        optimizer: Optimizer,
        rng: np.random.Generator,
        l2: float,
    ) -> tuple[float, float | None]:
        """One shuffled pass; returns the mean loss and accuracy over its mini-batches.

        As in Keras and scikit-learn, each batch is scored with the weights it was given
        (before its update); this costs nothing extra, where a second full pass would.
        """
        order = rng.permutation(len(X))
        X, Y = X[order], Y[order]  # one gather per epoch; batches are then cheap slices
        batch_outputs = []
        # Divergence shows up as a non-finite or exploding loss (checked by the caller),
        # so floating-point warnings on the way there are noise.
        with np.errstate(all="ignore"):
            for start in range(0, len(X), batch_size):
                batch = slice(start, start + batch_size)
                batch_outputs.append(self._backprop(X[batch], Y[batch], l2))
                optimizer.step(self._params, self._grads)
            # Scoring all batches at once costs one vectorised pass instead of one per batch.
            return self._score(np.concatenate(batch_outputs), Y)

    def _cost(self, X: np.ndarray, Y: np.ndarray) -> float:
        return self._evaluate(X, Y)[0]

    def _evaluate(self, X: np.ndarray, Y: np.ndarray) -> tuple[float, float | None]:
        """Mean loss and (for classifiers) accuracy, from one forward pass."""
        with np.errstate(all="ignore"):  # a diverged network yields NaN, which callers check
            return self._score(self._forward(X)[-1], Y)

    def _score(self, outputs: np.ndarray, Y: np.ndarray) -> tuple[float, float | None]:
        """Mean loss and (for classifiers) accuracy of ``outputs`` against targets ``Y``."""
        loss = float(np.mean(self._loss.function(outputs, Y)))
        if not self.is_classifier:
            return loss, None
        predicted = self._labels_from_outputs(outputs)
        return loss, float(np.mean(predicted == self._labels_from_outputs(Y)))

    def _labels_from_outputs(self, outputs: np.ndarray) -> np.ndarray:
        if outputs.shape[1] == 1:
            return (outputs[:, 0] > 0.5).astype(np.int64)
        return np.argmax(outputs, axis=1)

    # -- argument checks -------------------------------------------------------------

    def _features(self, X: object, name: str = "X") -> np.ndarray:
        X = as_features(name, X)
        if X.shape[1] != self.n_inputs:
            raise ValueError(
                f"{name} must have {self.n_inputs} features (columns) for this network, "
                f"got {X.shape[1]}"
            )
        return X.astype(self.dtype, copy=False)

    def _dataset(self, X: object, y: object, name: str = "X") -> tuple[np.ndarray, np.ndarray]:
        """Checked features and float targets (n_samples, n_outputs)."""
        X = self._features(X, name)
        return X, self._targets(y, len(X))

    def _targets(self, y: object, n_samples: int) -> np.ndarray:
        y = np.asarray(y)
        if y.ndim not in (1, 2) or not (np.issubdtype(y.dtype, np.number) or y.dtype == bool):
            raise ValueError(
                f"y must be integer labels (n_samples,) or one-hot rows (n_samples, "
                f"{self.n_outputs}), got an array of shape {y.shape} and type {y.dtype}"
            )
        if len(y) != n_samples:
            raise ValueError(
                f"X and y must have the same number of samples, got {n_samples} and {len(y)}"
            )
        if y.ndim == 1 and self.n_outputs > 1:
            if not np.issubdtype(y.dtype, np.integer) or y.min() < 0 or y.max() >= self.n_outputs:
                raise ValueError(
                    f"integer labels y must lie in 0..{self.n_outputs - 1} "
                    f"(or pass one-hot rows), got values of type {y.dtype} in "
                    f"{y.min()}..{y.max()}"
                )
            return np.eye(self.n_outputs, dtype=self.dtype)[y]
        Y = y.reshape(-1, 1) if y.ndim == 1 else y
        if Y.ndim != 2 or Y.shape[1] != self.n_outputs:
            raise ValueError(
                f"y must have shape ({n_samples}, {self.n_outputs}) or ({n_samples},), "
                f"got {y.shape}"
            )
        Y = Y.astype(self.dtype)
        if not np.all(np.isfinite(Y)):
            raise ValueError("y must not contain NaN or infinity")
        return Y


def _check_layers(layers: Sequence[Layer]) -> list[Layer]:
    layers = list(layers)
    if len(layers) < 2:
        raise ValueError(
            f"a network needs an input layer and at least one more layer, got {len(layers)} layers"
        )
    for position, layer in enumerate(layers):
        if not isinstance(layer, Layer):
            raise ValueError(f"layers[{position}] must be a Layer, got {layer!r}")
    if layers[0].activation != "input":
        raise ValueError(
            "the first layer is the input layer and must be "
            f"Layer({layers[0].size}, activation='input'), got {layers[0]!r}"
        )
    for position, layer in enumerate(layers[1:], start=1):
        if layer.activation == "input":
            raise ValueError(f"only the first layer can be an input layer, got one at {position}")
    return layers


def _views(buffer: np.ndarray, shapes: Sequence[tuple[int, ...]], offset: int) -> list[np.ndarray]:
    views = []
    for shape in shapes:
        size = int(np.prod(shape))
        views.append(buffer[offset : offset + size].reshape(shape))
        offset += size
    return views
