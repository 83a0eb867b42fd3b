"""Checks at the library's boundary, with messages that name the parameter, rule and value."""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from typing import TypeVar

import numpy as np

T = TypeVar("T")


def lookup(table: Mapping[str, T], name: object, kind: str) -> T:
    """Return ``table[name]``, or raise ``ValueError`` listing the valid names."""
    if not isinstance(name, str) or name not in table:
        valid = ", ".join(repr(key) for key in table)
        raise ValueError(f"unknown {kind} {name!r}; valid names are {valid}")
    return table[name]


def check_positive(name: str, value: object) -> float:
    """Return ``value`` as a float if it is a finite number > 0."""
    number = _finite_number(name, value, "> 0")
    if number <= 0:
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")
    return number


def check_non_negative(name: str, value: object) -> float:
    """Return ``value`` as a float if it is a finite number >= 0."""
    number = _finite_number(name, value, ">= 0")
    if number < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    return number


def check_fraction(name: str, value: object, *, allow_zero: bool = False) -> float:
    """Return ``value`` as a float in (0, 1), or [0, 1) when ``allow_zero``."""
    interval = "in [0, 1)" if allow_zero else "in (0, 1)"
    number = _finite_number(name, value, interval)
    if not (number >= 0 if allow_zero else number > 0) or number >= 1:
        raise ValueError(f"{name} must be a number {interval}, got {value!r}")
    return number


def check_int(name: str, value: object, *, minimum: int) -> int:
    """Return ``value`` if it is an integer >= ``minimum`` (bools are refused)."""
    if not isinstance(value, numbers.Integral) or isinstance(value, bool) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def check_features(name: str, X: object, n_features: int, dtype: np.dtype) -> np.ndarray:
    """Return ``X`` as a finite matrix (n_samples, n_features) of ``dtype``."""
    try:
        array = np.asarray(X)
        if array.dtype.kind != "f":  # integers, booleans, lists: read them as float64
            array = array.astype(np.float64)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be a numeric 2-D array: {error}") from None
    if array.ndim != 2:
        raise ValueError(f"{name} must be 2-D (n_samples, n_features), got shape {array.shape}")
    if array.shape[0] == 0:
        raise ValueError(f"{name} must hold at least one sample, got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must not contain NaN or infinity")
    if array.shape[1] != n_features:
        raise ValueError(
            f"{name} must have {n_features} features (columns) for this network, "
            f"got {array.shape[1]}"
        )
    return array.astype(dtype, copy=False)


def check_targets(y: object, n_samples: int, n_outputs: int, dtype: np.dtype) -> np.ndarray:
    """Return targets as float rows (n_samples, n_outputs) of ``dtype``.

    ``y`` is integer labels (n_samples,) in 0..n_outputs-1 or one-hot rows.
    """
    y = np.asarray(y)
    if y.ndim not in (1, 2) or not (np.issubdtype(y.dtype, np.number) or y.dtype == bool):
        raise ValueError(
            f"y must be integer labels (n_samples,) or one-hot rows (n_samples, "
            f"{n_outputs}), got an array of shape {y.shape} and type {y.dtype}"
        )
    if len(y) != n_samples:
        raise ValueError(
            f"X and y must have the same number of samples, got {n_samples} and {len(y)}"
        )
    if y.ndim == 1 and n_outputs > 1:
        if not np.issubdtype(y.dtype, np.integer) or y.min() < 0 or y.max() >= n_outputs:
            raise ValueError(
                f"integer labels y must lie in 0..{n_outputs - 1} "
                f"(or pass one-hot rows), got values of type {y.dtype} in "
                f"{y.min()}..{y.max()}"
            )
        return np.eye(n_outputs, dtype=dtype)[y]
    Y = y.reshape(-1, 1) if y.ndim == 1 else y
    if Y.ndim != 2 or Y.shape[1] != n_outputs:
        raise ValueError(
            f"y must have shape ({n_samples}, {n_outputs}) or ({n_samples},), got {y.shape}"
        )
    Y = Y.astype(dtype)
    if not np.all(np.isfinite(Y)):
        raise ValueError("y must not contain NaN or infinity")
    return Y


def _finite_number(name: str, value: object, rule: str) -> float:
    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        raise ValueError(f"{name} must be a number {rule}, got {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{name} must be a finite number {rule}, got {value!r}")
    return number
