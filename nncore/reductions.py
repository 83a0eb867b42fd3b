"""Row reductions that stay fast on the narrow arrays of a classifier.

NumPy reduces along a short contiguous axis (the 10 class scores of each row, say) with
one inner loop per row. Measured on 1,438 rows of 10: a row sum took 31 us where a
matrix-vector product takes 6, and a row maximum 100 us where the same reduction over
the transposed copy takes 9. The network's batches and evaluations hit these every step.
"""

from __future__ import annotations

import numpy as np


def row_max(M: np.ndarray) -> np.ndarray:
    """The maximum of each row of M (n, k), shape (n,)."""
    # Reducing the transposed copy runs one vectorised loop across all rows.
    return np.ascontiguousarray(M.T).max(axis=0)


def row_sums(M: np.ndarray) -> np.ndarray:
    """The sum of each row of M (n, k), shape (n,)."""
    return M @ np.ones(M.shape[1], dtype=M.dtype)
