"""Weight initialisers, chosen per layer by the layer's activation.

Glorot keeps the variance of signals and gradients steady through sigmoid/tanh/softmax;
He doubles it to make up for ReLU zeroing half its inputs. Biases start at zero.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

Initializer = Callable[[int, int, np.random.Generator], np.ndarray]


def glorot_uniform(fan_in: int, fan_out: int, rng: np.random.Generator) -> np.ndarray:
    """Uniform in +-sqrt(6 / (fan_in + fan_out)); shape (fan_in, fan_out)."""
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=(fan_in, fan_out))


def he_normal(fan_in: int, fan_out: int, rng: np.random.Generator) -> np.ndarray:
    """Normal with standard deviation sqrt(2 / fan_in); shape (fan_in, fan_out)."""
    return rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_in, fan_out))


INITIALIZERS: dict[str, Initializer] = {"glorot": glorot_uniform, "he": he_normal}
