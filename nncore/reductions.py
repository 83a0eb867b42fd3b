"""Row and column reductions that stay fast on the small arrays of a classifier.

NumPy reduces along a short contiguous axis (the 10 class scores of each row, say) with
one inner loop per row. Measured on 1,438 rows of 10: a row sum took 31 us where a
matrix-vector product takes 6, and a row maximum 100 us where the same reduction over
the transposed copy takes 9. The network's batches and evaluations hit these every step.
"""

from __future__ import annotations

import functools

import numpy as np


@functools.lru_cache(maxsize=32)
def ones(n: int, dtype: np.dtype) -> np.ndarray:
    """A shared read-only vector of ``n`` ones: making one costs as much as a small sum."""
    vector = np.ones(n, dtype=dtype)
    vector.flags.writeable = False
    return vector


def row_max(M: np.ndarray) -> np.ndarray:
    """The maximum of each row of M (n, k), shape (n,)."""
    # Reducing the transposed copy runs one vectorised loop across all rows.
    return np.ascontiguousarray(M.T).max(axis=0)


def row_sums(M: np.ndarray) -> np.ndarray:
    """The sum of each row of M (n, k), shape (n,)."""
    return M @ ones(M.shape[1], M.dtype)


def column_sums(M: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """The sum of each column of M (n, k), shape (k,), written to ``out`` if given."""
    # As a vector-matrix product: a quarter of the time of M.sum(axis=0) on a batch.
    return np.dot(ones(M.shape[0], M.dtype), M, out=out)
