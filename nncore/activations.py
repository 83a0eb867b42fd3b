"""Activation functions, each beside the backward rule that backpropagation needs.

Every entry maps pre-activations ``Z`` (n_samples, n_units) to activations ``A`` of the
same shape IN PLACE (``Z`` is overwritten and returned: a fresh large temporary costs
page faults that dwarf the arithmetic), and turns ``dL/dA`` into ``dL/dZ`` from ``A``
alone (overwriting ``dA``), which every activation here allows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from nncore.reductions import row_max, row_sums
from nncore.validation import lookup

Array = np.ndarray

LEAKY_SLOPE = 0.01


@dataclass(frozen=True)
class Activation:
    """A named activation.

    ``function(Z) -> A`` (may overwrite ``Z``); ``backward(A, dA) -> dZ`` (may overwrite
    ``dA``); ``init`` names the weight initialiser that keeps signals well scaled.
    """

    name: str
    function: Callable[[Array], Array]
    backward: Callable[[Array, Array], Array]
    init: str


def _elementwise(
    name: str,
    function: Callable[[Array], Array],
    derivative: Callable[[Array], Array],
    init: str,
) -> Activation:
    """An activation with a diagonal Jacobian: ``dZ = dA * f'`` with ``f'`` from ``A``."""

    def backward(A: Array, dA: Array) -> Array:
        dA *= derivative(A)
        return dA

    return Activation(name, function, backward, init)


def _sigmoid(Z: Array) -> Array:
    # The tanh form never evaluates exp(-z), so it cannot overflow for large negative z.
    Z *= 0.5
    np.tanh(Z, out=Z)
    Z += 1.0
    Z *= 0.5
    return Z


def _relu(Z: Array) -> Array:
    return np.maximum(Z, 0.0, out=Z)


def _leaky_relu(Z: Array) -> Array:
    # For a slope below 1, leaky_relu(z) = max(z, slope * z).
    return np.maximum(Z, LEAKY_SLOPE * Z, out=Z)


def _softmax(Z: Array) -> Array:
    # Subtracting the row maximum leaves the result unchanged and keeps exp() <= 1.
    Z -= row_max(Z)[:, np.newaxis]
    np.exp(Z, out=Z)
    Z /= row_sums(Z)[:, np.newaxis]
    return Z


def _softmax_backward(A: Array, dA: Array) -> Array:
    # The Jacobian of softmax is diag(a) - a a^T, so J^T dA = a * (dA - <dA, a>).
    dA -= row_sums(dA * A)[:, np.newaxis]
    dA *= A
    return dA


def _input_backward(A: Array, dA: Array) -> Array:
    raise TypeError("the input layer has no parameters and is never backpropagated through")


ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation("input", lambda Z: Z, _input_backward, "none"),
        _elementwise("sigmoid", _sigmoid, lambda A: A * (1.0 - A), "glorot"),
        Activation("softmax", _softmax, _softmax_backward, "glorot"),
        # relu and leaky_relu keep the sign of z, so A > 0 exactly where Z > 0.
        _elementwise("relu", _relu, lambda A: A > 0, "he"),
        _elementwise("leaky_relu", _leaky_relu, lambda A: np.where(A > 0, 1.0, LEAKY_SLOPE), "he"),
        _elementwise("tanh", lambda Z: np.tanh(Z, out=Z), lambda A: 1.0 - A * A, "glorot"),
        _elementwise("linear", lambda Z: Z, lambda A: np.ones_like(A), "glorot"),
    )
}


def get_activation(name: str) -> Activation:
    """Return the activation called ``name``; ``ValueError`` lists the valid names."""
    return lookup(ACTIVATIONS, name, "activation")
