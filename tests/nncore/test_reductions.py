"""The fast row and column reductions agree with NumPy's own on every shape the network produces."""

from __future__ import annotations

import numpy as np
import pytest

from nncore.reductions import column_sums, ones, row_max, row_sums


@pytest.mark.parametrize("shape", [(1, 1), (1, 10), (32, 10), (1438, 10), (5, 1), (3, 300)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_row_reductions_match_numpy(shape: tuple[int, int], dtype: type) -> None:
    M = np.random.default_rng(0).normal(scale=50.0, size=shape).astype(dtype)
    assert row_max(M).dtype == row_sums(M).dtype == dtype
    np.testing.assert_array_equal(row_max(M), M.max(axis=1))
    # Summation order differs, so compare to the exact sum within the dtype's rounding of
    # the row's magnitude (rows summing to almost 0 make a relative bound meaningless).
    exact = M.astype(np.float64).sum(axis=1)
    bound = 8 * np.finfo(dtype).eps * np.abs(M).astype(np.float64).sum(axis=1)
    assert np.all(np.abs(row_sums(M) - exact) <= bound)
    exact = M.astype(np.float64).sum(axis=0)
    bound = 8 * np.finfo(dtype).eps * np.abs(M).astype(np.float64).sum(axis=0)
    out = np.empty(shape[1], dtype=dtype)
    assert column_sums(M, out=out) is out
    assert np.all(np.abs(out - exact) <= bound)


def test_row_reductions_of_a_view_and_of_non_finite_rows() -> None:
    M = np.arange(24.0).reshape(4, 6)[:, ::2]  # a strided view, as slicing gives
    np.testing.assert_array_equal(row_max(M), [4.0, 10.0, 16.0, 22.0])
    np.testing.assert_array_equal(row_sums(M), [6.0, 24.0, 42.0, 60.0])
    M = np.array([[1.0, np.nan], [np.inf, 1.0], [-np.inf, -np.inf]])
    np.testing.assert_array_equal(row_max(M), [np.nan, np.inf, -np.inf])  # NaN propagates


def test_the_shared_vector_of_ones_cannot_be_changed_by_a_caller() -> None:
    vector = ones(3, np.dtype(np.float32))
    with pytest.raises(ValueError, match="read-only"):
        vector[0] = 2.0
    assert ones(3, np.dtype(np.float32)) is vector
    np.testing.assert_array_equal(row_sums(np.eye(3, dtype=np.float32)), [1.0, 1.0, 1.0])
