"""Gradient-descent optimizers that update one flat parameter vector in place.

The network keeps all weights and biases as views into one contiguous vector, so a step
costs a handful of vectorised operations whatever the depth of the network.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from nncore.validation import check_fraction, check_positive, lookup

# Weights that feel only weight decay (those of always-blank pixels, say) and the moments
# of rarely-active weights decay geometrically into the subnormal range, where x86
# arithmetic is ~100x slower: left alone they made epochs 6x slower over 300 epochs.
# Zeroing them (a change below 1e-38) every so often keeps every step at full speed.
FLUSH_EVERY = 32


def flush_subnormals(array: np.ndarray) -> None:
    """Set entries smaller in magnitude than the dtype's smallest normal number to 0."""
    array[np.abs(array) < np.finfo(array.dtype).tiny] = 0.0


class Optimizer:
    """Base class: ``step(params, grads)`` updates ``params`` in place.

    Subclasses implement ``_update`` and name their state arrays in ``state_names``
    (each kept as the attribute ``_<name>``, None until the first step). An optimizer
    may use ``grads`` as scratch space: after a step it need not hold the gradient any
    more (backpropagation fills it anew for the next step). :meth:`state` and
    :meth:`restore` save and resume it exactly (a run continued later).
    """

    name = "optimizer"
    state_names: tuple[str, ...] = ()

    def __init__(self, learning_rate: float = 0.01) -> None:
        self.learning_rate = check_positive("learning_rate", learning_rate)
        self.steps = 0

    def step(self, params: np.ndarray, grads: np.ndarray) -> None:
        """Move ``params`` (n_params,) against ``grads`` (n_params,), which it may overwrite."""
        self.steps += 1
        self._update(params, grads)
        if self.steps % FLUSH_EVERY == 0:
            for array in (params, *self._state()):
                flush_subnormals(array)

    def _update(self, params: np.ndarray, grads: np.ndarray) -> None:
        raise NotImplementedError

    def _state(self) -> tuple[np.ndarray, ...]:
        arrays = (getattr(self, f"_{name}") for name in self.state_names)
        return tuple(array for array in arrays if array is not None)

    def state(self) -> dict[str, np.ndarray]:
        """Copies of the state arrays by name (empty before the first step, and for SGD)."""
        arrays = {name: getattr(self, f"_{name}") for name in self.state_names}
        return {name: array.copy() for name, array in arrays.items() if array is not None}

    def restore(self, steps: int, arrays: dict[str, np.ndarray], params: np.ndarray) -> None:
        """Resume from :meth:`state` after ``steps`` steps, for parameters like ``params``.

        Raises ``ValueError`` naming the array when one is missing or does not fit.
        """
        if not isinstance(steps, int) or steps < 0:
            raise ValueError(f"steps must be a whole number >= 0, got {steps!r}")
        if steps and set(arrays) != set(self.state_names):
            raise ValueError(
                f"the {self.name} optimizer's state needs arrays {list(self.state_names)}, "
                f"got {sorted(arrays)}"
            )
        for name in self.state_names:
            array = arrays.get(name)
            if array is not None and array.shape != params.shape:
                raise ValueError(
                    f"optimizer state {name!r} must have shape {params.shape} like the "
                    f"parameters, got {array.shape}"
                )
            setattr(self, f"_{name}", None if array is None else array.astype(params.dtype))
        self.steps = steps

    def __repr__(self) -> str:
        return f"{type(self).__name__}(learning_rate={self.learning_rate})"


class SGD(Optimizer):
    """Plain stochastic gradient descent: ``p -= lr * g``."""

    name = "sgd"

    def _update(self, params: np.ndarray, grads: np.ndarray) -> None:
        params -= self.learning_rate * grads


class Momentum(Optimizer):
    """SGD with (heavy-ball or Nesterov) momentum, as in Sutskever et al. 2013."""

    name = "momentum"
    state_names = ("velocity",)
    nesterov = False

    def __init__(self, learning_rate: float = 0.01, momentum: float = 0.9) -> None:
        super().__init__(learning_rate)
        self.momentum = check_fraction("momentum", momentum)
        self._velocity: np.ndarray | None = None

    def _update(self, params: np.ndarray, grads: np.ndarray) -> None:
        if self._velocity is None:
            self._velocity = np.zeros_like(params)
        velocity = self._velocity
        velocity *= self.momentum
        velocity -= self.learning_rate * grads
        if self.nesterov:
            # Look-ahead form on the current parameters (as in Keras and scikit-learn).
            params += self.momentum * velocity - self.learning_rate * grads
        else:
            params += velocity


class Nesterov(Momentum):
    """SGD with Nesterov accelerated momentum."""

    name = "nesterov"
    nesterov = True


class Adam(Optimizer):
    """Adam (Kingma & Ba 2015) with bias-corrected moment estimates."""

    name = "adam"
    state_names = ("m", "v")

    def __init__(
        self,
        learning_rate: float = 0.001,
        beta1: float = 0.9,
        beta2: float = 0.999,
        epsilon: float = 1e-8,
    ) -> None:
        super().__init__(learning_rate)
        self.beta1 = check_fraction("beta1", beta1)
        self.beta2 = check_fraction("beta2", beta2)
        self.epsilon = check_positive("epsilon", epsilon)
        self._m: np.ndarray | None = None
        self._v: np.ndarray | None = None

    def _update(self, params: np.ndarray, grads: np.ndarray) -> None:
        if self._m is None or self._v is None:
            self._m, self._v = np.zeros_like(params), np.zeros_like(params)
        # M and V are the paper's m / (1 - beta1) and v / (1 - beta2): the same algorithm,
        # with the constant factors moved into the step size, in 10 array passes, not 12.
        # The gradient's own array is the scratch space once M has it: one array fewer
        # for the processor's cache to hold (the default network's epoch: 6 % faster).
        M, V, scratch = self._m, self._v, grads
        M *= self.beta1
        M += grads
        # np.square, not np.multiply(g, g): NumPy takes a slower path when both inputs
        # are the same array (half the speed here).
        np.square(grads, out=scratch)
        V *= self.beta2
        V += scratch
        b1, b2, t = self.beta1, self.beta2, self.steps
        # lr * m_hat / (sqrt(v_hat) + eps), with m_hat = (1 - b1) M / (1 - b1^t) and
        # v_hat = (1 - b2) V / (1 - b2^t), rearranged to act on M and V directly.
        # math.sqrt keeps a Python float: an np.float64 scalar would force float32
        # parameters through a slow casting loop (NEP 50).
        root = math.sqrt((1.0 - b2) / (1.0 - b2**t))
        step_size = self.learning_rate * (1.0 - b1) / (1.0 - b1**t) / root
        np.sqrt(V, out=scratch)
        scratch += self.epsilon / root
        np.divide(M, scratch, out=scratch)
        scratch *= step_size
        params -= scratch


OPTIMIZERS: dict[str, Callable[..., Optimizer]] = {
    cls.name: cls for cls in (SGD, Momentum, Nesterov, Adam)
}


def make_optimizer(optimizer: str | Optimizer, learning_rate: float) -> Optimizer:
    """Return ``optimizer`` itself, or a new one of that name with ``learning_rate``."""
    if isinstance(optimizer, Optimizer):
        return optimizer
    return lookup(OPTIMIZERS, optimizer, "optimizer")(learning_rate=learning_rate)
