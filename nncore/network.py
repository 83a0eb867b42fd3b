"""A fully connected feed-forward network trained by mini-batch backpropagation.

Rows are samples: ``X`` is (n_samples, n_inputs), outputs are (n_samples, n_outputs).
All weights and biases live in one flat vector (weights first, then biases), and the
per-layer matrices are views into it, so optimizers update everything in a few
vectorised operations and a snapshot of the whole network is one ``copy()``.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from nncore.activations import get_activation
from nncore.errors import ModelFileError
from nncore.fitting import FitMixin
from nncore.initializers import INITIALIZERS
from nncore.layer import Layer
from nncore.losses import FUSED_OUTPUT_GRADIENTS, get_loss
from nncore.metrics import accuracy_score, confusion_matrix
from nncore.reductions import column_sums
from nncore.serialization import read_model, write_model
from nncore.validation import check_features, check_targets, lookup

# Output activations whose outputs are class scores, so accuracy is meaningful.
CLASSIFIER_OUTPUTS = ("softmax", "sigmoid")
# float64 is exact enough for finite-difference checks; float32 trains about twice as fast.
DTYPES = {"float64": np.float64, "float32": np.float32}


class Network(FitMixin):
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
        self._allocate(layers, loss, dtype)
        self.initialize(seed)

    def _allocate(self, layers: Sequence[Layer], loss: str, dtype: str) -> None:
        """Check the structure and make the (zero) parameter and gradient vectors."""
        self.layers = _check_layers(layers)
        self.dtype = np.dtype(lookup(DTYPES, dtype, "dtype"))
        self._loss = get_loss(loss)
        self.loss = self._loss.name
        self._activations = [get_activation(layer.activation) for layer in self.layers[1:]]
        self._fused_gradient = FUSED_OUTPUT_GRADIENTS.get((self.layers[-1].activation, self.loss))
        self.metadata: dict[str, Any] = {}

        shapes = [(a.size, b.size) for a, b in itertools.pairwise(self.layers)]
        n_weights = sum(n_in * n_out for n_in, n_out in shapes)
        n_biases = sum(n_out for _, n_out in shapes)
        self._params = np.zeros(n_weights + n_biases, dtype=self.dtype)
        self._grads = np.zeros(len(self._params), self.dtype)  # not zeros_like: lazy pages
        self._n_weights = n_weights
        self.weights = _views(self._params, shapes, 0)
        self.biases = _views(self._params, [(n,) for _, n in shapes], n_weights)
        self._weight_grads = _views(self._grads, shapes, 0)
        self._bias_grads = _views(self._grads, [(n,) for _, n in shapes], n_weights)

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

    @property
    def params(self) -> np.ndarray:
        """Every weight and bias as one flat vector (weights first): the live array.

        Optimizers update it in place; ``weights`` and ``biases`` are views into it.
        """
        return self._params

    @property
    def grads(self) -> np.ndarray:
        """The gradient vector :meth:`backprop` fills, laid out like :attr:`params`.

        An optimizer step may use it as scratch space (see :class:`Optimizer`): read it
        after ``backprop``, before the step.
        """
        return self._grads

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
        twin = _holding(self.layers, self.loss, self.dtype.name, [self._params])
        twin.metadata = copy.deepcopy(self.metadata)  # the twin's history is its own
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
        return self.labels(self.forward(X))

    def cost(self, X: np.ndarray, y: np.ndarray) -> float:
        """Mean loss per sample on ``X`` with targets ``y`` (one-hot or integer labels)."""
        return self.evaluate(*self.dataset(X, y))[0]

    def accuracy(self, X: np.ndarray, y: np.ndarray) -> float:
        """Fraction of samples whose predicted class is the target class."""
        X, Y = self.dataset(X, y)
        return accuracy_score(self.labels(Y), self.predict(X))

    def confusion_matrix(self, X: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Counts (n_classes, n_classes): row = true class, column = predicted class."""
        X, Y = self.dataset(X, y)
        n_classes = max(self.n_outputs, 2)
        return confusion_matrix(self.labels(Y), self.predict(X), n_classes)

    # -- looking inside ----------------------------------------------------------------

    def layer_outputs(self, X: np.ndarray) -> list[np.ndarray]:
        """Every layer's outputs for ``X``: [X, A_1, ..., A_L], each (n_samples, size_l)."""
        return [A.copy() for A in self._forward(self._features(X))]

    def output_gradients(self, X: np.ndarray, output: int) -> list[np.ndarray]:
        """d(outputs[:, output]) / d(A_l) for the input and every hidden layer.

        Returns [dX, dA_1, ..., dA_{L-1}], each (n_samples, size_l): how much each input
        and each hidden unit's output would move output unit ``output`` (for a softmax
        network, the probability of that class). Times the layer's outputs, it is the
        "gradient x input" attribution: each unit's signed push toward that output.
        """
        if not isinstance(output, int | np.integer) or not 0 <= output < self.n_outputs:
            raise ValueError(f"output must be an int in 0..{self.n_outputs - 1}, got {output!r}")
        A = self._forward(self._features(X))
        seed = np.zeros_like(A[-1])
        seed[:, output] = 1.0
        delta = self._activations[-1].backward(A[-1], seed)  # d out / d Z_L
        gradients = []
        for i in range(len(self.weights) - 1, -1, -1):
            dA = delta @ self.weights[i].T  # d out / d A_i
            gradients.append(dA)
            if i > 0:
                delta = self._activations[i - 1].backward(A[i], dA.copy())
        return gradients[::-1]

    # -- persistence -----------------------------------------------------------------

    def save(self, path: str | Path) -> None:
        """Write the network to one ``.npz`` file (atomically: temporary file, then rename).

        The file holds the layers, loss, dtype and :attr:`metadata` (plain JSON data) in a
        header, and the weights and biases as arrays.
        """
        write_model(path, self.layers, self.loss, self.dtype.name, self.metadata,
                    list(zip(self.weights, self.biases, strict=True)))  # fmt: skip

    @classmethod
    def load(cls, path: str | Path) -> Network:
        """Read a network written by :meth:`save`; raises :class:`ModelFileError` if unusable."""
        model = read_model(path)
        arrays = [array for pair in model.arrays for array in pair]
        try:
            network = _holding(model.layers, model.loss, model.dtype, arrays)
        except ValueError as error:  # an unknown loss or dtype name in the header
            raise ModelFileError(f"cannot load model {str(path)!r}: {error}") from None
        network.metadata = model.metadata
        return network

    def __repr__(self) -> str:
        return f"Network({self.layers!r}, loss={self.loss!r}, dtype={self.dtype.name!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickle by value and rebuild: the weight matrices are views into one vector, and
        # pickling the views would break that link (e.g. sending a network to a process).
        state = (self.layers, self.loss, self.dtype.name, self._params, self.metadata)
        return (_rebuild, state)

    # -- numerics for training code (no argument checks: see ``dataset``) -------------

    def backprop(self, X: np.ndarray, Y: np.ndarray, l2: float = 0.0) -> np.ndarray:
        """Fill :attr:`grads` with d(mean loss + l2/2 * |W|^2)/d(params) on one batch.

        X (n, n_inputs) and Y (n, n_outputs) as :meth:`dataset` returns them. Returns the
        batch's outputs (n, n_outputs) before any update, so the caller can score them.
        """
        A = self._forward(X)
        if self._fused_gradient is not None:
            delta = self._fused_gradient(A[-1], Y)
        else:
            delta = self._activations[-1].backward(A[-1], self._loss.gradient(A[-1], Y))
        delta *= 1.0 / len(X)  # the cost is a mean over the batch
        weights, weight_grads, bias_grads = self.weights, self._weight_grads, self._bias_grads
        for i in range(len(weights) - 1, -1, -1):
            np.matmul(A[i].T, delta, out=weight_grads[i])
            column_sums(delta, out=bias_grads[i])
            if i > 0:
                delta = self._activations[i - 1].backward(A[i], delta @ weights[i].T)
        if l2:
            self._grads[: self._n_weights] += l2 * self._params[: self._n_weights]
        return A[-1]

    def evaluate(self, X: np.ndarray, Y: np.ndarray) -> tuple[float, float | None]:
        """Mean loss and (for classifiers) accuracy on checked arrays, one forward pass."""
        with np.errstate(all="ignore"):  # a diverged network yields NaN, which callers check
            return self.score(self._forward(X)[-1], Y)

    def score(self, outputs: np.ndarray, Y: np.ndarray) -> tuple[float, float | None]:
        """Mean loss and (for classifiers) accuracy of ``outputs`` against targets ``Y``."""
        # Sums over n, not np.mean: its Python wrapper costs 4 us a call, here every epoch.
        loss = float(self._loss.function(outputs, Y).sum()) / len(Y)
        if not self.is_classifier:
            return loss, None
        return loss, np.count_nonzero(self.labels(outputs) == self.labels(Y)) / len(Y)

    def labels(self, outputs: np.ndarray) -> np.ndarray:
        """Class index (n,) of outputs or one-hot rows (n, n_outputs)."""
        if outputs.shape[1] == 1:
            return (outputs[:, 0] > 0.5).astype(np.int64)
        # The method, not np.argmax: its wrapper costs 1 us, four times per epoch.
        return outputs.argmax(axis=1)

    def dataset(self, X: object, y: object, name: str = "X") -> tuple[np.ndarray, np.ndarray]:
        """Checked features (n, n_inputs) and float targets (n, n_outputs) in this dtype.

        ``y`` may be one-hot rows or integer labels; errors name the rule and the value.
        """
        X = self._features(X, name)
        return X, check_targets(y, len(X), self.n_outputs, self.dtype)

    def _forward(self, X: np.ndarray) -> list[np.ndarray]:
        """Activations A_l (n, size_l) of every layer, with A_0 = X."""
        activations = [X]
        for W, b, activation in zip(self.weights, self.biases, self._activations, strict=True):
            Z = activations[-1] @ W
            Z += b
            activations.append(activation.function(Z))  # computed in place in Z
        return activations

    def _features(self, X: object, name: str = "X") -> np.ndarray:
        return check_features(name, X, self.n_inputs, self.dtype)


def _rebuild(
    layers: list[Layer], loss: str, dtype: str, params: np.ndarray, metadata: dict[str, Any]
) -> Network:
    network = _holding(layers, loss, dtype, [params])
    network.metadata = metadata
    return network


def _holding(
    layers: Sequence[Layer], loss: str, dtype: str, params: Sequence[np.ndarray]
) -> Network:
    """A network holding ``params`` (flat, or W1, b1, W2, b2, ...), with no random draw.

    Loading a file or unpickling would otherwise draw a full set of random weights only
    to overwrite them: half the time of loading a large model.
    """
    network = Network.__new__(Network)
    network._allocate(layers, loss, dtype)
    targets = [network.params] if len(params) == 1 else [
        array for pair in zip(network.weights, network.biases, strict=True) for array in pair
    ]  # fmt: skip
    for target, values in zip(targets, params, strict=True):
        if target.shape != np.shape(values):
            raise ValueError(f"an array of shape {np.shape(values)} where {target.shape} belongs")
        target[...] = values
    return network


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
