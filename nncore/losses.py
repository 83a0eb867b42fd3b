"""Loss functions, each beside its gradient, plus fused output gradients.

Shapes: predictions ``A`` and targets ``Y`` are (n_samples, n_outputs). ``function``
returns the loss of each sample, shape (n_samples,); ``gradient`` returns dL/dA of each
sample. The network averages over samples, so costs are MEAN loss per sample.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from nncore.reductions import row_sums
from nncore.validation import lookup

Array = np.ndarray


@dataclass(frozen=True)
class Loss:
    """A named loss: ``function(A, Y) -> (n,)`` and ``gradient(A, Y) -> dL/dA``."""

    name: str
    function: Callable[[Array, Array], Array]
    gradient: Callable[[Array, Array], Array]


def _clipped(A: Array) -> Array:
    # log(0) is -inf: clip to [eps, 1 - eps], eps being the dtype's machine epsilon so
    # that 1 - eps is still below 1 in float32 as well as float64.
    eps = np.finfo(A.dtype).eps
    return np.clip(A, eps, 1.0 - eps)


def _mse(A: Array, Y: Array) -> Array:
    return row_sums((A - Y) ** 2) / A.shape[1]


def _binary_crossentropy(A: Array, Y: Array) -> Array:
    P = _clipped(A)
    return -row_sums(Y * np.log(P) + (1.0 - Y) * np.log(1.0 - P)) / A.shape[1]


def _binary_crossentropy_gradient(A: Array, Y: Array) -> Array:
    P = _clipped(A)
    return (P - Y) / (P * (1.0 - P)) / A.shape[1]


def _categorical_crossentropy(A: Array, Y: Array) -> Array:
    return -row_sums(Y * np.log(_clipped(A)))


LOSSES: dict[str, Loss] = {
    loss.name: loss
    for loss in (
        Loss("mse", _mse, lambda A, Y: 2.0 * (A - Y) / A.shape[1]),
        Loss("binary_crossentropy", _binary_crossentropy, _binary_crossentropy_gradient),
        Loss("categorical_crossentropy", _categorical_crossentropy, lambda A, Y: -Y / _clipped(A)),
    )
}

# dL/dZ at the output for (activation, loss) pairs where it collapses to a simple, exact
# and numerically safe form. For softmax with cross-entropy the softmax Jacobian
# diag(a) - a a^T applied to -y/a gives a * sum(y) - y = A - Y (one-hot rows sum to 1);
# sigmoid with binary cross-entropy likewise gives (A - Y), averaged over outputs here.
FUSED_OUTPUT_GRADIENTS: dict[tuple[str, str], Callable[[Array, Array], Array]] = {
    ("softmax", "categorical_crossentropy"): lambda A, Y: A - Y,
    ("sigmoid", "binary_crossentropy"): lambda A, Y: (A - Y) / A.shape[1],
}


def get_loss(name: str) -> Loss:
    """Return the loss called ``name``; ``ValueError`` lists the valid names."""
    return lookup(LOSSES, name, "loss")
