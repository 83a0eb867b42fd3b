"""The network's input and output: 8x8 counts 0..16 in, ten digit classes out.

optdigits counts on-pixels in 4x4 blocks, so every feature is 0..16; every network in
the app sees them divided by 16. This is the one place that says so.
"""

from __future__ import annotations

import numpy as np

GRID = 8  # features are an 8x8 grid
N_INPUTS = GRID * GRID
N_CLASSES = 10
MAX_COUNT = 16.0  # on-pixels in one 4x4 block


def network_input(features: np.ndarray, dtype: np.dtype | type = np.float64) -> np.ndarray:
    """Features (n, 8, 8) or (n, 64), counts 0..16 -> network input (n, 64) in 0..1."""
    inputs = np.asarray(features).reshape(-1, N_INPUTS).astype(dtype)
    inputs *= 1.0 / MAX_COUNT
    return inputs
