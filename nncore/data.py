"""Label encoding and train/test splitting (shuffled, and stratified on request)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from nncore.validation import check_fraction


def distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values of a 1-D array, sorted (``np.unique`` without its extras).

    ``np.unique`` imports ``numpy.ma`` on its first call (to check for masked arrays):
    20 ms added to the first training run of a process.
    """
    ordered = np.sort(values)
    if ordered.size == 0:
        return ordered
    first = np.empty(ordered.size, dtype=bool)
    first[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    return ordered[first]


class OneHotEncoder:
    """Map labels to one-hot rows and back.

    ``encode(labels)`` learns the sorted categories on first use unless ``categories``
    are given; ``decode(scores)`` returns the category of each row's largest score.
    """

    def __init__(self, categories: Sequence[Any] | None = None) -> None:
        self.categories: np.ndarray | None = None if categories is None else np.asarray(categories)

    def encode(self, labels: Sequence[Any] | np.ndarray) -> np.ndarray:
        """Labels (n,) -> one-hot matrix (n, n_categories) of float64."""
        labels = np.asarray(labels)
        if labels.ndim != 1:
            raise ValueError(f"labels must be 1-D, got shape {labels.shape}")
        if self.categories is None:
            self.categories = distinct(labels)
        index = {category: i for i, category in enumerate(self.categories.tolist())}
        unknown = sorted({label for label in labels.tolist() if label not in index}, key=str)
        if unknown:
            raise ValueError(
                f"labels contain unknown categories {unknown}; known: {self.categories.tolist()}"
            )
        encoded = np.zeros((labels.size, self.categories.size))
        encoded[np.arange(labels.size), [index[label] for label in labels.tolist()]] = 1.0
        return encoded

    def decode(self, scores: np.ndarray) -> np.ndarray:
        """Scores or one-hot rows (n, n_categories) -> labels (n,)."""
        if self.categories is None:
            raise ValueError("decode needs categories: call encode first or pass categories")
        scores = np.asarray(scores)
        if scores.ndim != 2 or scores.shape[1] != self.categories.size:
            raise ValueError(
                f"scores must have shape (n, {self.categories.size}), got {scores.shape}"
            )
        return self.categories[np.argmax(scores, axis=1)]


def train_test_split(
    X: np.ndarray,
    y: np.ndarray,
    train_size: float = 0.8,
    shuffle: bool = True,
    stratify: np.ndarray | None = None,
    seed: int | np.random.Generator | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Split samples into ``X_train, X_test, y_train, y_test``.

    ``train_size`` is the fraction in (0, 1) kept for training. ``stratify`` (labels, or
    one-hot rows) keeps each class's share the same in both parts; it implies shuffling.
    """
    X, y = np.asarray(X), np.asarray(y)
    train_size = check_fraction("train_size", train_size)
    n = len(X)
    if len(y) != n:
        raise ValueError(f"X and y must have the same length, got {n} and {len(y)}")
    if n < 2:
        raise ValueError(f"need at least 2 samples to split, got {n}")
    rng = np.random.default_rng(seed)
    if stratify is not None:
        if len(stratify) != n:
            raise ValueError(f"stratify must have one label per sample ({n}), got {len(stratify)}")
        train_index, test_index = _stratified_indices(np.asarray(stratify), train_size, rng)
    else:
        order = rng.permutation(n) if shuffle else np.arange(n)
        n_train = min(max(round(train_size * n), 1), n - 1)
        train_index, test_index = order[:n_train], order[n_train:]
    return X[train_index], X[test_index], y[train_index], y[test_index]


def _stratified_indices(
    labels: np.ndarray, train_size: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    if labels.ndim == 2:
        labels = np.argmax(labels, axis=1)
    train: list[np.ndarray] = []
    test: list[np.ndarray] = []
    for label in distinct(labels):
        members = rng.permutation(np.flatnonzero(labels == label))
        n_train = round(train_size * members.size)
        if members.size >= 2:
            # Every class with two or more samples appears on both sides.
            n_train = min(max(n_train, 1), members.size - 1)
        train.append(members[:n_train])
        test.append(members[n_train:])
    return rng.permutation(np.concatenate(train)), rng.permutation(np.concatenate(test))
